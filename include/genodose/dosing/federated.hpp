// Training the dose model across sites without pooling patient rows (`genodose dose train
// --federated`). One worker per site reads only its own file; the workers meet through
// XGBoost's collective (rabit, with the tracker of python3-xgboost started by
// scripts/federated-tracker.py) and exchange only sums:
//   1. a fingerprint of the settings (min and max of one number: all sites train the same model);
//   2. the linear base's sufficient statistics (linear_base.hpp: per-feature sums and counts,
//      missingness-pattern disagreement counts, column moments, X'X and X'y);
//   3. inside XGBoost: the quantile sketch of every feature (hist cuts) once, then per tree
//      level the gradient/hessian histograms and the split statistics;
//   4. a histogram of the calibration patients' log(actual / predicted) (6,000 bins of 0.001),
//      from which the split-conformal quantiles are read.
// Each site holds out ~20% of its patients (by a hash of the patient ID and the seed) for that
// calibration; they are never trained on. The model is the same on every site; each worker
// writes it. Without a tracker the same procedure runs in one process on one file: the pooled
// reference the federated result is compared with.
//
//   FederatedTrainingOptions o;  o.site_data = "site3.csv";  o.tracker = "127.0.0.1:9091";
//   o.workers = 3;  o.rank = 0;  o.grid = DoseSearchGrid::named("one_point.json");
//   train_federated_dose_model(o);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genodose/dosing/training.hpp"

namespace genodose::dosing {

struct FederatedTrainingOptions {
    std::string site_data;  // this site's IWPC-format CSV: the only patient file read
    std::string cyp2c9_phenotypes;
    std::string output;
    std::string tracker;  // HOST:PORT of the tracker; empty: one process, no network
    int workers = 1;
    int rank = 0;  // this worker's task id, 0 .. workers-1
    std::string grid_name;
    DoseSearchGrid grid;  // exactly one grid point; max_rounds rounds
    std::uint64_t seed = 42;
    double interval_coverage = 0.8;
    int timeout_seconds = 120;  // the collective gives up on a silent peer after this long
};

struct FederatedTrainingSummary {
    std::size_t rows_trained = 0, rows_calibration = 0;  // this site's
    std::size_t sites = 1;
    int rounds = 0;
    double seconds = 0;
    double boosting_seconds = 0;
};

FederatedTrainingSummary train_federated_dose_model(const FederatedTrainingOptions& options);

}  // namespace genodose::dosing
