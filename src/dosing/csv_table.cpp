#include "csv_table.hpp"

#include "genodose/core/error.hpp"

namespace genodose::dosing::detail {

std::vector<CsvRecord> read_csv_records(std::istream& in, const std::string& name) {
    std::vector<CsvRecord> records;
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw InputError(file_message(name, "read error"));
    std::size_t pos = 0;
    if (content.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;

    std::size_t line = 1;
    const std::size_t n = content.size();
    while (pos < n) {
        CsvRecord record;
        record.line = line;
        std::string field;
        bool in_quotes = false;
        bool field_was_quoted = false;
        bool end_of_record = false;
        while (pos < n && !end_of_record) {
            const char c = content[pos];
            if (in_quotes) {
                if (c == '"') {
                    if (pos + 1 < n && content[pos + 1] == '"') {
                        field += '"';
                        pos += 2;
                    } else {
                        in_quotes = false;
                        ++pos;
                    }
                } else {
                    if (c == '\n') ++line;
                    field += c;
                    ++pos;
                }
                continue;
            }
            if (c == '"' && field.empty() && !field_was_quoted) {
                in_quotes = true;
                field_was_quoted = true;
                ++pos;
            } else if (c == ',') {
                record.fields.push_back(std::move(field));
                field.clear();
                field_was_quoted = false;
                ++pos;
            } else if (c == '\r' && pos + 1 < n && content[pos + 1] == '\n') {
                pos += 2;
                end_of_record = true;
            } else if (c == '\n' || c == '\r') {
                ++pos;
                end_of_record = true;
            } else {
                field += c;
                ++pos;
            }
        }
        if (in_quotes)
            throw InputError(file_message(name, "line " + std::to_string(record.line) + ": unterminated quoted field"));
        record.fields.push_back(std::move(field));
        if (end_of_record) ++line;
        // Skip blank lines (a single empty field).
        if (record.fields.size() == 1 && record.fields[0].empty()) continue;
        records.push_back(std::move(record));
    }
    return records;
}

}  // namespace genodose::dosing::detail
