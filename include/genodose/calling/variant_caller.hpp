// genodose call: reads → candidates → pileup tensors → batched CNN → genotypes → VCF.
//
//   CallOptions options;   // reference, reads, output, regions, model, threads, …
//   CallResult result = call_variants(options);
//
// Region chunks run in parallel (TBB), each with its own reader and scratch buffers, and one
// LibTorch thread per worker; records are written in coordinate order. Output is byte-identical
// for any --threads: chunking, downsampling and inference batches do not depend on it.
//
// The same pass gives what a report needs besides the VCF: genotypes at forced sites
// (options.forced_sites, resolved from the genotypes the VCF records carry and the reference
// confidence at the site; forced_sites.hpp) and per-position depth (options.keep_depth). So the
// calls a report delivers are the source of its genotypes and coverage, from one read of the
// reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genodose/calling/candidates.hpp"
#include "genodose/calling/forced_sites.hpp"
#include "genodose/calling/local_realigner.hpp"
#include "genodose/core/genomic_region.hpp"
#include "genodose/io/alignment_reader.hpp"

namespace genodose {

struct CallOptions {
    std::string reference_path;
    std::string reads_path;
    std::string output_path;  // .vcf.gz (bgzip + tabix), .bcf or .vcf; empty: no VCF
    std::string gvcf_path;    // optional .g.vcf.gz
    std::string model_path;
    std::string sample_name;             // default: the reads' @RG SM
    std::vector<GenomicRegion> regions;  // empty = all contigs
    int threads = 1;
    std::int64_t chunk_size = 20000;
    CandidateOptions candidates;
    RealignerOptions realigner;  // local haplotype realignment (on by default)
    ReadFilterOptions filters;
    double min_quality = 1.0;  // QUAL below this (for a non-ref call) → LowQual
    std::string command_line;
    std::string source;                    // "genodose <version>"
    std::vector<ForcedSite> forced_sites;  // genotyped in CallResult::sites; inside `regions`
    ForcedSiteRules forced_site_rules;
    bool keep_depth = false;  // fill CallResult::depth
};

struct CallSummary {
    std::uint64_t reads = 0;
    std::uint64_t repeated_reads = 0;            // copies skipped (same name and flags as a read seen)
    std::uint64_t downsampled_reads = 0;         // left out by the depth cap (ReadFilterOptions::max_depth)
    std::int64_t ambiguous_reference_bases = 0;  // IUPAC codes in the called regions, read as N
    std::uint64_t candidate_sites = 0;
    std::uint64_t variant_records = 0;  // non-reference calls
    std::uint64_t pass_records = 0;
    double seconds = 0;
};

// Depth (reads passing filters: good-quality bases and deletions) at each position of a chunk.
struct ChunkDepth {
    GenomicRegion chunk;
    std::vector<std::int32_t> depth;
};

struct CallResult {
    CallSummary summary;
    std::vector<SiteCall> sites;    // one per CallOptions::forced_sites, in order
    std::vector<ChunkDepth> depth;  // CallOptions::keep_depth: every called chunk, in order
};

CallResult call_variants(const CallOptions& options);

// One warning line each, when there is something to say: reference bases in the called regions
// that are IUPAC codes (not A/C/G/T/N), and reads skipped as copies of reads already seen.
class ReferenceGenome;
void warn_ambiguous_reference(const ReferenceGenome& reference, std::int64_t ambiguous_bases);
void warn_repeated_reads(const std::string& reads_path, std::uint64_t reads, std::uint64_t repeated_reads);
// One information line: reads left out by the depth cap (ReadFilterOptions::max_depth).
void note_downsampled_reads(const std::string& reads_path, std::uint64_t downsampled_reads, int max_depth);

}  // namespace genodose
