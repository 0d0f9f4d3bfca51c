// VCF 4.2 output: bgzip-compressed and tabix-indexed (".vcf.gz"), BCF with CSI (".bcf"),
// plain text (".vcf", no index), or plain text on standard output ("-", as bcftools -Ov -o -). Written under a temporary name and moved into place, with its
// index, only by close(); if close() is never reached, nothing is left behind.
//
//   VcfHeaderSpec spec;   // source, reference, contigs, command line, INFO/FORMAT/FILTER lines
//   VcfWriter writer("calls.vcf.gz", spec);
//   writer.write(record);  // records in coordinate order
//   writer.close();        // flush, index, rename; OutputError on a full disk
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "genodose/io/contig_names.hpp"

namespace genodose {

struct VcfHeaderSpec {
    std::string source;           // "genodose 0.1.0"
    std::string reference_path;   // ##reference
    std::vector<Contig> contigs;  // ##contig with lengths
    std::string command_line;     // ##commandline
    // Complete meta lines, e.g. ##INFO=<ID=DP,Number=1,Type=Integer,Description="...">
    std::vector<std::string> meta_lines;
    std::vector<std::string> samples;
};

struct VcfOutputRecord {
    std::string contig;
    std::int64_t position = 0;  // 0-based
    std::string id = ".";
    std::string ref;
    std::vector<std::string> alts;  // empty → '.'
    double quality = std::nan("");
    std::vector<std::string> filters;                       // empty → '.'
    std::vector<std::pair<std::string, std::string>> info;  // key → value ("" for a flag)
    std::vector<std::string> format_keys;                   // "GT" first
    std::vector<std::vector<std::string>> sample_values;    // per sample, one per format key
};

class VcfWriter {
public:
    VcfWriter(const std::string& path, const VcfHeaderSpec& spec);
    ~VcfWriter();
    VcfWriter(const VcfWriter&) = delete;
    VcfWriter& operator=(const VcfWriter&) = delete;

    // InternalError if a key is not declared in the header (every field must be declared);
    // OutputError if the write fails.
    void write(const VcfOutputRecord& record);
    void close();

    const std::string& path() const { return path_; }

private:
    struct Handle;
    std::string path_;
    std::unique_ptr<Handle> handle_;
};

// Formats a number for VCF: fixed with `decimals`, trailing zeros trimmed ("12.5", "3").
std::string format_vcf_number(double value, int decimals);

}  // namespace genodose
