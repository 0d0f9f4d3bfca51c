// `genodose batch`: many samples from a sample sheet, one report folder each, plus a cohort
// table (cohort.tsv) and summary page (cohort.html).
//
//   BatchOptions options;  options.sample_sheet = "sheet.tsv";  options.output_dir = "out";
//   BatchSummary summary = run_batch(options);   // summary.failed > 0: some samples failed
//
// The sheet (TSV with a header; docs/report-schema.md, "Sample sheet") is checked as a whole
// before anything runs: a malformed sheet, an unsafe or repeated sample_id, a row with both a
// patient file and clinical columns is an InputError naming the line, and nothing is written. Then each sample runs on its own: a sample that
// fails (bad file, bad patient) is recorded with its error in cohort.tsv and cohort.html and the
// others go on. Sample ids name the output folders, so they must be plain names
// ([A-Za-z0-9][A-Za-z0-9._-]*, at most 64 characters): never a path.
#pragma once

#include <string>
#include <vector>

#include "genodose/app/pipeline.hpp"
#include "genodose/report/cohort_summary.hpp"

namespace genodose::app {

using report::BatchSampleResult;

struct BatchOptions {
    std::string sample_sheet;
    std::string output_dir;
    int threads = 1;
    PipelineSettings settings;
};

struct SampleSheetRow {
    int line = 0;
    std::string sample_id;
    SampleRequest request;  // output_dir set to <output_dir>/<sample_id>
    std::string error;      // a row that cannot be read (not UTF-8): this sample fails, the batch runs
};

struct BatchSummary {
    std::size_t samples = 0;
    std::size_t succeeded = 0;
    std::size_t failed = 0;
    std::string cohort_tsv;
    std::string cohort_html;
    double seconds = 0;
};

// Parses and checks the sheet (relative paths are taken from the sheet's folder).
std::vector<SampleSheetRow> read_sample_sheet(const std::string& path, const std::string& output_dir);

// True for a sample id that can name a folder: [A-Za-z0-9][A-Za-z0-9._-]{0,63}.
bool is_safe_sample_id(const std::string& id);

BatchSummary run_batch(const BatchOptions& options);

}  // namespace genodose::app
