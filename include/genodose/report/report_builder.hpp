// Assembles a ReportDocument from the results of the pipeline's stages: the sample's
// genotypes (pgx), the patient and the dose prediction (dosing), the cohort table, coverage
// and file checksums. Pure: no file is read here (the caller hashes files), so the same inputs
// always give the same document.
//
//   ReportBuildInputs in{...};
//   ReportDocument document = build_report(in);
#pragma once

#include <map>
#include <string>
#include <vector>

#include "genodose/dosing/dose_model.hpp"
#include "genodose/dosing/patient.hpp"
#include "genodose/pgx/genotyper.hpp"
#include "genodose/report/cohort_table.hpp"
#include "genodose/report/report_document.hpp"

namespace genodose::report {

// Reads input: more copies of reads (same name and flags as a read already seen; skipped) than
// this fraction of the reads kept is a QC review reason.
inline constexpr double max_repeated_read_fraction = 0.01;

struct ReportBuildInputs {
    const pgx::PgxDataset* data = nullptr;
    const std::vector<pgx::GenotypingTarget>* targets = nullptr;
    const pgx::SampleGenotype* genotype = nullptr;
    pgx::GenomeBuild build = pgx::GenomeBuild::grch38;
    std::string input_kind;  // "reads" or "vcf"
    bool missing_to_ref = false;
    const dosing::Patient* patient = nullptr;
    const dosing::DosePrediction* prediction = nullptr;
    const dosing::DoseModelInfo* model = nullptr;
    const CohortTable* cohort = nullptr;  // may be null: no cohort context
    ReportIdentifiers identifiers;
    // The patient's "report" fields merged with the lab configuration (laboratory, specimen,
    // platform, sign-off keys of dosing::report_field_names()); printed as given, never invented.
    std::map<std::string, std::string> report_fields;
    std::map<std::string, GeneCoverage> coverage;  // by gene; reads input only
    std::vector<ProvenanceFile> data_files;        // models and reference data, hashed by the caller
    std::vector<ProvenanceFile> inputs;            // the patient's files, hashed by the caller
    int low_depth = 20;                            // depth below which a key position is flagged
    int top_drivers = 8;
    std::string generated_at;
    std::string command_line;
};

ReportDocument build_report(const ReportBuildInputs& inputs);

// Display names for SNPs whose gene-strand name clinicians use ("rs9923231" → "-1639").
std::string gene_strand_label(const std::string& rsid);

}  // namespace genodose::report
