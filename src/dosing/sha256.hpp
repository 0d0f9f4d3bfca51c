// Private to dosing/: SHA-256 (FIPS 180-4) for provenance of training data and model files.
#pragma once

#include <string>

namespace genodose::dosing::detail {

std::string sha256_hex(const std::string& bytes);
// InputError naming the file if it cannot be read.
std::string sha256_file_hex(const std::string& path);

}  // namespace genodose::dosing::detail
