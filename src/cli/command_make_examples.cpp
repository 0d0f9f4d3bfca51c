// `genodose make-examples`: labelled pileup tensors for training the caller.
#include "commands.hpp"
#include "genodose/calling/make_examples.hpp"
#include "genodose/core/logging.hpp"

namespace genodose::cli {

void add_make_examples_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    auto options = std::make_shared<MakeExamplesOptions>();
    auto regions = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand("make-examples", "Write labelled pileup tensors for training the caller");
    command->add_option("--ref", options->reference_path, "Indexed reference FASTA (plain or bgzip)")->required();
    command->add_option("--reads", options->reads_path, "Indexed BAM or CRAM")->required();
    command->add_option("--truth", options->truth_path, "Truth VCF (bgzip + tabix) for labels")->required();
    command->add_option("--confident", options->confident_bed,
                        "BED of confident regions: label only candidates inside");
    command->add_option(
        "--regions", *regions,
        "Regions: chr, chr:start-end, chr:start- (1-based, inclusive), a comma-separated list of these, or a BED file (recognised by its content, tab- or space-separated, plain or gzip); default: all contigs");
    command->add_option("--output", options->output_folder, "Output folder for example shards and summary.json")
        ->required();
    command->add_option("--chunk-size", options->chunk_size, "Bases per parallel work unit (at least 1)")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40))
        ->capture_default_str();
    add_pileup_options(command, options->candidates, options->filters, options->realigner);
    registry.on(command, [options, regions, &global] {
        if (!regions->empty()) options->regions = parse_regions_argument(*regions);
        options->threads = global.threads;
        const MakeExamplesSummary summary = make_examples(*options);
        GENODOSE_LOG_INFO("make-examples: "
                          << summary.examples << " examples (" << summary.examples_per_class[0] << " hom-ref, "
                          << summary.examples_per_class[1] << " het, " << summary.examples_per_class[2]
                          << " hom-alt) from " << summary.candidate_sites << " candidate sites; " << summary.missed_snvs
                          << "/" << summary.truth_snvs << " truth SNVs and " << summary.missed_indels << "/"
                          << summary.truth_indels << " truth indels missed by candidate generation; " << summary.seconds
                          << " s");
    });
}

}  // namespace genodose::cli
