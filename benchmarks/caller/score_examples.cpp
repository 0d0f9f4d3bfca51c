// Diagnostic: a caller model's probabilities on the examples of a make-examples folder, with an
// optional ablation of one input, to see what a call depends on. Prints position, label, allele
// kind, allele length, P(0), P(1), P(2) copies. Ablations: none; mq60 (every read MAPQ 60);
// bq40 (every base quality 40); nodiff (no "differs from the reference" outside the candidate
// column). Build from the repository root after scripts/build.sh (one command):
//   g++ -std=c++17 -O2 -Iinclude -I/usr/include/eigen3 benchmarks/caller/score_examples.cpp
//     build/libgenodose_calling.a build/libgenodose_io.a build/libgenodose_core.a -lhts -lz -ltbb -lpthread -o build/score_examples
// Usage: build/score_examples MODEL EXAMPLES_FOLDER [ABLATION]
#include <cstdio>
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
                if (ablation == "nodiff" && row >= shape.reference_rows && column != shape.width / 2) pixel[channel_differs] = 0;
            }
    }
    return true;
}

bool non_reference(const float* probabilities) { return probabilities[0] < probabilities[1] || probabilities[0] < probabilities[2]; }

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: score_examples MODEL EXAMPLES_FOLDER [none|mq60|bq40|nodiff]\n");
        return 2;
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
        std::printf("%lld\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\n", static_cast<long long>(set.meta[i].position), set.meta[i].label,
                    set.meta[i].allele_kind, set.meta[i].allele_length, ablated[3 * i], ablated[3 * i + 1], ablated[3 * i + 2]);
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
