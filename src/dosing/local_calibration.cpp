#include "genodose/dosing/local_calibration.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/sha256.hpp"
#include "genodose/dosing/patient_input.hpp"

namespace genodose::dosing {

namespace {

// The model's log-ratio bounds for a prediction, without any local scale.
std::pair<double, double> model_log_bounds(ConformalInterval interval, const LocalPatient& patient, double predicted) {
    interval.local_scale = 1;
    const auto [low, high] = interval.apply(predicted, patient.race, patient.missing_core_inputs);
    return {std::log(low / predicted), std::log(high / predicted)};
}

}  // namespace

std::size_t min_local_patients(double nominal_coverage) {
    // The rank ceil((n+1) c) must be <= n: n >= c / (1 - c).
    const auto rank_needs = static_cast<std::size_t>(std::ceil(nominal_coverage / (1.0 - nominal_coverage) - 1e-9));
    return std::max<std::size_t>(20, rank_needs);
}

LocalCalibration fit_local_calibration(const ConformalInterval& interval, const std::vector<LocalPatient>& patients,
                                       bool intercept_shift) {
    const double coverage = interval.nominal_coverage;
    const std::size_t n = patients.size();
    if (n < min_local_patients(coverage))
        throw InputError(std::to_string(n) + " patients with a therapeutic dose; local calibration at " +
                         std::to_string(static_cast<int>(std::round(coverage * 100))) + "% coverage needs at least " +
                         std::to_string(min_local_patients(coverage)));
    LocalCalibration calibration;
    calibration.patients = n;
    calibration.coverage_before = local_coverage(interval, patients, LocalCalibration{});
    if (intercept_shift) {
        std::vector<double> residuals;
        for (const auto& p : patients) residuals.push_back(std::log(p.actual_mg_per_week / p.predicted_mg_per_week));
        std::sort(residuals.begin(), residuals.end());
        calibration.log_dose_shift = n % 2 ? residuals[n / 2] : 0.5 * (residuals[n / 2 - 1] + residuals[n / 2]);
    }
    std::vector<double> scores;
    for (const auto& p : patients) {
        const double predicted = p.predicted_mg_per_week * std::exp(calibration.log_dose_shift);
        const auto [lower, upper] = model_log_bounds(interval, p, predicted);
        if (!(lower < 0 && upper > 0))
            throw InternalError("local calibration: the model's interval does not contain its prediction");
        const double r = std::log(p.actual_mg_per_week / predicted);
        scores.push_back(r >= 0 ? r / upper : r / lower);
    }
    std::sort(scores.begin(), scores.end());
    const auto rank = static_cast<std::size_t>(std::ceil(static_cast<double>(n + 1) * coverage - 1e-9));
    calibration.interval_scale = scores[std::min(rank, n) - 1];
    return calibration;
}

double local_coverage(ConformalInterval interval, const std::vector<LocalPatient>& patients,
                      const LocalCalibration& calibration) {
    if (patients.empty()) return 0;
    interval.local_scale = calibration.interval_scale;
    std::size_t inside = 0;
    for (const auto& p : patients) {
        const double predicted = p.predicted_mg_per_week * std::exp(calibration.log_dose_shift);
        const auto [low, high] = interval.apply(predicted, p.race, p.missing_core_inputs);
        if (p.actual_mg_per_week >= low && p.actual_mg_per_week <= high) ++inside;
    }
    return static_cast<double>(inside) / static_cast<double>(patients.size());
}

DoseCalibrateSummary calibrate_dose_model(const DoseCalibrateOptions& options) {
    DoseCalibrateSummary summary;
    summary.model_path = options.model.empty() ? default_model_path() : options.model;
    std::string text;
    {
        std::ifstream in(summary.model_path, std::ios::binary);
        if (!in) throw InputError(file_message(summary.model_path, "dose model not found or not readable"));
        std::ostringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
    }
    const DoseModel model = DoseModel::from_text(text, summary.model_path);
    if (model.info().local_calibration_patients > 0)
        throw InputError(file_message(summary.model_path, "model is already recalibrated (on " +
                                                              std::to_string(model.info().local_calibration_patients) +
                                                              " patients); calibrate the model as trained"));

    const auto records = read_iwpc_csv(options.iwpc_csv);
    summary.rows_read = records.size();
    auto [patients, actual] = patients_with_dose(records);
    const auto doses = model.predict_doses(patients);
    std::vector<LocalPatient> local;
    for (std::size_t i = 0; i < patients.size(); ++i)
        local.push_back({doses[i], actual[i], patients[i].race, missing_core_inputs(patients[i]).size()});
    try {
        summary.calibration = fit_local_calibration(model.info().conformal, local, options.intercept_shift);
    } catch (const InputError& e) {
        throw InputError(file_message(options.iwpc_csv, e.what()));
    }

    nlohmann::ordered_json json = nlohmann::ordered_json::parse(text);
    const auto& c = summary.calibration;
    json["local_calibration"] = {
        {"method", "split-conformal scaling of the model's interval (log-ratio bounds times interval_scale), the "
                   "ceil((n+1)c)-th smallest local score; see include/genodose/dosing/local_calibration.hpp"},
        {"patients", c.patients},
        {"rows_read", summary.rows_read},
        {"data_name", std::filesystem::path(options.iwpc_csv).filename().string()},
        {"data_sha256", sha256_file(options.iwpc_csv)},
        {"interval_scale", c.interval_scale},
        {"log_dose_shift", c.log_dose_shift},
        {"coverage_before_in_sample", c.coverage_before},
        {"calibrated_model_sha256", model.info().sha256}};
    write_file_atomically(options.output, json.dump(1) + "\n");
    return summary;
}

}  // namespace genodose::dosing
