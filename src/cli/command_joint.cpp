// `genodose joint`: per-sample gVCFs merged into one cohort VCF, every sample genotyped at
// every variant site.
#include <fstream>

#include "commands.hpp"
#include "genodose/calling/joint_genotyper.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/version.hpp"

namespace genodose::cli {

namespace {

// One path per line; blank lines and lines starting with '#' are skipped.
std::vector<std::string> read_path_list(const std::string& list_path) {
    require_readable(list_path, "gVCF list");
    std::ifstream in(list_path);
    std::vector<std::string> paths;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        paths.push_back(line);
    }
    if (paths.empty()) throw InputError(file_message(list_path, "lists no gVCF"));
    return paths;
}

}  // namespace

void add_joint_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    auto options = std::make_shared<JointOptions>();
    auto list_path = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand(
        "joint", "Joint genotyping: merge per-sample gVCFs (genodose call --gvcf) into one cohort VCF, every sample "
                 "genotyped at every variant site");
    auto* gvcfs =
        command->add_option("--gvcfs", options->gvcf_paths, "Per-sample gVCFs (one sample each, same reference)");
    auto* list =
        command->add_option("--gvcf-list", *list_path, "File with one gVCF path per line (instead of --gvcfs)");
    gvcfs->excludes(list);
    command
        ->add_option("-o,--output", options->output_path,
                     "Cohort VCF (.vcf.gz: bgzip + tabix index; .bcf; .vcf; - for uncompressed VCF on stdout)")
        ->required();
    registry.on(command, [options, list_path, &global] {
        if (!list_path->empty()) options->gvcf_paths = read_path_list(*list_path);
        if (options->gvcf_paths.empty()) throw UsageError("give the gVCFs with --gvcfs or --gvcf-list");
        for (const auto& path : options->gvcf_paths) require_readable(path, "gVCF");
        options->command_line = global.command_line;
        options->source = std::string("genodose ") + genodose::version;
        const JointSummary summary = joint_genotype(*options);
        GENODOSE_LOG_INFO("joint: " << summary.sites << " sites (" << summary.multiallelic_sites
                                    << " multi-allelic) for " << summary.samples << " samples from "
                                    << summary.records_read << " gVCF records in " << summary.seconds << " s → "
                                    << options->output_path);
    });
}

}  // namespace genodose::cli
