#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "../test_paths.hpp"
#include "genodose/calling/caller_training.hpp"
#include "genodose/calling/cnn_weights.hpp"
#include "genodose/calling/example_io.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/calling/make_examples.hpp"
#include "genodose/core/error.hpp"

using namespace genodose;

namespace {
// Examples from the real-read fixture (labels from its GIAB truth), a tiny training set, in
// SCRATCH/examples; training options that use them for training and validation.
TrainingOptions fixture_training(test::ScratchFolder& scratch, int epochs) {
    MakeExamplesOptions examples;
    examples.reference_path = test::data_path("io/mini_ref.fa.gz");
    examples.reads_path = test::data_path("io/mini.bam");
    examples.truth_path = test::data_path("io/mini_truth.vcf.gz");
    examples.regions = {{"chr20", 10000000, 10003000}};
    examples.output_folder = scratch.file("examples");
    const auto summary = make_examples(examples);
    REQUIRE(summary.examples >= 4);

    TrainingOptions options;
    options.example_folders = {scratch.file("examples")};
    options.validation_folders = {scratch.file("examples")};
    options.output_path = scratch.file("model.cnn");
    options.max_epochs = epochs;
    options.batch_size = 4;
    return options;
}
}  // namespace

TEST_CASE("training writes a model whose Eigen inference reproduces LibTorch", "[training]") {
    test::ScratchFolder scratch;
    const TrainingOptions options = fixture_training(scratch, 2);
    const TrainingReport report = train_genotype_model(options);
    CHECK(report.epochs.size() == 2);
    CHECK(report.best_epoch >= 1);
    for (const auto suffix : {"", ".torch.pt", ".checkpoint.pt", ".log.tsv", ".uncalibrated.cnn"})
        CHECK(std::filesystem::exists(options.output_path + suffix));

    ExampleSet set;
    read_example_folder(scratch.file("examples"), set);
    const GenotypeModel model = GenotypeModel::load(options.output_path);
    CHECK(model.shape().height == set.shape.height);
    std::vector<float> eigen(set.size() * 3);
    model.predict(set.tensors.data(), set.size(), eigen.data());
    const std::vector<float> torch =
        predict_with_libtorch(options.output_path + ".torch.pt", set.tensors.data(), set.size());
    REQUIRE(torch.size() == eigen.size());
    float largest_difference = 0;
    for (std::size_t i = 0; i < eigen.size(); ++i)
        largest_difference = std::max(largest_difference, std::fabs(eigen[i] - torch[i]));
    CHECK(largest_difference < 1e-4f);
    for (std::size_t e = 0; e < set.size(); ++e)
        CHECK(eigen[e * 3] + eigen[e * 3 + 1] + eigen[e * 3 + 2] == Approx(1.0f));
}

namespace {
// Mean cross-entropy of a genodose-format model's probabilities against the examples' labels.
double mean_log_loss(const std::string& model_path, const ExampleSet& set) {
    const GenotypeModel model = GenotypeModel::load(model_path);
    std::vector<float> probabilities(set.size() * 3);
    model.predict(set.tensors.data(), set.size(), probabilities.data());
    double loss = 0;
    for (std::size_t e = 0; e < set.size(); ++e)
        loss -= std::log(static_cast<double>(probabilities[e * 3 + static_cast<std::size_t>(set.meta[e].label)]));
    return loss / static_cast<double>(set.size());
}
}  // namespace

TEST_CASE("calibration is folded into the shipped weights and lowers the validation loss", "[training]") {
    test::ScratchFolder scratch;
    const TrainingOptions options = fixture_training(scratch, 3);
    const TrainingReport report = train_genotype_model(options);
    const CalibrationReport& calibration = report.calibration;
    CHECK(calibration.validation_loss_after <= calibration.validation_loss_before);
    CHECK(calibration.temperature >= 0.25);
    CHECK(calibration.temperature <= 4.0);

    ExampleSet set;
    read_example_folder(scratch.file("examples"), set);
    // The losses the fit reports are those of the two files written, read back with Eigen: the
    // uncalibrated best epoch and the shipped (calibrated) model.
    CHECK(mean_log_loss(options.output_path + ".uncalibrated.cnn", set) ==
          Approx(calibration.validation_loss_before).epsilon(1e-3));
    CHECK(mean_log_loss(options.output_path, set) == Approx(calibration.validation_loss_after).epsilon(1e-3));
    if (calibration.applied) CHECK(calibration.validation_loss_after < calibration.validation_loss_before);
}

namespace {
// --epochs 0 --init-from ARCHIVE: calibrate a trained model on the fixture's examples, no training.
TrainingOptions calibration_only(test::ScratchFolder& scratch, const std::string& archive, const std::string& output) {
    TrainingOptions options;
    options.validation_folders = {scratch.file("examples")};
    options.output_path = scratch.file(output);
    options.initial_model = archive;
    options.max_epochs = 0;
    return options;
}
}  // namespace

TEST_CASE("a trained model can be calibrated again, or fine-tuned, from its archive", "[training]") {
    test::ScratchFolder scratch;
    TrainingOptions first = fixture_training(scratch, 1);
    first.calibrate = false;
    train_genotype_model(first);
    ExampleSet set;
    read_example_folder(scratch.file("examples"), set);

    // --epochs 0 --init-from: no training, the archive's weights calibrated; the uncalibrated copy
    // written beside it predicts exactly as the model it started from.
    TrainingOptions calibrate = calibration_only(scratch, first.output_path + ".torch.pt", "recalibrated.cnn");
    const TrainingReport report = train_genotype_model(calibrate);
    CHECK(report.epochs.empty());
    CHECK(mean_log_loss(calibrate.output_path + ".uncalibrated.cnn", set) ==
          Approx(mean_log_loss(first.output_path, set)).epsilon(1e-4));
    CHECK(mean_log_loss(calibrate.output_path, set) == Approx(report.calibration.validation_loss_after).epsilon(1e-3));
    CHECK(report.calibration.validation_loss_after <= report.calibration.validation_loss_before);

    // Fine-tuning starts from the archive's weights: with a zero learning rate they stay exactly
    // those (only the batch-norm running statistics move), unlike a fresh random start.
    TrainingOptions tune = fixture_training(scratch, 1);
    tune.output_path = scratch.file("tuned.cnn");
    tune.initial_model = first.output_path + ".torch.pt";
    tune.learning_rate = 0;
    tune.calibrate = false;
    train_genotype_model(tune);
    const CnnWeights started = read_cnn_weights(first.output_path), tuned = read_cnn_weights(tune.output_path);
    REQUIRE(started.tensors.count("conv1.weight") == 1);
    for (const auto& [name, tensor] : started.tensors) {
        if (name.find("running_") != std::string::npos || name.find("num_batches") != std::string::npos) continue;
        CHECK(tuned.tensors.at(name).values == tensor.values);
    }
    TrainingOptions fresh = tune;
    fresh.initial_model.clear();
    fresh.output_path = scratch.file("fresh.cnn");
    train_genotype_model(fresh);
    CHECK(read_cnn_weights(fresh.output_path).tensors.at("conv1.weight").values !=
          started.tensors.at("conv1.weight").values);

    TrainingOptions wrong = calibrate;
    wrong.initial_model = scratch.file("examples");  // a folder, not an archive
    CHECK_THROWS_AS(train_genotype_model(wrong), InputError);
}

TEST_CASE("temperature-only calibration rescales confidence and never changes the most likely genotype", "[training]") {
    test::ScratchFolder scratch;
    TrainingOptions first = fixture_training(scratch, 1);
    first.calibrate = false;
    train_genotype_model(first);
    ExampleSet set;
    read_example_folder(scratch.file("examples"), set);

    TrainingOptions calibrate = calibration_only(scratch, first.output_path + ".torch.pt", "temperature.cnn");
    calibrate.calibrate_offsets = false;
    const TrainingReport report = train_genotype_model(calibrate);
    REQUIRE(report.calibration.applied);
    for (double offset : report.calibration.offsets) CHECK(offset == 0.0);
    CHECK(report.calibration.validation_loss_after <= report.calibration.validation_loss_before);

    std::vector<float> raw(set.size() * 3), scaled(set.size() * 3);
    GenotypeModel::load(first.output_path).predict(set.tensors.data(), set.size(), raw.data());
    GenotypeModel::load(calibrate.output_path).predict(set.tensors.data(), set.size(), scaled.data());
    const auto most_likely = [](const float* p) { return std::max_element(p, p + 3) - p; };
    for (std::size_t e = 0; e < set.size(); ++e) CHECK(most_likely(&scaled[e * 3]) == most_likely(&raw[e * 3]));
    CHECK(raw != scaled);
}
