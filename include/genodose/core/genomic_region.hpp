// Genomic intervals and their text forms.
//
// Internally every interval is 0-based and half-open [begin, end), as in BED and htslib.
// Users write 1-based inclusive "chr20:10,000,001-10,100,000" (samtools style).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genodose {

struct GenomicRegion {
    std::string contig;
    std::int64_t begin = 0;  // 0-based, inclusive
    std::int64_t end = 0;    // 0-based, exclusive; whole_contig means "to the end"

    static constexpr std::int64_t whole_contig = INT64_MAX;

    std::int64_t length() const { return end - begin; }
    bool contains(std::int64_t position) const { return position >= begin && position < end; }
    bool overlaps(const GenomicRegion& other) const {
        return contig == other.contig && begin < other.end && other.begin < end;
    }
    // "chr20:10000001-10100000" (1-based inclusive), or "chr20" for a whole contig.
    std::string to_string() const;
    bool operator==(const GenomicRegion& other) const {
        return contig == other.contig && begin == other.begin && end == other.end;
    }
};

// Parses "chr", "chr:pos", "chr:start-end", "chr:start-" (to the contig's end; 1-based
// inclusive; commas allowed in numbers). UsageError naming the text on anything else (start >
// end, zero, non-numbers, empty contig).
GenomicRegion parse_region(const std::string& text);

// Reads a BED file (tab- or space-separated, 0-based half-open; header/track/browser/# lines skipped).
// InputError naming file and line on malformed lines, or the file if it holds no interval.
std::vector<GenomicRegion> read_bed(const std::string& path);

// A region option value: a readable file (whatever its name) or a name ending in .bed/.bed.gz →
// BED; otherwise one region or a comma-separated list of them ("chr1:1-100,chr2:5-", commas
// inside numbers still group thousands).
std::vector<GenomicRegion> parse_regions_argument(const std::string& text);

// Sorts by (contig order as given, begin) and merges overlapping/adjacent intervals.
std::vector<GenomicRegion> merge_regions(std::vector<GenomicRegion> regions,
                                         const std::vector<std::string>& contig_order);

// Splits regions into chunks of at most `chunk_length` bp (for parallel work).
std::vector<GenomicRegion> split_regions(const std::vector<GenomicRegion>& regions, std::int64_t chunk_length);

}  // namespace genodose
