// Issue 22 in the report: a phenotype that rests on an untested key allele is shown as not
// determined in the headline and sends the report to review; a targeted assay's call from its
// tested alleles is what the headline shows; for a patient of African ancestry, CYP2C9*5/*6/*8/*11
// or rs12777823 not tested is a review reason.
#include <catch2/catch.hpp>

#include "../test_paths.hpp"
#include "genodose/pgx/data_directory.hpp"
#include "genodose/pgx/genotyper.hpp"
#include "genodose/report/report_builder.hpp"

using namespace genodose;
using namespace genodose::report;

namespace {

struct UntestedFixture {
    pgx::PgxDataset data = pgx::load_pgx_dataset(pgx::pgx_data_directory(std::string(GENODOSE_SOURCE_DIR) + "/data"));
    std::vector<pgx::GenotypingTarget> targets = pgx::genotyping_targets(data, pgx::GenomeBuild::grch38);
    dosing::DoseModelInfo model;
    dosing::Patient patient;
    dosing::DosePrediction prediction;

    UntestedFixture() {
        model.features = {"vkorc1_1639_a_alleles"};
        model.conformal.nominal_coverage = 0.8;
        prediction.dose_mg_per_week = 35;
        prediction.interval_low = 25;
        prediction.interval_high = 45;
        prediction.interval_coverage = 0.8;
        patient.race = dosing::Race::white;
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

    void untest(pgx::SampleObservations& o, const std::string& rsid) const {
        auto& position = o.positions[target(rsid)];
        position.status = pgx::ObservationStatus::not_called;
        position.alleles.clear();
        position.detail = "genotype missing (./.)";
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
        in.identifiers.patient_id = "P1";
        in.generated_at = "2025-11-22T10:15:00Z";
        return build_report(in);
    }
};

bool has(const std::vector<std::string>& list, const std::string& text) {
    for (const auto& item : list)
        if (item.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("an untested *3 shows in the headline as a phenotype not determined, and needs review",
          "[report][untested]") {
    UntestedFixture f;
    auto o = f.observations();
    f.untest(o, "rs1057910");
    const ReportDocument d = f.build(o);
    const GeneResult* cyp2c9 = d.gene("CYP2C9");
    REQUIRE(cyp2c9);
    CHECK_FALSE(cyp2c9->phenotype);
    CHECK(cyp2c9->phenotype_qualifier == std::optional<std::string>("*3 not tested"));
    CHECK(cyp2c9->key_alleles_not_tested == std::vector<std::string>{"*3"});
    CHECK(cyp2c9->genotype_display ==
          "*1/*1 [phenotype not determined: *3 not tested; Normal Metabolizer only if absent]");
    CHECK(d.qc.status == "review");
    CHECK(has(d.qc.reasons, "CYP2C9: phenotype not determined (*3 not tested)"));
    CHECK(has(d.limitations, "key (AMP tier-1) alleles not tested: *3"));

    // Everything tested: the plain call, no qualifier.
    const ReportDocument complete = f.build(f.observations());
    CHECK(complete.gene("CYP2C9")->genotype_display == "*1/*1");
    CHECK(complete.gene("CYP2C9")->phenotype == std::optional<std::string>("Normal Metabolizer"));
    CHECK_FALSE(complete.gene("CYP2C9")->phenotype_qualifier);
}

TEST_CASE("a targeted assay's *2/*3: the headline shows the call from the tested alleles",
          "[report][untested][targeted]") {
    UntestedFixture f;
    auto o = f.observations();
    for (std::size_t t = 0; t < f.targets.size(); ++t) {
        const auto& rsid = f.targets[t].rsid;
        if (f.targets[t].gene == "CYP2C9" && rsid != "rs1799853" && rsid != "rs1057910") {
            o.positions[t].status = pgx::ObservationStatus::missing;
            o.positions[t].alleles.clear();
        }
    }
    o.positions[f.target("rs1799853")].alleles = {"C", "T"};
    o.positions[f.target("rs1057910")].alleles = {"A", "C"};
    const ReportDocument d = f.build(o);
    const GeneResult* cyp2c9 = d.gene("CYP2C9");
    REQUIRE(cyp2c9);
    CHECK(cyp2c9->diplotypes.size() > 1);  // PharmCAT's tied candidates are kept
    CHECK(cyp2c9->genotype_display.rfind("*2/*3 (call from the tested alleles; ", 0) == 0);
    CHECK(cyp2c9->phenotype == std::optional<std::string>("Poor Metabolizer"));
    CHECK_FALSE(has(d.qc.reasons, "ambiguous diplotype"));
    CHECK(has(d.limitations, "*2/*3 is the call from the alleles the input tests (*1, *2, *3)"));
    CHECK(has(d.limitations, "key (AMP tier-1) alleles not tested: *5, *6, *8, *11"));
}

TEST_CASE("African ancestry: CYP2C9*5/*6/*8/*11 or rs12777823 not tested is a review reason",
          "[report][untested][qc]") {
    UntestedFixture f;
    const auto o = f.observations();
    f.patient.cyp2c9.diplotype = "*1/*1";
    f.patient.cyp2c9.carries_star5_6_8_11.reset();  // not tested
    f.patient.rs12777823_a_alleles.reset();
    f.patient.race = dosing::Race::white;
    const ReportDocument white = f.build(o);
    CHECK_FALSE(has(white.qc.reasons, "African ancestry"));

    f.patient.race = dosing::Race::black_or_african_american;
    const ReportDocument untested = f.build(o);
    CHECK(untested.qc.status == "review");
    CHECK(has(untested.qc.reasons, "African ancestry and CYP2C9 *5/*6/*8/*11 not tested"));
    CHECK(has(untested.qc.reasons, "African ancestry and rs12777823 not tested"));

    f.patient.cyp2c9.carries_star5_6_8_11 = false;
    f.patient.rs12777823_a_alleles = 0;
    const ReportDocument tested = f.build(o);
    CHECK_FALSE(has(tested.qc.reasons, "African ancestry"));
    CHECK(tested.qc.status == "pass");
}
