// gVCF output: every candidate site, plus reference blocks for the positions in between, so
// per-sample results can be merged into a cohort later (GATK/DeepVariant convention).
//
//   GvcfWriter gvcf(path, header);          // header as for the VCF; gVCF lines are added
//   gvcf.add_chunk(chunk, counts, sites);   // chunks in coordinate order
//   gvcf.close();
//
// Candidate sites carry an extra ALT <*> (any other allele), whose per-allele probabilities are
// taken as (1 − ε, ε, ε²) with ε = 10⁻³, since the CNN does not score unseen alleles.
// Reference positions get a genotype quality from a binomial model of reference vs other
// bases (error rate 1%), and consecutive positions whose GQ falls in the same band
// (0,1,2,3,5,7,10,15,20,30,40,50,60,70,80,90,99) form one block with END, GQ (the minimum),
// MIN_DP and PL. Positions with reference N are skipped; uncovered positions are ./. blocks.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "genodose/core/genomic_region.hpp"
#include "genodose/io/vcf_writer.hpp"

namespace genodose {

struct GvcfSite {
    VcfOutputRecord record;  // the site with its extra <*> allele (see non_ref_probabilities)
    std::int64_t span = 1;   // reference bases the site covers
};

// Per-allele probabilities (0, 1, 2 copies) assumed for the <*> allele of a variant site in
// the gVCF. The network genotypes the site's own alleles; <*> stands for alleles not seen and is
// never called. Its 1-copy probability is far below the phred-99 GQ cap: a larger value (1e-3)
// would cap the GQ of every heterozygous call in the gVCF at 30 (1/<*> 30 phred from 0/1),
// below the GQ of the same call in the VCF.
inline constexpr std::array<float, 3> non_ref_probabilities{1.0f, 1e-10f, 1e-20f};

// Reference-position genotype quality and PL (0/0, 0/1, 1/1) from reference/other counts.
struct ReferenceConfidence {
    int genotype_quality = 0;
    std::array<int, 3> phred_likelihoods{0, 0, 0};
};
ReferenceConfidence reference_confidence(int reference_count, int other_count);
int gq_band(int genotype_quality);  // lower bound of the band holding genotype_quality

class GvcfWriter {
public:
    GvcfWriter(const std::string& path, VcfHeaderSpec header);
    void add_chunk(const GenomicRegion& chunk, const std::vector<std::int32_t>& depths,
                   const std::vector<std::int32_t>& reference_counts, const std::string& reference_bases,
                   const std::vector<GvcfSite>& sites);
    void close();

private:
    struct Block {
        bool open = false;
        std::string contig;
        std::int64_t start = 0, end = 0;  // [start, end)
        char reference_base = 'N';
        int band = -1;
        int min_gq = 0, min_depth = 0;
        std::array<int, 3> pl{0, 0, 0};
        bool covered = true;
    };
    void flush_block();

    VcfWriter writer_;
    Block block_;
    std::string last_contig_;
    std::int64_t covered_until_ = 0;  // positions < this are inside a written site
};

}  // namespace genodose
