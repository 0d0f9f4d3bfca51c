// Sharded example files: what make-examples writes and train-caller streams.
//
// File format (gzip-compressed, little-endian), one shard per file "examples-NNNNN.gdx.gz":
//   header  "GDEXMPL1", uint32 height, width, channels, reference_rows
//   records int64 position, int8 label (0/1/2), uint8 allele kind (0 SNV, 1 ins, 2 del),
//           int16 allele length, uint32 reserved, then height×width×channels uint8 (HWC)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "genodose/calling/pileup_encoder.hpp"

namespace genodose {

struct ExampleMeta {
    std::int64_t position = 0;
    std::int8_t label = 0;
    std::uint8_t allele_kind = 0;
    std::int16_t allele_length = 0;
};

class ExampleShardWriter {
public:
    // Writes shards into `folder` (created if needed) with at most `examples_per_shard` each.
    // Files go to temporary names and are moved into place by close().
    ExampleShardWriter(std::string folder, const PileupShape& shape, std::size_t examples_per_shard);
    ~ExampleShardWriter();
    void write(const ExampleMeta& meta, const std::uint8_t* tensor);
    void close();
    std::size_t shards() const { return shard_paths_.size(); }

private:
    void open_next_shard();
    struct State;
    std::string folder_;
    PileupShape shape_;
    std::size_t examples_per_shard_;
    std::size_t in_shard_ = 0;
    std::vector<std::string> shard_paths_;
    std::unique_ptr<State> state_;
};

// All examples of one or more folders in memory (training data is at most a few hundred MB).
struct ExampleSet {
    PileupShape shape;
    std::vector<ExampleMeta> meta;
    std::vector<std::uint8_t> tensors;  // meta.size() × shape.bytes()
    std::size_t size() const { return meta.size(); }
};

// Reads every examples-*.gdx.gz shard in `folder` (sorted by name) and appends to `set`.
// InputError on a malformed shard or a shape that differs from the set's.
void read_example_folder(const std::string& folder, ExampleSet& set);

}  // namespace genodose
