// Genotypes at given positions ("forced sites") from a calling pass: what pharmacogenomic
// genotyping needs, where a position with no variant is only reference if the reads say so.
//
//   ForcedSiteCollector collector(reference, sites, rules);
//   for each called chunk, in order:  collector.add_chunk(chunk, candidates, genotypes, depths, reference_counts);
//   std::vector<SiteCall> calls = collector.calls();   // one per site, in the order given
//
// The collector keeps only what the sites need from each chunk (the genotyped candidates within
// `candidate_reach` of a site, and the depth and reference count at each site), so a pass over a
// whole gene or genome stays bounded by the number of sites. A site whose alleles match a
// genotyped candidate gets that candidate's genotype — the very genotype of its VCF record; a
// site with no candidate is homozygous reference when its reference confidence (the gVCF model)
// reaches `min_reference_gq` at `min_depth`, and not called otherwise: never assumed reference.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "genodose/calling/genotyper.hpp"
#include "genodose/core/genomic_region.hpp"

namespace genodose {

class ReferenceGenome;
struct CandidateSite;

struct ForcedSite {
    std::string contig;         // any spelling (chr10 or 10)
    std::int64_t position = 0;  // 0-based
    std::string ref;            // VCF-style alleles
    std::vector<std::string> alts;
    // Genotype from the evidence there is: with no candidate, reference whenever the reads make
    // it the likeliest genotype (GQ > 0, any depth > 0), with that GQ, instead of requiring
    // min_depth and min_reference_gq. For positions whose genotype matters more than a
    // conservative threshold (pharmacogenomic key positions); the GQ says how sure it is.
    bool from_evidence = false;
};

struct SiteCall {
    bool called = false;
    // Two alleles as sequences: the site's ref, one of its alts, or an allele the reads show
    // that the site does not list (spelled in the candidate's VCF alleles).
    std::vector<std::string> alleles;
    int depth = 0;              // reads covering the position (good-quality bases and gaps)
    int genotype_quality = -1;  // CNN GQ for a candidate; reference confidence otherwise
    std::string detail;         // why not called
};

struct ForcedSiteRules {
    int min_reference_gq = 20;
    int min_depth = 8;
};

// Bases around a site searched for a candidate that explains it (an indel left-aligned away from
// the site's own spelling, or a multi-base allele starting before it).
inline constexpr std::int64_t candidate_reach = 50;

class ForcedSiteCollector {
public:
    ForcedSiteCollector(const ReferenceGenome& reference, std::vector<ForcedSite> sites, ForcedSiteRules rules = {});

    // One called chunk: its candidate sites with their genotypes (same order), and the per-position
    // depth and good-quality reference base counts of the chunk. Chunks come in coordinate order.
    void add_chunk(const GenomicRegion& chunk, const std::vector<CandidateSite>& candidates,
                   const std::vector<SiteGenotype>& genotypes, const std::vector<std::int32_t>& depths,
                   const std::vector<std::int32_t>& reference_counts);

    // The calls, in the order of the sites given. InternalError for a site no chunk covered.
    std::vector<SiteCall> calls() const;

private:
    struct Genotyped {
        std::int64_t position = 0;
        std::vector<std::pair<std::string, std::string>> minimal;  // per alt: minimal (ref, alt)
        std::vector<std::string> vcf_alts;
        SiteGenotype genotype;
    };
    struct Evidence {
        bool covered = false;
        int depth = 0;
        int reference_count = 0;
        std::vector<Genotyped> nearby;  // candidates within candidate_reach
    };

    SiteCall resolve(std::size_t index) const;

    const ReferenceGenome& reference_;
    std::vector<ForcedSite> sites_;
    std::vector<std::string> resolved_contigs_;  // the reference's spelling, per site
    ForcedSiteRules rules_;
    std::vector<Evidence> evidence_;                                   // per site
    std::map<std::string, std::vector<std::size_t>> sites_by_contig_;  // indices sorted by position
};

}  // namespace genodose
