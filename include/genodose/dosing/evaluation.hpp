// Accuracy of weekly-dose predictions, as in the model card: MAE (mg/week), R^2 and the
// percentage of patients whose predicted dose is within 20% of the actual dose, overall, by
// race and by dose band, for the model beside the IWPC pharmacogenetic and clinical equations
// and a fixed 35 mg/week dose, all on the same patients; and the model alone (with its
// interval's coverage) by band of its predicted dose.
//
//   std::vector<EvaluatedDose> rows = ...;            // one per patient with an actual dose
//   DoseEvaluation e = evaluate_doses(rows);
//   std::cout << evaluation_table(e);  write_file_atomically(out, evaluation_json(e));
//
// The equations need age, height and weight; "compared" metrics use only the patients where
// every method gives a dose, "all" metrics give the model on every patient.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "genodose/dosing/patient.hpp"

namespace genodose::dosing {

struct AccuracyMetrics {
    std::size_t n = 0;
    double mae = 0;        // mean |predicted - actual|, mg/week
    double r2 = 0;         // 1 - SS_res / SS_tot within the group
    double within_20 = 0;  // fraction with |predicted - actual| <= 0.2 * actual
};
AccuracyMetrics accuracy(const std::vector<double>& predicted, const std::vector<double>& actual);

inline constexpr const char* method_model = "genodose_xgboost";
inline constexpr const char* method_iwpc_pgx = "iwpc_pharmacogenetic";
inline constexpr const char* method_iwpc_clinical = "iwpc_clinical";
inline constexpr const char* method_fixed = "fixed_35mg_per_week";
std::vector<std::string> evaluation_methods();

struct EvaluatedDose {
    Race race = Race::unknown;
    double actual = 0;
    double model = 0;
    std::optional<double> iwpc_pharmacogenetic;
    std::optional<double> iwpc_clinical;
    std::optional<std::pair<double, double>> interval;
};

struct EvaluationGroup {
    std::string name;  // "overall", "race: Asian", "dose <= 21", ..., "predicted <= 21", ...
    // Grouped by the model's own prediction ("predicted ..."): reported for the model alone (the
    // interval is calibrated per predicted band); the methods are not compared on such groups,
    // which would favour the method that defines them.
    bool by_model_prediction = false;
    std::size_t n_all = 0;
    AccuracyMetrics model_all;
    std::size_t n_compared = 0;
    std::map<std::string, AccuracyMetrics> compared;  // method -> metrics
    std::optional<double> interval_coverage;          // on all patients of the group
    std::optional<double> interval_median_width;      // mg/week
};

struct DoseEvaluation {
    std::vector<EvaluationGroup> groups;
    std::optional<double> nominal_coverage;
};

DoseEvaluation evaluate_doses(const std::vector<EvaluatedDose>& rows, std::optional<double> nominal_coverage);
// JSON object (pretty-printed) with every number of the evaluation.
std::string evaluation_json(const DoseEvaluation& evaluation, const std::string& description);
// Markdown tables for terminals and the model card.
std::string evaluation_table(const DoseEvaluation& evaluation);

}  // namespace genodose::dosing
