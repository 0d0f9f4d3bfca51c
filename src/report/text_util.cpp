#include "text_util.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <fstream>

#include "genodose/core/error.hpp"

namespace genodose::report {

std::string html_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace genodose::report
