// `genodose batch`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_batch_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    add_unimplemented_command(app, registry, "batch", "Run many samples from a sample sheet", "issue #8");
}

}  // namespace genodose::cli
