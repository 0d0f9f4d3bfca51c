// ForcedSiteCollector (genotypes at given positions from a calling pass's chunks) and the gVCF
// reference model (reference_confidence, gq_band).
#include <catch2/catch.hpp>

#include "../test_paths.hpp"
#include "chunk_processor.hpp"
#include "genodose/calling/forced_sites.hpp"
#include "genodose/core/error.hpp"
#include "genodose/io/reference_genome.hpp"
#include "gvcf_writer.hpp"

using namespace genodose;

namespace {

// tiny_ref.fa: GCTAAAGACAATTACATAACCTACACGTCAGCACGAAACGAAAATGCCCAGTGTGAATCGCTTAAGGGTTAAGTAAGTGTGATGCATACGCCTTTACTTG
CandidateSite candidate(std::int64_t position, std::string ref, std::string alt) {
    CandidateSite site;
    site.candidate.position = position;
    site.ref = ref;
    site.alts = {alt};
    site.minimal = {{ref, alt}};
    return site;
}

SiteGenotype genotype(int allele1, int allele2, int quality) {
    SiteGenotype g;
    g.allele1 = allele1;
    g.allele2 = allele2;
    g.genotype_quality = quality;
    return g;
}

// `reads` reads over every position of [begin, end), all showing the reference base.
void uniform_counts(std::int64_t begin, std::int64_t end, int reads, std::vector<std::int32_t>& depths,
                    std::vector<std::int32_t>& reference_counts) {
    depths.assign(static_cast<std::size_t>(end - begin), reads);
    reference_counts = depths;
}

}  // namespace

TEST_CASE("forced sites take the genotype of the candidate that explains them, across chunk edges", "[forced_sites]") {
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    const std::string sequence = reference.fetch({"tiny", 0, 100});
    REQUIRE(sequence.substr(2, 4) == "TAAA");
    const char snv_ref = sequence[60];
    const std::string snv_alt = snv_ref == 'T' ? "C" : "T";
    std::vector<ForcedSite> sites = {
        {"tiny", 4, "AA", {"A"}},                                 // the A-run deletion, spelled right-shifted
        {"tiny", 60, std::string(1, snv_ref), {snv_alt}},         // an SNV called 1/1
        {"tiny", 70, std::string(1, sequence[70]), {"G"}},        // the reads show another allele there
        {"tiny", 30, std::string(1, sequence[30]), {"A"}},        // no candidate, 30 reference reads
        {"tiny", 40, std::string(1, sequence[40]), {"A"}},        // no candidate, 5 reads
        {"tiny", 40, std::string(1, sequence[40]), {"A"}, true},  // the same, from the evidence
    };
    if (sequence[70] == 'G') sites[2].alts = {"C"};
    const std::string other_at_70 = sequence[70] == 'T' ? "A" : "T";
    ForcedSiteCollector collector(reference, sites);

    // Chunk [0, 4) holds the deletion, left-aligned to its anchor T at 2; the site is in [4, 100).
    std::vector<std::int32_t> depths, reference_counts;
    uniform_counts(0, 4, 25, depths, reference_counts);
    collector.add_chunk({"tiny", 0, 4}, {candidate(2, "TA", "T")}, {genotype(0, 1, 37)}, depths, reference_counts);
    uniform_counts(4, 100, 30, depths, reference_counts);
    for (std::int64_t p = 40; p < 45; ++p)
        depths[static_cast<std::size_t>(p - 4)] = reference_counts[static_cast<std::size_t>(p - 4)] = 5;
    collector.add_chunk(
        {"tiny", 4, 100},
        {candidate(60, std::string(1, snv_ref), snv_alt), candidate(70, std::string(1, sequence[70]), other_at_70)},
        {genotype(1, 1, 50), genotype(0, 1, 44)}, depths, reference_counts);
    const std::vector<SiteCall> calls = collector.calls();
    REQUIRE(calls.size() == sites.size());

    CHECK(calls[0].called);
    CHECK(calls[0].alleles == std::vector<std::string>{"AA", "A"});
    CHECK(calls[0].genotype_quality == 37);
    CHECK(calls[0].depth == 30);  // the site's own position, in the second chunk

    CHECK(calls[1].alleles == std::vector<std::string>{snv_alt, snv_alt});
    CHECK(calls[1].genotype_quality == 50);

    // An allele the site does not define is reported as the reads spell it, never as reference.
    CHECK(calls[2].alleles == std::vector<std::string>{std::string(1, sequence[70]), other_at_70});

    CHECK(calls[3].called);
    CHECK(calls[3].alleles == std::vector<std::string>{sites[3].ref, sites[3].ref});
    CHECK(calls[3].genotype_quality == reference_confidence(30, 0).genotype_quality);

    CHECK_FALSE(calls[4].called);  // 5 reads: below min_depth 8
    CHECK(calls[4].detail.find("depth 5") != std::string::npos);
    CHECK(calls[5].called);  // key position: the reads favour reference, GQ says how surely
    CHECK(calls[5].genotype_quality == reference_confidence(5, 0).genotype_quality);
    CHECK(calls[5].genotype_quality > 0);
}

TEST_CASE("a forced site no chunk covered is a bug, not a no-call", "[forced_sites]") {
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    ForcedSiteCollector collector(reference, {{"tiny", 90, "T", {"C"}}});
    std::vector<std::int32_t> depths, reference_counts;
    uniform_counts(0, 50, 30, depths, reference_counts);
    collector.add_chunk({"tiny", 0, 50}, {}, {}, depths, reference_counts);
    CHECK_THROWS_AS(collector.calls(), InternalError);
}

TEST_CASE("reference confidence grows with reference reads and is zero when reference is not likeliest", "[gvcf]") {
    CHECK(reference_confidence(0, 0).genotype_quality == 0);  // no reads: 0/0, 0/1, 1/1 alike
    CHECK(reference_confidence(5, 5).genotype_quality == 0);  // a het is likelier
    CHECK(reference_confidence(0, 10).genotype_quality == 0);
    // P(not 0/0) ≈ (0.5 / 0.99)^r for r reference reads: about 3 phred per read, capped at 99.
    CHECK(reference_confidence(3, 0).genotype_quality == Approx(9).margin(1));
    CHECK(reference_confidence(10, 0).genotype_quality == Approx(30).margin(1));
    CHECK(reference_confidence(60, 0).genotype_quality == 99);
    CHECK(reference_confidence(20, 1).genotype_quality < reference_confidence(20, 0).genotype_quality);
    const ReferenceConfidence confident = reference_confidence(20, 0);
    CHECK(confident.phred_likelihoods[0] == 0);
    CHECK(confident.phred_likelihoods[1] > 0);
    CHECK(confident.phred_likelihoods[2] > confident.phred_likelihoods[1]);
}

TEST_CASE("GQ bands are the lower bounds of the gVCF blocks", "[gvcf]") {
    CHECK(gq_band(0) == 0);
    CHECK(gq_band(4) == 3);
    CHECK(gq_band(19) == 15);
    CHECK(gq_band(20) == 20);
    CHECK(gq_band(89) == 80);
    CHECK(gq_band(99) == 99);
}
