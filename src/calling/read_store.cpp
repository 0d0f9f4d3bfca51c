#include "genodose/calling/read_store.hpp"

#include <algorithm>

#include "genodose/core/error.hpp"
#include "genodose/io/alignment_reader.hpp"

namespace genodose {

BaseCode encode_base(char base) {
    switch (base) {
        case 'A': return base_a;
        case 'C': return base_c;
        case 'G': return base_g;
        case 'T': return base_t;
        default: return base_n;
    }
}

char decode_base_code(std::uint8_t code) {
    static constexpr char bases[] = {'A', 'C', 'G', 'T', 'N', '*'};
    return code <= base_gap ? bases[code] : 'N';
}

void ReadStore::reset(std::string_view reference, std::int64_t reference_begin) {
    reference_ = reference;
    reference_begin_ = reference_begin;
    reads_.clear();
    blocks_.clear();
    bases_.clear();
    qualities_.clear();
    events_.clear();
    event_bases_.clear();
}

namespace {
// FNV-1a: a stable hash of the read name, the same on every machine and run.
std::uint32_t hash_name(const char* name) {
    std::uint32_t hash = 2166136261u;
    for (const char* c = name; *c; ++c) {
        hash ^= static_cast<std::uint8_t>(*c);
        hash *= 16777619u;
    }
    return hash;
}
}  // namespace

void ReadStore::add_event(std::int64_t anchor, std::int32_t length, std::string_view inserted,
                          std::uint8_t min_quality) {
    // Left-align against the reference: an indel can slide left while the base it would move
    // past equals the last base of the indel sequence (deleted or inserted).
    if (length < 0) {
        const std::int32_t deleted = -length;
        while (anchor > reference_begin_ && reference_base(anchor) == reference_base(anchor + deleted) &&
               reference_base(anchor) != 'N') {
            --anchor;
        }
    } else {
        scratch_.assign(inserted.data(), inserted.size());
        while (anchor > reference_begin_ && reference_base(anchor) == scratch_.back() &&
               reference_base(anchor) != 'N') {
            // Rotate: the inserted sequence after anchor-1 is ref[anchor] + scratch without its last base.
            scratch_.pop_back();
            scratch_.insert(scratch_.begin(), reference_base(anchor));
            --anchor;
        }
        inserted = scratch_;
    }
    IndelEvent event;
    event.anchor = anchor;
    event.length = length;
    event.min_quality = min_quality;
    if (length > 0) {
        event.bases_offset = static_cast<std::uint32_t>(event_bases_.size());
        event_bases_.insert(event_bases_.end(), inserted.begin(), inserted.end());
    }
    events_.push_back(event);
}

void ReadStore::add(const AlignedRead& read) {
    // The pileup encoder stops at the first read starting after a candidate: a read out of
    // order would silently vanish from the image.
    if (!reads_.empty() && read.position < reads_.back().start)
        throw InternalError("reads added to the pileup store out of order (" + std::to_string(read.position) +
                            " after " + std::to_string(reads_.back().start) + ")");
    StoredRead stored;
    stored.start = read.position;
    stored.end = read.end;
    stored.mapping_quality = static_cast<std::uint8_t>(std::min(read.mapping_quality, 255));
    stored.reverse_strand = read.reverse_strand;
    // The downsampling id: the read's name, strand, mate and start, plus how many reads with
    // the same identity were stored before it at this start. Copies of one read (a file merged
    // with itself, if they get this far) thus get different ids instead of one shared key that
    // would keep or drop them all together; the id does not depend on chunking (copies share a
    // start, so they are all in any chunk that has one).
    std::uint32_t identity = hash_name(read.name());
    identity = (identity ^ static_cast<std::uint32_t>(read.position)) * 16777619u;
    identity = (identity ^ static_cast<std::uint32_t>(read.position >> 32)) * 16777619u;
    identity = (identity ^ (read.reverse_strand ? 1u : 0u) ^ (read.first_of_pair ? 2u : 0u)) * 16777619u;
    std::uint32_t copies_before = 0;
    for (auto it = reads_.rbegin(); it != reads_.rend() && it->start == read.position; ++it)
        if (it->identity == identity) ++copies_before;
    stored.identity = identity;
    stored.sampling_id = identity ^ (copies_before * 0x9e3779b9u);
    stored.events_begin = static_cast<std::uint32_t>(events_.size());
    stored.blocks_begin = static_cast<std::uint32_t>(blocks_.size());
    // Positions are appended to the last block; a long gap closes it and the next aligned base
    // opens a new one.
    bool block_open = false;
    const auto project = [&](std::int64_t position, std::uint8_t base, std::uint8_t base_quality) {
        if (!block_open) {
            blocks_.push_back({position, 0, static_cast<std::uint32_t>(bases_.size())});
            block_open = true;
        }
        bases_.push_back(base);
        qualities_.push_back(base_quality);
        ++blocks_.back().length;
    };
    const auto project_gap = [&](std::int64_t position, std::int64_t length) {
        if (length > max_projected_gap) {
            block_open = false;
            return;
        }
        for (std::int64_t k = 0; k < length; ++k) project(position + k, base_gap, 0);
    };

    std::int64_t reference_position = read.position;
    int query_position = 0;
    const auto quality = [&](int i) {
        return static_cast<std::uint8_t>(i >= 0 && i < read.length ? read.base_quality(i) : 0);
    };
    for (int op_index = 0; op_index < read.cigar_length(); ++op_index) {
        const CigarOp op = read.cigar_op(op_index);
        const auto length = static_cast<std::int64_t>(read.cigar_op_length(op_index));
        switch (op) {
            case CigarOp::match:
            case CigarOp::sequence_match:
            case CigarOp::sequence_mismatch:
                for (std::int64_t k = 0; k < length; ++k)
                    project(reference_position + k, encode_base(read.base(query_position + static_cast<int>(k))),
                            quality(query_position + static_cast<int>(k)));
                reference_position += length;
                query_position += static_cast<int>(length);
                break;
            case CigarOp::insertion: {
                if (reference_position > read.position) {  // an insertion before any aligned base has no anchor
                    insertion_scratch_.clear();
                    std::uint8_t min_quality = 255;
                    for (std::int64_t k = 0; k < length; ++k) {
                        insertion_scratch_.push_back(read.base(query_position + static_cast<int>(k)));
                        min_quality = std::min(min_quality, quality(query_position + static_cast<int>(k)));
                    }
                    add_event(reference_position - 1, static_cast<std::int32_t>(length), insertion_scratch_,
                              min_quality);
                }
                query_position += static_cast<int>(length);
                break;
            }
            case CigarOp::deletion: {
                // Quality of a deletion: the bases flanking it in the read.
                const std::uint8_t min_quality = std::min(quality(query_position - 1), quality(query_position));
                if (reference_position > read.position && length <= max_deletion_event)
                    add_event(reference_position - 1, -static_cast<std::int32_t>(length), {}, min_quality);
                project_gap(reference_position, length);
                reference_position += length;
                break;
            }
            case CigarOp::skip:
                project_gap(reference_position, length);  // spliced: gaps
                reference_position += length;
                break;
            case CigarOp::soft_clip: query_position += static_cast<int>(length); break;
            default: break;
        }
    }
    stored.blocks_end = static_cast<std::uint32_t>(blocks_.size());
    stored.events_end = static_cast<std::uint32_t>(events_.size());
    reads_.push_back(stored);
}

bool ReadStore::has_insertion_after(std::size_t i, std::int64_t p) const {
    for (const IndelEvent* e = events_begin(i); e != events_end(i); ++e)
        if (e->length > 0 && e->anchor == p) return true;
    return false;
}

}  // namespace genodose
