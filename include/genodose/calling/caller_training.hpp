// Training the genotype CNN with LibTorch (only the genodose-torch helper program links this;
// `genodose train-caller` runs it, so ordinary commands never load LibTorch).
//
//   TrainingOptions options;  …
//   TrainingReport report = train_genotype_model(options);
//
// Writes the best epoch's weights to options.output_path in genodose's format (read by
// GenotypeModel), the LibTorch archive of the same epoch to output_path + ".torch.pt", a
// checkpoint of the last epoch to output_path + ".checkpoint.pt", and a per-epoch log. With
// calibration (the default) the best epoch is also kept uncalibrated as output_path +
// ".uncalibrated.cnn", for measuring what calibration does.
//
// With `initial_model` (a LibTorch archive written by an earlier training) training starts from
// those weights (fine-tuning) instead of a random initialisation; with max_epochs 0 as well, the
// model is only calibrated on the validation examples (no training examples are needed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace genodose {

struct TrainingOptions {
    std::vector<std::string> example_folders;
    std::vector<std::string> validation_folders;
    std::string output_path;  // models/caller.cnn; the LibTorch archive and checkpoint go beside it
    std::string log_path;     // per-epoch TSV (default: output_path + ".log.tsv")
    int threads = 1;
    std::uint64_t seed = 1;
    int max_epochs = 20;
    int patience = 4;  // epochs without validation-loss improvement before stopping
    double learning_rate = 1e-3;
    double weight_decay = 1e-4;
    int batch_size = 64;
    double max_minutes = 55;        // stop (keeping the best model) when training runs this long
    bool calibrate = true;          // fit a temperature and class offsets on the validation examples
    bool calibrate_offsets = true;  // false: the temperature only (class offsets stay 0)
    std::string initial_model;      // start from this .torch.pt (fine-tune, or calibrate with max_epochs 0)
};

// Post-hoc calibration of the best epoch (logits / T + offset, fitted by likelihood on the
// validation examples and folded into the head layer, so inference is unchanged).
struct CalibrationReport {
    bool applied = false;
    double temperature = 1;
    double offsets[3] = {0, 0, 0};
    double validation_loss_before = 0, validation_loss_after = 0;  // mean unweighted cross-entropy
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
    CalibrationReport calibration;
};

TrainingReport train_genotype_model(const TrainingOptions& options);

// Probabilities from the LibTorch network saved at `torch_archive` (OUTPUT.torch.pt), for
// checking that GenotypeModel's inference reproduces LibTorch's.
std::vector<float> predict_with_libtorch(const std::string& torch_archive, const std::uint8_t* images,
                                         std::size_t count);

// Version of LibTorch the training helper was built with.
std::string libtorch_version();

}  // namespace genodose
