#include "genodose/dosing/federated.hpp"

#include <xgboost/c_api.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/sha256.hpp"
#include "genodose/core/version.hpp"
#include "genodose/dosing/features.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "genodose/dosing/xgboost_info.hpp"
#include "linear_base.hpp"
#include "model_format.hpp"
#include "text_util.hpp"
#include "xgboost_booster.hpp"

namespace genodose::dosing {

namespace {

// XGBoost collective's codes (xgboost/collective/communicator.h of 1.7).
constexpr int collective_double = 7;
constexpr int collective_max = 0, collective_min = 1, collective_sum = 2;

// Calibration histogram of log(actual / predicted): [-3, 3) in bins of 0.001.
constexpr double histogram_low = -3.0, histogram_width = 0.001;
constexpr std::size_t histogram_bins = 6000;


// XGBoost's last error without its stack trace.
std::string xgboost_error() {
    std::string message = XGBGetLastError();
    const auto trace = message.find("\nStack trace");
    return detail::trim(trace == std::string::npos ? message : message.substr(0, trace));
}

// The collective for one worker; without a tracker every reduction is the identity.
class SiteCollective {
public:
    explicit SiteCollective(const FederatedTrainingOptions& options) : distributed_(!options.tracker.empty()) {
        if (!distributed_) return;
        const auto colon = options.tracker.rfind(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == options.tracker.size())
            throw UsageError("--tracker must be HOST:PORT, got '" + options.tracker + "'");
        const nlohmann::json config = {{"xgboost_communicator", "rabit"},
                                       {"rabit_tracker_uri", options.tracker.substr(0, colon)},
                                       {"rabit_tracker_port", options.tracker.substr(colon + 1)},
                                       {"rabit_task_id", std::to_string(options.rank)},
                                       {"rabit_world_size", std::to_string(options.workers)},
                                       {"rabit_timeout", "1"},
                                       {"rabit_timeout_sec", std::to_string(options.timeout_seconds)},
                                       {"DMLC_WORKER_CONNECT_RETRY", "3"}};
        if (XGCommunicatorInit(config.dump().c_str()) != 0)
            throw InputError("federated training: cannot join the tracker at " + options.tracker + ": " +
                             xgboost_error());
        if (XGCommunicatorGetWorldSize() != options.workers)
            throw InputError("federated training: the tracker at " + options.tracker + " has " +
                             std::to_string(XGCommunicatorGetWorldSize()) + " workers, --workers is " +
                             std::to_string(options.workers));
    }
    ~SiteCollective() {
        if (distributed_) XGCommunicatorFinalize();
    }
    void reduce(std::vector<double>& values, int op, const char* what) {
        if (!distributed_ || values.empty()) return;
        bytes_ += values.size() * sizeof(double);
        if (XGCommunicatorAllreduce(values.data(), values.size(), collective_double, op) != 0)
            throw InternalError(std::string("federated training stopped while summing ") + what +
                                " across sites (a site disconnected?): " + xgboost_error() + "; no model written");
    }
    void sum(std::vector<double>& values, const char* what) { reduce(values, collective_sum, what); }
    bool distributed() const { return distributed_; }
    std::size_t bytes() const { return bytes_; }  // payload of our own reductions

private:
    bool distributed_;
    std::size_t bytes_ = 0;
};

// About 1 in 5 patients, the same ones wherever the patient's row is (hash of ID and seed).
bool is_calibration_patient(const std::string& id, std::uint64_t seed) {
    const std::string digest = sha256_hex(id + "#" + std::to_string(seed));
    return std::stoul(digest.substr(0, 8), nullptr, 16) % 5 == 0;
}

}  // namespace

FederatedTrainingSummary train_federated_dose_model(const FederatedTrainingOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const DoseSearchGrid& grid = options.grid;
    if (grid.feature_sets.size() * grid.transforms.size() * grid.max_depths.size() * grid.min_child_weights.size() *
            grid.objectives.size() * grid.monotone.size() * grid.race_balance.size() * grid.linear_base.size() !=
        1)
        throw UsageError("federated training takes a grid with exactly one point (no search across sites): " +
                         options.grid_name);
    if (grid.race_balance.front() != 0 || grid.monotone.front())
        throw UsageError("federated training supports neither race balance nor monotone constraints");
    if (options.workers < 1 || options.rank < 0 || options.rank >= options.workers)
        throw UsageError("--rank must be between 0 and --workers - 1");
    FederatedTrainingSummary summary;
    summary.sites = static_cast<std::size_t>(options.workers);
    const std::vector<std::string>& linear_features = detail::linear_base_features();
    const std::string feature_set_name = grid.feature_sets.front();
    const TargetTransform transform = grid.transforms.front();
    const bool use_linear = grid.linear_base.front();
    const int rounds = grid.max_rounds;
    summary.rounds = rounds;

    // This site's patients: read and checked before joining, so a bad file stops here.
    const auto activity = Cyp2c9ActivityTable::load(options.cyp2c9_phenotypes);
    const auto records = read_iwpc_csv(options.site_data);
    const auto names = feature_set(feature_set_name);
    FeatureEncoder encoder(names, activity);
    const std::size_t width = names.size();
    std::vector<float> x_train, x_calibration, labels;
    std::vector<double> calibration_dose;
    for (const auto& record : records) {
        if (!record.dose_mg_per_week) continue;
        std::vector<float> row(width);
        encoder.encode(record.patient, row.data());
        if (is_calibration_patient(record.patient.id, options.seed)) {
            x_calibration.insert(x_calibration.end(), row.begin(), row.end());
            calibration_dose.push_back(*record.dose_mg_per_week);
        } else {
            x_train.insert(x_train.end(), row.begin(), row.end());
            labels.push_back(static_cast<float>(transform_dose(transform, *record.dose_mg_per_week)));
        }
    }
    summary.rows_trained = labels.size();
    summary.rows_calibration = calibration_dose.size();
    if (labels.empty())
        throw InputError(file_message(options.site_data, "no patient with a therapeutic dose to train on"));
    if (!options.output.empty()) {
        // Fail on an unwritable output before any site waits on this one.
        namespace fs = std::filesystem;
        fs::path folder = fs::path(options.output).parent_path();
        if (folder.empty()) folder = ".";
        if (!fs::is_directory(folder))
            throw OutputError(file_message(options.output, "output folder '" + folder.string() + "' does not exist"));
    }

    SiteCollective collective(options);
    // 1. Same settings everywhere: min and max of a fingerprint agree.
    {
        const std::string settings = feature_set_name + transform_name(transform) + std::to_string(use_linear) +
                                     std::to_string(grid.max_depths.front()) + grid.objectives.front() +
                                     detail::format_fixed(grid.min_child_weights.front(), 4) + std::to_string(rounds) +
                                     detail::format_fixed(grid.learning_rate, 4) + std::to_string(options.seed) +
                                     activity.values().begin()->first;
        const double fingerprint = static_cast<double>(std::stoul(sha256_hex(settings).substr(0, 12), nullptr, 16));
        std::vector<double> low{fingerprint}, high{fingerprint};
        collective.reduce(low, collective_min, "the settings fingerprint");
        collective.reduce(high, collective_max, "the settings fingerprint");
        if (low[0] != high[0])
            throw UsageError("federated training: the sites were started with different settings (grid, seed or "
                             "phenotype table)");
    }
    // 2. Linear base from sums over sites.
    const std::size_t rows = labels.size();
    detail::DenseMatrix train(x_train.data(), rows, width, names);
    train.set_labels(labels);
    std::optional<detail::LinearBase> linear;
    if (use_linear) {
        std::vector<bool> use;
        for (const auto& name : names)
            use.push_back(std::find(linear_features.begin(), linear_features.end(), name) != linear_features.end());
        linear = detail::LinearBase::fit(x_train, rows, width, use, labels, {}, 1.0,
                                         [&](std::vector<double>& v) { collective.sum(v, "the linear base"); });
        std::vector<float> margin;
        for (std::size_t r = 0; r < rows; ++r) margin.push_back(static_cast<float>(linear->predict(x_train.data() + r * width)));
        train.set_base_margin(margin);
    }
    double base_score = 0;
    {
        std::vector<double> sums{0.0, static_cast<double>(rows)};
        for (float label : labels) sums[0] += label;
        collective.sum(sums, "the label mean");
        base_score = sums[0] / sums[1];
    }
    // 3. Boosting: XGBoost all-reduces the sketch and the histograms itself.
    detail::Booster booster(train, {{"objective", grid.objectives.front()},
                                    {"tree_method", "hist"},
                                    {"max_bin", "256"},
                                    {"nthread", "1"},
                                    {"seed", std::to_string(options.seed)},
                                    {"eta", detail::format_fixed(grid.learning_rate, 4)},
                                    {"max_depth", std::to_string(grid.max_depths.front())},
                                    {"min_child_weight", detail::format_fixed(grid.min_child_weights.front(), 4)},
                                    {"subsample", detail::format_fixed(grid.subsample, 4)},
                                    {"colsample_bytree", detail::format_fixed(grid.colsample_bytree, 4)},
                                    {"lambda", detail::format_fixed(grid.reg_lambda, 4)},
                                    {"base_score", detail::format_fixed(use_linear ? 0.0 : base_score, 6)}});
    // Test hook (tests/cli/dose_federated.sh): this worker exits without a word after the round,
    // as a site whose machine dies would.
    const char* disconnect = std::getenv("GENODOSE_TEST_FEDERATED_EXIT_AFTER_ROUND");
    const auto boosting_start = std::chrono::steady_clock::now();
    for (int i = 0; i < rounds; ++i) {
        if (disconnect && options.rank == 0 && i == std::atoi(disconnect)) std::_Exit(99);
        try {
            booster.update(i, train);
        } catch (const InternalError& e) {
            std::string what = e.what();
            what = what.substr(0, what.find("\nStack trace"));
            throw InternalError("federated training stopped at round " + std::to_string(i + 1) + " of " +
                                std::to_string(rounds) + " (a site disconnected?): " + what + "; no model written");
        }
    }
    summary.boosting_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - boosting_start).count();

    // 4. Split-conformal interval from the calibration patients of every site (a histogram).
    auto predict = [&](const std::vector<float>& values, std::size_t n) {
        std::vector<double> doses;
        if (n == 0) return doses;
        detail::DenseMatrix matrix(values.data(), n, width, names);
        if (linear) {
            std::vector<float> margin;
            for (std::size_t r = 0; r < n; ++r) margin.push_back(static_cast<float>(linear->predict(values.data() + r * width)));
            matrix.set_base_margin(margin);
        }
        for (float z : booster.predict(matrix)) doses.push_back(std::max(inverse_transform(transform, z), detail::minimum_dose));
        return doses;
    };
    const auto calibration_predicted = predict(x_calibration, calibration_dose.size());
    std::vector<double> histogram(histogram_bins, 0.0);
    for (std::size_t i = 0; i < calibration_dose.size(); ++i) {
        const double r = std::log(calibration_dose[i] / calibration_predicted[i]);
        const auto bin = static_cast<long>(std::floor((r - histogram_low) / histogram_width));
        histogram[static_cast<std::size_t>(std::clamp<long>(bin, 0, histogram_bins - 1))] += 1;
    }
    collective.sum(histogram, "the calibration histogram");
    double n_calibration = 0;
    for (double count : histogram) n_calibration += count;
    const double alpha = 1.0 - options.interval_coverage;
    const auto k_low = static_cast<std::size_t>(std::floor((n_calibration + 1) * alpha / 2.0 + 1e-9));
    const auto k_high = static_cast<std::size_t>(std::ceil((n_calibration + 1) * (1.0 - alpha / 2.0) - 1e-9));
    if (k_low < 1 || static_cast<double>(k_high) > n_calibration)
        throw InputError("federated training: " + std::to_string(static_cast<long>(n_calibration)) +
                         " calibration patients over all sites, too few for the interval");
    // The k-th smallest residual lies in the bin where the running count reaches k: its lower
    // edge for the lower bound, its upper edge for the upper bound (never narrower than exact).
    auto edge = [&](std::size_t k, bool upper) {
        double running = 0;
        for (std::size_t b = 0; b < histogram_bins; ++b) {
            running += histogram[b];
            if (running >= static_cast<double>(k)) return histogram_low + static_cast<double>(b + (upper ? 1 : 0)) * histogram_width;
        }
        return histogram_low + histogram_bins * histogram_width;
    };
    const double lower_log_ratio = edge(k_low, false), upper_log_ratio = edge(k_high, true);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.output.empty()) return summary;

    nlohmann::ordered_json model;
    model["format"] = detail::model_format_name;
    model["format_version"] = detail::model_format_version;
    model["description"] = "Weekly warfarin dose (mg/week); XGBoost trained across " + std::to_string(options.workers) +
                           " site(s) without pooling patient rows (genodose dose train --federated). See "
                           "models/warfarin_dose.md, \"Training across sites\".";
    model["genodose_version"] = genodose::version;
    model["xgboost_version"] = xgboost_version();
    model["training"] = {{"command", "genodose dose train --federated (" + std::to_string(options.workers) +
                                         " sites, grid " + std::filesystem::path(options.grid_name).filename().string() +
                                         ", seed " + std::to_string(options.seed) + ")"},
                         {"data_name", "this site: " + std::filesystem::path(options.site_data).filename().string()},
                         {"data_sha256", sha256_file(options.site_data)},
                         {"rows_used", rows},
                         {"sites", options.workers},
                         {"calibration_patients_all_sites", static_cast<std::size_t>(n_calibration)}};
    model["features"] = names;
    model["feature_set"] = feature_set_name;
    model["target_transform"] = transform_name(transform);
    model["rounds"] = rounds;
    model["hyperparameters"] = {{"objective", grid.objectives.front()}, {"tree_method", "hist"},
                                {"eta", grid.learning_rate},            {"max_depth", grid.max_depths.front()},
                                {"min_child_weight", grid.min_child_weights.front()},
                                {"subsample", grid.subsample},          {"colsample_bytree", grid.colsample_bytree},
                                {"lambda", grid.reg_lambda},            {"seed", options.seed}};
    model["conformal"] = {{"method", "split-conformal on log(actual/predicted) of the calibration patients of every site "
                                     "(about 1 in 5, never trained on), from their all-reduced histogram (bins of 0.001)"},
                          {"nominal_coverage", options.interval_coverage},
                          {"lower_log_ratio", lower_log_ratio},
                          {"upper_log_ratio", upper_log_ratio},
                          {"calibration_size", static_cast<std::size_t>(n_calibration)}};
    {
        nlohmann::ordered_json values;
        for (const auto& [allele, value] : activity.values())
            values[allele] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
        model["cyp2c9_activity_values"] = values;
    }
    if (linear) {
        model["linear_base"] = {{"ridge_lambda", 1.0},          {"features_used", linear_features},
                                {"intercept", linear->intercept}, {"fill", linear->fill},
                                {"value_coef", linear->value_coef}, {"missing_coef", linear->missing_coef},
                                {"mean_filled", linear->mean_filled}, {"mean_missing", linear->mean_missing}};
    } else {
        model["linear_base"] = nullptr;
    }
    model["xgboost_model"] = nlohmann::ordered_json::parse(booster.save_json());
    write_file_atomically(options.output, model.dump(1) + "\n");
    return summary;
}

}  // namespace genodose::dosing
