// TruthLabeler: candidate alleles labelled with the number of truth haplotypes carrying them,
// whatever the spelling of either side. Truth VCFs are written per test against tiny_ref.fa.
#include <catch2/catch.hpp>

#include <fstream>

#include "../test_paths.hpp"
#include "genodose/core/error.hpp"
#include "genodose/io/reference_genome.hpp"
#include "truth_labeler.hpp"

using namespace genodose;

namespace {

// tiny_ref.fa (0-based offsets every 10):
//   0 GCTAAAGACA  10 ATTACATAAC  20 CTACACGTCA  30 GCACGAAACG  40 AAAATGCCCA
//  50 GTGTGAATCG  60 CTTAAGGGTT  70 AAGTAAGTGT  80 GATGCATACG  90 CCTTTACTTG
const GenomicRegion whole_tiny{"tiny", 0, 100};

// A truth VCF with one sample; `records` are the tab-separated lines after the header.
std::string write_truth(const test::ScratchFolder& scratch, const std::vector<std::string>& records,
                        bool with_genotypes = true) {
    const std::string path = scratch.file("truth.vcf");
    std::ofstream out(path);
    out << "##fileformat=VCFv4.2\n##contig=<ID=tiny,length=100>\n";
    if (with_genotypes) out << "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n";
    out << "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" << (with_genotypes ? "\tFORMAT\tTRUTH" : "") << "\n";
    for (const auto& record : records) out << record << "\n";
    return path;
}

class TruthFixture {
public:
    ReferenceGenome reference{test::data_path("calling/tiny_ref.fa")};
    test::ScratchFolder scratch;

    TruthLabeler labeler(const std::vector<std::string>& records, const std::vector<GenomicRegion>& confident = {}) {
        return TruthLabeler(write_truth(scratch, records), reference, whole_tiny, confident);
    }
};

}  // namespace

TEST_CASE_METHOD(TruthFixture, "a het truth SNV labels 1, a hom-alt one 2, anything else 0", "[truth_labeler]") {
    REQUIRE(reference.fetch({"tiny", 12, 13}) == "T");
    REQUIRE(reference.fetch({"tiny", 25, 26}) == "C");
    TruthLabeler truth = labeler({
        "tiny\t13\t.\tT\tC\t.\tPASS\t.\tGT\t0/1", "tiny\t26\t.\tC\tA\t.\tPASS\t.\tGT\t1|1",
        "tiny\t31\t.\tG\tT\t.\tPASS\t.\tGT\t0/0",  // a reference genotype carries no allele
    });
    CHECK(truth.label(12, "T", "C") == 1);
    CHECK(truth.label(25, "C", "A") == 2);
    CHECK(truth.label(12, "T", "G") == 0);  // same position, another allele
    CHECK(truth.label(30, "G", "T") == 0);
    CHECK(truth.label(60, "C", "T") == 0);  // no truth record there
    CHECK(truth.size() == 2);
}

TEST_CASE_METHOD(TruthFixture, "indels match however the truth or the candidate spells them", "[truth_labeler]") {
    // One A of the AAAA run at 40-43 deleted, written at the run's right end; a G inserted into
    // the GGG run at 65-67, also written at its right end.
    TruthLabeler truth = labeler({
        "tiny\t43\t.\tAA\tA\t.\tPASS\t.\tGT\t0/1",
        "tiny\t68\t.\tG\tGG\t.\tPASS\t.\tGT\t1/1",
    });
    CHECK(truth.label(39, "GA", "G") == 1);   // left-aligned onto the G before the run
    CHECK(truth.label(41, "AA", "A") == 1);   // mid-run spelling
    CHECK(truth.label(39, "GAA", "G") == 0);  // two A deleted is another allele
    CHECK(truth.label(64, "A", "AG") == 2);
    CHECK(truth.label(66, "G", "GG") == 2);
    CHECK(truth.label(64, "A", "AGG") == 0);
}

TEST_CASE_METHOD(TruthFixture, "a multi-allelic truth record labels each of its alleles", "[truth_labeler]") {
    REQUIRE(reference.fetch({"tiny", 80, 81}) == "G");
    REQUIRE(reference.fetch({"tiny", 69, 71}) == "TA");
    TruthLabeler truth = labeler({
        "tiny\t70\t.\tTA\tT,CA\t.\tPASS\t.\tGT\t1/2",  // a deletion and an SNV in one record
        "tiny\t81\t.\tG\tA,T\t.\tPASS\t.\tGT\t2/2",
    });
    CHECK(truth.label(69, "TA", "T") == 1);
    CHECK(truth.label(69, "T", "C") == 1);  // trimmed to the SNV it is
    CHECK(truth.label(80, "G", "T") == 2);
    CHECK(truth.label(80, "G", "A") == 0);  // listed, but carried by no haplotype
}

TEST_CASE_METHOD(TruthFixture, "an MNP labels its SNVs; a complex replacement makes its neighbourhood unlabelable",
                 "[truth_labeler]") {
    REQUIRE(reference.fetch({"tiny", 50, 53}) == "GTG");
    REQUIRE(reference.fetch({"tiny", 84, 87}) == "CAT");
    TruthLabeler truth = labeler({
        "tiny\t51\t.\tGTG\tATA\t.\tPASS\t.\tGT\t0/1",
        "tiny\t85\t.\tCAT\tGG\t.\tPASS\t.\tGT\t0/1",
    });
    CHECK(truth.label(50, "G", "A") == 1);
    CHECK(truth.label(52, "G", "A") == 1);
    CHECK(truth.label(51, "T", "A") == 0);  // the middle base is unchanged
    // Candidates within 10 bp of the complex allele are not labelled either way.
    CHECK(truth.label(84, "C", "G") == -1);
    CHECK(truth.label(90, "C", "A") == -1);
    CHECK(truth.label(74, "A", "G") == -1);
    CHECK(truth.label(73, "T", "G") == 0);
}

TEST_CASE_METHOD(TruthFixture, "outside the confident regions nothing is labelled, and truth there is not counted",
                 "[truth_labeler]") {
    TruthLabeler truth = labeler(
        {
            "tiny\t13\t.\tT\tC\t.\tPASS\t.\tGT\t0/1",
            "tiny\t26\t.\tC\tA\t.\tPASS\t.\tGT\t1/1",
            "tiny\t81\t.\tG\tA\t.\tPASS\t.\tGT\t0/1",
        },
        {{"tiny", 0, 20}, {"tiny", 70, 100}});
    CHECK(truth.label(25, "C", "A") == -1);
    CHECK(truth.label(60, "C", "T") == -1);
    CHECK(truth.label(12, "T", "C") == 1);

    // Only confident truth alleles, each telling whether a candidate carried it.
    const std::vector<TruthAllele> alleles = truth.alleles_in(0, 100);
    REQUIRE(alleles.size() == 2);
    CHECK(alleles[0].allele.position == 12);
    CHECK(alleles[0].matched);
    CHECK(alleles[1].allele.position == 80);
    CHECK_FALSE(alleles[1].matched);
    CHECK(truth.alleles_in(0, 50).size() == 1);
}

TEST_CASE("a truth VCF without genotypes is bad input", "[truth_labeler]") {
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    test::ScratchFolder scratch;
    const std::string path = write_truth(scratch, {"tiny\t13\t.\tT\tC\t.\tPASS\t."}, false);
    CHECK_THROWS_AS(TruthLabeler(path, reference, whole_tiny, {}), InputError);
}
