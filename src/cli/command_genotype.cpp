// `genodose genotype`: CYP2C9/VKORC1/CYP4F2 star alleles, phenotypes and warfarin SNPs → JSON.
#include <memory>

#include "commands.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/resources.hpp"
#include "genodose/pgx/genotyper.hpp"

namespace genodose::cli {

void add_genotype_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    auto options = std::make_shared<pgx::GenotypeOptions>();
    auto build = std::make_shared<std::string>("GRCh38");
    CLI::App* command = app.add_subcommand(
        "genotype", "CYP2C9/VKORC1/CYP4F2 star alleles, phenotypes and warfarin SNPs from a VCF (or reads) → JSON");
    auto* vcf = command->add_option("--vcf", options->vcf,
                                    "VCF, gVCF or BCF (plain, bgzip or BCF), single- or multi-sample; gVCF reference "
                                    "blocks with GQ >= 20 count as reference calls");
    auto* reads = command->add_option("--reads", options->reads,
                                      "BAM/CRAM to call the positions from with genodose's caller (needs --ref)");
    vcf->excludes(reads);
    command->add_option("--ref", options->reference, "Indexed reference FASTA for --reads");
    command->add_option("--model", options->model_path,
                        "Caller model for --reads (default: the shipped models/caller.cnn)");
    command
        ->add_option("-s,--sample", options->samples, "Sample(s) to genotype (repeat or comma-separate; default: all)")
        ->delimiter(',');
    command->add_option("--build", *build, "Genome build of the input: GRCh38 or GRCh37 (never guessed)")
        ->check(CLI::IsMember({"GRCh38", "GRCh37"}, CLI::ignore_case))
        ->capture_default_str();
    command->add_flag("--missing-to-ref", options->missing_to_ref,
                      "Treat positions with no record as reference/reference (an explicit ./. stays unknown); only for "
                      "inputs that cover every position, e.g. an all-sites VCF");
    command->add_option("-o,--output", options->output, "Output JSON")->required();
    command->add_option("--data-dir", options->data_directory,
                        "genodose data folder (default: $GENODOSE_DATA_DIR, else the installed or source data/)");

    registry.on(command, [options, build, &global] {
        options->build = pgx::parse_genome_build(*build);
        options->command_line = global.command_line;
        options->threads = global.threads;
        if (!options->vcf.empty()) require_readable(options->vcf, "VCF");
        for (const auto& path : options->reads) require_readable(path, "alignment file");
        if (!options->reads.empty() && !options->reference.empty())
            require_readable(options->reference, "reference FASTA");
        if (!options->reads.empty() && options->reference.empty())
            throw UsageError("genodose genotype --reads needs --ref (the reference the reads were aligned to)");
        if (!options->reads.empty() && options->model_path.empty()) options->model_path = default_caller_model_path();
        pgx::run_genotype(*options);
    });
}

}  // namespace genodose::cli
