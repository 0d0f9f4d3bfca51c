// VCF/BCF reading (plain, bgzip or BCF) through htslib, with sample selection and regions.
//
//   VcfReader reader("calls.vcf.gz", {.samples = {"NA12878"}});
//   VariantRecord record;
//   while (reader.next(record)) { ... record.genotypes[0] ... }
//   reader.set_region({"chr20", 9999999, 10100000});      // uses the index if there is one
//
// Positions are 0-based. Contig names are as the file spells them; resolve_contig() maps
// "20" ↔ "chr20". Truncated or malformed files raise InputError naming the file and record.
// A record whose contig, INFO, FORMAT or FILTER the header does not declare is read as bcftools
// reads it (the specification recommends those header lines, it does not require them); see
// undeclared_in_header().
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "genodose/core/genomic_region.hpp"
#include "genodose/io/contig_names.hpp"

namespace genodose {

struct Genotype {
    std::vector<int> alleles;         // allele indices; -1 for a missing allele ('.')
    bool phased = false;              // all separators are '|'
    bool is_missing() const;          // no allele called
    bool has_missing_allele() const;  // at least one allele is '.' ("./1", "./.")
    std::string to_string() const;    // "0/1", "1|0", "./."
};

struct VariantRecord {
    std::string contig;
    std::int64_t position = 0;  // 0-based
    std::string id;             // "." when absent
    std::string ref;
    std::vector<std::string> alts;
    double quality = std::nan("");
    std::vector<std::string> filters;                 // empty when '.'
    std::vector<Genotype> genotypes;                  // one per selected sample (empty when no GT)
    std::vector<int> depths;                          // FORMAT DP per sample; -1 when absent
    std::vector<int> genotype_qualities;              // FORMAT GQ per sample; -1 when absent
    std::vector<std::vector<int>> allele_depths;      // FORMAT AD per sample; empty when absent
    std::vector<std::vector<int>> phred_likelihoods;  // FORMAT PL per sample; empty when absent
    // FORMAT PS per sample: the phase set of a phased genotype (-1 when absent). The VCF
    // specification puts every phased genotype without PS in one default set, so -1 is a set
    // too; phased genotypes are in phase with each other only within one set.
    std::vector<std::int64_t> phase_sets;

    // gVCF reference blocks: INFO/END (0-based exclusive here); position + REF length otherwise.
    std::int64_t reference_end = 0;
    std::vector<int> min_depths;  // FORMAT MIN_DP per sample (gVCF blocks); -1 when absent

    std::int64_t end() const { return position + static_cast<std::int64_t>(ref.size()); }
    bool passes_filters() const;  // FILTER is PASS or '.'
};

struct VcfReaderOptions {
    std::vector<std::string> samples;  // empty = every sample in the file
    // Log the first name the header does not declare (once per file). False when the caller
    // reports undeclared_in_header() itself, so that the warning is not given twice.
    bool log_undeclared = true;
};

class VcfReader {
public:
    explicit VcfReader(const std::string& path, const VcfReaderOptions& options = {});
    ~VcfReader();
    VcfReader(const VcfReader&) = delete;
    VcfReader& operator=(const VcfReader&) = delete;

    const std::string& path() const { return path_; }
    const std::vector<Contig>& contigs() const { return contigs_; }       // ##contig lines
    const std::vector<std::string>& samples() const { return samples_; }  // selected samples
    bool has_genotypes() const;                                           // header declares FORMAT/GT
    bool has_index() const;

    // Restricts next() to records overlapping `region` (contig in the file's spelling or the
    // alternative one). Uses the index when present; otherwise scans. An absent contig simply
    // yields no records.
    void set_region(const GenomicRegion& region);

    // Reads the next record; false at the end. InputError on malformed/truncated data.
    bool next(VariantRecord& record);

    // The file's spelling of `contig`, or empty if neither spelling is known to the header.
    std::string resolve_contig(const std::string& contig) const;

    // What the records used that the header does not declare, in order of first use, e.g.
    // {"contig chr10", "INFO/DB", "FORMAT/AD", "FILTER/q10"}. htslib adds a placeholder header
    // line for each (INFO/FORMAT as Type=String). The first is logged as a warning, once per file
    // (unless VcfReaderOptions::log_undeclared is false). contigs() lists only declared ones.
    const std::vector<std::string>& undeclared_in_header() const { return undeclared_; }

private:
    void check_index();  // InputError naming the index if it belongs to another file
    struct Handle;
    std::string path_;
    std::unique_ptr<Handle> handle_;
    std::vector<Contig> contigs_;
    std::vector<std::string> samples_;
    std::optional<GenomicRegion> region_;
    std::uint64_t records_read_ = 0;
    std::vector<std::string> undeclared_;
    bool log_undeclared_ = true;

    void accept_header_additions();  // after a record htslib flagged BCF_ERR_CTG_UNDEF/TAG_UNDEF
};

}  // namespace genodose
