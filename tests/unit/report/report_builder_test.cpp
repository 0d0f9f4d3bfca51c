#include <catch2/catch.hpp>

#include "genodose/pgx/data_directory.hpp"
#include "genodose/pgx/genotyper.hpp"
#include "genodose/report/report_builder.hpp"
#include "../test_paths.hpp"

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
        prediction.contributions = {{"vkorc1_1639_a_alleles", "1", -3.9}, {"cyp2c9_star3_alleles", "1", -2.5},
                                    {"weight_kg", "74", 0.24}, {"smoker", "0", 0.01}};
    }

    pgx::SampleObservations observations() const {
        auto vcf = pgx::observations_from_vcf(data, targets, {test::data_path("pgx/pharmcat.example.vcf"), {}, pgx::GenomeBuild::grch38});
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
