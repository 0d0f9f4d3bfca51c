// `genodose dose train`: fits the XGBoost dose model on IWPC-format data.
//
//   DoseTrainingOptions options;  options.iwpc_csv = "iwpc.csv"; options.output = "m.json"; ...
//   DoseTrainingSummary summary = train_dose_model(options);
//
// Procedure (all of it deterministic for a given seed, whatever the thread count: every
// XGBoost fit runs single-threaded with the seed, and fits run in parallel):
//  1. Rows with a therapeutic dose are used; no row is dropped for a missing covariate.
//  2. Patients are split into K folds, stratified by race.
//  3. Search: every grid point (feature set x target transform x max_depth x
//     min_child_weight x objective x linear base, with the number of rounds checked every
//     `round_step`) is scored by K-fold cross-validated MAE in mg/week averaged over the race
//     groups (White, Asian, Black or African American, Unknown: each group weighs the same, so
//     the choice is not made for the majority alone); the best one is refitted on all rows.
//  4. Interval: split-conformal on the log dose ratio, calibrated on the out-of-fold
//     predictions of the chosen grid point (each predicted by a model that did not see it).
//  5. Assessment (nested cross-validation): steps 3-4 are repeated inside each of the K outer
//     training sets and the result scored on the outer fold it never saw, beside the IWPC
//     equations on the same patients; interval coverage is measured the same way. These are
//     the model card's numbers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genodose/dosing/dose_model.hpp"

namespace genodose::dosing {

struct DoseSearchGrid {
    std::vector<std::string> feature_sets = {"standard", "extended"};
    std::vector<TargetTransform> transforms = {TargetTransform::sqrt, TargetTransform::log};
    std::vector<int> max_depths = {2, 3};
    std::vector<double> min_child_weights = {20};
    // XGBoost objectives on the transformed dose (reg:squarederror, reg:absoluteerror,
    // reg:pseudohubererror).
    std::vector<std::string> objectives = {"reg:squarederror", "reg:pseudohubererror"};
    // With monotone constraints: dose non-increasing in age, VKORC1 A and CYP2C9 *2/*3
    // alleles and amiodarone; non-decreasing in height, weight, CYP2C9 activity score and
    // enzyme inducers (the directions every published dosing study reports).
    std::vector<bool> monotone = {false};
    // Race balance: training weights (n_largest_race / n_race)^b, normalized to mean 1, so that
    // small groups (Black, Unknown) weigh more; 0 = unweighted.
    std::vector<double> race_balance = {0};
    // Boost from a ridge regression on the same features (XGBoost base_margin) instead of a
    // constant: linear main effects plus tree corrections.
    std::vector<bool> linear_base = {false, true};
    // Selection criterion: "race_macro_mae" (the mean of the per-race out-of-fold MAEs, so that
    // small groups weigh as much as large ones) or "mae" (over all patients).
    std::string criterion = "race_macro_mae";
    double learning_rate = 0.05;
    int max_rounds = 800;
    int round_step = 25;
    double subsample = 0.8;
    double colsample_bytree = 0.8;
    double reg_lambda = 1.0;

    // "full" (the default above), "quick" (one small grid point; for tests and smoke runs), or
    // the path of a JSON file overriding any of the fields above (same names; transforms by
    // name, e.g. {"max_depths": [2], "monotone": [true, false]}).
    static DoseSearchGrid named(const std::string& name);
};

struct DoseTrainingOptions {
    std::string iwpc_csv;
    std::string cyp2c9_phenotypes;  // CPIC/PharmCAT phenotype table with "activityValues"
    std::string output;
    int folds = 5;
    std::uint64_t seed = 42;
    int threads = 1;
    double interval_coverage = 0.8;
    bool nested_assessment = true;
    std::string grid_name = "full";
    std::string cv_predictions;  // optional TSV of the nested cross-validation predictions
    DoseSearchGrid grid;
    // Seed of the half split of each held-out site in leave-one-site-out (calibrate on one
    // half, score the other).
    std::uint64_t calibration_split_seed = 7;
};

struct DoseTrainingSummary {
    std::string output;
    std::string model_sha256;
    std::string selected;    // the chosen grid point, e.g. "standard, sqrt, depth 3, mcw 20, 450 rounds"
    std::string cv_table;    // markdown tables of the nested cross-validation (empty if skipped)
    std::string site_table;  // leave-one-site-out: markdown tables (cross_validate_by_site)
    std::size_t rows_used = 0;
    std::size_t rows_without_dose = 0;
    double seconds = 0;
};

DoseTrainingSummary train_dose_model(const DoseTrainingOptions& options);

// `genodose dose cross-validate --group-by site`: leave-one-site-out. The assessment of
// train_dose_model with one outer fold per IWPC "Project Site": for each site, the whole
// procedure (search with inner K folds, target transform, linear base, interval) runs on the
// other sites and the site is predicted, beside the IWPC pharmacogenetic equation refitted on
// the same other sites. Per site and pooled: MAE, % within 20%, R^2, interval coverage; and the
// local recalibration (local_calibration.hpp) measured on each site: fitted on a random half of
// its patients, coverage scored on the other half, before and after (with and without the
// intercept shift). Writes the metrics JSON to `options.output` (and the per-patient
// predictions to `options.cv_predictions`); no model. InputError if a patient has no site.
DoseTrainingSummary cross_validate_by_site(const DoseTrainingOptions& options);

}  // namespace genodose::dosing
