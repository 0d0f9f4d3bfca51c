#include <catch2/catch.hpp>

#include "calling_fixture.hpp"
#include "genodose/calling/candidates.hpp"

using namespace genodose;

TEST_CASE("reads are projected onto the reference and indels left-aligned", "[read-store]") {
    test::TinyPileup pileup;
    // mapq0 and dup are filtered: 9 of the 11 reads remain.
    REQUIRE(pileup.store.size() == 9);
    std::size_t deletions = 0, insertions = 0;
    for (std::size_t i = 0; i < pileup.store.size(); ++i) {
        for (const IndelEvent* e = pileup.store.events_begin(i); e != pileup.store.events_end(i); ++e) {
            // Written at the right end of the AAAA run (0-based 40–43); anchored on the G at 39.
            CHECK(e->anchor == 39);
            if (e->length < 0) {
                ++deletions;
                CHECK(e->length == -1);
            } else {
                ++insertions;
                CHECK(pileup.store.inserted_bases(*e) == "A");
            }
        }
    }
    CHECK(deletions == 2);
    CHECK(insertions == 2);
    // Deleted bases project as gaps: del_1 starts at 35 and deletes reference position 43
    // (before left-alignment).
    bool found_gap = false;
    for (std::size_t i = 0; i < pileup.store.size(); ++i)
        if (pileup.store.read(i).start == 35 && pileup.store.base_at(i, 43) == base_gap) found_gap = true;
    CHECK(found_gap);
}

TEST_CASE("allele counting finds the SNV and the multi-allelic indel site", "[candidates]") {
    test::TinyPileup pileup;
    CandidateFinder finder(CandidateOptions{});
    std::vector<Candidate> candidates;
    finder.find(pileup.store, 0, 100, candidates);
    REQUIRE(candidates.size() == 2);

    const Candidate& snv = candidates[0];
    CHECK(snv.position == 20);
    CHECK(snv.depth == 3);  // snv_fwd, snv_rev, ref_fwd; the Q2 base is not counted
    CHECK(snv.ref_support == 1);
    REQUIRE(snv.alts.size() == 1);
    CHECK(snv.alts[0].kind == CandidateAllele::Kind::snv);
    CHECK(snv.alts[0].base == 'T');
    CHECK(snv.alts[0].support == 2);

    const Candidate& indel = candidates[1];
    CHECK(indel.position == 39);
    // AD: the 4 reads carrying the deletion or the insertion have the reference anchor base,
    // but they support their indel, not the reference allele.
    CHECK(indel.depth == 5);
    CHECK(indel.ref_support == 1);
    REQUIRE(indel.alts.size() == 2);
    CHECK(indel.alts[0].kind == CandidateAllele::Kind::deletion);
    CHECK(indel.alts[1].kind == CandidateAllele::Kind::insertion);
    std::string ref;
    std::vector<std::string> alts;
    indel.vcf_alleles(pileup.store, ref, alts);
    CHECK(ref == "GA");
    CHECK(alts == std::vector<std::string>{"G", "GAA"});
    std::string minimal_ref, minimal_alt;
    indel.alts[1].minimal_representation(pileup.store, 39, minimal_ref, minimal_alt);
    CHECK(minimal_ref == "G");
    CHECK(minimal_alt == "GA");
}

TEST_CASE("candidate thresholds: count and allele fraction", "[candidates]") {
    test::TinyPileup pileup;
    std::vector<Candidate> candidates;

    CandidateOptions three_reads;
    three_reads.min_alt_count = 3;
    CandidateFinder(three_reads).find(pileup.store, 0, 100, candidates);
    CHECK(candidates.empty());

    CandidateOptions strict_fraction;
    strict_fraction.min_snv_fraction = 0.7;    // 2/3 = 0.67 < 0.7
    strict_fraction.min_indel_fraction = 0.5;  // 2/5 = 0.4 < 0.5
    candidates.clear();
    CandidateFinder(strict_fraction).find(pileup.store, 0, 100, candidates);
    CHECK(candidates.empty());

    CandidateOptions low_quality_counts;
    low_quality_counts.min_base_quality = 0;  // the Q2 alt base now counts: 3 of 4
    candidates.clear();
    CandidateFinder(low_quality_counts).find(pileup.store, 0, 100, candidates);
    REQUIRE_FALSE(candidates.empty());
    CHECK(candidates[0].alts[0].support == 3);
    CHECK(candidates[0].depth == 4);

    // Only positions inside [begin, end) are candidates.
    candidates.clear();
    CandidateFinder(CandidateOptions{}).find(pileup.store, 30, 100, candidates);
    REQUIRE(candidates.size() == 1);
    CHECK(candidates[0].position == 39);
}

TEST_CASE("read support is per allele", "[candidates]") {
    test::TinyPileup pileup;
    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(pileup.store, 0, 100, candidates);
    const Candidate& indel = candidates.at(1);
    int deletion_support = 0, insertion_support = 0;
    for (std::size_t i = 0; i < pileup.store.size(); ++i) {
        deletion_support += read_supports_allele(pileup.store, i, 39, indel.alts[0]);
        insertion_support += read_supports_allele(pileup.store, i, 39, indel.alts[1]);
    }
    CHECK(deletion_support == 2);
    CHECK(insertion_support == 2);
}

namespace {

// An in-memory read for ReadStore::add: bases, one quality for all, and a CIGAR.
struct HandmadeRead {
    std::vector<std::uint8_t> packed, qualities;
    std::vector<std::uint32_t> cigar;
    AlignedRead view;

    HandmadeRead(std::int64_t position, const std::string& bases, const std::vector<std::pair<CigarOp, int>>& ops,
                 int quality = 30) {
        const auto code = [](char b) -> std::uint8_t {
            return b == 'A' ? 1 : b == 'C' ? 2 : b == 'G' ? 4 : b == 'T' ? 8 : 15;
        };
        packed.assign((bases.size() + 1) / 2, 0);
        for (std::size_t i = 0; i < bases.size(); ++i)
            packed[i / 2] |= static_cast<std::uint8_t>(code(bases[i]) << (i % 2 ? 0 : 4));
        qualities.assign(bases.size(), static_cast<std::uint8_t>(quality));
        std::int64_t end = position;
        for (const auto& [op, length] : ops) {
            cigar.push_back(static_cast<std::uint32_t>(length) << 4 | static_cast<std::uint32_t>(op));
            if (op == CigarOp::match || op == CigarOp::deletion) end += length;
        }
        view.position = position;
        view.end = end;
        view.mapping_quality = 60;
        view.length = static_cast<int>(bases.size());
        view.packed_sequence_ = packed.data();
        view.qualities_ = qualities.data();
        view.cigar_ = cigar.data();
        view.cigar_count_ = static_cast<int>(cigar.size());
    }
};

}  // namespace

TEST_CASE("allele depths never exceed the depth when left-alignment moves an indel anchor", "[candidates]") {
    // Reference GGGGGCAATTTTTTTT (C at 0-based 5). Each read has an A inserted after the AA run,
    // which left-aligns onto the C. Read 1 reads A (a mismatch) at the C, read 2 starts after
    // the C, read 3 has a low-quality C: none of them may be counted twice or outside the depth.
    const std::string reference = "GGGGGCAATTTTTTTT";
    ReadStore store;
    store.reset(reference, 0);
    const HandmadeRead mismatch_anchor(0, "GGGGGAAAATTTTTTTT",
                                       {{CigarOp::match, 8}, {CigarOp::insertion, 1}, {CigarOp::match, 8}});
    const HandmadeRead anchor_before_read(6, "AAATTTTTTTT",
                                          {{CigarOp::match, 2}, {CigarOp::insertion, 1}, {CigarOp::match, 8}});
    HandmadeRead low_quality_anchor(0, "GGGGGCAAATTTTTTTT",
                                    {{CigarOp::match, 8}, {CigarOp::insertion, 1}, {CigarOp::match, 8}});
    low_quality_anchor.qualities[5] = 2;
    const HandmadeRead insertion(0, "GGGGGCAAATTTTTTTT",
                                 {{CigarOp::match, 8}, {CigarOp::insertion, 1}, {CigarOp::match, 8}});
    const HandmadeRead reference_read(0, "GGGGGCAATTTTTTTT", {{CigarOp::match, 16}});
    for (const HandmadeRead* read : std::vector<const HandmadeRead*>{&mismatch_anchor, &low_quality_anchor, &insertion,
                                                                     &insertion, &reference_read, &anchor_before_read})
        store.add(read->view);

    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(store, 0, 16, candidates);
    REQUIRE(candidates.size() == 1);
    const Candidate& site = candidates[0];
    CHECK(site.position == 5);
    // Every read but the reference read supports the insertion; the two whose anchor base is not
    // counted (low quality, before the read) are added to the depth through their insertion.
    CHECK(site.depth == 6);
    int allele_depths = site.ref_support;
    for (const auto& allele : site.alts) {
        allele_depths += allele.support;
        CHECK(allele.support <= site.depth);
    }
    CHECK(allele_depths <= site.depth);
    CHECK(site.ref_support == 1);
    REQUIRE(site.alts.size() == 1);
    CHECK(site.alts[0].kind == CandidateAllele::Kind::insertion);
    CHECK(site.alts[0].support == 5);
}
