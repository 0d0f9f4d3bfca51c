// CPU inference of the genotype CNN with Eigen: the network trained by train-caller (LibTorch),
// evaluated without loading LibTorch, whose 280 shared libraries cost ~1.5 s at every start —
// more than bcftools needs for a whole 100 kb region. Batch norm is folded into the
// convolutions at load time; convolutions are im2col + one matrix product per batch, on
// channels-last (HWC) data, which is what the pileup encoder writes.
#include <Eigen/Core>

#include <algorithm>
#include <cmath>

#include "genodose/calling/cnn_architecture.hpp"
#include "genodose/calling/cnn_weights.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/resources.hpp"

namespace genodose {

namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;

constexpr float batch_norm_epsilon = 1e-5f;  // LibTorch's default

// A 3×3 convolution (padding 1) with its batch norm folded in, followed by ReLU.
struct FoldedConvolution {
    int in_channels = 0, out_channels = 0, stride_rows = 1, stride_columns = 1;
    RowMatrix kernel;         // (9 × in) × out: rows ordered (ky, kx, c) like the im2col columns
    Eigen::RowVectorXf bias;  // out

    void load(const CnnWeights& w, const std::string& conv, const std::string& norm, int in, int out, int sy, int sx) {
        in_channels = in;
        out_channels = out;
        stride_rows = sy;
        stride_columns = sx;
        const auto& weight = w.get(conv + ".weight", {out, in, 3, 3});
        const auto& gamma = w.get(norm + ".weight", {out});
        const auto& beta = w.get(norm + ".bias", {out});
        const auto& mean = w.get(norm + ".running_mean", {out});
        const auto& variance = w.get(norm + ".running_var", {out});
        kernel.resize(9 * in, out);
        bias.resize(out);
        for (int o = 0; o < out; ++o) {
            const float scale = gamma.values[o] / std::sqrt(variance.values[o] + batch_norm_epsilon);
            bias[o] = beta.values[o] - mean.values[o] * scale;
            for (int c = 0; c < in; ++c)
                for (int ky = 0; ky < 3; ++ky)
                    for (int kx = 0; kx < 3; ++kx)
                        kernel((ky * 3 + kx) * in + c, o) = weight.values[((o * in + c) * 3 + ky) * 3 + kx] * scale;
        }
    }
    int out_rows(int rows) const { return (rows - 1) / stride_rows + 1; }
    int out_columns(int columns) const { return (columns - 1) / stride_columns + 1; }

    // input: n × rows × columns × in (HWC per example); output: n × out_rows × out_columns × out.
    // Examples per im2col block: bounds the patch matrix (conv2: 0.59 MB per example) while the
    // GEMM still has thousands of rows.
    static constexpr int examples_per_block = 16;

    void apply(const float* input, int n, int rows, int columns, std::vector<float>& patch_buffer,
               std::vector<float>& output) const {
        const int orows = out_rows(rows), ocolumns = out_columns(columns);
        const Eigen::Index positions_per_example = static_cast<Eigen::Index>(orows) * ocolumns;
        const Eigen::Index patch_width = 9 * in_channels;
        output.resize(static_cast<std::size_t>(n * positions_per_example) * out_channels);
        for (int first = 0; first < n; first += examples_per_block) {
            const int block = std::min(examples_per_block, n - first);
            const Eigen::Index positions = block * positions_per_example;
            patch_buffer.assign(static_cast<std::size_t>(positions * patch_width), 0.0f);
            MatrixMap patches(patch_buffer.data(), positions, patch_width);
            Eigen::Index row = 0;
            for (int e = first; e < first + block; ++e) {
                const float* example = input + static_cast<std::size_t>(e) * rows * columns * in_channels;
                for (int oy = 0; oy < orows; ++oy) {
                    for (int ox = 0; ox < ocolumns; ++ox, ++row) {
                        float* patch = patches.row(row).data();
                        for (int ky = 0; ky < 3; ++ky) {
                            const int y = oy * stride_rows + ky - 1;
                            if (y < 0 || y >= rows) continue;
                            for (int kx = 0; kx < 3; ++kx) {
                                const int x = ox * stride_columns + kx - 1;
                                if (x < 0 || x >= columns) continue;
                                std::copy_n(example + (static_cast<std::size_t>(y) * columns + x) * in_channels,
                                            in_channels, patch + (ky * 3 + kx) * in_channels);
                            }
                        }
                    }
                }
            }
            MatrixMap result(output.data() + static_cast<std::size_t>(first * positions_per_example) * out_channels,
                             positions, out_channels);
            result.noalias() = patches * kernel;
            result.rowwise() += bias;
            result = result.cwiseMax(0.0f);
        }
    }
};

struct Dense {
    RowMatrix weight;  // out × in
    Eigen::VectorXf bias;
    void load(const CnnWeights& w, const std::string& name, int in, int out) {
        const auto& weights = w.get(name + ".weight", {out, in});
        const auto& biases = w.get(name + ".bias", {out});
        weight = ConstMatrixMap(weights.values.data(), out, in);
        bias = Eigen::Map<const Eigen::VectorXf>(biases.values.data(), out);
    }
};

}  // namespace

struct GenotypeModel::Impl {
    PileupShape shape;
    FoldedConvolution convolutions[cnn::convolution_count];
    Dense dense, head;
};

GenotypeModel::GenotypeModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GenotypeModel::GenotypeModel(GenotypeModel&&) noexcept = default;
GenotypeModel& GenotypeModel::operator=(GenotypeModel&&) noexcept = default;
GenotypeModel::~GenotypeModel() = default;

const PileupShape& GenotypeModel::shape() const { return impl_->shape; }

GenotypeModel GenotypeModel::load(const std::string& path) {
    const CnnWeights weights = read_cnn_weights(path);
    auto impl = std::make_unique<Impl>();
    impl->shape = weights.shape;
    if (weights.shape.height % cnn::height_multiple != 0 || weights.shape.width % cnn::width_multiple != 0 ||
        weights.shape.channels < 1)
        throw InputError(file_message(path, "caller model has an unsupported tensor shape"));
    int in_channels = weights.shape.channels;
    for (int i = 0; i < cnn::convolution_count; ++i) {
        const cnn::ConvolutionLayer& layer = cnn::convolutions[i];
        impl->convolutions[i].load(weights, layer.convolution, layer.norm, in_channels, layer.out_channels,
                                   layer.stride_rows, layer.stride_columns);
        in_channels = layer.out_channels;
    }
    impl->dense.load(weights, "dense", cnn::dense_inputs, cnn::dense_units);
    impl->head.load(weights, "head", cnn::dense_units, cnn::classes);
    return GenotypeModel(std::move(impl));
}

void GenotypeModel::predict(const std::uint8_t* images, std::size_t count, float* probabilities) const {
    const Impl& m = *impl_;
    const int height = m.shape.height, width = m.shape.width;
    const std::size_t image_bytes = m.shape.bytes();
    // Scratch reused by each thread across calls: no allocator churn per chunk, and a peak that
    // does not depend on how many chunks ran before.
    thread_local std::vector<float> a, b, patches;
    for (std::size_t start = 0; start < count; start += batch_size) {
        const int n = static_cast<int>(std::min(batch_size, count - start));
        a.resize(static_cast<std::size_t>(n) * image_bytes);
        const std::uint8_t* source = images + start * image_bytes;
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = source[i] * (1.0f / 255.0f);

        int rows = height, columns = width;
        for (int i = 0; i < cnn::convolution_count; ++i) {
            const FoldedConvolution& layer = m.convolutions[i];
            layer.apply(a.data(), n, rows, columns, patches, b);
            rows = layer.out_rows(rows), columns = layer.out_columns(columns);
            std::swap(a, b);  // the layer's output is the next input
            if (i != cnn::max_pool_after) continue;
            // Max pool 2×1 over rows.
            const int channels = layer.out_channels;
            const int pooled_rows = rows / 2;
            b.resize(static_cast<std::size_t>(n) * pooled_rows * columns * channels);
            for (int e = 0; e < n; ++e)
                for (int y = 0; y < pooled_rows; ++y)
                    for (int x = 0; x < columns; ++x)
                        for (int k = 0; k < channels; ++k) {
                            const std::size_t base = static_cast<std::size_t>(e) * rows * columns * channels;
                            b[((static_cast<std::size_t>(e) * pooled_rows + y) * columns + x) * channels + k] =
                                std::max(a[base + ((2 * y) * columns + x) * channels + k],
                                         a[base + ((2 * y + 1) * columns + x) * channels + k]);
                        }
            rows = pooled_rows;
            std::swap(a, b);
        }
        // Adaptive average pool, flattened in LibTorch's (channel, row, column) order.
        constexpr int pool_rows = cnn::pooled_rows, pool_columns = cnn::pooled_columns;
        constexpr int features_per_channel = pool_rows * pool_columns, channels = cnn::final_channels;
        RowMatrix features(n, channels * features_per_channel);
        for (int e = 0; e < n; ++e) {
            const float* x = a.data() + static_cast<std::size_t>(e) * rows * columns * channels;
            for (int py = 0; py < pool_rows; ++py) {
                const int y0 = py * rows / pool_rows, y1 = ((py + 1) * rows + pool_rows - 1) / pool_rows;
                for (int px = 0; px < pool_columns; ++px) {
                    const int x0 = px * columns / pool_columns,
                              x1 = ((px + 1) * columns + pool_columns - 1) / pool_columns;
                    const float cells = static_cast<float>((y1 - y0) * (x1 - x0));
                    for (int k = 0; k < channels; ++k) {
                        float sum = 0;
                        for (int y = y0; y < y1; ++y)
                            for (int xx = x0; xx < x1; ++xx)
                                sum += x[(static_cast<std::size_t>(y) * columns + xx) * channels + k];
                        features(e, k * features_per_channel + py * pool_columns + px) = sum / cells;
                    }
                }
            }
        }
        RowMatrix hidden = (features * m.dense.weight.transpose()).rowwise() + m.dense.bias.transpose();
        hidden = hidden.cwiseMax(0.0f);
        RowMatrix logits = (hidden * m.head.weight.transpose()).rowwise() + m.head.bias.transpose();
        for (int e = 0; e < n; ++e) {
            const float top = logits.row(e).maxCoeff();
            float total = 0;
            for (int k = 0; k < cnn::classes; ++k) total += std::exp(logits(e, k) - top);
            for (int k = 0; k < cnn::classes; ++k)
                probabilities[(start + static_cast<std::size_t>(e)) * cnn::classes + static_cast<std::size_t>(k)] =
                    std::exp(logits(e, k) - top) / total;
        }
    }
}

std::string default_caller_model_path() { return find_resource("models/caller.cnn"); }

std::string eigen_version() {
    return std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
           std::to_string(EIGEN_MINOR_VERSION);
}

}  // namespace genodose
