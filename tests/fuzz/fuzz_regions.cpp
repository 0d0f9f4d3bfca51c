// Fuzz target: region strings and BED files (core/genomic_region.hpp). The input is parsed as
// a region string (parse_region; a successful parse must round-trip through to_string) and,
// written to a file, as BED (read_bed; plain or gzip), whose intervals are then merged
// (merge_regions) and checked to be sorted and disjoint.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "genodose/core/genomic_region.hpp"

namespace {

using genodose::GenomicRegion;

void check_interval(const GenomicRegion& region, const std::string& where) {
    GENODOSE_FUZZ_CHECK(!region.contig.empty(), where + ": contig name");
    GENODOSE_FUZZ_CHECK(
        region.begin >= 0 && region.begin < region.end,
        where + ": interval [" + std::to_string(region.begin) + ", " + std::to_string(region.end) + ")");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    genodose::fuzz::quiet_logging();
    const std::string text(reinterpret_cast<const char*>(data), size);

    genodose::fuzz::expect_input_errors([&] {
        const GenomicRegion region = genodose::parse_region(text);
        check_interval(region, "parse_region");
        const GenomicRegion again = genodose::parse_region(region.to_string());
        GENODOSE_FUZZ_CHECK(again == region,
                            "parse_region(to_string()) round trip: " + region.to_string() + " vs " + again.to_string());
    });

    static const genodose::fuzz::ScratchFile file(".bed");
    file.write(data, size);
    genodose::fuzz::expect_input_errors([&] {
        const std::vector<GenomicRegion> regions = genodose::read_bed(file.path());
        for (const auto& region : regions) check_interval(region, "read_bed");
        std::vector<std::string> order;
        if (!regions.empty()) order.push_back(regions.back().contig);
        const std::vector<GenomicRegion> merged = genodose::merge_regions(regions, order);
        for (std::size_t i = 0; i < merged.size(); ++i) {
            check_interval(merged[i], "merge_regions");
            if (i > 0 && merged[i].contig == merged[i - 1].contig)
                GENODOSE_FUZZ_CHECK(merged[i - 1].end < merged[i].begin, "merged intervals are disjoint and sorted");
        }
        GENODOSE_FUZZ_CHECK(merged.size() <= regions.size(), "merging never adds intervals");
    });
    return 0;
}
