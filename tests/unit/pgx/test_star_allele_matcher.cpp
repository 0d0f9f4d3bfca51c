// The matcher on observations written directly (no VCF): PharmCAT's semantics case by case.
#include <catch2/catch.hpp>

#include "genodose/pgx/star_allele_matcher.hpp"
#include "pgx_test_support.hpp"

using namespace genodose::pgx;
using namespace pgx_test;

namespace {

// Observations for one gene: reference/reference everywhere unless overridden.
struct GeneData {
    const GeneDefinition& gene;
    std::vector<GenotypingTarget> gene_targets;
    std::vector<PositionObservation> observations;

    explicit GeneData(const std::string& name) : gene(*dataset().gene(name)) {
        for (const auto& target : targets())
            if (target.gene == name && target.defines_alleles) gene_targets.push_back(target);
        for (const auto& target : gene_targets) {
            PositionObservation observation;
            observation.status = ObservationStatus::called;
            observation.alleles = {target.ref, target.ref};
            observations.push_back(observation);
        }
    }
    std::size_t index(const std::string& rsid) const { return *gene.position_index(rsid); }
    GeneData& set(const std::string& rsid, const std::string& a, const std::string& b, bool phased = false,
                  std::int64_t phase_set = -1) {
        auto& observation = observations[index(rsid)];
        observation.alleles = {a, b};
        observation.phased = phased;
        observation.phase_set = phase_set;
        return *this;
    }
    GeneData& missing(const std::string& rsid) {
        auto& observation = observations[index(rsid)];
        observation.status = ObservationStatus::missing;
        observation.alleles.clear();
        return *this;
    }
    GeneCall call() const { return match_star_alleles(gene, gene_targets, observations); }
};

std::vector<std::string> names(const std::vector<Diplotype>& list) {
    std::vector<std::string> out;
    for (const auto& d : list) out.push_back(d.name);
    return out;
}

bool has_note(const GeneCall& call, const std::string& text) {
    for (const auto& note : call.notes)
        if (note.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("all-reference data call *1/*1 with PharmCAT's match score", "[pgx][matcher]") {
    const GeneCall cyp2c9 = GeneData("CYP2C9").call();
    CHECK(cyp2c9.status == CallStatus::called);
    CHECK(names(cyp2c9.best) == std::vector<std::string>{"*1/*1"});
    CHECK(cyp2c9.match_score == 166);  // PharmCAT report: 166
    CHECK(cyp2c9.missing_positions.empty());
    CHECK(cyp2c9.untestable_alleles.empty());
    const GeneCall cyp4f2 = GeneData("CYP4F2").call();
    CHECK(cyp4f2.match_score == 40);
    const GeneCall vkorc1 = GeneData("VKORC1").call();
    CHECK(names(vkorc1.best) == std::vector<std::string>{"rs9923231 reference (C)/rs9923231 reference (C)"});
    CHECK(vkorc1.match_score == 2);
}

TEST_CASE("CYP4F2 rs3093105 het + rs2108622 het: *1/*4, *2/*3 not excluded (PharmCAT's example)", "[pgx][matcher]") {
    GeneData data("CYP4F2");
    data.set("rs3093105", "A", "C").set("rs2108622", "C", "T");
    const GeneCall call = data.call();
    REQUIRE(call.status == CallStatus::called);
    CHECK(names(call.best) == std::vector<std::string>{"*1/*4"});
    CHECK(call.match_score == 22);
    CHECK_FALSE(call.phased);
    CHECK(names(call.consistent) == std::vector<std::string>{"*1/*4", "*2/*3"});
    CHECK(has_note(call, "The assigned genotype is *1/*4; however, *2/*3 cannot be ruled out without phased data"));
}

TEST_CASE("phased genotypes decide between *1/*4 and *2/*3", "[pgx][matcher][phased]") {
    SECTION("in cis: *1/*4") {
        GeneData data("CYP4F2");
        data.set("rs3093105", "C", "A", true).set("rs2108622", "T", "C", true);
        const GeneCall call = data.call();
        CHECK(names(call.best) == std::vector<std::string>{"*1/*4"});
        CHECK(names(call.consistent) == std::vector<std::string>{"*1/*4"});
        CHECK(call.phased);
        CHECK_FALSE(has_note(call, "cannot be ruled out"));
    }
    SECTION("in trans: *2/*3") {
        GeneData data("CYP4F2");
        data.set("rs3093105", "C", "A", true).set("rs2108622", "C", "T", true);
        const GeneCall call = data.call();
        CHECK(names(call.best) == std::vector<std::string>{"*2/*3"});
        CHECK(call.match_score == 2);
    }
}

TEST_CASE("phase sets are independent: phase is known only within one set", "[pgx][matcher][phased]") {
    // (Sets needing opposite orientations for one diplotype: test_vcf_genotyping's "phase sets".)
    SECTION("CYP4F2 rs3093105 and rs2108622 in cis but in different sets: as if unphased") {
        GeneData data("CYP4F2");
        data.set("rs3093105", "C", "A", true, 100).set("rs2108622", "T", "C", true, 200);
        const GeneCall call = data.call();
        CHECK(names(call.best) == std::vector<std::string>{"*1/*4"});
        CHECK(names(call.consistent) == std::vector<std::string>{"*1/*4", "*2/*3"});
        CHECK_FALSE(call.phased);
        CHECK(has_note(call, "*2/*3 cannot be ruled out without phased data (heterozygous positions phased in 2 "
                             "separate phase sets (FORMAT/PS))"));
    }
    SECTION("the same two positions in one set: phase decides") {
        GeneData data("CYP4F2");
        data.set("rs3093105", "C", "A", true, 100).set("rs2108622", "T", "C", true, 100);
        const GeneCall call = data.call();
        CHECK(names(call.consistent) == std::vector<std::string>{"*1/*4"});
        CHECK(call.phased);
    }
}

TEST_CASE("CYP2C9 *2/*3 unphased is the only consistent diplotype", "[pgx][matcher]") {
    GeneData data("CYP2C9");
    data.set("rs1799853", "C", "T").set("rs1057910", "A", "C");
    const GeneCall call = data.call();
    CHECK(names(call.best) == std::vector<std::string>{"*2/*3"});
    CHECK(names(call.consistent) == std::vector<std::string>{"*2/*3"});
    CHECK_FALSE(has_note(call, "cannot be ruled out"));
}

TEST_CASE("a combination no diplotype explains is a no-call, not a guess", "[pgx][matcher][nocall]") {
    SECTION("three variant haplotype alleles in a diploid sample") {
        GeneData data("CYP2C9");
        data.set("rs1799853", "C", "T").set("rs1057910", "A", "C").set("rs28371685", "C", "T");  // *2, *3, *11
        const GeneCall call = data.call();
        CHECK(call.status == CallStatus::no_call);
        CHECK(call.best.empty());
        CHECK(call.consistent.empty());
        CHECK(has_note(call, "no pair of defined CYP2C9 alleles explains"));
    }
    SECTION("an allele in no definition") {
        GeneData data("CYP2C9");
        data.set("rs1799853", "C", "G");  // defined alternative is T
        const GeneCall call = data.call();
        CHECK(call.status == CallStatus::no_call);
        CHECK(has_note(call, "allele G is in no CYP2C9 allele definition"));
    }
    SECTION("two defined variants phased in cis") {
        GeneData data("CYP2C9");
        data.set("rs1799853", "T", "C", true).set("rs1057910", "C", "A", true);  // *2 and *3 on one chromosome
        const GeneCall call = data.call();
        CHECK(call.status == CallStatus::no_call);
    }
}

TEST_CASE("missing positions are not reference: listed, and the call says what it depends on",
          "[pgx][matcher][missing]") {
    SECTION("*3's only position missing: *1/*1 assumes not *3") {
        GeneData data("CYP2C9");
        data.missing("rs1057910");
        const GeneCall call = data.call();
        REQUIRE(call.status == CallStatus::called);
        CHECK(names(call.best) == std::vector<std::string>{"*1/*1"});
        CHECK(call.match_score == 164);  // the reference allele loses the missing position
        REQUIRE(call.missing_positions.size() == 1);
        CHECK(std::find(call.untestable_alleles.begin(), call.untestable_alleles.end(), "*3") !=
              call.untestable_alleles.end());
        // *18 and *68 keep another defining position, so they stay testable.
        CHECK(std::find(call.untestable_alleles.begin(), call.untestable_alleles.end(), "*18") ==
              call.untestable_alleles.end());
        CHECK(has_note(call, "the call depends on missing positions"));
        CHECK(has_note(call, "missing AMP tier-1 position(s) of CYP2C9: rs1057910"));
    }
    SECTION("a call made without one of an allele's positions says so, and ties are all reported") {
        GeneData data("CYP2C9");
        data.set("rs1057910", "A", "C").missing("rs72558193");  // *3 het; *18's second position missing
        const GeneCall call = data.call();
        CHECK(names(call.best) == std::vector<std::string>{"*1/*3", "*1/*18"});
        CHECK(has_note(call, "2 diplotypes tie for the best match score"));
        CHECK(has_note(call, "*18 was matched without its missing position(s) rs72558193"));
    }
    SECTION("nothing usable: no data") {
        GeneData data("VKORC1");
        data.missing("rs9923231");
        const GeneCall call = data.call();
        CHECK(call.status == CallStatus::no_data);
        CHECK(call.best.empty());
        CHECK(has_note(call, "no usable genotype"));
    }
}

TEST_CASE("IUPAC definitions: CYP2C9*36 (S at rs28371686) and the *1/*36 vs *5/*36 ambiguity", "[pgx][matcher]") {
    GeneData data("CYP2C9");
    data.set("rs114071557", "A", "G");  // *36's other position
    CHECK(names(data.call().best) == std::vector<std::string>{"*1/*36"});
    data.set("rs28371686", "C", "G");  // also *5's position, unphased
    const GeneCall call = data.call();
    CHECK(names(call.best) == std::vector<std::string>{"*1/*36"});
    CHECK(has_note(call, "*5/*36 cannot be ruled out without phased data"));
}

TEST_CASE("CYP2C9*71 (rs9332130 + rs9332239) unphased: *1/*71 with *10/*12 not excluded", "[pgx][matcher]") {
    GeneData data("CYP2C9");
    data.set("rs9332130", "A", "G").set("rs9332239", "C", "T");
    const GeneCall call = data.call();
    CHECK(names(call.best) == std::vector<std::string>{"*1/*71"});
    CHECK(has_note(call, "*10/*12 cannot be ruled out"));
}

TEST_CASE("the matcher scales to many heterozygous positions without enumerating phasings", "[pgx][matcher]") {
    GeneData data("CYP2C9");
    // 30 unphased hets: 2^29 phase arrangements; pair checking stays immediate.
    std::size_t set = 0;
    for (std::size_t p = 0; p < data.gene_targets.size() && set < 30; ++p) {
        const auto& target = data.gene_targets[p];
        if (!target.is_snv()) continue;
        data.observations[p].alleles = {target.ref, target.alts.front()};
        ++set;
    }
    const GeneCall call = data.call();
    CHECK(call.status == CallStatus::no_call);
}

TEST_CASE("a variant position with an incomplete genotype makes the gene a no-call", "[pgx][matcher][partial]") {
    GeneData data("CYP2C9");
    auto& star3 = data.observations[data.index("rs1057910")];
    star3.status = ObservationStatus::not_called;
    star3.alleles.clear();
    star3.detail = "half call ./1: the non-reference allele C with the other allele missing";
    SECTION("a plain not_called position is left out, the gene still called") {
        const GeneCall call = data.call();
        CHECK(call.status == CallStatus::called);
        CHECK(names(call.best) == std::vector<std::string>{"*1/*1"});
    }
    SECTION("with evidence of a variant: no call, the first note names the position and the genotype") {
        star3.partial_variant = true;
        const GeneCall call = data.call();
        CHECK(call.status == CallStatus::no_call);
        CHECK(call.best.empty());
        CHECK(call.consistent.empty());
        REQUIRE_FALSE(call.notes.empty());
        CHECK(call.notes.front().find("rs1057910 (chr10:94981296): half call ./1") != std::string::npos);
        CHECK(call.missing_positions == std::vector<std::size_t>{data.index("rs1057910")});
    }
    SECTION("even when it is the only data of the gene (no call, not no data)") {
        star3.partial_variant = true;
        for (auto& observation : data.observations)
            if (&observation != &star3) {
                observation.status = ObservationStatus::missing;
                observation.alleles.clear();
            }
        CHECK(data.call().status == CallStatus::no_call);
    }
}

TEST_CASE("--missing-to-ref on a gene without any record says so in the notes", "[pgx][matcher][missing]") {
    GeneData data("VKORC1");
    data.observations[0].status = ObservationStatus::assumed_reference;
    CHECK(has_note(data.call(), "no record at the VKORC1 position: the whole gene was assumed reference"));
    GeneData cyp2c9("CYP2C9");
    cyp2c9.observations[cyp2c9.index("rs1057910")].status = ObservationStatus::assumed_reference;
    CHECK_FALSE(has_note(cyp2c9.call(), "whole gene"));
    CHECK(has_note(cyp2c9.call(), "1 of 83 CYP2C9 positions had no record and were assumed reference"));
}
