#include "genodose/core/genomic_region.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "genodose/core/error.hpp"
#include "genodose/core/output_file.hpp"

namespace genodose {
namespace {

bool parse_position(std::string text, std::int64_t& value) {
    text.erase(std::remove(text.begin(), text.end(), ','), text.end());
    if (text.empty() || text.size() > 18) return false;
    for (char c : text)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = std::stoll(text);
    return true;
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string GenomicRegion::to_string() const {
    if (begin == 0 && end == whole_contig) return contig;
    return contig + ":" + std::to_string(begin + 1) + "-" + std::to_string(end);
}

GenomicRegion parse_region(const std::string& text) {
    const auto fail = [&](const std::string& why) {
        return UsageError("region '" + text + "': " + why,
                          "write regions as chr20, chr20:10000001 or chr20:10000001-10100000 (1-based, inclusive)");
    };
    if (text.empty()) throw fail("empty");
    GenomicRegion region;
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) {
        region.contig = text;
        region.begin = 0;
        region.end = GenomicRegion::whole_contig;
        return region;
    }
    region.contig = text.substr(0, colon);
    if (region.contig.empty()) throw fail("no contig name");
    // "chr20:1-100,chr20:200-300" is a list: parse_regions_argument() splits those.
    if (const auto first_colon = region.contig.find(':');
        first_colon != std::string::npos && region.contig.find(',', first_colon) != std::string::npos)
        throw UsageError("region '" + text + "': one region here, not a list", "give each region separately");
    const std::string span = text.substr(colon + 1);
    const auto dash = span.find('-');
    std::int64_t start = 0;
    std::int64_t stop = 0;
    if (dash == std::string::npos) {
        if (!parse_position(span, start)) throw fail("position is not a number");
        stop = start;
    } else {
        if (!parse_position(span.substr(0, dash), start)) throw fail("start is not a number");
        const bool to_contig_end = dash + 1 == span.size();  // "chr20:10000001-" (samtools)
        if (!to_contig_end && !parse_position(span.substr(dash + 1), stop)) throw fail("end is not a number");
        if (to_contig_end) stop = GenomicRegion::whole_contig;
    }
    if (start < 1) throw fail("positions are 1-based; start must be at least 1");
    if (stop < start) throw fail("end is before start");
    region.begin = start - 1;
    region.end = stop;
    return region;
}

std::vector<GenomicRegion> read_bed(const std::string& path) {
    if (!readable_file(path)) throw InputError(file_message(path, "cannot open BED file"));
    gzFile file = gzopen(path.c_str(), "rb");  // reads plain and gzip/bgzip alike
    if (!file) throw InputError(file_message(path, "cannot open BED file"));
    std::vector<GenomicRegion> regions;
    std::string line;
    char buffer[65536];
    std::int64_t line_number = 0;
    const auto process = [&](const std::string& text) {
        ++line_number;
        if (text.find_first_not_of(" \t\r") == std::string::npos || text[0] == '#' || text.rfind("track", 0) == 0 ||
            text.rfind("browser", 0) == 0)
            return;
        // Tabs by the specification; spaces too, as bedtools and samtools accept them.
        std::istringstream fields(text);
        std::string contig, start_text, end_text;
        if (!(fields >> contig >> start_text)) {
            throw InputError(
                file_message(path, "line " + std::to_string(line_number) +
                                       ": expected contig, start, end separated by tabs or spaces (not a BED file?)"));
        }
        if (!(fields >> end_text)) end_text.clear();
        std::int64_t start = 0, stop = 0;
        if (contig.empty() || !parse_position(start_text, start) || !parse_position(end_text, stop) || stop < start) {
            throw InputError(
                file_message(path, "line " + std::to_string(line_number) + ": malformed BED interval '" + text + "'"));
        }
        if (stop > start) regions.push_back({contig, start, stop});
    };
    int n = 0;
    while ((n = gzread(file, buffer, sizeof buffer)) > 0) {
        for (int i = 0; i < n; ++i) {
            if (buffer[i] == '\n') {
                try {
                    process(line);
                } catch (...) {
                    gzclose(file);
                    throw;
                }
                line.clear();
            } else {
                line.push_back(buffer[i]);
            }
        }
    }
    const bool read_error = n < 0;
    gzclose(file);
    if (read_error) throw InputError(file_message(path, "read error (truncated or corrupt file)"));
    if (!line.empty()) process(line);
    // An empty region list would mean "everywhere" to the callers; an empty BED is a mistake
    // (bcftools: "Failed to read the regions").
    if (regions.empty())
        throw InputError(
            file_message(path, "no interval in the BED file (empty, or only headers and zero-length intervals)"));
    return regions;
}

std::vector<GenomicRegion> parse_regions_argument(const std::string& text) {
    // A file is a BED whatever its name (read_bed checks its content); a .bed name that is not
    // a readable file is an error rather than a contig called "x.bed".
    if (readable_file(text) || ends_with(text, ".bed") || ends_with(text, ".bed.gz")) return read_bed(text);
    // A comma-separated list. Commas also group thousands ("chr20:10,000,001-10,100,000"): a
    // piece that is only digits (and a '-') continues the position of a region that has one.
    std::vector<std::string> pieces;
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string piece = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        const bool continues_number = !pieces.empty() && pieces.back().find(':') != std::string::npos &&
                                      !piece.empty() && std::isdigit(static_cast<unsigned char>(piece[0])) &&
                                      piece.find_first_not_of("0123456789-") == std::string::npos;
        if (continues_number) pieces.back() += "," + piece;
        else pieces.push_back(piece);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    std::vector<GenomicRegion> regions;
    for (const auto& piece : pieces) regions.push_back(parse_region(piece));
    return regions;
}

std::vector<GenomicRegion> merge_regions(std::vector<GenomicRegion> regions,
                                         const std::vector<std::string>& contig_order) {
    std::unordered_map<std::string, std::size_t> rank;
    for (std::size_t i = 0; i < contig_order.size(); ++i) rank.emplace(contig_order[i], i);
    const auto rank_of = [&](const std::string& contig) {
        const auto it = rank.find(contig);
        return it == rank.end() ? contig_order.size() : it->second;
    };
    std::sort(regions.begin(), regions.end(), [&](const GenomicRegion& a, const GenomicRegion& b) {
        const auto ra = rank_of(a.contig), rb = rank_of(b.contig);
        if (ra != rb) return ra < rb;
        if (a.contig != b.contig) return a.contig < b.contig;
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    std::vector<GenomicRegion> merged;
    for (auto& region : regions) {
        if (!merged.empty() && merged.back().contig == region.contig && region.begin <= merged.back().end) {
            merged.back().end = std::max(merged.back().end, region.end);
        } else {
            merged.push_back(std::move(region));
        }
    }
    return merged;
}

std::vector<GenomicRegion> split_regions(const std::vector<GenomicRegion>& regions, std::int64_t chunk_length) {
    if (chunk_length <= 0) throw InternalError("split_regions: chunk length must be positive");
    std::vector<GenomicRegion> chunks;
    for (const auto& region : regions) {
        for (std::int64_t start = region.begin; start < region.end; start += chunk_length) {
            chunks.push_back({region.contig, start, std::min(region.end, start + chunk_length)});
        }
    }
    return chunks;
}

}  // namespace genodose
