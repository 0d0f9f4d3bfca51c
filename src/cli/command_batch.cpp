// `genodose batch`: a sample sheet of patients → one report folder each + cohort.tsv/cohort.html.
#include <memory>

#include "commands.hpp"
#include "genodose/app/batch.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"

namespace genodose::cli {

// Defined in command_run.cpp: the options run and batch share.
void add_pipeline_options(CLI::App* command, app::PipelineSettings& settings, std::string& build, std::string& formats);
void finish_pipeline_options(app::PipelineSettings& settings, const std::string& build, const std::string& formats,
                             const GlobalOptions& global);

namespace {

// Exit code 1: the batch ran, and some samples failed (their errors are in cohort.tsv).
class SomeSamplesFailed : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const noexcept override { return ExitCode::some_samples_failed; }
};

}  // namespace

void add_batch_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    auto batch = std::make_shared<app::BatchOptions>();
    auto build = std::make_shared<std::string>("GRCh38");
    auto formats = std::make_shared<std::string>("html,pdf,fhir");
    CLI::App* command = app.add_subcommand(
        "batch", "Many samples from a sample sheet: a report folder per sample, cohort.tsv and cohort.html. "
                 "Exit code 1 if some samples failed (the others are reported)");
    command->add_option("--samples", batch->sample_sheet, "Sample sheet (TSV; see docs/report-schema.md)")->required();
    command
        ->add_option("-o,--output-dir", batch->output_dir,
                     "Output folder: <sample_id>/ per sample, cohort.tsv, cohort.html")
        ->required();
    add_pipeline_options(command, batch->settings, *build, *formats);

    registry.on(command, [batch, build, formats, &global] {
        finish_pipeline_options(batch->settings, *build, *formats, global);
        require_readable(batch->sample_sheet, "sample sheet");
        batch->threads = global.threads;
        const app::BatchSummary summary = app::run_batch(*batch);
        GENODOSE_LOG_INFO("batch: " << summary.succeeded << " of " << summary.samples << " samples reported in "
                                    << static_cast<int>(summary.seconds + 0.5) << " s; " << summary.cohort_tsv << ", "
                                    << summary.cohort_html);
        if (summary.failed > 0)
            throw SomeSamplesFailed(
                std::to_string(summary.failed) + " of " + std::to_string(summary.samples) +
                    " samples failed; their errors are in " + summary.cohort_tsv,
                summary.succeeded > 0 ? "the other samples' reports were written" : "no report was written");
    });
}

}  // namespace genodose::cli
