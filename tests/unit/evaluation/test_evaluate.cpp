// End-to-end benchmarking on the hand-made fixtures of tests/data/evaluation (one case per
// 200 bp window; see the README there) and on real GIAB records from tests/data/io.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "genodose/core/error.hpp"
#include "genodose/evaluation/evaluate.hpp"
#include "genodose/evaluation/evaluation_report.hpp"

using namespace genodose;
using namespace genodose::evaluation;

namespace {

std::string fixture(const std::string& name) { return std::string(GENODOSE_TEST_DATA) + "/evaluation/" + name; }

EvaluationOptions fixture_options() {
    EvaluationOptions options;
    options.truth_path = fixture("truth.vcf.gz");
    options.query_path = fixture("query.vcf.gz");
    options.reference_path = fixture("mini_ref.fa");
    return options;
}

// Evaluates one window of the fixtures (1-based inclusive, as a region string).
EvaluationResult window(int first, int last, bool with_confident_bed = false) {
    EvaluationOptions options = fixture_options();
    options.target_regions = "chr20:" + std::to_string(first) + "-" + std::to_string(last);
    if (with_confident_bed) options.confident_regions = fixture("confident.bed");
    return evaluate_calls(options);
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char name[] = "/tmp/genodose-evaluate-test-XXXXXX";
        path = mkdtemp(name);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("equivalent indel representations in repeats are TP", "[evaluation][evaluate]") {
    const auto result = window(101, 200);
    const Counts indel = result.total(FilterSet::all, VariantType::indel);
    CHECK(indel.truth_total == 2);
    CHECK(indel.truth_tp == 2);
    CHECK(indel.query_tp == 2);
    CHECK(indel.query_fp == 0);
    CHECK(result.total(FilterSet::all, VariantType::indel, GenotypeClass::homalt).truth_tp == 1);
}

TEST_CASE("an MNP matches the same change written as SNPs", "[evaluation][evaluate]") {
    const auto result = window(301, 400);
    const Counts snp = result.total(FilterSet::all, VariantType::snp);
    CHECK(snp.truth_total == 2);
    CHECK(snp.truth_tp == 2);
    CHECK(snp.query_total == 2);  // the MNP counts per SNP
    CHECK(snp.query_tp == 2);
    CHECK(result.record_counts[0].query_tp == 1);  // one query record
    CHECK(result.record_counts[0].truth_tp == 2);
}

TEST_CASE("het called hom-alt is FN + FP, and FP.gt", "[evaluation][evaluate]") {
    const auto result = window(501, 600);
    const Counts snp = result.total(FilterSet::all, VariantType::snp);
    CHECK(snp.truth_fn == 1);
    CHECK(snp.query_fp == 1);
    CHECK(snp.fp_gt == 1);
    CHECK(snp.truth_tp == 0);
    CHECK(result.total(FilterSet::all, VariantType::snp, GenotypeClass::homalt).query_fp == 1);
    CHECK(result.total(FilterSet::all, VariantType::snp, GenotypeClass::het).truth_fn == 1);
}

TEST_CASE("evaluate: multi-allelic het 1/2", "[evaluation][evaluate]") {
    const auto result = window(701, 800);
    // 720: 1/2 SNP vs two 0/1 records -> 2 TP; 761: 1/2 del/ins with other padding -> 2 TP;
    // 790: 1/2 called 1/1 -> 2 FN, 1 FP (FP.gt).
    const Counts snp = result.total(FilterSet::all, VariantType::snp);
    const Counts indel = result.total(FilterSet::all, VariantType::indel);
    CHECK(snp.truth_total == 4);
    CHECK(snp.truth_tp == 2);
    CHECK(snp.truth_fn == 2);
    CHECK(snp.query_tp == 2);
    CHECK(snp.query_fp == 1);
    CHECK(snp.fp_gt == 1);
    CHECK(indel.truth_tp == 2);
    CHECK(indel.query_tp == 2);
    CHECK(result.total(FilterSet::all, std::nullopt, GenotypeClass::hetalt).truth_total == 6);
}

TEST_CASE("calls outside the confident regions are UNK; truth there is not counted", "[evaluation][evaluate]") {
    const auto without_bed = window(901, 1000);
    CHECK(without_bed.total(FilterSet::all).truth_total == 2);
    CHECK(without_bed.total(FilterSet::all).query_fp == 1);
    CHECK(without_bed.total(FilterSet::all).query_unk == 0);

    const auto with_bed = window(901, 1000, true);
    const Counts all = with_bed.total(FilterSet::all);
    CHECK(all.truth_total == 1);
    CHECK(all.truth_tp == 1);
    CHECK(all.query_total == 3);
    CHECK(all.query_tp == 1);
    CHECK(all.query_fp == 0);
    CHECK(all.query_unk == 2);
    CHECK(compute_metrics(all).frac_na.value() == Approx(2.0 / 3.0));
    CHECK(with_bed.truth_statistics.outside_confident == 1);
}

TEST_CASE("filtered query calls count in ALL rows only", "[evaluation][evaluate]") {
    const auto result = window(1101, 1200);
    const Counts all = result.total(FilterSet::all);
    const Counts pass = result.total(FilterSet::pass);
    CHECK(all.query_total == 3);
    CHECK(all.query_tp == 1);
    CHECK(all.query_fp == 2);
    CHECK(all.truth_tp == 1);
    CHECK(pass.query_total == 1);  // only the FILTER '.' call
    CHECK(pass.query_fp == 1);
    CHECK(pass.truth_tp == 0);
    CHECK(pass.truth_fn == 1);
}

TEST_CASE("0/0 and ./. query records are not calls", "[evaluation][evaluate]") {
    const auto result = window(1301, 1400);
    const Counts all = result.total(FilterSet::all);
    CHECK(all.query_total == 1);
    CHECK(all.query_tp == 1);
    CHECK(result.query_statistics.records == 3);
    CHECK(result.query_statistics.calls == 1);
}

TEST_CASE("SNP + insertion match one complex record", "[evaluation][evaluate]") {
    const auto result = window(1501, 1600);
    const Counts all = result.total(FilterSet::all);
    CHECK(all.truth_total == 2);
    CHECK(all.truth_tp == 2);
    CHECK(all.query_tp == 1);
    CHECK(all.query_fp == 0);
}

TEST_CASE("truth records failing FILTER are ignored", "[evaluation][evaluate]") {
    const auto result = window(1701, 1800);
    CHECK(result.total(FilterSet::all).truth_total == 0);
    CHECK(result.truth_statistics.not_pass_ignored == 1);
}

TEST_CASE("whole-fixture totals and chr20 vs 20 naming", "[evaluation][evaluate]") {
    EvaluationOptions options = fixture_options();
    options.confident_regions = fixture("confident.bed");
    const auto reference_run = evaluate_calls(options);
    const Counts expected = reference_run.total(FilterSet::all);
    CHECK(expected.truth_total == 16);
    CHECK(expected.truth_tp == 13);
    CHECK(expected.query_unk == 2);

    SECTION("query VCF spelled '20'") {
        options.query_path = fixture("query_20.vcf.gz");
        const auto result = evaluate_calls(options);
        CHECK(result.total(FilterSet::all).truth_tp == expected.truth_tp);
        CHECK(result.total(FilterSet::all).query_fp == expected.query_fp);
        CHECK(result.total(FilterSet::pass).query_total == reference_run.total(FilterSet::pass).query_total);
    }
    SECTION("reference and BED spelled '20', VCFs 'chr20'") {
        options.reference_path = fixture("mini_ref_20.fa");
        options.confident_regions = fixture("confident_20.bed");
        options.target_regions = "chr20:1-2000";
        const auto result = evaluate_calls(options);
        CHECK(result.contigs == std::vector<std::string>{"20"});
        CHECK(result.total(FilterSet::all).truth_tp == expected.truth_tp);
        CHECK(result.total(FilterSet::all).query_unk == expected.query_unk);
    }
}

TEST_CASE("a truth set compared with itself is perfect (real GIAB records)", "[evaluation][evaluate]") {
    EvaluationOptions options;
    options.truth_path = std::string(GENODOSE_TEST_DATA) + "/io/mini_truth.vcf.gz";
    options.query_path = options.truth_path;
    options.reference_path = std::string(GENODOSE_TEST_DATA) + "/io/mini_ref.fa.gz";
    const auto result = evaluate_calls(options);
    const Counts all = result.total(FilterSet::all);
    CHECK(result.record_counts[0].truth_total == 68);
    CHECK(result.record_counts[0].truth_tp == 68);
    CHECK(all.truth_total == 70);  // two of the records are 1/2: counted per ALT allele
    CHECK(all.truth_tp == all.truth_total);
    CHECK(all.query_tp == all.query_total);
    CHECK(compute_metrics(all).f1.value() == Approx(1.0));
    CHECK(result.matching.clusters_too_complex == 0);
}

TEST_CASE("bad inputs raise InputError naming the file", "[evaluation][evaluate][errors]") {
    EvaluationOptions options = fixture_options();
    SECTION("query without index") {
        options.query_path = fixture("query_noindex.vcf.gz");
        CHECK_THROWS_AS(evaluate_calls(options), InputError);
        CHECK_THROWS_WITH(evaluate_calls(options), Catch::Contains("query_noindex.vcf.gz") && Catch::Contains("index"));
    }
    SECTION("missing truth") {
        options.truth_path = fixture("nothere.vcf.gz");
        CHECK_THROWS_AS(evaluate_calls(options), InputError);
    }
    SECTION("unknown sample") {
        options.query_sample = "NOBODY";
        CHECK_THROWS_WITH(evaluate_calls(options), Catch::Contains("NOBODY"));
    }
    SECTION("BED on contigs the reference lacks") {
        TempDir dir;
        const std::string bed = (dir.path / "other.bed").string();
        std::ofstream(bed) << "chr7\t0\t100\n";
        options.confident_regions = bed;
        CHECK_THROWS_AS(evaluate_calls(options), InputError);
    }
    SECTION("a reference of another genome (REF alleles disagree)") {
        TempDir dir;
        const std::string fasta = (dir.path / "other.fa").string();
        std::string sequence;
        for (int i = 0; i < 2000; ++i) sequence += "ACGT"[(i * 7 + i / 3) % 4];
        std::ofstream(fasta) << ">chr20\n" << sequence << "\n";
        std::ofstream(fasta + ".fai") << "chr20\t2000\t7\t2000\t2001\n";
        options.reference_path = fasta;
        CHECK_THROWS_WITH(evaluate_calls(options), Catch::Contains("disagrees with the reference"));
    }
}

TEST_CASE("outputs: hap.py columns, JSON strata, all-or-nothing", "[evaluation][report]") {
    EvaluationOptions options = fixture_options();
    options.confident_regions = fixture("confident.bed");
    options.keep_decisions = true;
    const auto result = evaluate_calls(options);

    const std::string csv = summary_csv(result);
    CHECK(csv.rfind("Type,Filter,TRUTH.TOTAL,TRUTH.TP,TRUTH.FN,QUERY.TOTAL,QUERY.FP,QUERY.UNK,FP.gt,"
                    "METRIC.Recall,METRIC.Precision,METRIC.Frac_NA,METRIC.F1_Score\n",
                    0) == 0);
    CHECK(csv.find("\nINDEL,ALL,") != std::string::npos);
    CHECK(csv.find("\nINDEL,PASS,") != std::string::npos);
    CHECK(csv.find("\nSNP,ALL,") != std::string::npos);
    CHECK(csv.find("\nSNP,PASS,") != std::string::npos);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);

    const std::string json = metrics_json(result, {options, "genodose evaluate test"});
    CHECK(json.find("\"genotype_strata\"") != std::string::npos);
    CHECK(json.find("\"Genotype\": \"homalt\"") != std::string::npos);
    CHECK(json.find("\"Genotype\": \"het\"") != std::string::npos);
    CHECK(json.find("\"record_level\"") != std::string::npos);

    const std::string decisions = decisions_tsv(result);
    CHECK(decisions.find("chr20\t520\tG\tT\tQUERY\tSNP\thomalt\tPASS\tFP\tFP\t1\t520\n") != std::string::npos);

    TempDir dir;
    const std::string prefix = (dir.path / "run").string();
    write_evaluation_outputs(result, {options, "x"}, prefix);
    CHECK(std::filesystem::exists(prefix + ".summary.csv"));
    CHECK(std::filesystem::exists(prefix + ".metrics.json"));
    CHECK(std::filesystem::exists(prefix + ".decisions.tsv"));
    std::ifstream written(prefix + ".summary.csv");
    const std::string content((std::istreambuf_iterator<char>(written)), std::istreambuf_iterator<char>());
    CHECK(content == csv);

    const std::string missing = (dir.path / "no" / "such" / "run").string();
    CHECK_THROWS_AS(EvaluationOutputs(missing, false), OutputError);
    CHECK_THROWS_AS(write_evaluation_outputs(result, {options, "x"}, missing), OutputError);
    CHECK_FALSE(std::filesystem::exists(missing + ".summary.csv"));

    // A run that fails after the outputs were opened leaves neither new nor stale files.
    {
        EvaluationOutputs abandoned(prefix, true);
        CHECK_FALSE(std::filesystem::exists(prefix + ".summary.csv"));  // the earlier run's file is gone
    }
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path), std::filesystem::directory_iterator{}) == 0);
}
