#include "genodose/io/alignment_reader.hpp"

#include <htslib/hts.h>
#include <htslib/sam.h>

#include <algorithm>
#include <deque>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/io/reference_genome.hpp"
#include "index_check.hpp"

namespace genodose {

struct AlignmentReader::Handle {
    htsFile* file = nullptr;
    sam_hdr_t* header = nullptr;
    hts_idx_t* index = nullptr;
    bam1_t* record = nullptr;
    // Reads seen in the current fetch (see for_each_read), reused between fetches.
    std::unordered_map<std::uint64_t, std::int64_t> recent_reads;     // identity → latest start
    std::deque<std::pair<std::int64_t, std::uint64_t>> recent_order;  // (start, identity), by start
    // Ends of the reads that passed the filters, earliest on top: their count is the depth at
    // the current read's start (for the depth cap).
    std::priority_queue<std::int64_t, std::vector<std::int64_t>, std::greater<>> open_ends;
    // Reads held in memory by hold_reads(): records [0, held_count) of `held` (the records are
    // reused between holds), their ends, and the longest reference span among them.
    std::vector<bam1_t*> held;
    std::size_t held_count = 0;
    std::vector<std::int64_t> held_ends;
    std::int64_t longest_held = 0;
    GenomicRegion held_region;
    bool select_read_groups = false;                   // ReadFilterOptions::sample applies
    std::unordered_set<std::string> kept_read_groups;  // @RG IDs of that sample
    ~Handle() {
        if (record) bam_destroy1(record);
        for (bam1_t* r : held) bam_destroy1(r);
        if (index) hts_idx_destroy(index);
        if (header) sam_hdr_destroy(header);
        if (file) hts_close(file);
    }
};

namespace {

std::string header_tag(sam_hdr_t* header, const char* type, const char* id_key, const char* id_value, const char* key) {
    kstring_t value = KS_INITIALIZE;
    std::string result;
    if (sam_hdr_find_tag_id(header, type, id_key, id_value, key, &value) == 0) result.assign(value.s, value.l);
    ks_free(&value);
    return result;
}

// A read's identity for finding copies: FNV-1a (64-bit) of its name and its flags. Two
// different reads colliding is ~1e-10 likely among the reads of one window.
std::uint64_t read_identity(const bam1_t* record) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char* c = bam_get_qname(record); *c; ++c) {
        hash ^= static_cast<std::uint8_t>(*c);
        hash *= 1099511628211ull;
    }
    for (int shift = 0; shift < 16; shift += 8) {
        hash ^= (record->core.flag >> shift) & 0xffu;
        hash *= 1099511628211ull;
    }
    return hash;
}

// A uniform number in [0, 1) from a read's identity and start (splitmix64 finaliser).
double sampling_draw(std::uint64_t identity, std::int64_t start) {
    std::uint64_t x = identity ^ (static_cast<std::uint64_t>(start) * 0x9e3779b97f4a7c15ull);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    x ^= x >> 31;
    return static_cast<double>(x >> 11) * 0x1.0p-53;
}

}  // namespace

AlignmentReader::AlignmentReader(const std::string& path, const AlignmentReaderOptions& options)
    : path_(path), options_(options), handle_(std::make_unique<Handle>()) {
    if (!readable_file(path)) throw InputError(file_message(path, "alignment file not found or not readable"));
    handle_->file = hts_open(path.c_str(), "r");
    if (!handle_->file) throw InputError(file_message(path, "cannot open as BAM/CRAM"));
    const htsFormat* format = hts_get_format(handle_->file);
    if (format->category != sequence_data || (format->format != bam && format->format != cram && format->format != sam))
        throw InputError(file_message(path, "not a BAM or CRAM file"));
    if (format->format == sam)
        throw InputError(file_message(path, "plain SAM is not supported"),
                         "convert it: samtools view -b -o in.bam in.sam && samtools index in.bam");
    if (format->format == cram) {
        if (options.reference_path.empty())
            throw UsageError(file_message(path, "CRAM input needs the reference (--ref)"));
        if (hts_set_fai_filename(handle_->file, options.reference_path.c_str()) != 0)
            throw InputError(file_message(options.reference_path, "cannot use as CRAM reference"));
    }
    // A missing EOF marker means the file was cut short (copy interrupted, disk full).
    if (hts_check_EOF(handle_->file) == 0)
        throw InputError(file_message(path, "truncated file (no end-of-file marker)"));
    if (options.decompression_threads > 0) hts_set_threads(handle_->file, options.decompression_threads);
    handle_->header = sam_hdr_read(handle_->file);
    if (!handle_->header) throw InputError(file_message(path, "cannot read header (corrupt file?)"));
    handle_->index = sam_index_load(handle_->file, path.c_str());
    if (!handle_->index)
        throw InputError(file_message(path, "no index (.bai/.csi/.crai) found"),
                         "create it with: samtools index " + path);
    handle_->record = bam_init1();
    if (!handle_->record) throw InternalError("out of memory");
    check_index();

    const int n = sam_hdr_nref(handle_->header);
    for (int i = 0; i < n; ++i) {
        const char* name = sam_hdr_tid2name(handle_->header, i);
        contigs_.push_back({name, static_cast<std::int64_t>(sam_hdr_tid2len(handle_->header, i)),
                            header_tag(handle_->header, "SQ", "SN", name, "M5")});
    }
    const int read_groups = sam_hdr_count_lines(handle_->header, "RG");
    std::vector<std::pair<std::string, std::string>> group_samples;  // (ID, SM)
    for (int i = 0; i < read_groups; ++i) {
        kstring_t value = KS_INITIALIZE, id = KS_INITIALIZE;
        if (sam_hdr_find_tag_pos(handle_->header, "RG", i, "SM", &value) == 0) {
            std::string sample(value.s, value.l);
            if (std::find(samples_.begin(), samples_.end(), sample) == samples_.end()) samples_.push_back(sample);
            if (sam_hdr_find_tag_pos(handle_->header, "RG", i, "ID", &id) == 0)
                group_samples.emplace_back(std::string(id.s, id.l), sample);
        }
        ks_free(&value);
        ks_free(&id);
    }
    const std::string& chosen = options_.filters.sample;
    if (!chosen.empty() && samples_.size() > 1) {
        if (std::find(samples_.begin(), samples_.end(), chosen) == samples_.end())
            throw InputError(file_message(
                path_, "no read group of sample '" + chosen + "'; its @RG SM tags name " + joined_samples()));
        handle_->select_read_groups = true;
        for (const auto& [group, sample] : group_samples)
            if (sample == chosen) handle_->kept_read_groups.insert(group);
    }
}

std::string AlignmentReader::joined_samples() const {
    std::string text;
    for (std::size_t i = 0; i < samples_.size(); ++i) text += (i ? ", " : "") + samples_[i];
    return text;
}

AlignmentReader::~AlignmentReader() = default;

void AlignmentReader::check_index() {
    Handle& h = *handle_;
    const std::string index_path = detail::index_file_name(path_, {".bai", ".csi", ".crai"});
    const int header_contigs = sam_hdr_nref(h.header);
    // A CRAM index (.crai) is another structure: hts_idx_nseq() does not apply to it.
    const bool crai = hts_idx_fmt(h.index) == HTS_FMT_CRAI;
    const int index_contigs = crai ? header_contigs : hts_idx_nseq(h.index);
    if (index_contigs > header_contigs)
        throw InputError(file_message(index_path, "index of another file: it lists " + std::to_string(index_contigs) +
                                                      " contigs, " + path_ + " has " + std::to_string(header_contigs)),
                         "re-create it: samtools index " + path_);
    const std::string problem = detail::index_mismatch(
        index_contigs, [&](int tid) { return static_cast<std::int64_t>(sam_hdr_tid2len(h.header, tid)); },
        [&](int tid, std::int64_t begin) {
            detail::IndexProbe result;
            hts_itr_t* iterator = sam_itr_queryi(h.index, tid, begin, HTS_POS_MAX);
            if (!iterator) {
                result.status = -2;
                return result;
            }
            result.index_has_data = iterator->n_off > 0;
            result.status = sam_itr_next(h.file, iterator, h.record);
            if (result.status >= 0 && h.record->core.tid != tid) result.status = -2;
            hts_itr_destroy(iterator);
            return result;
        });
    if (!problem.empty())
        throw InputError(file_message(index_path, problem + "; reads: " + path_),
                         "re-create it: samtools index " + path_);
}

std::string AlignmentReader::resolve_contig(const std::string& contig) const {
    const std::string name = match_contig_name(contig, contig_names(contigs_));
    if (name.empty())
        throw InputError(file_message(
            path_, "no contig '" + contig + "' (nor '" + alternative_contig_name(contig) + "') in the header"));
    return name;
}

void AlignmentReader::check_against_reference(const ReferenceGenome& reference,
                                              const std::vector<std::string>& md5_contigs) const {
    const auto reference_names = contig_names(reference.contigs());
    int shared = 0;
    for (const auto& contig : contigs_) {
        if (reference.has_contig(contig.name)) {
            ++shared;
            const std::int64_t reference_length = reference.contig_length(contig.name);
            if (reference_length != contig.length) {
                throw InputError(
                    file_message(path_, "contig " + contig.name + " is " + std::to_string(contig.length) +
                                            " bp here but " + std::to_string(reference_length) + " bp in reference " +
                                            reference.path()),
                    "the reads were aligned to another genome build; use the reference they were aligned to");
            }
            if (!contig.md5.empty() &&
                std::find(md5_contigs.begin(), md5_contigs.end(), contig.name) != md5_contigs.end()) {
                // A warning, not an error: references masked with N outside the regions of interest
                // (test data, gene panels) differ in MD5 but are right where reads align; for CRAM,
                // htslib checks the MD5 of every slice's reference span as it decodes, and a wrong
                // reference there still fails.
                const std::string reference_md5 = reference.contig_md5(contig.name);
                if (reference_md5 != contig.md5)
                    GENODOSE_LOG_WARN(file_message(path_, "contig " + contig.name + " has MD5 " + contig.md5 +
                                                              " but reference " + reference.path() + " has " +
                                                              reference_md5 +
                                                              " (masked or edited reference?); "
                                                              "continuing, CRAM slices are checked as they are read"));
            }
        } else {
            const std::string other = alternative_contig_name(contig.name);
            if (!other.empty() && reference.has_contig(other)) {
                throw InputError(file_message(path_, "contig named '" + contig.name + "' here but '" + other +
                                                         "' in reference " + reference.path()),
                                 "use the reference the reads were aligned to (same contig names)");
            }
        }
    }
    if (shared == 0 && !contigs_.empty())
        throw InputError(file_message(path_, "no contig in common with reference " + reference.path()));
}

std::uint16_t AlignmentReader::excluded_flags() const {
    std::uint16_t excluded = BAM_FUNMAP;
    const ReadFilterOptions& filters = options_.filters;
    if (!filters.keep_duplicates) excluded |= BAM_FDUP;
    if (!filters.keep_secondary) excluded |= BAM_FSECONDARY;
    if (!filters.keep_supplementary) excluded |= BAM_FSUPPLEMENTARY;
    if (!filters.keep_qc_failed) excluded |= BAM_FQCFAIL;
    return excluded;
}

bool AlignmentReader::hold_reads(const GenomicRegion& region, std::size_t max_reads) {
    release_reads();
    const int tid = sam_hdr_name2tid(handle_->header, region.contig.c_str());
    if (tid < 0) throw InputError(file_message(path_, "no contig '" + region.contig + "' in the header"));
    hts_itr_t* iterator = sam_itr_queryi(handle_->index, tid, region.begin, region.end);
    if (!iterator) throw InputError(file_message(path_, "cannot query " + region.to_string() + " (corrupt index?)"));
    const std::uint16_t excluded = excluded_flags();
    auto& held = handle_->held;
    std::size_t count = 0;
    int status = 0;
    bool complete = true;
    while (true) {
        if (count == held.size()) held.push_back(bam_init1());
        if ((status = sam_itr_next(handle_->file, iterator, held[count])) < 0) break;
        const bam1_core_t& core = held[count]->core;
        if ((core.flag & excluded) != 0 || core.qual < options_.filters.min_mapping_quality || core.n_cigar == 0 ||
            core.l_qseq == 0)
            continue;
        if (++count > max_reads) {
            complete = false;
            break;
        }
    }
    hts_itr_destroy(iterator);
    if (status < -1)
        throw InputError(file_message(path_, "corrupt or truncated data while reading " + region.to_string()));
    if (!complete) return false;
    handle_->held_count = count;
    handle_->held_region = region;
    handle_->held_ends.resize(count);
    handle_->longest_held = 0;
    for (std::size_t i = 0; i < count; ++i) {
        handle_->held_ends[i] = bam_endpos(held[i]);
        handle_->longest_held =
            std::max<std::int64_t>(handle_->longest_held, handle_->held_ends[i] - held[i]->core.pos);
    }
    return true;
}

void AlignmentReader::release_reads() {
    handle_->held_count = 0;
    handle_->held_region = {};
}

ReadCounts AlignmentReader::for_each_read(const GenomicRegion& region,
                                          const std::function<void(const AlignedRead&)>& visit) {
    const GenomicRegion& held = handle_->held_region;
    const bool replay = handle_->held_count > 0 && region.contig == held.contig && region.begin >= held.begin &&
                        region.end != GenomicRegion::whole_contig && region.end <= held.end;
    hts_itr_t* iterator = nullptr;
    if (!replay) {
        const int tid = sam_hdr_name2tid(handle_->header, region.contig.c_str());
        if (tid < 0) throw InputError(file_message(path_, "no contig '" + region.contig + "' in the header"));
        const hts_pos_t end = region.end == GenomicRegion::whole_contig ? HTS_POS_MAX : region.end;
        iterator = sam_itr_queryi(handle_->index, tid, region.begin, end);
        if (!iterator)
            throw InputError(file_message(path_, "cannot query " + region.to_string() + " (corrupt index?)"));
    }
    // The reads of `region` in file order: from the file, or the held reads overlapping it
    // (what htslib's iterator returns: start before the region's end, end after its begin).
    std::size_t next_held = 0;
    if (replay) {
        const auto& held_reads = handle_->held;
        const std::int64_t earliest = region.begin - handle_->longest_held;
        next_held = static_cast<std::size_t>(
            std::partition_point(held_reads.begin(),
                                 held_reads.begin() + static_cast<std::ptrdiff_t>(handle_->held_count),
                                 [&](const bam1_t* r) { return r->core.pos < earliest; }) -
            held_reads.begin());
    }
    const auto next_record = [&]() -> bam1_t* {
        if (!replay) {
            const int status = sam_itr_next(handle_->file, iterator, handle_->record);
            if (status >= 0) return handle_->record;
            hts_itr_destroy(iterator);
            iterator = nullptr;
            if (status < -1)
                throw InputError(file_message(path_, "corrupt or truncated data while reading " + region.to_string()));
            return nullptr;
        }
        for (; next_held < handle_->held_count; ++next_held) {
            bam1_t* r = handle_->held[next_held];
            if (r->core.pos >= region.end) return nullptr;
            if (handle_->held_ends[next_held] > region.begin) return handle_->held[next_held++];
        }
        return nullptr;
    };

    const std::uint16_t excluded = excluded_flags();
    const ReadFilterOptions& filters = options_.filters;
    ReadCounts counts;
    AlignedRead read;
    auto& recent = handle_->recent_reads;
    auto& order = handle_->recent_order;
    recent.clear();
    order.clear();
    auto& open_ends = handle_->open_ends;
    while (!open_ends.empty()) open_ends.pop();
    try {
        while (bam1_t* record = next_record()) {
            ++counts.seen;
            const bam1_core_t& core = record->core;
            if ((core.flag & excluded) != 0 || core.qual < filters.min_mapping_quality || core.n_cigar == 0 ||
                core.l_qseq == 0)
                continue;
            if (handle_->select_read_groups) {
                const std::uint8_t* group = bam_aux_get(record, "RG");
                const char* group_id = group ? bam_aux2Z(group) : nullptr;
                if (!group_id || handle_->kept_read_groups.count(group_id) == 0) continue;  // another sample's read
            }
            // A read whose name and flags were already seen is a copy (files merged with themselves,
            // lanes concatenated twice): counting it again would weigh its bases twice. Names are
            // remembered over a sliding window of starts, so memory stays bounded on a whole contig.
            while (!order.empty() && order.front().first < core.pos - repeated_read_window) {
                const auto found = recent.find(order.front().second);
                if (found != recent.end() && found->second == order.front().first) recent.erase(found);
                order.pop_front();
            }
            const std::uint64_t identity = read_identity(record);
            if (!filters.keep_repeated_reads) {
                if (!recent.emplace(identity, core.pos).second) {
                    ++counts.repeated;
                    continue;
                }
                order.emplace_back(core.pos, identity);
            }
            const std::int64_t read_end = bam_endpos(record);
            if (filters.max_depth > 0) {
                while (!open_ends.empty() && open_ends.top() <= core.pos) open_ends.pop();
                open_ends.push(read_end);
                const auto depth = static_cast<double>(open_ends.size());
                if (depth > filters.max_depth && sampling_draw(identity, core.pos) * depth >= filters.max_depth) {
                    ++counts.downsampled;
                    continue;
                }
            }
            ++counts.passed;
            read.position = core.pos;
            read.end = read_end;
            read.mapping_quality = core.qual;
            read.reverse_strand = (core.flag & BAM_FREVERSE) != 0;
            read.paired = (core.flag & BAM_FPAIRED) != 0;
            read.first_of_pair = (core.flag & BAM_FREAD1) != 0;
            read.insert_size = core.isize;
            read.length = core.l_qseq;
            read.packed_sequence_ = bam_get_seq(record);
            read.qualities_ = bam_get_qual(record);
            read.cigar_ = bam_get_cigar(record);
            read.cigar_count_ = static_cast<int>(core.n_cigar);
            read.name_ = bam_get_qname(record);
            visit(read);
        }
    } catch (...) {
        if (iterator) hts_itr_destroy(iterator);
        throw;
    }
    return counts;
}

}  // namespace genodose
