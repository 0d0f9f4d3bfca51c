#include "genodose/io/vcf_writer.hpp"

#include <filesystem>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>

#include <algorithm>
#include <cstdio>

#include "genodose/core/error.hpp"
#include "genodose/core/output_file.hpp"

namespace genodose {

namespace {
// A control character (newline, tab, ...) in a name written into the VCF header would start a
// header line or a sample column of its own.
bool has_control_character(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

// `text` on one line: control characters as \n, \t or \xHH (for messages and ##commandline).
std::string escape_control_characters(const std::string& text) {
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (u < 0x20 || u == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", u);
            out += hex;
        } else out += c;
    }
    return out;
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

struct VcfWriter::Handle {
    OutputTransaction transaction;
    std::string temporary_path;
    std::string temporary_index_path;
    enum class Kind { vcf_gz, bcf, plain, standard_output } kind = Kind::vcf_gz;
    htsFile* file = nullptr;
    bcf_hdr_t* header = nullptr;
    bcf1_t* record = nullptr;
    kstring_t line = KS_INITIALIZE;
    bool closed = false;

    ~Handle() {
        if (record) bcf_destroy(record);
        if (header) bcf_hdr_destroy(header);
        if (file) hts_close(file);
        ks_free(&line);
    }
};

std::string format_vcf_number(double value, int decimals) {
    if (std::isnan(value)) return ".";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text(buffer);
    if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
    }
    if (text == "-0") text = "0";
    return text;
}

VcfWriter::VcfWriter(const std::string& path, const VcfHeaderSpec& spec)
    : path_(path), handle_(std::make_unique<Handle>()) {
    if (has_control_character(path))
        throw UsageError("output path '" + escape_control_characters(path) +
                         "' contains a control character (newline, tab, ...); it would be written into the VCF header");
    if (has_control_character(spec.reference_path))
        throw UsageError("reference path '" + escape_control_characters(spec.reference_path) +
                         "' contains a control character (newline, tab, ...); it would be written into the VCF header");
    for (const auto& sample : spec.samples)
        if (sample.empty() || has_control_character(sample))
            throw UsageError("sample name '" + escape_control_characters(sample) +
                             "' is empty or contains a control "
                             "character (newline, tab, ...); it would be written into the VCF header");
    const char* mode = "wz";
    if (path == "-") {
        handle_->kind = Handle::Kind::standard_output;  // uncompressed, as bcftools -Ov -o -
        mode = "w";
    } else if (ends_with(path, ".vcf.gz")) {
        handle_->kind = Handle::Kind::vcf_gz;
    } else if (ends_with(path, ".bcf")) {
        handle_->kind = Handle::Kind::bcf;
        mode = "wb";
    } else if (ends_with(path, ".vcf")) {
        handle_->kind = Handle::Kind::plain;
        mode = "w";
    } else {
        throw UsageError(file_message(path, "output VCF name must end in .vcf.gz, .bcf or .vcf"));
    }
    handle_->temporary_path = handle_->kind == Handle::Kind::standard_output ? "-" : handle_->transaction.add(path);
    if (handle_->kind != Handle::Kind::plain && handle_->kind != Handle::Kind::standard_output)
        handle_->temporary_index_path =
            handle_->transaction.add(path + (handle_->kind == Handle::Kind::bcf ? ".csi" : ".tbi"));

    handle_->header = bcf_hdr_init("w");
    if (!handle_->header) throw InternalError("cannot create VCF header");
    std::string text;
    text += "##source=" + spec.source + "\n";
    // file:// needs an absolute path (file://ref.fa would name a host "ref.fa").
    if (!spec.reference_path.empty())
        text +=
            "##reference=file://" + std::filesystem::absolute(spec.reference_path).lexically_normal().string() + "\n";
    for (const auto& contig : spec.contigs)
        text += "##contig=<ID=" + contig.name + ",length=" + std::to_string(contig.length) + ">\n";
    if (!spec.command_line.empty()) {
        const std::string command_line = escape_control_characters(spec.command_line);  // one header line
        text += "##commandline=\"" + command_line + "\"\n";
    }
    for (const auto& line : spec.meta_lines) text += line + "\n";
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t newline = text.find('\n', start);
        const std::string line = text.substr(start, newline - start);
        start = newline + 1;
        if (bcf_hdr_append(handle_->header, line.c_str()) != 0)
            throw InternalError("malformed VCF header line: " + line);
    }
    for (const auto& sample : spec.samples)
        if (bcf_hdr_add_sample(handle_->header, sample.c_str()) != 0)
            throw InputError(file_message(path, "cannot add sample '" + sample + "' (duplicate name?)"));
    if (bcf_hdr_sync(handle_->header) != 0) throw InternalError("cannot finalise VCF header");

    handle_->file = hts_open(handle_->temporary_path.c_str(), mode);
    if (!handle_->file) throw OutputError(file_message(path, "cannot create"));
    if (bcf_hdr_write(handle_->file, handle_->header) != 0)
        throw OutputError(file_message(path, "cannot write header"));
    handle_->record = bcf_init();
}

VcfWriter::~VcfWriter() = default;

void VcfWriter::write(const VcfOutputRecord& record) {
    if (handle_->closed) throw InternalError("VcfWriter::write after close");
    bcf_hdr_t* header = handle_->header;
    // Declared fields only: an undeclared key would make htslib add a dummy header line.
    for (const auto& [key, value] : record.info) {
        const int id = bcf_hdr_id2int(header, BCF_DT_ID, key.c_str());
        if (id < 0 || !bcf_hdr_idinfo_exists(header, BCF_HL_INFO, id))
            throw InternalError("INFO/" + key + " is not declared in the VCF header");
    }
    for (const auto& key : record.format_keys) {
        const int id = bcf_hdr_id2int(header, BCF_DT_ID, key.c_str());
        if (id < 0 || !bcf_hdr_idinfo_exists(header, BCF_HL_FMT, id))
            throw InternalError("FORMAT/" + key + " is not declared in the VCF header");
    }
    for (const auto& filter : record.filters) {
        const int id = bcf_hdr_id2int(header, BCF_DT_ID, filter.c_str());
        if (id < 0 || !bcf_hdr_idinfo_exists(header, BCF_HL_FLT, id))
            throw InternalError("FILTER " + filter + " is not declared in the VCF header");
    }

    kstring_t& line = handle_->line;
    line.l = 0;
    kputs(record.contig.c_str(), &line);
    kputc('\t', &line);
    kputll(record.position + 1, &line);
    kputc('\t', &line);
    kputs(record.id.empty() ? "." : record.id.c_str(), &line);
    kputc('\t', &line);
    kputs(record.ref.c_str(), &line);
    kputc('\t', &line);
    if (record.alts.empty()) kputc('.', &line);
    for (std::size_t i = 0; i < record.alts.size(); ++i) {
        if (i) kputc(',', &line);
        kputs(record.alts[i].c_str(), &line);
    }
    kputc('\t', &line);
    kputs(format_vcf_number(record.quality, 2).c_str(), &line);
    kputc('\t', &line);
    if (record.filters.empty()) kputc('.', &line);
    for (std::size_t i = 0; i < record.filters.size(); ++i) {
        if (i) kputc(';', &line);
        kputs(record.filters[i].c_str(), &line);
    }
    kputc('\t', &line);
    if (record.info.empty()) kputc('.', &line);
    for (std::size_t i = 0; i < record.info.size(); ++i) {
        if (i) kputc(';', &line);
        kputs(record.info[i].first.c_str(), &line);
        if (!record.info[i].second.empty()) {
            kputc('=', &line);
            kputs(record.info[i].second.c_str(), &line);
        }
    }
    const int n_samples = bcf_hdr_nsamples(header);
    if (n_samples > 0) {
        if (static_cast<int>(record.sample_values.size()) != n_samples)
            throw InternalError("VCF record has values for " + std::to_string(record.sample_values.size()) +
                                " samples, header has " + std::to_string(n_samples));
        kputc('\t', &line);
        for (std::size_t i = 0; i < record.format_keys.size(); ++i) {
            if (i) kputc(':', &line);
            kputs(record.format_keys[i].c_str(), &line);
        }
        for (const auto& values : record.sample_values) {
            kputc('\t', &line);
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (i) kputc(':', &line);
                kputs(values[i].c_str(), &line);
            }
        }
    }
    if (vcf_parse1(&line, header, handle_->record) != 0)
        throw InternalError("genodose produced an invalid VCF record: " + std::string(line.s));
    if (bcf_write(handle_->file, header, handle_->record) != 0)
        throw OutputError(file_message(path_, "write failed (disk full?)"));
}

void VcfWriter::close() {
    if (handle_->closed) return;
    handle_->closed = true;
    const int status = hts_close(handle_->file);
    handle_->file = nullptr;
    if (status != 0) throw OutputError(file_message(path_, "cannot finish writing (disk full?)"));
    if (handle_->kind == Handle::Kind::standard_output) return;  // nothing to index or rename
    if (handle_->kind != Handle::Kind::plain) {
        const int min_shift = handle_->kind == Handle::Kind::bcf ? 14 : 0;
        if (bcf_index_build3(handle_->temporary_path.c_str(), handle_->temporary_index_path.c_str(), min_shift, 0) != 0)
            throw OutputError(file_message(path_ + (handle_->kind == Handle::Kind::bcf ? ".csi" : ".tbi"),
                                           "cannot write index (disk full?)"));
    }
    handle_->transaction.commit();
}

}  // namespace genodose
