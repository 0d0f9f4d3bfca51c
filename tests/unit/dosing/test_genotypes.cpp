// Genotype files of `genodose genotype` and their merge into a patient: a no-call or a tie
// becomes "missing", never a default genotype.
#include <catch2/catch.hpp>

#include "genodose/core/error.hpp"
#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/patient_input.hpp"

using namespace genodose;
using namespace genodose::dosing;

namespace {
const std::string fixture = std::string(GENODOSE_TEST_DATA) + "/dosing/genotypes.json";

const SampleGenotypes& sample(const std::vector<SampleGenotypes>& samples, const std::string& name) {
    for (const auto& s : samples)
        if (s.sample == name) return s;
    FAIL("no sample " << name);
    return samples.front();
}

Patient patient_with_genotypes(Race race) {
    Patient p;
    p.id = "P";
    p.race = race;
    p.cyp2c9 = cyp2c9_from_diplotype("*1/*1");
    p.vkorc1.a_alleles = 0;
    p.vkorc1.origin = Vkorc1Genotype::Origin::measured;
    p.cyp4f2_star3_alleles = 0;
    p.rs12777823_a_alleles = 0;
    return p;
}
}  // namespace

TEST_CASE("CYP2C9 diplotypes give *2/*3 counts; rare alleles are flagged", "[dosing][genotypes]") {
    auto g = cyp2c9_from_diplotype("*2/*3");
    CHECK(*g.star2_alleles == 1);
    CHECK(*g.star3_alleles == 1);
    CHECK_FALSE(g.carries_star5_6_8_11);  // IWPC-style data do not say whether *5.. were tested
    g = cyp2c9_from_diplotype("*1/*11");
    CHECK(*g.star2_alleles == 0);
    CHECK(*g.carries_star5_6_8_11);
    CHECK_FALSE(cyp2c9_from_diplotype("NA").known());
    CHECK_THROWS_AS(cyp2c9_from_diplotype("*1*3"), InputError);
    CHECK_THROWS_AS(cyp2c9_from_diplotype("*1/*3/*2"), InputError);
}

TEST_CASE("the CPIC activity table scores diplotypes", "[dosing][genotypes]") {
    const auto table =
        Cyp2c9ActivityTable::load(std::string(GENODOSE_TEST_DATA) + "/dosing/cyp2c9_activity_values.json");
    CHECK(*table.activity_score("*1/*1") == Approx(2.0));
    CHECK(*table.activity_score("*1/*3") == Approx(1.0));
    CHECK(*table.activity_score("*2/*3") == Approx(0.5));
    CHECK(*table.activity_score("*1/*8") == Approx(1.5));
    CHECK_FALSE(table.activity_score("*1/*7"));    // uncertain function: n/a
    CHECK_FALSE(table.activity_score("*1/*999"));  // not in the table
    CHECK_FALSE(table.activity_score(""));
    CHECK_THROWS_AS(Cyp2c9ActivityTable::load(fixture), InputError);  // no activityValues
}

TEST_CASE("genotype file: called, no-call, tie", "[dosing][genotypes][json]") {
    const auto samples = read_genotype_file(fixture);
    REQUIRE(samples.size() == 4);

    const auto& s1 = sample(samples, "S1");
    CHECK(s1.cyp2c9.diplotype == "*1/*3");
    CHECK(*s1.cyp2c9.activity_score == Approx(1.0));
    CHECK_FALSE(*s1.cyp2c9.carries_star5_6_8_11);  // complete genotyping: *5/*6/*8/*11 tested, absent
    CHECK(*s1.vkorc1.a_alleles == 1);              // rs9923231 C/T (plus strand) = -1639 G/A
    CHECK(*s1.cyp4f2_star3_alleles == 1);
    CHECK(*s1.rs12777823_a_alleles == 1);

    const auto& nocall = sample(samples, "S2-nocall");
    CHECK(nocall.has_cyp2c9);
    CHECK_FALSE(nocall.cyp2c9.known());
    CHECK(nocall.cyp2c9.note == "CYP2C9 no-call");
    CHECK_FALSE(nocall.vkorc1.a_alleles);
    CHECK(nocall.has_rs12777823);
    CHECK_FALSE(nocall.rs12777823_a_alleles);

    const auto& tie = sample(samples, "S3-tie");
    CHECK_FALSE(tie.cyp2c9.known());
    CHECK(tie.cyp2c9.note == "CYP2C9 ambiguous (*1/*2 or *2/*34); treated as missing");
    CHECK_FALSE(tie.cyp4f2_star3_alleles);  // *1/*4 or *2/*3: tied, missing
    CHECK(*tie.vkorc1.a_alleles == 2);
}

TEST_CASE("merging a no-call makes the gene missing, never *1/*1", "[dosing][genotypes][merge]") {
    const auto samples = read_genotype_file(fixture);
    Patient p;
    p.id = "P";
    p.race = Race::white;
    p.cyp4f2_star3_alleles = 0;
    merge_genotypes(p, sample(samples, "S2-nocall"));
    CHECK_FALSE(p.cyp2c9.known());
    CHECK_FALSE(p.cyp2c9.star2_alleles);
    CHECK_FALSE(p.vkorc1.a_alleles);
    CHECK(p.vkorc1.origin == Vkorc1Genotype::Origin::missing);
    CHECK_FALSE(p.rs12777823_a_alleles);
    CHECK(*p.cyp4f2_star3_alleles == 0);  // the file does not mention CYP4F2 for this sample: kept
    CHECK(p.genotype_source == GenotypeSource::genotype_file);

    // A value typed into the patient input fills the file's no-call (the notes are checked in
    // test_audit_fixes.cpp).
    Patient typed = patient_with_genotypes(Race::white);
    merge_genotypes(typed, sample(samples, "S2-nocall"));
    CHECK(typed.cyp2c9.diplotype == "*1/*1");
    CHECK(*typed.vkorc1.a_alleles == 0);
    CHECK(*typed.rs12777823_a_alleles == 0);

    Patient q = patient_with_genotypes(Race::white);
    merge_genotypes(q, sample(samples, "S1"));
    CHECK(q.cyp2c9.diplotype == "*1/*3");
    CHECK(*q.vkorc1.a_alleles == 1);
}

TEST_CASE("finding the sample of a patient", "[dosing][genotypes][merge]") {
    const auto samples = read_genotype_file(fixture);
    Patient p;
    p.id = "S4-star8";
    CHECK(find_sample(samples, p, "g.json", false).sample == "S4-star8");
    p.sample_id = "S1";
    CHECK(find_sample(samples, p, "g.json", false).sample == "S1");
    p.sample_id = "nobody";
    CHECK_THROWS_WITH(find_sample(samples, p, "g.json", true), Catch::Contains("g.json: no sample named 'nobody'"));
    const auto single = parse_genotype_json(R"({"schema_version": "1", "samples": [{"sample": "only"}]})", "one.json");
    Patient unnamed;
    unnamed.id = "patient-7";
    CHECK(find_sample(single, unnamed, "one.json", true).sample == "only");
    CHECK_THROWS_AS(find_sample(single, unnamed, "one.json", false), InputError);
}

TEST_CASE("genotype file errors name the file, sample and field", "[dosing][genotypes][errors]") {
    auto error_of = [](const std::string& text) -> std::string {
        try {
            parse_genotype_json(text, "g.json");
        } catch (const InputError& e) {
            return e.what();
        }
        return "no error";
    };
    CHECK(error_of(R"({"schema_version": "2", "samples": []})") ==
          "g.json: genotype schema_version '2' is not supported (expected \"1\")");
    CHECK(error_of(R"({"samples": [{"sample": "A", "genes": {"VKORC1": {"rs9923231": "C/G"}}}]})") ==
          "g.json: sample 'A': genes.VKORC1.rs9923231: allele 'G' is neither C nor T in 'C/G'");
    CHECK(error_of(R"({"samples": [{"sample": "A", "genes": {"CYP2C9": {"diplotypes": ["*1"]}}}]})")
              .find("g.json: sample 'A': expected a diplotype") == 0);
    CHECK(error_of(R"({"samples": [{"sample": "A"}, {"sample": "A"}]})") ==
          "g.json: sample 'A' appears more than once");
    CHECK(error_of(R"({"results": []})").find("no \"samples\" list") != std::string::npos);
}

TEST_CASE("SNP genotype counting", "[dosing][genotypes]") {
    CHECK(*count_snp_alleles("G/A", 'G', 'A') == 1);
    CHECK(*count_snp_alleles("A|A", 'G', 'A') == 2);
    CHECK(*count_snp_alleles("g/g", 'G', 'A') == 0);
    CHECK_FALSE(count_snp_alleles("./.", 'G', 'A'));
    CHECK_FALSE(count_snp_alleles("NA", 'G', 'A'));
    CHECK_THROWS_AS(count_snp_alleles("G/T", 'G', 'A'), InputError);
    CHECK_THROWS_AS(count_snp_alleles("GA", 'G', 'A'), InputError);
}
