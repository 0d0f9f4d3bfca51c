// Genotypes at given positions from reads ("forced sites"): what pharmacogenomic genotyping
// needs, where a position with no variant is only reference if the reads say so.
//
//   SiteCallingOptions options;  // reference, reads, model, threads
//   std::vector<SiteCall> calls = call_sites(options, sites);
//
// A calling pass (call_variants, without a VCF) over windows around the sites, whose genotypes
// ForcedSiteCollector turns into calls at the sites (forced_sites.hpp): a site whose alleles
// match a called candidate gets the CNN genotype; a site with no candidate is homozygous
// reference when its reference confidence reaches `min_reference_gq`, and not called otherwise
// (too few reads): never assumed reference.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genodose/calling/candidates.hpp"
#include "genodose/calling/forced_sites.hpp"
#include "genodose/calling/local_realigner.hpp"
#include "genodose/io/alignment_reader.hpp"

namespace genodose {

struct SiteCallingOptions {
    std::string reference_path;
    std::string reads_path;
    std::string model_path;
    int threads = 1;
    int min_reference_gq = 20;
    int min_depth = 8;
    CandidateOptions candidates;
    RealignerOptions realigner;  // local haplotype realignment (on by default)
    ReadFilterOptions filters;
};

// What the reads and reference were like, for QC (filled when call_sites gets one).
struct SiteCallingSummary {
    std::uint64_t reads = 0;                     // reads used (summed over windows)
    std::uint64_t repeated_reads = 0;            // copies skipped: same name and flags as a read seen
    std::uint64_t downsampled_reads = 0;         // left out by the depth cap
    std::int64_t ambiguous_reference_bases = 0;  // IUPAC codes (not A/C/G/T/N) in the windows, read as N
};

std::vector<SiteCall> call_sites(const SiteCallingOptions& options, const std::vector<ForcedSite>& sites,
                                 SiteCallingSummary* summary = nullptr);

}  // namespace genodose
