// `genodose run`: one patient's reads or VCF + patient file → genotypes → dose → report folder.
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <memory>
#include <sstream>

#include "commands.hpp"
#include "genodose/app/pipeline.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/pgx/definitions.hpp"

namespace genodose::cli {

namespace {
struct PipelineCommandOptions {
    std::string build = "GRCh38";
    std::string formats = "html,pdf,fhir";
    app::PipelineSettings settings;
};
}  // namespace

// Options that configure the pipeline, shared by run and batch (command_batch.cpp).
void add_pipeline_options(CLI::App* command, app::PipelineSettings& settings, std::string& build, std::string& formats);
void finish_pipeline_options(app::PipelineSettings& settings, const std::string& build, const std::string& formats,
                             const GlobalOptions& global);

// SOURCE_DATE_EPOCH (the reproducible-builds convention) fixes the report date, so two runs on
// the same inputs give byte-identical files; otherwise the date is now.
std::string report_date_from_environment() {
    const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
    if (!epoch || !*epoch) return {};
    char* end = nullptr;
    const long long seconds = std::strtoll(epoch, &end, 10);
    if (*end != '\0' || seconds < 0)
        throw UsageError(std::string("SOURCE_DATE_EPOCH must be seconds since 1970, got '") + epoch + "'");
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

void add_pipeline_options(CLI::App* command, app::PipelineSettings& settings, std::string& build,
                          std::string& formats) {
    command->add_option("--build", build, "Genome build of the input: GRCh38 or GRCh37 (never guessed)")
        ->check(CLI::IsMember({"GRCh38", "GRCh37"}, CLI::ignore_case))
        ->capture_default_str();
    command->add_flag("--missing-to-ref", settings.missing_to_ref,
                      "VCF input: positions with no record count as reference (only for all-sites VCFs)");
    command->add_option("--dose-model", settings.dose_model,
                        "Dose model (default: the shipped models/warfarin_dose.json)");
    command->add_option("--caller-model", settings.caller_model,
                        "Caller model for reads (default: the shipped models/caller.cnn)");
    command->add_option("--data-dir", settings.data_directory,
                        "genodose data folder (default: $GENODOSE_DATA_DIR, else the installed or source data/)");
    command->add_option("--formats", formats, "Report formats besides report.json: html, pdf, fhir (comma-separated)")
        ->capture_default_str();
    command->add_option("--lab-config", settings.lab_config,
                        "Laboratory configuration JSON: laboratory, address, director, CLIA/CAP/local ids, platform "
                        "(docs/report-schema.md)");
    command
        ->add_option("--low-depth", settings.low_depth, "Read depth below which a key position is flagged for review")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
}

void finish_pipeline_options(app::PipelineSettings& settings, const std::string& build, const std::string& formats,
                             const GlobalOptions& global) {
    settings.build = pgx::parse_genome_build(build);
    settings.formats = report::parse_report_formats(formats);
    settings.command_line = global.command_line;
    settings.generated_at = report_date_from_environment();
    if (!settings.dose_model.empty()) require_readable(settings.dose_model, "dose model");
    if (!settings.caller_model.empty()) require_readable(settings.caller_model, "caller model");
    if (!settings.lab_config.empty()) require_readable(settings.lab_config, "lab configuration");
}

void add_run_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    auto options = std::make_shared<PipelineCommandOptions>();
    auto request = std::make_shared<app::SampleRequest>();
    CLI::App* command = app.add_subcommand(
        "run", "Reads (BAM/CRAM) or VCF + patient → genotypes → warfarin dose → report (JSON, HTML, PDF, FHIR)");
    command
        ->add_option("--patient", request->patient_file,
                     "Patient file: patient JSON (docs/patient-schema.md) or IWPC-format CSV")
        ->required();
    command->add_option("--patient-id", request->patient_id, "The patient to report when the file holds several");
    auto* reads = command->add_option("--reads", request->reads, "BAM/CRAM of the sample (indexed); needs --ref");
    command->add_option("--ref", request->reference, "Indexed reference FASTA the reads are aligned to");
    auto* vcf = command->add_option("--vcf", request->vcf, "VCF/BCF with the sample's genotypes");
    reads->excludes(vcf);
    command->add_option("-s,--sample", request->sample,
                        "Sample name in the VCF (default: the only one, or the patient's sample_id)");
    command->add_option("-o,--output-dir", request->output_dir, "Folder for the report files (created if missing)")
        ->required();
    add_pipeline_options(command, options->settings, options->build, options->formats);

    registry.on(command, [options, request, &global] {
        finish_pipeline_options(options->settings, options->build, options->formats, global);
        require_readable(request->patient_file, "patient file");
        if (request->reads.empty() && request->vcf.empty())
            throw UsageError("genodose run needs --reads (with --ref) or --vcf");
        if (!request->reads.empty()) {
            require_readable(request->reads, "alignment file");
            if (request->reference.empty()) throw UsageError("--reads needs --ref");
            require_readable(request->reference, "reference FASTA");
        }
        if (!request->vcf.empty()) require_readable(request->vcf, "VCF");
        std::ifstream in(request->patient_file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        request->patient_text = text.str();
        request->patient_source = request->patient_file;
        request->threads = global.threads;
        const app::ReportPipeline pipeline(options->settings);
        const app::SampleOutcome outcome = pipeline.run(*request);
        GENODOSE_LOG_INFO("run: wrote " << outcome.files.size() << " files to " << request->output_dir << " in "
                                        << static_cast<int>(outcome.seconds + 0.5) << " s (" << outcome.files.front()
                                        << ", " << outcome.files[outcome.files.size() > 1 ? 1 : 0] << ", ...)");
    });
}

}  // namespace genodose::cli
