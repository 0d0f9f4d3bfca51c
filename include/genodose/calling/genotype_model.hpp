// The genotype CNN (LibTorch), behind an interface free of torch headers.
//
//   GenotypeModel model = GenotypeModel::load("models/caller.pt");
//   model.predict(images, count, probabilities);   // count × 3: P(0, 1 or 2 copies of the allele)
//
//   TrainingOptions options;  …
//   TrainingReport report = train_genotype_model(options);
//
// Network (channels-last, for CPU speed; see models/caller.md): the first convolution has
// stride 2 so that no layer runs at full resolution on the 6 input channels; then 3×3
// convolutions with batch norm and ReLU, average pooling to 2×8, two dense layers, and a
// 3-way softmax head.
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
    // Probabilities for `count` images laid out as in PileupEncoder (HWC uint8). Thread-safe:
    // several threads may predict at once. Images are processed in fixed batches of
    // `batch_size`, so results do not depend on how callers group them.
    void predict(const std::uint8_t* images, std::size_t count, float* probabilities) const;
    static constexpr std::size_t batch_size = 64;

    // Intra-op threads LibTorch may use (1 when TBB already runs one worker per core).
    static void set_threads(int threads);

private:
    struct Impl;
    explicit GenotypeModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

struct TrainingOptions {
    std::vector<std::string> example_folders;
    std::vector<std::string> validation_folders;
    std::string output_path;       // models/caller.pt; checkpoints next to it
    std::string log_path;          // per-epoch TSV (default: output_path + ".log.tsv")
    int threads = 1;
    std::uint64_t seed = 1;
    int max_epochs = 20;
    int patience = 4;              // epochs without validation-loss improvement before stopping
    double learning_rate = 1e-3;
    double weight_decay = 1e-4;
    int batch_size = 64;
    double max_minutes = 55;       // stop (keeping the best model) when training runs this long
};

struct EpochLog {
    int epoch = 0;
    double learning_rate = 0;
    double train_loss = 0, train_accuracy = 0;
    double validation_loss = 0, validation_accuracy = 0;
    double seconds = 0;
};

struct TrainingReport {
    std::vector<EpochLog> epochs;
    int best_epoch = 0;
    std::size_t training_examples = 0, validation_examples = 0;
    std::size_t parameters = 0;
};

TrainingReport train_genotype_model(const TrainingOptions& options);

}  // namespace genodose
