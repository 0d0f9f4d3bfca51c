// ReadStore memory bounds: a read costs entries for its aligned bases, not its reference span.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "../test_paths.hpp"
#include "chunk_processor.hpp"
#include "genodose/calling/candidates.hpp"
#include "genodose/calling/read_store.hpp"
#include "genodose/io/alignment_reader.hpp"
#include "genodose/io/reference_genome.hpp"

using namespace genodose;

namespace {
// A read of the tiny reference at `start` with the given CIGAR (M/N/D ops only); its bases are
// the reference's where it is aligned (positions past the reference get 'A').
struct SplicedRead {
    std::vector<std::uint8_t> packed, qualities;
    std::vector<std::uint32_t> cigar;
    std::string name = "spliced";
    AlignedRead read;
};
SplicedRead make_spliced(const std::string& reference, std::int64_t start,
                         const std::vector<std::pair<CigarOp, std::uint32_t>>& ops) {
    SplicedRead r;
    std::string bases;
    std::int64_t position = start;
    for (const auto& [op, length] : ops) {
        r.cigar.push_back(length << 4 | static_cast<std::uint32_t>(op));
        if (op == CigarOp::match) {
            for (std::uint32_t k = 0; k < length; ++k, ++position)
                bases.push_back(position < static_cast<std::int64_t>(reference.size())
                                    ? reference[static_cast<std::size_t>(position)]
                                    : 'A');
        } else {
            position += length;
        }
    }
    const int length = static_cast<int>(bases.size());
    r.packed.assign(static_cast<std::size_t>((length + 1) / 2), 0);
    for (int i = 0; i < length; ++i) {
        const std::uint8_t code = bases[i] == 'A'   ? 1
                                  : bases[i] == 'C' ? 2
                                  : bases[i] == 'G' ? 4
                                  : bases[i] == 'T' ? 8
                                                    : 15;
        r.packed[static_cast<std::size_t>(i / 2)] |= static_cast<std::uint8_t>(i % 2 ? code : code << 4);
    }
    r.qualities.assign(static_cast<std::size_t>(length), 30);
    r.read.position = start;
    r.read.end = position;
    r.read.mapping_quality = 60;
    r.read.length = length;
    r.read.packed_sequence_ = r.packed.data();
    r.read.qualities_ = r.qualities.data();
    r.read.cigar_ = r.cigar.data();
    r.read.cigar_count_ = static_cast<int>(r.cigar.size());
    r.read.name_ = r.name.c_str();
    return r;
}
}  // namespace

TEST_CASE("a read with a huge skip or deletion stores only its aligned bases", "[read_store]") {
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    const std::string sequence = reference.fetch({"tiny", 0, 100});
    ReadStore store;
    store.reset(sequence, 0);
    // 10M 100000000N 10M and 10M 100000000D 10M: each spans 100 Mb of reference.
    const SplicedRead skip =
        make_spliced(sequence, 5, {{CigarOp::match, 10}, {CigarOp::skip, 100000000}, {CigarOp::match, 10}});
    const SplicedRead deletion =
        make_spliced(sequence, 6, {{CigarOp::match, 10}, {CigarOp::deletion, 100000000}, {CigarOp::match, 10}});
    store.add(skip.read);
    store.add(deletion.read);
    REQUIRE(store.size() == 2);
    CHECK(store.read(0).end == 5 + 10 + 100000000 + 10);
    CHECK(store.projected_entries() == 40);
    // Aligned bases on both sides of the gap; gaps (quality 0) inside it.
    CHECK(decode_base_code(store.base_at(0, 5)) == sequence[5]);
    CHECK(decode_base_code(store.base_at(0, 14)) == sequence[14]);
    CHECK(store.base_at(0, 15) == base_gap);
    CHECK(store.quality_at(0, 15) == 0);
    CHECK(store.base_at(0, 50000000) == base_gap);
    CHECK(store.base_at(0, 15 + 100000000) == base_a);
    CHECK(store.quality_at(0, 15 + 100000000) == 30);
    // A deletion of 100 Mb is no small-variant candidate (its REF would be 100 Mb of text).
    CHECK(store.events_begin(1) == store.events_end(1));
    std::vector<Candidate> candidates;
    CandidateFinder(CandidateOptions{}).find(store, 0, 100, candidates);
    CHECK(candidates.empty());
}

TEST_CASE("short gaps stay inside one block of the projection", "[read_store]") {
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    const std::string sequence = reference.fetch({"tiny", 0, 100});
    ReadStore store;
    store.reset(sequence, 0);
    const SplicedRead read =
        make_spliced(sequence, 10, {{CigarOp::match, 10}, {CigarOp::deletion, 3}, {CigarOp::match, 10}});
    store.add(read.read);
    CHECK(store.projected_entries() == 23);
    CHECK(store.base_at(0, 21) == base_gap);
    CHECK(decode_base_code(store.base_at(0, 23)) == sequence[23]);
    REQUIRE(store.events_end(0) - store.events_begin(0) == 1);
    CHECK(store.events_begin(0)->length == -3);
}

TEST_CASE("nearby small chunks are grouped, full-size chunks never", "[chunks]") {
    const std::vector<GenomicRegion> small = {{"c", 1000, 1030},   {"c", 1500, 1530}, {"c", 4000, 4030},
                                              {"c", 90000, 90030}, {"d", 100, 130},   {"d", 300, 330}};
    const auto groups = group_nearby_chunks(small, 500);
    REQUIRE(groups.size() == 2);
    CHECK(groups[0].contig == "c");
    CHECK(groups[0].begin == 500);
    CHECK(groups[0].end == 2030);  // the window of 4000-4030 starts 1470 bases later: a group of its own (not returned)
    CHECK(groups[1].contig == "d");
    CHECK(groups[1].begin == 0);
    CHECK(groups[1].end == 830);
    const std::vector<GenomicRegion> full = {{"c", 0, 20000}, {"c", 20000, 40000}, {"c", 40000, 45000}};
    CHECK(group_nearby_chunks(full, 521).empty());
}
