// What a sample's data say at each genotyping target: the input of star-allele matching.
//
//   auto targets = genotyping_targets(data, GenomeBuild::grch38);
//   VcfObservations vcf = observations_from_vcf(data, targets, {"in.vcf.gz", {}, GenomeBuild::grch38});
//   for (auto& sample : vcf.samples) { ... sample.positions[i] is what the VCF says at targets[i] ... }
//
// Two producers fill the same structure: observations_from_vcf() (VCF/BCF, any representation
// of the alleles: indels are compared in normalised form, split multi-allelic records are merged)
// and observations_from_reads() (the project's caller). The matcher never sees a VCF.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "genodose/calling/forced_sites.hpp"
#include "genodose/pgx/definitions.hpp"

namespace genodose::pgx {

enum class ObservationStatus {
    called,             // a genotype was read
    missing,            // the input says nothing about the position (no record)
    not_called,         // the input has the position but no full genotype ("./.", "./0", "./1", haploid)
    assumed_reference,  // missing, and --missing-to-ref made it reference/reference
    ref_mismatch,       // the input's REF disagrees with the build's reference: not used
    conflicting,        // records about the position cannot all be true: not used
};
std::string to_string(ObservationStatus status);

// One sample at one target.
struct PositionObservation {
    ObservationStatus status = ObservationStatus::missing;
    // Two alleles in the target's own spelling (its ref or one of its alts, e.g. "GA"/"G" for
    // CYP2C9*6); an allele the definitions do not know is spelled as observed ("A" at a C>T SNV,
    // "*" for a spanning deletion). Order is haplotype order when `phased`.
    std::vector<std::string> alleles;
    bool phased = false;
    // With `phased`: the FORMAT/PS phase set (-1: the VCF's default set, no PS). Positions are
    // in phase with each other only within one set; between sets their phase is unknown.
    std::int64_t phase_set = -1;
    int depth = -1;                    // FORMAT/DP or read depth; -1 when unknown
    int genotype_quality = -1;         // FORMAT/GQ or caller quality; -1 when unknown
    std::vector<std::string> filters;  // non-PASS FILTER values of the records used
    std::string detail;                // why it is missing/mismatched/conflicting, for notes
    // not_called with evidence of a variant: a half call ("./1", ".|1", "1/.") or a haploid or
    // other non-diploid genotype that includes a non-reference allele. The sample carries a
    // variant here but its genotype is unknown, so the gene gets no diplotype (PharmCAT keeps
    // "./1" because "there's a variation" and then does not call the gene: partially missing
    // alleles). "./0", "./." and haploid "0" are plain not_called, like a missing position.
    bool partial_variant = false;

    bool usable() const {
        return status == ObservationStatus::called || status == ObservationStatus::assumed_reference;
    }
};

struct SampleObservations {
    std::string sample;
    std::vector<PositionObservation> positions;  // one per target, same order
    // From reads only (0 otherwise): reads used, copies of reads skipped (same name and flags as
    // a read already seen) and IUPAC reference bases in the called windows (read as N).
    std::uint64_t reads = 0;
    std::uint64_t repeated_reads = 0;
    std::int64_t ambiguous_reference_bases = 0;
};

// Reference-first genotype text on the plus strand: "C/T", "GA/G"; "" when not usable.
// Undocumented alleles follow the target's alleles, alphabetically.
std::string genotype_text(const GenotypingTarget& target, const PositionObservation& observation);

// --missing-to-ref: every `missing` position (no record at all) becomes reference/reference
// (assumed_reference). Positions the input did not call ("./.") stay unusable, as do REF
// mismatches and conflicts: they are not absent data but data that say "unknown" or "wrong".
// Returns a warning per gene none of whose defining positions had a record: the whole gene was
// assumed reference, which usually means the input does not cover it (e.g. a VCF of one
// chromosome). The warnings name genes and chromosomes only, never the sample.
std::vector<std::string> assume_reference_for_missing(const std::vector<GenotypingTarget>& targets,
                                                      SampleObservations& sample);

struct VcfObservationOptions {
    std::string path;
    std::vector<std::string> samples;  // empty: every sample of the file
    GenomeBuild build = GenomeBuild::grch38;
};

struct VcfObservations {
    std::vector<SampleObservations> samples;  // in the file's sample order
    // File-level: REF mismatches, header lines the file leaves out, positions whose records
    // contradict each other. They name positions, never samples or genotypes.
    std::vector<std::string> warnings;
};

// Reads every target from a VCF/BCF (plain, bgzip or BCF; indexed or not; "chr10" or "10").
// InputError naming the file when it cannot be read, has no FORMAT/GT, has no samples, lacks a
// requested sample, or declares contig lengths of the other genome build.
VcfObservations observations_from_vcf(const PgxDataset& data, const std::vector<GenotypingTarget>& targets,
                                      const VcfObservationOptions& options);

struct ReadsObservationOptions {
    std::vector<std::string> alignments;  // BAM/CRAM, one sample each
    std::string reference;                // indexed FASTA of the build
    GenomeBuild build = GenomeBuild::grch38;
    std::vector<std::string> samples;  // sample names (default: the read groups' SM)
    std::string model_path;            // caller model (genodose call's)
    int threads = 1;
};

// The targets as forced sites of a calling pass (key positions genotyped from the evidence there
// is: ForcedSite::from_evidence).
std::vector<ForcedSite> forced_sites(const std::vector<GenotypingTarget>& targets);

// One sample's observations from the forced-site calls of a calling pass (one per target, in
// order) and what the pass saw of the reads.
SampleObservations observations_from_site_calls(std::string sample, const std::vector<SiteCall>& calls,
                                                std::uint64_t reads, std::uint64_t repeated_reads,
                                                std::int64_t ambiguous_reference_bases);

// Calls every target from reads with the project's variant caller (calling/site_caller.hpp)
// and reports read depth per position. A target with no variant is reference only when the
// reads support it confidently; otherwise it is not_called with the depth in `detail`.
std::vector<SampleObservations> observations_from_reads(const std::vector<GenotypingTarget>& targets,
                                                        const ReadsObservationOptions& options);

}  // namespace genodose::pgx
