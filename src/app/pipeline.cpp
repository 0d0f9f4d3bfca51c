#include "genodose/app/pipeline.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>

#include "genodose/calling/genotype_model.hpp"
#include "genodose/calling/variant_caller.hpp"
#include "genodose/core/checked_json.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/folder_lock.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/sha256.hpp"
#include "genodose/core/text.hpp"
#include "genodose/core/text_input.hpp"
#include "genodose/core/version.hpp"
#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "genodose/io/alignment_reader.hpp"
#include "genodose/io/reference_genome.hpp"
#include "genodose/pgx/data_directory.hpp"
#include "genodose/pgx/genotyper.hpp"
#include "genodose/report/cohort_table.hpp"
#include "genodose/report/renderers.hpp"
#include "genodose/report/report_builder.hpp"

namespace genodose::app {

using namespace genodose::report;

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

std::string read_text(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, "cannot open " + what));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_private_file(const std::string& path, const std::string& final_path, const std::string& content) {
    const int fd = open_new_output_file(path, 0600);
    if (fd < 0) throw OutputError(file_message(final_path, std::string("cannot create: ") + std::strerror(errno)));
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const std::string why = std::strerror(errno);
            ::close(fd);
            throw OutputError(file_message(final_path, "write failed: " + why));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0)
        throw OutputError(file_message(final_path, std::string("close failed: ") + std::strerror(errno)));
}

// A hidden scratch folder inside the output folder (same file system: outputs are renamed out of
// it), removed with everything in it when the run ends, successfully or not. mkdtemp makes it:
// a fresh name (an existing folder or a planted link is never reused or followed), mode 0700.
// The files the run puts there are removed on SIGINT/SIGTERM too (`files`).
class ScratchFolder {
public:
    ScratchFolder(const std::string& parent, const std::vector<std::string>& files) {
        std::string pattern = (fs::path(parent) / ".genodose-run.XXXXXX").string();
        if (!mkdtemp(pattern.data()))
            throw OutputError(
                file_message(parent, std::string("cannot create a scratch folder: ") + std::strerror(errno)));
        path_ = pattern;
        cleanup_.push_back(std::make_unique<CleanupOnInterrupt>(path_));
        for (const auto& name : files) cleanup_.push_back(std::make_unique<CleanupOnInterrupt>(file(name)));
    }
    ~ScratchFolder() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    ScratchFolder(const ScratchFolder&) = delete;
    ScratchFolder& operator=(const ScratchFolder&) = delete;
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
    std::vector<std::unique_ptr<CleanupOnInterrupt>> cleanup_;
};

bool looks_like_json(const std::string& text) {
    for (char c : text) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        return c == '{' || c == '[';
    }
    return false;
}

// The report-only identifiers of the patient JSON's "report" object (docs/report-schema.md),
// as the patient reader checked and kept them, merged with the lab configuration.
ReportIdentifiers report_identifiers(const std::map<std::string, std::string>& report_fields) {
    ReportIdentifiers ids;
    const std::vector<std::pair<std::string, std::string*>> fields = {{"patient_name", &ids.patient_name},
                                                                      {"date_of_birth", &ids.date_of_birth},
                                                                      {"ordering_clinician", &ids.ordering_clinician},
                                                                      {"laboratory", &ids.laboratory},
                                                                      {"accession", &ids.accession}};
    for (const auto& [key, value] : fields)
        if (const auto found = report_fields.find(key); found != report_fields.end()) *value = found->second;
    return ids;
}

// --lab-config: one JSON object, string values, keys of dosing::lab_config_field_names().
std::map<std::string, std::string> read_lab_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, "lab configuration not found or not readable"));
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    nlohmann::json json = parse_checked_json<nlohmann::json>(text, path, "lab configuration");
    if (!json.is_object()) throw InputError(file_message(path, "lab configuration must be a JSON object"));
    const auto& known = dosing::lab_config_field_names();
    std::map<std::string, std::string> fields;
    for (const auto& [key, value] : json.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw InputError(file_message(path, "field '" + key + "': unknown (known: " + join(known, ", ") + ")"));
        if (!value.is_string()) throw InputError(file_message(path, "field '" + key + "': expected a string"));
        require_max_length(value.get<std::string>(), max_text_field_bytes, file_message(path, "field '" + key + "'"));
        try {
            dosing::check_report_field(key, value.get<std::string>());
        } catch (const InputError& e) {
            throw InputError(file_message(path, "field '" + key + "': " + e.what()));
        }
        fields[key] = value.get<std::string>();
    }
    return fields;
}

std::vector<dosing::PatientRecord> read_patient_records(const SampleRequest& request) {
    if (looks_like_json(request.patient_text))
        return dosing::parse_patient_json(request.patient_text, request.patient_source);
    std::istringstream in(request.patient_text);
    return dosing::parse_iwpc_csv(in, request.patient_source);
}

const dosing::PatientRecord& choose_patient(const std::vector<dosing::PatientRecord>& records,
                                            const SampleRequest& request) {
    if (!request.patient_id.empty()) {
        for (const auto& r : records)
            if (r.patient.id == request.patient_id) return r;
        throw PatientDataError(file_message(request.patient_source, "no patient with id '" + request.patient_id + "'"),
                               file_message(request.patient_source, "no patient with the id given"));
    }
    if (records.size() == 1) return records.front();
    if (!request.sample.empty()) {
        for (const auto& r : records)
            if (r.patient.sample_id == request.sample || r.patient.id == request.sample) return r;
    }
    throw InputError(file_message(request.patient_source, std::to_string(records.size()) +
                                                              " patients in the file; choose one with --patient-id"));
}

// A reference whose chr10/16/19 have the other build's lengths would put every position off.
void check_reference_build(const ReferenceGenome& reference, const pgx::PgxDataset& data, pgx::GenomeBuild build) {
    const pgx::GenomeBuild other =
        build == pgx::GenomeBuild::grch38 ? pgx::GenomeBuild::grch37 : pgx::GenomeBuild::grch38;
    const auto expected = data.contig_lengths.find(build);
    const auto wrong = data.contig_lengths.find(other);
    if (expected == data.contig_lengths.end() || wrong == data.contig_lengths.end()) return;
    const auto names = contig_names(reference.contigs());
    for (const auto& [contig, length] : expected->second) {
        const std::string name = match_contig_name(contig, names);
        if (name.empty()) continue;
        const std::int64_t actual = reference.contig_length(name);
        if (actual == wrong->second.at(contig) && actual != length)
            throw InputError(
                file_message(reference.path(), name + " has the length of " + pgx::to_string(other) + " (" +
                                                   std::to_string(actual) + " bp), not " + pgx::to_string(build)),
                "pass --build " + pgx::to_string(other) + " if the reads are aligned to " + pgx::to_string(other));
        if (actual != length)
            GENODOSE_LOG_WARN(reference.path()
                              << ": " << name << " is " << actual << " bp, not the " << pgx::to_string(build)
                              << " length " << length << "; positions are used as given");
    }
}

// The windows called for calls.vcf.gz: each gene's RefSeqGene region, and 1 kb around any
// target outside them (rs12777823).
std::vector<GenomicRegion> calling_windows(const pgx::PgxDataset& data,
                                           const std::vector<pgx::GenotypingTarget>& targets, pgx::GenomeBuild build) {
    std::vector<GenomicRegion> regions;
    for (const auto& segment : data.segments)
        regions.push_back({segment.chromosome, segment.begin(build), segment.end(build)});
    for (const auto& target : targets) {
        if (data.segment(target.chromosome, target.position, target.end(), build)) continue;
        regions.push_back({target.chromosome, std::max<std::int64_t>(0, target.position - 500), target.end() + 500});
    }
    std::vector<std::string> order;
    for (const auto& r : regions)
        if (std::find(order.begin(), order.end(), r.contig) == order.end()) order.push_back(r.contig);
    std::sort(order.begin(), order.end());
    return merge_regions(regions, order);
}

// The coverage of `window` from the calling pass's per-position depths (reads passing the
// caller's filters: good-quality bases and deletions), over the chunks that overlap it.
GeneCoverage window_coverage(const std::vector<ChunkDepth>& depths, const GenomicRegion& window) {
    std::vector<int> depth(static_cast<std::size_t>(std::max<std::int64_t>(0, window.length())), 0);
    for (const auto& chunk : depths) {
        if (match_contig_name(window.contig, {chunk.chunk.contig}).empty()) continue;
        const std::int64_t from = std::max(chunk.chunk.begin, window.begin), to = std::min(chunk.chunk.end, window.end);
        for (std::int64_t p = from; p < to; ++p)
            depth[static_cast<std::size_t>(p - window.begin)] =
                chunk.depth[static_cast<std::size_t>(p - chunk.chunk.begin)];
    }
    GeneCoverage coverage;
    coverage.region = window.to_string();
    if (depth.empty()) return coverage;
    double sum = 0;
    std::size_t deep = 0;
    int minimum = depth.front();
    for (int d : depth) {
        sum += d;
        if (d >= 20) ++deep;
        minimum = std::min(minimum, d);
    }
    coverage.mean_depth = sum / static_cast<double>(depth.size());
    coverage.fraction_at_least_20x = static_cast<double>(deep) / static_cast<double>(depth.size());
    coverage.min_depth = minimum;
    return coverage;
}

// The sample name of the reads (their @RG SM), or the file's path when they have none. Reads of
// several samples are never reported as one: --sample must choose.
std::string reads_sample_name(const SampleRequest& request) {
    AlignmentReaderOptions options;
    options.reference_path = request.reference;
    const AlignmentReader reader(request.reads, options);
    if (reader.sample_names().size() > 1)
        throw InputError(file_message(request.reads, "reads from " + std::to_string(reader.sample_names().size()) +
                                                         " samples (@RG SM: " + reader.joined_samples() + ")"),
                         "choose one with --sample NAME (only its read groups are used)");
    return reader.sample_names().empty() ? request.reads : reader.sample_names().front();
}

std::string depth_table(const std::vector<pgx::GenotypingTarget>& targets,
                        const pgx::SampleObservations& observations) {
    std::ostringstream out;
    out << "#gene\trsid\tchrom\tpos\tref\talt\tstatus\tgenotype\tdepth\tquality\n";
    for (std::size_t t = 0; t < targets.size(); ++t) {
        const auto& target = targets[t];
        const auto& o = observations.positions[t];
        const std::string genotype = pgx::genotype_text(target, o);
        out << target.gene << '\t' << (target.rsid.empty() ? "." : target.rsid) << '\t' << target.chromosome << '\t'
            << target.position + 1 << '\t' << target.ref << '\t' << join(target.alts, ",") << '\t'
            << pgx::to_string(o.status) << '\t' << (genotype.empty() ? "." : genotype) << '\t'
            << (o.depth >= 0 ? std::to_string(o.depth) : ".") << '\t'
            << (o.genotype_quality >= 0 ? std::to_string(o.genotype_quality) : ".") << '\n';
    }
    return out.str();
}

void move_into(const std::string& from, const std::string& to, const std::string& final_path) {
    if (std::rename(from.c_str(), to.c_str()) != 0)
        throw OutputError(file_message(final_path, std::string("cannot move into place: ") + std::strerror(errno)));
    ::chmod(to.c_str(), 0600);
}

// Removes a folder that run() created, if the run fails and leaves it empty (the earlier
// behaviour: a failed run into a new folder leaves nothing behind).
class CreatedFolderGuard {
public:
    explicit CreatedFolderGuard(std::string dir) : dir_(std::move(dir)) {}
    ~CreatedFolderGuard() {
        if (dir_.empty() || std::uncaught_exceptions() == 0) return;
        std::error_code ec;
        if (fs::is_empty(dir_, ec) && !ec) fs::remove(dir_, ec);
    }
    CreatedFolderGuard(const CreatedFolderGuard&) = delete;
    CreatedFolderGuard& operator=(const CreatedFolderGuard&) = delete;

private:
    std::string dir_;
};

std::string quote(const std::string& text) { return "'" + text + "'"; }

}  // namespace

const std::vector<std::string>& sample_output_names() {
    static const std::vector<std::string> names = {"report.json",    "report.html", "report.pdf",   "report.fhir.json",
                                                   "genotypes.json", "depth.tsv",   "calls.vcf.gz", "calls.vcf.gz.tbi"};
    return names;
}

std::vector<std::string> report_output_names() {
    std::vector<std::string> names;
    for (ReportFormat format : {ReportFormat::json, ReportFormat::html, ReportFormat::pdf, ReportFormat::fhir})
        names.push_back(report_file_name(format));
    return names;
}

std::vector<std::string> remove_stale_outputs(const std::string& dir, const std::vector<std::string>& managed,
                                              const std::vector<std::string>& produced, const std::string& keep) {
    std::vector<std::string> removed;
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec)) return removed;
    for (const auto& name : managed) {
        if (std::find(produced.begin(), produced.end(), name) != produced.end()) continue;
        const fs::path path = fs::path(dir) / name;
        const auto status = fs::symlink_status(path, ec);
        if (ec || !fs::exists(status) || fs::is_directory(status)) continue;
        if (!keep.empty() && fs::equivalent(path, keep, ec)) continue;
        if (::unlink(path.c_str()) != 0 && errno != ENOENT)
            throw OutputError(file_message(
                path.string(), std::string("cannot remove this file of an earlier run: ") + std::strerror(errno)));
        removed.push_back(name);
    }
    // File names only: in batch the folder is named after the sample.
    if (!removed.empty())
        GENODOSE_LOG_INFO("removed " << join(removed, ", ")
                                     << " from the output folder: an earlier run wrote them and this run does not, so "
                                        "they would not match the new report");
    return removed;
}

void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files) {
    OutputTransaction transaction;
    for (const auto& [path, content] : files) write_private_file(transaction.add(path), path, content);
    transaction.commit();
}

struct ReportPipeline::Impl {
    PipelineSettings settings;
    std::string data_directory;
    pgx::PgxDataset data;
    std::vector<pgx::GenotypingTarget> targets;
    std::optional<dosing::DoseModel> model;
    std::mutex model_mutex;  // one prediction at a time: the booster is shared
    std::optional<CohortTable> cohort;
    std::vector<ProvenanceFile> data_files;
    std::mutex caller_mutex;
    std::map<std::string, std::string> lab_fields;  // --lab-config
    std::string lab_config_sha256;
    std::string caller_model;  // resolved on first use (VCF-only runs do not need it)
    std::string caller_sha256;

    std::pair<std::string, std::string> caller() {
        std::lock_guard<std::mutex> lock(caller_mutex);
        if (caller_model.empty()) {
            const std::string path =
                settings.caller_model.empty() ? default_caller_model_path() : settings.caller_model;
            caller_sha256 = sha256_file(path);
            caller_model = path;
        }
        return {caller_model, caller_sha256};
    }
};

ReportPipeline::ReportPipeline(const PipelineSettings& settings) : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.settings = settings;
    m.data_directory = settings.data_directory.empty() ? default_data_directory() : settings.data_directory;
    const std::string pgx_directory = pgx::pgx_data_directory(m.data_directory);
    m.data = pgx::load_pgx_dataset(pgx_directory);
    m.targets = pgx::genotyping_targets(m.data, settings.build);
    const std::string model_path = settings.dose_model.empty() ? dosing::default_model_path() : settings.dose_model;
    m.model.emplace(dosing::DoseModel::load(model_path));
    const auto& info = m.model->info();
    m.data_files.push_back({"dose model", file_name_of(model_path), info.sha256,
                            "genodose " + info.genodose_version + ", XGBoost " + info.xgboost_version +
                                ", trained on " + info.training_data_name + " (" + std::to_string(info.training_rows) +
                                " patients)"});
    // Every file the genotyper loaded, so the report names the exact definitions used.
    std::vector<std::string> pgx_files = {"genodose_pgx.json"};
    for (const auto& gene : m.data.genes) {
        pgx_files.push_back(fs::relative(gene.definition_path, pgx_directory).string());
        if (gene.phenotypes) pgx_files.push_back(fs::relative(gene.phenotypes->path, pgx_directory).string());
    }
    for (const auto& name : {"definition/exemptions.json", "refseq/warfarin_genes_GRCh38.fa"})
        if (fs::exists(pgx_directory + "/" + name)) pgx_files.push_back(name);
    for (const auto& file : pgx_files)
        m.data_files.push_back({"allele definitions", "reference/pgx/" + file, sha256_file(pgx_directory + "/" + file),
                                "PharmCAT " + m.data.version()});
    if (!settings.lab_config.empty()) {
        m.lab_fields = read_lab_config(settings.lab_config);
        m.lab_config_sha256 = sha256_file(settings.lab_config);
    }
    const std::string cohort_path = default_cohort_table_path(m.data_directory);
    m.cohort.emplace(CohortTable::load(cohort_path));
    m.data_files.push_back({"cohort table", "reference/iwpc_cohort/" + file_name_of(cohort_path),
                            sha256_file(cohort_path), "IWPC data, CC BY-SA 4.0"});
}

ReportPipeline::~ReportPipeline() = default;

namespace {

// The output folder of one run, claimed before anything is computed: created if missing (and
// removed again if the run fails and leaves it empty), locked against a second run, every report
// file of an earlier run removed (the ones this run writes, and the ones it does not, which would
// otherwise sit beside the new report), and a temporary name reserved for each file this run
// writes, published together by publish().
class OutputFolder {
public:
    OutputFolder(const std::string& dir, const std::vector<std::string>& names)
        : dir_(dir),
          folder_existed_(existed_before(dir)),
          folder_guard_(folder_existed_ ? std::string() : dir),
          folder_lock_(dir, FolderLock::Wait::no) {
        if (!folder_existed_) created_folder_.emplace(dir);
        remove_stale_outputs(dir, sample_output_names(), names);
        for (const auto& name : names) temporary_[path(name)] = transaction_.add(path(name));
    }
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

    // Writes `files` (final path → content) and moves the files of `scratch` (by name) to their
    // reserved temporaries, then renames everything into place at once.
    std::vector<std::string> publish(const std::vector<std::pair<std::string, std::string>>& files,
                                     const ScratchFolder* scratch, const std::vector<std::string>& scratch_names) {
        std::vector<std::string> written;
        for (const auto& [final_path, content] : files) {
            write_private_file(temporary_.at(final_path), final_path, content);
            written.push_back(final_path);
        }
        for (const auto& name : scratch_names) {
            move_into(scratch->file(name), temporary_.at(path(name)), path(name));
            written.push_back(path(name));
        }
        transaction_.commit();
        return written;
    }

private:
    static bool existed_before(const std::string& dir) {
        std::error_code ec;
        const bool existed = fs::is_directory(dir, ec);
        ensure_directory(dir);
        return existed;
    }

    std::string dir_;
    bool folder_existed_;
    CreatedFolderGuard folder_guard_;
    FolderLock folder_lock_;                            // one run per output folder
    std::optional<CleanupOnInterrupt> created_folder_;  // a new folder left empty by an interrupted run
    OutputTransaction transaction_;
    std::map<std::string, std::string> temporary_;  // final path → temporary path
};

// What the sample's data said, from reads or from a VCF.
struct SampleEvidence {
    pgx::SampleObservations observations;
    std::vector<std::string> warnings;             // file-level (VCF); name positions, never the sample
    std::map<std::string, GeneCoverage> coverage;  // by gene; reads only
    std::string caller_model, caller_sha256;       // reads only
};

const std::vector<std::string> calls_file_names = {"calls.vcf.gz", "calls.vcf.gz.tbi"};

void check_request(const SampleRequest& request) {
    if (request.reads.empty() == request.vcf.empty()) throw UsageError("give exactly one of --reads or --vcf");
    if (!request.reads.empty() && request.reference.empty())
        throw UsageError("--reads needs --ref (the reference the reads were aligned to)");
    if (request.output_dir.empty()) throw UsageError("--output-dir is required");
}

// A patient file that names its sample must name this one: anything else is a sample swap
// (`dose predict` refuses the same pairing).
void check_sample_identity(const SampleRequest& request, const dosing::Patient& patient, const std::string& sample) {
    if (patient.sample_id.empty() || sample == patient.sample_id) return;
    const bool from_reads = !request.reads.empty();
    const std::string input = from_reads ? request.reads : request.vcf;
    throw PatientDataError(
        file_message(request.patient_source, "patient " + quote(patient.id) + " has sample_id " +
                                                 quote(patient.sample_id) + ", but " + input + " holds sample " +
                                                 quote(sample)),
        file_message(request.patient_source, "the patient's sample_id is not the sample " + input + " holds"),
        "a sample swap? give the patient's own " + std::string(from_reads ? "reads" : "VCF") +
            " or correct sample_id in the patient file");
}

}  // namespace

struct ReportPipeline::Steps {
    Impl& m;
    const SampleRequest& request;

    // The file names this run writes into the sample's folder.
    std::vector<std::string> output_names() const {
        std::vector<std::string> names = {"report.json"};
        for (ReportFormat format : m.settings.formats)
            if (format != ReportFormat::json) names.push_back(report_file_name(format));
        names.push_back("genotypes.json");
        if (!request.reads.empty()) {
            names.push_back("depth.tsv");
            names.insert(names.end(), calls_file_names.begin(), calls_file_names.end());
        }
        return names;
    }

    // The patient, and the report fields: the lab configuration's, then the patient's (the same
    // key in both must agree).
    dosing::PatientRecord patient_record() const {
        const auto records = read_patient_records(request);
        dosing::PatientRecord chosen = choose_patient(records, request);
        std::map<std::string, std::string> report_fields = m.lab_fields;
        for (const auto& [key, value] : chosen.report_fields) {
            const auto lab = m.lab_fields.find(key);
            if (lab != m.lab_fields.end() && lab->second != value)
                throw InputError(file_message(request.patient_source, "field 'report." + key + "': " + quote(value) +
                                                                          " differs from " + quote(lab->second) +
                                                                          " in " + m.settings.lab_config),
                                 "give the laboratory's details in one place (the lab configuration)");
            report_fields[key] = value;
        }
        chosen.report_fields = std::move(report_fields);
        return chosen;
    }

    // From reads: one calling pass over the gene windows writes calls.vcf.gz and genotypes the
    // targets from the same records; its depths give the coverage.
    SampleEvidence evidence_from_reads(const ScratchFolder& scratch) const {
        SampleEvidence evidence;
        std::tie(evidence.caller_model, evidence.caller_sha256) = m.caller();
        {
            const ReferenceGenome reference(request.reference);
            check_reference_build(reference, m.data, m.settings.build);
        }
        const std::string sample = !request.sample.empty() ? request.sample : reads_sample_name(request);
        CallOptions call;
        call.reference_path = request.reference;
        call.reads_path = request.reads;
        call.output_path = scratch.file("calls.vcf.gz");
        call.model_path = evidence.caller_model;
        call.sample_name = sample;
        call.regions = calling_windows(m.data, m.targets, m.settings.build);
        call.forced_sites = pgx::forced_sites(m.targets);
        call.keep_depth = true;
        call.threads = request.threads;
        call.command_line = m.settings.command_line;
        call.source = std::string("genodose ") + genodose::version;
        const CallResult called = call_variants(call);
        evidence.observations =
            pgx::observations_from_site_calls(sample, called.sites, called.summary.reads, called.summary.repeated_reads,
                                              called.summary.ambiguous_reference_bases);
        for (const auto& segment : m.data.segments)
            for (const auto& gene : m.data.genes)
                if (gene.gene == segment.name)
                    evidence.coverage[gene.gene] = window_coverage(
                        called.depth,
                        {segment.chromosome, segment.begin(m.settings.build), segment.end(m.settings.build)});
        return evidence;
    }

    // From a VCF: the patient's sample of it.
    SampleEvidence evidence_from_vcf(const dosing::Patient& patient) const {
        SampleEvidence evidence;
        pgx::VcfObservationOptions options;
        options.path = request.vcf;
        options.build = m.settings.build;
        if (!request.sample.empty()) options.samples = {request.sample};
        pgx::VcfObservations vcf = pgx::observations_from_vcf(m.data, m.targets, options);
        evidence.warnings = vcf.warnings;
        if (vcf.samples.size() == 1) {
            evidence.observations = std::move(vcf.samples.front());
            return evidence;
        }
        // As `dose predict` finds a patient's sample: its sample_id, else (batch) the sheet's
        // sample_id, else its id.
        const std::string wanted = !patient.sample_id.empty()     ? patient.sample_id
                                   : !request.sample_hint.empty() ? request.sample_hint
                                                                  : patient.id;
        std::vector<std::string> names;
        for (auto& sample : vcf.samples) {
            if (sample.sample == wanted) evidence.observations = sample;
            names.push_back(sample.sample);
        }
        if (evidence.observations.positions.empty()) {
            if (names.size() > 5) names.resize(5), names.push_back("...");
            throw InputError(file_message(request.vcf, std::to_string(vcf.samples.size()) + " samples (" +
                                                           join(names, ", ") + "); name one with --sample"));
        }
        return evidence;
    }

    // The dose, with the measured genotypes replacing any typed into the patient file (a typed
    // value fills a position the sample has no call for; the notes say which was used). The
    // genotypes go over typed, by the conversion `dose predict --genotypes` uses on this run's
    // genotypes.json; a message names that file, which holds the same genotypes.
    dosing::DosePrediction dose(dosing::Patient& patient, const pgx::SampleGenotype& genotype) const {
        const dosing::SampleGenotypes measured =
            dosing::dose_genotypes(dosing::reported_genotypes(m.data, m.targets, genotype), "genotypes.json");
        const std::vector<std::string> merge_notes = dosing::merge_genotypes(patient, measured);
        dosing::DosePrediction prediction;
        {
            std::lock_guard<std::mutex> lock(m.model_mutex);
            prediction = m.model->predict(patient);
        }
        prediction.notes.insert(prediction.notes.end(), merge_notes.begin(), merge_notes.end());
        return prediction;
    }

    // Checksums of everything the report rests on: the inputs, the data files and models.
    void add_provenance(ReportBuildInputs& in, const SampleEvidence& evidence) const {
        const bool from_reads = !request.reads.empty();
        in.data_files = m.data_files;
        if (from_reads)
            in.data_files.insert(in.data_files.begin(), {"caller model", file_name_of(evidence.caller_model),
                                                         evidence.caller_sha256, "genodose variant caller (CNN)"});
        if (!request.patient_file.empty())
            in.inputs.push_back({"patient", file_name_of(request.patient_file), sha256_file(request.patient_file), ""});
        else
            in.inputs.push_back(
                {"patient", "(sample sheet row)", sha256_hex(request.patient_text), request.patient_source});
        if (from_reads) {
            in.inputs.push_back({"reads", file_name_of(request.reads), sha256_file(request.reads), ""});
            const std::string fai = request.reference + ".fai";
            in.inputs.push_back({"reference", file_name_of(request.reference),
                                 readable_file(fai) ? sha256_file(fai) : std::string(),
                                 "SHA-256 of the FASTA index (.fai: contig names and lengths)"});
        } else {
            in.inputs.push_back({"variants", file_name_of(request.vcf), sha256_file(request.vcf), ""});
        }
        if (!m.settings.lab_config.empty())
            in.inputs.push_back({"lab configuration", file_name_of(m.settings.lab_config), m.lab_config_sha256, ""});
    }
};

SampleOutcome ReportPipeline::run(const SampleRequest& request) const {
    Impl& m = *impl_;
    const auto start = std::chrono::steady_clock::now();
    check_request(request);
    const Steps steps{m, request};
    const bool from_reads = !request.reads.empty();
    OutputFolder folder(request.output_dir, steps.output_names());
    std::optional<ScratchFolder> scratch;  // from reads: calls.vcf.gz(.tbi) until they are published
    if (from_reads) scratch.emplace(request.output_dir, calls_file_names);

    // 1. The patient.
    dosing::PatientRecord record = steps.patient_record();
    dosing::Patient& patient = record.patient;
    ReportIdentifiers identifiers = report_identifiers(record.report_fields);
    identifiers.patient_id = patient.id;

    // 2. Genotypes at every target.
    SampleEvidence evidence = from_reads ? steps.evidence_from_reads(*scratch) : steps.evidence_from_vcf(patient);
    pgx::SampleObservations& observations = evidence.observations;
    check_sample_identity(request, patient, observations.sample);
    if (m.settings.missing_to_ref)
        for (auto& warning : pgx::assume_reference_for_missing(m.targets, observations))
            evidence.warnings.push_back(std::move(warning));  // a gene with no record at all: say so
    for (const auto& warning : evidence.warnings) GENODOSE_LOG_WARN(warning);
    const pgx::SampleGenotype genotype = pgx::genotype_sample(m.data, m.targets, observations);
    identifiers.sample_id = observations.sample;
    pgx::GenotypeReportInfo info;
    info.input = from_reads ? request.reads : request.vcf;
    info.input_kind = from_reads ? "reads" : "vcf";
    info.build = m.settings.build;
    info.missing_to_ref = m.settings.missing_to_ref;
    info.command_line = m.settings.command_line;
    info.warnings = evidence.warnings;

    // 3. The dose.
    const dosing::DosePrediction prediction = steps.dose(patient, genotype);

    // 4. The document, rendered from its JSON form so that `genodose report` on report.json
    // gives the same bytes.
    ReportBuildInputs in;
    in.data = &m.data;
    in.targets = &m.targets;
    in.genotype = &genotype;
    in.build = m.settings.build;
    in.input_kind = info.input_kind;
    in.missing_to_ref = m.settings.missing_to_ref;
    in.patient = &patient;
    in.prediction = &prediction;
    in.model = &m.model->info();
    in.cohort = m.cohort ? &*m.cohort : nullptr;
    in.identifiers = identifiers;
    in.report_fields = record.report_fields;
    in.coverage = evidence.coverage;
    in.low_depth = m.settings.low_depth;
    steps.add_provenance(in, evidence);
    in.generated_at = m.settings.generated_at.empty() ? utc_timestamp_now() : m.settings.generated_at;
    in.command_line = m.settings.command_line;
    const std::string json = report_to_json(build_report(in));
    ReportDocument document = report_from_json(json, "report.json");

    // 5. Everything in place at once.
    std::vector<std::pair<std::string, std::string>> files;
    files.emplace_back(folder.path("report.json"), json);
    for (ReportFormat format : m.settings.formats)
        if (format != ReportFormat::json)
            files.emplace_back(folder.path(report_file_name(format)), render(format, document));
    files.emplace_back(folder.path("genotypes.json"), pgx::genotype_report_json(m.data, m.targets, {genotype}, info));
    if (from_reads) files.emplace_back(folder.path("depth.tsv"), depth_table(m.targets, observations));
    SampleOutcome outcome;
    outcome.files = folder.publish(files, scratch ? &*scratch : nullptr,
                                   from_reads ? calls_file_names : std::vector<std::string>{});
    outcome.document = std::move(document);
    outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return outcome;
}

std::vector<std::string> rerender_report(const RerenderOptions& options) {
    if (options.output_dir.empty()) throw UsageError("--output-dir is required");
    const std::string text = read_text(options.input, "report JSON");
    const ReportDocument document = report_from_json(text, options.input);
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::string> names;
    for (ReportFormat format : options.formats) {
        names.push_back(report_file_name(format));
        files.emplace_back(options.output_dir + "/" + names.back(), render(format, document));
    }
    ensure_directory(options.output_dir);
    const FolderLock folder_lock(options.output_dir, FolderLock::Wait::no);
    std::error_code ec;
    if (!options.force && fs::equivalent(options.output_dir, fs::absolute(options.input).parent_path(), ec)) {
        std::vector<std::string> would_remove;
        for (const auto& name : report_output_names())
            if (std::find(names.begin(), names.end(), name) == names.end() &&
                fs::is_regular_file(fs::path(options.output_dir) / name, ec) &&
                !fs::equivalent(fs::path(options.output_dir) / name, options.input, ec))
                would_remove.push_back(name);
        if (!would_remove.empty())
            throw UsageError(file_message(options.output_dir, "rendering only " + join(names, ", ") +
                                                                  " in the report's own folder would remove " +
                                                                  join(would_remove, ", ") + " (perhaps signed)"),
                             "give --force to remove them, or another --output-dir");
    }
    // Report files of another report left in the folder would sit beside this one; the input
    // itself (re-rendering into its own folder) is kept.
    remove_stale_outputs(options.output_dir, report_output_names(), names, options.input);
    write_files_atomically(files);
    std::vector<std::string> written;
    for (const auto& f : files) written.push_back(f.first);
    return written;
}

}  // namespace genodose::app
