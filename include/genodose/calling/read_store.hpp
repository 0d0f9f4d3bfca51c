// Reads of one region chunk, projected onto the reference, in flat reusable buffers.
//
//   ReadStore store;                         // one per worker thread
//   store.reset(reference_window, window_begin);
//   reader.for_each_read(chunk, [&](const AlignedRead& r) { store.add(r); });
//   for (std::size_t i = 0; i < store.size(); ++i) store.base_at(i, position) ...
//
// Each read is stored as one base code and quality per reference position it spans (gaps for
// deletions), plus its insertions and deletions as left-aligned events. Gaps longer than
// max_projected_gap (a spliced read's N, a huge D) are not stored: the read is kept as blocks of
// projected positions and base_at() answers base_gap between them, so a read costs memory for
// its aligned bases, not for its reference span (75M268000000N75M is 150 entries, not 268 MB).
// The vectors are cleared but not freed between chunks, so a warmed-up store allocates nothing
// per read.
//
// Invariant: reads are added in order of start (BAM order); add() throws InternalError
// otherwise, because the pileup encoder stops scanning at the first read past a candidate.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace genodose {

class AlignedRead;

enum BaseCode : std::uint8_t { base_a = 0, base_c = 1, base_g = 2, base_t = 3, base_n = 4, base_gap = 5 };
BaseCode encode_base(char base);
char decode_base_code(std::uint8_t code);

// Gaps (deletions, skips) up to this length are stored as gap entries inside a block; longer
// ones end the block.
inline constexpr std::int64_t max_projected_gap = 64;

// Deletions longer than this are not recorded as events: a short-read small-variant caller
// cannot call them, and a candidate's REF would hold the whole deleted span as text.
inline constexpr std::int32_t max_deletion_event = 1000;

// Consecutive reference positions of one read, stored from `offset` in bases_/qualities_.
struct ProjectedBlock {
    std::int64_t start = 0;
    std::uint32_t length = 0;
    std::uint32_t offset = 0;
};

struct StoredRead {
    std::int64_t start = 0;          // 0-based first reference position
    std::int64_t end = 0;            // exclusive
    std::uint32_t blocks_begin = 0;  // [blocks_begin, blocks_end) in blocks_
    std::uint32_t blocks_end = 0;
    std::uint32_t events_begin = 0;  // [events_begin, events_end) in events_
    std::uint32_t events_end = 0;
    std::uint32_t identity = 0;     // hash of name, start, strand and mate
    std::uint32_t sampling_id = 0;  // identity made unique among copies: deterministic downsampling
    std::uint8_t mapping_quality = 0;
    bool reverse_strand = false;
};

// An insertion (length > 0, bases in event_bases_) or deletion (length < 0) after `anchor`,
// left-aligned against the reference; VCF-style: the anchor base is the first base of REF.
struct IndelEvent {
    std::int64_t anchor = 0;
    std::int32_t length = 0;
    std::uint32_t bases_offset = 0;  // insertion bases in event_bases_
    std::uint8_t min_quality = 0;    // lowest base quality of the inserted bases / flanks
};

class ReadStore {
public:
    void reset(std::string_view reference, std::int64_t reference_begin);
    void add(const AlignedRead& read);

    std::size_t size() const { return reads_.size(); }
    const StoredRead& read(std::size_t i) const { return reads_[i]; }
    // Base code and quality of read i at reference position p (base_gap and 0 inside a deletion
    // or skip); p must be in [start, end).
    std::uint8_t base_at(std::size_t i, std::int64_t p) const {
        const std::size_t slot = projection_slot(i, p);
        return slot == no_slot ? static_cast<std::uint8_t>(base_gap) : bases_[slot];
    }
    std::uint8_t quality_at(std::size_t i, std::int64_t p) const {
        const std::size_t slot = projection_slot(i, p);
        return slot == no_slot ? 0 : qualities_[slot];
    }
    // Entries held for the projections of all reads (memory accounting and tests).
    std::size_t projected_entries() const { return bases_.size(); }
    const IndelEvent* events_begin(std::size_t i) const { return events_.data() + reads_[i].events_begin; }
    const IndelEvent* events_end(std::size_t i) const { return events_.data() + reads_[i].events_end; }
    std::string_view inserted_bases(const IndelEvent& event) const {
        return {event_bases_.data() + event.bases_offset, static_cast<std::size_t>(event.length)};
    }
    // Insertion markers: true if read i has an insertion right after reference position p.
    bool has_insertion_after(std::size_t i, std::int64_t p) const;

    std::string_view reference() const { return reference_; }
    std::int64_t reference_begin() const { return reference_begin_; }
    char reference_base(std::int64_t p) const {
        const std::int64_t i = p - reference_begin_;
        return (i >= 0 && i < static_cast<std::int64_t>(reference_.size())) ? reference_[static_cast<std::size_t>(i)]
                                                                            : 'N';
    }

private:
    static constexpr std::size_t no_slot = static_cast<std::size_t>(-1);
    std::size_t projection_slot(std::size_t i, std::int64_t p) const {
        const StoredRead& read = reads_[i];
        for (std::uint32_t b = read.blocks_begin; b < read.blocks_end; ++b) {
            const ProjectedBlock& block = blocks_[b];
            if (p >= block.start && p < block.start + block.length)
                return block.offset + static_cast<std::size_t>(p - block.start);
        }
        return no_slot;
    }
    void add_event(std::int64_t anchor, std::int32_t length, std::string_view inserted, std::uint8_t min_quality);

    std::string_view reference_;
    std::int64_t reference_begin_ = 0;
    std::vector<StoredRead> reads_;
    std::vector<ProjectedBlock> blocks_;
    std::vector<std::uint8_t> bases_;
    std::vector<std::uint8_t> qualities_;
    std::vector<IndelEvent> events_;
    std::vector<char> event_bases_;
    std::string scratch_;            // reused for left-alignment
    std::string insertion_scratch_;  // reused for an insertion's bases
};

}  // namespace genodose
