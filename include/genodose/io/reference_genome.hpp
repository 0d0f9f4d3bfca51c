// Indexed FASTA reference (plain or bgzip-compressed) through htslib's faidx.
//
//   ReferenceGenome reference("ref.fa.gz");
//   std::string bases = reference.fetch({"chr20", 9999, 10010});   // upper-case A/C/G/T/N
//
// The index (.fai, and .gzi for bgzip) must exist: genodose never writes next to an input.
// fetch() is thread-safe (one faidx handle behind a mutex; callers fetch whole chunks).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "genodose/core/genomic_region.hpp"
#include "genodose/io/contig_names.hpp"

namespace genodose {

class ReferenceGenome {
public:
    explicit ReferenceGenome(const std::string& path);
    ~ReferenceGenome();
    ReferenceGenome(const ReferenceGenome&) = delete;
    ReferenceGenome& operator=(const ReferenceGenome&) = delete;

    const std::string& path() const { return path_; }
    const std::vector<Contig>& contigs() const { return contigs_; }
    bool has_contig(const std::string& name) const;
    std::int64_t contig_length(const std::string& name) const;  // InputError if absent

    // Bases of [begin, end) upper-cased; the region is clipped to the contig. InputError if the
    // contig is absent (message names the reference and, if it exists, the other spelling).
    // Bases other than A/C/G/T/N (IUPAC ambiguity codes such as R or Y) read as N.
    std::string fetch(const GenomicRegion& region) const;

    // How many bases of `regions` are IUPAC ambiguity codes (not A/C/G/T/N, any case) in the
    // file: fetch() reads them as N, so calls near them rest on a reference that is not there.
    std::int64_t ambiguous_bases(const std::vector<GenomicRegion>& regions) const;

    // Maps a user-given region onto this reference's contig naming (chr20 ↔ 20), clips
    // whole-contig ends, and checks bounds. InputError naming both spellings if absent.
    GenomicRegion resolve(const GenomicRegion& region) const;

    // MD5 of the contig's sequence as in SAM @SQ M5 (upper-case, no newlines).
    std::string contig_md5(const std::string& name) const;

private:
    std::string fetch_raw(const GenomicRegion& region) const;  // as in the file
    struct Handle;
    std::string path_;
    std::unique_ptr<Handle> handle_;
    std::vector<Contig> contigs_;
    mutable std::mutex mutex_;
};

}  // namespace genodose
