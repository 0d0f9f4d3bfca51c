#include "genodose/core/text_input.hpp"

#include <cstdint>
#include <cstdio>
#include <set>
#include <vector>

#include "genodose/core/error.hpp"

namespace genodose {

namespace {

// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    const std::uint8_t lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
        code = lead & 0x1fu;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        code = lead & 0x0fu;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        code = lead & 0x07u;
    } else {
        return 0;  // a continuation byte, an overlong lead (C0, C1) or beyond U+10FFFF (F5-FF)
    }
    if (i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0u) != 0x80u) return 0;
        code = code << 6 | (byte(i + k) & 0x3fu);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && (code < 0x10000 || code > 0x10ffff))) return 0;  // overlong
    if (code >= 0xd800 && code <= 0xdfff) return 0;  // UTF-16 surrogates are not characters
    return length;
}

std::size_t line_of(std::string_view text, std::size_t offset) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
    return line;
}

void append_utf8(std::string& out, std::uint32_t code) {
    if (code < 0x80) {
        out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
        out.push_back(static_cast<char>(0xc0 | code >> 6));
        out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    } else if (code < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | code >> 12));
        out.push_back(static_cast<char>(0x80 | (code >> 6 & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    } else {
        out.push_back(static_cast<char>(0xf0 | code >> 18));
        out.push_back(static_cast<char>(0x80 | (code >> 12 & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (code >> 6 & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (code & 0x3f)));
    }
}

std::uint32_t hex4(std::string_view text, std::size_t i) {
    std::uint32_t value = 0;
    for (std::size_t k = i; k < i + 4 && k < text.size(); ++k) {
        const char c = text[k];
        value = value << 4 | static_cast<std::uint32_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return value;
}

// The decoded JSON string starting at the quote text[i]; `i` is left after the closing quote.
std::string read_json_string(std::string_view text, std::size_t& i) {
    std::string value;
    ++i;  // opening quote
    while (i < text.size() && text[i] != '"') {
        if (text[i] != '\\') {
            value.push_back(text[i++]);
            continue;
        }
        const char escape = i + 1 < text.size() ? text[i + 1] : '\0';
        i += 2;
        switch (escape) {
            case 'b': value.push_back('\b'); break;
            case 'f': value.push_back('\f'); break;
            case 'n': value.push_back('\n'); break;
            case 'r': value.push_back('\r'); break;
            case 't': value.push_back('\t'); break;
            case 'u': {
                std::uint32_t code = hex4(text, i);
                i += 4;
                if (code >= 0xd800 && code <= 0xdbff && i + 6 <= text.size() && text[i] == '\\' && text[i + 1] == 'u') {
                    const std::uint32_t low = hex4(text, i + 2);
                    if (low >= 0xdc00 && low <= 0xdfff) {
                        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
                        i += 6;
                    }
                }
                append_utf8(value, code);
                break;
            }
            default: value.push_back(escape); break;  // \" \\ \/
        }
    }
    ++i;  // closing quote
    return value;
}

}  // namespace

std::optional<TextPosition> first_invalid_utf8(std::string_view text) {
    TextPosition position;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8_sequence_length(text, i);
        if (length == 0) {
            position.column = i - line_start + 1;
            return position;
        }
        if (text[i] == '\n') {
            ++position.line;
            line_start = i + 1;
        }
        i += length;
    }
    return std::nullopt;
}

bool is_valid_utf8(std::string_view text) { return !first_invalid_utf8(text); }

void require_utf8(std::string_view text, const std::string& source) {
    const auto bad = first_invalid_utf8(text);
    if (!bad) return;
    std::size_t offset = 0;
    for (std::size_t line = 1; line < bad->line; ++line) offset = text.find('\n', offset) + 1;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X",
                  static_cast<unsigned>(static_cast<std::uint8_t>(text[offset + bad->column - 1])));
    throw InputError(source + ": line " + std::to_string(bad->line) + ": not valid UTF-8 (byte " + byte +
                         " at column " + std::to_string(bad->column) + ")",
                     "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
}

void require_unique_json_keys(std::string_view text, const std::string& source) {
    // One set of keys per open object; arrays push an empty marker so that the closing bracket
    // pops the right entry.
    struct Open {
        bool object = false;
        std::set<std::string> keys;
    };
    std::vector<Open> open;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '{' || c == '[') {
            open.push_back({c == '{', {}});
            ++i;
        } else if (c == '}' || c == ']') {
            if (!open.empty()) open.pop_back();
            ++i;
        } else if (c == '"') {
            const std::size_t start = i;
            std::string value = read_json_string(text, i);
            std::size_t next = i;
            while (next < text.size() &&
                   (text[next] == ' ' || text[next] == '\t' || text[next] == '\n' || text[next] == '\r'))
                ++next;
            const bool is_key = next < text.size() && text[next] == ':' && !open.empty() && open.back().object;
            if (is_key && !open.back().keys.insert(value).second)
                throw InputError(source + ": line " + std::to_string(line_of(text, start)) + ": key '" + value +
                                 "' appears twice in one object (which value is meant?)");
        } else {
            ++i;
        }
    }
}

std::string abbreviate_long_alleles(const std::string& text, std::size_t max_shown) {
    const auto is_base = [](char c) {
        switch (c) {
            case 'A':
            case 'C':
            case 'G':
            case 'T':
            case 'N':
            case 'a':
            case 'c':
            case 'g':
            case 't':
            case 'n': return true;
            default: return false;
        }
    };
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t run = i;
        while (run < text.size() && is_base(text[run])) ++run;
        if (run - i > max_shown) {
            out.append(text, i, 10).append("\u2026(").append(std::to_string(run - i)).append(" bp)");
        } else {
            out.append(text, i, run - i);
        }
        if (run < text.size()) out.push_back(text[run]);
        i = run + 1;
    }
    return out;
}

std::string without_input_excerpt(const std::string& message) {
    const std::size_t excerpt = message.find("; last read:");
    return excerpt == std::string::npos ? message : message.substr(0, excerpt);
}

void require_max_length(std::string_view value, std::size_t limit, const std::string& what) {
    if (value.size() > limit)
        throw InputError(what + " is " + std::to_string(value.size()) + " bytes long (at most " +
                         std::to_string(limit) + ")");
}

}  // namespace genodose
