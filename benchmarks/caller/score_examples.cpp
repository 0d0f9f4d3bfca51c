// Diagnostic: a caller model's probabilities on the examples of a make-examples folder, with an
// optional ablation of one input, to see what a call depends on. Prints position, label, allele
// kind, allele length, P(0), P(1), P(2) copies. Ablations: none; mq60 (every read MAPQ 60);
// bq40 (every base quality 40); nodiff (no "differs from the reference" outside the candidate
// column). Build from the repository root after scripts/build.sh (one command):
//   g++ -std=c++17 -O2 -Iinclude -I/usr/include/eigen3 benchmarks/caller/score_examples.cpp
//     build/libgenodose_calling.a build/libgenodose_io.a build/libgenodose_core.a -lhts -lz -ltbb -lpthread -o build/score_examples
// Usage: build/score_examples MODEL EXAMPLES_FOLDER [ABLATION]
//        build/score_examples --mapq-labels EXAMPLES_FOLDER...
// The second form needs no model: it prints the labels of the SNV examples by the share of their
// reads below MAPQ 60 at the candidate column, i.e. what a model can learn from mapping quality
// (in the simulated training data a candidate with reads below 60 is mostly hom-ref; in real
// BAMs that depends on the aligner).
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "genodose/calling/example_io.hpp"
#include "genodose/calling/genotype_model.hpp"

using namespace genodose;

namespace {

// Changes one input of every example in place; false for an unknown ablation name.
bool ablate(const std::string& ablation, ExampleSet& set) {
    if (ablation != "mq60" && ablation != "bq40" && ablation != "nodiff") return ablation == "none";
    const PileupShape& shape = set.shape;
    for (std::size_t i = 0; i < set.size(); ++i) {
        std::uint8_t* image = set.tensors.data() + i * shape.bytes();
        for (int row = 0; row < shape.height; ++row)
            for (int column = 0; column < shape.width; ++column) {
                std::uint8_t* pixel = image + (static_cast<std::size_t>(row) * shape.width + column) * shape.channels;
                const bool has_read = pixel[channel_base] != 0;
                if (ablation == "mq60" && has_read) pixel[channel_mapping_quality] = 254;
                if (ablation == "bq40" && has_read) pixel[channel_base_quality] = 254;
                if (ablation == "nodiff" && row >= shape.reference_rows && column != shape.width / 2)
                    pixel[channel_differs] = 0;
            }
    }
    return true;
}

// Markdown table: SNV examples by label and share of reads below MAPQ 60 at the candidate.
void print_mapq_labels(const ExampleSet& set) {
    static const char* const classes[] = {"none", "< 5%", "5-15%", "15-30%", ">= 30%"};
    const PileupShape& shape = set.shape;
    const std::uint8_t mapq_60 = 254;  // min(mq, 60) / 60 × 254, PileupEncoder
    long counts[5][3] = {};
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (set.meta[i].allele_kind != 0) continue;  // SNVs only
        const std::uint8_t* image = set.tensors.data() + i * shape.bytes();
        int reads = 0, low = 0;
        for (int row = shape.reference_rows; row < shape.height; ++row) {
            const std::uint8_t* pixel =
                image + (static_cast<std::size_t>(row) * shape.width + shape.width / 2) * shape.channels;
            if (pixel[channel_base] == 0 && pixel[channel_mapping_quality] == 0) continue;  // no read at the candidate
            ++reads;
            if (pixel[channel_mapping_quality] < mapq_60) ++low;
        }
        if (reads == 0) continue;
        const double share = static_cast<double>(low) / reads;
        const int cls = low == 0 ? 0 : share < 0.05 ? 1 : share < 0.15 ? 2 : share < 0.30 ? 3 : 4;
        ++counts[cls][set.meta[i].label];
    }
    std::printf(
        "| reads below MAPQ 60 at the candidate | hom-ref | het | hom-alt | hom-ref share |\n|---|---:|---:|---:|---:|\n");
    for (int cls = 0; cls < 5; ++cls) {
        const long total = counts[cls][0] + counts[cls][1] + counts[cls][2];
        char share[16] = "n/a";
        if (total) std::snprintf(share, sizeof share, "%.0f%%", 100.0 * counts[cls][0] / total);
        std::printf("| %s | %ld | %ld | %ld | %s |\n", classes[cls], counts[cls][0], counts[cls][1], counts[cls][2],
                    share);
    }
}

bool non_reference(const float* probabilities) {
    return probabilities[0] < probabilities[1] || probabilities[0] < probabilities[2];
}

}  // namespace

int run(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: score_examples MODEL EXAMPLES_FOLDER [none|mq60|bq40|nodiff]\n"
                             "       score_examples --mapq-labels EXAMPLES_FOLDER...\n");
        return 2;
    }
    if (std::string(argv[1]) == "--mapq-labels") {
        ExampleSet set;
        for (int a = 2; a < argc; ++a) read_example_folder(argv[a], set);
        print_mapq_labels(set);
        return 0;
    }
    const std::string ablation = argc > 3 ? argv[3] : "none";
    const GenotypeModel model = GenotypeModel::load(argv[1]);
    ExampleSet set;
    read_example_folder(argv[2], set);
    std::vector<float> as_is(set.size() * 3);
    model.predict(set.tensors.data(), set.size(), as_is.data());
    if (!ablate(ablation, set)) {
        std::fprintf(stderr, "score_examples: unknown ablation '%s' (none, mq60, bq40, nodiff)\n", ablation.c_str());
        return 2;
    }
    std::vector<float> ablated(set.size() * 3);
    model.predict(set.tensors.data(), set.size(), ablated.data());
    for (std::size_t i = 0; i < set.size(); ++i)
        std::printf("%lld\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\n", static_cast<long long>(set.meta[i].position),
                    set.meta[i].label, set.meta[i].allele_kind, set.meta[i].allele_length, ablated[3 * i],
                    ablated[3 * i + 1], ablated[3 * i + 2]);
    if (ablation == "none") return 0;
    // What the ablation changes: calls (hom-ref or not) by label, as they are and ablated.
    int variants_missed = 0, variants_recovered = 0, hom_ref = 0, hom_ref_called = 0, hom_ref_called_ablated = 0;
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (set.meta[i].label > 0 && !non_reference(&as_is[3 * i])) {
            ++variants_missed;
            if (non_reference(&ablated[3 * i])) ++variants_recovered;
        }
        if (set.meta[i].label == 0) {
            ++hom_ref;
            if (non_reference(&as_is[3 * i])) ++hom_ref_called;
            if (non_reference(&ablated[3 * i])) ++hom_ref_called_ablated;
        }
    }
    std::fprintf(stderr,
                 "variant examples called hom-ref: %d, of which called with %s: %d\n"
                 "hom-ref examples: %d, called non-ref: %d as they are, %d with %s\n",
                 variants_missed, ablation.c_str(), variants_recovered, hom_ref, hom_ref_called, hom_ref_called_ablated,
                 ablation.c_str());
    return 0;
}

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& error) {  // unreadable model or examples: one line, not a crash
        std::fprintf(stderr, "score_examples: %s\n", error.what());
        return 3;
    }
}
