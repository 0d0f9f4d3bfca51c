// Checks on text from user files that the parsers themselves do not make: UTF-8 validity,
// keys repeated in one JSON object, and length limits for identifiers and free text.
//
//   const std::string text = read_text_file(path);
//   require_utf8(text, path);                 // InputError naming the line
//   auto json = nlohmann::json::parse(text);  // (in the module that owns the parser)
//   require_unique_json_keys(text, path);     // "line 4: key 'weight_kg' appears twice ..."
//   require_max_length(id, max_identifier_bytes, path + ": field 'id'");
//
// JSON parsers keep the last of two equal keys ({"weight_kg": 82, "weight_kg": 500} is 500):
// a clinical value silently replaced. Text that is not UTF-8 (a Latin-1 name) cannot go into
// JSON, HTML or PDF outputs. Lengths are limited so that a 50 MB identifier is an input error,
// not minutes of rendering and gigabytes of memory.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace genodose {

// Identifiers: patient id, sample id, medical record number, specimen id.
inline constexpr std::size_t max_identifier_bytes = 256;
// Any other text field a user supplies (a name, an address, a note).
inline constexpr std::size_t max_text_field_bytes = 4096;

struct TextPosition {
    std::size_t line = 1;    // 1-based
    std::size_t column = 1;  // 1-based, in bytes
};

// The position of the first byte that does not belong to a valid UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF included), or nullopt.
std::optional<TextPosition> first_invalid_utf8(std::string_view text);
bool is_valid_utf8(std::string_view text);

// InputError "<source>: line N: not valid UTF-8 (byte 0xE9 at column C) ..." when text is not.
void require_utf8(std::string_view text, const std::string& source);

// InputError "<source>: line N: key 'k' appears twice in one object" for the first repeated
// key of any object. `text` must already be valid JSON (parse it first); escapes in keys are
// decoded, so "a" and "\u0061" are the same key.
void require_unique_json_keys(std::string_view text, const std::string& source);

// A JSON parser's error message without its excerpt of the input ("; last read: '...'"), which
// can hold patient data.
std::string without_input_excerpt(const std::string& message);

// `text` with every run of more than max_shown bases (A, C, G, T, N, either case) shortened to
// its first ten bases, "…" and its length: "ACGTACGTAC…(50001 bp)". For messages and reports
// that quote alleles: a 50 kb REF stays a short line, not megabytes of report.
std::string abbreviate_long_alleles(const std::string& text, std::size_t max_shown = 20);

// InputError "<what> is N bytes long (at most LIMIT)" when value is longer than limit.
void require_max_length(std::string_view value, std::size_t limit, const std::string& what);

}  // namespace genodose
