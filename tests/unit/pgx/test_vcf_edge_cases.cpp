// VCF edge cases: half calls, header lines the file
// leaves out, contradictory duplicate records, --missing-to-ref on a gene the input does not
// cover, and the texts that say why a position is not usable.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "genodose/core/error.hpp"
#include "pgx_test_support.hpp"

using namespace genodose;
using namespace genodose::pgx;
using namespace pgx_test;

namespace {

const PositionObservation& position(const SampleGenotype& sample, const std::string& key) {
    return sample.observations.positions[target_index(key)];
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool any_contains(const std::vector<std::string>& texts, const std::string& part) {
    return std::any_of(texts.begin(), texts.end(), [&](const std::string& text) { return contains(text, part); });
}

// A builder's VCF with some header lines taken out (e.g. every "##contig").
std::string write_without(const VcfBuilder& builder, const std::string& name, const std::string& line_prefix) {
    std::istringstream in(builder.text());
    const std::string path = scratch_directory() + "/" + name;
    std::ofstream out(path);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(line_prefix, 0) != 0) out << line << "\n";
    return path;
}

// The JSON `genodose genotype` writes for `vcf`.
nlohmann::json run_command(const std::string& vcf, bool missing_to_ref, const std::string& name) {
    GenotypeOptions options;
    options.vcf = vcf;
    options.output = scratch_directory() + "/" + name;
    options.data_directory = std::string(GENODOSE_SOURCE_DIR) + "/data";
    options.missing_to_ref = missing_to_ref;
    run_genotype(options);
    std::ifstream in(options.output);
    return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("a half call or haploid call with a non-reference allele leaves the gene uncalled", "[pgx][vcf][partial]") {
    // PharmCAT keeps './1' ("there's a variation") and then calls no diplotype for the gene
    // (partially missing alleles); './0' and '0' say nothing and count as a missing position.
    const std::vector<std::string> variant_calls = {"./1", ".|1", "1/.", "1"};
    const std::string path = VcfBuilder({"half", "half_phased", "half_reversed", "haploid", "half_ref", "haploid_ref"})
                                 .all_reference()
                                 .set("rs1057910", {"./1", ".|1", "1/.", "1", "./0", "0"})
                                 .set("rs2108622", {"./1", "0/0", "0/0", "0/0", "0/0", "0/0"})
                                 .write("half_calls.vcf");
    const auto samples = genotype_vcf(path);
    REQUIRE(samples.size() == 6);
    for (std::size_t s = 0; s < variant_calls.size(); ++s) {
        INFO("GT " << variant_calls[s]);
        const GeneGenotype& cyp2c9 = gene(samples[s], "CYP2C9");
        CHECK(cyp2c9.call.status == CallStatus::no_call);
        CHECK(cyp2c9.call.best.empty());
        CHECK_FALSE(cyp2c9.phenotype);
        CHECK_FALSE(cyp2c9.activity_score);
        CHECK(position(samples[s], "rs1057910").status == ObservationStatus::not_called);
        CHECK(position(samples[s], "rs1057910").partial_variant);
        // The reason names the position and the genotype, first among the notes.
        REQUIRE_FALSE(cyp2c9.call.notes.empty());
        CHECK(contains(cyp2c9.call.notes.front(), "rs1057910"));
        CHECK(contains(cyp2c9.call.notes.front(), variant_calls[s]));
        CHECK(contains(cyp2c9.call.notes.front(), "no call"));
    }
    // CYP4F2*3's position: the same.
    const GeneGenotype& cyp4f2 = gene(samples[0], "CYP4F2");
    CHECK(cyp4f2.call.status == CallStatus::no_call);
    CHECK(cyp4f2.call.best.empty());
    CHECK(reported(cyp4f2, "rs2108622") == "<missing>");
    CHECK(any_note_contains(cyp4f2, "rs2108622"));
    // Other genes of those samples are unaffected.
    CHECK(diplotypes(gene(samples[1], "CYP4F2")) == std::vector<std::string>{"*1/*1"});
    // './0' and haploid '0': a missing position, the gene called without it (as before).
    for (std::size_t s : {4u, 5u}) {
        const GeneGenotype& cyp2c9 = gene(samples[s], "CYP2C9");
        CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*1/*1"});
        CHECK(position(samples[s], "rs1057910").status == ObservationStatus::not_called);
        CHECK_FALSE(position(samples[s], "rs1057910").partial_variant);
        CHECK(std::find(cyp2c9.call.untestable_alleles.begin(), cyp2c9.call.untestable_alleles.end(), "*3") !=
              cyp2c9.call.untestable_alleles.end());
    }
    // In the JSON: no_call, no diplotype, the reason in the notes and in the position's detail.
    GenotypeReportInfo info;
    info.input = path;
    info.input_kind = "vcf";
    const auto json = nlohmann::json::parse(genotype_report_json(dataset(), targets(), samples, info));
    const auto& half = json["samples"][0]["genes"]["CYP2C9"];
    CHECK(half["status"] == "no_call");
    CHECK(half["diplotypes"].empty());
    CHECK(half["phenotype"].is_null());
    CHECK(half["match_score"].is_null());
    bool detail_found = false;
    for (const auto& p : half["positions"])
        if (p["rsid"] == "rs1057910")
            detail_found = p.contains("detail") && contains(p["detail"].get<std::string>(), "./1");
    CHECK(detail_found);
}

TEST_CASE("a VCF without ##contig lines or with undeclared tags is genotyped, with a warning", "[pgx][vcf][header]") {
    const VcfBuilder builder = VcfBuilder({"s"}).all_reference().set("rs1057910", {"0/1"});
    SECTION("no ##contig lines") {
        const std::string path = write_without(builder, "no_contigs.vcf", "##contig");
        const auto vcf = observations_from_vcf(dataset(), targets(), {path, {}, GenomeBuild::grch38});
        const SampleGenotype sample = genotype_sample(dataset(), targets(), vcf.samples[0]);
        CHECK(diplotypes(gene(sample, "CYP2C9")) == std::vector<std::string>{"*1/*3"});
        CHECK(gene(sample, "CYP2C9").call.missing_positions.empty());
        CHECK(diplotypes(gene(sample, "VKORC1")) ==
              std::vector<std::string>{"rs9923231 reference (C)/rs9923231 reference (C)"});
        CHECK(any_contains(vcf.warnings, "contig chr10"));
    }
    SECTION("an undeclared FILTER, and a FORMAT field") {
        const std::string path = write_without(builder, "no_lowqual.vcf", "##FILTER=<ID=LowQual");
        std::ifstream in(path);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::string original = "\tPASS\t.\tGT\t0/1\n";
        const auto at = text.find(original);
        REQUIRE(at != std::string::npos);
        text.replace(at, original.size(), "\tLowQual\t.\tGT:XY\t0/1:7\n");
        std::ofstream(path) << text;
        const auto vcf = observations_from_vcf(dataset(), targets(), {path, {}, GenomeBuild::grch38});
        const SampleGenotype sample = genotype_sample(dataset(), targets(), vcf.samples[0]);
        CHECK(diplotypes(gene(sample, "CYP2C9")) == std::vector<std::string>{"*1/*3"});
        CHECK(position(sample, "rs1057910").filters == std::vector<std::string>{"LowQual"});
        CHECK(any_contains(vcf.warnings, "FILTER/LowQual"));
        CHECK(any_contains(vcf.warnings, "FORMAT/XY"));
    }
}

TEST_CASE("contradictory duplicate records make the position conflicting, not a merged call",
          "[pgx][vcf][duplicates]") {
    const std::string hom_alt = "chr10\t94981296\trs1057910\tA\tC\t.\tPASS\t.\tGT\t1/1";
    const std::string hom_ref = "chr10\t94981296\trs1057910\tA\tC\t.\tPASS\t.\tGT\t0/0";
    SECTION("0/0 then 1/1, and 1/1 then 0/0") {
        for (const bool reversed : {false, true}) {
            INFO((reversed ? "1/1 first" : "0/0 first"));
            VcfBuilder builder({"s"});
            builder.all_reference().remove("rs1057910");
            if (reversed) builder.raw(hom_alt).raw(hom_ref);
            else builder.raw(hom_ref).raw(hom_alt);
            const std::string path = builder.write("dup_ref_alt.vcf");
            const auto vcf = observations_from_vcf(dataset(), targets(), {path, {}, GenomeBuild::grch38});
            const SampleGenotype sample = genotype_sample(dataset(), targets(), vcf.samples[0]);
            CHECK(position(sample, "rs1057910").status == ObservationStatus::conflicting);
            const GeneGenotype& cyp2c9 = gene(sample, "CYP2C9");
            CHECK(diplotypes(cyp2c9) ==
                  std::vector<std::string>{"*1/*1"});  // without the position, as for any conflict
            CHECK(any_note_contains(cyp2c9, "rs1057910 (chr10:94981296) not used"));
            CHECK(any_contains(vcf.warnings, "rs1057910"));
        }
    }
    SECTION("0/1 and 1/1 (already conflicting) also warn") {
        const std::string path =
            VcfBuilder({"s"}).all_reference().set("rs1057910", {"0/1"}).raw(hom_alt).write("dup_het_hom.vcf");
        const auto vcf = observations_from_vcf(dataset(), targets(), {path, {}, GenomeBuild::grch38});
        CHECK(vcf.samples[0].positions[target_index("rs1057910")].status == ObservationStatus::conflicting);
        CHECK(any_contains(vcf.warnings, "rs1057910"));
    }
    SECTION("a confident gVCF reference block over a hom-alt record") {
        const std::string path =
            VcfBuilder({"s"})
                .raw("chr10\t94981290\t.\tA\t<NON_REF>\t.\t.\tEND=94981300\tGT:GQ:MIN_DP\t0/0:50:30")
                .raw("chr10\t94981296\t.\tA\tC,<NON_REF>\t50\t.\t.\tGT:GQ:MIN_DP\t1/1:50:30")
                .write("block_over_variant.g.vcf");
        const auto vcf = observations_from_vcf(dataset(), targets(), {path, {}, GenomeBuild::grch38});
        const auto& observation = vcf.samples[0].positions[target_index("rs1057910")];
        CHECK(observation.status == ObservationStatus::conflicting);
        CHECK(contains(observation.detail, "reference block"));
        const SampleGenotype sample = genotype_sample(dataset(), targets(), vcf.samples[0]);
        const GeneGenotype& cyp2c9 = gene(sample, "CYP2C9");
        CHECK(diplotypes(cyp2c9) != std::vector<std::string>{"*3/*3"});
        CHECK(any_note_contains(cyp2c9, "rs1057910 (chr10:94981296) not used"));
        CHECK(any_contains(vcf.warnings, "rs1057910"));
    }
    SECTION("a reference call without ALT (A . 0/0) and a variant call (A C 0/1) at one position") {
        for (const bool reversed : {false, true}) {
            INFO((reversed ? "variant first" : "reference first"));
            const std::string reference = "chr10\t94981296\trs1057910\tA\t.\t.\tPASS\t.\tGT\t0/0";
            const std::string variant = "chr10\t94981296\trs1057910\tA\tC\t.\tPASS\t.\tGT\t0/1";
            VcfBuilder builder({"s"});
            builder.all_reference().remove("rs1057910");
            if (reversed) builder.raw(variant).raw(reference);
            else builder.raw(reference).raw(variant);
            const auto vcf = observations_from_vcf(dataset(), targets(),
                                                   {builder.write("ref_call_and_het.vcf"), {}, GenomeBuild::grch38});
            const auto& observation = vcf.samples[0].positions[target_index("rs1057910")];
            CHECK(observation.status == ObservationStatus::conflicting);
            CHECK(contains(observation.detail, "calls the position reference"));
            CHECK(any_contains(vcf.warnings, "rs1057910"));
        }
        // Two reference calls, or a reference call with a 0/0 record, still agree.
        const auto agree = observations_from_vcf(dataset(), targets(),
                                                 {VcfBuilder({"s"})
                                                      .all_reference()
                                                      .remove("rs1057910")
                                                      .raw("chr10\t94981296\trs1057910\tA\t.\t.\tPASS\t.\tGT\t0/0")
                                                      .raw("chr10\t94981296\trs1057910\tA\tC\t.\tPASS\t.\tGT\t0/0")
                                                      .write("ref_call_and_ref.vcf"),
                                                  {},
                                                  GenomeBuild::grch38});
        CHECK(agree.samples[0].positions[target_index("rs1057910")].status == ObservationStatus::called);
    }
    SECTION("the same het variant phased both ways in one phase set") {
        const std::string path = VcfBuilder({"s"})
                                     .all_reference()
                                     .set("rs1057910", {"0|1"})
                                     .raw("chr10\t94981296\trs1057910\tA\tC\t.\tPASS\t.\tGT\t1|0")
                                     .write("dup_phase.vcf");
        const auto samples = genotype_vcf(path);  // kept: the observation below refers into it
        const auto& observation = samples[0].observations.positions[target_index("rs1057910")];
        CHECK(observation.status == ObservationStatus::conflicting);
        CHECK(contains(observation.detail, "different haplotypes"));
    }
    SECTION("records that agree stay fine") {
        // Identical records count once.
        const auto identical = genotype_vcf(
            VcfBuilder({"s"}).all_reference().set("rs1057910", {"1/1"}).raw(hom_alt).write("dup_identical.vcf"));
        CHECK(diplotypes(gene(identical[0], "CYP2C9")) == std::vector<std::string>{"*3/*3"});
        // *6 written twice, as defined (GA>G at 94949281) and shifted (AA>A at 94949282): one het deletion.
        const auto shifted = genotype_vcf(VcfBuilder({"s"})
                                              .all_reference()
                                              .set("rs9332131", {"0/1"})
                                              .raw("chr10\t94949282\t.\tAA\tA\t50\tPASS\t.\tGT\t0/1")
                                              .write("dup_star6.vcf"));
        CHECK(position(shifted[0], "rs9332131").status == ObservationStatus::called);
        CHECK(diplotypes(gene(shifted[0], "CYP2C9")) == std::vector<std::string>{"*1/*6"});
        // A split multi-allelic hom-alt (bcftools norm -m-: G>A 1/1, G>T 0/0) is one genotype, A/A.
        const auto split = genotype_vcf(VcfBuilder({"s"})
                                            .all_reference()
                                            .remove("rs7900194")
                                            .raw("chr10\t94942309\trs7900194\tG\tA\t50\tPASS\t.\tGT\t1/1")
                                            .raw("chr10\t94942309\trs7900194\tG\tT\t50\tPASS\t.\tGT\t0/0")
                                            .write("split_hom.vcf"));
        CHECK(position(split[0], "rs7900194").status == ObservationStatus::called);
        CHECK(diplotypes(gene(split[0], "CYP2C9")) == std::vector<std::string>{"*8/*8"});
        // A 0/0 gVCF record at a variant's position from another tool's block, with the variant
        // record 0/0 too: both say reference.
        const auto both_ref =
            genotype_vcf(VcfBuilder({"s"})
                             .raw("chr10\t94981290\t.\tA\t<NON_REF>\t.\t.\tEND=94981300\tGT:GQ:MIN_DP\t0/0:50:30")
                             .raw("chr10\t94981296\t.\tA\tC,<NON_REF>\t50\t.\t.\tGT:GQ:MIN_DP\t0/0:50:30")
                             .write("block_and_ref_record.g.vcf"));
        CHECK(position(both_ref[0], "rs1057910").status == ObservationStatus::called);
    }
}

TEST_CASE("--missing-to-ref warns when a gene has no record at all", "[pgx][vcf][missing]") {
    // Two chr10 records only: CYP4F2 (chr19) and VKORC1 (chr16) are not covered by the input.
    const std::string path =
        VcfBuilder({"s"}).set("rs1799853", {"0/1"}).set("rs1057910", {"0/0"}).write("chr10_only.vcf");
    const auto json = run_command(path, true, "chr10_only.json");
    const auto warnings = json["warnings"].get<std::vector<std::string>>();
    CHECK(any_contains(warnings, "CYP4F2"));
    CHECK(any_contains(warnings, "VKORC1"));
    CHECK_FALSE(any_contains(warnings, "CYP2C9"));  // it has records: the usual per-gene note only
    const auto& cyp4f2 = json["samples"][0]["genes"]["CYP4F2"];
    CHECK(cyp4f2["diplotypes"] == nlohmann::json::array({"*1/*1"}));  // still the documented opt-in behaviour
    CHECK(any_contains(cyp4f2["notes"].get<std::vector<std::string>>(), "no record at any of the 20 CYP4F2 positions"));
    // Without the option nothing is assumed and there is nothing to warn about.
    CHECK(run_command(path, false, "chr10_only_strict.json")["warnings"].empty());

    // The library call returns the same warnings (e.g. for `genodose run`).
    auto vcf = observations_from_vcf(dataset(), targets(), {path, {}, GenomeBuild::grch38});
    const auto returned = assume_reference_for_missing(targets(), vcf.samples[0]);
    REQUIRE(returned.size() == 2);
    CHECK(contains(returned[0], "CYP4F2"));
    CHECK(contains(returned[1], "VKORC1"));
    CHECK(contains(returned[1], "chr16"));
    auto full = observations_from_vcf(
        dataset(), targets(), {VcfBuilder({"s"}).all_reference().write("all_positions.vcf"), {}, GenomeBuild::grch38});
    CHECK(assume_reference_for_missing(targets(), full.samples[0]).empty());
}

TEST_CASE("a record at the position with another shape is not called 'no record'", "[pgx][vcf][messages]") {
    for (const std::string alt : {".", "GA"}) {
        INFO("ALT " << alt);
        const std::string path =
            VcfBuilder({"s"})
                .all_reference()
                .remove("rs9332131")
                .raw("chr10\t94949281\t.\tG\t" + alt + "\t.\tPASS\t.\tGT\t" + (alt == "." ? "0/0" : "0/1"))
                .write("star6_other_shape.vcf");
        const auto samples = genotype_vcf(path);
        const PositionObservation& observation = position(samples[0], "rs9332131");
        CHECK(observation.status == ObservationStatus::missing);  // as PharmCAT: not usable
        CHECK_FALSE(contains(observation.detail, "no record in the input"));
        CHECK(contains(observation.detail, "94949281"));
        CHECK(contains(observation.detail, "G>" + alt));
    }
}
