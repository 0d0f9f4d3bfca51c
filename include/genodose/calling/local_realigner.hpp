// Local haplotype realignment of reads around indel evidence (a small version of DeepVariant's
// realigner): finds windows where several reads carry indels or soft clips, assembles the
// window's haplotypes from read k-mers (de Bruijn graph), aligns each read to its best
// haplotype and rewrites the read's alignment against the reference through that haplotype.
//
//   LocalRealigner realigner(options);                 // one per worker thread
//   realigner.reset(reference_window, window_begin);
//   reader.for_each_read(fetch, [&](const AlignedRead& r) { realigner.add(r); });
//   realigner.realign(chunk.begin, chunk.end);          // windows overlapping the chunk
//   for (std::size_t i = 0; i < realigner.size(); ++i) store.add(realigner.read(i));
//
// Why: aligners write a long insertion in a tandem repeat as clusters of small indels,
// mismatches and soft clips that differ from read to read, so no single allele gathers enough
// reads to become a candidate. After realignment every read carrying the haplotype shows the
// same left-aligned event. Buffers are reused between chunks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "genodose/io/alignment_reader.hpp"

namespace genodose {

struct RealignerOptions {
    bool enabled = true;
    int min_evidence_reads = 2;   // reads with an indel or soft clip at a position to open a window
    int window_padding = 20;      // bases added on each side of the evidence (before repeat extension)
    int max_window_length = 300;  // longer windows are left as aligned
    int min_kmer_support = 2;     // reads that must share a k-mer transition to keep it
    int min_base_quality = 10;    // k-mers containing a lower-quality base are not counted
    int max_haplotypes = 8;       // best-supported paths kept, the reference included
    int max_read_length = 400;    // longer reads are left as aligned
};

struct RealignerStats {
    std::uint64_t windows = 0;          // windows examined
    std::uint64_t assembled = 0;        // windows with at least one non-reference haplotype
    std::uint64_t realigned_reads = 0;  // reads whose alignment changed
};

// Affine-gap pairwise alignment scores (bwa-mem's defaults).
struct AlignmentScores {
    int match = 1;
    int mismatch = 4;
    int gap_open = 6;  // a gap of length L costs gap_open + L * gap_extend
    int gap_extend = 1;
    int clip = 5;  // soft-clipping either end of a read
};

// One pairwise alignment as CIGAR operations (BAM encoding: length << 4 | op).
struct PairwiseAlignment {
    int score = 0;
    int target_begin = 0;              // first target position aligned
    std::vector<std::uint32_t> cigar;  // query-consuming ops cover the whole query (S at ends)
};

// Global alignment of `query` to `target` (both ends anchored); `cigar` uses M/I/D only.
PairwiseAlignment align_global(std::string_view query, std::string_view target, const AlignmentScores& scores);

// Alignment of the whole `query` into `target` with free target ends and soft clips at a cost,
// restricted to diagonals (target − query offsets) in [min_diagonal, max_diagonal].
// `qualities` (may be empty) soften mismatches at low-quality bases.
PairwiseAlignment align_read(std::string_view query, const std::uint8_t* qualities, std::string_view target,
                             int min_diagonal, int max_diagonal, const AlignmentScores& scores);

class LocalRealigner {
public:
    explicit LocalRealigner(const RealignerOptions& options);
    ~LocalRealigner();
    LocalRealigner(LocalRealigner&&) noexcept;
    LocalRealigner& operator=(LocalRealigner&&) noexcept;

    void reset(std::string_view reference, std::int64_t reference_begin);
    void add(const AlignedRead& read);
    // Realigns the reads of windows overlapping [begin, end).
    void realign(std::int64_t begin, std::int64_t end);

    std::size_t size() const { return reads_.size(); }
    // Read i with its (possibly rewritten) alignment; valid until the next reset().
    AlignedRead read(std::size_t i) const;
    const RealignerStats& stats() const { return stats_; }

private:
    struct OwnedRead {
        std::int64_t position = 0;
        std::int64_t end = 0;
        int mapping_quality = 0;
        bool reverse_strand = false;
        int length = 0;
        std::uint32_t name_offset = 0;
        std::uint32_t sequence_offset = 0;  // into packed_ (BAM 4-bit) and bases_ / qualities_
        std::uint32_t packed_offset = 0;
        std::uint32_t cigar_offset = 0;  // into cigars_
        std::uint32_t cigar_count = 0;
    };
    struct Window {
        std::int64_t begin = 0;
        std::int64_t end = 0;
    };

    void find_windows(std::int64_t begin, std::int64_t end);
    void realign_window(const Window& window);
    bool assemble(const Window& window, int k);
    std::pair<int, int> query_span(const OwnedRead& read, const Window& window) const;
    void add_read_haplotypes(const Window& window);
    int original_score(const OwnedRead& read) const;
    char reference_base(std::int64_t p) const;

    RealignerOptions options_;
    AlignmentScores scores_;
    // Haplotype against reference: a mismatch costs more than a 1-base gap, so that two
    // deletions in a repeat are not rewritten as a longer deletion plus a substitution (VCF
    // truth sets, and the reads' own aligner, prefer the former).
    AlignmentScores haplotype_scores_{1, 7, 6, 1, 5};
    RealignerStats stats_;
    std::string_view reference_;
    std::int64_t reference_begin_ = 0;
    std::vector<OwnedRead> reads_;
    std::vector<char> names_;
    std::vector<std::uint8_t> packed_;
    std::vector<char> bases_;
    std::vector<std::uint8_t> qualities_;
    std::vector<std::uint32_t> cigars_;
    std::vector<std::uint16_t> evidence_;
    std::vector<Window> windows_;
    std::vector<std::string> haplotypes_;  // [0] is the reference
    // The k-mer graph and its paths, reused window after window (one realigner per thread).
    struct AssemblyScratch;
    std::unique_ptr<AssemblyScratch> scratch_;
};

}  // namespace genodose
