// make-examples: labelled pileup tensors for training the caller.
//
//   MakeExamplesOptions options;  // reference, reads, truth, regions, output folder, …
//   MakeExamplesSummary summary = make_examples(options);
//
// Writes OUTPUT/examples-NNNNN.gdx.gz shards (see example_io.hpp) and OUTPUT/summary.json
// (candidates, examples per class, candidate sensitivity, truth variants missed).
// Output is identical for any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genodose/calling/candidates.hpp"
#include "genodose/calling/local_realigner.hpp"
#include "genodose/calling/pileup_encoder.hpp"
#include "genodose/core/genomic_region.hpp"
#include "genodose/io/alignment_reader.hpp"

namespace genodose {

class ReferenceGenome;
class AlignmentReader;

struct MakeExamplesOptions {
    std::string reference_path;
    std::string reads_path;
    std::string truth_path;
    std::string confident_bed;           // optional: only label candidates inside
    std::vector<GenomicRegion> regions;  // empty = every contig shared by reads and reference
    std::string output_folder;
    int threads = 1;
    std::int64_t chunk_size = 20000;
    std::size_t examples_per_shard = 20000;
    CandidateOptions candidates;
    RealignerOptions realigner;  // local haplotype realignment (on by default)
    PileupShape shape;
    ReadFilterOptions filters;
};

struct MakeExamplesSummary {
    std::uint64_t reads = 0;
    std::uint64_t candidate_sites = 0;
    std::uint64_t examples = 0;
    std::uint64_t examples_per_class[3] = {0, 0, 0};
    std::uint64_t unlabelled = 0;  // outside confident regions or near complex truth variants
    std::uint64_t truth_snvs = 0, truth_indels = 0;
    std::uint64_t missed_snvs = 0, missed_indels = 0;
    std::vector<std::string> missed;  // "chr20:1234 A>AT" for each truth allele not a candidate
    double seconds = 0;
    std::string to_json() const;
};

MakeExamplesSummary make_examples(const MakeExamplesOptions& options);

// The regions to work on, in reference spelling and order, merged; every contig shared by the
// reads and the reference when `requested` is empty. Checks reads against the reference.
std::vector<GenomicRegion> resolve_calling_regions(const ReferenceGenome& reference, const AlignmentReader& reads,
                                                   const std::vector<GenomicRegion>& requested);

}  // namespace genodose
