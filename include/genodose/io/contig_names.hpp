// Contig-name reconciliation between inputs that spell the same chromosome differently
// ("chr20" in UCSC/hg19 and GRCh38 files, "20" in b37/hs37d5 files; "chrM" vs "MT").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genodose {

struct Contig {
    std::string name;
    std::int64_t length = 0;
    std::string md5;  // @SQ M5 when the source gives it; empty otherwise
};

// The other conventional spelling of a contig name: "chr20" → "20", "20" → "chr20",
// "chrM" → "MT", "MT" → "chrM". Empty if the name has none.
std::string alternative_contig_name(const std::string& name);

// The name in `available` that denotes `name`: itself if present, else its alternative
// spelling if present, else empty.
std::string match_contig_name(const std::string& name, const std::vector<std::string>& available);

std::vector<std::string> contig_names(const std::vector<Contig>& contigs);

}  // namespace genodose
