// Loads the hand-made tiny BAM (tests/data/calling) into a ReadStore.
#pragma once

#include <string>

#include "../test_paths.hpp"
#include "genodose/calling/read_store.hpp"
#include "genodose/io/alignment_reader.hpp"
#include "genodose/io/reference_genome.hpp"

namespace genodose::test {

struct TinyPileup {
    ReferenceGenome reference{data_path("calling/tiny_ref.fa")};
    std::string sequence = reference.fetch({"tiny", 0, 100});
    ReadStore store;

    explicit TinyPileup(const ReadFilterOptions& filters = {}) {
        AlignmentReaderOptions options;
        options.filters = filters;
        AlignmentReader reader(data_path("calling/tiny.bam"), options);
        store.reset(sequence, 0);
        reader.for_each_read({"tiny", 0, 100}, [&](const AlignedRead& read) { store.add(read); });
    }
};

}  // namespace genodose::test
