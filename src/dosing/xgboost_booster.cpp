#include "xgboost_booster.hpp"

#include <xgboost/c_api.h>

#include <limits>
#include <mutex>

#include "genodose/core/error.hpp"

namespace genodose::dosing::detail {

namespace {

void check(int status, const char* call) {
    if (status != 0) throw InternalError(std::string("XGBoost ") + call + " failed: " + XGBGetLastError());
}

}  // namespace

void quiet_xgboost() {
    static std::once_flag once;
    std::call_once(once, [] { check(XGBSetGlobalConfig(R"({"verbosity": 0})"), "XGBSetGlobalConfig"); });
}

DenseMatrix::DenseMatrix(const float* values, std::size_t rows, std::size_t columns,
                         const std::vector<std::string>& names)
    : rows_(rows), columns_(columns) {
    quiet_xgboost();
    check(XGDMatrixCreateFromMat(values, rows, columns, std::numeric_limits<float>::quiet_NaN(), &handle_),
          "XGDMatrixCreateFromMat");
    if (!names.empty()) {
        std::vector<const char*> c_names;
        for (const auto& name : names) c_names.push_back(name.c_str());
        check(XGDMatrixSetStrFeatureInfo(handle_, "feature_name", c_names.data(), c_names.size()),
              "XGDMatrixSetStrFeatureInfo");
    }
}

DenseMatrix::~DenseMatrix() {
    if (handle_) XGDMatrixFree(handle_);
}

void DenseMatrix::set_labels(const std::vector<float>& labels) {
    if (labels.size() != rows_) throw InternalError("label count does not match the matrix rows");
    check(XGDMatrixSetFloatInfo(handle_, "label", labels.data(), labels.size()), "XGDMatrixSetFloatInfo");
}

void DenseMatrix::set_weights(const std::vector<float>& weights) {
    if (weights.size() != rows_) throw InternalError("weight count does not match the matrix rows");
    check(XGDMatrixSetFloatInfo(handle_, "weight", weights.data(), weights.size()), "XGDMatrixSetFloatInfo");
}

void DenseMatrix::set_base_margin(const std::vector<float>& margin) {
    if (margin.size() != rows_) throw InternalError("base margin count does not match the matrix rows");
    check(XGDMatrixSetFloatInfo(handle_, "base_margin", margin.data(), margin.size()), "XGDMatrixSetFloatInfo");
}

Booster::Booster(const DenseMatrix& train, const std::vector<std::pair<std::string, std::string>>& parameters) {
    quiet_xgboost();
    DMatrixHandle matrices[] = {train.handle()};
    check(XGBoosterCreate(matrices, 1, &handle_), "XGBoosterCreate");
    for (const auto& [name, value] : parameters) set_parameter(name, value);
}

Booster::Booster(const std::string& model_json, const std::string& source) {
    quiet_xgboost();
    check(XGBoosterCreate(nullptr, 0, &handle_), "XGBoosterCreate");
    if (XGBoosterLoadModelFromBuffer(handle_, model_json.data(), model_json.size()) != 0) {
        const std::string why = XGBGetLastError();
        XGBoosterFree(handle_);
        handle_ = nullptr;
        throw InputError(file_message(source, "the XGBoost model in it could not be loaded: " + why.substr(0, 200)));
    }
}

Booster::~Booster() {
    if (handle_) XGBoosterFree(handle_);
}

void Booster::set_parameter(const std::string& name, const std::string& value) {
    check(XGBoosterSetParam(handle_, name.c_str(), value.c_str()), "XGBoosterSetParam");
}

void Booster::update(int iteration, const DenseMatrix& train) {
    check(XGBoosterUpdateOneIter(handle_, iteration, train.handle()), "XGBoosterUpdateOneIter");
}

int Booster::boosted_rounds() const {
    int rounds = 0;
    check(XGBoosterBoostedRounds(handle_, &rounds), "XGBoosterBoostedRounds");
    return rounds;
}

std::size_t Booster::feature_count() const {
    bst_ulong count = 0;
    check(XGBoosterGetNumFeature(handle_, &count), "XGBoosterGetNumFeature");
    return static_cast<std::size_t>(count);
}

std::vector<float> Booster::run_prediction(const DenseMatrix& x, int type, int rounds, std::size_t expected) const {
    const std::string config = R"({"type": )" + std::to_string(type) +
                               R"(, "training": false, "iteration_begin": 0, "iteration_end": )" +
                               std::to_string(rounds) + R"(, "strict_shape": false})";
    const bst_ulong* shape = nullptr;
    bst_ulong dimensions = 0;
    const float* result = nullptr;
    check(XGBoosterPredictFromDMatrix(handle_, x.handle(), config.c_str(), &shape, &dimensions, &result),
          "XGBoosterPredictFromDMatrix");
    std::size_t total = 1;
    for (bst_ulong i = 0; i < dimensions; ++i) total *= static_cast<std::size_t>(shape[i]);
    if (total != expected)
        throw InternalError("XGBoost returned " + std::to_string(total) + " values, expected " +
                            std::to_string(expected));
    return std::vector<float>(result, result + total);
}

std::vector<float> Booster::predict(const DenseMatrix& x, int rounds) const {
    return run_prediction(x, 0, rounds, x.rows());
}

std::vector<float> Booster::contributions(const DenseMatrix& x) const {
    return run_prediction(x, 2, 0, x.rows() * (x.columns() + 1));
}

std::string Booster::save_json() const {
    bst_ulong length = 0;
    const char* data = nullptr;
    check(XGBoosterSaveModelToBuffer(handle_, R"({"format": "json"})", &length, &data), "XGBoosterSaveModelToBuffer");
    return std::string(data, length);
}

}  // namespace genodose::dosing::detail
