// `genodose call`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_call_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    add_unimplemented_command(app, registry, "call", "Call germline variants from reads with the CNN", "issue #4");
}

}  // namespace genodose::cli
