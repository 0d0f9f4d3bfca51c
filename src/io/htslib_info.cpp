#include "genodose/io/htslib_info.hpp"

#include <htslib/hts.h>

namespace genodose {
std::string htslib_version() { return hts_version(); }
}  // namespace genodose

#include <htslib/hts_log.h>

namespace genodose {
void configure_htslib_logging(bool verbose) { hts_set_log_level(verbose ? HTS_LOG_WARNING : HTS_LOG_OFF); }
}  // namespace genodose
