#pragma once
#include <string>

namespace genodose {
// Version of LibTorch genodose was built with (for --version and provenance).
std::string libtorch_version();
}  // namespace genodose
