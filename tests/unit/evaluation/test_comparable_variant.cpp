// Normalisation of VCF alleles into comparable edits (trim, left-align, MNP split, genotypes).
#include <catch2/catch.hpp>

#include "genodose/evaluation/comparable_variant.hpp"
#include "genodose/io/vcf_reader.hpp"

using namespace genodose;
using namespace genodose::evaluation;

namespace {

//                                 0         1         2         3
//                                 0123456789012345678901234567890123456789
const std::string reference_text = "GGATCCACACACACGTTTTTGCATGCAAGGCTTACGATC";

Genotype genotype(std::vector<int> alleles) {
    Genotype g;
    g.alleles = std::move(alleles);
    return g;
}

}  // namespace

TEST_CASE("normalize_allele trims, left-aligns indels and splits MNPs", "[evaluation][normalize]") {
    const ReferenceWindow window("chr1", 0, reference_text);
    const VariantNormalizer normalizer(window);

    SECTION("SNP with padding bases is trimmed to one base") {
        const auto edits = normalizer.normalize_allele(4, "CCA", "CGA");
        REQUIRE(edits.size() == 1);
        CHECK(edits[0] == Edit{5, 6, "G"});
        CHECK(edits[0].type() == VariantType::snp);
    }
    SECTION("a deletion of one AC unit written at the right end moves to the repeat start") {
        // CA repeat at 5..13 (CACACACAC); delete "AC" at 12-13 written with anchor C at 11
        const auto right = normalizer.normalize_allele(11, "CAC", "C");
        const auto left = normalizer.normalize_allele(4, "CCA", "C");
        REQUIRE(right.size() == 1);
        REQUIRE(left.size() == 1);
        CHECK(right[0] == left[0]);
        CHECK(right[0].start == 5);
        CHECK(right[0].alt.empty());
        CHECK(right[0].type() == VariantType::indel);
    }
    SECTION("an insertion in a homopolymer moves to its start") {
        // T run at 15..19
        const auto at_end = normalizer.normalize_allele(19, "T", "TT");
        const auto at_start = normalizer.normalize_allele(14, "G", "GT");
        REQUIRE(at_end.size() == 1);
        CHECK(at_end[0] == at_start[0]);
        CHECK(at_end[0] == Edit{15, 15, "T"});
    }
    SECTION("an MNP becomes its SNPs, skipping unchanged middle bases") {
        const auto edits = normalizer.normalize_allele(21, "CATG", "GAAG");
        REQUIRE(edits.size() == 2);
        CHECK(edits[0] == Edit{21, 22, "G"});
        CHECK(edits[1] == Edit{23, 24, "A"});
    }
    SECTION("a complex length-changing substitution stays one edit") {
        const auto edits = normalizer.normalize_allele(21, "CAT", "GG");
        REQUIRE(edits.size() == 1);
        CHECK(edits[0] == Edit{21, 24, "GG"});
    }
    SECTION("ALT equal to REF is no edit") { CHECK(normalizer.normalize_allele(21, "CA", "CA").empty()); }
    SECTION("right_shifted_end walks through the repeat") {
        CHECK(normalizer.right_shifted_end(Edit{5, 7, ""}) == 14);     // the CA deletion can reach 12-13
        CHECK(normalizer.right_shifted_end(Edit{15, 15, "T"}) == 21);  // after the T run
        CHECK(normalizer.right_shifted_end(Edit{21, 22, "G"}) == 22);
    }
}

TEST_CASE("add_record turns genotypes into comparable variants", "[evaluation][normalize]") {
    const ReferenceWindow window("chr1", 0, reference_text);
    const VariantNormalizer normalizer(window);
    std::vector<ComparableVariant> out;

    SECTION("0/0, ./. and ALT==REF are not calls") {
        CHECK(normalizer.add_record(21, "C", {"G"}, genotype({0, 0}), 0, out) == NormalizeStatus::not_a_call);
        CHECK(normalizer.add_record(21, "C", {"G"}, genotype({-1, -1}), 0, out) == NormalizeStatus::not_a_call);
        CHECK(normalizer.add_record(21, "C", {"G"}, genotype({}), 0, out) == NormalizeStatus::not_a_call);
        CHECK(normalizer.add_record(21, "C", {"C"}, genotype({0, 1}), 0, out) == NormalizeStatus::not_a_call);
        CHECK(out.empty());
    }
    SECTION("het, hom-alt and haploid calls") {
        REQUIRE(normalizer.add_record(21, "C", {"G"}, genotype({0, 1}), 7, out) == NormalizeStatus::added);
        REQUIRE(normalizer.add_record(22, "A", {"T"}, genotype({1, 1}), 8, out) == NormalizeStatus::added);
        REQUIRE(normalizer.add_record(23, "T", {"A"}, genotype({1}), 9, out) == NormalizeStatus::added);
        REQUIRE(out.size() == 3);
        CHECK(out[0].genotype_class == GenotypeClass::het);
        CHECK(out[0].haplotypes[1].empty());
        CHECK(out[0].record == 7);
        CHECK(out[1].genotype_class == GenotypeClass::homalt);
        CHECK(out[1].haplotypes[0] == out[1].haplotypes[1]);
        CHECK(out[2].genotype_class == GenotypeClass::homalt);
        CHECK(out[0].weight() == 1);
    }
    SECTION("a partly missing genotype counts the missing allele as reference") {
        REQUIRE(normalizer.add_record(21, "C", {"G"}, genotype({-1, 1}), 0, out) == NormalizeStatus::added);
        CHECK(out.at(0).genotype_class == GenotypeClass::het);
    }
    SECTION("an MNP het becomes one het variant per SNP; atomic mode keeps it whole") {
        REQUIRE(normalizer.add_record(21, "CATG", {"GAAG"}, genotype({0, 1}), 0, out) == NormalizeStatus::added);
        REQUIRE(out.size() == 2);
        CHECK(out[0].alleles.size() == 1);
        CHECK(out[1].genotype_class == GenotypeClass::het);

        std::vector<ComparableVariant> whole;
        const VariantNormalizer atomic(window, false);
        REQUIRE(atomic.add_record(21, "CATG", {"GAAG"}, genotype({0, 1}), 0, whole) == NormalizeStatus::added);
        REQUIRE(whole.size() == 1);
        CHECK(whole[0].haplotypes[0].size() == 2);
        CHECK(whole[0].weight() == 2);  // still counted per SNP
    }
    SECTION("1/2 of two SNP alleles is one het-alt variant with one edit per haplotype") {
        REQUIRE(normalizer.add_record(21, "C", {"G", "T"}, genotype({1, 2}), 0, out) == NormalizeStatus::added);
        REQUIRE(out.size() == 1);
        CHECK(out[0].genotype_class == GenotypeClass::hetalt);
        CHECK(out[0].weight() == 2);
    }
    SECTION("1/2 of substitutions sharing a base splits by column into hom-alt + het") {
        // TCAC -> CCAT, CCAC: hom T>C at 0, het C>T at 3 (freebayes writes such records)
        const ReferenceWindow local("chr1", 0, "TCACGG");
        const VariantNormalizer split(local);
        REQUIRE(split.add_record(0, "TCAC", {"CCAT", "CCAC"}, genotype({1, 2}), 0, out) == NormalizeStatus::added);
        REQUIRE(out.size() == 2);
        CHECK(out[0].genotype_class == GenotypeClass::homalt);
        CHECK(out[1].genotype_class == GenotypeClass::het);
        CHECK(out[1].haplotypes[0][0] == Edit{3, 4, "T"});
    }
    SECTION("1/2 of a deletion and an insertion keeps both in one variant") {
        REQUIRE(normalizer.add_record(14, "GT", {"G", "GTT"}, genotype({1, 2}), 0, out) == NormalizeStatus::added);
        REQUIRE(out.size() == 1);
        CHECK(out[0].genotype_class == GenotypeClass::hetalt);
        CHECK(out[0].alleles.size() == 2);
    }
    SECTION("a '*' allele counts as reference, symbolic alleles are refused") {
        REQUIRE(normalizer.add_record(21, "C", {"G", "*"}, genotype({1, 2}), 0, out) == NormalizeStatus::added);
        CHECK(out.at(0).genotype_class == GenotypeClass::het);
        CHECK(normalizer.add_record(21, "C", {"<DEL>"}, genotype({0, 1}), 0, out) == NormalizeStatus::symbolic);
        CHECK(normalizer.add_record(21, "C", {"C[chr2:100["}, genotype({0, 1}), 0, out) == NormalizeStatus::symbolic);
    }
    SECTION("REF disagreeing with the reference, and polyploid genotypes, are reported") {
        CHECK(normalizer.add_record(21, "T", {"G"}, genotype({0, 1}), 0, out) == NormalizeStatus::ref_mismatch);
        CHECK(normalizer.add_record(21, "C", {"G"}, genotype({0, 1, 1}), 0, out) == NormalizeStatus::polyploid);
        CHECK(normalizer.add_record(21, "N", {"G"}, genotype({0, 1}), 0, out) == NormalizeStatus::added);  // N agrees
    }
}
