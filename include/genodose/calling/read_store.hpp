// Reads of one region chunk, projected onto the reference, in flat reusable buffers.
//
//   ReadStore store;                         // one per worker thread
//   store.reset(reference_window, window_begin);
//   reader.for_each_read(chunk, [&](const AlignedRead& r) { store.add(r); });
//   for (std::size_t i = 0; i < store.size(); ++i) store.base_at(i, position) ...
//
// Each read is stored as one base code and quality per reference position it spans (gaps for
// deletions), plus its insertions and deletions as left-aligned events. The vectors are cleared
// but not freed between chunks, so a warmed-up store allocates nothing per read.
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

struct StoredRead {
    std::int64_t start = 0;  // 0-based first reference position
    std::int64_t end = 0;    // exclusive
    std::uint32_t projection_offset = 0;  // into bases_/qualities_: one entry per position
    std::uint32_t events_begin = 0;       // [events_begin, events_end) in events_
    std::uint32_t events_end = 0;
    std::uint32_t identity = 0;           // hash of name, start, strand and mate
    std::uint32_t sampling_id = 0;        // identity made unique among copies: deterministic downsampling
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
    // Base code and quality of read i at reference position p (base_gap inside a deletion);
    // p must be in [start, end).
    std::uint8_t base_at(std::size_t i, std::int64_t p) const {
        return bases_[reads_[i].projection_offset + static_cast<std::size_t>(p - reads_[i].start)];
    }
    std::uint8_t quality_at(std::size_t i, std::int64_t p) const {
        return qualities_[reads_[i].projection_offset + static_cast<std::size_t>(p - reads_[i].start)];
    }
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
        return (i >= 0 && i < static_cast<std::int64_t>(reference_.size())) ? reference_[static_cast<std::size_t>(i)] : 'N';
    }

private:
    void add_event(std::int64_t anchor, std::int32_t length, std::string_view inserted, std::uint8_t min_quality);

    std::string_view reference_;
    std::int64_t reference_begin_ = 0;
    std::vector<StoredRead> reads_;
    std::vector<std::uint8_t> bases_;
    std::vector<std::uint8_t> qualities_;
    std::vector<IndelEvent> events_;
    std::vector<char> event_bases_;
    std::string scratch_;            // reused for left-alignment
    std::string insertion_scratch_;  // reused for an insertion's bases
};

}  // namespace genodose
