#include "genodose/dosing/federated.hpp"

#include <xgboost/c_api.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

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

// The grid must be one point; its settings, read once.
struct FederatedSettings {
    std::string feature_set_name;
    std::vector<std::string> names;  // the feature set's features
    TargetTransform transform;
    bool use_linear;
    int rounds;
};

FederatedSettings check_federated_options(const FederatedTrainingOptions& options) {
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
    return {grid.feature_sets.front(), {}, grid.transforms.front(), grid.linear_base.front(), grid.max_rounds};
}

// This site's patients with a dose, encoded: about 1 in 5 kept for calibration, the rest trained on.
struct SitePatients {
    std::vector<float> x_train, x_calibration;  // rows x features
    std::vector<float> labels;                  // transformed doses of the training rows
    std::vector<double> calibration_dose;       // mg/week
};

SitePatients read_site_patients(const FederatedTrainingOptions& options, const Cyp2c9ActivityTable& activity,
                                const FederatedSettings& settings) {
    const auto records = read_iwpc_csv(options.site_data);
    FeatureEncoder encoder(settings.names, activity);
    SitePatients patients;
    for (const auto& record : records) {
        if (!record.dose_mg_per_week) continue;
        std::vector<float> row(settings.names.size());
        encoder.encode(record.patient, row.data());
        if (is_calibration_patient(record.patient.id, options.seed)) {
            patients.x_calibration.insert(patients.x_calibration.end(), row.begin(), row.end());
            patients.calibration_dose.push_back(*record.dose_mg_per_week);
        } else {
            patients.x_train.insert(patients.x_train.end(), row.begin(), row.end());
            patients.labels.push_back(static_cast<float>(transform_dose(settings.transform, *record.dose_mg_per_week)));
        }
    }
    if (patients.labels.empty())
        throw InputError(file_message(options.site_data, "no patient with a therapeutic dose to train on"));
    return patients;
}

// Fail on an unwritable output before any site waits on this one.
void check_output_folder_exists(const std::string& output) {
    if (output.empty()) return;
    namespace fs = std::filesystem;
    fs::path folder = fs::path(output).parent_path();
    if (folder.empty()) folder = ".";
    if (!fs::is_directory(folder))
        throw OutputError(file_message(output, "output folder '" + folder.string() + "' does not exist"));
}

// Same settings everywhere: the min and max over sites of a fingerprint agree.
void check_same_settings(SiteCollective& collective, const FederatedTrainingOptions& options,
                         const FederatedSettings& settings, const Cyp2c9ActivityTable& activity) {
    const DoseSearchGrid& grid = options.grid;
    const std::string text = settings.feature_set_name + transform_name(settings.transform) +
                             std::to_string(settings.use_linear) + std::to_string(grid.max_depths.front()) +
                             grid.objectives.front() + detail::format_fixed(grid.min_child_weights.front(), 4) +
                             std::to_string(settings.rounds) + detail::format_fixed(grid.learning_rate, 4) +
                             std::to_string(options.seed) + activity.values().begin()->first;
    const double fingerprint = static_cast<double>(std::stoul(sha256_hex(text).substr(0, 12), nullptr, 16));
    std::vector<double> low{fingerprint}, high{fingerprint};
    collective.reduce(low, collective_min, "the settings fingerprint");
    collective.reduce(high, collective_max, "the settings fingerprint");
    if (low[0] != high[0])
        throw UsageError("federated training: the sites were started with different settings (grid, seed or "
                         "phenotype table)");
}

std::vector<float> linear_margin(const detail::LinearBase& linear, const std::vector<float>& values, std::size_t rows,
                                 std::size_t width) {
    std::vector<float> margin;
    for (std::size_t r = 0; r < rows; ++r)
        margin.push_back(static_cast<float>(linear.predict(values.data() + r * width)));
    return margin;
}

// The linear base from sums over sites, set as the training rows' base margin.
std::optional<detail::LinearBase> fit_linear_base(SiteCollective& collective, const FederatedSettings& settings,
                                                  const SitePatients& patients, detail::DenseMatrix& train) {
    if (!settings.use_linear) return std::nullopt;
    const std::vector<std::string>& linear_features = detail::linear_base_features();
    std::vector<bool> use;
    for (const auto& name : settings.names)
        use.push_back(std::find(linear_features.begin(), linear_features.end(), name) != linear_features.end());
    const std::size_t rows = patients.labels.size(), width = settings.names.size();
    auto linear = detail::LinearBase::fit(patients.x_train, rows, width, use, patients.labels, {}, 1.0,
                                          [&](std::vector<double>& v) { collective.sum(v, "the linear base"); });
    train.set_base_margin(linear_margin(linear, patients.x_train, rows, width));
    return linear;
}

// The mean label over every site's training rows (XGBoost's base_score without a linear base).
double label_mean(SiteCollective& collective, const std::vector<float>& labels) {
    std::vector<double> sums{0.0, static_cast<double>(labels.size())};
    for (float label : labels) sums[0] += label;
    collective.sum(sums, "the label mean");
    return sums[0] / sums[1];
}

std::vector<std::pair<std::string, std::string>> booster_parameters(const FederatedTrainingOptions& options,
                                                                    const FederatedSettings& settings,
                                                                    double base_score) {
    const DoseSearchGrid& grid = options.grid;
    return {{"objective", grid.objectives.front()},
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
            {"base_score", detail::format_fixed(settings.use_linear ? 0.0 : base_score, 6)}};
}

// The boosting rounds: XGBoost all-reduces the sketch and the histograms itself.
void run_boosting_rounds(detail::Booster& booster, detail::DenseMatrix& train, const FederatedTrainingOptions& options,
                         int rounds) {
    // Test hook (tests/cli/dose_federated.sh): this worker exits without a word after the round,
    // as a site whose machine dies would.
    const char* disconnect = std::getenv("GENODOSE_TEST_FEDERATED_EXIT_AFTER_ROUND");
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
}

// Doses (mg/week) the trained model predicts for `n` rows of `values`.
std::vector<double> predict_doses(const detail::Booster& booster, const std::optional<detail::LinearBase>& linear,
                                  const FederatedSettings& settings, const std::vector<float>& values, std::size_t n) {
    std::vector<double> doses;
    if (n == 0) return doses;
    const std::size_t width = settings.names.size();
    detail::DenseMatrix matrix(values.data(), n, width, settings.names);
    if (linear) matrix.set_base_margin(linear_margin(*linear, values, n, width));
    for (float z : booster.predict(matrix))
        doses.push_back(std::max(inverse_transform(settings.transform, z), detail::minimum_dose));
    return doses;
}

// Split-conformal interval from the calibration patients of every site: the all-reduced
// histogram of their log(actual / predicted).
struct FederatedInterval {
    double lower_log_ratio = 0, upper_log_ratio = 0;
    std::size_t calibration_size = 0;
};

FederatedInterval calibrate_interval(SiteCollective& collective, const std::vector<double>& predicted,
                                     const std::vector<double>& actual, double coverage) {
    std::vector<double> histogram(histogram_bins, 0.0);
    for (std::size_t i = 0; i < actual.size(); ++i) {
        const double r = std::log(actual[i] / predicted[i]);
        const auto bin = static_cast<long>(std::floor((r - histogram_low) / histogram_width));
        histogram[static_cast<std::size_t>(std::clamp<long>(bin, 0, histogram_bins - 1))] += 1;
    }
    collective.sum(histogram, "the calibration histogram");
    double n_calibration = 0;
    for (double count : histogram) n_calibration += count;
    const double alpha = 1.0 - coverage;
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
            if (running >= static_cast<double>(k))
                return histogram_low + static_cast<double>(b + (upper ? 1 : 0)) * histogram_width;
        }
        return histogram_low + histogram_bins * histogram_width;
    };
    return {edge(k_low, false), edge(k_high, true), static_cast<std::size_t>(n_calibration)};
}

// What a federated run produced, for the model file.
struct FederatedModel {
    const Cyp2c9ActivityTable& activity;
    const FederatedSettings& settings;
    std::size_t rows_trained;
    const std::optional<detail::LinearBase>& linear;
    const detail::Booster& booster;
    FederatedInterval interval;
};

nlohmann::ordered_json federated_training_json(const FederatedTrainingOptions& options, const FederatedModel& trained) {
    return {{"command", "genodose dose train --federated (" + std::to_string(options.workers) + " sites, grid " +
                            std::filesystem::path(options.grid_name).filename().string() + ", seed " +
                            std::to_string(options.seed) + ")"},
            {"data_name", "this site: " + std::filesystem::path(options.site_data).filename().string()},
            {"data_sha256", sha256_file(options.site_data)},
            {"rows_used", trained.rows_trained},
            {"sites", options.workers},
            {"calibration_patients_all_sites", trained.interval.calibration_size}};
}

nlohmann::ordered_json federated_hyperparameters_json(const FederatedTrainingOptions& options) {
    const DoseSearchGrid& grid = options.grid;
    return {{"objective", grid.objectives.front()},
            {"tree_method", "hist"},
            {"eta", grid.learning_rate},
            {"max_depth", grid.max_depths.front()},
            {"min_child_weight", grid.min_child_weights.front()},
            {"subsample", grid.subsample},
            {"colsample_bytree", grid.colsample_bytree},
            {"lambda", grid.reg_lambda},
            {"seed", options.seed}};
}

nlohmann::ordered_json federated_conformal_json(const FederatedTrainingOptions& options,
                                                const FederatedInterval& interval) {
    return {{"method", "split-conformal on log(actual/predicted) of the calibration patients of every site "
                       "(about 1 in 5, never trained on), from their all-reduced histogram (bins of 0.001)"},
            {"nominal_coverage", options.interval_coverage},
            {"lower_log_ratio", interval.lower_log_ratio},
            {"upper_log_ratio", interval.upper_log_ratio},
            {"calibration_size", interval.calibration_size}};
}

nlohmann::ordered_json activity_values_json(const Cyp2c9ActivityTable& activity) {
    nlohmann::ordered_json values;
    for (const auto& [allele, value] : activity.values())
        values[allele] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
    return values;
}

nlohmann::ordered_json linear_base_json(const std::optional<detail::LinearBase>& linear) {
    if (!linear) return nullptr;
    return {{"ridge_lambda", 1.0},
            {"features_used", detail::linear_base_features()},
            {"intercept", linear->intercept},
            {"fill", linear->fill},
            {"value_coef", linear->value_coef},
            {"missing_coef", linear->missing_coef},
            {"mean_filled", linear->mean_filled},
            {"mean_missing", linear->mean_missing}};
}

// The model file (model_format.hpp); every site writes the same one.
nlohmann::ordered_json federated_model_json(const FederatedTrainingOptions& options, const FederatedModel& trained) {
    const FederatedSettings& settings = trained.settings;
    nlohmann::ordered_json model;
    model["format"] = detail::model_format_name;
    model["format_version"] = detail::model_format_version;
    model["description"] = "Weekly warfarin dose (mg/week); XGBoost trained across " + std::to_string(options.workers) +
                           " site(s) without pooling patient rows (genodose dose train --federated). See "
                           "models/warfarin_dose.md, \"Training across sites\".";
    model["genodose_version"] = genodose::version;
    model["xgboost_version"] = xgboost_version();
    model["training"] = federated_training_json(options, trained);
    model["features"] = settings.names;
    model["feature_set"] = settings.feature_set_name;
    model["target_transform"] = transform_name(settings.transform);
    model["rounds"] = settings.rounds;
    model["hyperparameters"] = federated_hyperparameters_json(options);
    model["conformal"] = federated_conformal_json(options, trained.interval);
    model["cyp2c9_activity_values"] = activity_values_json(trained.activity);
    model["linear_base"] = linear_base_json(trained.linear);
    model["xgboost_model"] = nlohmann::ordered_json::parse(trained.booster.save_json());
    return model;
}

}  // namespace

// This site's patients are read and checked before joining, so a bad file stops here; then the
// sites agree on the settings, fit the linear base from summed statistics, boost together, and
// calibrate one interval from their pooled calibration histogram. Every site writes the same model.
FederatedTrainingSummary train_federated_dose_model(const FederatedTrainingOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    FederatedSettings settings = check_federated_options(options);
    FederatedTrainingSummary summary;
    summary.sites = static_cast<std::size_t>(options.workers);
    summary.rounds = settings.rounds;

    const auto activity = Cyp2c9ActivityTable::load(options.cyp2c9_phenotypes);
    settings.names = feature_set(settings.feature_set_name);
    const SitePatients patients = read_site_patients(options, activity, settings);
    summary.rows_trained = patients.labels.size();
    summary.rows_calibration = patients.calibration_dose.size();
    check_output_folder_exists(options.output);

    SiteCollective collective(options);
    check_same_settings(collective, options, settings, activity);
    detail::DenseMatrix train(patients.x_train.data(), patients.labels.size(), settings.names.size(), settings.names);
    train.set_labels(patients.labels);
    const auto linear = fit_linear_base(collective, settings, patients, train);
    const double base_score = label_mean(collective, patients.labels);
    detail::Booster booster(train, booster_parameters(options, settings, base_score));
    const auto boosting_start = std::chrono::steady_clock::now();
    run_boosting_rounds(booster, train, options, settings.rounds);
    summary.boosting_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - boosting_start).count();

    const auto calibration_predicted =
        predict_doses(booster, linear, settings, patients.x_calibration, patients.calibration_dose.size());
    const FederatedInterval interval =
        calibrate_interval(collective, calibration_predicted, patients.calibration_dose, options.interval_coverage);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.output.empty()) return summary;
    const FederatedModel trained{activity, settings, patients.labels.size(), linear, booster, interval};
    write_file_atomically(options.output, federated_model_json(options, trained).dump(1) + "\n");
    return summary;
}

}  // namespace genodose::dosing
