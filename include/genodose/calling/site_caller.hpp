// Genotypes at given positions from reads ("forced sites"): what pharmacogenomic genotyping
// needs, where a position with no variant is only reference if the reads say so.
//
//   SiteCallingOptions options;  // reference, reads, model, threads
//   std::vector<SiteCall> calls = call_sites(options, sites);
//
// The caller runs on windows around the sites (candidates → tensors → CNN, as genodose call).
// A site whose alleles match a called candidate gets the CNN genotype; a site with no candidate
// is homozygous reference when its reference confidence (the gVCF model) reaches
// `min_reference_gq`, and not called otherwise (too few reads): never assumed reference.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genodose/calling/candidates.hpp"
#include "genodose/calling/local_realigner.hpp"
#include "genodose/io/alignment_reader.hpp"

namespace genodose {

struct ForcedSite {
    std::string contig;          // any spelling (chr10 or 10)
    std::int64_t position = 0;   // 0-based
    std::string ref;             // VCF-style alleles
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
