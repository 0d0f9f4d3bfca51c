// Diagnostic: a caller model's probabilities on the examples of a make-examples folder, with an
// optional ablation of one input, to see what a call depends on. Prints position, label, allele
// kind, allele length, P(0), P(1), P(2) copies. Ablations: none; mq60 (every read MAPQ 60);
// bq40 (every base quality 40); nodiff (no "differs from the reference" outside the candidate
// column). Build from the repository root after scripts/build.sh:
//   g++ -std=c++17 -O2 -Iinclude -I/usr/include/eigen3 benchmarks/caller/score_examples.cpp \
//     build/libgenodose_calling.a build/libgenodose_io.a build/libgenodose_core.a -lhts -lz -ltbb -lpthread -o build/score_examples
// Usage: build/score_examples MODEL EXAMPLES_FOLDER [ABLATION]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
#include "genodose/calling/example_io.hpp"
#include "genodose/calling/genotype_model.hpp"
using namespace genodose;
int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: score_examples MODEL EXAMPLES_FOLDER [none|mq60|bq40|nodiff]\n");
        return 2;
    }
    GenotypeModel model = GenotypeModel::load(argv[1]);
    ExampleSet set;
    read_example_folder(argv[2], set);
    std::string ablation = argc > 3 ? argv[3] : "none";
    const PileupShape& s = set.shape;
    const std::size_t bytes = s.bytes();
    for (std::size_t i = 0; i < set.size(); ++i) {
        std::uint8_t* t = set.tensors.data() + i * bytes;
        for (int r = 0; r < s.height; ++r)
            for (int c = 0; c < s.width; ++c) {
                std::uint8_t* px = t + (static_cast<std::size_t>(r) * s.width + c) * s.channels;
                if (ablation == "mq60" && px[0]) px[2] = 254;
                if (ablation == "bq40" && px[0]) px[1] = 254;
                if (ablation == "nodiff" && r >= s.reference_rows && c != s.width / 2) px[5] = 0;
            }
    }
    std::vector<float> p(set.size() * 3);
    model.predict(set.tensors.data(), set.size(), p.data());
    for (std::size_t i = 0; i < set.size(); ++i)
        std::printf("%lld\t%d\t%d\t%d\t%.4f\t%.4f\t%.4f\n", (long long)set.meta[i].position, set.meta[i].label,
                    set.meta[i].allele_kind, set.meta[i].allele_length, p[3 * i], p[3 * i + 1], p[3 * i + 2]);
    if (ablation != "none") {
        // What the ablation changes: examples whose call (hom-ref or not) flips, by label.
        ExampleSet original;
        read_example_folder(argv[2], original);
        std::vector<float> q(original.size() * 3);
        model.predict(original.tensors.data(), original.size(), q.data());
        const auto non_ref = [](const float* x) { return x[0] < x[1] || x[0] < x[2]; };
        int variants_missed = 0, variants_recovered = 0, hom_ref = 0, hom_ref_called = 0, hom_ref_newly_called = 0;
        for (std::size_t i = 0; i < set.size(); ++i) {
            if (set.meta[i].label > 0 && !non_ref(&q[3 * i])) {
                ++variants_missed;
                if (non_ref(&p[3 * i])) ++variants_recovered;
            }
            if (set.meta[i].label == 0) {
                ++hom_ref;
                if (non_ref(&q[3 * i])) ++hom_ref_called;
                if (non_ref(&p[3 * i])) ++hom_ref_newly_called;
            }
        }
        std::fprintf(stderr,
                     "variant examples called hom-ref: %d, of which called with %s: %d\n"
                     "hom-ref examples: %d, called non-ref: %d as they are, %d with %s\n",
                     variants_missed, ablation.c_str(), variants_recovered, hom_ref, hom_ref_called, hom_ref_newly_called,
                     ablation.c_str());
    }
}
