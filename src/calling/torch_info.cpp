#include "genodose/calling/torch_info.hpp"

// Only the version header: the full <torch/torch.h> costs ~20 s of compile per file.
#include <torch/version.h>

namespace genodose {
std::string libtorch_version() { return TORCH_VERSION; }
}  // namespace genodose
