// `genodose make-examples`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_make_examples_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    add_unimplemented_command(app, registry, "make-examples", "Write labelled pileup tensors for training", "issue #3");
}

}  // namespace genodose::cli
