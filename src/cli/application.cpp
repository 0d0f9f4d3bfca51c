#include "genodose/cli/application.hpp"

#include <new>
#include <sstream>

#include "commands.hpp"
#include "genodose/calling/candidates.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/calling/local_realigner.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/version.hpp"
#include "genodose/dosing/xgboost_info.hpp"
#include "genodose/io/alignment_reader.hpp"
#include "genodose/io/htslib_info.hpp"
#include "genodose/report/cairo_info.hpp"

namespace genodose::cli {

bool CommandRegistry::run_selected(CLI::App& app) const {
    for (const auto& [command, action] : actions_) {
        if (command->parsed()) {
            action();
            return true;
        }
    }
    return false;
}

void require_readable(const std::string& path, const std::string& what) {
    if (!readable_file(path)) throw InputError(file_message(path, what + " not found or not readable"));
}

void add_pileup_options(CLI::App* command, CandidateOptions& candidates, ReadFilterOptions& filters,
                        RealignerOptions& realigner) {
    command->add_option("--min-base-quality", candidates.min_base_quality, "Minimum base quality counted")
        ->capture_default_str();
    command->add_option("--min-mapping-quality", filters.min_mapping_quality, "Minimum mapping quality of reads")
        ->capture_default_str();
    command->add_option("--min-alt-count", candidates.min_alt_count, "Reads supporting an alt allele for a candidate")
        ->capture_default_str();
    command->add_option("--min-snv-fraction", candidates.min_snv_fraction, "Allele fraction for SNV candidates")
        ->capture_default_str();
    command->add_option("--min-indel-fraction", candidates.min_indel_fraction, "Allele fraction for indel candidates")
        ->capture_default_str();
    command->add_flag_callback(
        "--no-realign", [&realigner] { realigner.enabled = false; },
        "Skip local haplotype realignment of reads around indels (faster, misses indels in repeats)");
}

namespace {

std::string version_text() {
    std::ostringstream text;
    text << "genodose " << genodose::version << "\n"
         << "htslib " << htslib_version() << "\n"
         << "LibTorch " << genodose::libtorch_build_version << " (training helper genodose-torch)\n"
         << "Eigen " << eigen_version() << " (CNN inference)\n"
         << "XGBoost " << xgboost_version() << "\n"
         << "cairo " << cairo_version() << "\n"
         << "pango " << pango_version() << "\n";
    return text.str();
}

std::string joined_command_line(int argc, char** argv) {
    std::string line;
    for (int i = 0; i < argc; ++i) {
        if (i) line += ' ';
        line += argv[i];
    }
    return line;
}

void print_error(const std::string& what, const std::string& help) {
    // One line: the message names the file/region/row and the problem.
    log::write(log::Level::error, what);
    if (!help.empty()) log::write(log::Level::info, "hint: " + help);
}

// Options given to `genodose` itself work before or after any subcommand (fallthrough), but
// CLI11 lists them only in `genodose --help`: each subcommand's help gets them as a footer.
void list_global_options_in_subcommand_help(CLI::App& app) {
    const CLI::Formatter formatter;
    std::string text = "Global options (before or after the subcommand):\n";
    for (const CLI::Option* option : app.get_options())
        if (option->get_name() != "--help" && option->get_name() != "--version")
            text += formatter.make_option(option, false);
    std::function<void(CLI::App&)> add_footer = [&](CLI::App& parent) {
        for (CLI::App* command : parent.get_subcommands({})) {
            command->footer(text);
            add_footer(*command);
        }
    };
    add_footer(app);
}

}  // namespace

int run(int argc, char** argv) {
    install_interrupt_cleanup();
    configure_htslib_logging(false);
    GlobalOptions global;
    global.command_line = joined_command_line(argc, argv);
    global.arguments.assign(argv, argv + argc);

    CLI::App app{"genodose: sequencing reads or variant calls → pharmacogenomic genotypes → warfarin dose report.\n"
                 "Exit codes: 0 ok, 1 some batch samples failed, 2 usage error, 3 bad input, 4 output could not be\n"
                 "written, 5 not implemented, 70 internal error, 130 interrupted.",
                 "genodose"};
    app.require_subcommand(0, 1);
    app.fallthrough();  // common options may come before or after the subcommand
    app.set_version_flag("--version", version_text(), "Print the versions of genodose and its libraries");
    app.add_option("-t,--threads", global.threads, "Worker threads")->check(CLI::Range(1, 1024))->capture_default_str();
    auto* quiet = app.add_flag("-q,--quiet", global.quiet, "Only print errors");
    app.add_flag("-v,--verbose", global.verbose, "Print debug messages")->excludes(quiet);
    app.add_flag(
        "--progress", global.progress,
        "Progress of long steps (call, make-examples, run) as plain lines, also on a terminal (default: a bar on "
        "a terminal, else a line every --progress-interval seconds; none with --quiet)");
    app.add_option("--progress-interval", global.progress_interval, "Seconds between plain progress lines")
        ->check(CLI::Range(0.0, 86400.0))
        ->capture_default_str();

    CommandRegistry registry;
    add_call_command(app, registry, global);
    add_joint_command(app, registry, global);
    add_make_examples_command(app, registry, global);
    add_train_caller_command(app, registry, global);
    add_evaluate_command(app, registry, global);
    add_genotype_command(app, registry, global);
    add_dose_command(app, registry, global);
    add_run_command(app, registry, global);
    add_batch_command(app, registry, global);
    add_report_command(app, registry, global);
    list_global_options_in_subcommand_help(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        print_error(e.what(), "see genodose --help");
        return static_cast<int>(ExitCode::usage);
    }

    log::set_level(global.quiet ? log::Level::error : global.verbose ? log::Level::debug : log::Level::info);
    log::set_progress(global.progress ? log::ProgressStyle::plain : log::ProgressStyle::automatic,
                      global.progress_interval);
    configure_htslib_logging(global.verbose);
    try {
        if (!registry.run_selected(app)) {
            std::cout << app.help();
            return static_cast<int>(ExitCode::usage);
        }
        return static_cast<int>(ExitCode::ok);
    } catch (const Error& e) {
        const std::string message = e.public_message();
        print_error(message, e.help());
        if (message != e.what()) GENODOSE_LOG_DEBUG("the error in full: " << e.what());
        return static_cast<int>(e.exit_code());
    } catch (const std::bad_alloc&) {
        print_error("out of memory", "try fewer --threads or a smaller region");
        return static_cast<int>(ExitCode::internal);
    } catch (const std::exception& e) {
        print_error(std::string("internal error: ") + e.what(), "please report this as a bug, with the command line");
        return static_cast<int>(ExitCode::internal);
    }
}

}  // namespace genodose::cli
