// The `genodose dose predict` and `genodose dose evaluate` stages (training is in
// training.hpp). The CLI fills the options and calls these; they read, compute, and write
// their outputs atomically (nothing is written if any input row is bad).
//
//   DosePredictOptions o;  o.input = "patients.csv";  o.output = "doses.tsv";
//   predict_doses(o);
#pragma once

#include <string>
#include <vector>

#include "genodose/dosing/dose_model.hpp"
#include "genodose/dosing/evaluation.hpp"
#include "genodose/dosing/patient.hpp"

namespace genodose::dosing {

struct DosePredictOptions {
    std::string model;      // empty: default_model_path()
    std::string input;      // IWPC-format CSV or patient JSON
    std::string genotypes;  // optional `genodose genotype` JSON
    std::string output;     // TSV (docs/dose-output.md)
    int top_contributions = 5;
};

struct DosePredictSummary {
    std::string model_path;
    std::size_t patients = 0;
    std::size_t flagged = 0;  // patients with at least one CPIC statement
};

// Reads the patients (and genotypes), predicts, writes the TSV.
DosePredictSummary predict_doses(const DosePredictOptions& options);

// Patients of `input` with the genotype file merged in (empty `genotypes`: as read).
std::vector<PatientRecord> read_patients_with_genotypes(const std::string& input, const std::string& genotypes);

// The TSV of docs/dose-output.md: a header line and one line per prediction.
std::string dose_tsv(const std::vector<DosePrediction>& predictions, int top_contributions);

struct DoseEvaluateOptions {
    std::string model;  // empty: default_model_path()
    std::string iwpc_csv;
    std::string output;  // optional metrics JSON
};

struct DoseEvaluateSummary {
    std::string model_path;
    std::size_t rows_read = 0;
    std::size_t rows_with_dose = 0;
    DoseEvaluation evaluation;
    std::string table;  // markdown, for the terminal
};

DoseEvaluateSummary evaluate_dose_model(const DoseEvaluateOptions& options);

}  // namespace genodose::dosing
