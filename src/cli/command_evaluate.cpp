// `genodose evaluate`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_evaluate_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    add_unimplemented_command(app, registry, "evaluate", "Benchmark a VCF against a truth set", "issue #5");
}

}  // namespace genodose::cli
