#include "text_util.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace genodose::dosing::detail {

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool is_missing_text(const std::string& text) {
    const std::string t = lower(trim(text));
    return t.empty() || t == "na" || t == "n/a" || t == "nan" || t == ".";
}

bool parse_double(const std::string& text, double& value) {
    const std::string t = trim(text);
    if (t.empty()) return false;
    // Only plain decimal notation: strtod would also take "inf", "nan" and hex floats.
    for (char c : t) {
        if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
            return false;
    }
    errno = 0;
    char* end = nullptr;
    const double parsed = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size() || errno == ERANGE || !std::isfinite(parsed)) return false;
    value = parsed;
    return true;
}

std::string quote(const std::string& value) {
    std::string shown = value.size() > 60 ? value.substr(0, 57) + "..." : value;
    for (char& c : shown) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    return "'" + shown + "'";
}

std::string format_fixed(double value, int decimals) {
    if (!std::isfinite(value)) return "NA";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    if (text == "-0" || text.find_first_not_of("-0.") == std::string::npos) {
        // Avoid printing "-0.00".
        if (!text.empty() && text[0] == '-') text.erase(0, 1);
    }
    return text;
}

}  // namespace genodose::dosing::detail
