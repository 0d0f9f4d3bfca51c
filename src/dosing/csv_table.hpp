// Private to dosing/: a small RFC 4180 CSV reader (quoted fields, doubled quotes, embedded
// commas and newlines, CRLF, UTF-8 byte-order mark). The IWPC/PharmGKB export needs all of
// these: its header has quoted names with commas, and free-text medication lists are quoted.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace genodose::dosing::detail {

struct CsvRecord {
    std::vector<std::string> fields;
    std::size_t line = 0;  // physical line where the record starts (header is line 1)
};

// Reads every record. InputError naming `name` and the line on an unterminated quote.
std::vector<CsvRecord> read_csv_records(std::istream& in, const std::string& name);

}  // namespace genodose::dosing::detail
