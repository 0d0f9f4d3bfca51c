#include "genodose/dosing/dose_commands.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/sha256.hpp"
#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "iwpc_equations.hpp"
#include "text_util.hpp"

namespace genodose::dosing {

namespace {

// TSV cells must not contain tabs or newlines (free text comes from guideline advice and
// notes, which are ours, and from patient IDs, which are not).
// A text cell: tabs and line breaks become spaces, and a cell a spreadsheet would run as a
// formula (leading =, +, - or @: the OWASP CSV-injection rule) gets a leading apostrophe.
std::string cell(const std::string& text) {
    std::string out = text;
    for (char& c : out) {
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    if (!out.empty() && (out[0] == '=' || out[0] == '+' || out[0] == '-' || out[0] == '@')) out.insert(0, 1, '\'');
    return out.empty() ? "NA" : out;
}

std::string number(const std::optional<double>& value) { return value ? detail::format_fixed(*value, 2) : "NA"; }

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

namespace {

// The patients with the genotype file merged in, and per patient the merge notes (where the
// file and the typed genotypes disagreed; genotypes.hpp).
std::vector<PatientRecord> read_and_merge(const std::string& input, const std::string& genotypes,
                                          std::vector<std::vector<std::string>>& merge_notes) {
    auto records = read_patients(input);
    merge_notes.assign(records.size(), {});
    if (genotypes.empty()) return records;
    const auto samples = read_genotype_file(genotypes);
    for (std::size_t i = 0; i < records.size(); ++i)
        merge_notes[i] = merge_genotypes(records[i].patient,
                                         find_sample(samples, records[i].patient, genotypes, records.size() == 1));
    return records;
}

// JSON of `dose evaluate` with the in-sample check right after the description.
std::string with_in_sample_fields(const std::string& json_text, bool in_sample, const std::string& warning) {
    const auto parsed = nlohmann::ordered_json::parse(json_text);
    nlohmann::ordered_json out;
    for (const auto& [key, value] : parsed.items()) {
        out[key] = value;
        if (key == "description") {
            out["in_sample"] = in_sample;
            out["in_sample_warning"] = in_sample ? nlohmann::ordered_json(warning) : nlohmann::ordered_json(nullptr);
        }
    }
    return out.dump(2) + "\n";
}

}  // namespace

std::vector<PatientRecord> read_patients_with_genotypes(const std::string& input, const std::string& genotypes) {
    std::vector<std::vector<std::string>> notes;
    return read_and_merge(input, genotypes, notes);
}

std::string dose_tsv(const std::vector<DosePrediction>& predictions, int top_contributions) {
    std::ostringstream out;
    out << "id\tpredicted_dose_mg_per_week\tinterval_low\tinterval_high\tinterval_coverage"
           "\tiwpc_pgx_dose_mg_per_week\tiwpc_clinical_dose_mg_per_week\tcontribution_baseline_mg_per_week"
           "\ttop_contributions_mg_per_week\tcpic_flags\tcpic_advice\tmissing_inputs\tnotes"
           "\tmissing_core_inputs\textrapolated\n";
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
            << cell(joined(p.notes, "; ")) << '\t' << p.missing_core_count << '\t'
            << cell(joined(p.extrapolations, "; ")) << '\n';
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
    std::vector<std::vector<std::string>> merge_notes;
    const auto records = read_and_merge(options.input, options.genotypes, merge_notes);
    std::vector<Patient> patients;
    for (const auto& record : records) patients.push_back(record.patient);
    auto predictions = model.predict(patients);
    for (std::size_t i = 0; i < predictions.size(); ++i)
        predictions[i].notes.insert(predictions[i].notes.end(), merge_notes[i].begin(), merge_notes[i].end());
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
    auto [patients, actual] = patients_with_dose(records);
    summary.rows_with_dose = patients.size();
    if (patients.empty())
        throw InputError(
            file_message(options.iwpc_csv, "no patient has a therapeutic dose ('Therapeutic Dose of Warfarin')"));
    const auto doses = model.predict_doses(patients);
    std::vector<EvaluatedDose> rows;
    for (std::size_t i = 0; i < patients.size(); ++i) {
        EvaluatedDose e;
        e.race = patients[i].race;
        e.actual = actual[i];
        e.model = doses[i];
        e.iwpc_pharmacogenetic = iwpc_pharmacogenetic_dose(patients[i]);
        e.iwpc_clinical = iwpc_clinical_dose(patients[i]);
        e.interval = model.info().conformal.apply(doses[i], patients[i].race, missing_core_inputs(patients[i]).size());
        rows.push_back(e);
    }
    summary.evaluation = evaluate_doses(rows, model.info().conformal.nominal_coverage);
    summary.table = evaluation_table(summary.evaluation);
    // The model records the SHA-256 of its training file: the same file again gives in-sample
    // (optimistic) figures, which must not be read as an evaluation.
    const std::string data_sha256 = sha256_file(options.iwpc_csv);
    const bool in_sample =
        !model.info().training_data_sha256.empty() && data_sha256 == model.info().training_data_sha256;
    const std::string in_sample_warning =
        "this file is the model's training data (its SHA-256 equals the model's training.data_sha256): the figures are "
        "in-sample, not an evaluation; the nested cross-validation stored in the model file (cross_validation) is "
        "its held-out estimate";
    if (in_sample) {
        GENODOSE_LOG_WARN(options.iwpc_csv << ": " << in_sample_warning);
        summary.table =
            "WARNING: in-sample figures: " + std::filesystem::path(options.iwpc_csv).filename().string() +
            " is the data the model was trained on (same SHA-256), so these numbers are not an evaluation.\n\n" +
            summary.table;
    }
    if (transaction) {
        const std::string description =
            "genodose dose evaluate: model " + std::filesystem::path(summary.model_path).filename().string() +
            " (sha256 " + model.info().sha256 + ") on " + std::filesystem::path(options.iwpc_csv).filename().string() +
            " (sha256 " + data_sha256 + ")";
        write_file_atomically(temporary, with_in_sample_fields(evaluation_json(summary.evaluation, description),
                                                               in_sample, in_sample_warning));
        transaction->commit();
    }
    return summary;
}

}  // namespace genodose::dosing
