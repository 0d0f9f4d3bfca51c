#include <catch2/catch.hpp>

#include <filesystem>

#include "../test_paths.hpp"
#include "genodose/core/error.hpp"
#include "genodose/io/reference_genome.hpp"

using namespace genodose;

TEST_CASE("reference fetches upper-case bases by 0-based half-open region", "[reference]") {
    ReferenceGenome reference(test::data_path("io/mini_ref.fa.gz"));
    REQUIRE(reference.contigs().size() == 1);
    CHECK(reference.contigs()[0].name == "chr20");
    CHECK(reference.contigs()[0].length == 63025520);
    // Checked with: samtools faidx tests/data/io/mini_ref.fa.gz chr20:10000001-10000010
    CHECK(reference.fetch({"chr20", 10000000, 10000010}) == "TGTTTACTAC");
    CHECK(reference.fetch({"chr20", 100, 105}) == "NNNNN");
    // Clipped at the contig end.
    CHECK(reference.fetch({"chr20", 63025518, 63025530}).size() == 2);
}

TEST_CASE("reference resolves the other contig spelling and rejects unknown contigs", "[reference]") {
    ReferenceGenome reference(test::data_path("io/mini_ref.fa.gz"));
    const auto resolved = reference.resolve(parse_region("20:10000001-10000100"));
    CHECK(resolved.contig == "chr20");
    CHECK(resolved.begin == 10000000);
    const auto whole = reference.resolve(parse_region("chr20"));
    CHECK(whole.end == 63025520);
    try {
        reference.resolve(parse_region("chr7:1-10"));
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("chr7") != std::string::npos);
        CHECK(std::string(e.what()).find("mini_ref.fa.gz") != std::string::npos);
    }
    CHECK_THROWS_AS(reference.resolve(parse_region("chr20:70000000-70000010")), InputError);
}

TEST_CASE("reference without index or missing is an input error", "[reference][bad-input]") {
    test::ScratchFolder scratch;
    const auto copy = scratch.file("ref.fa.gz");
    std::filesystem::copy_file(test::data_path("io/mini_ref.fa.gz"), copy);
    try {
        ReferenceGenome reference(copy);
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find(".fai") != std::string::npos);
        CHECK(e.help().find("samtools faidx") != std::string::npos);
    }
    // Never writes an index next to the user's file.
    CHECK_FALSE(std::filesystem::exists(copy + ".fai"));
    CHECK_THROWS_AS(ReferenceGenome(scratch.file("missing.fa")), InputError);
}
