// `genodose train-caller`: train the genotype CNN on make-examples output.
//
// Training needs LibTorch, which only the helper program genodose-torch links (loading it costs
// ~1.5 s, which every other command would pay). genodose runs genodose-torch, installed next to
// it, with the same arguments; genodose-torch installs the training function and parses them.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "commands.hpp"
#include "genodose/calling/caller_training.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"

namespace genodose::cli {

namespace {
TrainingBackend training_backend = nullptr;

[[noreturn]] void run_training_helper(const GlobalOptions& global) {
    std::error_code ec;
    const auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
    const std::string helper = (executable.parent_path() / "genodose-torch").string();
    if (ec || access(helper.c_str(), X_OK) != 0)
        throw InputError(helper + ": training helper not found next to genodose",
                         "build it with scripts/build.sh (target genodose-torch)");
    std::vector<char*> argv;
    for (const auto& argument : global.arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    execv(helper.c_str(), argv.data());
    throw InternalError(helper + ": cannot run: " + std::strerror(errno));
}
}  // namespace

void set_training_backend(TrainingBackend backend) { training_backend = backend; }

void add_train_caller_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    auto options = std::make_shared<TrainingOptions>();
    CLI::App* command =
        app.add_subcommand("train-caller", "Train the variant-calling CNN on make-examples output (LibTorch)");
    command->add_option("--examples", options->example_folders,
                        "Example folders from make-examples (one or more; not needed with --epochs 0)");
    command->add_option("--validation", options->validation_folders, "Example folders for validation / early stopping")
        ->required();
    command
        ->add_option("-o,--output", options->output_path,
                     "Model to write (best epoch, calibrated, genodose format); OUTPUT.torch.pt, OUTPUT.checkpoint.pt, "
                     "OUTPUT.uncalibrated.cnn and OUTPUT.log.tsv go beside it")
        ->required();
    command->add_option("--seed", options->seed, "Random seed (initialisation and shuffling)")->capture_default_str();
    command
        ->add_option("--epochs", options->max_epochs, "Maximum epochs (0 with --init-from: only calibrate that model)")
        ->capture_default_str();
    command->add_option("--init-from", options->initial_model,
                        "Start from this model's LibTorch archive (MODEL.cnn.torch.pt) instead of random weights: "
                        "fine-tuning, or with --epochs 0 calibration of that model on the validation examples");
    command->add_option("--patience", options->patience, "Epochs without validation improvement before stopping")
        ->capture_default_str();
    command->add_option("--learning-rate", options->learning_rate, "Initial learning rate (cosine schedule)")
        ->capture_default_str();
    command->add_option("--batch-size", options->batch_size, "Examples per batch")->capture_default_str();
    command->add_option("--max-minutes", options->max_minutes, "Stop after this many minutes, keeping the best model")
        ->capture_default_str();
    command->add_flag_callback(
        "--no-calibration", [options] { options->calibrate = false; },
        "Keep the best epoch's raw softmax (default: fit a temperature and class offsets on the "
        "validation examples, so GQ and QUAL are calibrated)");
    command->add_flag_callback(
        "--temperature-only", [options] { options->calibrate_offsets = false; },
        "Calibrate the temperature only, no class offsets: calls stay those of the raw model, only GQ "
        "and QUAL change (offsets would learn the class mix of the validation loci)");
    registry.on(command, [options, &global] {
        if (!training_backend) run_training_helper(global);
        if (options->example_folders.empty() && options->max_epochs != 0)
            throw UsageError("--examples is required (except with --epochs 0)");
        options->threads = global.threads;
        const TrainingReport report = training_backend(*options);
        GENODOSE_LOG_INFO("train-caller: best epoch " << report.best_epoch << " of " << report.epochs.size() << "; "
                                                      << report.training_examples << " training and "
                                                      << report.validation_examples << " validation examples; "
                                                      << report.parameters << " parameters → " << options->output_path);
    });
}

}  // namespace genodose::cli
