#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "genodose/calling/candidates.hpp"
#include "genodose/calling/local_realigner.hpp"
#include "genodose/calling/pileup_encoder.hpp"
#include "genodose/calling/read_store.hpp"
#include "genodose/core/error.hpp"

using namespace genodose;

namespace {

std::string cigar_string(const std::vector<std::uint32_t>& cigar) {
    std::string text;
    for (const auto element : cigar) text += std::to_string(element >> 4) + "MIDNSHP=X"[element & 0xf];
    return text;
}

std::uint32_t op(std::uint32_t length, CigarOp kind) { return length << 4 | static_cast<std::uint32_t>(kind); }

// An owned read that can hand out an AlignedRead view, as the BAM reader would.
struct TestRead {
    std::string name;
    std::string sequence;
    std::vector<std::uint8_t> packed, qualities;
    std::vector<std::uint32_t> cigar;
    std::int64_t position = 0;

    TestRead(std::string n, std::string s, std::int64_t p, std::vector<std::uint32_t> c)
        : name(std::move(n)), sequence(std::move(s)), cigar(std::move(c)), position(p) {
        packed.assign((sequence.size() + 1) / 2, 0);
        for (std::size_t i = 0; i < sequence.size(); ++i) {
            const std::uint8_t code = sequence[i] == 'A'   ? 1
                                      : sequence[i] == 'C' ? 2
                                      : sequence[i] == 'G' ? 4
                                      : sequence[i] == 'T' ? 8
                                                           : 15;
            packed[i / 2] |= static_cast<std::uint8_t>(i % 2 == 0 ? code << 4 : code);
        }
        qualities.assign(sequence.size(), 35);
    }
    AlignedRead view() const {
        AlignedRead read;
        read.position = position;
        std::int64_t end = position;
        for (const auto element : cigar) {
            const auto kind = static_cast<CigarOp>(element & 0xf);
            if (kind == CigarOp::match || kind == CigarOp::deletion) end += element >> 4;
        }
        read.end = end;
        read.mapping_quality = 60;
        read.length = static_cast<int>(sequence.size());
        read.packed_sequence_ = packed.data();
        read.qualities_ = qualities.data();
        read.cigar_ = cigar.data();
        read.cigar_count_ = static_cast<int>(cigar.size());
        read.name_ = name.c_str();
        return read;
    }
};

// Non-repetitive flanks around a GATA repeat; the alt haplotype carries two more copies.
const std::string left_flank = "TCAGGCTTACGGATCCATTGCAAGTCTGACCTAGGTCAATGCGTTACAGCTCGATGCAAC";
const std::string right_flank = "TTCGAACCTGGAAGCTTCACTGGTCCAATGGCATCCGTATGACCAGTTCAGGTACCATGG";
const std::string reference = left_flank + "GATAGATAGATA" + right_flank;
const std::string alternative = left_flank + "GATAGATAGATAGATAGATA" + right_flank;

// As a coordinate-sorted BAM hands them out.
std::vector<TestRead> in_bam_order(std::vector<TestRead> reads) {
    std::stable_sort(reads.begin(), reads.end(),
                     [](const TestRead& a, const TestRead& b) { return a.position < b.position; });
    return reads;
}

// Reads of the alt haplotype aligned the way a local aligner often writes them: matched up to
// where alt and reference part, then soft-clipped.
std::vector<TestRead> clipped_alt_reads(int length) {
    std::vector<TestRead> reads;
    const int diverge = static_cast<int>(left_flank.size()) + 12;  // alt and ref agree before this
    const int shift = 8;
    for (int offset = 0, n = 0; offset + length <= static_cast<int>(alternative.size()); offset += 3, ++n) {
        const std::string bases =
            alternative.substr(static_cast<std::size_t>(offset), static_cast<std::size_t>(length));
        std::vector<std::uint32_t> cigar;
        std::int64_t position = offset;
        if (offset + length <= diverge) {
            cigar = {op(static_cast<std::uint32_t>(length), CigarOp::match)};
        } else if (offset >= static_cast<int>(left_flank.size()) + shift) {
            position = offset - shift;
            cigar = {op(static_cast<std::uint32_t>(length), CigarOp::match)};
        } else {
            const int matched = diverge - offset;
            cigar = {op(static_cast<std::uint32_t>(matched), CigarOp::match),
                     op(static_cast<std::uint32_t>(length - matched), CigarOp::soft_clip)};
        }
        reads.emplace_back("read" + std::to_string(n), bases, position, cigar);
    }
    return in_bam_order(std::move(reads));
}

std::vector<Candidate> candidates_after(const std::vector<TestRead>& reads, bool realign,
                                        RealignerStats* stats = nullptr) {
    RealignerOptions options;
    options.enabled = realign;
    LocalRealigner realigner(options);
    realigner.reset(reference, 0);
    for (const auto& read : reads) realigner.add(read.view());
    realigner.realign(0, static_cast<std::int64_t>(reference.size()));
    if (stats) *stats = realigner.stats();
    ReadStore store;
    store.reset(reference, 0);
    for (std::size_t i = 0; i < realigner.size(); ++i) store.add(realigner.read(i));
    CandidateFinder finder(CandidateOptions{});
    std::vector<Candidate> candidates;
    finder.find(store, 0, static_cast<std::int64_t>(reference.size()), candidates);
    return candidates;
}

}  // namespace

TEST_CASE("global alignment places one gap rather than several", "[realigner]") {
    const auto alignment = align_global("ACGTTTGCAGGATAGATAGATACCA", "ACGTTTGCAGGATAGATACCA", AlignmentScores{});
    CHECK(cigar_string(alignment.cigar) == "10M4I11M");  // the gap as far left as it goes
    CHECK(alignment.score == 21 - (6 + 4));
}

TEST_CASE("read alignment soft-clips a junk end only when it pays", "[realigner]") {
    const std::string target = "TTTTTACGTACGGATCCATTGCAAGTCTGTTTTT";
    const std::string read = "ACGTACGGATCCATTGCAAGTCTGGGGGGGG";  // 24 matching bases, 7 of junk
    const auto alignment = align_read(read, nullptr, target, 0, 10, AlignmentScores{});
    CHECK(alignment.target_begin == 5);
    CHECK(cigar_string(alignment.cigar) == "24M7S");
    CHECK(alignment.score == 24 - 5);
    // One mismatch near the end costs less than clipping.
    const auto one_mismatch = align_read("ACGTACGGATCCATTGCAAGTCTGAT", nullptr, target, 0, 10, AlignmentScores{});
    CHECK(cigar_string(one_mismatch.cigar) == "26M");
}

TEST_CASE("realignment turns soft-clipped reads of a repeat insertion into one insertion allele", "[realigner]") {
    const auto reads = clipped_alt_reads(50);
    // As aligned, no read carries an insertion: no indel candidate at all.
    for (const auto& candidate : candidates_after(reads, false))
        for (const auto& allele : candidate.alts) CHECK(allele.kind == CandidateAllele::Kind::snv);

    RealignerStats stats;
    const auto candidates = candidates_after(reads, true, &stats);
    CHECK(stats.windows >= 1);
    CHECK(stats.assembled >= 1);
    CHECK(stats.realigned_reads > 0);
    REQUIRE(candidates.size() == 1);
    const Candidate& candidate = candidates[0];
    CHECK(candidate.position == static_cast<std::int64_t>(left_flank.size()) - 1);  // left-aligned anchor
    REQUIRE(candidate.alts.size() == 1);
    CHECK(candidate.alts[0].kind == CandidateAllele::Kind::insertion);
    CHECK(candidate.alts[0].inserted == "GATAGATA");
    CHECK(candidate.alts[0].support >= 5);
}

TEST_CASE("realignment leaves reads alone where there is no indel evidence", "[realigner]") {
    std::vector<TestRead> reads;
    for (int offset = 0; offset + 40 <= static_cast<int>(reference.size()); offset += 4)
        reads.emplace_back("r" + std::to_string(offset), reference.substr(static_cast<std::size_t>(offset), 40), offset,
                           std::vector<std::uint32_t>{op(40, CigarOp::match)});
    RealignerStats stats;
    CHECK(candidates_after(reads, true, &stats).empty());
    CHECK(stats.windows == 0);
    CHECK(stats.realigned_reads == 0);
}

TEST_CASE("realignment keeps an alignment that already spells the haplotype", "[realigner]") {
    // Reads spanning the insertion, aligned with it as 8I: nothing to improve.
    std::vector<TestRead> reads;
    const int insertion_at = static_cast<int>(left_flank.size());  // alt bases [60, 68) are inserted
    for (int offset = 20; offset <= 50; offset += 5) {
        const int before = insertion_at - offset;
        reads.emplace_back("s" + std::to_string(offset), alternative.substr(static_cast<std::size_t>(offset), 60),
                           offset,
                           std::vector<std::uint32_t>{op(static_cast<std::uint32_t>(before), CigarOp::match),
                                                      op(8, CigarOp::insertion),
                                                      op(static_cast<std::uint32_t>(60 - before - 8), CigarOp::match)});
    }
    RealignerStats stats;
    const auto candidates = candidates_after(reads, true, &stats);
    CHECK(stats.realigned_reads == 0);
    REQUIRE(candidates.size() == 1);
    CHECK(candidates[0].alts[0].inserted == "GATAGATA");
    CHECK(candidates[0].alts[0].support == static_cast<int>(reads.size()));
}

TEST_CASE("reads propose a haplotype where a repeat is too long to assemble", "[realigner]") {
    // (GA)x40: every k-mer up to k = 63 repeats inside it, so assembly fails; two reads carry
    // the extra GA as an insertion, three more were soft-clipped where the haplotypes part.
    std::string repeat;
    for (int i = 0; i < 40; ++i) repeat += "GA";
    const std::string ref = left_flank + repeat + right_flank;
    const std::string alt = left_flank + repeat + "GA" + right_flank;
    const int diverge = static_cast<int>(left_flank.size() + repeat.size());  // alt and ref agree before this
    std::vector<TestRead> reads;
    for (const int offset : {34, 46}) {
        const int before = static_cast<int>(left_flank.size()) - offset;
        reads.emplace_back("i" + std::to_string(offset), alt.substr(static_cast<std::size_t>(offset), 120), offset,
                           std::vector<std::uint32_t>{op(static_cast<std::uint32_t>(before), CigarOp::match),
                                                      op(2, CigarOp::insertion),
                                                      op(static_cast<std::uint32_t>(118 - before), CigarOp::match)});
    }
    for (const int offset : {36, 40, 44}) {
        const int matched = diverge - offset;
        reads.emplace_back(
            "c" + std::to_string(offset), alt.substr(static_cast<std::size_t>(offset), 120), offset,
            std::vector<std::uint32_t>{op(static_cast<std::uint32_t>(matched), CigarOp::match),
                                       op(static_cast<std::uint32_t>(120 - matched), CigarOp::soft_clip)});
    }
    reads = in_bam_order(std::move(reads));
    const auto insertion_support = [&](bool realign) {
        RealignerOptions options;
        options.enabled = realign;
        LocalRealigner realigner(options);
        realigner.reset(ref, 0);
        for (const auto& read : reads) realigner.add(read.view());
        realigner.realign(0, static_cast<std::int64_t>(ref.size()));
        ReadStore store;
        store.reset(ref, 0);
        for (std::size_t i = 0; i < realigner.size(); ++i) store.add(realigner.read(i));
        std::vector<Candidate> candidates;
        CandidateFinder(CandidateOptions{}).find(store, 0, static_cast<std::int64_t>(ref.size()), candidates);
        for (const auto& candidate : candidates)
            for (const auto& allele : candidate.alts)
                if (allele.kind == CandidateAllele::Kind::insertion && allele.inserted == "GA" &&
                    candidate.position == static_cast<std::int64_t>(left_flank.size()) - 1)
                    return allele.support;
        return 0;
    };
    CHECK(insertion_support(false) == 2);
    CHECK(insertion_support(true) == 5);
}

TEST_CASE("realigned reads stay in start order, so the pileup shows every read over the site", "[realigner][pileup]") {
    // Regression: realignment moved read starts without re-sorting, and the encoder (which stops
    // at the first read starting past the candidate) dropped the reads that came after it.
    for (const int length : {30, 40, 50}) {
        CAPTURE(length);
        const auto reads = clipped_alt_reads(length);
        LocalRealigner realigner(RealignerOptions{});
        realigner.reset(reference, 0);
        for (const auto& read : reads) realigner.add(read.view());
        realigner.realign(0, static_cast<std::int64_t>(reference.size()));
        for (std::size_t i = 1; i < realigner.size(); ++i)
            CHECK(realigner.read(i - 1).position <= realigner.read(i).position);

        ReadStore store;
        store.reset(reference, 0);
        for (std::size_t i = 0; i < realigner.size(); ++i) store.add(realigner.read(i));
        std::vector<Candidate> candidates;
        CandidateFinder(CandidateOptions{}).find(store, 0, static_cast<std::int64_t>(reference.size()), candidates);
        const auto insertion = std::find_if(candidates.begin(), candidates.end(), [](const Candidate& c) {
            return !c.alts.empty() && c.alts[0].kind == CandidateAllele::Kind::insertion;
        });
        REQUIRE(insertion != candidates.end());

        int covering = 0;
        for (std::size_t i = 0; i < store.size(); ++i)
            if (store.read(i).start <= insertion->position && store.read(i).end > insertion->position) ++covering;
        const PileupShape shape;
        REQUIRE(covering <= shape.read_rows());
        PileupEncoder encoder(shape);
        std::vector<std::uint8_t> image(shape.bytes());
        encoder.encode(store, *insertion, 0, image.data());
        int rows = 0, supporting_rows = 0;
        for (int row = shape.reference_rows; row < shape.height; ++row) {
            const std::uint8_t* centre =
                image.data() + (static_cast<std::size_t>(row) * shape.width + shape.width / 2) * shape.channels;
            if (centre[channel_mapping_quality] != 0) ++rows;
            if (centre[channel_supports_allele] != 0) ++supporting_rows;
        }
        CHECK(rows == covering);
        CHECK(supporting_rows == insertion->alts[0].support);
    }
}

TEST_CASE("the read store refuses reads out of start order", "[pileup]") {
    const std::vector<TestRead> reads = {{"late", reference.substr(30, 40), 30, {op(40, CigarOp::match)}},
                                         {"early", reference.substr(10, 40), 10, {op(40, CigarOp::match)}}};
    ReadStore store;
    store.reset(reference, 0);
    store.add(reads[0].view());
    CHECK_THROWS_AS(store.add(reads[1].view()), InternalError);
}
