// Small string utilities every module uses: one definition each.
#pragma once

#include <string>
#include <vector>

namespace genodose {

// "a, b, c" (or with another separator); "" for no items.
std::string join(const std::vector<std::string>& items, const std::string& separator = ", ");

// Every field between separators, empty ones included: "a,,b" → {a, "", b}; "" → {""}.
std::vector<std::string> split(const std::string& text, char separator);

// Without leading and trailing white space (space, tab, CR, LF, VT, FF).
std::string trim(const std::string& text);

// The last component of a path: "data/x.bam" → "x.bam".
std::string file_name_of(const std::string& path);

// Current UTC time as "2025-11-22T10:15:00Z".
std::string utc_timestamp_now();

}  // namespace genodose
