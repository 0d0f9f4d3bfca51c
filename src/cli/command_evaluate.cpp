// `genodose evaluate`: GA4GH-style benchmarking of a query VCF against a truth VCF (hap.py-like
// summary CSV, JSON metrics with genotype strata). The work is in evaluation/.
#include <iostream>

#include "commands.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/evaluation/evaluate.hpp"
#include "genodose/evaluation/evaluation_report.hpp"

namespace genodose::cli {

void add_evaluate_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    struct Settings {
        evaluation::EvaluationOptions options;
        std::string output_prefix;
        bool atomic_records = false;
    };
    auto settings = std::make_shared<Settings>();
    auto& o = settings->options;
    CLI::App* command = app.add_subcommand(
        "evaluate",
        "Benchmark a VCF against a truth set (GA4GH/hap.py definitions, vcfeval-style haplotype matching).\n"
        "Writes PREFIX.summary.csv (hap.py columns) and PREFIX.metrics.json and prints the summary.");
    command->add_option("--truth", o.truth_path, "Truth VCF/BCF (bgzip + tabix/csi index), e.g. GIAB")->required();
    command->add_option("--query", o.query_path, "VCF/BCF to evaluate (indexed)")->required();
    command->add_option("-r,--ref,--reference", o.reference_path, "Reference FASTA (faidx-indexed; bgzip needs .gzi)")
        ->required();
    command->add_option(
        "--regions,-f,--confident-regions", o.confident_regions,
        "Confident regions (BED or one region): truth outside is not counted, query calls outside are UNK");
    command->add_option(
        "--target-regions,-T", o.target_regions,
        "Evaluate only here (BED or one region, e.g. chr20:10000001-10100000); restricts truth and query");
    command->add_option("--truth-sample", o.truth_sample, "Sample in the truth VCF (default: the first)");
    command->add_option("--query-sample", o.query_sample, "Sample in the query VCF (default: the first)");
    command
        ->add_option("-o,--output-prefix", settings->output_prefix,
                     "Output prefix: PREFIX.summary.csv, PREFIX.metrics.json")
        ->required();
    command->add_flag("--write-decisions", o.keep_decisions,
                      "Also write PREFIX.decisions.tsv: one row per normalised truth/query allele with TP/FN/FP/UNK");
    command->add_flag("--atomic-records", settings->atomic_records,
                      "Match every VCF record whole, as RTG vcfeval does (default: MNPs are split into SNPs)");
    command
        ->add_option("--cluster-gap", o.cluster_gap,
                     "Variants this close (bp, after repeat shifting) are compared together")
        ->check(CLI::Range(0, 10000))
        ->capture_default_str();
    command
        ->add_option("--max-paths", o.matcher.max_paths,
                     "Bound on the haplotype search per cluster; larger clusters fall back to exact-allele matching")
        ->check(CLI::Range(16, 10000000))
        ->capture_default_str();

    registry.on(command, [settings, &global] {
        auto& options = settings->options;
        options.split_substitutions = !settings->atomic_records;
        // First: an unwritable prefix fails fast, and outputs of an earlier run go at once, so
        // that no failure below can leave them looking current.
        evaluation::EvaluationOutputs outputs(settings->output_prefix, options.keep_decisions);
        require_readable(options.truth_path, "truth VCF");
        require_readable(options.query_path, "query VCF");
        require_readable(options.reference_path, "reference FASTA");
        const evaluation::EvaluationResult result = evaluation::evaluate_calls(options);
        outputs.write(result, {options, global.command_line});
        std::cout << evaluation::summary_table(result) << std::flush;
        // Output names may carry sample identifiers: only at debug level.
        GENODOSE_LOG_DEBUG("wrote " << settings->output_prefix << ".summary.csv and .metrics.json"
                                    << (options.keep_decisions ? " and .decisions.tsv" : ""));
    });
}

}  // namespace genodose::cli
