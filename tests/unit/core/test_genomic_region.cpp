#include <catch2/catch.hpp>

#include <fstream>

#include "../test_paths.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/genomic_region.hpp"

using namespace genodose;

TEST_CASE("region strings are 1-based inclusive and become 0-based half-open", "[region]") {
    const auto region = parse_region("chr20:10,000,001-10,100,000");
    CHECK(region.contig == "chr20");
    CHECK(region.begin == 10000000);
    CHECK(region.end == 10100000);
    CHECK(region.to_string() == "chr20:10000001-10100000");

    const auto whole = parse_region("20");
    CHECK(whole.contig == "20");
    CHECK(whole.begin == 0);
    CHECK(whole.end == GenomicRegion::whole_contig);
    CHECK(whole.to_string() == "20");

    const auto single = parse_region("chr1:5");
    CHECK(single.begin == 4);
    CHECK(single.end == 5);
}

TEST_CASE("malformed region strings are usage errors naming the text", "[region]") {
    for (const std::string bad : {"", ":1-5", "chr20:abc", "chr20:10-5", "chr20:0-10", "chr20:5-x", "chr20:-5"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_region(bad), UsageError);
    }
    try {
        parse_region("chr20:10-5");
    } catch (const UsageError& e) {
        CHECK(std::string(e.what()).find("chr20:10-5") != std::string::npos);
    }
}

TEST_CASE("BED files are read, skipping headers; malformed lines name file and line", "[region][bed]") {
    test::ScratchFolder scratch;
    const auto good = scratch.file("good.bed");
    std::ofstream(good) << "track name=x\n# comment\nchr20\t100\t200\nchr20\t150\t300\textra\r\n20\t5\t5\n";
    const auto regions = read_bed(good);
    REQUIRE(regions.size() == 2);  // the empty interval 5-5 is dropped
    CHECK(regions[0] == GenomicRegion{"chr20", 100, 200});
    CHECK(regions[1] == GenomicRegion{"chr20", 150, 300});

    const auto bad = scratch.file("bad.bed");
    std::ofstream(bad) << "chr20\t100\t200\nchr20\tx\t300\n";
    try {
        read_bed(bad);
        FAIL("expected InputError");
    } catch (const InputError& e) {
        const std::string what = e.what();
        CHECK(what.find("bad.bed") != std::string::npos);
        CHECK(what.find("line 2") != std::string::npos);
    }
    CHECK_THROWS_AS(read_bed(scratch.file("missing.bed")), InputError);
}

TEST_CASE("regions merge in contig order and split into chunks", "[region]") {
    const auto merged = merge_regions({{"chr2", 0, 10}, {"chr1", 50, 60}, {"chr1", 0, 20}, {"chr1", 20, 30}},
                                      {"chr1", "chr2"});
    REQUIRE(merged.size() == 3);
    CHECK(merged[0] == GenomicRegion{"chr1", 0, 30});
    CHECK(merged[1] == GenomicRegion{"chr1", 50, 60});
    CHECK(merged[2] == GenomicRegion{"chr2", 0, 10});

    const auto chunks = split_regions({{"chr1", 0, 25}}, 10);
    REQUIRE(chunks.size() == 3);
    CHECK(chunks[2] == GenomicRegion{"chr1", 20, 25});
}
