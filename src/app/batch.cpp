#include "genodose/app/batch.hpp"

#include <unistd.h>

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "genodose/calling/threads.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/folder_lock.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/text.hpp"
#include "genodose/core/text_input.hpp"
#include "genodose/core/version.hpp"
#include "genodose/report/cohort_summary.hpp"

namespace genodose::app {

using namespace genodose::report;

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

const std::set<std::string> file_columns = {"sample_id", "reads", "ref", "vcf", "vcf_sample", "patient", "patient_id"};
// Clinical columns: the patient JSON fields (docs/patient-schema.md) for a patient written inline.
const std::set<std::string> number_columns = {"age_years", "height_cm", "weight_kg", "target_inr"};
const std::set<std::string> boolean_columns = {"smoker", "diabetes", "heart_failure", "valve_replacement"};
const std::set<std::string> list_columns = {"medications", "indications"};
const std::set<std::string> text_columns = {"age_band", "sex", "race"};

bool absent(const std::string& value) { return value.empty() || value == "NA" || value == "."; }

std::string resolve_path(const std::string& path, const fs::path& base) {
    if (path.empty() || fs::path(path).is_absolute()) return path;
    return (base / path).lexically_normal().string();
}

Json inline_value(const std::string& column, const std::string& value) {
    if (number_columns.count(column)) {
        try {
            std::size_t used = 0;
            const double number = std::stod(value, &used);
            if (used == value.size()) return number;
        } catch (const std::exception&) {
        }
        return value;  // the patient reader names the field and the bad value
    }
    if (boolean_columns.count(column)) {
        std::string lower = value;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lower == "true" || lower == "yes" || lower == "1") return true;
        if (lower == "false" || lower == "no" || lower == "0") return false;
        return value;
    }
    if (list_columns.count(column)) {
        Json list = Json::array();
        std::istringstream in(value);
        std::string item;
        while (std::getline(in, item, ';'))
            if (!trim(item).empty()) list.push_back(trim(item));
        return list;
    }
    return value;
}

}  // namespace

bool is_safe_sample_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    const auto ok = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!ok(id[0])) return false;
    return std::all_of(id.begin(), id.end(), [&](char c) { return ok(c) || c == '.' || c == '_' || c == '-'; });
}

std::vector<SampleSheetRow> read_sample_sheet(const std::string& path, const std::string& output_dir) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, "cannot open the sample sheet"));
    const fs::path base = fs::absolute(fs::path(path)).parent_path();
    std::vector<std::string> header;
    std::vector<SampleSheetRow> rows;
    std::set<std::string> seen;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (trim(line).empty() || line[0] == '#') continue;
        const std::string where = path + ": line " + std::to_string(number);
        if (!header.empty() && !is_valid_utf8(line)) {  // this sample fails, the others run
            SampleSheetRow row;
            row.line = number;
            row.sample_id = "sheet-line-" + std::to_string(number);
            row.error = where + ": not valid UTF-8 (save the sheet as UTF-8, e.g. iconv -f latin1 -t utf-8)";
            row.request.output_dir = (fs::path(output_dir) / row.sample_id).string();
            rows.push_back(std::move(row));
            continue;
        }
        require_utf8(line, where);
        auto fields = split(line, '\t');
        for (auto& f : fields) f = trim(f);
        if (header.empty()) {
            header = fields;
            std::set<std::string> names;
            for (const auto& column : header) {
                const bool known = file_columns.count(column) || number_columns.count(column) ||
                                   boolean_columns.count(column) || list_columns.count(column) ||
                                   text_columns.count(column);
                if (!known)
                    throw InputError(where + ": unknown column '" + column +
                                     "' (see docs/report-schema.md, \"Sample sheet\")");
                if (!names.insert(column).second) throw InputError(where + ": column '" + column + "' appears twice");
            }
            if (!names.count("sample_id")) throw InputError(where + ": the header needs a 'sample_id' column");
            if (!names.count("reads") && !names.count("vcf"))
                throw InputError(where + ": the header needs a 'reads' or 'vcf' column");
            continue;
        }
        if (fields.size() != header.size())
            throw InputError(where + ": " + std::to_string(fields.size()) + " fields, the header has " +
                             std::to_string(header.size()) + " (fields are tab-separated)");
        std::map<std::string, std::string> cell;
        for (std::size_t i = 0; i < header.size(); ++i)
            if (!absent(fields[i])) cell[header[i]] = fields[i];

        SampleSheetRow row;
        row.line = number;
        row.sample_id = cell["sample_id"];
        if (!is_safe_sample_id(row.sample_id))
            throw InputError(
                where + ": sample_id '" + row.sample_id +
                "' cannot name an output folder (use letters, digits, '.', '_', '-'; start with a letter or "
                "digit; at most 64 characters)");
        if (!seen.insert(row.sample_id).second)
            throw InputError(where + ": sample_id '" + row.sample_id + "' is repeated");
        const bool has_reads = cell.count("reads"), has_vcf = cell.count("vcf");
        if (has_reads == has_vcf) throw InputError(where + ": give exactly one of 'reads' or 'vcf'");
        if (has_reads && !cell.count("ref")) throw InputError(where + ": 'reads' needs 'ref' (the reference FASTA)");

        SampleRequest& request = row.request;
        request.reads = resolve_path(cell["reads"], base);
        request.reference = resolve_path(cell["ref"], base);
        request.vcf = resolve_path(cell["vcf"], base);
        request.sample = cell.count("vcf_sample") ? cell["vcf_sample"] : (has_reads ? row.sample_id : std::string());
        request.output_dir = (fs::path(output_dir) / row.sample_id).string();
        request.patient_id = cell["patient_id"];
        std::vector<std::string> clinical;
        for (const auto& [column, value] : cell)
            if (!file_columns.count(column)) clinical.push_back(column);
        if (cell.count("patient") && !clinical.empty())
            throw InputError(where +
                             ": give a 'patient' file or clinical columns, not both (this row has 'patient' and " +
                             join(clinical, ", ") + ")");
        if (cell.count("patient")) {
            request.patient_file = resolve_path(cell["patient"], base);
            request.patient_source = request.patient_file;
        } else {
            // A patient written in the sheet's clinical columns becomes a patient JSON object, so
            // the one patient reader checks it (errors name the sheet line and the field).
            Json patient;
            patient["schema_version"] = "1";
            patient["id"] = request.patient_id.empty() ? row.sample_id : request.patient_id;
            // The sheet's sample_id names the folder, not necessarily the VCF's sample: it only
            // picks a sample from a multi-sample VCF, it is not a sample_id to check.
            request.sample_hint = row.sample_id;
            bool any = false;
            for (const auto& [column, value] : cell) {
                if (file_columns.count(column)) continue;
                patient[column] = inline_value(column, value);
                any = true;
            }
            if (!any)
                throw InputError(where +
                                 ": no patient: give a 'patient' file or clinical columns (age_years, weight_kg, ...)");
            request.patient_text = patient.dump();
            request.patient_source = where;
            request.patient_id.clear();
        }
        rows.push_back(std::move(row));
    }
    if (header.empty()) throw InputError(file_message(path, "empty sample sheet (no header line)"));
    if (rows.empty()) throw InputError(file_message(path, "no samples below the header"));
    return rows;
}

BatchSummary run_batch(const BatchOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    if (options.output_dir.empty()) throw UsageError("--output-dir is required");
    const auto rows = read_sample_sheet(options.sample_sheet, options.output_dir);
    PipelineSettings settings = options.settings;
    if (settings.generated_at.empty()) settings.generated_at = utc_timestamp_now();
    const ReportPipeline pipeline(settings);
    ensure_directory(options.output_dir);
    const FolderLock folder_lock(options.output_dir, FolderLock::Wait::no);  // one batch per output folder
    // The cohort summaries of an earlier batch list reports this one is about to replace or
    // remove: they go first, so an interrupted batch never leaves them describing other files.
    for (const char* name : {"cohort.tsv", "cohort.html"}) {
        const std::string path = options.output_dir + "/" + name;
        if (::unlink(path.c_str()) != 0 && errno != ENOENT)
            throw OutputError(file_message(
                path, std::string("cannot remove this file of an earlier batch: ") + std::strerror(errno)));
    }

    const int threads = std::max(1, options.threads);
    const int parallel = std::min<int>(threads, static_cast<int>(rows.size()));
    const int per_sample = std::max(1, threads / parallel);
    std::vector<BatchSampleResult> results(rows.size());
    tbb::task_arena arena(arena_threads(parallel));
    arena.execute([&] {
        tbb::parallel_for(std::size_t(0), rows.size(), [&](std::size_t i) {
            BatchSampleResult& result = results[i];
            result.sample_id = rows[i].sample_id;
            SampleRequest request = rows[i].request;
            request.threads = per_sample;
            try {
                if (!rows[i].error.empty()) throw InputError(rows[i].error);
                if (!request.patient_file.empty()) {
                    std::ifstream in(request.patient_file, std::ios::binary);
                    if (!in) throw InputError(file_message(request.patient_file, "cannot open the patient file"));
                    std::ostringstream text;
                    text << in.rdbuf();
                    request.patient_text = text.str();
                }
                SampleOutcome outcome = pipeline.run(request);
                result.document = std::move(outcome.document);
                for (const auto& file : outcome.files) result.files.push_back(fs::path(file).filename().string());
                result.ok = true;
                GENODOSE_LOG_INFO("batch: sample " << i + 1 << " of " << rows.size() << " (sheet line " << rows[i].line
                                                   << ") reported in " << static_cast<int>(outcome.seconds + 0.5)
                                                   << " s");
            } catch (const Error& e) {
                result.error = e.what();
            } catch (const std::bad_alloc&) {
                result.error = "out of memory";
            } catch (const std::exception& e) {
                result.error = std::string("internal error: ") + e.what();
            }
            if (!result.ok) {
                // The error can name a patient (e.g. an IWPC subject id): it goes to cohort.tsv, and
                // to the log only at debug level.
                GENODOSE_LOG_WARN("batch: sample " << i + 1 << " of " << rows.size() << " (sheet line " << rows[i].line
                                                   << ") failed; the error is in cohort.tsv");
                GENODOSE_LOG_DEBUG("batch: " << result.sample_id << ": " << result.error);
                // A report of an earlier run would look like this sample's result: remove the
                // files genodose names (never others), then the folder if that leaves it empty.
                try {
                    remove_stale_outputs(request.output_dir, sample_output_names(), {});
                } catch (const Error& e) {
                    GENODOSE_LOG_WARN("batch: sample " << i + 1 << " of " << rows.size()
                                                       << ": could not remove an earlier run's report from its folder");
                    GENODOSE_LOG_DEBUG("batch: " << e.what());
                }
                std::error_code ec;
                fs::remove(request.output_dir, ec);  // only if empty
            }
        });
    });

    BatchSummary summary;
    summary.samples = results.size();
    for (const auto& r : results) (r.ok ? summary.succeeded : summary.failed)++;
    summary.cohort_tsv = options.output_dir + "/cohort.tsv";
    summary.cohort_html = options.output_dir + "/cohort.html";
    write_files_atomically({{summary.cohort_tsv, cohort_tsv(results)},
                            {summary.cohort_html, cohort_html(results, settings.generated_at, genodose::version)}});
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace genodose::app
