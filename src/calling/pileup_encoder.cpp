#include "genodose/calling/pileup_encoder.hpp"

#include <algorithm>
#include <cstring>

namespace genodose {

namespace {

std::uint8_t base_value(std::uint8_t code) {
    switch (code) {
        case base_a: return 250;
        case base_g: return 180;
        case base_c: return 100;
        case base_t: return 30;
        default: return 0;
    }
}

std::uint8_t scaled(int value, int cap) { return static_cast<std::uint8_t>(std::min(value, cap) * 254 / cap); }

}  // namespace

std::uint32_t PileupEncoder::sampling_key(std::uint32_t read_id, std::int64_t position) {
    // splitmix-style mixing of the read's sampling id (StoredRead::sampling_id) with the position: a fixed pseudo-random
    // order per site, independent of how the genome was chunked or threaded.
    std::uint64_t x = (static_cast<std::uint64_t>(read_id) << 32) ^ static_cast<std::uint64_t>(position);
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<std::uint32_t>(x);
}

void PileupEncoder::encode(const ReadStore& store, const Candidate& candidate, std::size_t alt_index,
                           std::uint8_t* out) {
    const int width = shape_.width;
    const int channels = shape_.channels;
    const std::int64_t position = candidate.position;
    const std::int64_t window_begin = position - width / 2;
    const CandidateAllele& allele = candidate.alts[alt_index];
    std::memset(out, 0, shape_.bytes());
    const bool has_fraction_channel = channels > channel_allele_fraction;
    const auto fraction = static_cast<std::uint8_t>(std::min(254, allele.support * 254 / std::max(1, candidate.depth)));
    if (has_fraction_channel)
        for (std::size_t pixel = 0; pixel < shape_.bytes(); pixel += static_cast<std::size_t>(channels))
            out[pixel + channel_allele_fraction] = fraction;

    // Reference rows.
    for (int column = 0; column < width; ++column) {
        const std::uint8_t code = encode_base(store.reference_base(window_begin + column));
        std::uint8_t* pixel = out + static_cast<std::size_t>(column) * channels;
        pixel[channel_base] = base_value(code);
        pixel[channel_base_quality] = 254;
        pixel[channel_mapping_quality] = 254;
        pixel[channel_strand] = 70;
    }
    const std::size_t row_bytes = static_cast<std::size_t>(width) * channels;
    for (int row = 1; row < shape_.reference_rows; ++row) std::memcpy(out + row * row_bytes, out, row_bytes);

    // Reads overlapping the candidate position.
    rows_.clear();
    for (std::size_t i = 0; i < store.size(); ++i) {
        const StoredRead& read = store.read(i);
        if (read.start > position) break;  // sorted by start
        if (read.end <= position) continue;
        rows_.push_back({sampling_key(read.sampling_id, position), static_cast<std::uint32_t>(i),
                         read_supports_allele(store, i, position, allele)});
    }
    const auto read_rows = static_cast<std::size_t>(shape_.read_rows());
    if (rows_.size() > read_rows) {
        std::nth_element(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(read_rows), rows_.end(),
                         [](const Row& a, const Row& b) { return a.key != b.key ? a.key < b.key : a.read < b.read; });
        rows_.resize(read_rows);
    }
    std::sort(rows_.begin(), rows_.end(), [&](const Row& a, const Row& b) {
        if (a.supports != b.supports) return a.supports > b.supports;
        if (store.read(a.read).start != store.read(b.read).start)
            return store.read(a.read).start < store.read(b.read).start;
        return a.key < b.key;
    });

    for (std::size_t r = 0; r < rows_.size(); ++r) {
        const std::size_t i = rows_[r].read;
        const StoredRead& read = store.read(i);
        std::uint8_t* row = out + (static_cast<std::size_t>(shape_.reference_rows) + r) * row_bytes;
        const std::uint8_t mapping_quality = scaled(read.mapping_quality, 60);
        const std::uint8_t strand = read.reverse_strand ? 240 : 70;
        const std::uint8_t supports = rows_[r].supports ? 254 : 0;
        const std::int64_t from = std::max(window_begin, read.start);
        const std::int64_t to = std::min(window_begin + width, read.end);
        for (std::int64_t p = from; p < to; ++p) {
            std::uint8_t* pixel = row + static_cast<std::size_t>(p - window_begin) * channels;
            const std::uint8_t code = store.base_at(i, p);
            pixel[channel_base] = base_value(code);
            pixel[channel_base_quality] = code == base_gap ? 0 : scaled(store.quality_at(i, p), 40);
            pixel[channel_mapping_quality] = mapping_quality;
            pixel[channel_strand] = strand;
            pixel[channel_supports_allele] = supports;
            const bool differs =
                code == base_gap || (code != base_n && decode_base_code(code) != store.reference_base(p));
            pixel[channel_differs] = differs ? 254 : 0;
        }
        for (const IndelEvent* e = store.events_begin(i); e != store.events_end(i); ++e) {
            if (e->length > 0 && e->anchor >= from && e->anchor < to)
                row[static_cast<std::size_t>(e->anchor - window_begin) * channels + channel_differs] = 254;
        }
    }
}

}  // namespace genodose
