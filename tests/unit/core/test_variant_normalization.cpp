#include <catch2/catch.hpp>

#include "genodose/core/variant_normalization.hpp"

using namespace genodose;

TEST_CASE("SNVs and MNPs are trimmed, not shifted", "[normalize]") {
    const std::string reference = "ACGTACGTAC";
    CHECK(normalize_allele(reference, 100, 102, "G", "T") == NormalizedAllele{102, "G", "T"});
    CHECK(normalize_allele(reference, 100, 101, "CGT", "CAT") == NormalizedAllele{102, "G", "A"});
    CHECK(normalize_allele(reference, 100, 101, "CG", "TA") == NormalizedAllele{101, "CG", "TA"});
}

TEST_CASE("deletions and insertions in repeats move to their leftmost position", "[normalize]") {
    //                        0123456789
    const std::string reference = "GCAAAAAT";
    // Delete one A written at the right end of the run: AT → T  (pos 5 'A', 6 'A', 7 'T')
    CHECK(normalize_allele(reference, 0, 6, "AT", "T") == NormalizedAllele{1, "CA", "C"});
    CHECK(normalize_allele(reference, 0, 5, "AA", "A") == NormalizedAllele{1, "CA", "C"});
    // Insert an A at the end of the run.
    CHECK(normalize_allele(reference, 0, 6, "A", "AA") == NormalizedAllele{1, "C", "CA"});
    // Dinucleotide repeat: ACACAC, delete AC at the end.
    const std::string repeat = "TACACACG";
    CHECK(normalize_allele(repeat, 0, 5, "ACG", "G") == NormalizedAllele{0, "TAC", "T"});
}

TEST_CASE("shared padding is trimmed from indels written with long context", "[normalize]") {
    const std::string reference = "GGCTTTTAGG";
    // GCTTTTA → GCTTTA: one T deleted, written with full context.
    CHECK(normalize_allele(reference, 0, 1, "GCTTTTA", "GCTTTA") == NormalizedAllele{2, "CT", "C"});
}

TEST_CASE("left shift stops at the window start and on reference mismatch", "[normalize]") {
    const std::string reference = "AAAAT";
    CHECK(normalize_allele(reference, 10, 13, "AT", "T").position == 10);
    // ref allele disagrees with the window: trimmed only
    CHECK(normalize_allele(reference, 10, 13, "GT", "T") == NormalizedAllele{13, "GT", "T"});
}
