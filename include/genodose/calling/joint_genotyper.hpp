// Joint genotyping of a cohort: per-sample gVCFs (genodose call --gvcf, or any gVCF whose
// records carry a <*> or <NON_REF> allele) merged into one multi-sample VCF.
//
//   JointOptions options;
//   options.gvcf_paths = {"a.g.vcf.gz", "b.g.vcf.gz"};
//   options.output_path = "cohort.vcf.gz";      // bgzip + tabix, as every genodose VCF
//   JointSummary summary = joint_genotype(options);
//
// A site is written where at least one sample calls a non-reference genotype with FILTER PASS.
// Every sample gets a genotype there:
//   - its own record at that position: GT, GQ, DP, AD and PL with its alleles renumbered into
//     the site's merged allele list (PL of an allele it did not see is taken from its <*>);
//   - otherwise the reference block covering the position: 0/0 with the block's GQ, DP = the
//     block's MIN_DP, AD = (MIN_DP, 0, ...) as GLnexus writes it, and PL from the block's
//     0/0, 0/<*>, <*>/<*> likelihoods;
//   - otherwise (no record, a ./. block, or inside its own deletion that starts elsewhere): ./.
// Records of different samples at one position are merged into one multi-allelic site: REF is
// the longest REF, shorter ones are extended with its tail (bcftools merge's rule), and only
// alleles some sample calls are kept. Variants at different positions that overlap are not
// merged into one site.
//
// The inputs are read in one pass, side by side: each file holds one record in memory (its next
// one), so memory grows with the number of samples, not with the length of the genome.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genodose {

struct JointOptions {
    std::vector<std::string> gvcf_paths;  // one sample each, same contigs, sorted
    std::string output_path;              // .vcf.gz, .bcf or .vcf
    std::string source;                   // ##source
    std::string command_line;             // ##commandline
};

struct JointSummary {
    std::size_t samples = 0;
    std::uint64_t records_read = 0;  // over all inputs
    std::uint64_t sites = 0;         // records written
    std::uint64_t multiallelic_sites = 0;
    double seconds = 0;
};

// InputError naming the file for a missing, unsorted or non-gVCF input, one with other than
// one sample, a sample name used twice, or contigs (or REF bases) that differ between inputs.
JointSummary joint_genotype(const JointOptions& options);

// Index of the diploid genotype j/k (j <= k) in a PL list (VCF order: 0/0, 0/1, 1/1, 0/2, ...).
inline int diploid_genotype_index(int j, int k) { return k * (k + 1) / 2 + j; }

}  // namespace genodose
