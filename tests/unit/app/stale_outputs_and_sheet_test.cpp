// Stale report files of an earlier run,
// cohort links to files that were not written, sheet rows with a patient file and clinical
// columns, and the limitations when a typed genotype fills a position the sample has no call for.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "../test_paths.hpp"
#include "genodose/app/batch.hpp"
#include "genodose/app/pipeline.hpp"
#include "genodose/core/error.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "genodose/pgx/data_directory.hpp"
#include "genodose/pgx/genotyper.hpp"
#include "genodose/report/report_builder.hpp"

using namespace genodose;
using namespace genodose::report;
using namespace genodose::app;
namespace fs = std::filesystem;

namespace {

void touch(const std::string& path) { std::ofstream(path) << "old"; }

bool contains(const std::vector<std::string>& list, const std::string& text) {
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& item) { return item.find(text) != std::string::npos; });
}

}  // namespace

TEST_CASE("report files of an earlier run that this run does not write are removed, nothing else",
          "[report][stale][audit]") {
    test::ScratchFolder folder;
    for (const char* name :
         {"report.json", "report.html", "report.pdf", "report.fhir.json", "calls.vcf.gz", "notes.txt"})
        touch(folder.file(name));
    fs::create_directory(folder.file("depth.tsv"));  // a folder of that name is not ours to remove
    const auto removed =
        remove_stale_outputs(folder.path(), sample_output_names(), {"report.json", "report.html", "genotypes.json"});
    CHECK(removed == std::vector<std::string>{"report.pdf", "report.fhir.json", "calls.vcf.gz"});
    CHECK(fs::exists(folder.file("report.json")));  // written by this run: replaced by its transaction
    CHECK(fs::exists(folder.file("report.html")));
    CHECK_FALSE(fs::exists(folder.file("report.pdf")));
    CHECK_FALSE(fs::exists(folder.file("report.fhir.json")));
    CHECK_FALSE(fs::exists(folder.file("calls.vcf.gz")));
    CHECK(fs::exists(folder.file("notes.txt")));
    CHECK(fs::is_directory(folder.file("depth.tsv")));

    // `genodose report` keeps its own input, even when it is one of the names.
    touch(folder.file("report.pdf"));
    const auto kept =
        remove_stale_outputs(folder.path(), report_output_names(), {"report.html"}, folder.file("report.json"));
    CHECK(kept == std::vector<std::string>{"report.pdf"});
    CHECK(fs::exists(folder.file("report.json")));
    CHECK(remove_stale_outputs(folder.file("nowhere"), report_output_names(), {}).empty());
}

TEST_CASE("the cohort table and page link only to report files that were written", "[report][batch][audit]") {
    std::vector<BatchSampleResult> results(1);
    results[0].sample_id = "S1";
    results[0].ok = true;
    results[0].document.qc.status = "pass";
    results[0].files = {"report.json", "report.fhir.json", "genotypes.json"};  // --formats fhir
    std::string tsv = cohort_tsv(results);
    CHECK(tsv.find("\tS1/report.json\t") != std::string::npos);
    CHECK(tsv.find("report.html") == std::string::npos);
    std::string html = cohort_html(results, "2025-11-22T10:15:00Z", "0.1.0");
    CHECK(html.find("href=\"S1/report.fhir.json\"") != std::string::npos);
    CHECK(html.find("href=\"S1/report.json\"") != std::string::npos);
    CHECK(html.find("report.html") == std::string::npos);
    CHECK(html.find("report.pdf") == std::string::npos);

    results[0].files = {"report.json", "report.pdf", "genotypes.json"};  // --formats pdf
    tsv = cohort_tsv(results);
    CHECK(tsv.find("\tS1/report.pdf\t") != std::string::npos);
    html = cohort_html(results, "2025-11-22T10:15:00Z", "0.1.0");
    CHECK(html.find("href=\"S1/report.pdf\"") != std::string::npos);
    CHECK(html.find("report.html") == std::string::npos);
}

TEST_CASE("a sheet row with both a patient file and clinical columns is refused", "[report][batch][audit]") {
    test::ScratchFolder folder;
    const std::string sheet = folder.file("sheet.tsv");
    std::ofstream(sheet) << "sample_id\tvcf\tpatient\tweight_kg\trace\n"
                            "S1\ta.vcf\tp1.json\t.\t.\n"
                            "S2\tb.vcf\tp2.json\t50\tWhite\n";
    CHECK_THROWS_WITH(read_sample_sheet(sheet, "out"),
                      Catch::Contains("sheet.tsv: line 3: give a 'patient' file or clinical columns, not both "
                                      "(this row has 'patient' and race, weight_kg)"));

    // An inline patient names no sample_id to check: the sheet's sample_id only picks a sample
    // of a multi-sample VCF.
    std::ofstream(sheet) << "sample_id\tvcf\tweight_kg\nS3\tc.vcf\t70\n";
    const auto rows = read_sample_sheet(sheet, "out");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].request.sample_hint == "S3");
    const auto patients = dosing::parse_patient_json(rows[0].request.patient_text, rows[0].request.patient_source);
    CHECK(patients[0].patient.id == "S3");
    CHECK(patients[0].patient.sample_id.empty());
}

TEST_CASE("a typed genotype used for a position the sample has no call for is named in the limitations",
          "[report][builder][audit]") {
    const pgx::PgxDataset data =
        pgx::load_pgx_dataset(pgx::pgx_data_directory(std::string(GENODOSE_SOURCE_DIR) + "/data"));
    const auto targets = pgx::genotyping_targets(data, pgx::GenomeBuild::grch38);
    auto observations = pgx::observations_from_vcf(
                            data, targets, {test::data_path("pgx/pharmcat.example.vcf"), {}, pgx::GenomeBuild::grch38})
                            .samples.front();
    for (std::size_t t = 0; t < targets.size(); ++t) {
        if (targets[t].rsid != "rs9923231" && targets[t].rsid != "rs12777823") continue;
        observations.positions[t].status = pgx::ObservationStatus::missing;
        observations.positions[t].alleles.clear();
    }
    const pgx::SampleGenotype genotype = pgx::genotype_sample(data, targets, observations);
    dosing::DoseModelInfo model;
    model.conformal.nominal_coverage = 0.8;
    dosing::DosePrediction prediction;
    prediction.dose_mg_per_week = 30;
    prediction.interval_low = 20;
    prediction.interval_high = 40;
    dosing::Patient patient;
    ReportBuildInputs in;
    in.data = &data;
    in.targets = &targets;
    in.genotype = &genotype;
    in.input_kind = "vcf";
    in.patient = &patient;
    in.prediction = &prediction;
    in.model = &model;

    ReportDocument d = build_report(in);
    CHECK(contains(d.limitations,
                   "VKORC1: not genotyped (no usable data); the dose was predicted without a VKORC1 genotype."));
    CHECK_FALSE(contains(d.limitations, "from the patient input"));

    patient.vkorc1.a_alleles = 2;
    patient.vkorc1.origin = dosing::Vkorc1Genotype::Origin::measured;
    patient.rs12777823_a_alleles = 2;
    d = build_report(in);
    CHECK(contains(d.limitations, "VKORC1: not genotyped (no usable data); the dose used VKORC1 -1639 A/A from the "
                                  "patient input (see the dose notes)."));
    CHECK(contains(d.limitations, "the guideline statements used A/A from the patient input"));
    CHECK(d.qc.status == "review");  // the sample's own no-call still needs review
}
