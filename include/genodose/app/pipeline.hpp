// `genodose run` and `genodose batch`: reads or VCF + patient → genotypes → dose → report.
//
//   PipelineSettings settings;             // data folder, models, formats, build
//   ReportPipeline pipeline(settings);     // loads definitions, models, cohort table once
//   SampleRequest request;                 // one sample: patient, reads or VCF, output folder
//   SampleOutcome outcome = pipeline.run(request);   // everything written atomically, or nothing
//
// run() computes every result in memory first and writes the output folder's files in one
// OutputTransaction at the end (report.json/html/pdf/fhir.json, genotypes.json, and from reads
// calls.vcf.gz(.tbi) and depth.tsv), all owner-only (0600): a failure leaves no partial report.
// Before anything else it removes the files of that list which an earlier run left in the
// folder: the ones this run writes are replaced, the others (e.g. report.pdf when this run has
// --formats html) would otherwise sit beside the new report although they belong to another
// run, maybe of another patient. Other files in the folder are never touched.
// A patient whose "sample_id" names another sample than the VCF's (or the reads') is refused:
// that is a sample swap, not a report.
// run() may be called from several threads at once (batch mode).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "genodose/pgx/definitions.hpp"
#include "genodose/report/renderers.hpp"
#include "genodose/report/report_document.hpp"

namespace genodose::app {

using report::ReportDocument;
using report::ReportFormat;

struct PipelineSettings {
    std::string data_directory;  // empty: default_data_directory()
    std::string dose_model;      // empty: dosing::default_model_path()
    std::string caller_model;    // for reads; empty: default_caller_model_path() when first needed
    pgx::GenomeBuild build = pgx::GenomeBuild::grch38;
    bool missing_to_ref = false;
    std::vector<ReportFormat> formats = {ReportFormat::html, ReportFormat::pdf,
                                         ReportFormat::fhir};  // + report.json always
    int low_depth = 20;
    // Laboratory configuration (--lab-config): a JSON object of report fields that describe the
    // lab (dosing::lab_config_field_names()); empty: none. docs/report-schema.md.
    std::string lab_config;
    std::string command_line;
    std::string generated_at;  // empty: now (UTC); fixed in tests for byte-identical outputs
};

struct SampleRequest {
    // The patient: JSON (docs/patient-schema.md) or IWPC-format CSV text, and a name for messages.
    std::string patient_text;
    std::string patient_source;  // "P.json" or "sheet.tsv: line 3"
    std::string patient_file;    // the file, for its checksum; empty when the text is inline
    std::string patient_id;      // pick this patient from a file with several; empty: the only one
    std::string reads;           // BAM/CRAM ...
    std::string reference;       // ... with its indexed FASTA
    std::string vcf;             // or a VCF/BCF
    std::string sample;          // sample name in the VCF (or name for the reads); empty: the only one
    // In a multi-sample VCF, the sample to take when neither `sample` nor the patient's
    // "sample_id" names one (batch: the sheet's sample_id for a patient in clinical columns).
    // Unlike a patient's sample_id it is not checked against a single-sample VCF.
    std::string sample_hint;
    std::string output_dir;
    int threads = 1;
};

struct SampleOutcome {
    ReportDocument document;
    std::vector<std::string> files;  // written, final paths
    double seconds = 0;
};

class ReportPipeline {
public:
    explicit ReportPipeline(const PipelineSettings& settings);
    ~ReportPipeline();
    ReportPipeline(const ReportPipeline&) = delete;
    ReportPipeline& operator=(const ReportPipeline&) = delete;

    SampleOutcome run(const SampleRequest& request) const;

private:
    struct Impl;
    struct Steps;  // the steps of run(), over Impl and one request
    std::unique_ptr<Impl> impl_;
};

// `genodose report`: re-renders the formats from a report.json into `output_dir`.
struct RerenderOptions {
    std::string input;  // report.json
    std::string output_dir;
    std::vector<ReportFormat> formats = {ReportFormat::html, ReportFormat::pdf, ReportFormat::fhir};
    // Rendering into the input's own folder removes that report's files in formats not asked
    // for (a signed PDF, say): UsageError unless force.
    bool force = false;
};
std::vector<std::string> rerender_report(const RerenderOptions& options);

// Writes `files` (final path → content) in one transaction, each 0600.
void write_files_atomically(const std::vector<std::pair<std::string, std::string>>& files);

// Every file name run() can write into a sample's output folder.
const std::vector<std::string>& sample_output_names();
// The file names `genodose report` can write (report.json, .html, .pdf, .fhir.json).
std::vector<std::string> report_output_names();

// Removes the regular files `dir`/<name> for each name in `managed` that is not in `produced`
// (left by an earlier run), except the file `keep` (e.g. the input of `genodose report`); logs
// the names at info level and returns them. A folder that does not exist has nothing to remove.
// OutputError if a file cannot be removed.
std::vector<std::string> remove_stale_outputs(const std::string& dir, const std::vector<std::string>& managed,
                                              const std::vector<std::string>& produced, const std::string& keep = "");

}  // namespace genodose::app
