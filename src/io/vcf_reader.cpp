#include "genodose/io/vcf_reader.hpp"

#include <htslib/hts.h>
#include <htslib/kseq.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "index_check.hpp"

namespace genodose {

bool Genotype::is_missing() const {
    return std::all_of(alleles.begin(), alleles.end(), [](int a) { return a < 0; });
}

bool Genotype::has_missing_allele() const {
    return std::any_of(alleles.begin(), alleles.end(), [](int a) { return a < 0; });
}

std::string Genotype::to_string() const {
    if (alleles.empty()) return ".";
    std::string text;
    for (std::size_t i = 0; i < alleles.size(); ++i) {
        if (i) text += phased ? '|' : '/';
        text += alleles[i] < 0 ? std::string(".") : std::to_string(alleles[i]);
    }
    return text;
}

bool VariantRecord::passes_filters() const { return filters.empty() || (filters.size() == 1 && filters[0] == "PASS"); }

namespace {

// htslib's record flags that mean "read, with a placeholder header line added": the VCF
// specification recommends ##contig and INFO/FORMAT/FILTER lines but does not require them.
constexpr int soft_record_errors = BCF_ERR_CTG_UNDEF | BCF_ERR_TAG_UNDEF;

std::string record_error_text(int errcode) {
    std::string text;
    const auto add = [&](int flag, const char* what) {
        if (errcode & flag) text += std::string(text.empty() ? ": " : ", ") + what;
    };
    add(BCF_ERR_NCOLS, "wrong number of columns");
    add(BCF_ERR_LIMITS, "a value beyond htslib's limits");
    add(BCF_ERR_CHAR, "an invalid character");
    add(BCF_ERR_CTG_INVALID, "an invalid contig name");
    add(BCF_ERR_TAG_INVALID, "an invalid INFO/FORMAT/FILTER name");
    return text;
}

// VCF 4.3, section 1.4.7: the names a ##contig line may declare.
bool valid_contig_name(const std::string& name) {
    static const std::string first = "!#$%&+./:;?@^_|~-";
    static const std::string rest = "!#$%&*+./:;=?@^_|~-";
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(name[i]);
        if (std::isalnum(c)) continue;
        if ((i == 0 ? first : rest).find(static_cast<char>(c)) == std::string::npos) return false;
    }
    return true;
}

// A key htslib (and so bcftools) reads although the naming rule below forbids it, such as
// "PX-A" (PharmCAT's own test VCFs use '-'): htslib warns and adds the header line. Whitespace
// and the VCF's own separators could never be read back unambiguously, so those stay errors.
bool readable_tag_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isgraph(static_cast<unsigned char>(c)) && c != ';' && c != '=' && c != ',' && c != ':';
    });
}

// VCF 4.3, section 1.6.1: INFO and FORMAT keys.
bool valid_tag_name(const std::string& name) {
    if (name == "1000G") return true;
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; });
}

// FILTER: no whitespace or semicolons (VCF 4.3, section 1.6.1).
bool valid_filter_name(const std::string& name) {
    return !name.empty() && std::all_of(name.begin(), name.end(),
                                        [](char c) { return std::isgraph(static_cast<unsigned char>(c)) && c != ';'; });
}

// Why htslib refused a text VCF's header, for the common cases it does not name: a duplicated
// sample name, a FORMAT column without samples, a missing or short #CHROM line. Empty if none.
std::string vcf_header_problem(const std::string& path) {
    htsFile* file = hts_open(path.c_str(), "r");
    if (!file) return {};
    kstring_t line = KS_INITIALIZE;
    std::string problem;
    bool found = false;
    while (hts_getline(file, KS_SEP_LINE, &line) >= 0) {
        const std::string text(line.s ? line.s : "", line.l);
        if (text.rfind("##", 0) == 0) continue;
        if (text.rfind("#CHROM", 0) != 0) {
            problem = "no #CHROM line before the first record";
            break;
        }
        found = true;
        std::vector<std::string> columns;
        std::size_t start = 0;
        for (;;) {
            const std::size_t tab = text.find('\t', start);
            columns.push_back(text.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        if (columns.size() < 8) {
            problem =
                "the #CHROM line has " + std::to_string(columns.size()) + " tab-separated columns, 8 at least expected";
        } else if (columns.size() == 9) {
            problem = "a FORMAT column but no sample columns";
        } else {
            std::map<std::string, int> seen;
            for (std::size_t i = 9; i < columns.size() && problem.empty(); ++i)
                if (++seen[columns[i]] == 2)
                    problem = "sample name '" + columns[i] + "' appears twice in the #CHROM line";
        }
        break;
    }
    if (!found && problem.empty()) problem = "no #CHROM line";
    ks_free(&line);
    hts_close(file);
    return problem;
}

}  // namespace

struct VcfReader::Handle {
    htsFile* file = nullptr;
    bcf_hdr_t* header = nullptr;
    bcf1_t* record = nullptr;
    tbx_t* tabix = nullptr;
    hts_idx_t* bcf_index = nullptr;
    hts_itr_t* iterator = nullptr;
    bool iterator_exhausted = false;
    kstring_t line = KS_INITIALIZE;
    int32_t* int_buffer = nullptr;
    int int_buffer_size = 0;
    char** string_buffer = nullptr;  // FORMAT strings: one allocation at [0], pointers after it
    int string_buffer_size = 0;
    int phase_set_type = -1;     // BCF_HT_INT or BCF_HT_STR when the header declares FORMAT/PS
    bool has_min_depth = false;  // header declares FORMAT/MIN_DP (gVCF)
    std::map<std::string, std::int64_t> string_phase_sets;  // PS declared as String: ids by first sight
    bool is_bcf = false;
    int known_header_records = 0;  // header->nhrec already accounted for (declared or reported)

    ~Handle() {
        if (iterator) hts_itr_destroy(iterator);
        if (tabix) tbx_destroy(tabix);
        if (bcf_index) hts_idx_destroy(bcf_index);
        if (record) bcf_destroy(record);
        if (header) bcf_hdr_destroy(header);
        if (file) hts_close(file);
        ks_free(&line);
        std::free(int_buffer);
        if (string_buffer) std::free(string_buffer[0]);
        std::free(string_buffer);
    }
};

VcfReader::VcfReader(const std::string& path, const VcfReaderOptions& options)
    : path_(path), handle_(std::make_unique<Handle>()), log_undeclared_(options.log_undeclared) {
    if (!readable_file(path)) throw InputError(file_message(path, "VCF not found or not readable"));
    handle_->file = hts_open(path.c_str(), "r");
    if (!handle_->file) throw InputError(file_message(path, "cannot open as VCF/BCF"));
    const htsFormat* format = hts_get_format(handle_->file);
    if (format->format != vcf && format->format != bcf) throw InputError(file_message(path, "not a VCF or BCF file"));
    handle_->is_bcf = format->format == bcf;
    if (format->compression == bgzf && hts_check_EOF(handle_->file) == 0)
        throw InputError(file_message(path, "truncated file (no end-of-file marker)"));
    handle_->header = bcf_hdr_read(handle_->file);
    if (!handle_->header) {
        const std::string problem = handle_->is_bcf ? std::string() : vcf_header_problem(path);
        throw InputError(file_message(
            path,
            "cannot read VCF header (" + (problem.empty() ? std::string("malformed or empty file") : problem) + ")"));
    }

    const int file_samples = bcf_hdr_nsamples(handle_->header);
    if (!options.samples.empty()) {
        for (const auto& sample : options.samples) {
            if (bcf_hdr_id2int(handle_->header, BCF_DT_SAMPLE, sample.c_str()) < 0) {
                std::string available;
                for (int i = 0; i < file_samples && i < 10; ++i)
                    available += std::string(i ? ", " : "") + handle_->header->samples[i];
                throw InputError(file_message(path, "no sample '" + sample + "' (samples: " +
                                                        (available.empty() ? std::string("none") : available) + ")"));
            }
        }
        std::string list;
        for (std::size_t i = 0; i < options.samples.size(); ++i) list += (i ? "," : "") + options.samples[i];
        if (bcf_hdr_set_samples(handle_->header, list.c_str(), 0) != 0)
            throw InputError(file_message(path, "cannot select samples " + list));
    }
    for (int i = 0; i < bcf_hdr_nsamples(handle_->header); ++i) samples_.push_back(handle_->header->samples[i]);

    int n_contigs = 0;
    const char** names = bcf_hdr_seqnames(handle_->header, &n_contigs);
    for (int i = 0; i < n_contigs; ++i) {
        const int rid = bcf_hdr_name2id(handle_->header, names[i]);
        const auto length = bcf_hdr_id2hrec(handle_->header, BCF_DT_CTG, 0, rid);
        std::int64_t contig_length = 0;
        if (length) {
            const int key = bcf_hrec_find_key(length, "length");
            if (key >= 0) contig_length = std::atoll(length->vals[key]);
        }
        contigs_.push_back({names[i], contig_length, {}});
    }
    std::free(names);
    // PS is Integer in the specification; some tools declare it String. Either is read.
    const int phase_set_id = bcf_hdr_id2int(handle_->header, BCF_DT_ID, "PS");
    if (phase_set_id >= 0 && bcf_hdr_idinfo_exists(handle_->header, BCF_HL_FMT, phase_set_id)) {
        const int type = bcf_hdr_id2type(handle_->header, BCF_HL_FMT, phase_set_id);
        if (type == BCF_HT_INT || type == BCF_HT_STR) handle_->phase_set_type = type;
    }
    const int min_depth_id = bcf_hdr_id2int(handle_->header, BCF_DT_ID, "MIN_DP");
    handle_->has_min_depth = min_depth_id >= 0 && bcf_hdr_idinfo_exists(handle_->header, BCF_HL_FMT, min_depth_id) &&
                             bcf_hdr_id2type(handle_->header, BCF_HL_FMT, min_depth_id) == BCF_HT_INT;
    handle_->record = bcf_init();
    if (!handle_->record) throw InternalError("out of memory");
    handle_->known_header_records = handle_->header->nhrec;
}

VcfReader::~VcfReader() = default;

bool VcfReader::has_genotypes() const {
    return bcf_hdr_id2int(handle_->header, BCF_DT_ID, "GT") >= 0 &&
           bcf_hdr_idinfo_exists(handle_->header, BCF_HL_FMT, bcf_hdr_id2int(handle_->header, BCF_DT_ID, "GT"));
}

void VcfReader::accept_header_additions() {
    const bcf_hdr_t* header = handle_->header;
    if (handle_->record->rid < 0 || handle_->record->rid >= header->n[BCF_DT_CTG])
        throw InputError(file_message(path_, "malformed or truncated record (number " + std::to_string(records_read_) +
                                                 "): contig not in the header and not added"));
    const std::size_t first_new = undeclared_.size();
    for (int i = handle_->known_header_records; i < header->nhrec; ++i) {
        const bcf_hrec_t* line = header->hrec[i];
        const int key = bcf_hrec_find_key(const_cast<bcf_hrec_t*>(line), "ID");
        const std::string name = key >= 0 && line->vals[key] ? line->vals[key] : "";
        std::string what;
        bool valid = false;
        bool nonconforming = false;  // breaks the naming rule, but htslib and bcftools read it
        switch (line->type) {
            case BCF_HL_CTG:
                what = "contig " + name;
                valid = valid_contig_name(name);
                break;
            case BCF_HL_INFO:
            case BCF_HL_FMT:
                what = (line->type == BCF_HL_INFO ? "INFO/" : "FORMAT/") + name;
                valid = valid_tag_name(name);
                nonconforming = !valid && readable_tag_name(name);
                break;
            case BCF_HL_FLT:
                what = "FILTER/" + name;
                valid = valid_filter_name(name);
                break;
            default: continue;
        }
        if (!valid && !nonconforming)
            throw InputError(file_message(path_, "record " + std::to_string(records_read_) + ": invalid name '" + name +
                                                     "' (" + what + ", not declared in the header)"));
        undeclared_.push_back(nonconforming ? what + " (a name outside the VCF naming rule)" : what);
    }
    handle_->known_header_records = header->nhrec;
    if (log_undeclared_ && first_new == 0 && !undeclared_.empty())
        GENODOSE_LOG_WARN(
            file_message(path_, "the header does not declare " + undeclared_.front() + " (first used by record " +
                                    std::to_string(records_read_) +
                                    "); read as bcftools reads it. Further undeclared names are not logged"));
}

bool VcfReader::has_index() const {
    if (handle_->is_bcf) return readable_file(path_ + ".csi");
    return readable_file(path_ + ".tbi") || readable_file(path_ + ".csi");
}

std::string VcfReader::resolve_contig(const std::string& contig) const {
    return match_contig_name(contig, contig_names(contigs_));
}

void VcfReader::set_region(const GenomicRegion& region) {
    if (handle_->iterator) {
        hts_itr_destroy(handle_->iterator);
        handle_->iterator = nullptr;
    }
    std::string contig = resolve_contig(region.contig);
    if (contig.empty()) contig = region.contig;  // contig lines may be absent; try as given
    region_ = GenomicRegion{contig, region.begin, region.end};
    handle_->iterator_exhausted = false;
    const hts_pos_t end = region.end == GenomicRegion::whole_contig ? HTS_POS_MAX : region.end;
    if (!has_index()) {
        // Unindexed input: restart from the top and filter while scanning.
        if (records_read_ > 0)
            throw InputError(file_message(path_, "cannot seek without an index"),
                             "index it with: bcftools index -t " + path_);
        return;
    }
    if (handle_->is_bcf) {
        if (!handle_->bcf_index) {
            handle_->bcf_index = bcf_index_load(path_.c_str());
            if (!handle_->bcf_index) throw InputError(file_message(path_, "cannot load index"));
            check_index();
        }
        const int rid = bcf_hdr_name2id(handle_->header, contig.c_str());
        if (rid < 0) {
            handle_->iterator_exhausted = true;
            return;
        }
        handle_->iterator = bcf_itr_queryi(handle_->bcf_index, rid, region.begin, end);
    } else {
        if (!handle_->tabix) {
            handle_->tabix = tbx_index_load3(path_.c_str(), nullptr, 0);
            if (!handle_->tabix)
                throw InputError(file_message(path_, "cannot load tabix index (is the file bgzip-compressed?)"));
            check_index();
        }
        const int tid = tbx_name2id(handle_->tabix, contig.c_str());
        if (tid < 0) {
            handle_->iterator_exhausted = true;
            return;
        }
        handle_->iterator = tbx_itr_queryi(handle_->tabix, tid, region.begin, end);
    }
    if (!handle_->iterator) throw InputError(file_message(path_, "cannot query " + region.to_string()));
}

void VcfReader::check_index() {
    Handle& h = *handle_;
    const std::string index_path = detail::index_file_name(path_, {h.is_bcf ? ".csi" : ".tbi", ".csi"});
    const std::string hint =
        h.is_bcf ? "re-create it: bcftools index " + path_ : "re-create it: tabix -f -p vcf " + path_;
    std::vector<std::string> names;  // the index's contigs, by its tid
    if (h.is_bcf) {
        // A BCF index numbers contigs as the header does.
        const int index_contigs = hts_idx_nseq(h.bcf_index);
        if (index_contigs > h.header->n[BCF_DT_CTG])
            throw InputError(
                file_message(index_path, "index of another file: it lists " + std::to_string(index_contigs) +
                                             " contigs, " + path_ + " has " + std::to_string(h.header->n[BCF_DT_CTG])),
                hint);
        for (int i = 0; i < index_contigs; ++i) names.push_back(bcf_hdr_id2name(h.header, i));
    } else {
        int n = 0;
        const char** seqnames = tbx_seqnames(h.tabix, &n);
        for (int i = 0; i < n; ++i) names.push_back(seqnames[i]);
        std::free(seqnames);
        if (!contigs_.empty())
            for (const auto& name : names)
                if (std::none_of(contigs_.begin(), contigs_.end(), [&](const Contig& c) { return c.name == name; }))
                    throw InputError(file_message(index_path, "index of another file: it lists contig '" + name +
                                                                  "', absent from the header of " + path_),
                                     hint);
    }
    const auto length = [&](int tid) -> std::int64_t {
        for (const auto& c : contigs_)
            if (c.name == names[static_cast<std::size_t>(tid)]) return c.length;
        return 0;
    };
    const std::string problem =
        detail::index_mismatch(static_cast<int>(names.size()), length, [&](int tid, std::int64_t begin) {
            detail::IndexProbe result;
            hts_itr_t* iterator = h.is_bcf ? bcf_itr_queryi(h.bcf_index, tid, begin, HTS_POS_MAX)
                                           : tbx_itr_queryi(h.tabix, tid, begin, HTS_POS_MAX);
            if (!iterator) {
                result.status = -2;
                return result;
            }
            result.index_has_data = iterator->n_off > 0;
            if (h.is_bcf) {
                result.status = bcf_itr_next(h.file, iterator, h.record);
                if (result.status >= 0 && h.record->rid != tid) result.status = -2;
            } else {
                result.status = tbx_itr_next(h.file, h.tabix, iterator, &h.line);
            }
            hts_itr_destroy(iterator);
            return result;
        });
    if (!problem.empty()) throw InputError(file_message(index_path, problem + "; file: " + path_), hint);
}

bool VcfReader::next(VariantRecord& out) {
    bcf1_t* record = handle_->record;
    bcf_hdr_t* header = handle_->header;
    for (;;) {
        int status = 0;
        if (region_ && (handle_->iterator || handle_->iterator_exhausted)) {
            if (handle_->iterator_exhausted) return false;
            if (handle_->is_bcf) {
                status = bcf_itr_next(handle_->file, handle_->iterator, record);
            } else {
                status = tbx_itr_next(handle_->file, handle_->tabix, handle_->iterator, &handle_->line);
                if (status >= 0 && vcf_parse1(&handle_->line, header, record) != 0) status = -2;
            }
        } else {
            status = bcf_read(handle_->file, header, record);
        }
        if (status == -1) return false;
        ++records_read_;
        if (status < -1 || (record->errcode & ~soft_record_errors) != 0) {
            throw InputError(file_message(path_, "malformed or truncated record (number " +
                                                     std::to_string(records_read_) + ")" +
                                                     record_error_text(record->errcode)));
        }
        if (record->errcode != 0) accept_header_additions();
        if (bcf_unpack(record, BCF_UN_ALL) != 0)
            throw InputError(file_message(path_, "cannot decode record " + std::to_string(records_read_)));
        // htslib parses POS with strtoll and no error check: "abc" and "0" both become pos -1. No
        // pharmacogene or call lies at a telomere (the only use of POS 0), so both are bad input.
        if (record->pos < 0)
            throw InputError(
                file_message(path_, "record " + std::to_string(records_read_) + ": POS is not a positive integer"));

        out.contig = bcf_hdr_id2name(header, record->rid);
        out.position = record->pos;
        if (region_) {
            if (out.contig != region_->contig || record->pos + record->rlen <= region_->begin) continue;
            if (record->pos >= region_->end) {
                if (!handle_->iterator) continue;  // unsorted scan: keep going
                return false;
            }
        }
        out.id = record->d.id ? record->d.id : ".";
        out.ref = record->n_allele > 0 ? record->d.allele[0] : "";
        // htslib sets rlen from INFO/END when there is one (gVCF blocks), else from REF.
        out.reference_end = record->pos + std::max<hts_pos_t>(record->rlen, static_cast<hts_pos_t>(out.ref.size()));
        out.alts.clear();
        for (int i = 1; i < record->n_allele; ++i) {
            std::string alt = record->d.allele[i];
            out.alts.push_back(alt);
        }
        out.quality = bcf_float_is_missing(record->qual) ? std::nan("") : static_cast<double>(record->qual);
        out.filters.clear();
        for (int i = 0; i < record->d.n_flt; ++i)
            out.filters.push_back(bcf_hdr_int2id(header, BCF_DT_ID, record->d.flt[i]));

        const int n_samples = bcf_hdr_nsamples(header);
        out.genotypes.assign(static_cast<std::size_t>(n_samples), Genotype{});
        out.depths.assign(static_cast<std::size_t>(n_samples), -1);
        out.genotype_qualities.assign(static_cast<std::size_t>(n_samples), -1);
        out.allele_depths.assign(static_cast<std::size_t>(n_samples), {});
        out.phred_likelihoods.assign(static_cast<std::size_t>(n_samples), {});
        out.phase_sets.assign(static_cast<std::size_t>(n_samples), -1);
        out.min_depths.assign(static_cast<std::size_t>(n_samples), -1);
        if (n_samples == 0) return true;

        int n = bcf_get_genotypes(header, record, &handle_->int_buffer, &handle_->int_buffer_size);
        if (n > 0) {
            const int ploidy = n / n_samples;
            for (int s = 0; s < n_samples; ++s) {
                Genotype& genotype = out.genotypes[static_cast<std::size_t>(s)];
                const int32_t* values = handle_->int_buffer + s * ploidy;
                bool all_phased = true;
                for (int j = 0; j < ploidy; ++j) {
                    if (values[j] == bcf_int32_vector_end) break;
                    genotype.alleles.push_back(bcf_gt_is_missing(values[j]) ? -1 : bcf_gt_allele(values[j]));
                    if (j > 0 && !bcf_gt_is_phased(values[j])) all_phased = false;
                }
                genotype.phased = genotype.alleles.size() > 1 && all_phased;
                for (int allele : genotype.alleles) {
                    if (allele >= record->n_allele)
                        throw InputError(file_message(path_, out.contig + ":" + std::to_string(out.position + 1) +
                                                                 ": genotype refers to allele " +
                                                                 std::to_string(allele) + " but the record has " +
                                                                 std::to_string(record->n_allele)));
                }
            }
        }
        const auto read_per_sample_int = [&](const char* key, auto& target) {  // vector<int> or <int64_t>
            const int count =
                bcf_get_format_int32(header, record, key, &handle_->int_buffer, &handle_->int_buffer_size);
            if (count < n_samples) return;
            const int per_sample = count / n_samples;
            for (int s = 0; s < n_samples; ++s) {
                const int32_t value = handle_->int_buffer[s * per_sample];
                if (value != bcf_int32_missing && value != bcf_int32_vector_end)
                    target[static_cast<std::size_t>(s)] = value;
            }
        };
        read_per_sample_int("DP", out.depths);
        read_per_sample_int("GQ", out.genotype_qualities);
        if (handle_->has_min_depth) read_per_sample_int("MIN_DP", out.min_depths);
        if (handle_->phase_set_type == BCF_HT_INT) {
            read_per_sample_int("PS", out.phase_sets);
        } else if (handle_->phase_set_type == BCF_HT_STR) {
            if (bcf_get_format_string(header, record, "PS", &handle_->string_buffer, &handle_->string_buffer_size) >
                0) {
                for (int s = 0; s < n_samples; ++s) {
                    const std::string value = handle_->string_buffer[s];
                    if (value.empty() || value == ".") continue;
                    const auto inserted = handle_->string_phase_sets.emplace(
                        value, static_cast<std::int64_t>(handle_->string_phase_sets.size()));
                    out.phase_sets[static_cast<std::size_t>(s)] = inserted.first->second;
                }
            }
        }
        const auto read_per_sample_ints = [&](const char* key, std::vector<std::vector<int>>& target) {
            const int count =
                bcf_get_format_int32(header, record, key, &handle_->int_buffer, &handle_->int_buffer_size);
            if (count < n_samples) return;
            const int per_sample = count / n_samples;
            for (int s = 0; s < n_samples; ++s) {
                auto& values = target[static_cast<std::size_t>(s)];
                for (int j = 0; j < per_sample; ++j) {
                    const int32_t value = handle_->int_buffer[s * per_sample + j];
                    if (value == bcf_int32_vector_end) break;
                    values.push_back(value == bcf_int32_missing ? -1 : value);
                }
            }
        };
        read_per_sample_ints("AD", out.allele_depths);
        read_per_sample_ints("PL", out.phred_likelihoods);
        return true;
    }
}

}  // namespace genodose
