// `genodose run` hands pgx's genotypes to the dose in memory (reported_genotypes), `genodose dose
// predict --genotypes` reads them from the file `genodose genotype` writes: both must give the
// dose the same genotypes and so the same prediction, for complete, targeted, untested,
// low-quality, tied and missing genotypes.
#include <catch2/catch.hpp>

#include "../pgx/pgx_test_support.hpp"
#include "genodose/dosing/dose_model.hpp"
#include "genodose/dosing/genotypes.hpp"

using namespace genodose;
using namespace genodose::dosing;
using namespace pgx_test;

namespace {

// The samples of one VCF, each genotyped by pgx.
struct Scenario {
    std::string name;
    VcfBuilder vcf;
};

std::vector<Scenario> scenarios() {
    std::vector<Scenario> list;
    list.push_back({"complete *1/*3, -1639 G/A, *3 of CYP4F2 het, rs12777823 A/A", VcfBuilder({"s"})
                                                                                       .all_reference()
                                                                                       .set("rs1057910", {"0/1"})
                                                                                       .set("rs9923231", {"0/1"})
                                                                                       .set("rs2108622", {"0/1"})
                                                                                       .set("rs12777823", {"1/1"})});
    list.push_back(
        {"targeted assay *2 and *3 het: PharmCAT ties, the tested alleles decide", VcfBuilder({"s"})
                                                                                       .set("rs1799853", {"0/1"})
                                                                                       .set("rs1057910", {"0/1"})
                                                                                       .set("rs9923231", {"0/1"})
                                                                                       .set("rs2108622", {"0/0"})});
    list.push_back({"targeted assay without *3: *3 untested under a *1",
                    VcfBuilder({"s"}).set("rs1799853", {"0/0"}).set("rs9923231", {"1/1"}).set("rs2108622", {"0/0"})});
    list.push_back({"*3 position a no-call; -1639 and CYP4F2*3 no-calls", VcfBuilder({"s"})
                                                                              .all_reference()
                                                                              .set("rs1057910", {"./."})
                                                                              .set("rs9923231", {"./."})
                                                                              .set("rs2108622", {"./."})
                                                                              .set("rs12777823", {"./."})});
    list.push_back({"only *3 het known: several diplotypes tie", VcfBuilder({"s"}).set("rs1057910", {"0/1"})});
    list.push_back({"key positions genotyped with low quality",
                    VcfBuilder({"s"}).all_reference().with_format("GT:DP:GQ").with_depth(2, 5)});
    list.push_back({"nothing at the targets", VcfBuilder({"s"}).raw("chr10\t100\t.\tA\tG\t.\tPASS\t.\tGT\t0/1")});
    return list;
}

Patient patient(Race race) {
    Patient p;
    p.id = "P";
    p.age_decade = 6;
    p.height_cm = 170;
    p.weight_kg = 80;
    p.race = race;
    p.race_recorded = race_name(race);
    p.amiodarone = false;
    return p;
}

void check_same(const SampleGenotypes& typed, const SampleGenotypes& file) {
    CHECK(typed.sample == file.sample);
    CHECK(typed.has_cyp2c9 == file.has_cyp2c9);
    CHECK(typed.has_vkorc1 == file.has_vkorc1);
    CHECK(typed.has_cyp4f2 == file.has_cyp4f2);
    CHECK(typed.has_rs12777823 == file.has_rs12777823);
    CHECK(typed.cyp2c9.diplotype == file.cyp2c9.diplotype);
    CHECK(typed.cyp2c9.star2_alleles == file.cyp2c9.star2_alleles);
    CHECK(typed.cyp2c9.star3_alleles == file.cyp2c9.star3_alleles);
    CHECK(typed.cyp2c9.activity_score == file.cyp2c9.activity_score);
    CHECK(typed.cyp2c9.carries_star5_6_8_11 == file.cyp2c9.carries_star5_6_8_11);
    CHECK(typed.cyp2c9.phenotype == file.cyp2c9.phenotype);
    CHECK(typed.cyp2c9.note == file.cyp2c9.note);
    CHECK(typed.cyp2c9.activity_score_unknown == file.cyp2c9.activity_score_unknown);
    CHECK(typed.vkorc1.a_alleles == file.vkorc1.a_alleles);
    CHECK(typed.vkorc1.origin == file.vkorc1.origin);
    CHECK(typed.vkorc1.note == file.vkorc1.note);
    CHECK(typed.cyp4f2_star3_alleles == file.cyp4f2_star3_alleles);
    CHECK(typed.cyp4f2_note == file.cyp4f2_note);
    CHECK(typed.rs12777823_a_alleles == file.rs12777823_a_alleles);
    CHECK(typed.vkorc1_2255 == file.vkorc1_2255);
    CHECK(typed.vkorc1_1173 == file.vkorc1_1173);
    CHECK(typed.vkorc1_1542 == file.vkorc1_1542);
}

void check_same(const DosePrediction& typed, const DosePrediction& file) {
    CHECK(typed.dose_mg_per_week == file.dose_mg_per_week);
    CHECK(typed.interval_low == file.interval_low);
    CHECK(typed.interval_high == file.interval_high);
    CHECK(typed.iwpc_pharmacogenetic_mg_per_week == file.iwpc_pharmacogenetic_mg_per_week);
    CHECK(typed.iwpc_clinical_mg_per_week == file.iwpc_clinical_mg_per_week);
    CHECK(typed.cyp2c9_activity_score == file.cyp2c9_activity_score);
    CHECK(typed.missing_inputs == file.missing_inputs);
    CHECK(typed.notes == file.notes);
    REQUIRE(typed.flags.size() == file.flags.size());
    for (std::size_t i = 0; i < typed.flags.size(); ++i) CHECK(typed.flags[i].code == file.flags[i].code);
    REQUIRE(typed.contributions.size() == file.contributions.size());
    for (std::size_t i = 0; i < typed.contributions.size(); ++i) {
        CHECK(typed.contributions[i].feature == file.contributions[i].feature);
        CHECK(typed.contributions[i].value == file.contributions[i].value);
        CHECK(typed.contributions[i].mg_per_week == file.contributions[i].mg_per_week);
    }
}

}  // namespace

TEST_CASE("the typed hand-off and the genotype file give the dose the same genotypes and prediction",
          "[dosing][genotypes][handoff]") {
    // Loaded here, not in a static: the booster must be freed before XGBoost's own statics are.
    const DoseModel model = DoseModel::load(std::string(GENODOSE_SOURCE_DIR) + "/models/warfarin_dose.json");
    std::size_t untested_star3 = 0, tied = 0, tested_call = 0, vkorc1_missing = 0, cyp4f2_untested = 0;
    for (const Scenario& scenario : scenarios()) {
        INFO(scenario.name);
        const auto samples = genotype_vcf(scenario.vcf.write("handoff.vcf"));
        REQUIRE(samples.size() == 1);
        const pgx::SampleGenotype& genotype = samples.front();

        const SampleGenotypes typed =
            dose_genotypes(reported_genotypes(dataset(), targets(), genotype), "genotypes.json");
        pgx::GenotypeReportInfo info;
        info.input = "handoff.vcf";
        info.input_kind = "vcf";
        const auto file =
            parse_genotype_json(pgx::genotype_report_json(dataset(), targets(), {genotype}, info), "genotypes.json");
        REQUIRE(file.size() == 1);
        check_same(typed, file.front());

        for (Race race : {Race::white, Race::black_or_african_american}) {
            Patient from_typed = patient(race), from_file = patient(race);
            CHECK(merge_genotypes(from_typed, typed) == merge_genotypes(from_file, file.front()));
            check_same(model.predict(from_typed), model.predict(from_file));
        }
        // What the scenarios cover (so that a case that stopped arising would be noticed).
        if (typed.cyp2c9.known() && !typed.cyp2c9.star3_alleles) ++untested_star3;
        if (pgx_test::gene(genotype, "CYP2C9").call.best.size() > 1) ++tied;
        if (typed.cyp2c9.note.find("call from the alleles the input tested") != std::string::npos) ++tested_call;
        if (!typed.vkorc1.a_alleles) ++vkorc1_missing;
        if (typed.cyp4f2_note.find("not tested") != std::string::npos) ++cyp4f2_untested;
    }
    CHECK(untested_star3 >= 2);
    CHECK(tied >= 2);
    CHECK(tested_call >= 1);
    CHECK(vkorc1_missing >= 2);
    CHECK(cyp4f2_untested >= 1);
}

TEST_CASE("the typed hand-off names the sample and the genotype the dose cannot read", "[dosing][genotypes][handoff]") {
    // A third allele at rs9923231 (plus strand C>T): the dose counts T alleles and cannot use it.
    ReportedGenotypes reported;
    reported.sample = "S";
    reported.genes["VKORC1"].snps[vkorc1_1639_snp.rsid] = std::string("C/G");
    CHECK_THROWS_WITH(dose_genotypes(reported, "genotypes.json"),
                      Catch::StartsWith("genotypes.json: sample 'S': genes.VKORC1.rs9923231: allele 'G'"));
}
