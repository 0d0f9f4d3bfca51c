// The outputs of `genodose evaluate`: hap.py-compatible summary CSV, a JSON with the same figures
// plus genotype strata, an aligned table for the terminal, and optionally a per-allele TSV.
//
//   EvaluationReportInfo info{options, "genodose evaluate ..."};
//   write_evaluation_outputs(result, info, "out/HG001");  // out/HG001.summary.csv, .metrics.json
//   std::cout << summary_table(result);
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "genodose/core/output_file.hpp"
#include "genodose/evaluation/evaluate.hpp"

namespace genodose::evaluation {

struct EvaluationReportInfo {
    EvaluationOptions options;
    std::string command_line;
};

// Rows INDEL/SNP × ALL/PASS with hap.py's summary.csv columns: Type, Filter, TRUTH.TOTAL,
// TRUTH.TP, TRUTH.FN, QUERY.TOTAL, QUERY.FP, QUERY.UNK, FP.gt, METRIC.Recall,
// METRIC.Precision, METRIC.Frac_NA, METRIC.F1_Score (an undefined metric is an empty field).
std::string summary_csv(const EvaluationResult& result);

// The same rows aligned for a terminal, followed by SNP+INDEL totals.
std::string summary_table(const EvaluationResult& result);

// The summary rows, the SNP+INDEL rows, het/homalt/hetalt strata, input statistics and provenance.
std::string metrics_json(const EvaluationResult& result, const EvaluationReportInfo& info);

// One row per counted allele (needs EvaluationOptions::keep_decisions).
std::string decisions_tsv(const EvaluationResult& result);

// PREFIX.summary.csv, PREFIX.metrics.json (and PREFIX.decisions.tsv) as one transaction. Made
// before the work starts, so a missing output folder fails fast and stale outputs of an earlier
// run are removed at once (never left looking current if this run fails); all files appear on
// write(), or none (OutputError).
class EvaluationOutputs {
public:
    EvaluationOutputs(const std::string& prefix, bool with_decisions);
    void write(const EvaluationResult& result, const EvaluationReportInfo& info);

private:
    OutputTransaction transaction_;
    std::string prefix_;
    std::vector<std::pair<std::string, std::string>> files_;  // (final path, temporary path)
};

// Convenience: EvaluationOutputs(prefix, info.options.keep_decisions).write(result, info).
void write_evaluation_outputs(const EvaluationResult& result, const EvaluationReportInfo& info,
                              const std::string& prefix);

}  // namespace genodose::evaluation
