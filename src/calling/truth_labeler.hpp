// Labels candidate alleles with the number of truth haplotypes that carry them (0, 1 or 2).
//
//   TruthLabeler truth(truth_vcf, reference, region, confident_regions);
//   int label = truth.label(contig, position, ref, alt);   // -1: do not train on this one
//
// Truth and candidate alleles are compared after normalisation (trim + left-align, multi-
// allelic records split, MNPs decomposed into SNVs), so an indel written differently in the
// truth set still labels the candidate correctly. Candidates near a truth variant that cannot
// be decomposed (complex replacements) get -1, as do candidates outside the confident regions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "genodose/core/genomic_region.hpp"
#include "genodose/core/variant_normalization.hpp"

namespace genodose {

class ReferenceGenome;

struct TruthAllele {
    NormalizedAllele allele;
    int copies = 0;        // haplotypes carrying it: 1 het, 2 hom-alt
    bool matched = false;  // set when a candidate carries it
};

class TruthLabeler {
public:
    // Loads truth records overlapping `region` (reference spelling; the VCF may use the other).
    TruthLabeler(const std::string& truth_path, const ReferenceGenome& reference, const GenomicRegion& region,
                 const std::vector<GenomicRegion>& confident_regions);

    // `ref`/`alt` minimal alleles anchored at `position`. Returns 0/1/2, or -1 if unlabelable.
    int label(std::int64_t position, const std::string& ref, const std::string& alt);

    // Truth alleles at positions in [begin, end) inside the confident regions, with `matched`
    // telling whether a candidate carried them (for candidate sensitivity).
    std::vector<TruthAllele> alleles_in(std::int64_t begin, std::int64_t end) const;
    std::size_t size() const { return alleles_.size(); }

private:
    bool confident(std::int64_t position) const;

    std::string contig_;
    std::string reference_window_;
    std::int64_t window_begin_ = 0;
    std::map<NormalizedAllele, TruthAllele> alleles_;
    std::vector<std::pair<std::int64_t, std::int64_t>> complex_spans_;
    std::vector<GenomicRegion> confident_;
    bool restrict_to_confident_ = false;
};

}  // namespace genodose
