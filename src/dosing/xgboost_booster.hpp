// Private to dosing/: RAII over XGBoost's C API (<xgboost/c_api.h>). Every call's status is
// checked; a failure becomes an InternalError (training, predicting) or an InputError (loading
// a model buffer) carrying XGBGetLastError().
//
//   detail::DenseMatrix x(rows, features, values /* row-major, NaN = missing */, names);
//   x.set_labels(labels);
//   detail::Booster booster(x, {{"max_depth", "3"}, {"nthread", "1"}, {"seed", "7"}});
//   for (int i = 0; i < rounds; ++i) booster.update(i, x);
//   std::vector<float> p = booster.predict(x, rounds);
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace genodose::dosing::detail {

class DenseMatrix {
public:
    DenseMatrix(const float* values, std::size_t rows, std::size_t columns, const std::vector<std::string>& names);
    ~DenseMatrix();
    DenseMatrix(const DenseMatrix&) = delete;
    DenseMatrix& operator=(const DenseMatrix&) = delete;

    void set_labels(const std::vector<float>& labels);
    void set_weights(const std::vector<float>& weights);
    // Per-row starting margin: predictions are base_margin + the trees' sum.
    void set_base_margin(const std::vector<float>& margin);
    void* handle() const { return handle_; }
    std::size_t rows() const { return rows_; }
    std::size_t columns() const { return columns_; }

private:
    void* handle_ = nullptr;
    std::size_t rows_, columns_;
};

class Booster {
public:
    // A new booster to be trained on `train` with `parameters` (XGBoost names and values).
    Booster(const DenseMatrix& train, const std::vector<std::pair<std::string, std::string>>& parameters);
    // A trained booster from a saved model (XGBoost JSON). InputError naming `source` if bad.
    Booster(const std::string& model_json, const std::string& source);
    ~Booster();
    Booster(const Booster&) = delete;
    Booster& operator=(const Booster&) = delete;

    void set_parameter(const std::string& name, const std::string& value);
    void update(int iteration, const DenseMatrix& train);
    int boosted_rounds() const;
    std::size_t feature_count() const;

    // Predictions from the first `rounds` rounds (0 = all), one per row.
    std::vector<float> predict(const DenseMatrix& x, int rounds = 0) const;
    // TreeSHAP contributions: rows x (features + 1), the last column is the bias.
    std::vector<float> contributions(const DenseMatrix& x) const;
    std::string save_json() const;

private:
    std::vector<float> run_prediction(const DenseMatrix& x, int type, int rounds, std::size_t expected) const;
    void* handle_ = nullptr;
};

// Silences XGBoost's own console output (warnings go through genodose's log instead).
void quiet_xgboost();

}  // namespace genodose::dosing::detail
