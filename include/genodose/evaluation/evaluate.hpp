// GA4GH-style benchmarking of a query VCF against a truth VCF (what hap.py / RTG vcfeval do).
//
//   EvaluationOptions options;
//   options.truth_path = "HG001.vcf.gz"; options.query_path = "calls.vcf.gz";
//   options.reference_path = "ref.fa.gz"; options.confident_regions = "confident.bed";
//   EvaluationResult result = evaluate_calls(options);
//   Counts snp = result.total(FilterSet::pass, VariantType::snp);
//
// Definitions (Krusche et al. 2019, hap.py): a truth allele whose haplotypes are reproduced by
// the query is TRUTH.TP, otherwise TRUTH.FN; a query allele that reproduces truth is QUERY.TP,
// otherwise QUERY.FP, or QUERY.UNK if it lies outside the confident regions (no truth there).
// A genotype mismatch (the allele is right, the zygosity is not) is both an FN and an FP, and
// the FP also counts in FP.gt. Only FILTER PASS truth records are used (as hap.py and vcfeval);
// ALL rows use every query call, PASS rows only FILTER PASS/'.' calls (matched separately).
// Query and truth records with GT 0/0 or ./. are not calls. Counting is per allele after
// normalisation: an MNP counts per SNP, a 1/2 genotype once per ALT allele.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "genodose/evaluation/comparable_variant.hpp"
#include "genodose/evaluation/haplotype_matcher.hpp"

namespace genodose::evaluation {

struct EvaluationOptions {
    std::string truth_path;
    std::string query_path;
    std::string reference_path;
    std::string confident_regions;  // BED file or one region; empty: everything is confident
    std::string target_regions;     // BED file or one region; empty: whole genome
    std::string truth_sample;       // empty: the file's first sample
    std::string query_sample;
    std::int64_t cluster_gap = 30;  // variants closer than this (after repeat shifting) are compared together
    MatcherOptions matcher;
    bool split_substitutions = true;  // false: every record matches whole (RTG vcfeval's unit)
    bool keep_decisions = false;      // fill EvaluationResult::decisions (one row per counted allele)
};

enum class FilterSet { all = 0, pass = 1 };
const char* to_string(FilterSet filter);

struct Counts {
    std::uint64_t truth_total = 0;
    std::uint64_t truth_tp = 0;
    std::uint64_t truth_fn = 0;
    std::uint64_t query_total = 0;  // TP + FP + UNK
    std::uint64_t query_tp = 0;
    std::uint64_t query_fp = 0;
    std::uint64_t query_unk = 0;
    std::uint64_t fp_gt = 0;  // FPs whose allele is in the truth with another genotype

    Counts& operator+=(const Counts& other);
};

// hap.py's METRIC.* columns; empty when the denominator is zero.
struct Metrics {
    std::optional<double> recall;     // TRUTH.TP / (TRUTH.TP + TRUTH.FN)
    std::optional<double> precision;  // QUERY.TP / (QUERY.TP + QUERY.FP)
    std::optional<double> frac_na;    // QUERY.UNK / QUERY.TOTAL
    std::optional<double> f1;         // harmonic mean of recall and precision
};
Metrics compute_metrics(const Counts& counts);

struct InputStatistics {
    std::uint64_t records = 0;            // records read inside the target regions
    std::uint64_t calls = 0;              // records with a non-reference genotype
    std::uint64_t not_pass_ignored = 0;   // truth only: records failing FILTER
    std::uint64_t outside_confident = 0;  // truth: not counted; query: counted as UNK
    std::uint64_t ref_mismatch = 0;       // REF disagrees with the reference: skipped
    std::uint64_t symbolic = 0;           // symbolic/breakend alleles: skipped
    std::uint64_t polyploid = 0;          // more than two genotype alleles: skipped
};

struct MatchingStatistics {
    std::uint64_t clusters = 0;              // clusters compared by haplotype (ALL and PASS passes)
    std::uint64_t clusters_too_complex = 0;  // fell back to exact-allele matching
    std::uint64_t largest_cluster = 0;       // variants (truth + query) in the largest cluster
};

// One counted allele, for the optional decisions table.
struct Decision {
    std::string contig;
    std::int64_t position = 0;  // 1-based, VCF style (anchor base included for indels)
    std::string ref;
    std::string alt;
    bool truth = false;  // truth allele (else query)
    VariantType type = VariantType::snp;
    GenotypeClass genotype_class = GenotypeClass::het;
    bool passes_filters = true;
    std::string decision_all;          // TP/FN (truth), TP/FP/UNK (query); "-" if not counted
    std::string decision_pass;         // as above for the PASS rows; "-" for a non-PASS query call
    bool fp_gt = false;                // in the ALL rows
    std::int64_t record_position = 0;  // POS of the VCF record the allele came from (for joining
                                       // decisions with the record's own fields, e.g. GQ)
};

struct EvaluationResult {
    // counts[filter][type][genotype class of the counted variant]
    std::array<std::array<std::array<Counts, 3>, 2>, 2> counts{};
    // The same per VCF record (a record is TP only if all its alleles are), as RTG vcfeval counts;
    // SNP and INDEL together, indexed by filter.
    std::array<Counts, 2> record_counts{};
    InputStatistics truth_statistics;
    InputStatistics query_statistics;
    MatchingStatistics matching;
    std::string truth_sample;  // the sample compared in each file
    std::string query_sample;
    std::vector<std::string> contigs;  // reference contigs that had truth or query variants
    std::vector<Decision> decisions;

    // Sums over the strata left open.
    Counts total(FilterSet filter, std::optional<VariantType> type = std::nullopt,
                 std::optional<GenotypeClass> genotype_class = std::nullopt) const;
};

// Reads, normalises and compares. InputError for unreadable/unindexed inputs, samples or
// regions that do not exist, or a reference that does not match the VCFs.
EvaluationResult evaluate_calls(const EvaluationOptions& options);

}  // namespace genodose::evaluation
