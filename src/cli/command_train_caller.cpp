// `genodose train-caller`: train the genotype CNN on make-examples output.
#include "commands.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/core/logging.hpp"

namespace genodose::cli {

void add_train_caller_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    auto options = std::make_shared<TrainingOptions>();
    CLI::App* command = app.add_subcommand("train-caller", "Train the variant-calling CNN on make-examples output");
    command->add_option("--examples", options->example_folders, "Example folders from make-examples (one or more)")->required();
    command->add_option("--validation", options->validation_folders, "Example folders for validation / early stopping")->required();
    command->add_option("-o,--output", options->output_path, "Model file to write (best epoch); a .checkpoint and .log.tsv go beside it")->required();
    command->add_option("--seed", options->seed, "Random seed (initialisation and shuffling)")->capture_default_str();
    command->add_option("--epochs", options->max_epochs, "Maximum epochs")->capture_default_str();
    command->add_option("--patience", options->patience, "Epochs without validation improvement before stopping")->capture_default_str();
    command->add_option("--learning-rate", options->learning_rate, "Initial learning rate (cosine schedule)")->capture_default_str();
    command->add_option("--batch-size", options->batch_size, "Examples per batch")->capture_default_str();
    command->add_option("--max-minutes", options->max_minutes, "Stop after this many minutes, keeping the best model")->capture_default_str();
    registry.on(command, [options, &global] {
        options->threads = global.threads;
        const TrainingReport report = train_genotype_model(*options);
        GENODOSE_LOG_INFO("train-caller: best epoch " << report.best_epoch << " of " << report.epochs.size() << "; "
                                                      << report.training_examples << " training and " << report.validation_examples
                                                      << " validation examples; " << report.parameters << " parameters → "
                                                      << options->output_path);
    });
}

}  // namespace genodose::cli
