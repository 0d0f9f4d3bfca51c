// Private to report/: escaping, hashing and small text helpers shared by the renderers.
#pragma once

#include <string>
#include <vector>

namespace genodose::report {

// & < > " ' → entities; everything else (UTF-8 included) unchanged.
std::string html_escape(const std::string& text);

// Lower-case hex SHA-256 of a string / of a file's bytes (streamed). InputError naming the file
// if it cannot be read.
std::string sha256_hex(const std::string& data);
std::string sha256_file(const std::string& path);

std::string join(const std::vector<std::string>& items, const std::string& separator);
std::string file_name_of(const std::string& path);

// Current UTC time as "2025-11-22T10:15:00Z".
std::string utc_timestamp_now();

}  // namespace genodose::report
