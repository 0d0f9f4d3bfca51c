// Private to cli/: how subcommands are registered. One file per subcommand (command_*.cpp)
// fills an options struct from the command line and calls the library; nothing else.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace genodose::cli {

struct GlobalOptions {
    int threads = 1;
    bool quiet = false;
    bool verbose = false;
    bool progress = false;               // plain progress lines whatever stderr is
    double progress_interval = 30;       // seconds between plain progress lines
    std::string command_line;            // as typed, for ##commandline and report provenance
    std::vector<std::string> arguments;  // argv, for handing a command to the helper program
};

// train-caller runs in the genodose-torch helper program (the only one that links LibTorch):
// it installs the training function; genodose itself runs the helper with the same arguments.
}  // namespace genodose::cli
namespace genodose {
struct TrainingOptions;
struct TrainingReport;
struct CandidateOptions;
struct ReadFilterOptions;
struct RealignerOptions;
}  // namespace genodose
namespace genodose::cli {
using TrainingBackend = TrainingReport (*)(const TrainingOptions&);
void set_training_backend(TrainingBackend backend);

class CommandRegistry {
public:
    // Runs `action` if `command` was the subcommand given.
    void on(CLI::App* command, std::function<void()> action) { actions_[command] = std::move(action); }
    bool run_selected(CLI::App& app) const;

private:
    std::map<CLI::App*, std::function<void()>> actions_;
};

void add_call_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_joint_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_make_examples_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_train_caller_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_evaluate_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_genotype_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_dose_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_run_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_batch_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);
void add_report_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global);

// Checks that a file given on the command line exists (CLI11's ExistingFile would print a
// multi-line usage error; genodose wants its own one-line message with exit code 3).
void require_readable(const std::string& path, const std::string& what);

// The pileup options `call` and `make-examples` share (base and mapping quality, candidate
// thresholds, --no-realign), so that examples are made from reads filtered as `call` filters them.
void add_pileup_options(CLI::App* command, CandidateOptions& candidates, ReadFilterOptions& filters,
                        RealignerOptions& realigner);

}  // namespace genodose::cli
