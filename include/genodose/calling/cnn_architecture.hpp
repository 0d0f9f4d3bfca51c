// The genotype CNN's architecture, defined once: LibTorch training (calling_torch) builds its
// modules from this table and the Eigen inference (genotype_network.cpp) loads and runs the same
// layers, so the two cannot drift apart.
//
//   conv1 → conv2 → max-pool 2×1 → conv3 → conv4 → conv5 → adaptive average pool → dense → head
//
// Every convolution is 3×3 with padding 1, no bias, followed by batch norm and ReLU.
#pragma once

namespace genodose::cnn {

struct ConvolutionLayer {
    const char* convolution;  // weight names: "<convolution>.weight", "<norm>.weight|bias|running_mean|running_var"
    const char* norm;
    int out_channels;
    int stride_rows, stride_columns;
};

inline constexpr ConvolutionLayer convolutions[] = {
    {"conv1", "norm1", 32, 2, 2}, {"conv2", "norm2", 32, 1, 1}, {"conv3", "norm3", 64, 1, 1},
    {"conv4", "norm4", 64, 2, 2}, {"conv5", "norm5", 64, 1, 1},
};
inline constexpr int convolution_count = sizeof(convolutions) / sizeof(convolutions[0]);
inline constexpr int max_pool_after = 1;  // index of the convolution followed by the 2×1 max pool over rows
inline constexpr int pooled_rows = 2, pooled_columns = 8;  // adaptive average pool output per channel
inline constexpr int final_channels = convolutions[convolution_count - 1].out_channels;
inline constexpr int dense_inputs = final_channels * pooled_rows * pooled_columns;
inline constexpr int dense_units = 96;
inline constexpr double dense_dropout = 0.3;  // training only
inline constexpr int classes = 3;             // copies of the alt allele: 0, 1, 2

// The image height and width the strides and the pool need: a multiple of these.
inline constexpr int height_multiple = 8, width_multiple = 4;

}  // namespace genodose::cnn
