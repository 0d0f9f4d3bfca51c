// Private to dosing/: small string helpers.
#pragma once

#include <string>
#include <vector>

#include "genodose/core/text.hpp"

namespace genodose::dosing::detail {

using ::genodose::split;
using ::genodose::trim;
std::string lower(std::string text);
bool is_missing_text(const std::string& text);  // "", "NA", "N/A", "NaN", "." (after trimming)
// Full-string decimal number (leading/trailing blanks allowed); false if anything else.
bool parse_double(const std::string& text, double& value);
std::string quote(const std::string& value);  // 'value', shortened if very long
std::string format_fixed(double value, int decimals);

}  // namespace genodose::dosing::detail
