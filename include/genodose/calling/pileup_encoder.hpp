// Pileup tensors for the CNN: one image per candidate alt allele.
//
//   PileupEncoder encoder(PileupShape{});
//   std::vector<std::uint8_t> image(encoder.shape().bytes());
//   encoder.encode(store, candidate, alt_index, image.data());
//
// Layout: height × width × channels, uint8, channels last (row-major HWC), the layout the CNN
// consumes without copies. Rows: `reference_rows` copies of the reference on top, then up to
// height − reference_rows reads overlapping the candidate, sorted by (supports the allele,
// start, name hash). Columns: reference positions [position − width/2, position + width/2).
// More reads than rows are downsampled deterministically: the reads with the smallest hash of
// (read name, candidate position) are kept, so output never depends on threads or chunking.
#pragma once

#include <cstdint>
#include <vector>

#include "genodose/calling/candidates.hpp"

namespace genodose {

enum PileupChannel : int {
    channel_base = 0,             // A 250, G 180, C 100, T 30, N/gap 0
    channel_base_quality = 1,     // min(q, 40) / 40 × 254
    channel_mapping_quality = 2,  // min(mq, 60) / 60 × 254
    channel_strand = 3,           // forward 70, reverse 240
    channel_supports_allele = 4,  // 254 if the read carries the candidate allele, else 0
    channel_differs = 5,          // 254 where the read differs from the reference (mismatch,
                                  // deletion, or insertion after this base), else 0
    channel_allele_fraction = 6,  // the candidate allele's read fraction × 254, in every pixel
                                  // (DeepVariant's optional allele-frequency channel): the
                                  // network cannot easily divide supporting by covering reads
};

struct PileupShape {
    int height = 64;
    int width = 32;
    int channels = 7;
    int reference_rows = 4;
    std::size_t bytes() const { return static_cast<std::size_t>(height) * width * channels; }
    int read_rows() const { return height - reference_rows; }
};

class PileupEncoder {
public:
    explicit PileupEncoder(const PileupShape& shape) : shape_(shape) {}
    const PileupShape& shape() const { return shape_; }

    // Writes shape().bytes() bytes to `out`. `store` reads must be sorted by start (BAM order).
    void encode(const ReadStore& store, const Candidate& candidate, std::size_t alt_index, std::uint8_t* out);

    // Deterministic downsampling key for a read at a candidate position.
    static std::uint32_t sampling_key(std::uint32_t read_id, std::int64_t position);

private:
    struct Row {
        std::uint32_t key;
        std::uint32_t read;
        bool supports;
    };
    PileupShape shape_;
    std::vector<Row> rows_;  // reused per candidate
};

}  // namespace genodose
