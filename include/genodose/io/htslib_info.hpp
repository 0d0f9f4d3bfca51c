#pragma once
#include <string>

namespace genodose {
// Version of the htslib genodose runs with (for --version and report provenance).
std::string htslib_version();
}  // namespace genodose
