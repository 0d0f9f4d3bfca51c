#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "../test_paths.hpp"
#include "genodose/pgx/data_directory.hpp"
#include "genodose/pgx/genotyper.hpp"
#include "genodose/report/report_builder.hpp"

using namespace genodose;
using namespace genodose::report;

namespace {

struct Fixture {
    pgx::PgxDataset data = pgx::load_pgx_dataset(pgx::pgx_data_directory(std::string(GENODOSE_SOURCE_DIR) + "/data"));
    std::vector<pgx::GenotypingTarget> targets = pgx::genotyping_targets(data, pgx::GenomeBuild::grch38);
    CohortTable cohort = CohortTable::load(default_cohort_table_path(std::string(GENODOSE_SOURCE_DIR) + "/data"));
    dosing::DoseModelInfo model;
    dosing::Patient patient;
    dosing::DosePrediction prediction;

    Fixture() {
        model.xgboost_version = "1.7.4";
        model.features = {"vkorc1_1639_a_alleles", "cyp2c9_star3_alleles", "weight_kg"};
        model.training_rows = 4424;
        model.conformal.nominal_coverage = 0.8;
        prediction.dose_mg_per_week = 24.04;
        prediction.interval_low = 17.0;
        prediction.interval_high = 33.9;
        prediction.interval_coverage = 0.8;
        prediction.iwpc_pharmacogenetic_mg_per_week = 26.6;
        prediction.baseline_mg_per_week = 30.2;
        prediction.contributions = {{"vkorc1_1639_a_alleles", "1", -3.9},
                                    {"cyp2c9_star3_alleles", "1", -2.5},
                                    {"weight_kg", "74", 0.24},
                                    {"smoker", "0", 0.01}};
    }

    pgx::SampleObservations observations() const {
        auto vcf = pgx::observations_from_vcf(
            data, targets, {test::data_path("pgx/pharmcat.example.vcf"), {}, pgx::GenomeBuild::grch38});
        return vcf.samples.front();
    }

    std::size_t target(const std::string& rsid) const {
        for (std::size_t t = 0; t < targets.size(); ++t)
            if (targets[t].rsid == rsid) return t;
        FAIL("no target " << rsid);
        return 0;
    }

    ReportDocument build(const pgx::SampleObservations& o) const {
        const pgx::SampleGenotype genotype = pgx::genotype_sample(data, targets, o);
        ReportBuildInputs in;
        in.data = &data;
        in.targets = &targets;
        in.genotype = &genotype;
        in.input_kind = "vcf";
        in.patient = &patient;
        in.prediction = &prediction;
        in.model = &model;
        in.cohort = &cohort;
        in.identifiers.patient_id = "P1";
        in.identifiers.sample_id = o.sample;
        in.generated_at = "2025-11-22T10:15:00Z";
        return build_report(in);
    }
};

const KeyVariant* variant(const GeneResult& gene, const std::string& rsid) {
    for (const auto& v : gene.key_variants)
        if (v.rsid == rsid) return &v;
    return nullptr;
}

}  // namespace

TEST_CASE("a *1/*3, -1639 G/A sample: results table, key variants, cohort and a clean QC", "[report][builder]") {
    Fixture f;
    auto o = f.observations();
    o.positions[f.target("rs1057910")].alleles = {"A", "C"};
    o.positions[f.target("rs1057910")].depth = 33;
    o.positions[f.target("rs1057910")].genotype_quality = 50;
    o.positions[f.target("rs9923231")].alleles = {"C", "T"};
    const ReportDocument d = f.build(o);

    REQUIRE(d.genes.size() == 3);
    const GeneResult* cyp2c9 = d.gene("CYP2C9");
    REQUIRE(cyp2c9);
    CHECK(cyp2c9->genotype_display == "*1/*3");
    CHECK(cyp2c9->phenotype == std::optional<std::string>("Intermediate Metabolizer"));
    CHECK(*cyp2c9->activity_score == Approx(1.0));  // CPIC: *1 = 1, *3 = 0
    CHECK(cyp2c9->positions_called == cyp2c9->positions_defined);
    const KeyVariant* star3 = variant(*cyp2c9, "rs1057910");
    REQUIRE(star3);
    CHECK(star3->genotype == "A/C");
    CHECK(star3->zygosity == "heterozygous");
    CHECK(star3->defines.find("*3") == 0);
    CHECK(star3->depth == 33);
    CHECK(star3->quality == 50);
    // AMP tier-1 positions are shown even when reference.
    const KeyVariant* star2 = variant(*cyp2c9, "rs1799853");
    REQUIRE(star2);
    CHECK(star2->zygosity == "homozygous reference");
    CHECK(star2->defines.find("*2") == 0);

    const GeneResult* vkorc1 = d.gene("VKORC1");
    REQUIRE(vkorc1);
    CHECK(vkorc1->genotype_display == "rs9923231 C/T (-1639 G/A)");
    CHECK(vkorc1->phenotype == std::optional<std::string>("-1639 AG"));
    CHECK(d.gene("CYP4F2")->genotype_display == "*1/*1 (rs2108622 C/C)");

    REQUIRE(d.other_variants.size() == 1);
    CHECK(d.other_variants[0].rsid == "rs12777823");
    CHECK(d.other_variants[0].genotype == "G/G");

    CHECK(d.qc.status == "pass");
    CHECK(d.cohort.available);
    CHECK(d.cohort.group == "CYP2C9 *1/*3, VKORC1 -1639 G/A");
    // Drivers: the largest contributions, with the catalogue's labels; negligible ones left out.
    REQUIRE(d.dose.drivers.size() == 3);
    CHECK(d.dose.drivers[0].label == "VKORC1 -1639 A alleles (0-2)");
    CHECK(d.review_statement.find("qualified clinician") != std::string::npos);
    CHECK_FALSE(d.limitations.empty());
}

TEST_CASE("missing key positions, no-calls and low depth send the report to review", "[report][builder]") {
    Fixture f;
    auto o = f.observations();
    auto& star3 = o.positions[f.target("rs1057910")];
    star3.status = pgx::ObservationStatus::missing;
    star3.alleles.clear();
    o.positions[f.target("rs1799853")].depth = 7;
    auto& vkorc1 = o.positions[f.target("rs9923231")];
    vkorc1.status = pgx::ObservationStatus::not_called;
    vkorc1.alleles.clear();
    vkorc1.detail = "depth 3 < 8";
    f.prediction.missing_inputs = {"height"};
    const ReportDocument d = f.build(o);

    CHECK(d.qc.status == "review");
    auto has = [&](const std::vector<std::string>& list, const std::string& text) {
        for (const auto& item : list)
            if (item.find(text) != std::string::npos) return true;
        return false;
    };
    CHECK(has(d.qc.reasons, "CYP2C9: key position rs1057910 (*3"));
    CHECK(has(d.qc.reasons, "CYP2C9: low read depth (7) at rs1799853"));
    CHECK(has(d.qc.reasons, "VKORC1: no usable genotype"));
    CHECK(has(d.qc.reasons, "dose inputs missing: height"));
    const GeneResult* cyp2c9 = d.gene("CYP2C9");
    REQUIRE(cyp2c9->positions_not_called.size() == 1);
    CHECK(cyp2c9->positions_not_called[0].rsid == "rs1057910");
    CHECK(cyp2c9->positions_not_called[0].reason.find("not assumed reference") != std::string::npos);
    CHECK(has(d.limitations, "CYP2C9: 1 of 83 defined positions not called (rs1057910)"));
    CHECK(d.gene("VKORC1")->genotype_display == "rs9923231 not called");
    CHECK_FALSE(d.cohort.available);
    CHECK_THAT(d.cohort.reason, Catch::Contains("VKORC1"));
}

TEST_CASE("the report lists every clinical input of the dose and marks the missing ones", "[report][builder][inputs]") {
    Fixture f;
    f.patient.age_years = 64;
    f.patient.age_decade = 6;
    f.patient.weight_kg = 74;
    f.patient.sex = dosing::Sex::female;
    f.patient.race = dosing::Race::white;
    f.patient.race_recorded = "Caucasian";
    f.patient.amiodarone = true;
    f.patient.aspirin = false;
    const ReportDocument d = f.build(f.observations());
    std::map<std::string, const ClinicalInput*> inputs;
    for (const auto& input : d.clinical_inputs) inputs[input.input] = &input;
    for (const char* name : {"Age", "Sex", "Height", "Weight", "Race (as recorded)", "Target INR", "Indication",
                             "Interacting drugs", "Smoking"})
        REQUIRE(inputs.count(name));
    CHECK(inputs["Age"]->value == "64 years");
    CHECK(inputs["Sex"]->value == "female");
    CHECK(inputs["Weight"]->value == "74.0 kg");
    CHECK(inputs["Race (as recorded)"]->value == "Caucasian (model category: White)");
    CHECK(inputs["Height"]->missing);
    CHECK(inputs["Target INR"]->missing);
    CHECK(inputs["Smoking"]->missing);
    CHECK_FALSE(inputs["Interacting drugs"]->missing);
    CHECK(inputs["Interacting drugs"]->value.find("taking: amiodarone") == 0);
    CHECK(inputs["Interacting drugs"]->value.find("not recorded: carbamazepine") != std::string::npos);
}

TEST_CASE("the headline states CPIC's recommendation first", "[report][builder][cpic]") {
    Fixture f;
    f.patient.race = dosing::Race::white;
    ReportDocument d = f.build(f.observations());
    CHECK(d.headline.recommendation.find("CPIC: calculate the dose with a validated pharmacogenetic algorithm") == 0);
    // African ancestry, CYP2C9 *5/*6/*8/*11 not tested: dose clinically.
    f.patient.race = dosing::Race::black_or_african_american;
    f.prediction.flags = {
        {"cpic_african_cyp2c9_star5_6_8_11_not_tested", "dose clinically", std::nullopt, std::nullopt}};
    d = f.build(f.observations());
    CHECK(d.headline.recommendation.find("CPIC: dose clinically") == 0);
    // A gene the dose needs was not determined.
    f.prediction.flags.clear();
    f.prediction.missing_inputs = {"VKORC1"};
    d = f.build(f.observations());
    CHECK(d.headline.recommendation.find("VKORC1 was not determined, so dose clinically") != std::string::npos);
    // Children: the adult recommendations do not apply.
    f.prediction.flags = {{"cpic_pediatric", "children", std::nullopt, std::nullopt}};
    d = f.build(f.observations());
    CHECK(d.headline.recommendation.find("do not apply to a child") != std::string::npos);
}

TEST_CASE("extrapolation and missing inputs are cautions in the headline", "[report][builder][edges]") {
    Fixture f;
    f.prediction.extrapolations = {"weight 250.0 kg is above the range of the IWPC training cohort (30.0-237.7 kg, "
                                   "4208 patients): the dose is an extrapolation"};
    f.prediction.missing_core_count = 5;  // the patient below misses most core inputs
    f.model.conformal.missingness_groups.resize(dosing::missingness_group_count);
    const ReportDocument d = f.build(f.observations());
    REQUIRE(d.headline.cautions.size() == 2);
    CHECK(d.headline.cautions[0].find("Extrapolated: weight 250.0 kg") == 0);
    CHECK(d.headline.cautions[1].find("inputs of the IWPC equations are missing") != std::string::npos);
    CHECK(d.headline.cautions[1].find("calibrated on patients with 4-5 of them missing") != std::string::npos);
    CHECK(d.dose.extrapolations == f.prediction.extrapolations);
}

TEST_CASE("lab, specimen and sign-off fields come only from the configuration; identifiers are neutralised",
          "[report][builder][lab]") {
    Fixture f;
    ReportDocument bare = f.build(f.observations());
    CHECK(bare.laboratory.clia_number.empty());
    CHECK(bare.sign_off.name.empty());
    CHECK(bare.specimen.type.empty());
    const pgx::SampleGenotype genotype = pgx::genotype_sample(f.data, f.targets, f.observations());
    ReportBuildInputs in;
    in.data = &f.data;
    in.targets = &f.targets;
    in.genotype = &genotype;
    in.input_kind = "vcf";
    in.patient = &f.patient;
    in.prediction = &f.prediction;
    in.model = &f.model;
    in.identifiers.patient_id = "P\u202E1gpj.exe";  // right-to-left override
    in.identifiers.sample_id = "S\u20661";
    in.report_fields = {{"clia_number", "99D9999999"},
                        {"specimen_type", "saliva"},
                        {"signed_by", "A. Reviewer"},
                        {"collection_date", "2025-11-20"},
                        {"platform", "array"}};
    in.generated_at = "2025-11-22T10:15:00Z";
    const ReportDocument d = build_report(in);
    CHECK(d.identifiers.patient_id == "P\uFFFD1gpj.exe");
    CHECK(d.identifiers.sample_id == "S\uFFFD1");
    CHECK(d.laboratory.clia_number == "99D9999999");
    CHECK(d.specimen.type == "saliva");
    CHECK(d.specimen.collection_date == "2025-11-20");
    CHECK(d.sign_off.name == "A. Reviewer");
    CHECK(d.methods.platform == "array");
    CHECK(d.laboratory.cap_number.empty());  // never invented
}

TEST_CASE("every defined position is listed with its result, and alleles as tested or not",
          "[report][builder][tested]") {
    Fixture f;
    auto o = f.observations();
    o.positions[f.target("rs1057910")].status = pgx::ObservationStatus::missing;  // CYP2C9*3 position
    o.positions[f.target("rs1057910")].alleles.clear();
    const ReportDocument d = f.build(o);
    const GeneResult* cyp2c9 = d.gene("CYP2C9");
    REQUIRE(cyp2c9);
    CHECK(static_cast<int>(cyp2c9->positions_tested.size()) == cyp2c9->positions_defined);
    bool star3_row = false;
    for (const auto& v : cyp2c9->positions_tested)
        if (v.rsid == "rs1057910") star3_row = v.genotype.empty() && v.status == "missing";
    CHECK(star3_row);
    auto has = [](const std::vector<std::string>& list, const std::string& name) {
        return std::find(list.begin(), list.end(), name) != list.end();
    };
    CHECK_FALSE(has(cyp2c9->alleles_tested, "*3"));
    CHECK((has(cyp2c9->alleles_partly_tested, "*3") || has(cyp2c9->untestable_alleles, "*3")));
    CHECK(has(cyp2c9->alleles_tested, "*2"));
}
