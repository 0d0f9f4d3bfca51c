// `genodose dose`: not implemented yet; exits with code 5 and says so.
#include "commands.hpp"

namespace genodose::cli {

void add_dose_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions&) {
    CLI::App* dose = app.add_subcommand("dose", "Warfarin dose model: train, predict, evaluate");
    dose->require_subcommand(1);
    add_unimplemented_command(*dose, registry, "train", "Train the dose model on IWPC data", "issue #7");
    add_unimplemented_command(*dose, registry, "predict", "Predict weekly warfarin doses", "issue #7");
    add_unimplemented_command(*dose, registry, "evaluate", "Evaluate a dose model on IWPC-format data", "issue #7");
}

}  // namespace genodose::cli
