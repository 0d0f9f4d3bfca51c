// The genotype CNN at inference time, evaluated on the CPU with Eigen.
//
//   GenotypeModel model = GenotypeModel::load(default_caller_model_path());
//   model.predict(images, count, probabilities);   // count × 3: P(0, 1 or 2 copies of the allele)
//
// The network is trained with LibTorch by `genodose train-caller` (caller_training.hpp), which
// writes its weights in genodose's own format (cnn_weights.hpp). Inference does not load
// LibTorch: its 280 shared libraries cost ~1.5 s at every start of the program.
//
// Network (channels-last; see models/caller.md): a first 3×3 convolution with stride 2, so no
// layer runs at full resolution on the 7 input channels; then 3×3 convolutions with batch norm
// and ReLU (32, 32 → max-pool 2×1 → 64, 64 stride 2, 64), average pooling to 2×8, a dense
// layer of 96 and a 3-way softmax head.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "genodose/calling/pileup_encoder.hpp"

namespace genodose {

class GenotypeModel {
public:
    static GenotypeModel load(const std::string& path);
    GenotypeModel(GenotypeModel&&) noexcept;
    GenotypeModel& operator=(GenotypeModel&&) noexcept;
    ~GenotypeModel();

    const PileupShape& shape() const;
    // Probabilities for `count` images laid out as in PileupEncoder (HWC uint8). Thread-safe.
    // Images are processed in fixed batches of `batch_size`, so results do not depend on how
    // callers group them.
    void predict(const std::uint8_t* images, std::size_t count, float* probabilities) const;
    static constexpr std::size_t batch_size = 64;

private:
    struct Impl;
    explicit GenotypeModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The shipped model, models/caller.cnn (found as core/resources.hpp describes).
std::string default_caller_model_path();

// Version of Eigen, which evaluates the CNN (for --version and provenance).
std::string eigen_version();

}  // namespace genodose
