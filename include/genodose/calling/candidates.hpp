// Candidate variant sites from allele counts over a chunk of reads (DeepVariant's
// AlleleCounter + VariantCaller candidate step).
//
//   CandidateFinder finder(options);
//   finder.find(store, contig, {begin, end}, candidates);   // appends, in position order
//
// A site is a candidate when an alt allele has at least `min_alt_count` supporting reads with
// base quality >= `min_base_quality` and allele fraction >= the SNV or indel threshold. SNVs
// and indels anchored at the same position form one multi-allelic site.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genodose/calling/read_store.hpp"

namespace genodose {

struct CandidateOptions {
    int min_base_quality = 10;
    int min_alt_count = 2;
    double min_snv_fraction = 0.12;
    double min_indel_fraction = 0.06;
    int max_alt_alleles = 3;  // the best-supported alts of a site are kept
};

struct CandidateAllele {
    enum class Kind : std::uint8_t { snv, insertion, deletion };
    Kind kind = Kind::snv;
    char base = 'N';          // snv: the alt base
    std::int32_t length = 0;  // insertion/deletion length
    std::string inserted;     // insertion: inserted bases
    int support = 0;          // reads supporting it

    // The allele as a minimal VCF pair anchored at `position` (SNV: 1 base; indels: anchor base).
    void minimal_representation(const ReadStore& store, std::int64_t position, std::string& ref,
                                std::string& alt) const;
};

struct Candidate {
    std::int64_t position = 0;  // 0-based anchor position
    int depth = 0;              // reads covering the position (good-quality bases and gaps)
    int ref_support = 0;        // good-quality reference bases of reads without an indel anchored here
    std::vector<CandidateAllele> alts;

    // Merged VCF representation: REF spans the longest deletion; alts padded to match.
    void vcf_alleles(const ReadStore& store, std::string& ref, std::vector<std::string>& alts_out) const;
};

// True if read `i` of the store carries `allele` at `position`.
bool read_supports_allele(const ReadStore& store, std::size_t i, std::int64_t position, const CandidateAllele& allele);

class CandidateFinder {
public:
    explicit CandidateFinder(const CandidateOptions& options) : options_(options) {}
    // Appends the candidates with positions in [begin, end) to `out`.
    void find(const ReadStore& store, std::int64_t begin, std::int64_t end, std::vector<Candidate>& out);

    struct PositionCounts {
        int bases[4] = {0, 0, 0, 0};  // good-quality A, C, G, T
        int depth = 0;                // good-quality bases and deletion gaps
        // Of bases[b], reads whose indel is anchored here: they carry the indel, not the base
        // (reference or SNV) alone, so AD counts each such read for its indel only and the
        // allele depths of a site never add up to more than its depth.
        int bases_anchoring_indel[4] = {0, 0, 0, 0};
    };
    // Counts of the last find(), one per position of [begin, end) (for gVCF reference blocks).
    const std::vector<PositionCounts>& position_counts() const { return counts_; }

private:
    CandidateOptions options_;
    std::vector<PositionCounts> counts_;     // reused per chunk
    std::vector<const IndelEvent*> events_;  // reused per chunk
};

}  // namespace genodose
