// Training the genotype CNN with LibTorch: the only translation unit that includes
// <torch/torch.h> (~20 s of compile), linked only into the genodose-torch helper program.
#include "genodose/calling/caller_training.hpp"

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <random>
#include <sstream>

#include "genodose/calling/cnn_architecture.hpp"
#include "genodose/calling/cnn_weights.hpp"
#include "genodose/calling/example_io.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"

namespace genodose {

namespace {

torch::nn::Conv2dOptions conv(int in, int out, int stride_rows, int stride_columns) {
    return torch::nn::Conv2dOptions(in, out, 3).stride({stride_rows, stride_columns}).padding(1).bias(false);
}

// The network of cnn_architecture.hpp: convolutions and batch norms registered under the
// names the inference side loads ("conv1", "norm1", …, "dense", "head").
struct GenotypeNetImpl : torch::nn::Module {
    // Registered (and so initialised from the seed) in the order of the layers.
    explicit GenotypeNetImpl(int channels) {
        int in_channels = channels;
        for (const cnn::ConvolutionLayer& layer : cnn::convolutions) {
            convolutions.push_back(register_module(
                layer.convolution,
                torch::nn::Conv2d(conv(in_channels, layer.out_channels, layer.stride_rows, layer.stride_columns))));
            norms.push_back(register_module(layer.norm, torch::nn::BatchNorm2d(layer.out_channels)));
            in_channels = layer.out_channels;
        }
        dense = register_module("dense", torch::nn::Linear(cnn::dense_inputs, cnn::dense_units));
        dropout = register_module("dropout", torch::nn::Dropout(cnn::dense_dropout));
        head = register_module("head", torch::nn::Linear(cnn::dense_units, cnn::classes));
    }

    torch::Tensor forward(torch::Tensor x) {
        for (int i = 0; i < cnn::convolution_count; ++i) {
            x = torch::relu(norms[static_cast<std::size_t>(i)](convolutions[static_cast<std::size_t>(i)](x)));
            if (i == cnn::max_pool_after) x = torch::max_pool2d(x, {2, 1});
        }
        x = torch::adaptive_avg_pool2d(x, {cnn::pooled_rows, cnn::pooled_columns});
        x = x.contiguous().flatten(1);
        x = dropout(torch::relu(dense(x)));
        return head(x);  // logits
    }

    std::vector<torch::nn::Conv2d> convolutions;
    std::vector<torch::nn::BatchNorm2d> norms;
    torch::nn::Linear dense{nullptr};
    torch::nn::Dropout dropout{nullptr};
    torch::nn::Linear head{nullptr};
};
TORCH_MODULE(GenotypeNet);

constexpr std::int64_t model_format_version = 1;

// nn::Module::to() has no memory-format overload in C++: convert the 4-D weights by hand, so
// oneDNN runs its channels-last convolution kernels (2.5–3.5× faster here).
void to_channels_last(torch::nn::Module& module) {
    torch::NoGradGuard no_grad;
    for (auto& parameter : module.parameters())
        if (parameter.dim() == 4) parameter.set_data(parameter.data().contiguous(torch::MemoryFormat::ChannelsLast));
}

// HWC uint8 images → NCHW float in channels-last memory (a view, no transpose copy).
torch::Tensor to_input(const std::uint8_t* images, std::size_t count, const PileupShape& shape) {
    auto bytes = torch::from_blob(const_cast<std::uint8_t*>(images),
                                  {static_cast<long>(count), shape.height, shape.width, shape.channels}, torch::kUInt8);
    return bytes.to(torch::kFloat32).mul_(1.0f / 255.0f).permute({0, 3, 1, 2});
}

void save_torch_archive(GenotypeNet& net, const PileupShape& shape, const std::string& path) {
    torch::serialize::OutputArchive archive;
    net->save(archive);
    archive.write("genodose_format_version", torch::tensor({model_format_version}));
    archive.write(
        "genodose_shape",
        torch::tensor({static_cast<std::int64_t>(shape.height), static_cast<std::int64_t>(shape.width),
                       static_cast<std::int64_t>(shape.channels), static_cast<std::int64_t>(shape.reference_rows)}));
    std::ostringstream buffer;
    archive.save_to(buffer);
    write_file_atomically(path, buffer.str(), OutputPermissions::shared);
}

// Weights of an earlier training (its .torch.pt) as the starting point; InputError when the file
// is not such an archive or was trained on images of another shape.
void load_initial_weights(GenotypeNet& net, const PileupShape& shape, const std::string& path) {
    torch::serialize::InputArchive archive;
    torch::Tensor saved_shape;
    try {
        archive.load_from(path);
        archive.read("genodose_shape", saved_shape);
        net->load(archive);
    } catch (const c10::Error&) {
        throw InputError(file_message(path, "not a genodose LibTorch model archive (.torch.pt)"));
    }
    if (saved_shape.numel() < 3 || saved_shape[0].item<std::int64_t>() != shape.height ||
        saved_shape[1].item<std::int64_t>() != shape.width || saved_shape[2].item<std::int64_t>() != shape.channels)
        throw InputError(file_message(path, "trained on pileup images of another shape than the examples"));
}

// The weights in genodose's format, for inference without LibTorch (GenotypeModel).
void save_inference_weights(GenotypeNet& net, const PileupShape& shape, const std::string& path) {
    torch::NoGradGuard no_grad;
    CnnWeights weights;
    weights.shape = shape;
    const auto add = [&](const std::string& name, const torch::Tensor& tensor) {
        const auto values = tensor.detach().to(torch::kFloat32).contiguous();
        WeightTensor out;
        for (const auto d : values.sizes()) out.dims.push_back(d);
        out.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
        weights.tensors[name] = std::move(out);
    };
    for (const auto& item : net->named_parameters()) add(item.key(), item.value());
    for (const auto& item : net->named_buffers())
        if (item.value().dtype() == torch::kFloat32) add(item.key(), item.value());
    write_file_atomically(path, serialize_cnn_weights(weights), OutputPermissions::shared);
}

// Cross-entropy logits of every example of `set` (eval mode, no gradients).
torch::Tensor logits_of(GenotypeNet& net, const ExampleSet& set) {
    torch::NoGradGuard no_grad;
    net->eval();
    std::vector<torch::Tensor> parts;
    for (std::size_t begin = 0; begin < set.size(); begin += 256) {
        const std::size_t n = std::min<std::size_t>(256, set.size() - begin);
        parts.push_back(net->forward(to_input(set.tensors.data() + begin * set.shape.bytes(), n, set.shape)));
    }
    return torch::cat(parts);
}

// The class-weighted loss trains towards balanced classes and a CNN is over-confident, so the
// raw softmax is no probability and GQ/QUAL say so. Temperature scaling with a per-class offset
// (logits / T + c; Guo et al. 2017, with the bias term of vector scaling) is fitted by maximum
// likelihood on the validation examples, then folded into the head layer: W' = W / T,
// b' = b / T + c. Returns what was fitted. With fit_offsets false only T is fitted: the offsets
// learn the class mix of the calibration examples, which on a few real loci is a property of
// those loci, while T only rescales confidence and never changes which genotype is most likely.
CalibrationReport calibrate_head(GenotypeNet& net, const ExampleSet& validation, bool fit_offsets) {
    CalibrationReport report;
    const auto logits = logits_of(net, validation);
    std::vector<std::int64_t> labels(validation.size());
    for (std::size_t i = 0; i < labels.size(); ++i) labels[i] = validation.meta[i].label;
    const auto target = torch::tensor(labels);
    // Bounded parameters (T in [0.25, 4], |c| <= 4, both 1 and 0 at the start), so that a small or
    // separable validation set cannot produce a degenerate fit (a near-zero temperature turns
    // every probability into 0 or 1).
    const double low = std::log(0.25), span = std::log(4.0) - std::log(0.25);
    auto temperature_parameter = torch::zeros({1}, torch::requires_grad());
    auto offset_parameters = torch::zeros({3}, torch::requires_grad());
    const auto temperature_of = [&] { return torch::exp(low + span * torch::sigmoid(temperature_parameter)); };
    const auto offsets_of = [&] { return fit_offsets ? 4.0 * torch::tanh(offset_parameters) : torch::zeros({3}); };
    const auto loss_of = [&] {
        return torch::nn::functional::cross_entropy(logits / temperature_of() + offsets_of(), target);
    };
    report.validation_loss_before = torch::nn::functional::cross_entropy(logits, target).item<double>();
    std::vector<torch::Tensor> parameters = {temperature_parameter};
    if (fit_offsets) parameters.push_back(offset_parameters);
    torch::optim::LBFGS optimizer(parameters, torch::optim::LBFGSOptions(0.5).max_iter(200));
    optimizer.step([&] {
        optimizer.zero_grad();
        auto loss = loss_of();
        loss.backward();
        return loss;
    });
    torch::NoGradGuard no_grad;
    const double loss_after = loss_of().item<double>();
    if (!(loss_after < report.validation_loss_before)) {  // nothing gained: keep the head as it is
        report.validation_loss_after = report.validation_loss_before;
        return report;
    }
    const double temperature = temperature_of().item<double>();
    const auto offsets = offsets_of();
    net->head->weight.div_(temperature);
    net->head->bias.div_(temperature).add_(offsets);
    report.applied = true;
    report.validation_loss_after = loss_after;
    report.temperature = temperature;
    for (int k = 0; k < 3; ++k) report.offsets[k] = offsets[k].item<double>();
    return report;
}

}  // namespace

TrainingReport train_genotype_model(const TrainingOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    ExampleSet training, validation;
    for (const auto& folder : options.example_folders) read_example_folder(folder, training);
    for (const auto& folder : options.validation_folders) read_example_folder(folder, validation);
    const bool calibrate_only = options.max_epochs == 0;
    if (calibrate_only && (options.initial_model.empty() || !options.calibrate))
        throw UsageError("--epochs 0 only calibrates a model: give --init-from and leave calibration on");
    if (validation.size() == 0) throw InputError("no validation examples");
    if (calibrate_only && training.size() == 0) training.shape = validation.shape;
    if (!calibrate_only && training.size() == 0) throw InputError("training examples are empty");
    if (validation.shape.bytes() != training.shape.bytes())
        throw InputError(
            file_message(options.validation_folders.front(), "tensor shape differs from the training examples"));

    torch::manual_seed(options.seed);
    torch::set_num_threads(std::max(1, options.threads));
    GenotypeNet net(training.shape.channels);
    if (!options.initial_model.empty()) load_initial_weights(net, training.shape, options.initial_model);
    to_channels_last(*net);
    TrainingReport report;
    report.training_examples = training.size();
    report.validation_examples = validation.size();
    for (const auto& p : net->parameters()) report.parameters += static_cast<std::size_t>(p.numel());

    // Class weights: inverse frequency, so the rare class is not ignored.
    std::array<double, 3> class_counts{1, 1, 1};
    for (const auto& meta : training.meta) class_counts[static_cast<std::size_t>(meta.label)] += 1;
    const double total = class_counts[0] + class_counts[1] + class_counts[2];
    auto class_weights = torch::tensor({static_cast<float>(total / (3 * class_counts[0])),
                                        static_cast<float>(total / (3 * class_counts[1])),
                                        static_cast<float>(total / (3 * class_counts[2]))});

    torch::optim::AdamW optimizer(net->parameters(),
                                  torch::optim::AdamWOptions(options.learning_rate).weight_decay(options.weight_decay));
    const std::string log_path = options.log_path.empty() ? options.output_path + ".log.tsv" : options.log_path;
    std::string log_text =
        "epoch\tlearning_rate\ttrain_loss\ttrain_accuracy\tvalidation_loss\tvalidation_accuracy\tseconds\n";

    std::mt19937_64 random(options.seed);
    std::vector<std::size_t> order(training.size());
    std::iota(order.begin(), order.end(), 0);
    const std::size_t bytes = training.shape.bytes();
    std::vector<std::uint8_t> batch_images(static_cast<std::size_t>(options.batch_size) * bytes);
    std::vector<std::int64_t> batch_labels(static_cast<std::size_t>(options.batch_size));

    const auto evaluate = [&](const ExampleSet& set, double& loss, double& accuracy) {
        torch::NoGradGuard no_grad;
        net->eval();
        double loss_sum = 0;
        std::size_t correct = 0;
        for (std::size_t begin = 0; begin < set.size(); begin += 256) {
            const std::size_t n = std::min<std::size_t>(256, set.size() - begin);
            const auto input = to_input(set.tensors.data() + begin * bytes, n, set.shape);
            std::vector<std::int64_t> labels(n);
            for (std::size_t i = 0; i < n; ++i) labels[i] = set.meta[begin + i].label;
            const auto target = torch::tensor(labels);
            const auto logits = net->forward(input);
            loss_sum += torch::nn::functional::cross_entropy(
                            logits, target, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                            .item<double>();
            correct += static_cast<std::size_t>(logits.argmax(1).eq(target).sum().item<std::int64_t>());
        }
        loss = loss_sum / static_cast<double>(set.size());
        accuracy = static_cast<double>(correct) / static_cast<double>(set.size());
    };

    double best_loss = INFINITY;
    if (calibrate_only) {
        double accuracy = 0;
        evaluate(validation, best_loss, accuracy);
        GENODOSE_LOG_INFO("calibration only: " << options.initial_model << " has validation loss " << best_loss
                                               << ", accuracy " << accuracy);
        save_torch_archive(net, training.shape, options.output_path + ".torch.pt");
        save_inference_weights(net, training.shape, options.output_path);
    }
    int epochs_without_improvement = 0;
    const std::size_t batches_per_epoch = (training.size() + static_cast<std::size_t>(options.batch_size) - 1) /
                                          static_cast<std::size_t>(options.batch_size);
    const std::size_t total_steps = batches_per_epoch * static_cast<std::size_t>(options.max_epochs);
    std::size_t step = 0;
    for (int epoch = 1; epoch <= options.max_epochs; ++epoch) {
        const auto epoch_start = std::chrono::steady_clock::now();
        std::shuffle(order.begin(), order.end(), random);
        net->train();
        double loss_sum = 0;
        std::size_t correct = 0, seen = 0;
        double learning_rate = options.learning_rate;
        for (std::size_t begin = 0; begin < order.size(); begin += static_cast<std::size_t>(options.batch_size)) {
            const std::size_t n =
                std::min<std::size_t>(static_cast<std::size_t>(options.batch_size), order.size() - begin);
            if (n < 2) break;  // batch norm needs two examples
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t index = order[begin + i];
                std::copy_n(training.tensors.data() + index * bytes, bytes, batch_images.data() + i * bytes);
                batch_labels[i] = training.meta[index].label;
            }
            // Cosine learning-rate schedule over the planned steps.
            learning_rate = options.learning_rate * 0.5 *
                            (1 + std::cos(M_PI * static_cast<double>(step) / static_cast<double>(total_steps)));
            for (auto& group : optimizer.param_groups())
                static_cast<torch::optim::AdamWOptions&>(group.options()).lr(learning_rate);
            const auto input = to_input(batch_images.data(), n, training.shape);
            const auto target = torch::from_blob(batch_labels.data(), {static_cast<long>(n)}, torch::kInt64).clone();
            optimizer.zero_grad();
            const auto logits = net->forward(input);
            const auto loss = torch::nn::functional::cross_entropy(
                logits, target, torch::nn::functional::CrossEntropyFuncOptions().weight(class_weights));
            loss.backward();
            optimizer.step();
            loss_sum += loss.item<double>() * static_cast<double>(n);
            correct += static_cast<std::size_t>(logits.argmax(1).eq(target).sum().item<std::int64_t>());
            seen += n;
            ++step;
        }
        EpochLog log;
        log.epoch = epoch;
        log.learning_rate = learning_rate;
        log.train_loss = loss_sum / static_cast<double>(std::max<std::size_t>(1, seen));
        log.train_accuracy = static_cast<double>(correct) / static_cast<double>(std::max<std::size_t>(1, seen));
        evaluate(validation, log.validation_loss, log.validation_accuracy);
        log.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
        report.epochs.push_back(log);
        char line[256];
        std::snprintf(line, sizeof line, "%d\t%.6f\t%.4f\t%.4f\t%.4f\t%.4f\t%.1f\n", epoch, log.learning_rate,
                      log.train_loss, log.train_accuracy, log.validation_loss, log.validation_accuracy, log.seconds);
        log_text += line;
        GENODOSE_LOG_INFO("epoch " << epoch << ": train loss " << log.train_loss << " acc " << log.train_accuracy
                                   << "; validation loss " << log.validation_loss << " acc " << log.validation_accuracy
                                   << " (" << log.seconds << " s)");
        save_torch_archive(net, training.shape, options.output_path + ".checkpoint.pt");
        if (log.validation_loss < best_loss - 1e-4) {
            best_loss = log.validation_loss;
            report.best_epoch = epoch;
            epochs_without_improvement = 0;
            save_torch_archive(net, training.shape, options.output_path + ".torch.pt");
            save_inference_weights(net, training.shape, options.output_path);
        } else if (++epochs_without_improvement >= options.patience) {
            GENODOSE_LOG_INFO("early stop: validation loss has not improved for " << options.patience << " epochs");
            break;
        }
        write_file_atomically(log_path, log_text);
        const double minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;
        if (minutes > options.max_minutes) {
            GENODOSE_LOG_WARN("stopping after " << minutes << " minutes (--max-minutes)");
            break;
        }
    }
    write_file_atomically(log_path, log_text);
    if (options.calibrate && (report.best_epoch > 0 || calibrate_only)) {
        torch::serialize::InputArchive archive;
        archive.load_from(options.output_path + ".torch.pt");
        net->load(archive);
        save_inference_weights(net, training.shape, options.output_path + ".uncalibrated.cnn");
        report.calibration = calibrate_head(net, validation, options.calibrate_offsets);
        const CalibrationReport& c = report.calibration;
        GENODOSE_LOG_INFO("calibration on the validation examples: temperature "
                          << c.temperature << ", offsets " << c.offsets[0] << " " << c.offsets[1] << " " << c.offsets[2]
                          << "; loss " << c.validation_loss_before << " -> " << c.validation_loss_after
                          << (c.applied ? "" : " (not applied)"));
        if (c.applied) {
            save_torch_archive(net, training.shape, options.output_path + ".torch.pt");
            save_inference_weights(net, training.shape, options.output_path);
        }
        char line[256];
        std::snprintf(line, sizeof line,
                      "# calibration\ttemperature %.4f\toffsets %.4f %.4f %.4f\tvalidation loss %.4f -> %.4f%s\n",
                      c.temperature, c.offsets[0], c.offsets[1], c.offsets[2], c.validation_loss_before,
                      c.validation_loss_after, c.applied ? "" : "\tnot applied");
        write_file_atomically(log_path, log_text + line);
    }
    return report;
}

std::vector<float> predict_with_libtorch(const std::string& torch_archive, const std::uint8_t* images,
                                         std::size_t count) {
    torch::serialize::InputArchive archive;
    archive.load_from(torch_archive);
    torch::Tensor shape_tensor;
    archive.read("genodose_shape", shape_tensor);
    PileupShape shape;
    shape.height = static_cast<int>(shape_tensor[0].item<std::int64_t>());
    shape.width = static_cast<int>(shape_tensor[1].item<std::int64_t>());
    shape.channels = static_cast<int>(shape_tensor[2].item<std::int64_t>());
    shape.reference_rows = static_cast<int>(shape_tensor[3].item<std::int64_t>());
    GenotypeNet net(shape.channels);
    net->load(archive);
    net->eval();
    torch::NoGradGuard no_grad;
    const auto output = torch::softmax(net->forward(to_input(images, count, shape)), 1).contiguous();
    return std::vector<float>(output.data_ptr<float>(), output.data_ptr<float>() + count * 3);
}

std::string libtorch_version() { return TORCH_VERSION; }

}  // namespace genodose
