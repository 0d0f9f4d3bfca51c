// genodose against PharmCAT's own reports on PharmCAT's example VCFs (tests/data/pgx/README.md).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "pgx_test_support.hpp"

using namespace genodose::pgx;
using namespace pgx_test;

namespace {

std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, separator)) fields.push_back(field);
    if (!line.empty() && line.back() == separator) fields.emplace_back();
    return fields;
}

// Gene → column → value, from PharmCAT's *.report.tsv (line 1: version; line 2: header).
std::map<std::string, std::map<std::string, std::string>> read_report(const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    std::string line;
    std::getline(in, line);
    REQUIRE(line.rfind("PharmCAT", 0) == 0);
    std::getline(in, line);
    const std::vector<std::string> header = split(line, '\t');
    std::map<std::string, std::map<std::string, std::string>> rows;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const std::vector<std::string> fields = split(line, '\t');
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = i < fields.size() ? fields[i] : "";
        rows[row["Gene"]] = row;
    }
    return rows;
}

std::string number_text(const std::optional<double>& value) {
    if (!value) return "";
    std::ostringstream text;
    text.setf(std::ios::fixed);
    text.precision(1);
    text << *value;
    return text.str();
}

}  // namespace

TEST_CASE("genodose agrees with PharmCAT's reports on PharmCAT's example VCFs", "[pgx][pharmcat]") {
    for (const std::string example : {"pharmcat.example", "pharmcat.example2"}) {
        const std::string directory = std::string(GENODOSE_TEST_DATA) + "/pgx/";
        const auto report = read_report(directory + example + ".report.tsv");
        const auto samples = genotype_vcf(directory + example + ".vcf");
        REQUIRE(samples.size() == 1);
        for (const std::string name : {"CYP2C9", "CYP4F2", "VKORC1"}) {
            INFO(example << " " << name);
            REQUIRE(report.count(name));
            const auto& row = report.at(name);
            const GeneGenotype& genotype = gene(samples[0], name);
            REQUIRE(genotype.call.best.size() == 1);
            CHECK(genotype.call.best[0].name == row.at("Source Diplotype"));
            CHECK(genotype.phenotype.value_or("") == row.at("Phenotype"));
            CHECK(number_text(genotype.activity_score) == row.at("Activity Score"));
            CHECK(std::to_string(genotype.call.match_score) == row.at("Match Score"));
            CHECK((genotype.call.missing_positions.empty() ? "no" : "yes") == row.at("Missing positions"));
            REQUIRE(genotype.details.size() == 1);
            const auto& haplotypes = genotype.details[0].haplotypes;
            CHECK(haplotypes[0].name == row.at("Haplotype 1"));
            CHECK(haplotypes[1].name == row.at("Haplotype 2"));
            CHECK(haplotypes[0].function.value_or("null") == row.at("Haplotype 1 Function"));
            CHECK(haplotypes[1].function.value_or("null") == row.at("Haplotype 2 Function"));
            CHECK(number_text(haplotypes[0].activity_value) == row.at("Haplotype 1 Activity Value"));
        }
        // rs12777823 is in the example VCFs (as a PharmCAT "position of interest").
        REQUIRE(samples[0].variant_targets.size() == 1);
        const std::size_t t = samples[0].variant_targets[0];
        CHECK(genotype_text(targets()[t], samples[0].observations.positions[t]) == "G/G");
    }
}
