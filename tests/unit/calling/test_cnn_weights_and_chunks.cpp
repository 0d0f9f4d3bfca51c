// The caller's weight file format (cnn_weights), the shipped model against the architecture
// table, and ChunkProcessor's promise that chunking does not change candidates or their images.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include "../test_paths.hpp"
#include "chunk_processor.hpp"
#include "genodose/calling/cnn_architecture.hpp"
#include "genodose/calling/cnn_weights.hpp"
#include "genodose/core/error.hpp"
#include "genodose/io/reference_genome.hpp"

using namespace genodose;

namespace {

void write_bytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

CnnWeights two_tensors() {
    CnnWeights weights;
    weights.shape.height = 16;
    weights.shape.width = 8;
    weights.shape.channels = 3;
    weights.shape.reference_rows = 2;
    weights.tensors["conv1.weight"] = {{2, 3, 3, 3}, std::vector<float>(54)};
    for (std::size_t i = 0; i < 54; ++i)
        weights.tensors["conv1.weight"].values[i] = 0.5f * static_cast<float>(i) - 3.0f;
    weights.tensors["head.bias"] = {{3}, {0.25f, -1.5f, 1e-7f}};
    return weights;
}

}  // namespace

TEST_CASE("weight files read back exactly as written", "[cnn_weights]") {
    test::ScratchFolder scratch;
    const CnnWeights written = two_tensors();
    write_bytes(scratch.file("w.cnn"), serialize_cnn_weights(written));
    const CnnWeights read = read_cnn_weights(scratch.file("w.cnn"));
    CHECK(read.shape.height == 16);
    CHECK(read.shape.width == 8);
    CHECK(read.shape.channels == 3);
    CHECK(read.shape.reference_rows == 2);
    REQUIRE(read.tensors.size() == 2);
    for (const auto& [name, tensor] : written.tensors) {
        CHECK(read.tensors.at(name).dims == tensor.dims);
        CHECK(read.tensors.at(name).values == tensor.values);
    }
    CHECK(read.get("head.bias", {3}).values.size() == 3);
    CHECK_THROWS_AS(read.get("head.bias", {4}), InputError);     // wrong shape
    CHECK_THROWS_AS(read.get("dense.weight", {3}), InputError);  // missing
}

TEST_CASE("a truncated or foreign weight file is bad input, not a crash", "[cnn_weights]") {
    test::ScratchFolder scratch;
    const std::string bytes = serialize_cnn_weights(two_tensors());
    write_bytes(scratch.file("cut.cnn"), bytes.substr(0, bytes.size() - 10));
    CHECK_THROWS_AS(read_cnn_weights(scratch.file("cut.cnn")), InputError);
    write_bytes(scratch.file("header.cnn"), bytes.substr(0, 12));
    CHECK_THROWS_AS(read_cnn_weights(scratch.file("header.cnn")), InputError);
    std::string foreign = bytes;
    foreign[0] = 'X';
    write_bytes(scratch.file("foreign.cnn"), foreign);
    CHECK_THROWS_AS(read_cnn_weights(scratch.file("foreign.cnn")), InputError);
    CHECK_THROWS_AS(read_cnn_weights(scratch.file("absent.cnn")), InputError);
}

TEST_CASE("the shipped caller model has every layer of the architecture with its shape", "[cnn_weights]") {
    const CnnWeights weights = read_cnn_weights(std::string(GENODOSE_SOURCE_DIR) + "/models/caller.cnn");
    CHECK(weights.shape.height % cnn::height_multiple == 0);
    CHECK(weights.shape.width % cnn::width_multiple == 0);
    std::int64_t in = weights.shape.channels;
    for (const cnn::ConvolutionLayer& layer : cnn::convolutions) {
        const std::string conv = layer.convolution, norm = layer.norm;
        CHECK_NOTHROW(weights.get(conv + ".weight", {layer.out_channels, in, 3, 3}));
        for (const char* part : {".weight", ".bias", ".running_mean", ".running_var"})
            CHECK_NOTHROW(weights.get(norm + part, {layer.out_channels}));
        in = layer.out_channels;
    }
    CHECK_NOTHROW(weights.get("dense.weight", {cnn::dense_units, cnn::dense_inputs}));
    CHECK_NOTHROW(weights.get("head.weight", {cnn::classes, cnn::dense_units}));
    CHECK_NOTHROW(weights.get("head.bias", {cnn::classes}));
}

TEST_CASE("chunking does not change the candidates, their images or the position counts", "[chunk_processor]") {
    ReferenceGenome reference(test::data_path("calling/tiny_ref.fa"));
    CallingInputs inputs;
    inputs.reference = &reference;
    inputs.reads_path = test::data_path("calling/tiny.bam");
    inputs.keep_position_counts = true;
    ChunkProcessor processor(inputs);

    ChunkCandidates whole;
    processor.process({"tiny", 0, 100}, whole);
    REQUIRE(!whole.sites.empty());
    std::size_t images = 0;
    for (const auto& site : whole.sites) images += site.alts.size();
    CHECK(whole.tensors.size() == images * inputs.shape.bytes());
    CHECK(whole.depths.size() == 100);
    CHECK(whole.reads > 0);

    // The same region in two chunks split at 30: every site in exactly one of them, with the
    // same alleles, image bytes and per-position counts.
    std::map<std::int64_t, std::pair<std::vector<std::string>, std::vector<std::uint8_t>>> parts;
    std::vector<std::int32_t> depths;
    for (const GenomicRegion& chunk : {GenomicRegion{"tiny", 0, 30}, GenomicRegion{"tiny", 30, 100}}) {
        ChunkCandidates part;
        processor.process(chunk, part);
        std::size_t offset = 0;
        for (const auto& site : part.sites) {
            const std::size_t bytes = site.alts.size() * inputs.shape.bytes();
            parts[site.candidate.position] = {
                site.alts,
                std::vector<std::uint8_t>(part.tensors.begin() + static_cast<std::ptrdiff_t>(offset),
                                          part.tensors.begin() + static_cast<std::ptrdiff_t>(offset + bytes))};
            offset += bytes;
        }
        depths.insert(depths.end(), part.depths.begin(), part.depths.end());
    }
    CHECK(depths == whole.depths);
    REQUIRE(parts.size() == whole.sites.size());
    std::size_t offset = 0;
    for (const auto& site : whole.sites) {
        const std::size_t bytes = site.alts.size() * inputs.shape.bytes();
        const auto found = parts.find(site.candidate.position);
        REQUIRE(found != parts.end());
        CHECK(found->second.first == site.alts);
        CHECK(found->second.second ==
              std::vector<std::uint8_t>(whole.tensors.begin() + static_cast<std::ptrdiff_t>(offset),
                                        whole.tensors.begin() + static_cast<std::ptrdiff_t>(offset + bytes)));
        offset += bytes;
    }
}
