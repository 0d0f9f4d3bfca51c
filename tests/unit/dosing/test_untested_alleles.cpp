// Issue 22: what the dose takes from a genotype file whose CYP2C9 call rests on alleles the input
// did not test (key_alleles_not_tested), or that only the tested alleles decide
// (call_from_tested_alleles), and a CYP4F2 whose *3 position was not tested.
#include <catch2/catch.hpp>

#include <cmath>

#include "genodose/core/error.hpp"
#include "genodose/dosing/features.hpp"
#include "genodose/dosing/genotypes.hpp"

using namespace genodose;
using namespace genodose::dosing;

namespace {

// One sample's genotype file with this CYP2C9 entry (fields as `genodose genotype` writes them).
SampleGenotypes with_cyp2c9(const std::string& cyp2c9, const std::string& cyp4f2 = "") {
    const std::string text = R"({"schema_version": "1", "samples": [{"sample": "S", "genes": {"CYP2C9": )" + cyp2c9 +
                             (cyp4f2.empty() ? "" : R"(, "CYP4F2": )" + cyp4f2) + "}}]}";
    return parse_genotype_json(text, "pgx.json").front();
}

std::vector<float> encode(const Patient& patient, const std::vector<std::string>& names) {
    const Cyp2c9ActivityTable table({{"*1", 1.0}, {"*2", 0.5}, {"*3", 0.0}, {"*5", 0.0}});
    FeatureEncoder encoder(names, table);
    std::vector<float> values(names.size());
    encoder.encode(patient, values.data());
    return values;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("an untested *3 never becomes *3 count 0 or activity score 2 in the dose", "[dosing][genotypes][untested]") {
    const SampleGenotypes file = with_cyp2c9(
        R"({"status": "called", "diplotypes": ["*1/*1"], "phenotype": null, "activity_score": null,
            "key_alleles_not_tested": ["*3"], "phenotype_qualifier": "*3 not tested",
            "phenotype_if_untested_absent": "Normal Metabolizer", "activity_score_if_untested_absent": 2.0,
            "missing_positions": [{"rsid": "rs1057910"}]})");
    Patient patient;
    patient.race = Race::white;
    merge_genotypes(patient, file);
    CHECK(patient.cyp2c9.diplotype == "*1/*1");
    CHECK(patient.cyp2c9.star2_alleles == std::optional<int>(0));  // *2 was tested
    CHECK_FALSE(patient.cyp2c9.star3_alleles);                     // *3 was not
    CHECK(patient.cyp2c9.activity_score_unknown);
    CHECK(patient.cyp2c9.phenotype.empty());
    CHECK(contains(patient.cyp2c9.note, "*3 not tested"));
    const auto values = encode(patient, {"cyp2c9_star2_alleles", "cyp2c9_star3_alleles", "cyp2c9_activity_score"});
    CHECK(values[0] == 0.0f);
    CHECK(std::isnan(values[1]));
    CHECK(std::isnan(values[2]));
}

TEST_CASE("a *3 reference call from a couple of reads (low GQ) counts as untested for the dose",
          "[dosing][genotypes][untested]") {
    const SampleGenotypes file = with_cyp2c9(
        R"json({"status": "called", "diplotypes": ["*1/*1"], "phenotype": null, "activity_score": null,
            "key_alleles_not_tested": [], "key_alleles_low_quality": ["*3 (GQ 5)"],
            "phenotype_qualifier": "*3 (GQ 5) tested with low genotype quality",
            "phenotype_if_untested_absent": "Normal Metabolizer", "activity_score_if_untested_absent": 2.0,
            "missing_positions": []})json");
    CHECK(file.cyp2c9.star2_alleles == std::optional<int>(0));
    CHECK_FALSE(file.cyp2c9.star3_alleles);
    CHECK(file.cyp2c9.activity_score_unknown);
    CHECK(contains(file.cyp2c9.note, "*3 genotyped with low quality"));
}

TEST_CASE("untested *5/*6/*8/*11: the call is used and the note names exactly the untested ones",
          "[dosing][genotypes][untested]") {
    const SampleGenotypes file = with_cyp2c9(
        R"({"status": "called", "diplotypes": ["*1/*3"], "phenotype": null, "activity_score": null,
            "key_alleles_not_tested": ["*6", "*11"], "phenotype_qualifier": "*6, *11 not tested",
            "phenotype_if_untested_absent": "Intermediate Metabolizer", "activity_score_if_untested_absent": 1.0,
            "missing_positions": [{"rsid": "rs9332131"}, {"rsid": "rs28371685"}]})");
    CHECK(file.cyp2c9.diplotype == "*1/*3");
    CHECK(file.cyp2c9.star3_alleles == std::optional<int>(1));
    CHECK(file.cyp2c9.activity_score == std::optional<double>(1.0));  // stated as assumed
    CHECK_FALSE(file.cyp2c9.activity_score_unknown);
    CHECK_FALSE(file.cyp2c9.carries_star5_6_8_11);  // unknown, not "none"
    CHECK(contains(file.cyp2c9.note, "assumes the sample carries none of *6, *11 (not tested)"));
    CHECK_FALSE(contains(file.cyp2c9.note, "*5"));
    CHECK_FALSE(contains(file.cyp2c9.note, "*8"));

    // All key alleles tested (positions missing elsewhere): *5/*6/*8/*11 known absent.
    const SampleGenotypes tested = with_cyp2c9(
        R"({"status": "called", "diplotypes": ["*1/*3"], "phenotype": "Intermediate Metabolizer", "activity_score": 1.0,
            "key_alleles_not_tested": [], "phenotype_qualifier": null, "missing_positions": [{"rsid": "rs72558193"}]})");
    REQUIRE(tested.cyp2c9.carries_star5_6_8_11);
    CHECK_FALSE(*tested.cyp2c9.carries_star5_6_8_11);
    CHECK(tested.cyp2c9.note.empty());
}

TEST_CASE("a PharmCAT tie decided by the tested alleles gives the dose that call, with the caveat",
          "[dosing][genotypes][targeted]") {
    const SampleGenotypes file = with_cyp2c9(
        R"({"status": "called", "diplotypes": ["*2/*3", "*2/*18", "*2/*35"], "phenotype": null, "activity_score": null,
            "tested_alleles": ["*1", "*2", "*3"], "key_alleles_not_tested": ["*5", "*6", "*8", "*11"],
            "call_from_tested_alleles": {"diplotype": "*2/*3", "phenotype": "Poor Metabolizer", "activity_score": 0.5},
            "phenotype_qualifier": null, "missing_positions": [{"rsid": "rs28371686"}]})");
    CHECK(file.cyp2c9.diplotype == "*2/*3");
    CHECK(file.cyp2c9.star2_alleles == std::optional<int>(1));
    CHECK(file.cyp2c9.star3_alleles == std::optional<int>(1));
    CHECK(file.cyp2c9.activity_score == std::optional<double>(0.5));
    CHECK(file.cyp2c9.phenotype == "Poor Metabolizer");
    CHECK(contains(file.cyp2c9.note, "call from the alleles the input tested (*1, *2, *3)"));
    CHECK(contains(file.cyp2c9.note, "*2/*3 or *2/*18 or *2/*35"));

    // Without a call from the tested alleles the tie stays missing, as before.
    const SampleGenotypes tie =
        with_cyp2c9(R"({"status": "called", "diplotypes": ["*2/*3", "*2/*18"], "call_from_tested_alleles": null})");
    CHECK_FALSE(tie.cyp2c9.known());
}

TEST_CASE("CYP4F2 whose rs2108622 was not tested is unknown, not the *1/*1 of its other positions",
          "[dosing][genotypes][untested]") {
    const SampleGenotypes file = with_cyp2c9(R"({"status": "no_data", "diplotypes": []})",
                                             R"({"status": "called", "diplotypes": ["*1/*1"], "rs2108622": null})");
    CHECK_FALSE(file.cyp4f2_star3_alleles);
    CHECK(contains(file.cyp4f2_note, "rs2108622"));
    Patient patient;
    const auto notes = merge_genotypes(patient, file);
    CHECK_FALSE(patient.cyp4f2_star3_alleles);
    CHECK(std::any_of(notes.begin(), notes.end(),
                      [](const std::string& n) { return contains(n, "rs2108622 (*3) not tested"); }));
}
