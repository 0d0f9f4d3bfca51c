// SHA-256 checksums (lower-case hex) for provenance of models, data and inputs.
#pragma once

#include <string>

namespace genodose {

std::string sha256_hex(const std::string& data);
// Streams the file; InputError naming it if it cannot be read.
std::string sha256_file(const std::string& path);

}  // namespace genodose
