#include "genodose/calling/genotyper.hpp"

#include <algorithm>
#include <cmath>

namespace genodose {

namespace {
constexpr double min_probability = 1e-30;
double phred(double p) { return -10.0 * std::log10(std::max(p, min_probability)); }
}  // namespace

SiteGenotype genotype_site(const std::vector<std::array<float, 3>>& allele_probabilities) {
    const int alts = static_cast<int>(allele_probabilities.size());
    const std::size_t genotypes = static_cast<std::size_t>((alts + 1) * (alts + 2) / 2);
    SiteGenotype result;
    result.probabilities.assign(genotypes, 0.0);
    double total = 0;
    for (int j = 0; j <= alts; ++j) {
        for (int i = 0; i <= j; ++i) {
            double likelihood = 1;
            for (int k = 1; k <= alts; ++k) {
                const int copies = (i == k) + (j == k);
                likelihood *= std::max(
                    static_cast<double>(
                        allele_probabilities[static_cast<std::size_t>(k - 1)][static_cast<std::size_t>(copies)]),
                    min_probability);
            }
            result.probabilities[genotype_index(i, j)] = likelihood;
            total += likelihood;
        }
    }
    for (double& p : result.probabilities) p /= total;

    std::size_t best = 0;
    for (std::size_t g = 1; g < genotypes; ++g)
        if (result.probabilities[g] > result.probabilities[best]) best = g;
    for (int j = 0; j <= alts; ++j)
        for (int i = 0; i <= j; ++i)
            if (genotype_index(i, j) == best) {
                result.allele1 = i;
                result.allele2 = j;
            }
    const double best_probability = result.probabilities[best];
    result.phred_likelihoods.resize(genotypes);
    for (std::size_t g = 0; g < genotypes; ++g)
        result.phred_likelihoods[g] =
            static_cast<int>(std::lround(phred(result.probabilities[g]) - phred(best_probability)));
    double others = 0;  // 1 − P_best without the cancellation of subtracting from 1
    for (std::size_t g = 0; g < genotypes; ++g)
        if (g != best) others += result.probabilities[g];
    result.genotype_quality = static_cast<int>(std::min(99L, std::lround(phred(others))));
    result.quality = std::round(phred(result.probabilities[0]) * 10.0) / 10.0;
    return result;
}

}  // namespace genodose
