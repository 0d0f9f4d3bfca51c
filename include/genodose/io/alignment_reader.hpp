// BAM/CRAM reads by region through htslib, with filters applied as reads stream past.
//
//   AlignmentReaderOptions options;              // defaults: MAPQ >= 5; no dup/secondary/
//   options.reference_path = "ref.fa";            // supplementary/QC-fail/unmapped reads
//   AlignmentReader reader("sample.cram", options);
//   reader.check_against_reference(reference);
//   reader.for_each_read(region, [&](const AlignedRead& read) { ... });
//
// One htslib record is reused for every read (no allocation per read). AlignedRead is a view
// into that record, valid only inside the callback. A reader is not thread-safe: parallel
// callers open one reader per thread (opening is cheap; the index is loaded once per reader).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "genodose/core/genomic_region.hpp"
#include "genodose/io/contig_names.hpp"

namespace genodose {

class ReferenceGenome;

struct ReadFilterOptions {
    int min_mapping_quality = 5;  // DeepVariant's default
    bool keep_duplicates = false;
    bool keep_secondary = false;
    bool keep_supplementary = false;
    bool keep_qc_failed = false;
    // Reads repeating the name and flags of a read already seen in the fetch (within
    // repeated_read_window bases) are copies and are skipped (counted in ReadCounts::repeated).
    bool keep_repeated_reads = false;
    // Depth cap: where more than max_depth reads that passed the filters overlap a read's start,
    // it is kept with probability max_depth / depth, drawn from a hash of its name, flags and
    // start (deterministic: the same reads every run), so the kept depth stays near
    // max_depth and memory stays bounded however deep the file is. DeepVariant caps reads the
    // same way (max_reads_per_partition); 0 keeps every read.
    int max_depth = default_max_depth;
    static constexpr int default_max_depth = 1500;
    // When the file's @RG lines name two or more samples (SM): keep only the reads of read groups
    // of this sample (InputError naming the samples if none has it). Empty, or a file with one
    // sample: every read.
    std::string sample;
};

// How far back (in bases of alignment start) a read's name and flags are remembered to
// recognise a copy of it.
inline constexpr std::int64_t repeated_read_window = 2000;

struct AlignmentReaderOptions {
    std::string reference_path;     // required for CRAM
    int decompression_threads = 0;  // extra htslib threads for BGZF/CRAM decoding
    ReadFilterOptions filters;
};

// CIGAR operations, numbered as in the BAM format.
enum class CigarOp : std::uint8_t {
    match = 0,
    insertion = 1,
    deletion = 2,
    skip = 3,
    soft_clip = 4,
    hard_clip = 5,
    padding = 6,
    sequence_match = 7,
    sequence_mismatch = 8
};

// Which operations consume read bases and which consume reference bases (htslib's
// bam_cigar_type): M, =, X both; I, S the read only; D, N the reference only; H, P neither.
inline constexpr bool consumes_query(CigarOp op) {
    return op == CigarOp::match || op == CigarOp::insertion || op == CigarOp::soft_clip ||
           op == CigarOp::sequence_match || op == CigarOp::sequence_mismatch;
}
inline constexpr bool consumes_reference(CigarOp op) {
    return op == CigarOp::match || op == CigarOp::deletion || op == CigarOp::skip || op == CigarOp::sequence_match ||
           op == CigarOp::sequence_mismatch;
}

// A read as seen by the caller: a non-owning view into the reader's current record.
class AlignedRead {
public:
    std::int64_t position = 0;  // 0-based leftmost aligned reference position
    std::int64_t end = 0;       // 0-based exclusive end on the reference
    int mapping_quality = 0;
    bool reverse_strand = false;
    bool paired = false;
    bool first_of_pair = false;
    std::int64_t insert_size = 0;
    int length = 0;  // query length (bases stored)

    // Base i of the read as 'A','C','G','T' or 'N'.
    char base(int i) const { return decode_base(packed_sequence_[i >> 1] >> ((~i & 1) << 2) & 0xf); }
    int base_quality(int i) const { return qualities_[i] == 0xff ? 0 : qualities_[i]; }
    int cigar_length() const { return cigar_count_; }
    CigarOp cigar_op(int i) const { return static_cast<CigarOp>(cigar_[i] & 0xf); }
    std::uint32_t cigar_op_length(int i) const { return cigar_[i] >> 4; }
    const char* name() const { return name_; }

    // Filled by the reader only.
    const std::uint8_t* packed_sequence_ = nullptr;
    const std::uint8_t* qualities_ = nullptr;
    const std::uint32_t* cigar_ = nullptr;
    int cigar_count_ = 0;
    const char* name_ = "";

private:
    static char decode_base(int code) {
        // BAM 4-bit codes: =ACMGRSVTWYHKDBN
        static constexpr char table[16] = {'N', 'A', 'C', 'N', 'G', 'N', 'N', 'N',
                                           'T', 'N', 'N', 'N', 'N', 'N', 'N', 'N'};
        return table[code];
    }
};

struct ReadCounts {
    std::uint64_t seen = 0;  // records of the fetch, before any filter
    std::uint64_t passed = 0;
    std::uint64_t repeated = 0;     // copies skipped: same name and flags as a read already passed
    std::uint64_t downsampled = 0;  // left out by the depth cap (ReadFilterOptions::max_depth)
};

class AlignmentReader {
public:
    AlignmentReader(const std::string& path, const AlignmentReaderOptions& options);
    ~AlignmentReader();
    AlignmentReader(const AlignmentReader&) = delete;
    AlignmentReader& operator=(const AlignmentReader&) = delete;

    const std::string& path() const { return path_; }
    const std::vector<Contig>& contigs() const { return contigs_; }
    // Sample names from @RG SM tags, in order of first appearance, without repeats.
    const std::vector<std::string>& sample_names() const { return samples_; }
    std::string joined_samples() const;  // "A, B": the @RG SM names, for messages

    // Contig lengths must agree with the reference; contigs spelled differently (chr20 vs 20)
    // are an error naming both. InputError otherwise. @SQ M5 checksums of the contigs in
    // `md5_contigs` that differ from the reference's are a warning (masked references).
    void check_against_reference(const ReferenceGenome& reference,
                                 const std::vector<std::string>& md5_contigs = {}) const;

    // Calls `visit` for every read overlapping `region` that passes the filters and the depth
    // cap, in coordinate order. The region's contig must use the file's own spelling (see resolve_contig()).
    // InputError on a corrupt or truncated file.
    ReadCounts for_each_read(const GenomicRegion& region, const std::function<void(const AlignedRead&)>& visit);

    // Holds the reads of `region` that pass the flag and mapping-quality filters in memory (up
    // to max_reads): a later for_each_read on a region inside it replays them instead of reading
    // and decompressing the file again — the same reads in the same order, through the same
    // copy and depth filters, so results are those of a fetch. Many small nearby regions (a BED
    // file of spaced intervals) thus cost one fetch. Returns false, holding nothing, when the
    // region has more than max_reads reads. A new hold or release_reads() drops the last one.
    bool hold_reads(const GenomicRegion& region, std::size_t max_reads);
    void release_reads();

    // The file's spelling of `contig` (chr20 ↔ 20), or InputError naming both spellings.
    std::string resolve_contig(const std::string& contig) const;

private:
    void check_index();
    std::uint16_t excluded_flags() const;  // InputError naming the index if it belongs to another file

    struct Handle;
    std::string path_;
    AlignmentReaderOptions options_;
    std::unique_ptr<Handle> handle_;
    std::vector<Contig> contigs_;
    std::vector<std::string> samples_;
};

}  // namespace genodose
