#include "genodose/dosing/training.hpp"

#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <thread>
#include <tuple>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/sha256.hpp"
#include "genodose/core/version.hpp"
#include "genodose/dosing/evaluation.hpp"
#include "genodose/dosing/features.hpp"
#include "genodose/dosing/local_calibration.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "genodose/dosing/xgboost_info.hpp"
#include "iwpc_equations.hpp"
#include "linear_base.hpp"
#include "model_format.hpp"
#include "text_util.hpp"
#include "xgboost_booster.hpp"

namespace genodose::dosing {

DoseSearchGrid DoseSearchGrid::named(const std::string& name) {
    if (name == "full") return DoseSearchGrid{};
    if (name == "quick") {
        DoseSearchGrid grid;
        grid.feature_sets = {"standard"};
        grid.transforms = {TargetTransform::sqrt};
        grid.max_depths = {2};
        grid.min_child_weights = {10};
        grid.objectives = {"reg:squarederror"};
        grid.linear_base = {true};
        grid.learning_rate = 0.1;
        grid.max_rounds = 100;
        grid.round_step = 25;
        return grid;
    }
    std::ifstream in(name);
    if (!in) throw UsageError("unknown search grid '" + name + "' (expected full, quick, or a JSON grid file)");
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file_message(name, std::string("grid file is not valid JSON: ") + e.what()));
    }
    DoseSearchGrid grid;
    try {
        for (const auto& [key, value] : json.items()) {
            if (key == "feature_sets") grid.feature_sets = value.get<std::vector<std::string>>();
            else if (key == "transforms") {
                grid.transforms.clear();
                for (const auto& t : value) grid.transforms.push_back(parse_transform(t.get<std::string>()));
            } else if (key == "max_depths") grid.max_depths = value.get<std::vector<int>>();
            else if (key == "min_child_weights") grid.min_child_weights = value.get<std::vector<double>>();
            else if (key == "objectives") grid.objectives = value.get<std::vector<std::string>>();
            else if (key == "monotone") grid.monotone = value.get<std::vector<bool>>();
            else if (key == "race_balance") grid.race_balance = value.get<std::vector<double>>();
            else if (key == "linear_base") grid.linear_base = value.get<std::vector<bool>>();
            else if (key == "criterion") grid.criterion = value.get<std::string>();
            else if (key == "learning_rate") grid.learning_rate = value.get<double>();
            else if (key == "max_rounds") grid.max_rounds = value.get<int>();
            else if (key == "round_step") grid.round_step = value.get<int>();
            else if (key == "subsample") grid.subsample = value.get<double>();
            else if (key == "colsample_bytree") grid.colsample_bytree = value.get<double>();
            else if (key == "reg_lambda") grid.reg_lambda = value.get<double>();
            else throw InputError("unknown grid field '" + key + "'");
        }
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file_message(name, std::string("bad grid file: ") + e.what()));
    } catch (const InputError& e) {
        throw InputError(file_message(name, e.what()));
    }
    for (const auto& set : grid.feature_sets) feature_set(set);  // UsageError if unknown
    if (grid.criterion != "mae" && grid.criterion != "race_macro_mae")
        throw InputError(file_message(name, "criterion must be mae or race_macro_mae"));
    for (const auto& objective : grid.objectives) {
        if (objective != "reg:squarederror" && objective != "reg:absoluteerror" && objective != "reg:pseudohubererror")
            throw InputError(file_message(name, "objective '" + objective + "' is not supported"));
    }
    if (grid.feature_sets.empty() || grid.transforms.empty() || grid.max_depths.empty() ||
        grid.min_child_weights.empty() || grid.objectives.empty() || grid.monotone.empty() ||
        grid.race_balance.empty() || grid.linear_base.empty())
        throw InputError(file_message(name, "every list of the grid needs at least one value"));
    return grid;
}

namespace {

struct GridPoint {
    std::string feature_set;
    TargetTransform transform;
    int max_depth;
    double min_child_weight;
    std::string objective;
    bool monotone;
    double race_balance;
    bool linear_base;

    std::string describe() const {
        return feature_set + ", " + transform_name(transform) + ", max_depth " + std::to_string(max_depth) +
               ", min_child_weight " + detail::format_fixed(min_child_weight, 0) + ", " + objective +
               (monotone ? ", monotone" : "") +
               (race_balance > 0 ? ", race balance " + detail::format_fixed(race_balance, 2) : "") +
               (linear_base ? ", linear base" : "");
    }
};

// Training data: every candidate feature encoded once; a grid point picks its columns.
struct TrainingData {
    std::vector<std::string> all_features;
    std::vector<float> values;  // rows x all_features
    std::vector<double> dose;
    std::vector<int> race;
    std::size_t rows = 0;

    std::vector<std::size_t> columns_of(const std::vector<std::string>& names) const {
        std::vector<std::size_t> columns;
        for (const auto& name : names)
            columns.push_back(static_cast<std::size_t>(std::find(all_features.begin(), all_features.end(), name) -
                                                       all_features.begin()));
        return columns;
    }
};

// Deterministic on every platform: mt19937_64 is fully specified; the index draw is ours.
std::size_t uniform_index(std::mt19937_64& rng, std::size_t bound) {
    const std::uint64_t limit =
        std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % bound;
    std::uint64_t draw;
    do {
        draw = rng();
    } while (draw >= limit);
    return static_cast<std::size_t>(draw % bound);
}

// Folds 0..k-1 for `rows` (indices into the data), stratified by `strata`.
std::vector<int> assign_folds(const std::vector<std::size_t>& rows, const std::vector<int>& strata, int k,
                              std::uint64_t seed) {
    std::vector<std::size_t> order(rows.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[uniform_index(rng, i)]);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return strata[rows[a]] < strata[rows[b]]; });
    std::vector<int> fold(rows.size());
    for (std::size_t i = 0; i < order.size(); ++i) fold[order[i]] = static_cast<int>(i % k);
    return fold;
}

// XGBoost's "(c1,c2,...)" for `names`: see DoseSearchGrid::monotone.
std::string monotone_constraints(const std::vector<std::string>& names) {
    static const std::map<std::string, int> directions = {{"age_decade", -1},
                                                          {"height_cm", 1},
                                                          {"weight_kg", 1},
                                                          {"vkorc1_1639_a_alleles", -1},
                                                          {"cyp2c9_star2_alleles", -1},
                                                          {"cyp2c9_star3_alleles", -1},
                                                          {"cyp2c9_activity_score", 1},
                                                          {"amiodarone", -1},
                                                          {"enzyme_inducer", 1}};
    std::string text = "(";
    for (std::size_t i = 0; i < names.size(); ++i) {
        auto it = directions.find(names[i]);
        text += (i ? "," : "") + std::to_string(it == directions.end() ? 0 : it->second);
    }
    return text + ")";
}

// Ridge penalty of the linear base on standardized columns: negligible shrinkage.
constexpr double linear_base_ridge = 1.0;
const std::vector<std::string>& linear_base_features = detail::linear_base_features();

struct FitSettings {
    GridPoint point;
    int rounds;
    std::vector<int> checkpoints;  // rounds at which to predict (ascending, last == rounds)
};

// Trains on `train_rows`, predicts `eval_rows` (doses, mg/week) at every checkpoint.
struct FitOutput {
    std::vector<std::vector<double>> predictions;  // [checkpoint][eval row], mg/week
    std::string model_json;                        // the XGBoost model (if asked for)
    std::optional<detail::LinearBase> linear;      // the linear base (if the point uses one)
};

// Trains on `train_rows`, predicts `eval_rows` (doses, mg/week) at every checkpoint.
FitOutput fit_and_predict(const TrainingData& data, const DoseSearchGrid& grid, const FitSettings& settings,
                          const std::vector<std::size_t>& train_rows, const std::vector<std::size_t>& eval_rows,
                          std::uint64_t seed, bool keep_model = false) {
    const auto names = feature_set(settings.point.feature_set);
    const auto columns = data.columns_of(names);
    auto gather = [&](const std::vector<std::size_t>& rows) {
        std::vector<float> x(rows.size() * columns.size());
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::size_t c = 0; c < columns.size(); ++c)
                x[r * columns.size() + c] = data.values[rows[r] * data.all_features.size() + columns[c]];
        return x;
    };
    const auto x_train = gather(train_rows);
    std::vector<float> labels;
    for (std::size_t row : train_rows)
        labels.push_back(static_cast<float>(transform_dose(settings.point.transform, data.dose[row])));
    detail::DenseMatrix train(x_train.data(), train_rows.size(), columns.size(), names);
    train.set_labels(labels);
    std::vector<float> weights;
    if (settings.point.race_balance > 0) {
        std::map<int, double> counts;
        for (std::size_t row : train_rows) counts[data.race[row]] += 1;
        double largest = 0;
        for (const auto& [race, count] : counts) largest = std::max(largest, count);
        double total = 0;
        for (std::size_t row : train_rows) {
            weights.push_back(
                static_cast<float>(std::pow(largest / counts[data.race[row]], settings.point.race_balance)));
            total += weights.back();
        }
        const double mean = total / static_cast<double>(weights.size());
        for (float& w : weights) w = static_cast<float>(w / mean);
        train.set_weights(weights);
    }
    double base_score = 0;
    for (std::size_t i = 0; i < labels.size(); ++i) base_score += (weights.empty() ? 1.0f : weights[i]) * labels[i];
    base_score /= static_cast<double>(labels.size());

    FitOutput output;
    if (settings.point.linear_base) {
        std::vector<bool> use;
        for (const auto& name : names)
            use.push_back(std::find(linear_base_features.begin(), linear_base_features.end(), name) !=
                          linear_base_features.end());
        output.linear = detail::LinearBase::fit(x_train, train_rows.size(), columns.size(), use, labels, weights,
                                                linear_base_ridge);
        std::vector<float> margin;
        for (std::size_t r = 0; r < train_rows.size(); ++r)
            margin.push_back(static_cast<float>(output.linear->predict(x_train.data() + r * columns.size())));
        train.set_base_margin(margin);
    }
    detail::Booster booster(train,
                            {{"objective", settings.point.objective},
                             {"tree_method", "hist"},
                             {"max_bin", "256"},
                             {"nthread", "1"},
                             {"seed", std::to_string(seed)},
                             {"eta", detail::format_fixed(grid.learning_rate, 4)},
                             {"max_depth", std::to_string(settings.point.max_depth)},
                             {"min_child_weight", detail::format_fixed(settings.point.min_child_weight, 4)},
                             {"subsample", detail::format_fixed(grid.subsample, 4)},
                             {"colsample_bytree", detail::format_fixed(grid.colsample_bytree, 4)},
                             {"lambda", detail::format_fixed(grid.reg_lambda, 4)},
                             {"base_score", detail::format_fixed(settings.point.linear_base ? 0.0 : base_score, 6)}});
    if (settings.point.monotone) booster.set_parameter("monotone_constraints", monotone_constraints(names));
    for (int i = 0; i < settings.rounds; ++i) booster.update(i, train);
    if (keep_model) output.model_json = booster.save_json();

    if (eval_rows.empty()) return output;
    const auto x_eval = gather(eval_rows);
    detail::DenseMatrix eval(x_eval.data(), eval_rows.size(), columns.size(), names);
    if (output.linear) {
        std::vector<float> margin;
        for (std::size_t r = 0; r < eval_rows.size(); ++r)
            margin.push_back(static_cast<float>(output.linear->predict(x_eval.data() + r * columns.size())));
        eval.set_base_margin(margin);
    }
    for (int checkpoint : settings.checkpoints) {
        const auto raw = booster.predict(eval, checkpoint);
        std::vector<double> doses;
        for (float z : raw)
            doses.push_back(std::max(inverse_transform(settings.point.transform, z), detail::minimum_dose));
        output.predictions.push_back(std::move(doses));
    }
    return output;
}

// Runs jobs 0..n-1 on `threads` workers; the first exception is rethrown after all stop.
void run_parallel(std::size_t n, int threads, const std::function<void(std::size_t)>& job, ProgressMeter& progress) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (;;) {
            const std::size_t i = next.fetch_add(1);
            if (i >= n || failed.load()) return;
            try {
                job(i);
                progress.advance(1);
            } catch (...) {
                std::lock_guard<std::mutex> lock(error_mutex);
                if (!error) error = std::current_exception();
                failed.store(true);
            }
        }
    };
    std::vector<std::thread> pool;
    const int count = std::max(1, std::min<int>(threads, static_cast<int>(n)));
    for (int t = 1; t < count; ++t) pool.emplace_back(worker);
    worker();
    for (auto& thread : pool) thread.join();
    if (error) std::rethrow_exception(error);
}

// One model-selection problem: the rows it may use, their inner folds, and what it chose.
struct SearchScope {
    std::vector<std::size_t> rows;  // training rows of this scope
    std::vector<int> inner_fold;    // per entry of `rows`
    std::vector<std::size_t> test;  // outer test rows (empty for the final scope)
    // oof[point][checkpoint] = out-of-fold predictions aligned with `rows` (float: the search
    // holds scopes x points x checkpoints x rows of them)
    std::vector<std::vector<std::vector<float>>> oof;
    std::size_t best_point = 0;
    std::size_t best_checkpoint = 0;
    ConformalInterval interval;
    std::vector<double> test_predictions;
    // (masked copy, prediction) of the copies of the test rows, by the refit
    std::vector<std::pair<std::size_t, double>> masked_test_predictions;
};

// A training patient with some core inputs removed (dose_model.hpp, missing_core_inputs): never
// trained on, predicted out of fold to calibrate and assess the interval of patients with that
// many inputs missing. Its values are row `value_row` of TrainingData::values.
struct MaskedCopy {
    std::size_t row = 0;        // the patient it copies
    std::size_t value_row = 0;  // >= TrainingData::rows
    Patient patient;
};

// Per patient, one copy with 2-3 and one with 4-8 core inputs missing (the count drawn uniformly
// in the group, the inputs removed drawn uniformly among those present), when the patient has
// fewer missing than that. Deterministic for a seed.
std::vector<MaskedCopy> make_masked_copies(const std::vector<const PatientRecord*>& used, std::uint64_t seed) {
    std::vector<MaskedCopy> copies;
    for (std::size_t row = 0; row < used.size(); ++row) {
        const Patient& patient = used[row]->patient;
        std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ULL + row + 1);
        const std::size_t missing = missing_core_inputs(patient).size();
        static const std::vector<std::string> all = {"age",    "height", "weight",     "race",
                                                     "CYP2C9", "VKORC1", "amiodarone", "enzyme inducers"};
        const auto absent = missing_core_inputs(patient);
        std::vector<std::string> present;
        for (const auto& name : all)
            if (std::find(absent.begin(), absent.end(), name) == absent.end()) present.push_back(name);
        for (const auto& [low, count] : {std::pair<std::size_t, std::size_t>{2, 2}, {4, 5}}) {
            const std::size_t target = low + uniform_index(rng, count);
            if (missing >= target) continue;
            std::vector<std::string> order = present;
            for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[uniform_index(rng, i)]);
            order.resize(target - missing);
            copies.push_back({row, 0, without_core_inputs(patient, order)});
        }
    }
    return copies;
}

struct SearchScore {
    double mae = 0;
    double within_20 = 0;
    double race_macro_mae = 0;  // mean of the per-race MAEs: each race group counts the same
};

SearchScore score(const std::vector<float>& predicted_float, const TrainingData& data,
                  const std::vector<std::size_t>& rows) {
    const std::vector<double> predicted(predicted_float.begin(), predicted_float.end());
    std::vector<double> actual;
    std::map<int, std::pair<double, std::size_t>> by_race;  // race -> (sum |error|, n)
    for (std::size_t i = 0; i < rows.size(); ++i) {
        actual.push_back(data.dose[rows[i]]);
        auto& [sum, n] = by_race[data.race[rows[i]]];
        sum += std::fabs(predicted[i] - actual.back());
        ++n;
    }
    const auto m = accuracy(predicted, actual);
    double macro = 0;
    for (const auto& [race, sum_n] : by_race) macro += sum_n.first / static_cast<double>(sum_n.second);
    return {m.mae, m.within_20, macro / static_cast<double>(by_race.size())};
}

double criterion_value(const SearchScore& s, const std::string& criterion) {
    return criterion == "race_macro_mae" ? s.race_macro_mae : s.mae;
}

void check_output_folder(const std::string& output) {
    namespace fs = std::filesystem;
    if (output.empty()) throw UsageError("--output is required");
    fs::path folder = fs::path(output).parent_path();
    if (folder.empty()) folder = ".";
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw OutputError(file_message(output, "output folder '" + folder.string() + "' does not exist"));
    if (access(folder.c_str(), W_OK) != 0)
        throw OutputError(file_message(output, "output folder '" + folder.string() + "' is not writable"));
    if (fs::is_directory(output, ec)) throw OutputError(file_message(output, "is a folder, not a file"));
}


// Leave-one-site-out: outer fold per patient = index of its IWPC "Project Site" among the
// sorted site names (numerically when every name is a number, as in the IWPC data).
std::vector<int> site_folds(const std::vector<const PatientRecord*>& used, const std::string& data_name,
                            std::vector<std::string>& site_names) {
    for (const auto* record : used)
        if (record->site.empty())
            throw InputError(record->source + ": no 'Project Site' (leave-one-site-out needs the site of every patient "
                                              "with a dose)");
    site_names.clear();
    for (const auto* record : used)
        if (std::find(site_names.begin(), site_names.end(), record->site) == site_names.end())
            site_names.push_back(record->site);
    const bool numeric = std::all_of(site_names.begin(), site_names.end(), [](const std::string& name) {
        return !name.empty() && name.size() < 10 && std::all_of(name.begin(), name.end(), ::isdigit);
    });
    std::sort(site_names.begin(), site_names.end(), [numeric](const std::string& a, const std::string& b) {
        return numeric ? std::stoul(a) < std::stoul(b) : a < b;
    });
    if (site_names.size() < 3)
        throw InputError(file_message(
            data_name, std::to_string(site_names.size()) + " project site(s); leave-one-site-out needs at least 3"));
    std::vector<int> fold;
    for (const auto* record : used)
        fold.push_back(
            static_cast<int>(std::find(site_names.begin(), site_names.end(), record->site) - site_names.begin()));
    return fold;
}

double rounded(double value, int digits) {
    const double scale = std::pow(10.0, digits);
    return std::round(value * scale) / scale;
}

nlohmann::ordered_json metrics_json(const AccuracyMetrics& m) {
    return {{"n", m.n},
            {"mae_mg_per_week", rounded(m.mae, 4)},
            {"within_20_percent", rounded(m.within_20 * 100, 2)},
            {"r2", rounded(m.r2, 4)}};
}

// One held-out site (or all of them pooled): the model on every patient, the model and the
// refitted IWPC equation on the patients the equation can dose, the interval's coverage, and
// the local recalibration measured on the half split.
struct SiteScore {
    std::string name;
    AccuracyMetrics model_all, model_compared, refit_compared;
    double coverage = 0;
    // Half split: calibrated on `calibration_n` patients, scored on `scored_n`.
    std::size_t calibration_n = 0, scored_n = 0;
    bool recalibrated = false;  // false: too few patients in the calibration half
    std::size_t inside_before = 0, inside_scaled = 0, inside_shifted = 0;
    double interval_scale = 1, shift_scale = 1, log_dose_shift = 0;
    double scored_mae_before = 0, scored_mae_shifted = 0;
};

SiteScore score_site(const std::string& name, const std::vector<std::size_t>& rows_of_site,
                     const std::vector<EvaluatedDose>& rows, const std::vector<std::optional<double>>& refit,
                     const std::vector<std::size_t>& observed_missing, const ConformalInterval* interval,
                     std::uint64_t split_seed) {
    SiteScore score;
    score.name = name;
    std::vector<double> model, actual, model_c, refit_c, actual_c;
    std::size_t inside = 0;
    for (std::size_t row : rows_of_site) {
        const auto& e = rows[row];
        model.push_back(e.model);
        actual.push_back(e.actual);
        if (e.interval && e.actual >= e.interval->first && e.actual <= e.interval->second) ++inside;
        if (refit[row]) {
            model_c.push_back(e.model);
            refit_c.push_back(*refit[row]);
            actual_c.push_back(e.actual);
        }
    }
    score.model_all = accuracy(model, actual);
    score.model_compared = accuracy(model_c, actual_c);
    score.refit_compared = accuracy(refit_c, actual_c);
    score.coverage = rows_of_site.empty() ? 0 : static_cast<double>(inside) / static_cast<double>(rows_of_site.size());
    if (!interval) return score;  // pooled: filled in by the caller

    std::vector<std::size_t> order = rows_of_site;
    std::mt19937_64 rng(split_seed);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[uniform_index(rng, i)]);
    std::vector<LocalPatient> calibration, scored;
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto& e = rows[order[i]];
        (i < order.size() / 2 ? calibration : scored)
            .push_back({e.model, e.actual, e.race, observed_missing[order[i]]});
    }
    score.calibration_n = calibration.size();
    score.scored_n = scored.size();
    const LocalCalibration none;
    score.inside_before = static_cast<std::size_t>(
        std::lround(local_coverage(*interval, scored, none) * static_cast<double>(scored.size())));
    std::vector<double> scored_model, scored_actual, scored_shifted;
    for (const auto& p : scored) {
        scored_model.push_back(p.predicted_mg_per_week);
        scored_actual.push_back(p.actual_mg_per_week);
    }
    score.scored_mae_before = accuracy(scored_model, scored_actual).mae;
    if (calibration.size() < min_local_patients(interval->nominal_coverage)) return score;
    score.recalibrated = true;
    const auto scaled = fit_local_calibration(*interval, calibration, false);
    const auto shifted = fit_local_calibration(*interval, calibration, true);
    score.interval_scale = scaled.interval_scale;
    score.shift_scale = shifted.interval_scale;
    score.log_dose_shift = shifted.log_dose_shift;
    score.inside_scaled = static_cast<std::size_t>(
        std::lround(local_coverage(*interval, scored, scaled) * static_cast<double>(scored.size())));
    score.inside_shifted = static_cast<std::size_t>(
        std::lround(local_coverage(*interval, scored, shifted) * static_cast<double>(scored.size())));
    for (double m : scored_model) scored_shifted.push_back(m * std::exp(shifted.log_dose_shift));
    score.scored_mae_shifted = accuracy(scored_shifted, scored_actual).mae;
    return score;
}

std::string percent(std::size_t part, std::size_t whole) {
    return whole ? detail::format_fixed(100.0 * static_cast<double>(part) / static_cast<double>(whole), 1) : "NA";
}

// The leave-one-site-out tables (markdown) and JSON.
std::pair<std::string, nlohmann::ordered_json> site_report(const std::vector<SiteScore>& sites,
                                                           const SiteScore& pooled) {
    std::ostringstream md;
    md << "| site | n | coverage | n compared | MAE model | MAE IWPC refit | %±20 model | %±20 IWPC refit | R² model | "
          "R² IWPC refit | model worse (MAE) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
    auto accuracy_row = [&](const SiteScore& s) {
        md << "| " << s.name << " | " << s.model_all.n << " | " << detail::format_fixed(s.coverage * 100, 1) << " | "
           << s.model_compared.n << " | ";
        if (s.model_compared.n == 0) {
            // No patient of the site has age, height and weight: the equation cannot dose anyone.
            md << "NA | NA | NA | NA | NA | NA | model MAE on all: " << detail::format_fixed(s.model_all.mae, 2)
               << " |\n";
            return;
        }
        md << detail::format_fixed(s.model_compared.mae, 2) << " | " << detail::format_fixed(s.refit_compared.mae, 2)
           << " | " << detail::format_fixed(s.model_compared.within_20 * 100, 1) << " | "
           << detail::format_fixed(s.refit_compared.within_20 * 100, 1) << " | "
           << detail::format_fixed(s.model_compared.r2, 3) << " | " << detail::format_fixed(s.refit_compared.r2, 3)
           << " | " << (s.model_compared.mae > s.refit_compared.mae ? "**worse**" : "") << " |\n";
    };
    for (const auto& s : sites) accuracy_row(s);
    accuracy_row(pooled);
    md << "\nLocal recalibration, per held-out site: calibrated on a random half, scored on the other half "
          "(coverage in %; scale = interval_scale; shift = exp(log_dose_shift))\n\n"
          "| site | n calibrate | n scored | coverage before | after (scale) | after (shift + scale) | scale | "
          "shift | MAE before | MAE after shift |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    auto calibration_row = [&](const SiteScore& s, bool is_pooled) {
        md << "| " << s.name << " | " << s.calibration_n << " | " << s.scored_n << " | "
           << percent(s.inside_before, s.scored_n) << " | "
           << (s.recalibrated ? percent(s.inside_scaled, s.scored_n) : "NA") << " | "
           << (s.recalibrated ? percent(s.inside_shifted, s.scored_n) : "NA") << " | "
           << (s.recalibrated && !is_pooled ? detail::format_fixed(s.interval_scale, 3) : "") << " | "
           << (s.recalibrated && !is_pooled ? detail::format_fixed(std::exp(s.log_dose_shift), 3) : "") << " | "
           << detail::format_fixed(s.scored_mae_before, 2) << " | "
           << (s.recalibrated ? detail::format_fixed(s.scored_mae_shifted, 2) : "NA") << " |\n";
    };
    for (const auto& s : sites) calibration_row(s, false);
    calibration_row(pooled, true);

    nlohmann::ordered_json json = nlohmann::ordered_json::array();
    auto site_json = [&](const SiteScore& s) {
        nlohmann::ordered_json j = {{"site", s.name},
                                    {"model_all_patients", metrics_json(s.model_all)},
                                    {"interval_coverage", rounded(s.coverage, 4)},
                                    {"model_compared", metrics_json(s.model_compared)},
                                    {"iwpc_pharmacogenetic_refit_compared", metrics_json(s.refit_compared)}};
        j["half_split_recalibration"] = {{"calibration_patients", s.calibration_n},
                                         {"scored_patients", s.scored_n},
                                         {"recalibrated", s.recalibrated},
                                         {"covered_before", s.inside_before},
                                         {"covered_after_scale", s.inside_scaled},
                                         {"covered_after_shift_and_scale", s.inside_shifted},
                                         {"interval_scale", rounded(s.interval_scale, 4)},
                                         {"shift_interval_scale", rounded(s.shift_scale, 4)},
                                         {"log_dose_shift", rounded(s.log_dose_shift, 4)},
                                         {"scored_mae_before", rounded(s.scored_mae_before, 4)},
                                         {"scored_mae_after_shift", rounded(s.scored_mae_shifted, 4)}};
        return j;
    };
    for (const auto& s : sites) json.push_back(site_json(s));
    nlohmann::ordered_json out = {{"sites", json}, {"pooled", site_json(pooled)}};
    return {md.str(), out};
}

// One training run after its inputs are read: the patients with a dose (the rows of `data`),
// their encoding with the masked copies after them, the grid's points and checkpoints, and the
// outer folds. Not copyable: `used` points into `records`.
struct TrainingRun {
    TrainingRun(const DoseTrainingOptions& training_options, bool leave_one_site_out)
        : options(training_options),
          grid(training_options.grid),
          by_site(leave_one_site_out),
          k(training_options.folds),
          activity(Cyp2c9ActivityTable::load(training_options.cyp2c9_phenotypes)),
          records(read_iwpc_csv(training_options.iwpc_csv)) {
        for (const auto& record : records) {
            if (record.dose_mg_per_week) used.push_back(&record);
        }
    }
    TrainingRun(const TrainingRun&) = delete;
    TrainingRun& operator=(const TrainingRun&) = delete;

    // The outer fold of a row as the outputs name it: its site, or the fold number from 1.
    std::string outer_label(std::size_t row) const {
        return by_site ? site_names[static_cast<std::size_t>(outer_fold[row])] : std::to_string(outer_fold[row] + 1);
    }
    int outer_count() const { return by_site ? static_cast<int>(site_names.size()) : k; }
    std::string describe(const SearchScope& scope) const {
        return points[scope.best_point].describe() + ", " + std::to_string(checkpoints[scope.best_checkpoint]) +
               " rounds";
    }

    const DoseTrainingOptions& options;
    const DoseSearchGrid& grid;
    const bool by_site;  // leave-one-site-out: one outer fold per site
    const int k;         // inner folds (and outer ones unless by site)
    const Cyp2c9ActivityTable activity;
    const std::vector<PatientRecord> records;
    std::vector<const PatientRecord*> used;  // the patients with a dose: row i is used[i]

    TrainingData data;
    std::vector<MaskedCopy> masked_copies;
    std::vector<std::vector<std::size_t>> copies_of;  // per row: its masked copies
    std::vector<std::size_t> observed_missing;        // per row: core inputs missing
    std::vector<GridPoint> points;
    std::vector<int> checkpoints;
    std::vector<int> random_folds;        // per row, stratified by race (the final scope's inner folds)
    std::vector<int> outer_fold;          // per row: random_folds, or the site's index
    std::vector<std::string> site_names;  // by_site: outer fold f is site_names[f]
};

// The model refitted on all rows with the selected point.
struct FinalFit {
    std::string model_json;
    std::optional<detail::LinearBase> linear;
};

// The nested cross-validation: each patient predicted by the procedure that never saw it.
struct Assessment {
    std::vector<EvaluatedDose> rows;                // per row
    std::vector<std::optional<double>> iwpc_refit;  // per row: the IWPC equation refitted without it
    std::string cv_predictions_tsv;                 // when options.cv_predictions is set
    nlohmann::ordered_json cross_validation = nullptr;
    std::string cv_table;
};

// Usage errors and an unwritable output fail before minutes of training. An existing model
// there stays until the new one is complete (written atomically at the end).
void check_training_options(const DoseTrainingOptions& options, bool by_site) {
    if (options.folds < 3 || options.folds > 20) throw UsageError("--folds must be between 3 and 20");
    if (options.grid.round_step < 1 || options.grid.max_rounds < options.grid.round_step)
        throw UsageError("bad search grid: rounds");
    check_output_folder(options.output);
    if (by_site && !options.nested_assessment)
        throw UsageError("leave-one-site-out is an assessment: drop --no-assessment");
    if (!options.cv_predictions.empty()) {
        if (!options.nested_assessment)
            throw UsageError("--cv-predictions needs the nested assessment (drop --no-assessment)");
        check_output_folder(options.cv_predictions);
    }
}

void check_enough_patients(const TrainingRun& run) {
    const std::size_t min_rows = static_cast<std::size_t>(run.k) * run.k * 4;
    if (run.used.size() < min_rows)
        throw InputError(
            file_message(run.options.iwpc_csv, std::to_string(run.used.size()) + " patients with a dose; nested " +
                                                   std::to_string(run.k) + "-fold training needs at least " +
                                                   std::to_string(min_rows)));
    GENODOSE_LOG_INFO("dose train: " << run.used.size() << " patients with a therapeutic dose, "
                                     << run.records.size() - run.used.size() << " without (not used)");
}

// Every candidate feature of the grid encoded once per patient; a grid point picks its columns.
void encode_patients(TrainingRun& run, const FeatureEncoder& encoder) {
    TrainingData& data = run.data;
    data.rows = run.used.size();
    data.values.resize(data.rows * data.all_features.size());
    for (std::size_t i = 0; i < run.used.size(); ++i) {
        encoder.encode(run.used[i]->patient, data.values.data() + i * data.all_features.size());
        data.dose.push_back(*run.used[i]->dose_mg_per_week);
        data.race.push_back(static_cast<int>(run.used[i]->patient.race));
    }
    for (const auto* record : run.used) run.observed_missing.push_back(missing_core_inputs(record->patient).size());
}

std::vector<std::string> candidate_features(const DoseSearchGrid& grid) {
    std::vector<std::string> names;
    for (const auto& set : grid.feature_sets) {
        for (const auto& name : feature_set(set))
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    return names;
}

// The masked copies' values go after the patients' rows of TrainingData (never trained on).
void encode_masked_copies(TrainingRun& run, const FeatureEncoder& encoder) {
    TrainingData& data = run.data;
    run.masked_copies = make_masked_copies(run.used, run.options.seed);
    run.copies_of.assign(data.rows, {});
    const std::size_t width = data.all_features.size();
    data.values.resize((data.rows + run.masked_copies.size()) * width);
    for (std::size_t c = 0; c < run.masked_copies.size(); ++c) {
        MaskedCopy& copy = run.masked_copies[c];
        copy.value_row = data.rows + c;
        encoder.encode(copy.patient, data.values.data() + copy.value_row * width);
        data.dose.push_back(data.dose[copy.row]);
        data.race.push_back(static_cast<int>(copy.patient.race));
        run.copies_of[copy.row].push_back(c);
    }
}

void encode_training_data(TrainingRun& run) {
    run.data.all_features = candidate_features(run.grid);
    const FeatureEncoder encoder(run.data.all_features, run.activity);
    encode_patients(run, encoder);
    encode_masked_copies(run, encoder);
}

std::vector<GridPoint> grid_points(const DoseSearchGrid& grid) {
    std::vector<GridPoint> points;
    for (const auto& set : grid.feature_sets)
        for (auto transform : grid.transforms)
            for (int depth : grid.max_depths)
                for (double mcw : grid.min_child_weights)
                    for (const auto& objective : grid.objectives)
                        for (bool monotone : grid.monotone)
                            for (double balance : grid.race_balance)
                                for (bool linear : grid.linear_base)
                                    points.push_back(
                                        {set, transform, depth, mcw, objective, monotone, balance, linear});
    return points;
}

// Rounds at which the search predicts: every round_step, and max_rounds.
std::vector<int> round_checkpoints(const DoseSearchGrid& grid) {
    std::vector<int> checkpoints;
    for (int r = grid.round_step; r <= grid.max_rounds; r += grid.round_step) checkpoints.push_back(r);
    if (checkpoints.back() != grid.max_rounds) checkpoints.push_back(grid.max_rounds);
    return checkpoints;
}

std::vector<std::size_t> all_rows(const TrainingData& data) {
    std::vector<std::size_t> rows(data.rows);
    std::iota(rows.begin(), rows.end(), 0);
    return rows;
}

// Outer folds: K random ones stratified by race, or one per site (leave-one-site-out).
void assign_outer_folds(TrainingRun& run) {
    run.random_folds = assign_folds(all_rows(run.data), run.data.race, run.k, run.options.seed);
    run.outer_fold = run.by_site ? site_folds(run.used, run.options.iwpc_csv, run.site_names) : run.random_folds;
}

// Scopes: one per outer fold (the nested assessment, if asked for), then the final scope on all
// rows; each with its inner folds and room for the search's out-of-fold predictions.
std::vector<SearchScope> make_scopes(const TrainingRun& run) {
    const auto rows = all_rows(run.data);
    std::vector<SearchScope> scopes;
    if (run.options.nested_assessment) {
        for (int f = 0; f < run.outer_count(); ++f) {
            SearchScope scope;
            for (std::size_t row : rows) (run.outer_fold[row] == f ? scope.test : scope.rows).push_back(row);
            scope.inner_fold = assign_folds(scope.rows, run.data.race, run.k, run.options.seed + 1000003ULL * (f + 1));
            scopes.push_back(std::move(scope));
        }
    }
    SearchScope final_scope;
    final_scope.rows = rows;
    final_scope.inner_fold = run.random_folds;
    scopes.push_back(std::move(final_scope));
    for (auto& scope : scopes)
        scope.oof.assign(run.points.size(), std::vector<std::vector<float>>(
                                                run.checkpoints.size(), std::vector<float>(scope.rows.size(), 0.0f)));
    return scopes;
}

// The search fits, scope x grid point x inner fold, fill each scope's out-of-fold predictions.
void run_search(const TrainingRun& run, std::vector<SearchScope>& scopes) {
    struct SearchJob {
        std::size_t scope, point;
        int fold;
    };
    std::vector<SearchJob> jobs;
    for (std::size_t s = 0; s < scopes.size(); ++s)
        for (std::size_t p = 0; p < run.points.size(); ++p)
            for (int f = 0; f < run.k; ++f) jobs.push_back({s, p, f});
    GENODOSE_LOG_INFO(
        "dose train: " << run.points.size() << " grid points x " << run.k << " folds x " << scopes.size()
                       << (run.options.nested_assessment ? " searches (nested assessment + final)" : " search") << " = "
                       << jobs.size() << " fits of up to " << run.grid.max_rounds << " rounds on "
                       << run.options.threads << " thread(s)");
    ProgressMeter progress("dose train: search", jobs.size(), "fits");
    run_parallel(
        jobs.size(), run.options.threads,
        [&](std::size_t j) {
            const SearchJob& job = jobs[j];
            SearchScope& scope = scopes[job.scope];
            std::vector<std::size_t> train, eval, eval_positions;
            for (std::size_t i = 0; i < scope.rows.size(); ++i) {
                if (scope.inner_fold[i] == job.fold) {
                    eval.push_back(scope.rows[i]);
                    eval_positions.push_back(i);
                } else {
                    train.push_back(scope.rows[i]);
                }
            }
            const auto predictions =
                fit_and_predict(run.data, run.grid, {run.points[job.point], run.grid.max_rounds, run.checkpoints},
                                train, eval, run.options.seed)
                    .predictions;
            // Each job writes its own disjoint cells: no locking needed.
            for (std::size_t c = 0; c < run.checkpoints.size(); ++c)
                for (std::size_t e = 0; e < eval_positions.size(); ++e)
                    scope.oof[job.point][c][eval_positions[e]] = static_cast<float>(predictions[c][e]);
        },
        progress);
    progress.finish();
}

// The (grid point, checkpoint) with the best out-of-fold criterion among `points` (ties: the
// earlier point, the fewer rounds).
std::pair<std::size_t, std::size_t> best_by_criterion(const TrainingRun& run, const SearchScope& scope,
                                                      const std::vector<std::size_t>& points) {
    std::pair<std::size_t, std::size_t> chosen{points.front(), 0};
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t p : points)
        for (std::size_t c = 0; c < run.checkpoints.size(); ++c) {
            const double value = criterion_value(score(scope.oof[p][c], run.data, scope.rows), run.grid.criterion);
            if (value < best - 1e-12) {
                best = value;
                chosen = {p, c};
            }
        }
    return chosen;
}

void select_best_points(const TrainingRun& run, std::vector<SearchScope>& scopes) {
    std::vector<std::size_t> every_point(run.points.size());
    std::iota(every_point.begin(), every_point.end(), 0);
    for (auto& scope : scopes)
        std::tie(scope.best_point, scope.best_checkpoint) = best_by_criterion(run, scope, every_point);
}

// (masked copy, prediction) pairs, per scope and inner fold.
using MaskedPredictions = std::vector<std::vector<std::vector<std::pair<std::size_t, double>>>>;

// Out-of-fold predictions of the masked copies by the selected point's inner-fold models (the
// same fits as in the search: same rows, settings and seed).
MaskedPredictions predict_masked_copies(const TrainingRun& run, const std::vector<SearchScope>& scopes) {
    const int k = run.k;
    MaskedPredictions masked_oof(scopes.size(), std::vector<std::vector<std::pair<std::size_t, double>>>(k));
    ProgressMeter progress("dose train: masked copies", scopes.size() * k, "fits");
    run_parallel(
        scopes.size() * k, run.options.threads,
        [&](std::size_t j) {
            const std::size_t s = j / k;
            const int fold = static_cast<int>(j % k);
            const SearchScope& scope = scopes[s];
            std::vector<std::size_t> train, eval, eval_copies;
            for (std::size_t i = 0; i < scope.rows.size(); ++i) {
                if (scope.inner_fold[i] != fold) {
                    train.push_back(scope.rows[i]);
                    continue;
                }
                for (std::size_t c : run.copies_of[scope.rows[i]]) {
                    eval.push_back(run.masked_copies[c].value_row);
                    eval_copies.push_back(c);
                }
            }
            if (eval.empty()) return;
            const int rounds = run.checkpoints[scope.best_checkpoint];
            const auto predictions =
                fit_and_predict(run.data, run.grid, {run.points[scope.best_point], rounds, {rounds}}, train, eval,
                                run.options.seed)
                    .predictions.front();
            for (std::size_t e = 0; e < eval.size(); ++e)
                masked_oof[s][fold].emplace_back(eval_copies[e], predictions[e]);
        },
        progress);
    progress.finish();
    return masked_oof;
}

// A scope's interval, from the residuals of its rows (the selected point's out-of-fold
// predictions) and of their masked copies.
ConformalInterval calibrate_scope_interval(const TrainingRun& run, const SearchScope& scope,
                                           const std::vector<std::vector<std::pair<std::size_t, double>>>& masked_oof) {
    ConformalResiduals observed, masked_residuals;
    const auto& chosen_oof = scope.oof[scope.best_point][scope.best_checkpoint];
    for (std::size_t i = 0; i < scope.rows.size(); ++i) {
        const std::size_t row = scope.rows[i];
        observed.predicted.push_back(chosen_oof[i]);
        observed.actual.push_back(run.data.dose[row]);
        observed.races.push_back(run.used[row]->patient.race);
        observed.missing_core_inputs.push_back(run.observed_missing[row]);
    }
    for (const auto& fold : masked_oof)
        for (const auto& [c, prediction] : fold) {
            const MaskedCopy& copy = run.masked_copies[c];
            masked_residuals.predicted.push_back(prediction);
            masked_residuals.actual.push_back(run.data.dose[copy.row]);
            masked_residuals.races.push_back(copy.patient.race);
            masked_residuals.missing_core_inputs.push_back(missing_core_inputs(copy.patient).size());
        }
    return calibrate_conformal(observed, masked_residuals, run.options.interval_coverage);
}

void calibrate_intervals(const TrainingRun& run, std::vector<SearchScope>& scopes) {
    const MaskedPredictions masked_oof = predict_masked_copies(run, scopes);
    for (std::size_t s = 0; s < scopes.size(); ++s)
        scopes[s].interval = calibrate_scope_interval(run, scopes[s], masked_oof[s]);
}

// Refits with the selected point: each outer scope on its training rows (predicting its test
// fold and their masked copies), and the final model on all rows.
FinalFit refit_scopes(const TrainingRun& run, std::vector<SearchScope>& scopes) {
    FinalFit final_fit;
    ProgressMeter progress("dose train: refit", scopes.size(), "fits");
    run_parallel(
        scopes.size(), run.options.threads,
        [&](std::size_t s) {
            SearchScope& scope = scopes[s];
            const int rounds = run.checkpoints[scope.best_checkpoint];
            const bool is_final = s + 1 == scopes.size();
            std::vector<std::size_t> eval = scope.test, eval_copies;
            for (std::size_t row : scope.test)
                for (std::size_t c : run.copies_of[row]) {
                    eval.push_back(run.masked_copies[c].value_row);
                    eval_copies.push_back(c);
                }
            auto fit = fit_and_predict(run.data, run.grid, {run.points[scope.best_point], rounds, {rounds}}, scope.rows,
                                       eval, run.options.seed, is_final);
            if (!fit.predictions.empty()) {
                const auto& predictions = fit.predictions.front();
                scope.test_predictions.assign(predictions.begin(), predictions.begin() + scope.test.size());
                for (std::size_t e = 0; e < eval_copies.size(); ++e)
                    scope.masked_test_predictions.emplace_back(eval_copies[e], predictions[scope.test.size() + e]);
            }
            if (is_final) {
                final_fit.model_json = std::move(fit.model_json);
                final_fit.linear = std::move(fit.linear);
            }
        },
        progress);
    progress.finish();
    return final_fit;
}

// Each outer test patient with its outer refit's prediction and interval, beside the published
// IWPC equations and their form refitted on the same outer training rows.
void predict_held_out(const TrainingRun& run, const std::vector<SearchScope>& scopes, Assessment& assessment) {
    assessment.rows.assign(run.data.rows, {});
    // The published IWPC equation was fitted on a cohort that includes these patients; its
    // form refitted on each outer training set is the out-of-sample linear comparison.
    assessment.iwpc_refit.assign(run.data.rows, std::nullopt);
    for (std::size_t s = 0; s + 1 < scopes.size(); ++s) {
        const auto& scope = scopes[s];
        std::vector<const Patient*> train_patients;
        std::vector<double> train_doses;
        for (std::size_t row : scope.rows) {
            train_patients.push_back(&run.used[row]->patient);
            train_doses.push_back(run.data.dose[row]);
        }
        // Too few patients with height and weight: no refit, the column stays NA.
        if (const auto refit = IwpcPharmacogeneticRefit::fit(train_patients, train_doses))
            for (std::size_t row : scope.test) assessment.iwpc_refit[row] = refit->predict(run.used[row]->patient);
        for (std::size_t t = 0; t < scope.test.size(); ++t) {
            const std::size_t row = scope.test[t];
            const Patient& patient = run.used[row]->patient;
            EvaluatedDose& e = assessment.rows[row];
            e.race = patient.race;
            e.actual = run.data.dose[row];
            e.model = scope.test_predictions[t];
            e.iwpc_pharmacogenetic = iwpc_pharmacogenetic_dose(patient);
            e.iwpc_clinical = iwpc_clinical_dose(patient);
            e.interval = scope.interval.apply(e.model, patient.race, run.observed_missing[row]);
        }
    }
}

std::string optional_number(const std::optional<double>& value) {
    return value ? detail::format_fixed(*value, 4) : std::string("NA");
}

// The interval without the missingness groups (bands and race groups only), for the
// before/after comparison of the model card.
std::string band_race_interval(const ConformalInterval& interval, double predicted, Race race) {
    ConformalInterval without = interval;
    without.missingness_groups.clear();
    const auto [low, high] = without.apply(predicted, race);
    return detail::format_fixed(low, 4) + '\t' + detail::format_fixed(high, 4);
}

// --cv-predictions: every patient's held-out prediction, then the masked copies of each outer
// test patient, predicted by the outer refit with the outer scope's interval (the interval's
// coverage when inputs are missing).
std::string cv_predictions_tsv(const TrainingRun& run, const std::vector<SearchScope>& scopes,
                               const Assessment& assessment) {
    std::ostringstream tsv;
    tsv << "id\trace\touter_fold\tactual_dose_mg_per_week\tpredicted_dose_mg_per_week\tinterval_low\t"
           "interval_high\tiwpc_pgx_dose_mg_per_week\tiwpc_clinical_dose_mg_per_week\t"
           "iwpc_pgx_refit_dose_mg_per_week\tmissing_core_inputs\tmasked\tinterval_low_band_race\t"
           "interval_high_band_race\n";
    for (std::size_t row = 0; row < assessment.rows.size(); ++row) {
        const auto& e = assessment.rows[row];
        tsv << run.used[row]->patient.id << '\t' << race_name(e.race) << '\t' << run.outer_label(row) << '\t'
            << detail::format_fixed(e.actual, 4) << '\t' << detail::format_fixed(e.model, 4) << '\t'
            << detail::format_fixed(e.interval->first, 4) << '\t' << detail::format_fixed(e.interval->second, 4) << '\t'
            << optional_number(e.iwpc_pharmacogenetic) << '\t' << optional_number(e.iwpc_clinical) << '\t'
            << optional_number(assessment.iwpc_refit[row]) << '\t' << run.observed_missing[row] << "\t0\t"
            << band_race_interval(scopes[static_cast<std::size_t>(run.outer_fold[row])].interval, e.model, e.race)
            << '\n';
    }
    for (std::size_t s = 0; s + 1 < scopes.size(); ++s)
        for (const auto& [c, prediction] : scopes[s].masked_test_predictions) {
            const MaskedCopy& copy = run.masked_copies[c];
            const std::size_t missing = missing_core_inputs(copy.patient).size();
            const auto interval = scopes[s].interval.apply(prediction, copy.patient.race, missing);
            tsv << run.used[copy.row]->patient.id << "#masked" << missing << '\t' << race_name(copy.patient.race)
                << '\t' << run.outer_label(copy.row) << '\t' << detail::format_fixed(run.data.dose[copy.row], 4) << '\t'
                << detail::format_fixed(prediction, 4) << '\t' << detail::format_fixed(interval.first, 4) << '\t'
                << detail::format_fixed(interval.second, 4) << '\t'
                << optional_number(iwpc_pharmacogenetic_dose(copy.patient)) << '\t'
                << optional_number(iwpc_clinical_dose(copy.patient)) << "\tNA\t" << missing << "\t1\t"
                << band_race_interval(scopes[s].interval, prediction, copy.patient.race) << '\n';
        }
    return tsv.str();
}

// Accuracy of each outer fold's refit on its test patients, with the point it selected.
nlohmann::ordered_json outer_folds_json(const TrainingRun& run, const std::vector<SearchScope>& scopes) {
    nlohmann::ordered_json per_fold = nlohmann::ordered_json::array();
    for (std::size_t s = 0; s + 1 < scopes.size(); ++s) {
        const auto& scope = scopes[s];
        std::vector<double> actual;
        for (std::size_t row : scope.test) actual.push_back(run.data.dose[row]);
        const auto m = accuracy(scope.test_predictions, actual);
        per_fold.push_back({{"fold", s + 1},
                            {"n", m.n},
                            {"selected", run.describe(scope)},
                            {"mae_mg_per_week", std::round(m.mae * 10000) / 10000},
                            {"within_20_percent", std::round(m.within_20 * 10000) / 100}});
    }
    return per_fold;
}

Assessment assess(const TrainingRun& run, const std::vector<SearchScope>& scopes) {
    Assessment assessment;
    predict_held_out(run, scopes, assessment);
    if (!run.options.cv_predictions.empty())
        assessment.cv_predictions_tsv = cv_predictions_tsv(run, scopes, assessment);
    const auto evaluation = evaluate_doses(assessment.rows, run.options.interval_coverage);
    assessment.cv_table = evaluation_table(evaluation);
    assessment.cross_validation = nlohmann::ordered_json::parse(evaluation_json(
        evaluation, "nested " + std::to_string(run.k) + "-fold cross-validation of the whole training procedure on " +
                        std::filesystem::path(run.options.iwpc_csv).filename().string()));
    assessment.cross_validation["outer_folds"] = outer_folds_json(run, scopes);
    return assessment;
}

// All held-out sites pooled: the accuracy on every test patient, and the half-split
// recalibration summed over the sites (a site without a calibration half counts as unchanged).
SiteScore pooled_site_score(const std::vector<SiteScore>& sites, const std::vector<std::size_t>& all_test,
                            const Assessment& assessment, const TrainingRun& run) {
    SiteScore pooled =
        score_site("pooled", all_test, assessment.rows, assessment.iwpc_refit, run.observed_missing, nullptr, 0);
    for (const auto& site : sites) {
        pooled.calibration_n += site.calibration_n;
        pooled.scored_n += site.scored_n;
        pooled.inside_before += site.inside_before;
        pooled.inside_scaled += site.recalibrated ? site.inside_scaled : site.inside_before;
        pooled.inside_shifted += site.recalibrated ? site.inside_shifted : site.inside_before;
        pooled.scored_mae_before += site.scored_mae_before * static_cast<double>(site.scored_n);
        pooled.scored_mae_shifted +=
            (site.recalibrated ? site.scored_mae_shifted : site.scored_mae_before) * static_cast<double>(site.scored_n);
    }
    pooled.scored_mae_before /= static_cast<double>(std::max<std::size_t>(pooled.scored_n, 1));
    pooled.scored_mae_shifted /= static_cast<double>(std::max<std::size_t>(pooled.scored_n, 1));
    pooled.recalibrated = true;
    return pooled;
}

// Leave-one-site-out: the per-site tables (summary.site_table) and the report file.
void write_site_report(const TrainingRun& run, const std::vector<SearchScope>& scopes, const Assessment& assessment,
                       DoseTrainingSummary& summary) {
    const DoseTrainingOptions& options = run.options;
    std::vector<SiteScore> sites;
    std::vector<std::size_t> all_test;
    for (std::size_t s = 0; s + 1 < scopes.size(); ++s) {
        sites.push_back(score_site(run.site_names[s], scopes[s].test, assessment.rows, assessment.iwpc_refit,
                                   run.observed_missing, &scopes[s].interval, options.calibration_split_seed + s));
        all_test.insert(all_test.end(), scopes[s].test.begin(), scopes[s].test.end());
    }
    auto [table, json] = site_report(sites, pooled_site_score(sites, all_test, assessment, run));
    summary.site_table = std::move(table);
    nlohmann::ordered_json report;
    report["description"] = "leave-one-site-out assessment of the whole training procedure on " +
                            std::filesystem::path(options.iwpc_csv).filename().string() +
                            ": each IWPC project site predicted by the procedure run on the other sites (inner " +
                            std::to_string(run.k) +
                            "-fold search), beside the IWPC pharmacogenetic equation refitted on the same "
                            "other sites; compared = patients the equation can dose (age, height, weight)";
    report["data_sha256"] = sha256_file(options.iwpc_csv);
    report["seed"] = options.seed;
    report["grid"] = std::filesystem::path(options.grid_name).filename().string();
    report["nominal_coverage"] = options.interval_coverage;
    report["calibration_split_seed"] = options.calibration_split_seed;
    report["by_site"] = json;
    report["pooled_evaluation"] = assessment.cross_validation;
    if (!assessment.cv_predictions_tsv.empty())
        write_file_atomically(options.cv_predictions, assessment.cv_predictions_tsv);
    write_file_atomically(options.output, report.dump(1) + "\n");
    summary.output = options.output;
}

// The search on all rows, for the record: each grid point at its best checkpoint.
nlohmann::ordered_json search_results_json(const TrainingRun& run, const SearchScope& final_scope) {
    nlohmann::ordered_json results = nlohmann::ordered_json::array();
    for (std::size_t p = 0; p < run.points.size(); ++p) {
        const std::size_t best_c = best_by_criterion(run, final_scope, {p}).second;
        const auto s = score(final_scope.oof[p][best_c], run.data, final_scope.rows);
        const GridPoint& point = run.points[p];
        results.push_back({{"feature_set", point.feature_set},
                           {"target_transform", transform_name(point.transform)},
                           {"max_depth", point.max_depth},
                           {"min_child_weight", point.min_child_weight},
                           {"objective", point.objective},
                           {"monotone", point.monotone},
                           {"race_balance", point.race_balance},
                           {"linear_base", point.linear_base},
                           {"best_rounds", run.checkpoints[best_c]},
                           {"cv_mae_mg_per_week", std::round(s.mae * 10000) / 10000},
                           {"cv_within_20_percent", std::round(s.within_20 * 10000) / 100},
                           {"cv_race_macro_mae_mg_per_week", std::round(s.race_macro_mae * 10000) / 10000}});
    }
    return results;
}

nlohmann::ordered_json training_json(const TrainingRun& run) {
    const DoseTrainingOptions& options = run.options;
    const std::string data_name = std::filesystem::path(options.iwpc_csv).filename().string();
    const std::string phenotype_name = std::filesystem::path(options.cyp2c9_phenotypes).filename().string();
    return {
        {"command", "genodose dose train --iwpc " + data_name + " --cyp2c9-phenotypes " + phenotype_name + " --folds " +
                        std::to_string(run.k) + " --seed " + std::to_string(options.seed) + " --grid " +
                        std::filesystem::path(options.grid_name).filename().string() +
                        (options.nested_assessment ? "" : " --no-assessment") + " --output <model.json>"},
        {"data_name", data_name},
        {"data_sha256", sha256_file(options.iwpc_csv)},
        {"rows_read", run.records.size()},
        {"rows_used", run.used.size()},
        {"rows_dropped_missing_dose", run.records.size() - run.used.size()},
        {"folds", run.k},
        {"seed", options.seed},
        {"cyp2c9_activity_source", {{"name", phenotype_name}, {"sha256", sha256_file(options.cyp2c9_phenotypes)}}},
    };
}

nlohmann::ordered_json feature_descriptions_json(const std::vector<std::string>& names) {
    nlohmann::ordered_json descriptions;
    for (const auto& name : names)
        for (const auto& definition : feature_catalogue())
            if (definition.name == name) descriptions[name] = definition.description;
    return descriptions;
}

nlohmann::ordered_json hyperparameters_json(const TrainingRun& run, const GridPoint& chosen) {
    const DoseSearchGrid& grid = run.grid;
    return {{"objective", chosen.objective},
            {"monotone_constraints", chosen.monotone ? monotone_constraints(feature_set(chosen.feature_set)) : "none"},
            {"race_balance", chosen.race_balance},
            {"tree_method", "hist"},
            {"eta", grid.learning_rate},
            {"max_depth", chosen.max_depth},
            {"min_child_weight", chosen.min_child_weight},
            {"subsample", grid.subsample},
            {"colsample_bytree", grid.colsample_bytree},
            {"lambda", grid.reg_lambda},
            {"seed", run.options.seed}};
}

// One group of the interval (a predicted-dose band, race group or missingness group).
template <typename Group>
nlohmann::ordered_json interval_group_json(const char* key, const std::string& name, const Group& group) {
    return {{key, name},
            {"lower_log_ratio", group.lower_log_ratio},
            {"upper_log_ratio", group.upper_log_ratio},
            {"calibration_size", group.calibration_size},
            {"pooled", group.pooled}};
}

nlohmann::ordered_json conformal_json(const TrainingRun& run, const ConformalInterval& interval) {
    nlohmann::ordered_json conformal = {
        {"method",
         "split-conformal on log(actual/predicted), residuals from the out-of-fold predictions of the "
         "selected grid point (" +
             std::to_string(run.k) +
             "-fold); quantiles per predicted dose band and per race "
             "group (groups with fewer than " +
             std::to_string(min_conformal_group_size) +
             " residuals use the "
             "pooled ones), and per group of missing core inputs (0-1, 2-3, 4-5, 6-7, 8 of age, height, weight, race, "
             "CYP2C9, VKORC1, amiodarone, enzyme inducers) over the observed patients plus out-of-fold predictions "
             "of copies of each patient with 2-3 and with 4-8 of them removed; a patient gets the widest of the "
             "band's, the race group's and the missingness group's interval"},
        {"nominal_coverage", run.options.interval_coverage},
        {"lower_log_ratio", interval.lower_log_ratio},
        {"upper_log_ratio", interval.upper_log_ratio},
        {"calibration_size", interval.calibration_size},
    };
    nlohmann::ordered_json bands = nlohmann::ordered_json::array();
    for (std::size_t b = 0; b < interval.bands.size(); ++b)
        bands.push_back(interval_group_json("predicted_mg_per_week", predicted_dose_band_name(b), interval.bands[b]));
    conformal["predicted_dose_bands"] = bands;
    nlohmann::ordered_json race_groups = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < interval.race_groups.size(); ++r)
        race_groups.push_back(interval_group_json("race", race_name(static_cast<Race>(r)), interval.race_groups[r]));
    conformal["race_groups"] = race_groups;
    nlohmann::ordered_json missingness_groups = nlohmann::ordered_json::array();
    for (std::size_t g = 0; g < interval.missingness_groups.size(); ++g)
        missingness_groups.push_back(
            interval_group_json("missing_core_inputs", missingness_group_name(g), interval.missingness_groups[g]));
    conformal["missingness_groups"] = missingness_groups;
    return conformal;
}

// The training cohort's range of each numeric input, for flagging extrapolation
// (DosePrediction::extrapolations). Age is the IWPC decade (1 = 10-19 ... 9 = 90+).
nlohmann::ordered_json covariate_ranges_json(const std::vector<const PatientRecord*>& used) {
    nlohmann::ordered_json ranges;
    auto add_range = [&](const char* name, auto value_of) {
        std::optional<double> low, high;
        std::size_t n = 0;
        for (const auto* record : used) {
            const std::optional<double> v = value_of(record->patient);
            if (!v) continue;
            ++n;
            low = low ? std::min(*low, *v) : *v;
            high = high ? std::max(*high, *v) : *v;
        }
        if (n) ranges[name] = {{"min", *low}, {"max", *high}, {"patients", n}};
    };
    add_range("age_decade",
              [](const Patient& p) { return p.age_decade ? std::optional<double>(*p.age_decade) : std::nullopt; });
    add_range("height_cm", [](const Patient& p) { return p.height_cm; });
    add_range("weight_kg", [](const Patient& p) { return p.weight_kg; });
    add_range("target_inr", [](const Patient& p) { return p.target_inr; });
    return ranges;
}

nlohmann::ordered_json activity_values_json(const Cyp2c9ActivityTable& activity) {
    nlohmann::ordered_json values;
    for (const auto& [allele, value] : activity.values())
        values[allele] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
    return values;
}

nlohmann::ordered_json grid_json(const DoseSearchGrid& grid) {
    nlohmann::ordered_json json = {
        {"feature_sets", grid.feature_sets},
        {"target_transforms", nlohmann::ordered_json::array()},
        {"max_depth", grid.max_depths},
        {"min_child_weight", grid.min_child_weights},
        {"objectives", grid.objectives},
        {"monotone", grid.monotone},
        {"race_balance", grid.race_balance},
        {"linear_base", grid.linear_base},
        {"eta", grid.learning_rate},
        {"rounds", {{"step", grid.round_step}, {"max", grid.max_rounds}}},
        {"subsample", grid.subsample},
        {"colsample_bytree", grid.colsample_bytree},
        {"lambda", grid.reg_lambda},
        {"criterion", grid.criterion == "race_macro_mae"
                          ? "out-of-fold MAE averaged over race groups (each group weighs the same)"
                          : "out-of-fold MAE (mg/week)"}};
    for (auto transform : grid.transforms) json["target_transforms"].push_back(transform_name(transform));
    return json;
}

nlohmann::ordered_json linear_base_json(const std::optional<detail::LinearBase>& linear) {
    if (!linear) return nullptr;
    return {{"description", "ridge regression on the features (missing: training mean plus a missing indicator), "
                            "the XGBoost base_margin; prediction = linear + trees, on the target_transform scale"},
            {"ridge_lambda", linear_base_ridge},
            {"features_used", linear_base_features},
            {"intercept", linear->intercept},
            {"fill", linear->fill},
            {"value_coef", linear->value_coef},
            {"missing_coef", linear->missing_coef},
            {"mean_filled", linear->mean_filled},
            {"mean_missing", linear->mean_missing}};
}

// The model file (model_format.hpp): the final scope's selected point, refit and interval, with
// how it was trained and, if run, the nested cross-validation.
nlohmann::ordered_json model_json(const TrainingRun& run, const std::vector<SearchScope>& scopes,
                                  const FinalFit& final_fit, const Assessment& assessment,
                                  const std::string& selected) {
    const SearchScope& final_scope = scopes.back();
    const GridPoint& chosen = run.points[final_scope.best_point];
    nlohmann::ordered_json model;
    model["format"] = detail::model_format_name;
    model["format_version"] = detail::model_format_version;
    model["description"] =
        "Weekly warfarin dose (mg/week) from clinical covariates and CYP2C9/VKORC1 genotypes; XGBoost trained on "
        "the IWPC cohort. See models/warfarin_dose.md.";
    model["genodose_version"] = genodose::version;
    model["xgboost_version"] = xgboost_version();
    model["training"] = training_json(run);
    model["features"] = feature_set(chosen.feature_set);
    model["feature_descriptions"] = feature_descriptions_json(feature_set(chosen.feature_set));
    model["feature_set"] = chosen.feature_set;
    model["target_transform"] = transform_name(chosen.transform);
    model["rounds"] = run.checkpoints[final_scope.best_checkpoint];
    model["hyperparameters"] = hyperparameters_json(run, chosen);
    model["conformal"] = conformal_json(run, final_scope.interval);
    model["covariate_ranges"] = covariate_ranges_json(run.used);
    model["cyp2c9_activity_values"] = activity_values_json(run.activity);
    model["search"] = {
        {"grid", grid_json(run.grid)}, {"selected", selected}, {"results", search_results_json(run, final_scope)}};
    model["linear_base"] = linear_base_json(final_fit.linear);
    model["cross_validation"] = assessment.cross_validation;
    model["xgboost_model"] = nlohmann::ordered_json::parse(final_fit.model_json);
    return model;
}

void write_model(const TrainingRun& run, const std::vector<SearchScope>& scopes, const FinalFit& final_fit,
                 const Assessment& assessment, DoseTrainingSummary& summary) {
    const std::string text = model_json(run, scopes, final_fit, assessment, summary.selected).dump(1) + "\n";
    if (!assessment.cv_predictions_tsv.empty())
        write_file_atomically(run.options.cv_predictions, assessment.cv_predictions_tsv);
    write_file_atomically(run.options.output, text, OutputPermissions::shared);  // a model of the public IWPC cohort
    summary.output = run.options.output;
    summary.model_sha256 = sha256_hex(text);
}

// Model selection by nested cross-validation (include/genodose/dosing/training.hpp): search,
// select, calibrate the interval, refit; then assess and write the model, or the site report.
DoseTrainingSummary run_training(const DoseTrainingOptions& options, bool by_site) {
    const auto start = std::chrono::steady_clock::now();
    check_training_options(options, by_site);
    TrainingRun run(options, by_site);
    DoseTrainingSummary summary;
    summary.rows_used = run.used.size();
    summary.rows_without_dose = run.records.size() - run.used.size();
    check_enough_patients(run);

    encode_training_data(run);
    run.points = grid_points(run.grid);
    run.checkpoints = round_checkpoints(run.grid);
    assign_outer_folds(run);
    std::vector<SearchScope> scopes = make_scopes(run);
    run_search(run, scopes);
    select_best_points(run, scopes);
    calibrate_intervals(run, scopes);
    const FinalFit final_fit = refit_scopes(run, scopes);
    summary.selected = run.describe(scopes.back());
    GENODOSE_LOG_INFO("dose train: selected " << summary.selected);

    Assessment assessment;
    if (options.nested_assessment) {
        assessment = assess(run, scopes);
        summary.cv_table = assessment.cv_table;
    }
    if (by_site) write_site_report(run, scopes, assessment, summary);
    else write_model(run, scopes, final_fit, assessment, summary);
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace

DoseTrainingSummary train_dose_model(const DoseTrainingOptions& options) { return run_training(options, false); }

DoseTrainingSummary cross_validate_by_site(const DoseTrainingOptions& options) { return run_training(options, true); }

}  // namespace genodose::dosing
