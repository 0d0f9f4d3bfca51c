// Private to report/: escaping and small text helpers shared by the renderers.
#pragma once

#include <string>
#include <vector>

#include "genodose/core/sha256.hpp"
#include "genodose/core/text.hpp"

namespace genodose::report {

// & < > " ' → entities; everything else (UTF-8 included) unchanged.
std::string html_escape(const std::string& text);

}  // namespace genodose::report
