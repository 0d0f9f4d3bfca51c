#include "genodose/io/reference_genome.hpp"

#include <htslib/faidx.h>
#include <htslib/hts.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "genodose/core/error.hpp"
#include "genodose/core/output_file.hpp"

namespace genodose {

struct ReferenceGenome::Handle {
    faidx_t* index = nullptr;
    ~Handle() {
        if (index) fai_destroy(index);
    }
};

namespace {
bool is_bgzip_compressed(const std::string& path) {
    FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) return false;
    unsigned char magic[4] = {0, 0, 0, 0};
    const size_t n = std::fread(magic, 1, 4, file);
    std::fclose(file);
    return n == 4 && magic[0] == 0x1f && magic[1] == 0x8b;
}
}  // namespace

ReferenceGenome::ReferenceGenome(const std::string& path) : path_(path), handle_(std::make_unique<Handle>()) {
    if (!readable_file(path)) throw InputError(file_message(path, "reference FASTA not found or not readable"));
    if (!readable_file(path + ".fai"))
        throw InputError(file_message(path, "no FASTA index (" + path + ".fai)"),
                         "create it with: samtools faidx " + path);
    if (is_bgzip_compressed(path) && !readable_file(path + ".gzi"))
        throw InputError(file_message(path, "compressed FASTA without .gzi index"),
                         "the file must be bgzip-compressed (not gzip); then run: samtools faidx " + path);
    // No FAI_CREATE: a missing index is the user's to make, never written next to their data.
    handle_->index = fai_load3(path.c_str(), nullptr, nullptr, 0);
    if (!handle_->index)
        throw InputError(file_message(path, "cannot load FASTA index (corrupt .fai/.gzi, or gzip instead of bgzip)"));
    const int n = faidx_nseq(handle_->index);
    contigs_.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        const char* name = faidx_iseq(handle_->index, i);
        contigs_.push_back({name, static_cast<std::int64_t>(faidx_seq_len(handle_->index, name)), {}});
    }
}

ReferenceGenome::~ReferenceGenome() = default;

bool ReferenceGenome::has_contig(const std::string& name) const {
    return std::any_of(contigs_.begin(), contigs_.end(), [&](const Contig& c) { return c.name == name; });
}

std::int64_t ReferenceGenome::contig_length(const std::string& name) const {
    for (const auto& contig : contigs_)
        if (contig.name == name) return contig.length;
    throw InputError(file_message(path_, "reference has no contig '" + name + "'"));
}

GenomicRegion ReferenceGenome::resolve(const GenomicRegion& region) const {
    const std::string name = match_contig_name(region.contig, contig_names(contigs_));
    if (name.empty()) {
        throw InputError(file_message(path_, "reference has no contig '" + region.contig + "' (nor '" +
                                                 alternative_contig_name(region.contig) + "')"),
                         "check that the region and the reference use the same genome build");
    }
    GenomicRegion resolved{name, region.begin, region.end};
    const std::int64_t length = contig_length(name);
    if (resolved.end == GenomicRegion::whole_contig) resolved.end = length;
    if (resolved.begin >= length)
        throw InputError(file_message(path_, "region " + region.to_string() + " starts past the end of " + name + " (" +
                                                 std::to_string(length) + " bp)"));
    resolved.end = std::min(resolved.end, length);
    return resolved;
}

std::string ReferenceGenome::fetch_raw(const GenomicRegion& region) const {
    if (!has_contig(region.contig)) {
        const std::string other = alternative_contig_name(region.contig);
        throw InputError(file_message(path_, "reference has no contig '" + region.contig + "'" +
                                                 (has_contig(other) ? " (it has '" + other + "')" : std::string())));
    }
    const std::int64_t length = contig_length(region.contig);
    const std::int64_t begin = std::max<std::int64_t>(0, region.begin);
    const std::int64_t end = std::min(region.end, length);
    if (end <= begin) return {};
    hts_pos_t fetched = 0;
    char* bases = nullptr;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        bases = faidx_fetch_seq64(handle_->index, region.contig.c_str(), begin, end - 1, &fetched);
    }
    if (!bases || fetched != end - begin) {
        std::free(bases);
        throw InputError(file_message(path_, "cannot read " + GenomicRegion{region.contig, begin, end}.to_string() +
                                                 " (truncated or corrupt FASTA)"));
    }
    std::string sequence(bases, static_cast<std::size_t>(fetched));
    std::free(bases);
    return sequence;
}

std::string ReferenceGenome::fetch(const GenomicRegion& region) const {
    std::string sequence = fetch_raw(region);
    for (char& c : sequence) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (c != 'A' && c != 'C' && c != 'G' && c != 'T') c = 'N';
    }
    return sequence;
}

std::int64_t ReferenceGenome::ambiguous_bases(const std::vector<GenomicRegion>& regions) const {
    std::int64_t count = 0;
    for (const auto& region : regions)
        for (const char c : fetch_raw(region)) switch (std::toupper(static_cast<unsigned char>(c))) {
                case 'A':
                case 'C':
                case 'G':
                case 'T':
                case 'N': break;
                default: ++count;
            }
    return count;
}

std::string ReferenceGenome::contig_md5(const std::string& name) const {
    const std::string sequence = fetch({name, 0, contig_length(name)});
    hts_md5_context* context = hts_md5_init();
    if (!context) throw InternalError("cannot initialise MD5");
    hts_md5_update(context, sequence.data(), static_cast<unsigned long>(sequence.size()));
    unsigned char digest[16];
    hts_md5_final(digest, context);
    hts_md5_destroy(context);
    char hex[33];
    hts_md5_hex(hex, digest);
    return std::string(hex, 32);
}

}  // namespace genodose
