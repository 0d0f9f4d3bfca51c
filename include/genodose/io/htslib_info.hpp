#pragma once
#include <string>

namespace genodose {
// Version of the htslib genodose runs with (for --version and report provenance).
std::string htslib_version();
}  // namespace genodose

namespace genodose {
// htslib prints its own diagnostics on stderr; genodose reports errors itself, so they are shown
// only with --verbose (verbose = true).
void configure_htslib_logging(bool verbose);
}  // namespace genodose
