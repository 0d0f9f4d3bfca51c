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
    const auto merged =
        merge_regions({{"chr2", 0, 10}, {"chr1", 50, 60}, {"chr1", 0, 20}, {"chr1", 20, 30}}, {"chr1", "chr2"});
    REQUIRE(merged.size() == 3);
    CHECK(merged[0] == GenomicRegion{"chr1", 0, 30});
    CHECK(merged[1] == GenomicRegion{"chr1", 50, 60});
    CHECK(merged[2] == GenomicRegion{"chr2", 0, 10});

    const auto chunks = split_regions({{"chr1", 0, 25}}, 10);
    REQUIRE(chunks.size() == 3);
    CHECK(chunks[2] == GenomicRegion{"chr1", 20, 25});
}

TEST_CASE("region arguments: lists, open ends, BEDs by content with tabs or spaces", "[region][bed]") {
    const auto list = parse_regions_argument("chr20:10,000,001-10,001,000,chr20:10002001-,chrX,2:5");
    REQUIRE(list.size() == 4);
    CHECK(list[0] == GenomicRegion{"chr20", 10000000, 10001000});
    CHECK(list[1] == GenomicRegion{"chr20", 10002000, GenomicRegion::whole_contig});
    CHECK(list[2] == GenomicRegion{"chrX", 0, GenomicRegion::whole_contig});
    CHECK(list[3] == GenomicRegion{"2", 4, 5});
    CHECK_THROWS_AS(parse_regions_argument("chr20:1-100,chr20:x-5"), UsageError);

    test::ScratchFolder scratch;
    const auto spaced = scratch.file("intervals.txt");  // no .bed extension, spaces between fields
    std::ofstream(spaced) << "chr20 100 200\nchr20  300\t400 name\n  \n";
    const auto regions = parse_regions_argument(spaced);
    REQUIRE(regions.size() == 2);
    CHECK(regions[0] == GenomicRegion{"chr20", 100, 200});
    CHECK(regions[1] == GenomicRegion{"chr20", 300, 400});
    const auto junk = scratch.file("junk.txt");
    std::ofstream(junk) << "not a bed\n";
    CHECK_THROWS_AS(parse_regions_argument(junk), InputError);
}
