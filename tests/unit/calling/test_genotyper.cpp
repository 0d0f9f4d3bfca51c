#include <catch2/catch.hpp>

#include <cmath>

#include "genodose/calling/genotyper.hpp"

using namespace genodose;

TEST_CASE("biallelic genotype: PL, GQ and QUAL from the CNN probabilities", "[genotyper]") {
    const SiteGenotype g = genotype_site({{0.01f, 0.98f, 0.01f}});
    CHECK(g.allele1 == 0);
    CHECK(g.allele2 == 1);
    REQUIRE(g.phred_likelihoods.size() == 3);
    // PL = −10 log10(P / P_best): 0/0 and 1/1 at 0.01/0.98 → 19.9 → 20
    CHECK(g.phred_likelihoods == std::vector<int>{20, 0, 20});
    // GQ = −10 log10(0.02) = 16.99 → 17; QUAL = −10 log10(0.01) = 20
    CHECK(g.genotype_quality == 17);
    CHECK(g.quality == Approx(20.0).margin(0.05));
    CHECK_FALSE(g.is_reference());
}

TEST_CASE("hom-ref call and GQ cap", "[genotyper]") {
    const SiteGenotype g = genotype_site({{0.999999f, 0.000001f, 0.0f}});
    CHECK(g.is_reference());
    CHECK(g.genotype_quality == 60);
    CHECK(g.quality == Approx(0.0).margin(0.01));
    const SiteGenotype sure = genotype_site({{0.0f, 0.0f, 1.0f}});
    CHECK(sure.genotype_quality == 99);
    CHECK(sure.allele1 == 1);
    CHECK(sure.allele2 == 1);
}

TEST_CASE("multi-allelic site: genotypes in VCF order, 1/2 from two het alleles", "[genotyper]") {
    // Each alt allele is seen as one copy (het) with high confidence → genotype 1/2.
    const SiteGenotype g = genotype_site({{0.05f, 0.9f, 0.05f}, {0.05f, 0.9f, 0.05f}});
    REQUIRE(g.probabilities.size() == 6);  // 0/0 0/1 1/1 0/2 1/2 2/2
    CHECK(genotype_index(1, 2) == 4);
    CHECK(g.allele1 == 1);
    CHECK(g.allele2 == 2);
    CHECK(g.phred_likelihoods[4] == 0);
    double total = 0;
    for (double p : g.probabilities) total += p;
    CHECK(total == Approx(1.0));
    // One allele hom-alt, the other absent → 1/1.
    const SiteGenotype hom = genotype_site({{0.01f, 0.04f, 0.95f}, {0.97f, 0.02f, 0.01f}});
    CHECK(hom.allele1 == 1);
    CHECK(hom.allele2 == 1);
    // Only the second allele present, het → 0/2.
    const SiteGenotype second = genotype_site({{0.97f, 0.02f, 0.01f}, {0.02f, 0.96f, 0.02f}});
    CHECK(second.allele1 == 0);
    CHECK(second.allele2 == 2);
}
