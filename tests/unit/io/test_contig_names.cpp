#include <catch2/catch.hpp>

#include "genodose/io/contig_names.hpp"

using namespace genodose;

TEST_CASE("contig names map between chr-prefixed and bare spellings", "[contig]") {
    CHECK(alternative_contig_name("chr20") == "20");
    CHECK(alternative_contig_name("20") == "chr20");
    CHECK(alternative_contig_name("chrM") == "MT");
    CHECK(alternative_contig_name("MT") == "chrM");
    const std::vector<std::string> available{"chr10", "chr16"};
    CHECK(match_contig_name("10", available) == "chr10");
    CHECK(match_contig_name("chr16", available) == "chr16");
    CHECK(match_contig_name("chr19", available).empty());
}
