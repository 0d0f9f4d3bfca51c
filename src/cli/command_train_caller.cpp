// `genodose train-caller`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_train_caller_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    add_unimplemented_command(app, registry, "train-caller", "Train the variant-calling CNN", "issue #4");
}

}  // namespace genodose::cli
