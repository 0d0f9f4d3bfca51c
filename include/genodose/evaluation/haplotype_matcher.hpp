// Representation-independent matching of truth and query variants in one cluster (vcfeval's idea).
//
//   HaplotypeMatcher matcher(window, {});
//   MatchOutcome outcome = matcher.match(truth_variants, query_variants);   // sorted by start
//   if (outcome.query_matched[i]) ...                                        // a TP call
//
// The matcher looks for the subsets of truth and query variants, each variant placed on one of the
// two haplotypes (heterozygous) or both (homozygous), whose haplotype sequences are identical, and
// keeps the one that includes the most alleles. Positions are swept left to right; each partial
// assignment ("path") plays its edits into four haplotype sequences (truth 1/2, query 1/2) and
// dies as soon as a truth and a query haplotype disagree. Paths in the same state are merged,
// keeping the best, so the search grows only with the number of still-ambiguous placements, and
// it is bounded: past `max_paths` the cluster falls back to matching identical normalised alleles.
#pragma once

#include <cstddef>
#include <vector>

#include "genodose/evaluation/comparable_variant.hpp"

namespace genodose::evaluation {

struct MatcherOptions {
    std::size_t max_paths = 4096;  // live partial assignments before a cluster counts as too complex
};

struct MatchOutcome {
    std::vector<bool> truth_matched;
    std::vector<bool> query_matched;
    bool too_complex = false;  // the bounded search gave up; exact-allele matching was used
};

class HaplotypeMatcher {
public:
    HaplotypeMatcher(const ReferenceWindow& reference, const MatcherOptions& options)
        : reference_(reference), options_(options) {}

    // Both lists sorted by `start`. Variants on one side that overlap on the same haplotype are
    // never combined (at most one of them is included on that haplotype).
    MatchOutcome match(const std::vector<const ComparableVariant*>& truth,
                       const std::vector<const ComparableVariant*>& query) const;

private:
    const ReferenceWindow& reference_;
    MatcherOptions options_;
};

// The fallback: a truth and a query variant match if their edits are identical (either
// haplotype order). Exposed for tests.
MatchOutcome match_identical_alleles(const std::vector<const ComparableVariant*>& truth,
                                     const std::vector<const ComparableVariant*>& query);

}  // namespace genodose::evaluation
