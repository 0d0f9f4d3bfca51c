#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "genodose/core/error.hpp"
#include "genodose/core/variant_normalization.hpp"
#include "genodose/pgx/data_directory.hpp"
#include "pgx_test_support.hpp"

using namespace genodose;
using namespace genodose::pgx;
using namespace pgx_test;

TEST_CASE("the shipped PharmCAT definitions load with every gene, allele and phenotype table", "[pgx][definitions]") {
    const PgxDataset& data = dataset();
    REQUIRE(data.genes.size() == 3);
    const GeneDefinition* cyp2c9 = data.gene("CYP2C9");
    const GeneDefinition* cyp4f2 = data.gene("CYP4F2");
    const GeneDefinition* vkorc1 = data.gene("VKORC1");
    REQUIRE(cyp2c9);
    REQUIRE(cyp4f2);
    REQUIRE(vkorc1);
    // Counts as in the PharmCAT 2025-11-05 translation files.
    CHECK(cyp2c9->positions.size() == 83);
    CHECK(cyp2c9->alleles.size() == 88);
    CHECK(cyp4f2->positions.size() == 20);
    CHECK(cyp4f2->alleles.size() == 22);
    CHECK(vkorc1->positions.size() == 1);
    CHECK(vkorc1->alleles.size() == 2);
    CHECK(cyp2c9->alleles.front().name == "*1");
    CHECK(cyp2c9->alleles.front().reference);
    CHECK(data.version() == "2025-11-05-00-25");
    CHECK(cyp2c9->gene_strand == '+');
    CHECK(vkorc1->gene_strand == '-');
    CHECK(cyp4f2->gene_strand == '-');
    REQUIRE(cyp2c9->phenotypes);
    CHECK_FALSE(cyp4f2->phenotypes);
    REQUIRE(vkorc1->phenotypes);
    const auto* star1_star3 = cyp2c9->phenotypes->diplotype("*3", "*1");
    REQUIRE(star1_star3);
    CHECK(star1_star3->phenotype == "Intermediate Metabolizer");
    CHECK(star1_star3->activity_score == Approx(1.0));
    REQUIRE(cyp2c9->phenotypes->haplotype("*2"));
    CHECK(cyp2c9->phenotypes->haplotype("*2")->function == "Decreased function");
    CHECK(*cyp2c9->phenotypes->haplotype("*2")->activity_value == Approx(0.5));
    CHECK_FALSE(cyp2c9->phenotypes->haplotype("*7")->activity_value);  // "n/a"
    // rs12777823 comes from exemptions.json, not from code.
    REQUIRE(cyp2c9->extra_positions.size() == 1);
    CHECK(cyp2c9->extra_positions[0].rsid == "rs12777823");
    CHECK(cyp2c9->extra_positions[0].position == 94645745 - 1);
    CHECK(cyp2c9->amp1_positions.size() == 6);
}

TEST_CASE("*6 is the deletion rs9332131 GA>G at chr10:94949281", "[pgx][definitions]") {
    const GeneDefinition& cyp2c9 = *dataset().gene("CYP2C9");
    const auto index = cyp2c9.position_index("rs9332131");
    REQUIRE(index);
    const DefinedPosition& position = cyp2c9.positions[*index];
    CHECK(position.position + 1 == 94949281);
    CHECK(position.ref == "GA");
    CHECK(position.alts == std::vector<std::string>{"G"});
    CHECK_FALSE(position.is_snv());
}

TEST_CASE("GRCh37 coordinates come from the RefSeqGene offsets and agree with dbSNP", "[pgx][definitions][grch37]") {
    // dbSNP GRCh37.p13 positions, independent of the FASTA headers the offsets come from.
    const std::vector<std::pair<std::string, long long>> dbsnp_grch37 = {
        {"rs1799853", 96702047},   // CYP2C9*2
        {"rs1057910", 96741053},   // CYP2C9*3
        {"rs9923231", 31107689},   // VKORC1 -1639G>A
        {"rs2108622", 15990431},   // CYP4F2*3
        {"rs12777823", 96405502},  // outside the RefSeqGene regions: genodose_pgx.json grch37_liftover
    };
    for (const auto& [rsid, position] : dbsnp_grch37) {
        INFO(rsid);
        const GenotypingTarget& target = targets(GenomeBuild::grch37)[target_index(rsid, GenomeBuild::grch37)];
        CHECK(target.position + 1 == position);
    }
    // Every defined position maps by its gene's fixed offset.
    const auto& grch38 = targets(GenomeBuild::grch38);
    const auto& grch37 = targets(GenomeBuild::grch37);
    REQUIRE(grch38.size() == grch37.size());
    for (std::size_t i = 0; i < grch38.size(); ++i) {
        const long long offset = grch37[i].position - grch38[i].position;
        if (grch38[i].gene == "CYP2C9") CHECK(offset == 1759757);
        if (grch38[i].gene == "CYP4F2") CHECK(offset == 110810);
        if (grch38[i].gene == "VKORC1") CHECK(offset == 11321);
    }
}

TEST_CASE("the RefSeqGene sequence agrees with every definition's reference allele", "[pgx][definitions]") {
    const PgxDataset& data = dataset();
    for (const auto& gene : data.genes)
        for (const auto& position : gene.positions)
            CHECK(data.reference_bases(position.chromosome, position.position, position.end(), GenomeBuild::grch38) ==
                  position.ref);
    // The same bases on GRCh37 at the shifted coordinates.
    const auto& grch37 = targets(GenomeBuild::grch37);
    const GenotypingTarget& star2 = grch37[target_index("rs1799853", GenomeBuild::grch37)];
    CHECK(data.reference_bases("chr10", star2.position, star2.end(), GenomeBuild::grch37) == "C");
}

TEST_CASE("indels normalise to the left-aligned, parsimonious form", "[pgx][definitions]") {
    const PgxDataset& data = dataset();
    const auto base_at = [&](std::int64_t at) -> char {
        const std::string base = data.reference_bases("chr10", at, at + 1, GenomeBuild::grch38);
        return base.empty() ? '\0' : base[0];
    };
    // *6: the A deleted from the AA run at 94949282-94949283 may be written one base right.
    const NormalizedAllele star6 = normalize_allele_with(base_at, 94949282 - 1, "AA", "A");
    CHECK(star6 == NormalizedAllele{94949281 - 1, "GA", "G"});
    // Already normalised: unchanged.
    CHECK(normalize_allele_with(base_at, 94949281 - 1, "GA", "G") == NormalizedAllele{94949281 - 1, "GA", "G"});
    // Padded SNV: shared bases trimmed.
    CHECK(normalize_allele_with(base_at, 94942290 - 1, "CG", "TG") == NormalizedAllele{94942290 - 1, "C", "T"});
    // *25, the 10-bp deletion written at its HGVS (right-most) place, comes back to 94942205.
    const std::string right = data.reference_bases("chr10", 94942212 - 1, 94942222, GenomeBuild::grch38);
    REQUIRE(right.size() == 11);
    const NormalizedAllele star25 = normalize_allele_with(base_at, 94942212 - 1, right, right.substr(0, 1));
    CHECK(star25 == NormalizedAllele{94942205 - 1, "CAATGGAAAGA", "C"});
}

TEST_CASE("IUPAC codes in definitions match the bases they stand for", "[pgx][definitions]") {
    CHECK(allele_matches("S", "C"));
    CHECK(allele_matches("S", "G"));
    CHECK_FALSE(allele_matches("S", "A"));
    CHECK(allele_matches("A", "A"));
    CHECK_FALSE(allele_matches("A", "T"));
    CHECK(allele_matches("GA", "GA"));
    CHECK_FALSE(allele_matches("GA", "G"));
}

TEST_CASE("genome builds parse case-insensitively and refuse anything else", "[pgx][definitions]") {
    CHECK(parse_genome_build("GRCh38") == GenomeBuild::grch38);
    CHECK(parse_genome_build("grch37") == GenomeBuild::grch37);
    CHECK_THROWS_AS(parse_genome_build("hg19"), UsageError);
}

TEST_CASE("default_data_directory honours GENODOSE_DATA_DIR and falls back to the source tree", "[pgx][data]") {
    const char* saved = std::getenv("GENODOSE_DATA_DIR");
    const std::string saved_value = saved ? saved : "";
    ::unsetenv("GENODOSE_DATA_DIR");
    const std::string fallback = default_data_directory();
    CHECK(std::filesystem::exists(pgx_data_directory(fallback) + "/genodose_pgx.json"));
    // GENODOSE_DATA_DIR names the genodose folder holding data/ (and models/).
    std::filesystem::create_directories(scratch_directory() + "/root/data/reference");
    ::setenv("GENODOSE_DATA_DIR", (scratch_directory() + "/root").c_str(), 1);
    CHECK(default_data_directory() == scratch_directory() + "/root/data");
    ::setenv("GENODOSE_DATA_DIR", (scratch_directory() + "/does-not-exist").c_str(), 1);
    CHECK_THROWS_AS(default_data_directory(), InputError);
    if (saved) ::setenv("GENODOSE_DATA_DIR", saved_value.c_str(), 1);
    else ::unsetenv("GENODOSE_DATA_DIR");
}

TEST_CASE("a damaged data folder is an InputError naming the file", "[pgx][definitions]") {
    const std::string dir = scratch_directory() + "/broken-data";
    std::filesystem::create_directories(dir);
    CHECK_THROWS_AS(load_pgx_dataset(dir), InputError);  // no genodose_pgx.json
    std::ofstream(dir + "/genodose_pgx.json") << "{ not json";
    try {
        load_pgx_dataset(dir);
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("genodose_pgx.json") != std::string::npos);
    }
    // A definition whose reference allele contradicts the sequence is refused.
    std::filesystem::copy(pgx_directory(), dir + "/copy", std::filesystem::copy_options::recursive);
    const std::string definition = dir + "/copy/definition/VKORC1_translation.json";
    std::ifstream in(definition);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find("\"ref\": \"C\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 10, "\"ref\": \"G\"");
    std::ofstream(definition) << text;
    try {
        load_pgx_dataset(dir + "/copy");
        FAIL("expected InputError");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("VKORC1_translation.json") != std::string::npos);
        CHECK(std::string(e.what()).find("rs9923231") != std::string::npos);
    }
}
