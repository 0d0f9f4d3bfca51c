#include "genodose/calling/threads.hpp"

#include <tbb/info.h>

#include <algorithm>

namespace genodose {

int arena_threads(int requested) { return std::clamp(requested, 1, std::max(1, tbb::info::default_concurrency())); }

}  // namespace genodose
