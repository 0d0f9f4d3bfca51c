// The caller's weights in genodose's own file format, readable without LibTorch.
//
// File layout (little-endian): magic "GDCNN001"; uint32 height, width, channels,
// reference_rows (the pileup shape); uint32 tensor count; per tensor: uint32 name length, name,
// uint32 rank, uint32 dims[rank], float32 values (row-major, LibTorch's own order).
// Tensor names follow the LibTorch module (conv1.weight, norm1.running_mean, dense.bias, …).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "genodose/calling/pileup_encoder.hpp"

namespace genodose {

struct WeightTensor {
    std::vector<std::int64_t> dims;
    std::vector<float> values;
};

struct CnnWeights {
    PileupShape shape;
    std::map<std::string, WeightTensor> tensors;

    // InputError naming the file for a missing tensor or a wrong shape.
    const WeightTensor& get(const std::string& name, const std::vector<std::int64_t>& dims) const;
    std::string source;  // file it was read from, for messages
};

CnnWeights read_cnn_weights(const std::string& path);
// Serialised form of `weights` (write it with write_file_atomically).
std::string serialize_cnn_weights(const CnnWeights& weights);

}  // namespace genodose
