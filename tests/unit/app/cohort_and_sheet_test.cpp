#include <catch2/catch.hpp>

#include <fstream>

#include "../test_paths.hpp"
#include "genodose/app/batch.hpp"
#include "genodose/core/error.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "genodose/report/cohort_table.hpp"

using namespace genodose;
using namespace genodose::report;
using namespace genodose::app;

TEST_CASE("the shipped IWPC cohort table gives each genotype group's dose distribution", "[report][cohort]") {
    const CohortTable table = CohortTable::load(default_cohort_table_path(std::string(GENODOSE_SOURCE_DIR) + "/data"));
    const CohortGroup* group = table.find("*1/*3", "G/A");
    REQUIRE(group);
    CHECK(group->patients >= 20);
    REQUIRE(group->has_distribution);
    REQUIRE(group->quantiles.size() == 7);
    for (int i = 0; i + 1 < 7; ++i) CHECK(group->quantiles[i] <= group->quantiles[i + 1]);
    int total = 0;
    for (int n : group->histogram) total += n;
    CHECK(total == group->patients);
    // VKORC1 A/A patients need less warfarin than G/G patients, as everywhere in the literature.
    CHECK(table.find("*1/*1", "A/A")->quantiles[3] < table.find("*1/*1", "G/G")->quantiles[3]);

    const CohortContext context = cohort_context(table, "*1/*3", "G/A", group->quantiles[3]);
    CHECK(context.available);
    CHECK(context.group == "CYP2C9 *1/*3, VKORC1 -1639 G/A");
    CHECK(*context.patient_percentile == Approx(50));
    CHECK_FALSE(cohort_context(table, "", "G/A", 30).available);
    CHECK_FALSE(cohort_context(table, "*1/*8", "G/A", 30).available);
    const CohortContext small = cohort_context(table, "*3/*3", "A/A", 10);
    CHECK_FALSE(small.available);
    CHECK_THAT(small.reason, Catch::Contains("fewer than 20"));
}

TEST_CASE("percentiles are interpolated between the table's quantiles", "[report][cohort]") {
    const std::vector<double> q = {10, 12, 16, 20, 28, 35, 40};
    CHECK(percentile_from_quantiles(q, 5) == 5);
    CHECK(percentile_from_quantiles(q, 99) == 95);
    CHECK(percentile_from_quantiles(q, 20) == Approx(50));
    CHECK(percentile_from_quantiles(q, 24) == Approx(62.5));
}

TEST_CASE("a malformed cohort table is refused with the line", "[report][cohort]") {
    CHECK_THROWS_WITH(
        CohortTable::parse("cyp2c9\tvkorc1_1639\tpatients\tp05\tp10\tp25\tp50\tp75\tp90\tp95\tbin_width\thistogram\n"
                           "*1/*1\tG/G\tmany\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n",
                           "t.tsv"),
        Catch::Contains("t.tsv: line 2"));
    CHECK_THROWS_AS(CohortTable::parse("# only a comment\n", "t.tsv"), InputError);
}

namespace {
std::string write_sheet(const test::ScratchFolder& folder, const std::string& text) {
    const std::string path = folder.file("sheet.tsv");
    std::ofstream(path) << text;
    return path;
}
}  // namespace

TEST_CASE("sample ids that could name a path are refused", "[report][batch]") {
    CHECK(is_safe_sample_id("NA12878"));
    CHECK(is_safe_sample_id("S-1_a.b"));
    CHECK_FALSE(is_safe_sample_id(""));
    CHECK_FALSE(is_safe_sample_id(".."));
    CHECK_FALSE(is_safe_sample_id("../etc"));
    CHECK_FALSE(is_safe_sample_id("a/b"));
    CHECK_FALSE(is_safe_sample_id(".hidden"));
    CHECK_FALSE(is_safe_sample_id("-rf"));
    CHECK_FALSE(is_safe_sample_id("x y"));
    CHECK_FALSE(is_safe_sample_id("<b>"));
    CHECK_FALSE(is_safe_sample_id(std::string(65, 'a')));

    test::ScratchFolder folder;
    const std::string header = "sample_id\tvcf\tpatient\n";
    CHECK_THROWS_WITH(read_sample_sheet(write_sheet(folder, header + "../x\ta.vcf\tp.json\n"), folder.file("out")),
                      Catch::Contains("line 2: sample_id '../x' cannot name an output folder"));
    CHECK_THROWS_WITH(read_sample_sheet(write_sheet(folder, header + "/tmp/x\ta.vcf\tp.json\n"), folder.file("out")),
                      Catch::Contains("cannot name an output folder"));
    CHECK_THROWS_WITH(
        read_sample_sheet(write_sheet(folder, header + "A\ta.vcf\tp.json\nA\tb.vcf\tp.json\n"), folder.file("out")),
        Catch::Contains("line 3: sample_id 'A' is repeated"));
}

TEST_CASE("the sample sheet is checked as a whole and resolves paths from its folder", "[report][batch]") {
    test::ScratchFolder folder;
    CHECK_THROWS_WITH(read_sample_sheet(write_sheet(folder, "sample_id\tvcf\tcolour\n"), "out"),
                      Catch::Contains("unknown column 'colour'"));
    CHECK_THROWS_WITH(read_sample_sheet(write_sheet(folder, "sample_id\tpatient\n"), "out"),
                      Catch::Contains("needs a 'reads' or 'vcf' column"));
    CHECK_THROWS_WITH(read_sample_sheet(write_sheet(folder, "sample_id\tvcf\tpatient\nA\ta.vcf\n"), "out"),
                      Catch::Contains("line 2: 2 fields, the header has 3"));
    CHECK_THROWS_WITH(
        read_sample_sheet(write_sheet(folder, "sample_id\treads\tvcf\tpatient\nA\ta.bam\t.\tp.json\n"), "out"),
        Catch::Contains("'reads' needs 'ref'"));
    CHECK_THROWS_WITH(
        read_sample_sheet(write_sheet(folder, "sample_id\treads\tvcf\tpatient\nA\t.\t.\tp.json\n"), "out"),
        Catch::Contains("exactly one of 'reads' or 'vcf'"));
    CHECK_THROWS_WITH(read_sample_sheet(write_sheet(folder, "sample_id\tvcf\nA\ta.vcf\n"), "out"),
                      Catch::Contains("no patient"));
    CHECK_THROWS_AS(read_sample_sheet(write_sheet(folder, "# nothing\n"), "out"), InputError);

    const auto rows = read_sample_sheet(
        write_sheet(
            folder,
            "# a comment\n"
            "sample_id\tvcf\tvcf_sample\tpatient\tage_years\tweight_kg\theight_cm\tsex\trace\tsmoker\tmedications\n"
            "S1\tcalls/s1.vcf.gz\t.\tp1.json\t.\t.\t.\t.\t.\t.\t.\n"
            "S2\t/abs/s2.vcf\tNA12878\t.\t64\t80.5\t170\tfemale\tWhite\tno\tamiodarone; aspirin\n"),
        "out");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].request.vcf == folder.path() + "/calls/s1.vcf.gz");
    CHECK(rows[0].request.patient_file == folder.path() + "/p1.json");
    CHECK(rows[0].request.output_dir == "out/S1");
    CHECK(rows[1].request.vcf == "/abs/s2.vcf");
    CHECK(rows[1].request.sample == "NA12878");
    CHECK(rows[1].request.patient_source == folder.path() + "/sheet.tsv: line 4");
    // An inline patient is a patient JSON that the one patient reader accepts.
    const auto patients = dosing::parse_patient_json(rows[1].request.patient_text, rows[1].request.patient_source);
    REQUIRE(patients.size() == 1);
    CHECK(patients[0].patient.id == "S2");
    CHECK(*patients[0].patient.weight_kg == Approx(80.5));
    CHECK(*patients[0].patient.amiodarone);
    CHECK_FALSE(*patients[0].patient.smoker);
}

TEST_CASE("cohort.tsv has one line per sample, failed ones with their error", "[report][batch]") {
    std::vector<BatchSampleResult> results(2);
    results[0].sample_id = "S1";
    results[0].ok = false;
    results[0].error = "s1.vcf: cannot open\tfile";
    results[1].sample_id = "S2";
    results[1].ok = true;
    results[1].document.identifiers.patient_id = "P2";
    results[1].document.qc.status = "pass";
    results[1].document.dose.predicted_mg_per_week = 35.04;
    results[1].document.dose.interval_low = 25;
    results[1].document.dose.interval_high = 48;
    results[1].document.dose.interval_coverage = 0.8;
    results[1].files = {"report.json", "report.html", "report.pdf", "report.fhir.json", "genotypes.json"};
    const std::string tsv = cohort_tsv(results);
    CHECK(tsv.find("S1\t.\tfailed\t") != std::string::npos);
    CHECK(tsv.find("s1.vcf: cannot open file\n") != std::string::npos);  // the tab in the message is not a column
    CHECK(tsv.find("S2\tP2\tok\tpass\t") != std::string::npos);
    CHECK(tsv.find("\t35.0\t25.0\t48.0\t0.80\t") != std::string::npos);
    const std::string html = cohort_html(results, "2025-11-22T10:15:00Z", "0.1.0");
    CHECK(html.find("1 failed") != std::string::npos);
    CHECK(html.find("href=\"S2/report.html\"") != std::string::npos);
    CHECK(html.find("href=\"S2/report.pdf\"") != std::string::npos);
    CHECK(tsv.find("\tS2/report.html\t") != std::string::npos);
    CHECK(html.find("<svg") != std::string::npos);
}
