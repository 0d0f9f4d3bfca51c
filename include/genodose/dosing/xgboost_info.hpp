#pragma once
#include <string>

namespace genodose {
// Version of the XGBoost library genodose runs with (for --version and provenance).
std::string xgboost_version();
}  // namespace genodose
