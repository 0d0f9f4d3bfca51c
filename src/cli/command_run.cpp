// `genodose run`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_run_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    add_unimplemented_command(app, registry, "run", "Reads or VCF + patient → dosing report", "issue #8");
}

}  // namespace genodose::cli
