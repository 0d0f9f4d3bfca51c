// Untested alleles are not absent alleles (issue 22): a key (AMP tier-1) allele the input did not
// test never becomes a confident phenotype; a targeted assay gets the call its alleles decide,
// beside PharmCAT's tied candidates; a GRCh37 input read as GRCh38 says so; VCF keys outside the
// naming rule are read as bcftools reads them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "pgx_test_support.hpp"

using namespace genodose;
using namespace genodose::pgx;
using namespace pgx_test;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool any_contains(const std::vector<std::string>& texts, const std::string& part) {
    return std::any_of(texts.begin(), texts.end(), [&](const std::string& text) { return contains(text, part); });
}

nlohmann::json gene_json(const std::vector<SampleGenotype>& samples, std::size_t sample, const std::string& gene) {
    GenotypeReportInfo info;
    info.input = "in.vcf";
    info.input_kind = "vcf";
    return nlohmann::json::parse(
        genotype_report_json(dataset(), targets(), samples, info))["samples"][sample]["genes"][gene];
}

// The four positions of the common targeted warfarin assay, nothing else.
VcfBuilder targeted_assay(const std::vector<std::string>& samples, const std::vector<std::string>& rs1799853,
                          const std::vector<std::string>& rs1057910) {
    VcfBuilder builder(samples);
    builder.set("rs1799853", rs1799853).set("rs1057910", rs1057910).set("rs9923231", {"0/1"}).set("rs2108622", {"0/0"});
    return builder;
}

}  // namespace

TEST_CASE("a *3 position that is a no-call or fails the REF check leaves the CYP2C9 phenotype undetermined",
          "[pgx][untested]") {
    const std::string path = VcfBuilder({"nocall", "ref_mismatch", "complete"})
                                 .all_reference()
                                 .set("rs1057910", {"./.", "0/0", "0/0"})
                                 .write("untested_star3.vcf");
    // A fourth sample whose record at rs1057910 has a REF that is not GRCh38's.
    const std::string mismatch_path = VcfBuilder({"s"})
                                          .all_reference()
                                          .remove("rs1057910")
                                          .raw("chr10\t94981296\trs1057910\tG\tC\t50\tPASS\t.\tGT\t0/0")
                                          .write("untested_star3_mismatch.vcf");

    auto samples = genotype_vcf(path);
    samples.push_back(genotype_vcf(mismatch_path).front());
    for (std::size_t s : {0u, 3u}) {
        INFO("sample " << s);
        const GeneGenotype& cyp2c9 = gene(samples[s], "CYP2C9");
        // PharmCAT's call is unchanged (*1/*1, status called)...
        CHECK(cyp2c9.call.status == CallStatus::called);
        CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*1/*1"});
        // ...but no confident phenotype: *3 was not tested.
        CHECK(cyp2c9.key_alleles_not_tested == std::vector<std::string>{"*3"});
        CHECK_FALSE(cyp2c9.phenotype);
        CHECK_FALSE(cyp2c9.activity_score);
        REQUIRE(cyp2c9.phenotype_qualifier);
        CHECK(*cyp2c9.phenotype_qualifier == "*3 not tested");
        CHECK(cyp2c9.phenotype_if_untested_absent == std::optional<std::string>("Normal Metabolizer"));
        CHECK(cyp2c9.activity_score_if_untested_absent == std::optional<double>(2.0));
        REQUIRE_FALSE(cyp2c9.call.notes.empty());
        CHECK(contains(cyp2c9.call.notes.front(), "phenotype not determined"));
        CHECK(contains(cyp2c9.call.notes.front(), "rs1057910"));
        const auto json = gene_json(samples, s, "CYP2C9");
        CHECK(json["phenotype"].is_null());
        CHECK(json["phenotype_qualifier"] == "*3 not tested");
        CHECK(json["phenotype_if_untested_absent"] == "Normal Metabolizer");
        CHECK(json["key_alleles_not_tested"] == nlohmann::json::array({"*3"}));
    }
    // Every key position tested: the phenotype stands, no qualifier.
    const GeneGenotype& complete = gene(samples[2], "CYP2C9");
    CHECK(complete.phenotype == std::optional<std::string>("Normal Metabolizer"));
    CHECK_FALSE(complete.phenotype_qualifier);
    CHECK(complete.key_alleles_not_tested.empty());
}

TEST_CASE("an untested key allele does not qualify a call without a reference haplotype", "[pgx][untested]") {
    // *2/*2 with *3's position missing: both haplotypes are *2, so *3 could replace neither.
    const std::string path =
        VcfBuilder({"s"}).all_reference().set("rs1799853", {"1/1"}).remove("rs1057910").write("star2_hom.vcf");
    const auto samples = genotype_vcf(path);
    const GeneGenotype& cyp2c9 = gene(samples.front(), "CYP2C9");
    CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*2/*2"});
    CHECK(cyp2c9.key_alleles_not_tested == std::vector<std::string>{"*3"});
    CHECK_FALSE(cyp2c9.phenotype_qualifier);
    CHECK(cyp2c9.phenotype == std::optional<std::string>("Intermediate Metabolizer"));
}

TEST_CASE("a targeted assay gets the call from the alleles it tests, beside PharmCAT's tied candidates",
          "[pgx][untested][targeted]") {
    const auto samples = genotype_vcf(
        targeted_assay({"star2_star3", "reference"}, {"0/1", "0/0"}, {"0/1", "0/0"}).write("targeted.vcf"));
    const GeneGenotype& het = gene(samples[0], "CYP2C9");
    // PharmCAT semantics unchanged: several diplotypes tie (*18 and others reduce to *3 here).
    CHECK(het.call.status == CallStatus::called);
    CHECK(het.call.best.size() > 1);
    const std::vector<std::string> tied = diplotypes(het);
    CHECK(std::find(tied.begin(), tied.end(), "*2/*3") != tied.end());
    CHECK_FALSE(het.phenotype);  // the tied diplotypes disagree
    // From the alleles the assay tests: *2/*3, with its phenotype.
    REQUIRE(het.tested_call);
    CHECK(het.tested_call->name == "*2/*3");
    CHECK(het.tested_call->phenotype == std::optional<std::string>("Poor Metabolizer"));
    CHECK(het.tested_call->activity_score == std::optional<double>(0.5));
    CHECK(het.tested_alleles == std::vector<std::string>{"*1", "*2", "*3"});
    CHECK(het.key_alleles_not_tested == std::vector<std::string>{"*5", "*6", "*8", "*11"});
    CHECK_FALSE(het.phenotype_qualifier);  // neither haplotype could be an untested allele
    CHECK(any_note_contains(het, "from the alleles the input tests"));
    const auto json = gene_json(samples, 0, "CYP2C9");
    CHECK(json["call_from_tested_alleles"]["diplotype"] == "*2/*3");
    CHECK(json["diplotypes"].size() == het.call.best.size());

    // The assay's reference result: *1/*1, Normal only if *5/*6/*8/*11 are absent.
    const GeneGenotype& reference = gene(samples[1], "CYP2C9");
    CHECK(diplotypes(reference) == std::vector<std::string>{"*1/*1"});
    REQUIRE(reference.tested_call);
    CHECK(reference.tested_call->name == "*1/*1");
    CHECK_FALSE(reference.phenotype);
    CHECK(reference.phenotype_qualifier == std::optional<std::string>("*5, *6, *8, *11 not tested"));
    CHECK(reference.phenotype_if_untested_absent == std::optional<std::string>("Normal Metabolizer"));
}

TEST_CASE("a complete input: the call from tested alleles is PharmCAT's call, nothing is qualified",
          "[pgx][untested]") {
    const auto samples = genotype_vcf(
        VcfBuilder({"s"}).all_reference().set("rs1799853", {"0/1"}).set("rs1057910", {"0/1"}).write("complete_23.vcf"));
    const GeneGenotype& cyp2c9 = gene(samples[0], "CYP2C9");
    CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*2/*3"});
    REQUIRE(cyp2c9.tested_call);
    CHECK(cyp2c9.tested_call->name == "*2/*3");
    CHECK(cyp2c9.key_alleles_not_tested.empty());
    CHECK_FALSE(cyp2c9.phenotype_qualifier);
    CHECK(cyp2c9.tested_alleles.size() == dataset().gene("CYP2C9")->alleles.size());
}

TEST_CASE("a key position genotyped with low quality leaves the phenotype undetermined", "[pgx][untested][quality]") {
    // A reference call from two reads (GQ 7): a heterozygote is still ~20% likely.
    const std::string path =
        VcfBuilder({"s"}).with_format("GT:DP:GQ").with_depth(2, 7).all_reference().write("low_gq.vcf");
    const auto samples = genotype_vcf(path);
    const GeneGenotype& cyp2c9 = gene(samples.front(), "CYP2C9");
    CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*1/*1"});
    CHECK(cyp2c9.key_alleles_not_tested.empty());
    CHECK(cyp2c9.key_alleles_low_quality.size() == 6);
    CHECK_FALSE(cyp2c9.phenotype);
    CHECK(cyp2c9.phenotype_if_untested_absent == std::optional<std::string>("Normal Metabolizer"));
    REQUIRE(cyp2c9.phenotype_qualifier);
    CHECK(contains(*cyp2c9.phenotype_qualifier, "*3 (GQ 7)"));
    CHECK(contains(*cyp2c9.phenotype_qualifier, "low genotype quality"));
}

TEST_CASE("a GRCh37 VCF without contig lengths read as GRCh38 warns that the build is probably wrong",
          "[pgx][vcf][grch37]") {
    const std::string path = VcfBuilder({"s"}, GenomeBuild::grch37).all_reference().write("grch37_guess.vcf");
    const auto vcf = observations_from_vcf(dataset(), targets(GenomeBuild::grch38), {path, {}, GenomeBuild::grch38});
    CHECK(any_contains(vcf.warnings, "probably GRCh37"));
    CHECK(any_contains(vcf.warnings, "--build GRCh37"));
    // Read with the right build: no such warning.
    const auto right = observations_from_vcf(dataset(), targets(GenomeBuild::grch37), {path, {}, GenomeBuild::grch37});
    CHECK_FALSE(any_contains(right.warnings, "probably"));
    // A GRCh38 VCF that simply does not cover the genes: no build warning either.
    const std::string elsewhere =
        VcfBuilder({"s"}).raw("chr10\t100000\t.\tA\tG\t50\tPASS\t.\tGT\t0/1").write("no_genes.vcf");
    const auto none = observations_from_vcf(dataset(), targets(), {elsewhere, {}, GenomeBuild::grch38});
    CHECK_FALSE(any_contains(none.warnings, "probably"));
}

TEST_CASE("INFO/FORMAT keys outside the VCF naming rule are read as bcftools reads them, with a warning",
          "[pgx][vcf][names]") {
    // PharmCAT's own test VCFs use keys with '-'; htslib and bcftools read them with a warning.
    const std::string path = VcfBuilder({"s"})
                                 .all_reference()
                                 .remove("rs1057910")
                                 .raw("chr10\t94981296\trs1057910\tA\tC\t50\tPASS\tPX-INFO=1\tGT:AD-X\t0/1:3")
                                 .write("dash_keys.vcf");
    const auto vcf = observations_from_vcf(dataset(), targets(), {path, {}, GenomeBuild::grch38});
    CHECK(any_contains(vcf.warnings, "INFO/PX-INFO"));
    CHECK(any_contains(vcf.warnings, "FORMAT/AD-X"));
    CHECK(any_contains(vcf.warnings, "naming rule"));
    const GeneGenotype cyp2c9 = genotype_sample(dataset(), targets(), vcf.samples[0]).genes[0];
    CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*1/*3"});
}
