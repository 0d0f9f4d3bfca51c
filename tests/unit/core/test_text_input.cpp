#include <catch2/catch.hpp>

#include <string>

#include "genodose/core/error.hpp"
#include "genodose/core/text_input.hpp"

using namespace genodose;
using Catch::Matchers::Contains;

TEST_CASE("invalid UTF-8 is found with its line and column", "[text]") {
    CHECK(is_valid_utf8("plain ASCII\nM\xC3\xBCller \xE2\x80\xAE \xF0\x9F\x92\x8A"));
    const auto bad = first_invalid_utf8("{\n  \"id\": \"M\xFCller\"\n}");  // Latin-1 u-umlaut
    REQUIRE(bad);
    CHECK(bad->line == 2);
    CHECK(bad->column == 11);
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a UTF-16 surrogate
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xE2\x80"));          // truncated
    CHECK_THROWS_WITH(require_utf8("a\nb\xE9", "p.json"),
                      Contains("p.json: line 2: not valid UTF-8 (byte 0xE9 at column 2)"));
}

TEST_CASE("a key given twice in one JSON object is an error naming it and its line", "[text]") {
    CHECK_NOTHROW(require_unique_json_keys(R"({"a": {"b": 1}, "b": [{"a": 1}, {"a": 2}], "c": "a"})", "x"));
    CHECK_THROWS_WITH(require_unique_json_keys("{\n\"weight_kg\": 82,\n\"weight_kg\": 500}", "p.json"),
                      Contains("p.json: line 3: key 'weight_kg' appears twice"));
    CHECK_THROWS_WITH(require_unique_json_keys(R"({"x": {"a": 1, "\u0061": 2}})", "p.json"),
                      Contains("key 'a' appears twice"));
    CHECK_THROWS_AS(require_unique_json_keys(R"([{"k": "v\"", "k": 1}])", "p.json"), InputError);
}

TEST_CASE("long alleles are abbreviated, short text is not", "[text]") {
    CHECK(abbreviate_long_alleles("rs9923231 C/T (-1639 G/A)") == "rs9923231 C/T (-1639 G/A)");
    const std::string allele = "A" + std::string(50000, 'G');
    CHECK(abbreviate_long_alleles("REF " + allele + " at chr10") == "REF AGGGGGGGGG\u2026(50001 bp) at chr10");
    CHECK(without_input_excerpt("parse error at line 3; last read: '\"M\xFC'") == "parse error at line 3");
    CHECK_THROWS_WITH(require_max_length(std::string(300, 'x'), max_identifier_bytes, "id"),
                      "id is 300 bytes long (at most 256)");
}
