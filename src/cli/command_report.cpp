// `genodose report`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_report_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    add_unimplemented_command(app, registry, "report", "Re-render a report from its JSON", "issue #8");
}

}  // namespace genodose::cli
