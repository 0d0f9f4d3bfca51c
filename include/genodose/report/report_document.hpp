// The clinical dosing report as data: everything every output format shows, and nothing else.
//
//   ReportDocument doc = build_report(inputs);                  // report_builder.hpp
//   std::string json = report_to_json(doc);                      // report.json (schema "1")
//   ReportDocument again = report_from_json(json, "report.json"); // what `genodose report` reads
//
// report.json is the single source of report.html, report.pdf and report.fhir.json: the
// renderers take a ReportDocument and nothing else, so a lab can re-issue a report from the JSON
// without re-running the analysis. The schema is documented in docs/report-schema.md. Every
// value that can differ between two runs on the same inputs (the date, the command line) lives
// in `provenance`; the rest is a function of the inputs, models and data files alone.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace genodose::report {

inline constexpr const char* report_schema_version = "1";

// Identifiers are echoed exactly as given (and escaped by each renderer); nothing else from the
// inputs is copied into a report as text.
struct ReportIdentifiers {
    std::string patient_id;  // patient JSON "id"
    std::string sample_id;   // the sample's name in the VCF/BAM (or as given with --sample)
    // Optional, from the patient JSON's "report" object (docs/report-schema.md).
    std::string patient_name;
    std::string date_of_birth;
    std::string ordering_clinician;
    std::string laboratory;
    std::string accession;
};

// The testing laboratory, from the patient JSON's "report" object or the lab configuration
// (--lab-config); "" when not given. Never filled in by genodose.
struct LaboratoryInfo {
    std::string address;
    std::string director;
    std::string clia_number;       // US CLIA certificate number
    std::string cap_number;        // CAP accreditation number
    std::string local_identifier;  // any other accreditation or local laboratory id
};

struct SpecimenInfo {
    std::string type;             // "peripheral blood", "saliva", ...
    std::string collection_date;  // YYYY-MM-DD (checked by the patient reader)
    std::string received_date;
};

// Who signed the report, as given; "" fields are printed as blank lines to sign on paper.
struct SignOff {
    std::string name;
    std::string credentials;
    std::string date;  // YYYY-MM-DD
};

// One clinical input of the dose, as the model received it ("" value when missing).
struct ClinicalInput {
    std::string input;  // "Age", "Sex", "Height", ...
    std::string value;  // "64 years", "female", "170.0 cm", ...
    bool missing = false;
};

// What the report leads with: the CPIC recommendation first, the model's number under it.
struct Headline {
    std::string recommendation;         // "CPIC: dose clinically ...", "CPIC: calculate the dose with ..."
    std::vector<std::string> cautions;  // extrapolation, interval widened for missing inputs, ...
};

// One genotyped position shown in the results table.
struct KeyVariant {
    std::string rsid;            // may be empty
    std::string position;        // "chr10:94981296" (1-based, the input's build)
    std::string change;          // "A>C", "GA>G"
    std::string defines;         // star alleles the alternative allele defines, "*3" ("" if none)
    std::string genotype;        // "A/C" reference first; "" when not usable
    std::string zygosity;        // "homozygous reference", "heterozygous", "homozygous variant", "not called"
    std::optional<int> depth;    // reads (or FORMAT/DP); empty when unknown
    std::optional<int> quality;  // genotype quality (GQ); empty when unknown
    std::string status;          // "called", "missing", "not_called", "assumed_reference", ...
};

struct PositionNotCalled {
    std::string rsid;
    std::string position;
    std::string status;  // as KeyVariant::status
    std::string reason;  // why, in words
};

// Read depth over a gene's window (reads input only).
struct GeneCoverage {
    std::string region;  // "chr10:94933158-94992091"
    double mean_depth = 0;
    double fraction_at_least_20x = 0;  // of the window's bases
    int min_depth = 0;
};

struct GeneResult {
    std::string gene;                      // "CYP2C9"
    std::string status;                    // "called", "no_call", "no_data"
    std::vector<std::string> diplotypes;   // every tied best diplotype; empty for a no-call
    std::string genotype_display;          // what the results table says: "*1/*3", "rs9923231 C/T (-1639 G/A)"
    std::optional<std::string> phenotype;  // "Intermediate Metabolizer"; empty if none or undecided
    // Why the phenotype is not determined or only qualified: "*3 not tested" (key alleles the
    // input did not test, or tested with low quality); empty when it is not (genotype-schema.md).
    std::optional<std::string> phenotype_qualifier;
    std::vector<std::string> key_alleles_not_tested;  // AMP tier-1 alleles the input did not test
    std::optional<double> activity_score;
    int positions_defined = 0;  // positions the allele definitions use
    int positions_called = 0;   // of those, with a usable genotype
    std::vector<KeyVariant> key_variants;
    std::vector<PositionNotCalled> positions_not_called;
    std::vector<std::string> untestable_alleles;
    // Every defined position with its result (the "alleles and positions tested" table), and the
    // alleles whose every defining position was called (tested) or only some (partly tested).
    std::vector<KeyVariant> positions_tested;
    std::vector<std::string> alleles_tested;
    std::vector<std::string> alleles_partly_tested;
    std::vector<std::string> notes;  // from the genotyper (ambiguity, missing positions, ...)
    std::optional<GeneCoverage> coverage;
};

struct DoseDriver {
    std::string feature;  // model feature name, e.g. "vkorc1_1639_a_alleles"
    std::string label;    // for people: "VKORC1 -1639 A alleles (0-2)"
    std::string value;    // the patient's encoded value ("1", "NA")
    double mg_per_week = 0;
};

struct DoseResult {
    double predicted_mg_per_week = 0;
    double interval_low = 0;
    double interval_high = 0;
    double interval_coverage = 0;  // nominal, e.g. 0.8
    // The model's interval was recalibrated on this many local patients (`genodose dose
    // calibrate`); 0: the interval as trained.
    std::size_t interval_recalibrated_on_patients = 0;
    std::optional<double> iwpc_pharmacogenetic_mg_per_week;
    std::optional<double> iwpc_clinical_mg_per_week;
    double baseline_mg_per_week = 0;  // the model's average patient
    std::vector<DoseDriver> drivers;  // largest |mg/week| first
    std::vector<std::string> missing_inputs;
    std::vector<std::string> notes;
    int missing_core_inputs = 0;              // of the 8 inputs of the IWPC equations (interval group)
    std::vector<std::string> extrapolations;  // inputs outside the training cohort's range
};

struct GuidelineStatement {
    std::string code;
    std::string advice;
    std::optional<double> change_low;  // fraction of the calculated dose, e.g. -0.30
    std::optional<double> change_high;
};

// Doses of IWPC patients with the same CYP2C9/VKORC1 genotype group (data/reference/iwpc_cohort).
struct CohortContext {
    bool available = false;
    std::string reason;  // why not, when not available
    std::string group;   // "CYP2C9 *1/*3, VKORC1 -1639 G/A"
    int patients = 0;
    // 5th, 10th, 25th, 50th, 75th, 90th, 95th percentiles of the weekly dose (mg/week).
    std::vector<double> quantiles;
    double bin_width = 0;  // mg/week; the last bin is open-ended
    std::vector<int> histogram;
    std::optional<double> patient_percentile;  // of the predicted dose within the group
    std::string source;                        // attribution and licence
};

struct ProvenanceFile {
    std::string role;  // "dose model", "caller model", "reads", ...
    std::string file;  // file name (no folder)
    std::string sha256;
    std::string detail;  // e.g. a version
};

struct Methods {
    std::string genodose_version;
    std::string reference_build;             // "GRCh38"
    std::string allele_definitions;          // "PharmCAT allele definitions 2025-11-05-00-25"
    std::string platform;                    // sequencing/genotyping platform, as configured ("" if not given)
    std::vector<std::string> description;    // paragraphs
    std::vector<ProvenanceFile> data_files;  // models and reference data
    std::vector<ProvenanceFile> inputs;      // the patient's input files
};

struct QcSummary {
    std::string status;  // "pass" or "review"
    std::vector<std::string> reasons;
};

// The only parts that change between two runs on the same inputs.
struct Provenance {
    std::string generated_at;  // UTC, "2025-11-22T10:15:00Z"
    std::string command_line;
};

struct ReportDocument {
    std::string schema_version = report_schema_version;
    std::string title;
    std::string test_description;
    ReportIdentifiers identifiers;
    std::string input_kind;  // "reads" or "vcf"
    LaboratoryInfo laboratory;
    SpecimenInfo specimen;
    Headline headline;
    std::vector<ClinicalInput> clinical_inputs;
    QcSummary qc;
    std::vector<GeneResult> genes;           // CYP2C9, CYP4F2, VKORC1 (definition order)
    std::vector<KeyVariant> other_variants;  // reported positions outside the alleles (rs12777823)
    std::vector<std::string> limitations;
    DoseResult dose;
    std::string guideline_citation;
    std::vector<GuidelineStatement> guideline;
    CohortContext cohort;
    Methods methods;
    std::string review_statement;
    SignOff sign_off;
    Provenance provenance;

    const GeneResult* gene(const std::string& name) const;
};

// report.json text (pretty-printed, key order fixed, newline-terminated).
std::string report_to_json(const ReportDocument& document);

// Reads report.json. InputError naming `source` and the field for anything missing, of the
// wrong type, or of another schema version.
ReportDocument report_from_json(const std::string& text, const std::string& source);
ReportDocument read_report_json(const std::string& path);

// Fixed-precision number formatting shared by every format ("31.2"), so all show the same text.
std::string format_number(double value, int decimals);
std::string format_dose(double mg_per_week);  // one decimal

// `text` with every bidirectional embedding/override/isolate character (U+202A-U+202E,
// U+2066-U+2069) replaced by U+FFFD, so an identifier cannot display reordered ("Trojan
// Source"), and every control character but tab and line feed (NUL, escape, DEL, ...) too, so
// none reaches HTML (where NUL is invalid) or the PDF's text layout. Applied to every
// identifier when a report is built or read.
std::string neutralize_bidi(const std::string& text);

}  // namespace genodose::report
