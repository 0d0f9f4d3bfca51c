// `genodose call`: germline variants from reads with the CNN.
#include "commands.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/calling/variant_caller.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/resources.hpp"
#include "genodose/core/version.hpp"

namespace genodose::cli {

void add_call_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    auto options = std::make_shared<CallOptions>();
    auto regions = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand("call", "Call germline variants from reads with the CNN");
    command->add_option("--ref", options->reference_path, "Indexed reference FASTA (plain or bgzip)")->required();
    command->add_option("--reads", options->reads_path, "Indexed BAM or CRAM")->required();
    command
        ->add_option(
            "-o,--output", options->output_path,
            "Output VCF (.vcf.gz: bgzip + tabix index; .bcf; .vcf; - for uncompressed VCF on stdout); a missing folder is created")
        ->required();
    command->add_option(
        "--regions", *regions,
        "Regions: chr, chr:start-end, chr:start- (1-based, inclusive), a comma-separated list of these, or a BED file (recognised by its content, tab- or space-separated, plain or gzip; an empty one is an error); default: all contigs");
    command->add_option("--model", options->model_path, "Caller model (default: the shipped models/caller.cnn)");
    command->add_option(
        "--sample", options->sample_name,
        "Sample name in the VCF (default: @RG SM of the reads); when the reads hold several samples (@RG SM), the one whose read groups are called");
    command->add_option("--gvcf", options->gvcf_path, "Also write a gVCF with reference blocks");
    command->add_option("--min-quality", options->min_quality, "QUAL below which a non-reference call is LowQual")
        ->capture_default_str();
    command->add_option("--chunk-size", options->chunk_size, "Bases per parallel work unit (at least 1)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40))
        ->capture_default_str();
    add_pileup_options(command, options->candidates, options->filters, options->realigner);
    command->add_option("--max-depth", options->filters.max_depth, "Reads kept per position where deeper (0: no cap)")
        ->check(CLI::Range(0, 100000000))
        ->capture_default_str();
    registry.on(command, [options, regions, &global] {
        if (!regions->empty()) options->regions = parse_regions_argument(*regions);
        if (options->model_path.empty()) options->model_path = default_caller_model_path();
        options->threads = global.threads;
        options->command_line = global.command_line;
        options->source = std::string("genodose ") + genodose::version;
        const CallSummary summary = call_variants(*options).summary;
        GENODOSE_LOG_INFO("call: " << summary.variant_records << " variant records (" << summary.pass_records
                                   << " PASS) from " << summary.candidate_sites << " candidate sites and "
                                   << summary.reads << " reads in " << summary.seconds << " s → "
                                   << options->output_path);
    });
}

}  // namespace genodose::cli
