#pragma once
#include <string>

namespace genodose {
// Versions of cairo and pango used to draw PDF/SVG reports.
std::string cairo_version();
std::string pango_version();
}  // namespace genodose
