// Private to report/: escaping and small text helpers shared by the renderers.
#pragma once

#include <string>
#include <vector>

#include "genodose/core/sha256.hpp"

namespace genodose::report {

// & < > " ' → entities; everything else (UTF-8 included) unchanged.
std::string html_escape(const std::string& text);

std::string join(const std::vector<std::string>& items, const std::string& separator);
std::string file_name_of(const std::string& path);

// Current UTC time as "2025-11-22T10:15:00Z".
std::string utc_timestamp_now();

}  // namespace genodose::report
