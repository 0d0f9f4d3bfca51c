// Private to dosing/: small string helpers.
#pragma once

#include <string>
#include <vector>

namespace genodose::dosing::detail {

std::string trim(const std::string& text);
std::string lower(std::string text);
bool is_missing_text(const std::string& text);  // "", "NA", "N/A", "NaN", "." (after trimming)
// Full-string decimal number (leading/trailing blanks allowed); false if anything else.
bool parse_double(const std::string& text, double& value);
std::vector<std::string> split(const std::string& text, char separator);
std::string quote(const std::string& value);  // 'value', shortened if very long
std::string format_fixed(double value, int decimals);

}  // namespace genodose::dosing::detail
