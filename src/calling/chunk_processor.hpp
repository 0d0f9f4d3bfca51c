// Reads → candidates → pileup tensors for one region chunk; the shared first half of
// make-examples and call.
//
//   ChunkProcessor processor(inputs);              // one per worker thread
//   ChunkCandidates result;
//   processor.process(chunk, result);
//
// Chunks are processed independently (reads are fetched with padding so that indels near a
// chunk edge are counted whole), so results never depend on how many threads ran them.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "genodose/calling/candidates.hpp"
#include "genodose/calling/local_realigner.hpp"
#include "genodose/calling/pileup_encoder.hpp"
#include "genodose/calling/read_store.hpp"
#include "genodose/calling/threads.hpp"
#include "genodose/core/genomic_region.hpp"
#include "genodose/io/alignment_reader.hpp"

namespace genodose {

class ReferenceGenome;
class GenotypeModel;

struct CallingInputs {
    const ReferenceGenome* reference = nullptr;
    std::string reads_path;
    AlignmentReaderOptions reader_options;
    CandidateOptions candidates;
    RealignerOptions realigner;
    PileupShape shape;
    bool keep_position_counts = false;  // fill ChunkCandidates::depths/reference_counts (gVCF)
    // Groups of nearby small chunks (group_nearby_chunks) whose reads and reference are read
    // once for the whole group; empty: every chunk reads its own.
    std::vector<GenomicRegion> chunk_groups;
};

struct CandidateSite {
    Candidate candidate;
    std::string ref;                                           // merged VCF REF
    std::vector<std::string> alts;                             // merged VCF ALTs
    std::vector<std::pair<std::string, std::string>> minimal;  // per alt: minimal (ref, alt)
};

struct ChunkCandidates {
    GenomicRegion chunk;
    std::vector<CandidateSite> sites;
    std::vector<std::uint8_t> tensors;  // one image per (site, alt), in order
    std::uint64_t reads = 0;
    std::uint64_t repeated_reads = 0;     // copies of reads skipped (same name and flags; AlignmentReader)
    std::uint64_t downsampled_reads = 0;  // left out by the depth cap (ReadFilterOptions::max_depth)
    RealignerStats realignment;
    // Per position of the chunk, when CallingInputs::keep_position_counts: read depth and
    // good-quality reference bases; reference_bases holds the chunk's reference sequence.
    std::vector<std::int32_t> depths;
    std::vector<std::int32_t> reference_counts;
    std::string reference_bases;
};

class ChunkProcessor {
public:
    explicit ChunkProcessor(const CallingInputs& inputs);
    void process(const GenomicRegion& chunk, ChunkCandidates& out);

private:
    // The reference window of `chunk` (from the held group's reference when it has one) and the
    // reads of its group held in the reader.
    void prepare_window(const GenomicRegion& chunk, std::int64_t window_begin, std::int64_t window_end);

    const CallingInputs& inputs_;
    std::map<std::string, std::vector<GenomicRegion>> groups_by_contig_;
    GenomicRegion held_group_;  // the group whose reads the reader holds (and reference below)
    bool reads_held_ = false;
    std::string group_reference_;
    AlignmentReader reader_;
    LocalRealigner realigner_;
    ReadStore store_;
    CandidateFinder finder_;
    PileupEncoder encoder_;
    std::string reference_window_;
    std::vector<Candidate> candidates_;
};

// One ChunkProcessor per worker thread, made on the thread's first chunk (each holds a reads
// file handle and reusable buffers), for the process step of process_chunks_in_order().
class ThreadChunkProcessors {
public:
    explicit ThreadChunkProcessors(const CallingInputs& inputs) : inputs_(inputs) {}
    void process(const GenomicRegion& chunk, ChunkCandidates& out) {
        auto& processor = processors_.local();
        if (!processor) processor = std::make_unique<ChunkProcessor>(inputs_);
        processor->process(chunk, out);
    }

private:
    const CallingInputs& inputs_;
    tbb::enumerable_thread_specific<std::unique_ptr<ChunkProcessor>> processors_;
};

// The CNN's probabilities for every site of `chunk`: per site, {P(0), P(1), P(2) copies} for
// each of its alt alleles, in order (one batched prediction for the whole chunk).
std::vector<std::vector<std::array<float, 3>>> predict_site_alleles(const GenotypeModel& model,
                                                                    const ChunkCandidates& chunk);

// Bases of padding around a chunk: reads are fetched from here, so an indel left-aligned into
// the chunk from a read starting before it is still counted.
inline constexpr std::int64_t chunk_read_padding = 300;

// Chunks whose reference windows (the chunk with `padding` bases each side) lie within
// max_chunk_group_gap of each other, on one contig, are grouped while the group spans at most
// max_chunk_group_span bases (so full-size chunks are never grouped); only groups of two or more
// chunks are returned, in chunk order. A BED file of 100,000 spaced small intervals becomes a few
// thousand fetches instead of 100,000, each re-reading and decompressing the same reads.
inline constexpr std::int64_t max_chunk_group_gap = 1000;
inline constexpr std::int64_t max_chunk_group_span = 20000;
// A group with more reads than this (very deep data) is read chunk by chunk instead.
inline constexpr std::size_t max_chunk_group_reads = 200000;
std::vector<GenomicRegion> group_nearby_chunks(const std::vector<GenomicRegion>& chunks, std::int64_t padding);

// Runs `process(chunk)` on up to `threads` threads and `consume(result)` serially in chunk
// order, streaming (at most ~2 results per thread in memory).
template <typename Result, typename Process, typename Consume>
void process_chunks_in_order(const std::vector<GenomicRegion>& chunks, int threads, Process process, Consume consume) {
    tbb::task_arena arena(arena_threads(threads));
    arena.execute([&] {
        std::size_t next = 0;
        tbb::parallel_pipeline(
            static_cast<std::size_t>(2 * std::max(1, threads)),
            tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                                [&](tbb::flow_control& control) -> std::size_t {
                                                    if (next >= chunks.size()) {
                                                        control.stop();
                                                        return 0;
                                                    }
                                                    return next++;
                                                }) &
                tbb::make_filter<std::size_t, std::shared_ptr<Result>>(
                    tbb::filter_mode::parallel,
                    [&](std::size_t index) { return std::make_shared<Result>(process(chunks[index])); }) &
                tbb::make_filter<std::shared_ptr<Result>, void>(
                    tbb::filter_mode::serial_in_order,
                    [&](const std::shared_ptr<Result>& result) { consume(*result); }));
    });
}

}  // namespace genodose
