// From the CNN's per-allele probabilities to a VCF genotype with PL, GQ and QUAL.
//
// For each alt allele k the CNN gives P_k(c), c = copies of k (0, 1, 2). A diploid genotype
// (i, j) over the site's alleles has likelihood Π_k P_k(copies of k in (i, j)); the values are
// normalised over all genotypes in VCF order (0/0, 0/1, 1/1, 0/2, 1/2, 2/2, …).
#pragma once

#include <array>
#include <string>
#include <vector>

namespace genodose {

struct SiteGenotype {
    int allele1 = 0, allele2 = 0;        // best genotype, allele1 <= allele2
    std::vector<double> probabilities;   // per genotype, VCF order, sum 1
    std::vector<int> phred_likelihoods;  // PL: −10 log10(P/P_best), rounded
    int genotype_quality = 0;            // GQ: −10 log10(1 − P_best), capped at 99
    double quality = 0;                  // QUAL: −10 log10 P(0/0)
    bool is_reference() const { return allele1 == 0 && allele2 == 0; }
};

// Index of genotype (i, j), i <= j, in VCF order.
inline std::size_t genotype_index(int i, int j) { return static_cast<std::size_t>(j * (j + 1) / 2 + i); }

SiteGenotype genotype_site(const std::vector<std::array<float, 3>>& allele_probabilities);

}  // namespace genodose
