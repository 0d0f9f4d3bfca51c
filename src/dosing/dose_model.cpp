#include "genodose/dosing/dose_model.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/core/resources.hpp"
#include "genodose/core/sha256.hpp"
#include "genodose/dosing/features.hpp"
#include "iwpc_equations.hpp"
#include "linear_base.hpp"
#include "model_format.hpp"
#include "text_util.hpp"
#include "xgboost_booster.hpp"

namespace genodose::dosing {

// ---- transforms and conformal intervals -----------------------------------------------------

std::string transform_name(TargetTransform transform) {
    switch (transform) {
        case TargetTransform::identity: return "identity";
        case TargetTransform::sqrt: return "sqrt";
        case TargetTransform::log: return "log";
    }
    return "identity";
}

TargetTransform parse_transform(const std::string& name) {
    if (name == "identity") return TargetTransform::identity;
    if (name == "sqrt") return TargetTransform::sqrt;
    if (name == "log") return TargetTransform::log;
    throw UsageError("unknown target transform '" + name + "' (expected identity, sqrt or log)");
}

double transform_dose(TargetTransform transform, double dose) {
    switch (transform) {
        case TargetTransform::identity: return dose;
        case TargetTransform::sqrt: return std::sqrt(dose);
        case TargetTransform::log: return std::log(dose);
    }
    return dose;
}

double inverse_transform(TargetTransform transform, double value) {
    switch (transform) {
        case TargetTransform::identity: return value;
        case TargetTransform::sqrt: return value > 0 ? value * value : 0.0;
        case TargetTransform::log: return std::exp(value);
    }
    return value;
}

std::size_t predicted_dose_band(double predicted_mg_per_week) {
    if (predicted_mg_per_week <= 21) return 0;
    if (predicted_mg_per_week < 49) return 1;
    return 2;
}

std::string predicted_dose_band_name(std::size_t band) {
    static const char* const names[predicted_dose_band_count] = {"<= 21", "21-49", ">= 49"};
    if (band >= predicted_dose_band_count) throw InternalError("predicted dose band out of range");
    return names[band];
}

std::vector<std::string> missing_core_inputs(const Patient& p) {
    std::vector<std::string> missing;
    if (!p.age_decade) missing.push_back("age");
    if (!p.height_cm) missing.push_back("height");
    if (!p.weight_kg) missing.push_back("weight");
    if (p.race == Race::unknown) missing.push_back("race");
    if (!p.cyp2c9.known()) missing.push_back("CYP2C9");
    if (!p.vkorc1.a_alleles) missing.push_back("VKORC1");
    if (!p.amiodarone) missing.push_back("amiodarone");
    if (!p.enzyme_inducer()) missing.push_back("enzyme inducers");
    return missing;
}

std::size_t missingness_group(std::size_t missing) {
    if (missing <= 1) return 0;
    if (missing <= 3) return 1;
    if (missing <= 5) return 2;
    if (missing <= 7) return 3;
    return 4;
}

std::string missingness_group_name(std::size_t group) {
    static const char* const names[missingness_group_count] = {"0-1", "2-3", "4-5", "6-7", "8"};
    if (group >= missingness_group_count) throw InternalError("missingness group out of range");
    return names[group];
}

Patient without_core_inputs(Patient p, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        if (name == "age") {
            p.age_decade.reset();
            p.age_years.reset();
        } else if (name == "height") {
            p.height_cm.reset();
        } else if (name == "weight") {
            p.weight_kg.reset();
        } else if (name == "race") {
            p.race = Race::unknown;
        } else if (name == "CYP2C9") {
            p.cyp2c9 = Cyp2c9Genotype{};
        } else if (name == "VKORC1") {
            // Not genotyped: none of the VKORC1 SNPs, so nothing to impute -1639 from either.
            p.vkorc1 = Vkorc1Genotype{};
            p.vkorc1_3730_a_alleles.reset();
            p.vkorc1_2255_t_alleles.reset();
            p.vkorc1_1173_t_alleles.reset();
            p.vkorc1_1542_c_alleles.reset();
            p.vkorc1_497_g_alleles.reset();
            p.vkorc1_4451_a_alleles.reset();
        } else if (name == "amiodarone") {
            p.amiodarone.reset();
        } else if (name == "enzyme inducers") {
            p.carbamazepine.reset();
            p.phenytoin.reset();
            p.rifampin.reset();
        } else {
            throw InternalError("without_core_inputs: unknown input '" + name + "'");
        }
    }
    return p;
}

std::pair<double, double> ConformalInterval::apply(double predicted, Race race, std::size_t missing_core) const {
    double lower = lower_log_ratio, upper = upper_log_ratio;
    const ConformalGroup* groups[3] = {
        bands.empty() ? nullptr : &bands.at(predicted_dose_band(predicted)),
        race_groups.empty() ? nullptr : &race_groups.at(static_cast<std::size_t>(race)),
        missingness_groups.empty() ? nullptr : &missingness_groups.at(missingness_group(missing_core))};
    if (groups[0] || groups[1] || groups[2]) {
        lower = std::numeric_limits<double>::infinity();
        upper = -std::numeric_limits<double>::infinity();
        for (const ConformalGroup* group : groups) {
            if (!group) continue;
            lower = std::min(lower, group->lower_log_ratio);
            upper = std::max(upper, group->upper_log_ratio);
        }
    }
    return {predicted * std::exp(local_scale * lower), predicted * std::exp(local_scale * upper)};
}

namespace {

// The split-conformal ranks over sorted residuals; std::nullopt if there are too few.
std::optional<std::pair<double, double>> conformal_quantiles(std::vector<double>& residuals, double nominal_coverage) {
    std::sort(residuals.begin(), residuals.end());
    const std::size_t n = residuals.size();
    const double alpha = 1.0 - nominal_coverage;
    // The epsilon keeps 1 - 0.8 = 0.19999999999999996 from moving an exact rank.
    const auto k_low = static_cast<std::size_t>(std::floor(static_cast<double>(n + 1) * alpha / 2.0 + 1e-9));
    const auto k_high = static_cast<std::size_t>(std::ceil(static_cast<double>(n + 1) * (1.0 - alpha / 2.0) - 1e-9));
    if (k_low < 1 || k_high > n) return std::nullopt;
    return std::make_pair(residuals[k_low - 1], residuals[k_high - 1]);
}

}  // namespace

ConformalInterval calibrate_conformal(const std::vector<double>& predicted, const std::vector<double>& actual,
                                      const std::vector<Race>& races, double nominal_coverage) {
    if (predicted.size() != actual.size() || races.size() != actual.size())
        throw InternalError("conformal calibration: size mismatch");
    if (!(nominal_coverage > 0 && nominal_coverage < 1)) throw UsageError("interval coverage must be between 0 and 1");
    std::vector<double> residuals;
    std::vector<std::vector<double>> band_residuals(predicted_dose_band_count);
    std::vector<std::vector<double>> race_residuals(race_group_count);
    residuals.reserve(actual.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        const double prediction = std::max(predicted[i], detail::minimum_dose);
        const double residual = std::log(actual[i] / prediction);
        residuals.push_back(residual);
        band_residuals[predicted_dose_band(prediction)].push_back(residual);
        race_residuals.at(static_cast<std::size_t>(races[i])).push_back(residual);
    }
    const std::size_t n = residuals.size();
    const auto pooled = conformal_quantiles(residuals, nominal_coverage);
    if (!pooled)
        throw InternalError("conformal calibration needs more residuals (" + std::to_string(n) + " for coverage " +
                            detail::format_fixed(nominal_coverage, 2) + ")");
    auto calibrate_group = [&](std::vector<double>& in_group) {
        ConformalGroup group;
        group.calibration_size = in_group.size();
        const auto own = in_group.size() >= min_conformal_group_size ? conformal_quantiles(in_group, nominal_coverage)
                                                                     : std::nullopt;
        group.pooled = !own;
        std::tie(group.lower_log_ratio, group.upper_log_ratio) = own ? *own : *pooled;
        return group;
    };
    ConformalInterval interval;
    interval.nominal_coverage = nominal_coverage;
    std::tie(interval.lower_log_ratio, interval.upper_log_ratio) = *pooled;
    interval.calibration_size = n;
    for (auto& in_band : band_residuals) interval.bands.push_back(calibrate_group(in_band));
    for (auto& in_race : race_residuals) interval.race_groups.push_back(calibrate_group(in_race));
    return interval;
}

ConformalInterval calibrate_conformal(const ConformalResiduals& observed, const ConformalResiduals& masked,
                                      double nominal_coverage) {
    ConformalInterval interval =
        calibrate_conformal(observed.predicted, observed.actual, observed.races, nominal_coverage);
    std::vector<std::vector<double>> group_residuals(missingness_group_count);
    for (const ConformalResiduals* set : {&observed, &masked}) {
        if (set->missing_core_inputs.size() != set->actual.size() || set->predicted.size() != set->actual.size())
            throw InternalError("conformal calibration: size mismatch");
        for (std::size_t i = 0; i < set->actual.size(); ++i) {
            const double prediction = std::max(set->predicted[i], detail::minimum_dose);
            group_residuals[missingness_group(set->missing_core_inputs[i])].push_back(
                std::log(set->actual[i] / prediction));
        }
    }
    for (auto& in_group : group_residuals) {
        ConformalGroup group;
        group.calibration_size = in_group.size();
        const auto own = in_group.size() >= min_conformal_group_size ? conformal_quantiles(in_group, nominal_coverage)
                                                                     : std::nullopt;
        group.pooled = !own;
        if (own) {
            std::tie(group.lower_log_ratio, group.upper_log_ratio) = *own;
        } else {
            group.lower_log_ratio = interval.lower_log_ratio;
            group.upper_log_ratio = interval.upper_log_ratio;
        }
        interval.missingness_groups.push_back(group);
    }
    return interval;
}

// ---- the model ------------------------------------------------------------------------------

struct DoseModel::Impl {
    DoseModelInfo info;
    Cyp2c9ActivityTable activity;
    std::unique_ptr<FeatureEncoder> encoder;
    std::unique_ptr<detail::Booster> booster;
    std::optional<detail::LinearBase> linear;
    std::string metadata;

    // The matrix of `values` (rows x features), with the linear base as base_margin if any.
    std::unique_ptr<detail::DenseMatrix> matrix(const std::vector<float>& values, std::size_t rows) const {
        auto m = std::make_unique<detail::DenseMatrix>(values.data(), rows, encoder->size(), info.features);
        if (linear) {
            std::vector<float> margin;
            for (std::size_t r = 0; r < rows; ++r)
                margin.push_back(static_cast<float>(linear->predict(values.data() + r * encoder->size())));
            m->set_base_margin(margin);
        }
        return m;
    }

    std::vector<float> encode(const std::vector<Patient>& patients) const {
        std::vector<float> values(patients.size() * encoder->size());
        for (std::size_t i = 0; i < patients.size(); ++i)
            encoder->encode(patients[i], values.data() + i * encoder->size());
        return values;
    }
};

DoseModel::DoseModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DoseModel::DoseModel(DoseModel&&) noexcept = default;
DoseModel& DoseModel::operator=(DoseModel&&) noexcept = default;
DoseModel::~DoseModel() = default;

const DoseModelInfo& DoseModel::info() const { return impl_->info; }
const Cyp2c9ActivityTable& DoseModel::activity_table() const { return impl_->activity; }
std::string DoseModel::metadata_json() const { return impl_->metadata; }

DoseModel DoseModel::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, "dose model not found or not readable"));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(file_message(path, "read error"));
    DoseModel model = from_text(text.str(), path);
    model.impl_->info.path = path;
    return model;
}

DoseModel DoseModel::from_text(const std::string& text, const std::string& source) {
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(file_message(source, std::string("dose model is not valid JSON: ") + e.what()));
    }
    auto impl = std::make_unique<Impl>();
    try {
        if (!json.is_object() || json.value("format", "") != detail::model_format_name)
            throw InputError("not a genodose warfarin dose model (\"format\" is not \"" +
                             std::string(detail::model_format_name) + "\")");
        if (json.at("format_version").get<int>() != detail::model_format_version)
            throw InputError("dose model format_version " + json.at("format_version").dump() +
                             " is not supported by this genodose (expects " +
                             std::to_string(detail::model_format_version) + ")");
        DoseModelInfo& info = impl->info;
        info.path = source;
        info.sha256 = sha256_hex(text);
        info.genodose_version = json.at("genodose_version").get<std::string>();
        info.xgboost_version = json.at("xgboost_version").get<std::string>();
        info.features = json.at("features").get<std::vector<std::string>>();
        info.transform = parse_transform(json.at("target_transform").get<std::string>());
        info.rounds = json.at("rounds").get<int>();
        for (const auto& [key, value] : json.at("hyperparameters").items())
            info.hyperparameters[key] = value.is_string() ? value.get<std::string>() : value.dump();
        const auto& conformal = json.at("conformal");
        info.conformal.nominal_coverage = conformal.at("nominal_coverage").get<double>();
        info.conformal.lower_log_ratio = conformal.at("lower_log_ratio").get<double>();
        info.conformal.upper_log_ratio = conformal.at("upper_log_ratio").get<double>();
        info.conformal.calibration_size = conformal.at("calibration_size").get<std::size_t>();
        auto read_groups = [&](const char* key, std::size_t count, std::vector<ConformalGroup>& groups) {
            if (!conformal.contains(key)) return;  // models made before these groups
            const auto& array = conformal.at(key);
            if (!array.is_array() || array.size() != count)
                throw InputError("conformal." + std::string(key) + " needs " + std::to_string(count) + " groups");
            for (const auto& group : array) {
                // race groups name their race: a reordered enum must not silently swap them
                if (group.contains("race") &&
                    group.at("race").get<std::string>() != race_name(static_cast<Race>(groups.size())))
                    throw InputError("conformal." + std::string(key) + " out of order at '" +
                                     group.at("race").get<std::string>() + "'");
                groups.push_back({group.at("lower_log_ratio").get<double>(), group.at("upper_log_ratio").get<double>(),
                                  group.at("calibration_size").get<std::size_t>(), group.at("pooled").get<bool>()});
            }
        };
        read_groups("predicted_dose_bands", predicted_dose_band_count, info.conformal.bands);
        read_groups("race_groups", race_group_count, info.conformal.race_groups);
        read_groups("missingness_groups", missingness_group_count, info.conformal.missingness_groups);
        if (json.contains("covariate_ranges"))
            for (const auto& [input, range] : json.at("covariate_ranges").items())
                info.covariate_ranges.push_back({input, range.at("min").get<double>(), range.at("max").get<double>(),
                                                 range.at("patients").get<std::size_t>()});
        if (json.contains("local_calibration")) {
            const auto& local = json.at("local_calibration");
            info.conformal.local_scale = local.at("interval_scale").get<double>();
            info.local_log_dose_shift = local.at("log_dose_shift").get<double>();
            info.local_calibration_patients = local.at("patients").get<std::size_t>();
            if (!(info.conformal.local_scale > 0) || info.local_calibration_patients == 0)
                throw InputError("local_calibration needs interval_scale > 0 and patients > 0");
        }
        const auto& training = json.at("training");
        info.training_data_sha256 = training.at("data_sha256").get<std::string>();
        info.training_data_name = training.at("data_name").get<std::string>();
        info.training_rows = training.at("rows_used").get<std::size_t>();

        std::map<std::string, std::optional<double>> activity;
        for (const auto& [allele, value] : json.at("cyp2c9_activity_values").items())
            activity[allele] = value.is_null() ? std::nullopt : std::optional<double>(value.get<double>());
        impl->activity = Cyp2c9ActivityTable(activity);
        impl->encoder = std::make_unique<FeatureEncoder>(info.features, impl->activity);
        if (json.contains("linear_base") && !json.at("linear_base").is_null()) {
            const auto& l = json.at("linear_base");
            detail::LinearBase linear;
            linear.intercept = l.at("intercept").get<double>();
            linear.fill = l.at("fill").get<std::vector<double>>();
            linear.value_coef = l.at("value_coef").get<std::vector<double>>();
            linear.missing_coef = l.at("missing_coef").get<std::vector<double>>();
            linear.mean_filled = l.at("mean_filled").get<std::vector<double>>();
            linear.mean_missing = l.at("mean_missing").get<std::vector<double>>();
            const std::size_t n = info.features.size();
            if (linear.fill.size() != n || linear.value_coef.size() != n || linear.missing_coef.size() != n ||
                linear.mean_filled.size() != n || linear.mean_missing.size() != n)
                throw InputError("linear_base does not have one coefficient per feature");
            impl->linear = std::move(linear);
        }
        impl->booster = std::make_unique<detail::Booster>(json.at("xgboost_model").dump(), source);
        if (impl->booster->feature_count() != info.features.size())
            throw InputError("the XGBoost model has " + std::to_string(impl->booster->feature_count()) +
                             " features, the metadata lists " + std::to_string(info.features.size()));
        nlohmann::json metadata = json;
        metadata.erase("xgboost_model");
        impl->metadata = metadata.dump(2);
    } catch (const nlohmann::json::exception& e) {
        throw InputError(file_message(source, std::string("dose model is damaged or incomplete: ") + e.what()));
    } catch (const InputError& e) {
        const std::string message = e.what();
        if (message.rfind(source + ": ", 0) == 0) throw;
        throw InputError(file_message(source, message));
    }
    return DoseModel(std::move(impl));
}

namespace {

// Model feature -> the input a user would supply, for the "missing inputs" list; empty for
// features that are optional extras (the other VKORC1 SNPs) or repeat another (CYP2C9 *3
// count and activity score come with the *2 count).
std::string input_label(const std::string& feature) {
    if (feature == "cyp2c9_star2_alleles") return "CYP2C9";
    if (feature == "vkorc1_1639_a_alleles") return "VKORC1";
    if (feature.rfind("cyp2c9_", 0) == 0 || feature.rfind("vkorc1_", 0) == 0) return {};
    if (feature.rfind("indication_", 0) == 0) return "indication";
    if (feature == "age_decade") return "age";
    if (feature == "height_cm") return "height";
    if (feature == "weight_kg") return "weight";
    if (feature == "sex_male") return "sex";
    if (feature == "target_inr") return "target INR";
    if (feature == "enzyme_inducer") return "enzyme inducers";
    return feature;
}

std::string range_text(double low, double high, int decimals, const char* unit) {
    return detail::format_fixed(low, decimals) + "-" + detail::format_fixed(high, decimals) + unit;
}

}  // namespace

std::vector<std::string> extrapolations(const Patient& patient, const std::vector<CovariateRange>& ranges) {
    std::vector<std::string> out;
    for (const auto& range : ranges) {
        auto check = [&](const std::optional<double>& value, const char* name, int decimals, const char* unit) {
            if (!value || (*value >= range.min && *value <= range.max)) return;
            out.push_back(std::string(name) + " " + detail::format_fixed(*value, decimals) + unit + " is " +
                          (*value < range.min ? "below" : "above") + " the range of the IWPC training cohort (" +
                          range_text(range.min, range.max, decimals, unit) + ", " + std::to_string(range.patients) +
                          " patients): the dose is an extrapolation");
        };
        if (range.input == "height_cm") check(patient.height_cm, "height", 1, " cm");
        if (range.input == "weight_kg") check(patient.weight_kg, "weight", 1, " kg");
        if (range.input == "target_inr") check(patient.target_inr, "target INR", 2, "");
        if (range.input == "age_decade" && patient.age_years) {
            // Decade d covers 10d .. 10d+9 years; the IWPC's top band "90+" is read as 90-99.
            const double low = 10 * range.min, high = 10 * range.max + 10;
            if (*patient.age_years < low || *patient.age_years >= high)
                out.push_back("age " + detail::format_fixed(*patient.age_years, 0) + " years is " +
                              (*patient.age_years < low ? "below" : "above") +
                              " the age bands of the IWPC training cohort (" + detail::format_fixed(low, 0) + "-" +
                              detail::format_fixed(low + 9, 0) + " to " + detail::format_fixed(high - 10, 0) +
                              "+ years, read as up to " + detail::format_fixed(high - 1, 0) + "; " +
                              std::to_string(range.patients) + " patients): the dose is an extrapolation");
        }
    }
    return out;
}

std::vector<double> DoseModel::predict_doses(const std::vector<Patient>& patients) const {
    if (patients.empty()) return {};
    const auto values = impl_->encode(patients);
    const auto matrix = impl_->matrix(values, patients.size());
    const auto raw = impl_->booster->predict(*matrix);
    std::vector<double> doses;
    const double shift = std::exp(impl_->info.local_log_dose_shift);
    for (float z : raw)
        doses.push_back(std::max(inverse_transform(impl_->info.transform, z), detail::minimum_dose) * shift);
    return doses;
}

std::vector<DosePrediction> DoseModel::predict(const std::vector<Patient>& patients) const {
    if (patients.empty()) return {};
    const std::size_t width = impl_->encoder->size();
    const auto values = impl_->encode(patients);
    const auto matrix = impl_->matrix(values, patients.size());
    const auto raw = impl_->booster->predict(*matrix);
    const auto contributions = impl_->booster->contributions(*matrix);
    std::vector<double> linear_contributions(width, 0.0);
    const TargetTransform transform = impl_->info.transform;

    std::vector<DosePrediction> predictions;
    predictions.reserve(patients.size());
    for (std::size_t i = 0; i < patients.size(); ++i) {
        const Patient& patient = patients[i];
        DosePrediction p;
        p.patient_id = patient.id;
        const double z = raw[i];
        // A locally recalibrated model's intercept shift scales the dose, and with it the
        // baseline and every contribution (so that they still add up to the dose).
        const double local_factor = std::exp(impl_->info.local_log_dose_shift);
        p.dose_mg_per_week = std::max(inverse_transform(transform, z), detail::minimum_dose) * local_factor;
        p.recalibrated_on_patients = impl_->info.local_calibration_patients;
        p.missing_core_count = missing_core_inputs(patient).size();
        std::tie(p.interval_low, p.interval_high) =
            impl_->info.conformal.apply(p.dose_mg_per_week, patient.race, p.missing_core_count);
        p.extrapolations = extrapolations(patient, impl_->info.covariate_ranges);
        p.interval_coverage = impl_->info.conformal.nominal_coverage;
        p.iwpc_pharmacogenetic_mg_per_week = iwpc_pharmacogenetic_dose(patient);
        p.iwpc_clinical_mg_per_week = iwpc_clinical_dose(patient);

        // TreeSHAP on the training scale (plus the exact contributions of the linear base, if
        // any) -> mg/week by the secant slope of the inverse transform. The baseline is what is
        // left of the prediction: the same for every patient (the trees' expected value plus
        // the linear base at the training means), whatever XGBoost puts in its bias column.
        const float* tree_phi = contributions.data() + i * (width + 1);
        if (impl_->linear) impl_->linear->contributions(values.data() + i * width, linear_contributions.data());
        std::vector<double> phi(width);
        double feature_sum = 0;
        for (std::size_t f = 0; f < width; ++f) {
            phi[f] = tree_phi[f] + linear_contributions[f];
            feature_sum += phi[f];
        }
        const double total = z;
        const double bias = z - feature_sum;
        p.baseline_mg_per_week = inverse_transform(transform, bias);
        double slope;
        if (std::fabs(total - bias) > 1e-6) {
            slope = (inverse_transform(transform, total) - p.baseline_mg_per_week) / (total - bias);
        } else {
            const double h = 1e-4;
            slope = (inverse_transform(transform, bias + h) - inverse_transform(transform, bias - h)) / (2 * h);
        }
        for (std::size_t f = 0; f < width; ++f) {
            FeatureContribution c;
            c.feature = impl_->info.features[f];
            c.value = FeatureEncoder::display_value(values[i * width + f]);
            c.mg_per_week = phi[f] * slope * local_factor;
            p.contributions.push_back(c);
        }
        p.baseline_mg_per_week *= local_factor;
        std::stable_sort(p.contributions.begin(), p.contributions.end(),
                         [](const FeatureContribution& a, const FeatureContribution& b) {
                             return std::fabs(a.mg_per_week) > std::fabs(b.mg_per_week);
                         });

        p.cyp2c9_activity_score = patient.cyp2c9.activity_score_unknown ? std::nullopt
                                  : patient.cyp2c9.activity_score
                                      ? patient.cyp2c9.activity_score
                                      : impl_->activity.activity_score(patient.cyp2c9.diplotype);
        p.flags = cpic_warfarin_flags(patient, p.cyp2c9_activity_score);
        for (std::size_t f = 0; f < width; ++f) {
            if (!std::isnan(values[i * width + f])) continue;
            const std::string label = input_label(impl_->info.features[f]);
            if (!label.empty() &&
                std::find(p.missing_inputs.begin(), p.missing_inputs.end(), label) == p.missing_inputs.end())
                p.missing_inputs.push_back(label);
        }
        if (patient.race == Race::unknown) p.missing_inputs.push_back("race");
        if (!patient.cyp2c9.note.empty()) p.notes.push_back(patient.cyp2c9.note);
        if (!patient.vkorc1.note.empty()) p.notes.push_back(patient.vkorc1.note);
        if (patient.cyp2c9.known() && !p.cyp2c9_activity_score && !patient.cyp2c9.activity_score_unknown)
            p.notes.push_back("CYP2C9 " + patient.cyp2c9.diplotype +
                              " has no activity score (allele of uncertain function)");
        predictions.push_back(std::move(p));
    }
    return predictions;
}

DosePrediction DoseModel::predict(const Patient& patient) const {
    return predict(std::vector<Patient>{patient}).front();
}

// ---- where the shipped model lives ----------------------------------------------------------

std::string default_model_path() { return find_resource("models/warfarin_dose.json"); }

}  // namespace genodose::dosing
