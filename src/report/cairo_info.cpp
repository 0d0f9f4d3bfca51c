#include "genodose/report/cairo_info.hpp"

#include <cairo.h>
#include <pango/pango.h>

namespace genodose {
std::string cairo_version() { return cairo_version_string(); }
std::string pango_version() { return pango_version_string(); }
}  // namespace genodose
