// The trained warfarin dose model (models/warfarin_dose.json) and one prediction for one
// patient: dose, conformal interval, IWPC-equation doses, TreeSHAP contributions in mg/week,
// and the CPIC 2017 statements that apply. This is the API the report module calls.
//
//   DoseModel model = DoseModel::load(default_model_path());
//   DosePrediction p = model.predict(patient);
//   p.dose_mg_per_week, p.interval_low, p.interval_high, p.contributions, p.flags ...
//
// Contributions. XGBoost's TreeSHAP (pred_contribs) decomposes the model output on its
// training scale z = T(dose) (T = sqrt or log, chosen by cross-validation) as
// z = phi_0 + sum_i phi_i. They are converted to mg/week with the secant slope of the inverse
// transform between the baseline and the prediction:
//     c_i = phi_i * (T^-1(z) - T^-1(phi_0)) / (z - phi_0)      (T^-1' at phi_0 if z == phi_0)
// so that T^-1(phi_0) + sum_i c_i equals the predicted dose exactly. For T = sqrt this is
// the exact Shapley value of the game v(S) = (phi_0 + sum_{i in S} phi_i)^2; for T = log it
// is a proportional share of the change. See docs/dose-output.md.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/guideline.hpp"
#include "genodose/dosing/patient.hpp"

namespace genodose::dosing {

// Scale the model is trained on. Doses are right-skewed; sqrt is what the IWPC used.
enum class TargetTransform { identity, sqrt, log };
std::string transform_name(TargetTransform transform);
TargetTransform parse_transform(const std::string& name);  // UsageError if unknown
double transform_dose(TargetTransform transform, double dose_mg_per_week);
double inverse_transform(TargetTransform transform, double value);

// Bands of the predicted weekly dose, the IWPC dose bands: <= 21, 21-49 (exclusive), >= 49 mg/week.
// The interval is calibrated per band (below); the evaluation reports its coverage per band.
inline constexpr std::size_t predicted_dose_band_count = 3;
std::size_t predicted_dose_band(double predicted_mg_per_week);
std::string predicted_dose_band_name(std::size_t band);  // "<= 21", "21-49", ">= 49"

// The race groups the interval is also calibrated for, indexed by static_cast<std::size_t>(Race).
inline constexpr std::size_t race_group_count = 4;

// How much of what the IWPC equations need is missing: the eight core inputs age, height,
// weight, race, CYP2C9, VKORC1 -1639, amiodarone and enzyme inducers (carbamazepine, phenytoin,
// rifampin). The interval is also calibrated per missingness group: 0-1, 2-3, 4-5, 6-7 or all 8
// of them missing. Why: with the band and race groups alone, patients with most of these inputs
// missing were covered about half the time in the project's audit (54.6% with all 8 missing, in
// nested cross-validation); one group for 4-8 still left all-8 patients at 75.6%.
inline constexpr std::size_t core_input_count = 8;
std::vector<std::string> missing_core_inputs(const Patient& patient);  // "age", "height", ... in that order
inline constexpr std::size_t missingness_group_count = 5;
std::size_t missingness_group(std::size_t missing_core_inputs);  // 0: 0-1, 1: 2-3, 2: 4-5, 3: 6-7, 4: 8
std::string missingness_group_name(std::size_t group);           // "0-1", "2-3", "4-5", "6-7", "8"
// The patient with the named core inputs (names as missing_core_inputs() gives them) removed:
// how the training simulates patients with more inputs missing for the interval's calibration.
Patient without_core_inputs(Patient patient, const std::vector<std::string>& names);

// A group (band or race) needs this many calibration residuals for its own quantiles (at 80%
// the 10th from each end); a smaller group uses the pooled ones.
inline constexpr std::size_t min_conformal_group_size = 100;

// Split-conformal interval on the log dose ratio r = log(actual / predicted): the interval is
// [pred * exp(r_lo), pred * exp(r_hi)] with r_lo, r_hi the k_lo-th and k_hi-th smallest of n
// calibration residuals, k_lo = floor((n+1) a/2), k_hi = ceil((n+1)(1 - a/2)), a = 1 - coverage.
// Residuals of held-out predictions give coverage >= nominal for exchangeable patients.
//
// Group-conditional: the quantiles are taken separately over the residuals of each band of the
// *predicted* dose and over those of each race group, and a patient gets the wider of the two
// intervals (lowest r_lo, highest r_hi). Each of the two covers >= nominal within its group, so
// the union does too, within every band and every race group at once (coverage over a finite
// collection of overlapping groups, as discussed by Barber, Candes, Ramdas & Tibshirani, "The
// limits of distribution-free conditional predictive inference", Inf. Inference 2021).
// Why: with one pooled ratio, patients predicted <= 21 mg/week were covered 74% of the time in
// cross-validation; calibrated per band only, Black patients, whose doses the inputs predict
// least well, were covered 75% of the time (models/warfarin_dose.md, "Intervals").
struct ConformalGroup {
    double lower_log_ratio = 0;
    double upper_log_ratio = 0;
    std::size_t calibration_size = 0;  // residuals in the group
    bool pooled = false;               // fewer than min_conformal_group_size: pooled quantiles
};

struct ConformalInterval {
    double nominal_coverage = 0.8;
    double lower_log_ratio = 0;  // pooled over every calibration residual
    double upper_log_ratio = 0;
    std::size_t calibration_size = 0;
    std::vector<ConformalGroup> bands;        // by predicted_dose_band(); empty in models made before bands
    std::vector<ConformalGroup> race_groups;  // by Race; empty in models made before race groups
    // by missingness_group(); empty in models made before them. Calibrated on the observed
    // patients of each group plus copies of the training patients with core inputs removed
    // (predicted out of fold), since few real patients have most inputs missing.
    std::vector<ConformalGroup> missingness_groups;
    // Local recalibration (local_calibration.hpp): the chosen log ratios are multiplied by this
    // factor, fitted on a clinic's own patients. 1 for a model as trained.
    double local_scale = 1;

    // [low, high] in mg/week: the widest of the band's, the race group's and the missingness
    // group's interval, or of whichever of them the model has (the pooled one if none).
    std::pair<double, double> apply(double predicted_mg_per_week, Race race, std::size_t missing_core_inputs = 0) const;
};

// Calibration residuals: predicted and actual doses with each patient's race and number of
// missing core inputs.
struct ConformalResiduals {
    std::vector<double> predicted, actual;
    std::vector<Race> races;
    std::vector<std::size_t> missing_core_inputs;
};
// Bands and race groups from `observed` alone; missingness groups from `observed` and `masked`
// (patients with inputs removed) together. InternalError as below.
ConformalInterval calibrate_conformal(const ConformalResiduals& observed, const ConformalResiduals& masked,
                                      double nominal_coverage);
// InternalError if fewer residuals than the coverage needs (n < 2/a - 1) or if the sizes differ.
ConformalInterval calibrate_conformal(const std::vector<double>& predicted, const std::vector<double>& actual,
                                      const std::vector<Race>& races, double nominal_coverage);

struct FeatureContribution {
    std::string feature;  // model feature name, e.g. "vkorc1_1639_a_alleles"
    std::string value;    // the patient's value as encoded ("2", "NA")
    double mg_per_week = 0;
};

// Range of one input in the training cohort (model file "covariate_ranges").
struct CovariateRange {
    std::string input;  // "height_cm", "weight_kg", "target_inr", "age_decade"
    double min = 0, max = 0;
    std::size_t patients = 0;  // training patients with the input
};

struct DosePrediction {
    std::string patient_id;
    double dose_mg_per_week = 0;
    double interval_low = 0, interval_high = 0;  // mg/week
    double interval_coverage = 0;                // nominal, e.g. 0.8
    std::optional<double> iwpc_pharmacogenetic_mg_per_week;
    std::optional<double> iwpc_clinical_mg_per_week;
    double baseline_mg_per_week = 0;                 // T^-1(phi_0): the model's average patient
    std::vector<FeatureContribution> contributions;  // every feature, largest |mg/week| first
    std::vector<GuidelineFlag> flags;                // CPIC 2017 statements (never applied)
    std::optional<double> cyp2c9_activity_score;     // as used by the model
    std::vector<std::string> missing_inputs;         // e.g. "CYP2C9", "height"
    std::vector<std::string> notes;                  // genotype notes (no-call, ambiguous, imputed)
    std::size_t missing_core_count = 0;              // of the core_input_count core inputs
    // One sentence per input outside the training cohort's range ("weight 250.0 kg is above the
    // IWPC training cohort's range (30.0-237.7 kg)"): the dose is an extrapolation.
    std::vector<std::string> extrapolations;
    // The model's interval was recalibrated on this many local patients (0: as trained).
    std::size_t recalibrated_on_patients = 0;
};

// What the model file says about itself (see models/warfarin_dose.md).
struct DoseModelInfo {
    std::string path;
    std::string sha256;  // of the model file's bytes
    std::string genodose_version;
    std::string xgboost_version;
    std::vector<std::string> features;
    TargetTransform transform = TargetTransform::sqrt;
    int rounds = 0;
    std::map<std::string, std::string> hyperparameters;
    ConformalInterval conformal;
    std::string training_data_sha256;
    std::string training_data_name;
    std::size_t training_rows = 0;
    std::vector<CovariateRange> covariate_ranges;  // empty in models made before them
    // `genodose dose calibrate` (local_calibration.hpp): the number of local patients the
    // interval was recalibrated on (0: as trained), and the intercept shift on log(dose).
    std::size_t local_calibration_patients = 0;
    double local_log_dose_shift = 0;
};

// The sentences of DosePrediction::extrapolations for `patient` against the cohort's ranges.
// Age in years is compared with the cohort's decade bands (the top band, "90+", taken as 90-99).
std::vector<std::string> extrapolations(const Patient& patient, const std::vector<CovariateRange>& ranges);

class DoseModel {
public:
    // InputError naming the file if it is not a genodose dose model or is damaged.
    static DoseModel load(const std::string& path);
    static DoseModel from_text(const std::string& text, const std::string& source);

    DoseModel(DoseModel&&) noexcept;
    DoseModel& operator=(DoseModel&&) noexcept;
    ~DoseModel();

    DosePrediction predict(const Patient& patient) const;
    std::vector<DosePrediction> predict(const std::vector<Patient>& patients) const;
    // Model doses only (no contributions), for evaluation.
    std::vector<double> predict_doses(const std::vector<Patient>& patients) const;

    const DoseModelInfo& info() const;
    const Cyp2c9ActivityTable& activity_table() const;
    // The model file's metadata as JSON text (everything but the XGBoost trees), for reports.
    std::string metadata_json() const;

private:
    struct Impl;
    explicit DoseModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Where the shipped model is when --model is not given, first match wins:
//   1. $GENODOSE_DATA_DIR/models/warfarin_dose.json (if the variable is set, it must exist);
//   2. next to the executable: <exe dir>/../share/genodose/models/warfarin_dose.json (installed),
//      <exe dir>/../models/warfarin_dose.json (a build folder inside the source tree);
//   3. the source tree genodose was compiled from (its path is compiled in).
// InputError listing the places looked at if none exists.
std::string default_model_path();

}  // namespace genodose::dosing
