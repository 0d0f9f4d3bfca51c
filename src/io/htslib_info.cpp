#include "genodose/io/htslib_info.hpp"

#include <htslib/hts.h>

namespace genodose {
std::string htslib_version() { return hts_version(); }
}  // namespace genodose
