// Typed genotypes against a genotype file's
// no-calls, numeric CSV ages, the patient JSON "report" object, and `dose evaluate` on the
// model's own training file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "../test_paths.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/sha256.hpp"
#include "genodose/dosing/dose_commands.hpp"
#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/guideline.hpp"
#include "genodose/dosing/patient_input.hpp"

using namespace genodose;
using namespace genodose::dosing;

namespace {

const std::string genotype_fixture = std::string(GENODOSE_TEST_DATA) + "/dosing/genotypes.json";
const std::string shipped_model = std::string(GENODOSE_SOURCE_DIR) + "/models/warfarin_dose.json";

const SampleGenotypes& sample_named(const std::vector<SampleGenotypes>& samples, const std::string& name) {
    for (const auto& s : samples)
        if (s.sample == name) return s;
    FAIL("no sample " << name);
    return samples.front();
}

Patient typed_patient(const std::string& genotypes) {
    return parse_patient_json(R"({"id": "P", "race": "Black or African American", "genotypes": )" + genotypes + "}",
                              "p.json")
        .front()
        .patient;
}

bool has_note(const std::vector<std::string>& notes, const std::string& text) {
    return std::any_of(notes.begin(), notes.end(), [&](const std::string& n) { return n == text; });
}

bool has_flag(const Patient& p, const std::string& code) {
    const auto flags = cpic_warfarin_flags(p, std::nullopt);
    return std::any_of(flags.begin(), flags.end(), [&](const GuidelineFlag& f) { return f.code == code; });
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string iwpc_csv(const std::string& age) {
    return "PharmGKB Subject ID,Race (OMB),Age,Height (cm),Weight (kg),CYP2C9 consensus,VKORC1 -1639 consensus\n"
           "PA1,White," +
           age + ",170,70,*1/*1,A/G\n";
}

std::vector<PatientRecord> parse_csv(const std::string& text) {
    std::istringstream in(text);
    return parse_iwpc_csv(in, "t.csv");
}

}  // namespace

TEST_CASE("a genotype file's no-call keeps the genotype typed into the patient input, with a note",
          "[dosing][genotypes][merge][audit]") {
    const auto samples = read_genotype_file(genotype_fixture);
    // S2-nocall: CYP2C9 no-call, rs9923231 ./., rs12777823 null (not covered).
    Patient p = typed_patient(R"({"CYP2C9": "*1/*5", "VKORC1": "A/A", "rs12777823": "A/A"})");
    const auto notes = merge_genotypes(p, sample_named(samples, "S2-nocall"));
    CHECK(p.cyp2c9.diplotype == "*1/*5");
    CHECK(*p.vkorc1.a_alleles == 2);
    REQUIRE(p.rs12777823_a_alleles);
    CHECK(*p.rs12777823_a_alleles == 2);
    CHECK(has_note(notes, "rs12777823: the genotype file has no call; A/A typed in the patient input was used"));
    CHECK(
        has_note(notes, "CYP2C9: the genotype file has no call (no-call); *1/*5 typed in the patient input was used"));
    CHECK(has_note(
        notes, "VKORC1: the genotype file has no call at rs9923231; -1639 A/A typed in the patient input was used"));
    // The CPIC statement follows the typed A/A, not "not tested".
    CHECK(has_flag(p, "cpic_african_rs12777823_a"));
    CHECK_FALSE(has_flag(p, "cpic_african_rs12777823_not_tested"));

    // A tie is not a call either.
    Patient q = typed_patient(R"({"CYP2C9": "*1/*1"})");
    const auto tie_notes = merge_genotypes(q, sample_named(samples, "S3-tie"));
    CHECK(q.cyp2c9.diplotype == "*1/*1");
    CHECK(has_note(tie_notes, "CYP2C9: the genotype file has no call (ambiguous (*1/*2 or *2/*34)); *1/*1 typed in "
                              "the patient input was used"));
}

TEST_CASE("a measured genotype replaces a different typed one, and the note says so",
          "[dosing][genotypes][merge][audit]") {
    const auto samples = read_genotype_file(genotype_fixture);
    // S1: CYP2C9 *1/*3, rs9923231 C/T (-1639 G/A), CYP4F2 *1/*3, rs12777823 G/A.
    Patient p = typed_patient(R"({"CYP2C9": "*1/*5", "VKORC1": "A/A", "rs2108622": "C/C", "rs12777823": "A/A"})");
    const auto notes = merge_genotypes(p, sample_named(samples, "S1"));
    CHECK(p.cyp2c9.diplotype == "*1/*3");
    CHECK(*p.vkorc1.a_alleles == 1);
    CHECK(*p.cyp4f2_star3_alleles == 1);
    CHECK(*p.rs12777823_a_alleles == 1);
    CHECK(has_note(notes, "CYP2C9: *1/*3 in the genotype file replaced *1/*5 typed in the patient input"));
    CHECK(has_note(notes, "VKORC1: -1639 G/A in the genotype file replaced -1639 A/A typed in the patient input"));
    CHECK(has_note(notes, "CYP4F2 rs2108622: C/T in the genotype file replaced C/C typed in the patient input"));
    CHECK(has_note(notes, "rs12777823: G/A in the genotype file replaced A/A typed in the patient input"));

    // Agreement, or nothing typed: no note.
    Patient same = typed_patient(R"({"CYP2C9": "*1/*3", "rs12777823": "G/A"})");
    CHECK(merge_genotypes(same, sample_named(samples, "S1")).empty());
    Patient untyped = typed_patient("{}");
    CHECK(merge_genotypes(untyped, sample_named(samples, "S2-nocall")).empty());
    CHECK_FALSE(untyped.cyp2c9.known());
    CHECK_FALSE(untyped.rs12777823_a_alleles);
}

TEST_CASE("dose predict writes the merge notes and keeps a typed rs12777823 over a no-call",
          "[dosing][predict][audit]") {
    test::ScratchFolder folder;
    const std::string patient = folder.file("p.json");
    std::ofstream(patient) << R"({"id": "P", "sample_id": "S2-nocall", "race": "Black or African American",
        "age_years": 45, "height_cm": 180, "weight_kg": 95, "genotypes": {"rs12777823": "A/A"}})";
    DosePredictOptions o;
    o.model = shipped_model;
    o.input = patient;
    o.genotypes = genotype_fixture;
    o.output = folder.file("d.tsv");
    predict_doses(o);
    const std::string tsv = read_file(o.output);
    CHECK(tsv.find("cpic_african_rs12777823_a") != std::string::npos);
    CHECK(tsv.find("rs12777823_not_tested") == std::string::npos);
    CHECK(tsv.find("rs12777823: the genotype file has no call; A/A typed in the patient input was used") !=
          std::string::npos);
}

TEST_CASE("a numeric CSV age is an age in years, as age_years in JSON", "[dosing][input][audit]") {
    const auto adult = parse_csv(iwpc_csv("18")).front().patient;
    REQUIRE(adult.age_years);
    CHECK(*adult.age_years == 18);
    CHECK(*adult.age_decade == 1);
    CHECK_FALSE(has_flag(adult, "cpic_pediatric"));
    CHECK_FALSE(has_flag(parse_csv(iwpc_csv("19.5")).front().patient, "cpic_pediatric"));
    CHECK(has_flag(parse_csv(iwpc_csv("17.9")).front().patient, "cpic_pediatric"));
    // A decade band may include children: it keeps the flag, and has no age in years.
    const auto band = parse_csv(iwpc_csv("10 - 19")).front().patient;
    CHECK_FALSE(band.age_years);
    CHECK(has_flag(band, "cpic_pediatric"));
    CHECK_FALSE(parse_csv(iwpc_csv("50 - 59")).front().patient.age_years);

    // One accepted range for both formats: > 0 and <= 120 years.
    CHECK(*parse_csv(iwpc_csv("120")).front().patient.age_decade == 9);
    for (const char* bad : {"0", "121", "125", "-1"}) {
        CHECK_THROWS_WITH(
            parse_csv(iwpc_csv(bad)),
            Catch::Contains("field 'Age'") && Catch::Contains("outside the accepted range (> 0 and <= 120 years)"));
        CHECK_THROWS_WITH(parse_patient_json(std::string(R"({"id": "x", "age_years": )") + bad + "}", "p.json"),
                          Catch::Contains("field 'age_years'") &&
                              Catch::Contains("outside the accepted range (> 0 and <= 120 years)"));
    }
    CHECK(*parse_patient_json(R"({"id": "x", "age_years": 120})", "p.json").front().patient.age_years == 120);
}

TEST_CASE("the patient JSON's report object is checked by the patient reader", "[dosing][input][audit]") {
    CHECK_NOTHROW(parse_patient_json(R"({"id": "x", "report": {"patient_name": "A", "accession": "B"}})", "p.json"));
    CHECK_THROWS_WITH(parse_patient_json(R"({"id": "x", "report": {"name": "A"}})", "p.json"),
                      Catch::StartsWith("p.json: field 'report.name': unknown (known: patient_name"));
    CHECK_THROWS_WITH(parse_patient_json(R"({"id": "x", "report": {"accession": 7}})", "p.json"),
                      Catch::StartsWith("p.json: field 'report.accession': expected a string"));
    CHECK_THROWS_WITH(parse_patient_json(R"({"id": "x", "report": "A"})", "p.json"),
                      Catch::StartsWith("p.json: field 'report': expected an object"));
}

TEST_CASE("dose evaluate on the model's training file says the figures are in-sample", "[dosing][evaluation][audit]") {
    test::ScratchFolder folder;
    const std::string data = std::string(GENODOSE_TEST_DATA) + "/dosing/iwpc_subset.csv";
    // The shipped model, with the training checksum of the fixture: as if trained on it.
    std::string text = read_file(shipped_model);
    const std::string key = "\"data_sha256\": \"";
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    text.replace(at + key.size(), 64, sha256_file(data));
    const std::string model = folder.file("model.json");
    std::ofstream(model) << text;

    DoseEvaluateOptions o;
    o.model = model;
    o.iwpc_csv = data;
    o.output = folder.file("in.json");
    auto summary = evaluate_dose_model(o);
    CHECK(summary.table.rfind("WARNING: in-sample figures", 0) == 0);
    std::string json = read_file(o.output);
    CHECK(json.find("\"in_sample\": true") != std::string::npos);
    CHECK(json.find("\"in_sample_warning\": \"this file is the model's training data") != std::string::npos);

    // Another file (here: the shipped model, not trained on the fixture): no warning.
    o.model = shipped_model;
    o.output = folder.file("out.json");
    summary = evaluate_dose_model(o);
    CHECK(summary.table.find("WARNING") == std::string::npos);
    json = read_file(o.output);
    CHECK(json.find("\"in_sample\": false") != std::string::npos);
    CHECK(json.find("\"in_sample_warning\": null") != std::string::npos);
}
