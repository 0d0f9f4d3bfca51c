// VCF → genotypes, end to end through the library (the CLI adds only option parsing).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "genodose/core/error.hpp"
#include "pgx_test_support.hpp"

using namespace genodose;
using namespace genodose::pgx;
using namespace pgx_test;

namespace {

std::string message_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const InputError& e) {
        return e.what();
    }
    return "<no InputError>";
}

}  // namespace

TEST_CASE("every CYP2C9 allele defined by a single SNV is called het and hom from a VCF", "[pgx][vcf][cyp2c9]") {
    const GeneDefinition& cyp2c9 = *dataset().gene("CYP2C9");
    std::size_t tested = 0;
    for (std::size_t a = 1; a < cyp2c9.alleles.size(); ++a) {
        const NamedAllele& allele = cyp2c9.alleles[a];
        std::vector<std::size_t> cells;
        for (std::size_t p = 0; p < allele.alleles.size(); ++p)
            if (allele.alleles[p]) cells.push_back(p);
        if (cells.size() != 1 || !cyp2c9.positions[cells[0]].is_snv()) continue;
        const DefinedPosition& position = cyp2c9.positions[cells[0]];
        const auto alt = std::find(position.alts.begin(), position.alts.end(), *allele.alleles[cells[0]]);
        REQUIRE(alt != position.alts.end());
        const std::string index = std::to_string(alt - position.alts.begin() + 1);
        const std::string key =
            position.rsid.empty() ? position.chromosome + ":" + std::to_string(position.position + 1) : position.rsid;
        INFO(allele.name << " at " << position.label());
        const std::string path = VcfBuilder({"het", "hom"})
                                     .all_reference()
                                     .set(key, {"0/" + index, index + "/" + index})
                                     .write("single_snv.vcf");
        const auto samples = genotype_vcf(path);
        REQUIRE(samples.size() == 2);
        const GeneGenotype& het = gene(samples[0], "CYP2C9");
        const GeneGenotype& hom = gene(samples[1], "CYP2C9");
        CHECK(diplotypes(het) == std::vector<std::string>{"*1/" + allele.name});
        CHECK(het.call.match_score == 84);
        CHECK(diplotypes(hom) == std::vector<std::string>{allele.name + "/" + allele.name});
        CHECK(hom.call.match_score == 2);
        // Phenotype straight from the shipped table, whenever the table knows the diplotype.
        if (const auto* row = cyp2c9.phenotypes->diplotype("*1", allele.name)) {
            CHECK(het.phenotype == row->phenotype);
            CHECK(het.activity_score == row->activity_score);
        } else {
            CHECK_FALSE(het.phenotype);
        }
        ++tested;
    }
    CHECK(tested == 78);  // 88 alleles − *1 − 3 deletions (*6, *25, *85) − 6 two-position alleles
}

TEST_CASE("CYP2C9 phenotypes and activity scores agree with CPIC for the warfarin alleles", "[pgx][vcf][cyp2c9]") {
    const std::string path = VcfBuilder({"s1s2", "s1s3", "s2s3", "s3s3"})
                                 .all_reference()
                                 .set("rs1799853", {"0/1", "0/0", "0/1", "0/0"})
                                 .set("rs1057910", {"0/0", "0/1", "0/1", "1/1"})
                                 .write("warfarin_alleles.vcf");
    const auto samples = genotype_vcf(path);
    const struct {
        const char* diplotype;
        const char* phenotype;
        double score;
    } expected[] = {{"*1/*2", "Intermediate Metabolizer", 1.5},
                    {"*1/*3", "Intermediate Metabolizer", 1.0},
                    {"*2/*3", "Poor Metabolizer", 0.5},
                    {"*3/*3", "Poor Metabolizer", 0.0}};
    for (std::size_t i = 0; i < 4; ++i) {
        const GeneGenotype& cyp2c9 = gene(samples[i], "CYP2C9");
        CHECK(diplotypes(cyp2c9) == std::vector<std::string>{expected[i].diplotype});
        CHECK(cyp2c9.phenotype == std::string(expected[i].phenotype));
        REQUIRE(cyp2c9.activity_score);
        CHECK(*cyp2c9.activity_score == Approx(expected[i].score));
    }
}

TEST_CASE("*6 (rs9332131 GA>G) is matched in any equivalent representation", "[pgx][vcf][indel]") {
    SECTION("as defined, GA>G at 94949281") {
        const auto samples =
            genotype_vcf(VcfBuilder({"s"}).all_reference().set("rs9332131", {"0/1"}).write("star6.vcf"));
        CHECK(diplotypes(gene(samples[0], "CYP2C9")) == std::vector<std::string>{"*1/*6"});
        CHECK(gene(samples[0], "CYP2C9").phenotype == std::string("Intermediate Metabolizer"));
    }
    SECTION("not left-aligned: AA>A at 94949282, in place of the record at the defined position") {
        const auto samples = genotype_vcf(VcfBuilder({"s"})
                                              .all_reference()
                                              .remove("rs9332131")
                                              .raw("chr10\t94949282\t.\tAA\tA\t50\tPASS\t.\tGT\t1/1")
                                              .write("star6_shifted.vcf"));
        CHECK(diplotypes(gene(samples[0], "CYP2C9")) == std::vector<std::string>{"*6/*6"});
    }
    SECTION("not left-aligned, alongside a 0/0 record of the same deletion at the defined position: contradictory") {
        // GA>G 0/0 at 94949281 and AA>A 1/1 at 94949282 are the same deletion called absent and
        // homozygous: the position is conflicting (test_vcf_audit_cases.cpp), not *6/*6.
        const auto samples = genotype_vcf(VcfBuilder({"s"})
                                              .all_reference()
                                              .raw("chr10\t94949282\t.\tAA\tA\t50\tPASS\t.\tGT\t1/1")
                                              .write("star6_shifted_contradicted.vcf"));
        CHECK(samples[0].observations.positions[target_index("rs9332131")].status == ObservationStatus::conflicting);
    }
    SECTION("in a variant-only VCF with --missing-to-ref") {
        const auto samples = genotype_vcf(
            VcfBuilder({"s"}).raw("chr10\t94949282\t.\tAA\tA\t50\tPASS\t.\tGT\t0/1").write("star6_only.vcf"),
            GenomeBuild::grch38, true);
        CHECK(diplotypes(gene(samples[0], "CYP2C9")) == std::vector<std::string>{"*1/*6"});
    }
    SECTION("an SNV on the deletion's anchor base says nothing about the deletion") {
        const auto samples = genotype_vcf(VcfBuilder({"s"})
                                              .all_reference()
                                              .remove("rs9332131")
                                              .raw("chr10\t94949281\t.\tG\tT\t50\tPASS\t.\tGT\t0/1")
                                              .write("star6_anchor_snv.vcf"));
        const GeneGenotype& cyp2c9 = gene(samples[0], "CYP2C9");
        CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*1/*1"});
        const std::size_t t = target_index("rs9332131");
        CHECK(samples[0].observations.positions[t].status == ObservationStatus::missing);
        CHECK(std::find(cyp2c9.call.untestable_alleles.begin(), cyp2c9.call.untestable_alleles.end(), "*6") !=
              cyp2c9.call.untestable_alleles.end());
    }
    SECTION("an SNV inside the deleted bases, with the deletion absent, means no deletion") {
        const auto samples = genotype_vcf(VcfBuilder({"s"})
                                              .all_reference()
                                              .remove("rs9332131")
                                              .raw("chr10\t94949282\t.\tA\tT\t50\tPASS\t.\tGT\t0/1")
                                              .write("star6_inner_snv.vcf"));
        const std::size_t t = target_index("rs9332131");
        CHECK(samples[0].observations.positions[t].status == ObservationStatus::called);
        CHECK(diplotypes(gene(samples[0], "CYP2C9")) == std::vector<std::string>{"*1/*1"});
    }
    SECTION("a different deletion over the same bases is an undocumented allele: no call") {
        const auto samples = genotype_vcf(VcfBuilder({"s"})
                                              .all_reference()
                                              .remove("rs9332131")
                                              .raw("chr10\t94949281\t.\tGAA\tG\t50\tPASS\t.\tGT\t0/1")
                                              .write("star6_other_deletion.vcf"));
        CHECK(gene(samples[0], "CYP2C9").call.status == CallStatus::no_call);
    }
}

TEST_CASE("*25, the 10-bp deletion, matches at its HGVS (right-shifted) position", "[pgx][vcf][indel]") {
    const std::string ref = dataset().reference_bases("chr10", 94942212 - 1, 94942222, GenomeBuild::grch38);
    const auto samples =
        genotype_vcf(VcfBuilder({"s"})
                         .all_reference()
                         .remove("rs1304490498")
                         .raw("chr10\t94942212\t.\t" + ref + "\t" + ref.substr(0, 1) + "\t50\tPASS\t.\tGT\t0/1")
                         .write("star25.vcf"));
    CHECK(diplotypes(gene(samples[0], "CYP2C9")) == std::vector<std::string>{"*1/*25"});
}

TEST_CASE("VKORC1, CYP4F2*3 and rs12777823 genotypes are reported ref-first on the plus strand", "[pgx][vcf]") {
    const std::string path = VcfBuilder({"ref", "het", "hom"})
                                 .all_reference()
                                 .set("rs9923231", {"0/0", "1/0", "1/1"})
                                 .set("rs2108622", {"0/0", "1|0", "1/1"})
                                 .set("rs12777823", {"0/0", "0/1", "1/1"})
                                 .write("warfarin_snps.vcf");
    const auto samples = genotype_vcf(path);
    const char* plus[] = {"C/C", "C/T", "T/T"};
    const char* gene_strand[] = {"G/G", "G/A", "A/A"};
    const char* phenotype[] = {"-1639 GG", "-1639 AG", "-1639 AA"};
    const char* cyp4f2[] = {"*1/*1", "*1/*3", "*3/*3"};
    const char* rs2108622[] = {"C/C", "C/T", "T/T"};
    const char* rs12777823[] = {"G/G", "G/A", "A/A"};
    for (std::size_t i = 0; i < 3; ++i) {
        INFO("sample " << samples[i].observations.sample);
        const GeneGenotype& vkorc1 = gene(samples[i], "VKORC1");
        CHECK(reported(vkorc1, "rs9923231") == plus[i]);
        CHECK(reported(vkorc1, "rs9923231_gene_strand") == gene_strand[i]);
        CHECK(vkorc1.phenotype == std::string(phenotype[i]));
        CHECK(diplotypes(gene(samples[i], "CYP4F2")) == std::vector<std::string>{cyp4f2[i]});
        CHECK(reported(gene(samples[i], "CYP4F2"), "rs2108622") == rs2108622[i]);
        REQUIRE(samples[i].variant_targets.size() == 1);
        const std::size_t t = samples[i].variant_targets[0];
        CHECK(genotype_text(targets()[t], samples[i].observations.positions[t]) == rs12777823[i]);
    }
}

TEST_CASE("phase sets (FORMAT/PS): phase holds within a set, not between sets", "[pgx][vcf][phase]") {
    // CYP2C9*2 and *3 both 0|1. In one phase set they are in cis: no defined allele carries both,
    // a no-call. In two sets (e.g. read-backed phasing that could not bridge the 40 kb between
    // them) their phase is unknown and *2/*3 is the one consistent diplotype.
    const std::string path = VcfBuilder({"one_set", "two_sets", "no_ps", "trans_one_set"})
                                 .with_format("GT:PS")
                                 .all_reference()
                                 .set("rs1799853", {"0|1:94942290", "0|1:94942290", "0|1", "0|1:94942290"})
                                 .set("rs1057910", {"0|1:94942290", "0|1:94981296", "0|1", "1|0:94942290"})
                                 .write("phase_sets.vcf");
    const auto samples = genotype_vcf(path);
    REQUIRE(samples.size() == 4);
    CHECK(gene(samples[0], "CYP2C9").call.status == CallStatus::no_call);
    const GeneGenotype& two_sets = gene(samples[1], "CYP2C9");
    CHECK(diplotypes(two_sets) == std::vector<std::string>{"*2/*3"});
    CHECK_FALSE(two_sets.call.phased);
    CHECK(samples[1].observations.positions[target_index("rs1057910")].phase_set == 94981296);
    // No PS: the VCF's single default set, so in cis as in sample one_set.
    CHECK(gene(samples[2], "CYP2C9").call.status == CallStatus::no_call);
    const GeneGenotype& trans = gene(samples[3], "CYP2C9");
    CHECK(diplotypes(trans) == std::vector<std::string>{"*2/*3"});
    CHECK(trans.call.phased);
}

TEST_CASE("gVCF reference blocks: positions a block covers are reference, if the block is confident",
          "[pgx][vcf][gvcf]") {
    // Sample "good": CYP2C9 as reference blocks (GQ 50) around a *3 heterozygous record, as a
    // gVCF caller writes it. Sample "weak": the same blocks with GQ 5 (first) and no reads
    // (second): not calls. Nothing else of the other genes is in the file: those stay missing.
    std::int64_t first = -1, last = -1;
    for (const auto& target : targets())
        if (target.gene == "CYP2C9") {
            first = first < 0 ? target.position : std::min(first, target.position);
            last = std::max(last, target.end());
        }
    const std::size_t star3 = target_index("rs1057910");
    const std::int64_t star3_position = targets()[star3].position;  // 0-based
    const auto base = [](std::int64_t at) {
        return dataset().reference_bases("chr10", at, at + 1, GenomeBuild::grch38);
    };
    const auto block = [&](std::int64_t begin, std::int64_t end, const std::string& weak) {
        return "chr10\t" + std::to_string(begin + 1) + "\t.\t" + base(begin) +
               "\t<*>\t0\t.\tEND=" + std::to_string(end) + "\tGT:GQ:MIN_DP\t0/0:50:30\t0/0:" + weak;
    };
    const std::string path = VcfBuilder({"good", "weak"})
                                 .raw(block(first - 5, star3_position, "5:3"))
                                 .raw("chr10\t" + std::to_string(star3_position + 1) +
                                      "\trs1057910\tA\tC,<*>\t50\tPASS\t.\tGT:GQ:MIN_DP\t0/1:60:30\t0/1:60:30")
                                 .raw(block(star3_position + 1, last + 5, "0:0"))
                                 .write("blocks.g.vcf");
    const auto samples = genotype_vcf(path);
    REQUIRE(samples.size() == 2);
    const GeneGenotype& good = gene(samples[0], "CYP2C9");
    CHECK(diplotypes(good) == std::vector<std::string>{"*1/*3"});
    CHECK(good.call.missing_positions.empty());
    CHECK(good.call.match_score == 84);  // every CYP2C9 position available, as with a positions VCF
    const auto& star6 = samples[0].observations.positions[target_index("rs9332131")];  // a deletion target
    CHECK(star6.status == ObservationStatus::called);
    CHECK(star6.alleles ==
          std::vector<std::string>{targets()[target_index("rs9332131")].ref, targets()[target_index("rs9332131")].ref});
    CHECK(star6.depth == 30);  // MIN_DP of the block
    CHECK(samples[0].observations.positions[target_index("rs9923231")].status == ObservationStatus::missing);

    const auto& weak_star2 = samples[1].observations.positions[target_index("rs1799853")];
    CHECK(weak_star2.status == ObservationStatus::not_called);
    CHECK(weak_star2.detail.find("GQ 5 < 20") != std::string::npos);
    std::size_t after = 0;  // a CYP2C9 position in the second block
    while (!(targets()[after].gene == "CYP2C9" && targets()[after].position > star3_position)) ++after;
    const auto& weak_after = samples[1].observations.positions[after];
    CHECK(weak_after.status == ObservationStatus::not_called);
    CHECK(weak_after.detail.find("no reads") != std::string::npos);
    CHECK(samples[1].observations.positions[star3].status == ObservationStatus::called);
}

TEST_CASE("gVCF: a deletion target is reference only if blocks cover all its bases", "[pgx][vcf][gvcf]") {
    // CYP2C9*25's 11-base target, covered by a one-base record without END at its anchor and two
    // blocks (a gVCF caller splits blocks where GQ changes band); then the same with one base
    // uncovered.
    const std::size_t star25 = target_index("rs1304490498");
    const GenotypingTarget& target = targets()[star25];
    REQUIRE(target.ref.size() == 11);
    const auto base = [](std::int64_t at) {
        return dataset().reference_bases("chr10", at, at + 1, GenomeBuild::grch38);
    };
    const auto block = [&](std::int64_t begin, std::int64_t end) {  // 0-based [begin, end)
        return "chr10\t" + std::to_string(begin + 1) + "\t.\t" + base(begin) + "\t<NON_REF>\t.\t.\t" +
               (end > begin + 1 ? "END=" + std::to_string(end) : std::string(".")) + "\tGT:GQ:DP\t0/0:40:25";
    };
    const std::int64_t p = target.position;
    const auto covered = genotype_vcf(VcfBuilder({"s"})
                                          .raw(block(p, p + 1))
                                          .raw(block(p + 1, p + 6))
                                          .raw(block(p + 6, p + 20))
                                          .write("star25_blocks.g.vcf"));
    const auto& observation = covered[0].observations.positions[star25];
    CHECK(observation.status == ObservationStatus::called);
    CHECK(observation.alleles == std::vector<std::string>{target.ref, target.ref});
    CHECK(observation.depth == 25);

    const auto gap =
        genotype_vcf(VcfBuilder({"s"}).raw(block(p - 3, p + 6)).raw(block(p + 7, p + 20)).write("star25_gap.g.vcf"));
    CHECK(gap[0].observations.positions[star25].status == ObservationStatus::not_called);
    CHECK(gap[0].observations.positions[star25].detail == "gVCF reference blocks cover only part of the position");
}

TEST_CASE("multi-sample input: one result per sample, in file order, each with its own call",
          "[pgx][vcf][multisample]") {
    const std::string path = VcfBuilder({"A", "B", "C"})
                                 .all_reference()
                                 .set("rs1799853", {"0/1", "0/0", "./."})
                                 .set("rs3093105", {"0/0", "0/1", "0/0"})
                                 .set("rs2108622", {"0/0", "0/1", "0/0"})
                                 .write("multi.vcf");
    const auto samples = genotype_vcf(path);
    REQUIRE(samples.size() == 3);
    CHECK(samples[0].observations.sample == "A");
    CHECK(diplotypes(gene(samples[0], "CYP2C9")) == std::vector<std::string>{"*1/*2"});
    CHECK(diplotypes(gene(samples[1], "CYP4F2")) == std::vector<std::string>{"*1/*4"});
    CHECK(any_note_contains(gene(samples[1], "CYP4F2"), "*2/*3 cannot be ruled out without phased data"));
    // Sample C: rs1799853 is ./.: missing, not reference — *2 untestable, the call says so.
    const GeneGenotype& c = gene(samples[2], "CYP2C9");
    CHECK(diplotypes(c) == std::vector<std::string>{"*1/*1"});
    REQUIRE(c.call.missing_positions.size() == 1);
    CHECK(std::find(c.call.untestable_alleles.begin(), c.call.untestable_alleles.end(), "*2") !=
          c.call.untestable_alleles.end());
    CHECK(any_note_contains(c, "rs1799853"));
    CHECK(samples[2].observations.positions[target_index("rs1799853")].status == ObservationStatus::not_called);
    // --missing-to-ref fills absent records only: an explicit "./." stays unknown.
    const auto assumed = genotype_vcf(path, GenomeBuild::grch38, true);
    CHECK(assumed[2].observations.positions[target_index("rs1799853")].status == ObservationStatus::not_called);
    CHECK(gene(assumed[2], "CYP2C9").call.missing_positions.size() == 1);
    // --sample selects one.
    const auto only_b = genotype_vcf(path, GenomeBuild::grch38, false, {"B"});
    REQUIRE(only_b.size() == 1);
    CHECK(only_b[0].observations.sample == "B");
}

TEST_CASE("missing positions stay missing unless --missing-to-ref", "[pgx][vcf][missing]") {
    // A variant-only VCF: just *3 het.
    const std::string path = VcfBuilder({"s"}).set("rs1057910", {"0/1"}).write("variant_only.vcf");
    const auto strict = genotype_vcf(path);
    const GeneGenotype& cyp2c9 = gene(strict[0], "CYP2C9");
    CHECK(cyp2c9.call.missing_positions.size() == 82);
    // Only rs1057910 is known: every allele using it ties (PharmCAT semantics), each flagged.
    CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*1/*3", "*1/*18", "*1/*68"});
    CHECK(any_note_contains(cyp2c9, "*18 was matched without its missing position(s)"));
    CHECK(gene(strict[0], "VKORC1").call.status == CallStatus::no_data);
    CHECK(gene(strict[0], "VKORC1").call.best.empty());
    CHECK(reported(gene(strict[0], "VKORC1"), "rs9923231") == "<missing>");

    const auto assumed = genotype_vcf(path, GenomeBuild::grch38, true);
    CHECK(diplotypes(gene(assumed[0], "CYP2C9")) == std::vector<std::string>{"*1/*3"});
    CHECK(gene(assumed[0], "CYP2C9").call.assumed_reference_positions.size() == 82);
    CHECK(any_note_contains(gene(assumed[0], "CYP2C9"), "--missing-to-ref"));
    CHECK(diplotypes(gene(assumed[0], "VKORC1")) ==
          std::vector<std::string>{"rs9923231 reference (C)/rs9923231 reference (C)"});
}

TEST_CASE("chr10 and 10 naming give the same calls", "[pgx][vcf][contigs]") {
    const auto with_chr = genotype_vcf(
        VcfBuilder({"s"}, GenomeBuild::grch38, true).all_reference().set("rs1799853", {"0/1"}).write("chr.vcf"));
    const auto without = genotype_vcf(
        VcfBuilder({"s"}, GenomeBuild::grch38, false).all_reference().set("rs1799853", {"0/1"}).write("nochr.vcf"));
    CHECK(diplotypes(gene(without[0], "CYP2C9")) == std::vector<std::string>{"*1/*2"});
    for (const auto& name : {"CYP2C9", "CYP4F2", "VKORC1"})
        CHECK(diplotypes(gene(with_chr[0], name)) == diplotypes(gene(without[0], name)));
    CHECK(gene(without[0], "CYP2C9").call.missing_positions.empty());
}

TEST_CASE("GRCh37 input is genotyped at GRCh37 coordinates with --build GRCh37, never guessed", "[pgx][vcf][grch37]") {
    const std::string grch37 =
        VcfBuilder({"s"}, GenomeBuild::grch37, false)
            .all_reference()
            .set("rs1057910", {"0/1"})
            .set("rs9923231", {"0/1"})
            .with_contig_lengths({{"chr10", 135534747}, {"chr16", 90354753}, {"chr19", 59128983}})
            .write("grch37.vcf");
    const auto samples = genotype_vcf(grch37, GenomeBuild::grch37);
    CHECK(diplotypes(gene(samples[0], "CYP2C9")) == std::vector<std::string>{"*1/*3"});
    CHECK(reported(gene(samples[0], "VKORC1"), "rs9923231") == "C/T");
    CHECK(gene(samples[0], "CYP2C9").call.missing_positions.empty());

    // The same file read as GRCh38: refused from its ##contig lengths.
    const std::string message = message_of([&] { genotype_vcf(grch37, GenomeBuild::grch38); });
    CHECK(message.find("grch37.vcf") != std::string::npos);
    CHECK(message.find("GRCh37") != std::string::npos);

    // Without ##contig lengths the GRCh37 records are simply not at the GRCh38 positions: nothing
    // is called (REF checks catch records that do land on a defined position; next test).
    const std::string no_lengths = VcfBuilder({"s"}, GenomeBuild::grch37).all_reference().write("grch37_nolength.vcf");
    const auto as_grch38 =
        observations_from_vcf(dataset(), targets(GenomeBuild::grch38), {no_lengths, {}, GenomeBuild::grch38});
    const GeneGenotype cyp2c9 = genotype_sample(dataset(), targets(), as_grch38.samples[0]).genes[0];
    CHECK(cyp2c9.call.status == CallStatus::no_data);
    CHECK(cyp2c9.call.missing_positions.size() == 83);
}

TEST_CASE("a REF that disagrees with GRCh38 at a defined position is flagged and not used", "[pgx][vcf][ref]") {
    const std::string path = VcfBuilder({"s"})
                                 .all_reference()
                                 .remove("rs1799853")
                                 .raw("chr10\t94942290\trs1799853\tG\tT\t50\tPASS\t.\tGT\t0/1")
                                 .write("ref_mismatch.vcf");
    const auto vcf = observations_from_vcf(dataset(), targets(), {path, {}, GenomeBuild::grch38});
    REQUIRE_FALSE(vcf.warnings.empty());
    CHECK(vcf.warnings.front().find("94942290") != std::string::npos);
    const std::size_t t = target_index("rs1799853");
    CHECK(vcf.samples[0].positions[t].status == ObservationStatus::ref_mismatch);
    const GeneGenotype cyp2c9 = genotype_sample(dataset(), targets(), vcf.samples[0]).genes[0];
    CHECK(diplotypes(cyp2c9) == std::vector<std::string>{"*1/*1"});
    CHECK(any_note_contains(cyp2c9, "rs1799853 (chr10:94942290) not used: VCF REF G"));
}

TEST_CASE("split multi-allelic records merge into one genotype", "[pgx][vcf]") {
    // rs7900194 G>A (*8) and G>T (*27) written as two records.
    const std::string path = VcfBuilder({"s"})
                                 .all_reference()
                                 .remove("rs7900194")
                                 .raw("chr10\t94942309\trs7900194\tG\tA\t50\tPASS\t.\tGT\t0/1")
                                 .raw("chr10\t94942309\trs7900194\tG\tT\t50\tPASS\t.\tGT\t0/1")
                                 .write("split.vcf");
    const auto samples = genotype_vcf(path);
    CHECK(diplotypes(gene(samples[0], "CYP2C9")) == std::vector<std::string>{"*8/*27"});
    // Both records hom-alt is impossible for a diploid: conflicting, not used.
    const std::string bad = VcfBuilder({"s"})
                                .all_reference()
                                .remove("rs7900194")
                                .raw("chr10\t94942309\trs7900194\tG\tA\t50\tPASS\t.\tGT\t1/1")
                                .raw("chr10\t94942309\trs7900194\tG\tT\t50\tPASS\t.\tGT\t0/1")
                                .write("split_conflict.vcf");
    const auto conflicted = genotype_vcf(bad);
    const std::size_t t = target_index("rs7900194");
    CHECK(conflicted[0].observations.positions[t].status == ObservationStatus::conflicting);
}

TEST_CASE("depth and genotype quality are carried per position", "[pgx][vcf]") {
    const std::string path =
        VcfBuilder({"s"}).with_format("GT:DP:GQ").with_depth(37, 52).all_reference().write("dp_gq.vcf");
    const auto samples = genotype_vcf(path);
    const std::size_t t = target_index("rs9923231");
    CHECK(samples[0].observations.positions[t].depth == 37);
    CHECK(samples[0].observations.positions[t].genotype_quality == 52);
    const auto no_format = genotype_vcf(VcfBuilder({"s"}).all_reference().write("gt_only.vcf"));
    CHECK(no_format[0].observations.positions[t].depth == -1);
}

TEST_CASE("bad input: InputError naming the file (and sample)", "[pgx][vcf][errors]") {
    SECTION("no FORMAT/GT") {
        const std::string path = VcfBuilder({"s"}).with_format("DP").all_reference().write("no_gt.vcf");
        const std::string message = message_of([&] { genotype_vcf(path); });
        CHECK(message.find("no_gt.vcf") != std::string::npos);
        CHECK(message.find("GT") != std::string::npos);
    }
    SECTION("a sample the file does not have") {
        const std::string path = VcfBuilder({"NA12878"}).all_reference().write("one_sample.vcf");
        const std::string message = message_of([&] { genotype_vcf(path, GenomeBuild::grch38, false, {"NA99999"}); });
        CHECK(message.find("one_sample.vcf") != std::string::npos);
        CHECK(message.find("NA99999") != std::string::npos);
    }
    SECTION("no such file") {
        CHECK(message_of([&] { genotype_vcf(scratch_directory() + "/absent.vcf"); }).find("absent.vcf") !=
              std::string::npos);
    }
    SECTION("not a VCF") {
        const std::string path = scratch_directory() + "/garbage.vcf";
        std::ofstream(path) << "this is not a VCF\n";
        CHECK(message_of([&] { genotype_vcf(path); }).find("garbage.vcf") != std::string::npos);
    }
}

TEST_CASE("the JSON report follows schema 1", "[pgx][json]") {
    const std::string path = VcfBuilder({"NA1", "NA2"})
                                 .with_format("GT:DP:GQ")
                                 .all_reference()
                                 .set("rs1057910", {"0/1", "0/0"})
                                 .set("rs9923231", {"0/1", "./."})
                                 .set("rs12777823", {"0/1", "0/0"})
                                 .write("json.vcf");
    const auto samples = genotype_vcf(path);
    GenotypeReportInfo info;
    info.input = path;
    info.input_kind = "vcf";
    const auto json = nlohmann::json::parse(genotype_report_json(dataset(), targets(), samples, info));
    CHECK(json["schema_version"] == "1");
    REQUIRE(json["samples"].size() == 2);
    const auto& first = json["samples"][0];
    CHECK(first["sample"] == "NA1");
    CHECK(first["genes"]["CYP2C9"]["diplotypes"] == nlohmann::json::array({"*1/*3"}));
    CHECK(first["genes"]["CYP2C9"]["phenotype"] == "Intermediate Metabolizer");
    CHECK(first["genes"]["CYP2C9"]["activity_score"] == 1.0);
    CHECK(first["genes"]["CYP2C9"]["missing_positions"].empty());
    CHECK(first["genes"]["CYP2C9"]["positions"].size() == 83);
    CHECK(first["genes"]["CYP2C9"]["positions"][0]["depth"] == 30);
    CHECK(first["genes"]["VKORC1"]["rs9923231"] == "C/T");
    CHECK(first["genes"]["VKORC1"]["rs9923231_gene_strand"] == "G/A");
    CHECK(first["genes"]["CYP4F2"]["rs2108622"] == "C/C");
    CHECK(first["genes"]["CYP4F2"]["phenotype"].is_null());
    CHECK(first["variants"]["rs12777823"] == "G/A");
    const auto& second = json["samples"][1];
    CHECK(second["genes"]["VKORC1"]["status"] == "no_data");
    CHECK(second["genes"]["VKORC1"]["diplotypes"].empty());
    CHECK(second["genes"]["VKORC1"]["rs9923231"].is_null());
    CHECK(second["genes"]["VKORC1"]["missing_positions"][0]["rsid"] == "rs9923231");
}
