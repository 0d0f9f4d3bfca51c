// Reading patients: IWPC CSV quirks, patient JSON, and one-line errors naming file/line/field.
#include <catch2/catch.hpp>

#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/patient_input.hpp"

using namespace genodose;
using namespace genodose::dosing;

namespace {

// A minimal IWPC-format CSV: the required columns plus the ones a test needs.
std::string csv(const std::string& header, const std::vector<std::string>& rows) {
    std::string text = header + "\n";
    for (const auto& row : rows) text += row + "\n";
    return text;
}

const std::string header =
    "PharmGKB Subject ID,Gender,Race (OMB),Age,Height (cm),Weight (kg),Amiodarone (Cordarone),"
    "Target INR,Estimated Target INR Range Based on Indication,Therapeutic Dose of Warfarin,"
    "Indication for Warfarin Treatment,CYP2C9 consensus,VKORC1 -1639 consensus,VKORC1 1173 consensus,"
    "VKORC1 1542 consensus,VKORC1 2255 consensus";

std::vector<PatientRecord> parse(const std::string& text) {
    std::istringstream in(text);
    return parse_iwpc_csv(in, "t.csv");
}

std::string error_of(const std::string& text) {
    try {
        parse(text);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("age bands, including the repaired '10 - 19' and '90+'", "[dosing][input]") {
    CHECK(field::age_decade("50 - 59") == 5);
    CHECK(field::age_decade("50-59") == 5);
    CHECK(field::age_decade("10 - 19") == 1);
    CHECK(field::age_decade("90+") == 9);
    CHECK(field::age_decade("67") == 6);
    CHECK(field::age_decade("95") == 9);
    CHECK_FALSE(field::age_decade("NA"));
    CHECK_FALSE(field::age_decade(""));
    CHECK_THROWS_AS(field::age_decade("fifty"), InputError);
    CHECK_THROWS_AS(field::age_decade("50 - 69"), InputError);
    CHECK_THROWS_AS(field::age_decade("-3"), InputError);
}

TEST_CASE("indications, INR ranges, flags and numbers", "[dosing][input]") {
    CHECK(*field::indications("3; 8") == (indication_af | indication_other));
    CHECK(*field::indications("1 or 2") == (indication_dvt | indication_pe));
    CHECK(*field::indications("1,2") == (indication_dvt | indication_pe));
    CHECK(*field::indications("4;6") == (indication_heart_valve | indication_stroke));
    CHECK_FALSE(field::indications("NA"));
    CHECK_THROWS_AS(field::indications("9"), InputError);
    CHECK(*field::inr_range_midpoint("2-3") == Approx(2.5));
    CHECK(*field::inr_range_midpoint("3.0-4.0") == Approx(3.5));
    CHECK(*field::inr_range_midpoint("1.7-2.8") == Approx(2.25));
    CHECK_THROWS_AS(field::inr_range_midpoint("two to three"), InputError);
    CHECK(*field::flag("1"));
    CHECK_FALSE(*field::flag("0"));
    CHECK_FALSE(field::flag("NA"));
    CHECK_THROWS_AS(field::flag("yes"), InputError);
    CHECK_THROWS_AS(field::number("12kg"), InputError);
    CHECK_FALSE(field::number("NaN"));  // a missing marker in some exports
    CHECK_THROWS_AS(field::number("inf"), InputError);
    CHECK_THROWS_AS(field::number("0x1A"), InputError);
}

TEST_CASE("IWPC CSV: a full row is read with every field", "[dosing][input]") {
    const auto rows = parse(csv(header, {"PA1,male,Asian,60 - 69,170.2,80,1,NA,2-3,31.5,3; 8,*1/*3,A/G,NA,NA,NA"}));
    REQUIRE(rows.size() == 1);
    const Patient& p = rows[0].patient;
    CHECK(p.id == "PA1");
    CHECK(p.sex == Sex::male);
    CHECK(p.race == Race::asian);
    CHECK(*p.age_decade == 6);
    CHECK(*p.height_cm == Approx(170.2));
    CHECK(*p.amiodarone);
    CHECK(*p.target_inr == Approx(2.5));  // from the range: Target INR is NA
    CHECK(*rows[0].dose_mg_per_week == Approx(31.5));
    CHECK(p.cyp2c9.diplotype == "*1/*3");
    CHECK(*p.cyp2c9.star3_alleles == 1);
    CHECK(*p.vkorc1.a_alleles == 1);
    CHECK(p.vkorc1.origin == Vkorc1Genotype::Origin::measured);
    CHECK_FALSE(p.carbamazepine);  // column absent: missing, not "no"
    CHECK_FALSE(p.enzyme_inducer());
}

TEST_CASE("IWPC CSV: NA stays missing; a missing dose is kept for prediction", "[dosing][input]") {
    const auto rows = parse(csv(header, {"PA2,NA,Unknown,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA"}));
    const Patient& p = rows[0].patient;
    CHECK(p.sex == Sex::unknown);
    CHECK(p.race == Race::unknown);
    CHECK_FALSE(p.age_decade);
    CHECK_FALSE(p.height_cm);
    CHECK_FALSE(p.weight_kg);
    CHECK_FALSE(p.amiodarone);
    CHECK_FALSE(p.target_inr);
    CHECK_FALSE(rows[0].dose_mg_per_week);
    CHECK_FALSE(p.cyp2c9.known());
    CHECK_FALSE(p.vkorc1.a_alleles);
}

TEST_CASE("IWPC CSV: quoted fields, CRLF and a byte-order mark", "[dosing][input]") {
    const std::string text = "\xEF\xBB\xBF" + header + ",\"Herbal Medications, Vitamins, Supplements\"\r\n" +
                             "PA3,female,White,70 - 79,160,65,0,2.5,NA,20,4,*1/*1,G/G,NA,NA,NA,1\r\n";
    const auto rows = parse(text);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].patient.id == "PA3");
    CHECK(*rows[0].patient.herbal_supplement);
    CHECK(*rows[0].patient.target_inr == Approx(2.5));
}

TEST_CASE("VKORC1 -1639 imputation follows the IWPC decision list", "[dosing][input][vkorc1]") {
    // Rule 1: not Black and 2255 known.
    CHECK(*impute_vkorc1_1639_a_alleles(Race::white, "C/C", "T/T", "C/C") == 0);
    CHECK(*impute_vkorc1_1639_a_alleles(Race::asian, "T/T", "NA", "NA") == 2);
    CHECK(*impute_vkorc1_1639_a_alleles(Race::white, "C/T", "NA", "NA") == 1);
    CHECK(*impute_vkorc1_1639_a_alleles(Race::white, "T/C", "NA", "NA") == 1);  // allele order does not matter
    // Rule 1 does not apply to Black or Unknown race: rule 2 (1173) decides.
    CHECK(*impute_vkorc1_1639_a_alleles(Race::black_or_african_american, "C/C", "T/T", "NA") == 2);
    CHECK(*impute_vkorc1_1639_a_alleles(Race::unknown, "T/T", "C/C", "NA") == 0);
    // Rule 2 for anyone.
    CHECK(*impute_vkorc1_1639_a_alleles(Race::black_or_african_american, "NA", "C/T", "NA") == 1);
    // Rule 3: not Black and 1542.
    CHECK(*impute_vkorc1_1639_a_alleles(Race::white, "NA", "NA", "G/G") == 0);
    CHECK(*impute_vkorc1_1639_a_alleles(Race::asian, "NA", "NA", "C/C") == 2);
    CHECK(*impute_vkorc1_1639_a_alleles(Race::white, "NA", "NA", "C/G") == 1);
    // Rule 4: otherwise missing.
    CHECK_FALSE(impute_vkorc1_1639_a_alleles(Race::black_or_african_american, "C/C", "NA", "G/G"));
    CHECK_FALSE(impute_vkorc1_1639_a_alleles(Race::unknown, "NA", "NA", "C/C"));
    CHECK_FALSE(impute_vkorc1_1639_a_alleles(Race::white, "NA", "NA", "NA"));
}

TEST_CASE("IWPC CSV: the consensus -1639 wins, imputation only when it is missing", "[dosing][input][vkorc1]") {
    const auto rows =
        parse(csv(header, {"PA4,male,White,60 - 69,170,80,0,NA,NA,30,3,*1/*1,G/G,T/T,NA,T/T",
                           "PA5,male,White,60 - 69,170,80,0,NA,NA,30,3,*1/*1,NA,NA,NA,T/T",
                           "PA6,male,Black or African American,60 - 69,170,80,0,NA,NA,30,3,*1/*1,NA,NA,NA,T/T"}));
    CHECK(*rows[0].patient.vkorc1.a_alleles == 0);
    CHECK(rows[0].patient.vkorc1.origin == Vkorc1Genotype::Origin::measured);
    CHECK(*rows[1].patient.vkorc1.a_alleles == 2);
    CHECK(rows[1].patient.vkorc1.origin == Vkorc1Genotype::Origin::imputed);
    CHECK_FALSE(rows[2].patient.vkorc1.a_alleles);
    CHECK(rows[2].patient.vkorc1.origin == Vkorc1Genotype::Origin::missing);
}

TEST_CASE("IWPC CSV: bad values give one-line errors naming file, line, subject and field", "[dosing][input][errors]") {
    const std::string good = "PA7,male,White,60 - 69,170,80,0,NA,NA,30,3,*1/*1,G/G,NA,NA,NA";
    CHECK(error_of(csv(header, {good, "PA8,male,White,60 - 69,170,0,0,NA,NA,30,3,*1/*1,G/G,NA,NA,NA"})) ==
          "t.csv: line 3 (PA8): field 'Weight (kg)': weight must be > 0 kg, got 0.00");
    CHECK(error_of(csv(header, {"PA9,male,White,60 - 69,170,-4,0,NA,NA,30,3,*1/*1,G/G,NA,NA,NA"})) ==
          "t.csv: line 2 (PA9): field 'Weight (kg)': weight must be > 0 kg, got -4.00");
    CHECK(
        error_of(csv(header, {"PA9,male,White,sixty,170,80,0,NA,NA,30,3,*1/*1,G/G,NA,NA,NA"})) ==
        "t.csv: line 2 (PA9): field 'Age': age 'sixty' is not a decade band (e.g. '50 - 59', '90+') or a number of years");
    CHECK(error_of(csv(header, {"PA9,male,Martian,60 - 69,170,80,0,NA,NA,30,3,*1/*1,G/G,NA,NA,NA"})) ==
          "t.csv: line 2 (PA9): field 'Race (OMB)': unknown race value 'Martian' (expected White, Asian, Black or "
          "African American, or Unknown)");
    CHECK(error_of(csv(header, {"PA9,male,White,60 - 69,170,80,0,NA,NA,30,3,*1/*1,X/Y,NA,NA,NA"}))
              .find("field 'VKORC1 -1639 consensus'") != std::string::npos);
    CHECK(error_of(csv(header, {"PA9,male,White,60 - 69,170,80,0,NA,NA,30,3,1/3,G/G,NA,NA,NA"}))
              .find("field 'CYP2C9 consensus'") != std::string::npos);
    CHECK(error_of(csv(header, {"PA9,male,White,60 - 69,170,80,maybe,NA,NA,30,3,*1/*1,G/G,NA,NA,NA"}))
              .find("field 'Amiodarone (Cordarone)'") != std::string::npos);
    CHECK(error_of(csv(header, {"PA9,male,White,60 - 69,170,80,0,NA,NA,0,3,*1/*1,G/G,NA,NA,NA"}))
              .find("dose must be > 0") != std::string::npos);
    CHECK(error_of(csv(header, {"PA9,male,White,60 - 69,170"})) == "t.csv: line 2: 5 fields, header has 16");
    CHECK(error_of(csv(header, {good, good})) == "t.csv: line 3: patient ID 'PA7' already used at line 2");
    CHECK(error_of("Subject,Age\nA,50\n").find("missing column 'PharmGKB Subject ID'") != std::string::npos);
    CHECK(error_of(csv(header, {",male,White,60 - 69,170,80,0,NA,NA,30,3,*1/*1,G/G,NA,NA,NA"})) ==
          "t.csv: line 2: field 'PharmGKB Subject ID' is empty");
    CHECK(error_of(header + "\nPA1,\"unterminated\n") == "t.csv: line 2: unterminated quoted field");
}

TEST_CASE("the IWPC development subset reads completely", "[dosing][input]") {
    const auto rows = read_iwpc_csv(std::string(GENODOSE_TEST_DATA) + "/dosing/iwpc_subset.csv");
    CHECK(rows.size() == 244);
    std::size_t with_dose = 0, imputed = 0, teenage = 0;
    for (const auto& r : rows) {
        with_dose += r.dose_mg_per_week ? 1 : 0;
        imputed += r.patient.vkorc1.origin == Vkorc1Genotype::Origin::imputed ? 1 : 0;
        teenage += r.patient.age_decade && *r.patient.age_decade == 1 ? 1 : 0;
    }
    CHECK(with_dose < rows.size());
    CHECK(imputed > 0);
    CHECK(teenage >= 2);
}

TEST_CASE("patient JSON: fields, aliases, medication list semantics", "[dosing][input][json]") {
    const auto rows = read_patient_json(std::string(GENODOSE_TEST_DATA) + "/dosing/patient.json");
    REQUIRE(rows.size() == 1);
    const Patient& p = rows[0].patient;
    CHECK(p.id == "P001");
    CHECK(p.sample_id == "S1");
    CHECK(*p.age_years == Approx(64));
    CHECK(*p.age_decade == 6);
    CHECK(p.race == Race::black_or_african_american);
    CHECK(p.sex == Sex::female);
    CHECK(*p.amiodarone);
    CHECK_FALSE(*p.aspirin);  // a medication list is complete: not listed = not taken
    CHECK_FALSE(*p.enzyme_inducer());
    CHECK(*p.indications == indication_af);
    CHECK(p.cyp2c9.diplotype == "*1/*1");
    CHECK(*p.vkorc1.a_alleles == 0);
    CHECK(p.genotype_source == GenotypeSource::patient_input);

    const auto aliases = parse_patient_json(R"({"id": "x", "race": "African American", "age_band": "90+"})", "p.json");
    CHECK(aliases[0].patient.race == Race::black_or_african_american);
    CHECK(*aliases[0].patient.age_decade == 9);
    CHECK_FALSE(aliases[0].patient.amiodarone);  // no medication list: unknown
    const auto plus_strand =
        parse_patient_json(R"({"id": "x", "genotypes": {"rs9923231": "C/T", "rs12777823": "A/A"}})", "p.json");
    CHECK(*plus_strand[0].patient.vkorc1.a_alleles == 1);
    CHECK(*plus_strand[0].patient.rs12777823_a_alleles == 2);
    const auto several = parse_patient_json(R"({"patients": [{"id": "a"}, {"id": "b"}]})", "p.json");
    CHECK(several.size() == 2);
}

TEST_CASE("patient JSON: errors name the file and the field", "[dosing][input][json][errors]") {
    auto error_of_json = [](const std::string& text) -> std::string {
        try {
            parse_patient_json(text, "p.json");
        } catch (const InputError& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(error_of_json(R"({"id": "x", "weight_kg": 0})") ==
          "p.json: field 'weight_kg': weight must be > 0 kg, got 0.00");
    CHECK(error_of_json(R"({"id": "x", "weigth_kg": 70})") ==
          "p.json: unknown field 'weigth_kg' (see docs/patient-schema.md)");
    CHECK(
        error_of_json(R"({"id": "x", "race": "Klingon"})").find("p.json: field 'race': unknown race value 'Klingon'") ==
        0);
    CHECK(error_of_json(R"({"id": "x", "age_years": "old"})") ==
          "p.json: field 'age_years': expected a number, got \"old\"");
    CHECK(error_of_json(R"({"id": "x", "age_band": "old"})").find("p.json: field 'age_band': age 'old'") == 0);
    CHECK(error_of_json(R"({"weight_kg": 70})") == "p.json: field 'id': missing or empty (every patient needs an id)");
    CHECK(error_of_json(R"({"id": "x", "genotypes": {"CYP2C9": "1/3"}})").find("p.json: field 'genotypes.CYP2C9'") ==
          0);
    CHECK(error_of_json(R"({"patients": [{"id": "a"}, {"id": "b", "sex": "x"}]})")
              .find("p.json: patient 2: field 'sex'") == 0);
    CHECK(error_of_json("{not json").find("p.json: not valid JSON") == 0);
    // Found by fuzzing (tests/fuzz): a number beyond double range, and one that wraps in an int.
    CHECK(error_of_json(R"({"id": "x", "weight_kg": 1e400})").find("p.json: not valid JSON") == 0);
    CHECK(error_of_json(R"({"id": "x", "indications": [4294967297]})").find("p.json: field 'indications'") == 0);
}

TEST_CASE("format detection by content", "[dosing][input]") {
    CHECK(detect_patient_format(std::string(GENODOSE_TEST_DATA) + "/dosing/patient.json") ==
          PatientFormat::patient_json);
    CHECK(detect_patient_format(std::string(GENODOSE_TEST_DATA) + "/dosing/iwpc_subset.csv") ==
          PatientFormat::iwpc_csv);
    CHECK_THROWS_AS(detect_patient_format("/nonexistent/file.csv"), InputError);
}
