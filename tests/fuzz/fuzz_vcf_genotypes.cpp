// Fuzz target: the VCF/BCF genotype reader (io/vcf_reader.hpp) on arbitrary file contents
// (plain text, gzip/BGZF and BCF all go through htslib's format detection). Reads every record
// with its genotypes, DP/GQ/AD, then reads again restricted to a region (the unindexed scan
// path of set_region). Build: tests/fuzz/CMakeLists.txt (libFuzzer) or replay.cmake (replay).
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "genodose/io/htslib_info.hpp"
#include "genodose/io/vcf_reader.hpp"

namespace {

using genodose::GenomicRegion;
using genodose::VariantRecord;
using genodose::VcfReader;

void check_record(const VcfReader& reader, const VariantRecord& record) {
    const std::size_t n_samples = reader.samples().size();
    GENODOSE_FUZZ_CHECK(record.genotypes.size() == n_samples, "one genotype per sample");
    GENODOSE_FUZZ_CHECK(record.depths.size() == n_samples, "one DP per sample");
    GENODOSE_FUZZ_CHECK(record.genotype_qualities.size() == n_samples, "one GQ per sample");
    GENODOSE_FUZZ_CHECK(record.allele_depths.size() == n_samples, "one AD list per sample");
    // POS 0 (a telomere, VCF 4.2 section 1.6.1) is -1 here; htslib 1.16 also reads a POS that is
    // not a number ("x51", "-5") as 0 without an error.
    GENODOSE_FUZZ_CHECK(record.position >= -1, "0-based position is at least -1");
    const int n_alleles = 1 + static_cast<int>(record.alts.size());
    for (const auto& genotype : record.genotypes) {
        for (int allele : genotype.alleles) {
            GENODOSE_FUZZ_CHECK(allele >= -1 && allele < n_alleles,
                                "genotype allele " + std::to_string(allele) + " within the record's alleles");
        }
        GENODOSE_FUZZ_CHECK(!genotype.to_string().empty(), "genotype text");
    }
    (void)record.passes_filters();
    (void)record.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    genodose::fuzz::quiet_logging();
    static const bool htslib_quiet = [] {
        genodose::configure_htslib_logging(false);
        return true;
    }();
    (void)htslib_quiet;
    static const genodose::fuzz::ScratchFile file(".vcf");
    file.write(data, size);

    GenomicRegion first;  // region around the first record, for the second pass
    bool have_first = false;
    const bool complete = genodose::fuzz::expect_input_errors([&] {
        VcfReader reader(file.path());
        (void)reader.has_genotypes();
        for (const auto& contig : reader.contigs()) (void)reader.resolve_contig(contig.name);
        VariantRecord record;
        while (reader.next(record)) {
            check_record(reader, record);
            if (!have_first) {
                first = {record.contig, record.position, record.position + 100};
                have_first = true;
            }
        }
    });
    if (complete && have_first) {
        genodose::fuzz::expect_input_errors([&] {
            VcfReader reader(file.path());
            reader.set_region(first);
            VariantRecord record;
            while (reader.next(record)) {
                check_record(reader, record);
                GENODOSE_FUZZ_CHECK(record.position < first.end, "region scan returns records before the region end");
            }
        });
    }
    return 0;
}
