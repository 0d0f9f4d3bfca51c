#include "genodose/dosing/dose_commands.hpp"

#include <filesystem>
#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "genodose/dosing/iwpc_equations.hpp"
#include "genodose/core/sha256.hpp"
#include "text_util.hpp"

namespace genodose::dosing {

namespace {

// TSV cells must not contain tabs or newlines (free text comes from guideline advice and
// notes, which are ours, and from patient IDs, which are not).
std::string cell(const std::string& text) {
    std::string out = text;
    for (char& c : out) {
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    return out.empty() ? "NA" : out;
}

std::string number(const std::optional<double>& value) {
    return value ? detail::format_fixed(*value, 2) : "NA";
}

std::string signed_number(double value) {
    std::string text = detail::format_fixed(value, 2);
    return (value >= 0 && text[0] != '-') ? "+" + text : text;
}

std::string joined(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
    return out;
}

}  // namespace

std::vector<PatientRecord> read_patients_with_genotypes(const std::string& input, const std::string& genotypes) {
    auto records = read_patients(input);
    if (genotypes.empty()) return records;
    const auto samples = read_genotype_file(genotypes);
    for (auto& record : records)
        merge_genotypes(record.patient, find_sample(samples, record.patient, genotypes, records.size() == 1));
    return records;
}

std::string dose_tsv(const std::vector<DosePrediction>& predictions, int top_contributions) {
    std::ostringstream out;
    out << "id\tpredicted_dose_mg_per_week\tinterval_low\tinterval_high\tinterval_coverage"
           "\tiwpc_pgx_dose_mg_per_week\tiwpc_clinical_dose_mg_per_week\tcontribution_baseline_mg_per_week"
           "\ttop_contributions_mg_per_week\tcpic_flags\tcpic_advice\tmissing_inputs\tnotes\n";
    for (const auto& p : predictions) {
        std::vector<std::string> contributions;
        for (int i = 0; i < top_contributions && i < static_cast<int>(p.contributions.size()); ++i) {
            const auto& c = p.contributions[i];
            contributions.push_back(c.feature + "=" + c.value + ":" + signed_number(c.mg_per_week));
        }
        std::vector<std::string> codes, advice;
        for (const auto& flag : p.flags) {
            codes.push_back(flag.code);
            advice.push_back(flag.advice);
        }
        out << cell(p.patient_id) << '\t' << detail::format_fixed(p.dose_mg_per_week, 2) << '\t'
            << detail::format_fixed(p.interval_low, 2) << '\t' << detail::format_fixed(p.interval_high, 2) << '\t'
            << detail::format_fixed(p.interval_coverage, 2) << '\t' << number(p.iwpc_pharmacogenetic_mg_per_week)
            << '\t' << number(p.iwpc_clinical_mg_per_week) << '\t' << detail::format_fixed(p.baseline_mg_per_week, 2)
            << '\t' << cell(joined(contributions, ";")) << '\t' << cell(joined(codes, ";")) << '\t'
            << cell(joined(advice, " | ")) << '\t' << cell(joined(p.missing_inputs, ";")) << '\t'
            << cell(joined(p.notes, "; ")) << '\n';
    }
    return out.str();
}

DosePredictSummary predict_doses(const DosePredictOptions& options) {
    if (options.output.empty()) throw UsageError("--output is required");
    if (options.top_contributions < 0) throw UsageError("--top must be 0 or more");
    // Claim the output first: an old file of the same name never survives a failed run.
    OutputTransaction transaction;
    const std::string temporary = transaction.add(options.output);

    DosePredictSummary summary;
    summary.model_path = options.model.empty() ? default_model_path() : options.model;
    const DoseModel model = DoseModel::load(summary.model_path);
    const auto records = read_patients_with_genotypes(options.input, options.genotypes);
    std::vector<Patient> patients;
    for (const auto& record : records) patients.push_back(record.patient);
    const auto predictions = model.predict(patients);
    summary.patients = predictions.size();
    for (const auto& p : predictions) summary.flagged += p.flags.empty() ? 0 : 1;

    write_file_atomically(temporary, dose_tsv(predictions, options.top_contributions));
    transaction.commit();
    return summary;
}

DoseEvaluateSummary evaluate_dose_model(const DoseEvaluateOptions& options) {
    std::optional<OutputTransaction> transaction;
    std::string temporary;
    if (!options.output.empty()) {
        transaction.emplace();
        temporary = transaction->add(options.output);
    }
    DoseEvaluateSummary summary;
    summary.model_path = options.model.empty() ? default_model_path() : options.model;
    const DoseModel model = DoseModel::load(summary.model_path);
    const auto records = read_iwpc_csv(options.iwpc_csv);
    summary.rows_read = records.size();
    std::vector<Patient> patients;
    std::vector<double> actual;
    for (const auto& record : records) {
        if (!record.dose_mg_per_week) continue;
        patients.push_back(record.patient);
        actual.push_back(*record.dose_mg_per_week);
    }
    summary.rows_with_dose = patients.size();
    if (patients.empty())
        throw InputError(file_message(options.iwpc_csv, "no patient has a therapeutic dose ('Therapeutic Dose of Warfarin')"));
    const auto doses = model.predict_doses(patients);
    std::vector<EvaluatedDose> rows;
    for (std::size_t i = 0; i < patients.size(); ++i) {
        EvaluatedDose e;
        e.race = patients[i].race;
        e.actual = actual[i];
        e.model = doses[i];
        e.iwpc_pharmacogenetic = iwpc_pharmacogenetic_dose(patients[i]);
        e.iwpc_clinical = iwpc_clinical_dose(patients[i]);
        e.interval = model.info().conformal.apply(doses[i], patients[i].race);
        rows.push_back(e);
    }
    summary.evaluation = evaluate_doses(rows, model.info().conformal.nominal_coverage);
    summary.table = evaluation_table(summary.evaluation);
    if (transaction) {
        const std::string description =
            "genodose dose evaluate: model " + std::filesystem::path(summary.model_path).filename().string() +
            " (sha256 " + model.info().sha256 + ") on " + std::filesystem::path(options.iwpc_csv).filename().string() +
            " (sha256 " + sha256_file(options.iwpc_csv) + ")";
        write_file_atomically(temporary, evaluation_json(summary.evaluation, description));
        transaction->commit();
    }
    return summary;
}

}  // namespace genodose::dosing
