// Haplotype-level matching of truth and query variants within one cluster.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "genodose/evaluation/haplotype_matcher.hpp"
#include "genodose/io/vcf_reader.hpp"

using namespace genodose;
using namespace genodose::evaluation;

namespace {

Genotype parse_genotype(const std::string& text) {
    Genotype g;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = text.find_first_of("/|", start);
        const std::string allele = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        g.alleles.push_back(allele == "." ? -1 : std::stoi(allele));
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return g;
}

// Truth and query variants on one reference string (positions 0-based, as in the string).
class Scenario {
public:
    explicit Scenario(const std::string& reference, bool split_substitutions = true)
        : window_("chr1", 0, reference), normalizer_(window_, split_substitutions) {}

    void truth(std::int64_t position, const std::string& ref, const std::vector<std::string>& alts,
               const std::string& gt) {
        add(truth_, position, ref, alts, gt);
    }
    void query(std::int64_t position, const std::string& ref, const std::vector<std::string>& alts,
               const std::string& gt) {
        add(query_, position, ref, alts, gt);
    }

    MatchOutcome match(const MatcherOptions& options = {}) {
        const HaplotypeMatcher matcher(window_, options);
        return matcher.match(pointers(truth_), pointers(query_));
    }
    std::size_t truth_size() const { return truth_.size(); }
    std::size_t query_size() const { return query_.size(); }

private:
    void add(std::vector<ComparableVariant>& side, std::int64_t position, const std::string& ref,
             const std::vector<std::string>& alts, const std::string& gt) {
        REQUIRE(window_.bases(position, position + static_cast<std::int64_t>(ref.size())) == ref);
        REQUIRE(normalizer_.add_record(position, ref, alts, parse_genotype(gt), side.size(), side) ==
                NormalizeStatus::added);
        std::stable_sort(side.begin(), side.end(),
                         [](const ComparableVariant& a, const ComparableVariant& b) { return a.start < b.start; });
    }
    static std::vector<const ComparableVariant*> pointers(const std::vector<ComparableVariant>& side) {
        std::vector<const ComparableVariant*> out;
        for (const auto& v : side) out.push_back(&v);
        return out;
    }

    ReferenceWindow window_;
    VariantNormalizer normalizer_;
    std::vector<ComparableVariant> truth_;
    std::vector<ComparableVariant> query_;
};

std::size_t count(const std::vector<bool>& flags) {
    return static_cast<std::size_t>(std::count(flags.begin(), flags.end(), true));
}

}  // namespace

TEST_CASE("identical calls match", "[evaluation][matcher]") {
    //                0123456789012345678901234
    Scenario s("ACGTACGGTCAGTCCATGCAGTCAGT");
    s.truth(5, "C", {"T"}, "0/1");
    s.truth(12, "T", {"A"}, "1/1");
    s.query(5, "C", {"T"}, "0|1");
    s.query(12, "T", {"A"}, "1/1");
    const auto outcome = s.match();
    CHECK(count(outcome.truth_matched) == 2);
    CHECK(count(outcome.query_matched) == 2);
    CHECK_FALSE(outcome.too_complex);
}

TEST_CASE("a deletion plus SNP matches the same haplotype written as a complex record", "[evaluation][matcher]") {
    // Normalisation cannot unify these: only the haplotype sequences agree (A TTT G vs A TTT G).
    //                0123456789
    Scenario s("GGATTTTCAGG");
    s.truth(2, "AT", {"A"}, "0/1");        // delete one T (left-aligned to 3)
    s.truth(7, "C", {"G"}, "0/1");         // C>G
    s.query(3, "TTTTC", {"TTTG"}, "0/1");  // one record
    const auto outcome = s.match();
    CHECK(count(outcome.truth_matched) == 2);
    CHECK(count(outcome.query_matched) == 1);
}

TEST_CASE("the two truth changes must be on one haplotype to match a het complex call", "[evaluation][matcher]") {
    Scenario s("GGATTTTCAGG");
    s.truth(2, "AT", {"A"}, "0/1");
    s.truth(7, "C", {"G"}, "1/1");  // hom: the complex het record cannot explain it
    s.query(3, "TTTTC", {"TTTG"}, "0/1");
    const auto outcome = s.match();
    CHECK(count(outcome.query_matched) == 0);
    CHECK(count(outcome.truth_matched) == 0);
}

TEST_CASE("indels in a repeat match however they are placed", "[evaluation][matcher]") {
    //                0123456789012345678
    Scenario s("GTCACACACACAGGTTAC");
    s.truth(1, "TCA", {"T"}, "0/1");   // CA deleted at the left end of the repeat
    s.query(10, "CAG", {"G"}, "0/1");  // ... written at the right end, with a trailing anchor
    s.truth(13, "G", {"GCACA"}, "1/1");
    s.query(13, "G", {"GCACA"}, "1/1");
    const auto outcome = s.match();
    CHECK(count(outcome.truth_matched) == 2);
    CHECK(count(outcome.query_matched) == 2);
}

TEST_CASE("MNP against SNPs", "[evaluation][matcher]") {
    //                0123456789012
    const std::string reference = "GGCATGCAGTCAG";
    SECTION("het MNP = two het SNPs") {
        Scenario s(reference);
        s.truth(3, "A", {"C"}, "0|1");
        s.truth(4, "T", {"A"}, "0|1");
        s.query(3, "AT", {"CA"}, "0/1");
        const auto outcome = s.match();
        CHECK(count(outcome.truth_matched) == 2);
        CHECK(count(outcome.query_matched) == 2);  // split into SNPs by default
    }
    SECTION("whole-record mode: the het MNP still matches two unphased het SNPs") {
        Scenario s(reference, false);
        s.truth(3, "A", {"C"}, "0/1");
        s.truth(4, "T", {"A"}, "0/1");
        s.query(3, "AT", {"CA"}, "0/1");
        REQUIRE(s.query_size() == 1);
        const auto outcome = s.match();
        CHECK(count(outcome.truth_matched) == 2);
        CHECK(count(outcome.query_matched) == 1);
    }
    SECTION("whole-record mode: a het MNP does not match a het SNP plus a hom SNP") {
        Scenario s(reference, false);
        s.truth(3, "A", {"C"}, "0/1");
        s.truth(4, "T", {"A"}, "1/1");
        s.query(3, "AT", {"CA"}, "0/1");
        const auto outcome = s.match();
        CHECK(count(outcome.truth_matched) == 0);
        CHECK(count(outcome.query_matched) == 0);
    }
    SECTION("split mode gives the correct SNP credit in that case") {
        Scenario s(reference);
        s.truth(3, "A", {"C"}, "0/1");
        s.truth(4, "T", {"A"}, "1/1");
        s.query(3, "AT", {"CA"}, "0/1");
        const auto outcome = s.match();
        CHECK(count(outcome.truth_matched) == 1);
        CHECK(count(outcome.query_matched) == 1);
    }
}

TEST_CASE("a genotype mismatch matches nothing", "[evaluation][matcher]") {
    Scenario s("ACGTACGGTCAGTCCA");
    s.truth(5, "C", {"T"}, "0/1");
    s.query(5, "C", {"T"}, "1/1");
    const auto outcome = s.match();
    CHECK(count(outcome.truth_matched) == 0);
    CHECK(count(outcome.query_matched) == 0);
}

TEST_CASE("the matching with the most alleles wins", "[evaluation][matcher]") {
    Scenario s("ACGTACGGTCAGTCCATTGACCA");
    s.truth(5, "C", {"T"}, "0/1");
    s.truth(9, "C", {"G"}, "0/1");
    s.truth(14, "C", {"A"}, "1/1");
    s.query(5, "C", {"T"}, "0/1");
    s.query(9, "C", {"G"}, "1/1");  // wrong genotype
    s.query(14, "C", {"A"}, "1/1");
    const auto outcome = s.match();
    CHECK(outcome.truth_matched == std::vector<bool>{true, false, true});
    CHECK(outcome.query_matched == std::vector<bool>{true, false, true});
}

TEST_CASE("multi-allelic het 1/2", "[evaluation][matcher]") {
    //                0123456789012345
    const std::string reference = "GGACTTTTGACCAGTA";
    SECTION("a 1/2 SNP record equals two 0/1 records of its alleles") {
        Scenario s(reference);
        s.truth(2, "A", {"C", "G"}, "1/2");
        s.query(2, "A", {"C"}, "0/1");
        s.query(2, "A", {"G"}, "0/1");
        const auto outcome = s.match();
        CHECK(count(outcome.truth_matched) == 1);
        CHECK(count(outcome.query_matched) == 2);
    }
    SECTION("1/2 deletion/insertion written with different padding") {
        Scenario s(reference);
        s.truth(3, "CT", {"C", "CTT"}, "1/2");
        s.query(3, "CTTTTG", {"CTTTG", "CTTTTTG"}, "2/1");
        const auto outcome = s.match();
        CHECK(count(outcome.truth_matched) == 1);
        CHECK(count(outcome.query_matched) == 1);
    }
    SECTION("1/2 against one of its alleles as 1/1 or 0/1 does not match") {
        Scenario s(reference);
        s.truth(2, "A", {"C", "G"}, "1/2");
        s.query(2, "A", {"C"}, "1/1");
        CHECK(count(s.match().query_matched) == 0);
        Scenario t(reference);
        t.truth(2, "A", {"C", "G"}, "1/2");
        t.query(2, "A", {"C"}, "0/1");
        CHECK(count(t.match().truth_matched) == 0);
    }
}

TEST_CASE("overlapping variants of one side can only share a cluster on different haplotypes",
          "[evaluation][matcher]") {
    //                0123456789012345
    const std::string reference = "GGACGTAGCTTGACCA";
    SECTION("two overlapping het deletions = one on each haplotype") {
        Scenario s(reference);
        s.truth(2, "ACGT", {"A"}, "0/1");
        s.truth(3, "CG", {"C"}, "0/1");
        s.query(2, "ACGT", {"A"}, "0/1");
        s.query(3, "CG", {"C"}, "0/1");
        const auto outcome = s.match();
        CHECK(count(outcome.truth_matched) == 2);
        CHECK(count(outcome.query_matched) == 2);
    }
    SECTION("a hom deletion leaves no room for an overlapping SNP") {
        Scenario s(reference);
        s.truth(2, "ACGT", {"A"}, "1/1");
        s.query(2, "ACGT", {"A"}, "1/1");
        s.query(4, "G", {"T"}, "0/1");  // inside the deletion: cannot be combined
        const auto outcome = s.match();
        CHECK(outcome.truth_matched == std::vector<bool>{true});
        CHECK(count(outcome.query_matched) == 1);
    }
}

TEST_CASE("the search is bounded: a dense ambiguous cluster falls back to exact alleles", "[evaluation][matcher]") {
    // A long AC repeat with many different het indels on each side: many placements agree for a
    // long time, so the number of live paths grows.
    std::string reference = "GT";
    for (int i = 0; i < 60; ++i) reference += "AC";
    reference += "GGT";
    Scenario s(reference);
    for (int i = 0; i < 12; ++i) {
        const std::int64_t at = 3 + 8 * i;  // a C inside the repeat
        s.truth(at, "CAC", {"C"}, "0/1");
        s.query(at, "C", {"CAC"}, "0/1");
        s.query(at + 2, "C", {"CACAC"}, "0/1");
    }
    const auto started = std::chrono::steady_clock::now();
    MatcherOptions tight;
    tight.max_paths = 16;
    const auto bounded = s.match(tight);
    CHECK(bounded.too_complex);
    CHECK(bounded.truth_matched.size() == s.truth_size());
    const auto full = s.match();  // default bound: finishes either way
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    CHECK(elapsed.count() < 5.0);
    CHECK(full.truth_matched.size() == s.truth_size());
}

TEST_CASE("match_identical_alleles pairs identical normalised genotypes", "[evaluation][matcher]") {
    const ReferenceWindow window("chr1", 0, "ACGTACGGTCAG");
    const VariantNormalizer normalizer(window);
    std::vector<ComparableVariant> truth, query;
    Genotype het;
    het.alleles = {0, 1};
    Genotype hom;
    hom.alleles = {1, 1};
    normalizer.add_record(4, "A", {"T"}, het, 0, truth);
    normalizer.add_record(6, "G", {"C"}, hom, 1, truth);
    normalizer.add_record(4, "A", {"T"}, het, 0, query);
    normalizer.add_record(6, "G", {"C"}, het, 1, query);
    const auto outcome = match_identical_alleles({&truth[0], &truth[1]}, {&query[0], &query[1]});
    CHECK(outcome.truth_matched == std::vector<bool>{true, false});
    CHECK(outcome.query_matched == std::vector<bool>{true, false});
}
