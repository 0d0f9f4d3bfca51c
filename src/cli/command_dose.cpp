// `genodose dose train|predict|evaluate`: the warfarin dose model. Fills the
// options structs of dosing/ and prints a short summary; all work is in the library.
#include <cmath>
#include <iostream>

#include "commands.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/dosing/dose_commands.hpp"
#include "genodose/dosing/federated.hpp"
#include "genodose/dosing/local_calibration.hpp"
#include "genodose/dosing/training.hpp"

namespace genodose::cli {

namespace {

void add_train(CLI::App& dose, CommandRegistry& registry, const GlobalOptions& global) {
    static dosing::DoseTrainingOptions options;
    static bool no_assessment = false;
    CLI::App* train = dose.add_subcommand(
        "train", "Train the dose model on IWPC-format data: grid search by K-fold CV, split-conformal interval, "
                 "nested-CV assessment beside the IWPC equations");
    static dosing::FederatedTrainingOptions federated;
    static bool is_federated = false;
    train->add_option("--iwpc", options.iwpc_csv, "IWPC/PharmGKB-format CSV with therapeutic doses");
    train->add_flag("--federated", is_federated,
                    "Train across sites: this worker reads only --site-data and exchanges sums through the tracker "
                    "(models/warfarin_dose.md, \"Training across sites\"); --grid must have one point");
    train->add_option("--site-data", federated.site_data, "This site's patients (IWPC-format CSV; with --federated)");
    train->add_option("--tracker", federated.tracker,
                      "HOST:PORT of the tracker (scripts/federated-tracker.py); without it --federated trains in one "
                      "process (the pooled reference)");
    train->add_option("--workers", federated.workers, "Number of sites (with --federated)")->check(CLI::Range(1, 1000));
    train->add_option("--rank", federated.rank, "This site's task id, 0 .. workers-1 (with --federated)");
    train->add_option("--timeout", federated.timeout_seconds, "Seconds the collective waits for a silent site")
        ->check(CLI::Range(5, 3600))
        ->capture_default_str();
    train
        ->add_option("--cyp2c9-phenotypes", options.cyp2c9_phenotypes,
                     "CPIC/PharmCAT CYP2C9 phenotype table (JSON with \"activityValues\"), for activity scores")
        ->required();
    train->add_option("-o,--output", options.output, "Model file to write (JSON)")->required();
    train->add_option("--folds", options.folds, "Cross-validation folds (outer and inner)")
        ->check(CLI::Range(3, 20))
        ->capture_default_str();
    train->add_option("--seed", options.seed, "Seed for folds and XGBoost")->capture_default_str();
    train
        ->add_option("--grid", options.grid_name,
                     "Search grid: full, quick (one small grid point, for tests), or a JSON grid file")
        ->capture_default_str();
    train->add_option("--cv-predictions", options.cv_predictions,
                      "Also write the nested cross-validation predictions of every patient, with the IWPC "
                      "equation doses (published, and refitted on the same outer training sets) (TSV)");
    train->add_option("--interval-coverage", options.interval_coverage, "Nominal coverage of the dose interval")
        ->check(CLI::Range(0.5, 0.99))
        ->capture_default_str();
    train->add_flag("--no-assessment", no_assessment, "Skip the nested cross-validation (faster; no CV metrics)");
    registry.on(train, [&global] {
        if (is_federated) {
            if (!options.iwpc_csv.empty()) throw UsageError("--federated reads --site-data, not --iwpc");
            if (federated.site_data.empty()) throw UsageError("--federated needs --site-data");
            require_readable(federated.site_data, "site data");
            require_readable(options.cyp2c9_phenotypes, "CYP2C9 phenotype table");
            federated.cyp2c9_phenotypes = options.cyp2c9_phenotypes;
            federated.output = options.output;
            federated.seed = options.seed;
            federated.interval_coverage = options.interval_coverage;
            federated.grid_name = options.grid_name;
            federated.grid = dosing::DoseSearchGrid::named(options.grid_name);
            const auto summary = dosing::train_federated_dose_model(federated);
            GENODOSE_LOG_INFO("dose train --federated: site "
                              << federated.rank << " of " << summary.sites << ": " << summary.rows_trained
                              << " patients trained on, " << summary.rows_calibration << " for calibration; "
                              << summary.rounds << " rounds in " << summary.boosting_seconds << " s; wrote "
                              << options.output);
            return;
        }
        if (options.iwpc_csv.empty()) throw UsageError("dose train needs --iwpc (or --federated --site-data)");
        if (!federated.site_data.empty() || !federated.tracker.empty())
            throw UsageError("--site-data and --tracker need --federated");
        require_readable(options.iwpc_csv, "IWPC data");
        require_readable(options.cyp2c9_phenotypes, "CYP2C9 phenotype table");
        options.threads = global.threads;
        options.nested_assessment = !no_assessment;
        options.grid = dosing::DoseSearchGrid::named(options.grid_name);
        const auto summary = dosing::train_dose_model(options);
        if (!summary.cv_table.empty() && !global.quiet)
            std::cout << "Nested cross-validation (" << options.folds << " folds, seed " << options.seed << "):\n\n"
                      << summary.cv_table << "\n";
        GENODOSE_LOG_INFO("dose train: wrote " << summary.output << " (sha256 " << summary.model_sha256 << "; "
                                               << summary.rows_used << " patients; " << summary.selected << "; "
                                               << static_cast<int>(summary.seconds) << " s)");
    });
}

void add_predict(CLI::App& dose, CommandRegistry& registry) {
    static dosing::DosePredictOptions options;
    CLI::App* predict = dose.add_subcommand(
        "predict", "Predict weekly warfarin doses with intervals, IWPC-equation doses, contributions and CPIC flags");
    predict->add_option("--model", options.model,
                        "Dose model (default: the shipped models/warfarin_dose.json; see GENODOSE_DATA_DIR)");
    predict->add_option("-i,--input", options.input, "Patients: IWPC-format CSV or patient JSON")->required();
    predict->add_option("--genotypes", options.genotypes, "Genotypes from `genodose genotype` (JSON)");
    predict->add_option("-o,--output", options.output, "Output TSV")->required();
    predict->add_option("--top", options.top_contributions, "Feature contributions listed per patient")
        ->check(CLI::Range(0, 100))
        ->capture_default_str();
    registry.on(predict, [] {
        require_readable(options.input, "patient file");
        if (!options.genotypes.empty()) require_readable(options.genotypes, "genotype file");
        if (!options.model.empty()) require_readable(options.model, "dose model");
        const auto summary = dosing::predict_doses(options);
        GENODOSE_LOG_INFO("dose predict: " << summary.patients << " patient(s) -> " << options.output << " ("
                                           << summary.flagged << " with CPIC statements; model " << summary.model_path
                                           << ")");
    });
}

void add_evaluate(CLI::App& dose, CommandRegistry& registry, const GlobalOptions& global) {
    static dosing::DoseEvaluateOptions options;
    CLI::App* evaluate = dose.add_subcommand(
        "evaluate", "Evaluate a dose model on IWPC-format data beside the IWPC equations (MAE, R², % within 20%)");
    evaluate->add_option("--model", options.model, "Dose model (default: the shipped models/warfarin_dose.json)");
    evaluate->add_option("--iwpc", options.iwpc_csv, "IWPC/PharmGKB-format CSV with therapeutic doses")->required();
    evaluate->add_option("-o,--output", options.output, "Metrics JSON to write");
    registry.on(evaluate, [&global] {
        require_readable(options.iwpc_csv, "IWPC data");
        if (!options.model.empty()) require_readable(options.model, "dose model");
        const auto summary = dosing::evaluate_dose_model(options);
        if (!global.quiet) std::cout << summary.table;
        GENODOSE_LOG_INFO("dose evaluate: " << summary.rows_with_dose << " of " << summary.rows_read
                                            << " patients have a dose; model " << summary.model_path
                                            << (options.output.empty() ? "" : "; metrics in " + options.output));
    });
}


void add_cross_validate(CLI::App& dose, CommandRegistry& registry, const GlobalOptions& global) {
    static dosing::DoseTrainingOptions options;
    static std::string group_by;
    CLI::App* cv = dose.add_subcommand(
        "cross-validate",
        "Leave-one-site-out assessment: the whole training procedure on the other sites, each site scored beside "
        "the refitted IWPC equation, and local recalibration measured on half of each site");
    cv->add_option("--group-by", group_by, "Outer folds: one per IWPC 'Project Site'")
        ->required()
        ->check(CLI::IsMember({"site"}));
    cv->add_option("--iwpc", options.iwpc_csv, "IWPC/PharmGKB-format CSV with therapeutic doses and 'Project Site'")
        ->required();
    cv->add_option("--cyp2c9-phenotypes", options.cyp2c9_phenotypes,
                   "CPIC/PharmCAT CYP2C9 phenotype table (JSON with \"activityValues\")")
        ->required();
    cv->add_option("-o,--output", options.output, "Metrics JSON to write")->required();
    cv->add_option("--predictions", options.cv_predictions, "Also write every patient's held-out prediction (TSV)");
    cv->add_option("--folds", options.folds, "Inner cross-validation folds of the search")
        ->check(CLI::Range(3, 20))
        ->capture_default_str();
    cv->add_option("--seed", options.seed, "Seed for folds and XGBoost")->capture_default_str();
    cv->add_option("--grid", options.grid_name, "Search grid: full, quick, or a JSON grid file")->capture_default_str();
    cv->add_option("--interval-coverage", options.interval_coverage, "Nominal coverage of the dose interval")
        ->check(CLI::Range(0.5, 0.99))
        ->capture_default_str();
    cv->add_option("--split-seed", options.calibration_split_seed,
                   "Seed of the half split of each site for the recalibration measurement")
        ->capture_default_str();
    registry.on(cv, [&global] {
        require_readable(options.iwpc_csv, "IWPC data");
        require_readable(options.cyp2c9_phenotypes, "CYP2C9 phenotype table");
        options.threads = global.threads;
        options.nested_assessment = true;
        options.grid = dosing::DoseSearchGrid::named(options.grid_name);
        const auto summary = dosing::cross_validate_by_site(options);
        if (!global.quiet)
            std::cout << "Leave-one-site-out (inner " << options.folds << " folds, seed " << options.seed << "):\n\n"
                      << summary.site_table << "\nPooled over all held-out sites:\n\n"
                      << summary.cv_table << "\n";
        GENODOSE_LOG_INFO("dose cross-validate: wrote " << summary.output << " (" << summary.rows_used << " patients; "
                                                        << static_cast<int>(summary.seconds) << " s)");
    });
}

void add_calibrate(CLI::App& dose, CommandRegistry& registry) {
    static dosing::DoseCalibrateOptions options;
    CLI::App* calibrate = dose.add_subcommand(
        "calibrate", "Recalibrate a dose model's interval on a clinic's own patients (the patients stay local)");
    calibrate->add_option("--model", options.model, "Dose model (default: the shipped models/warfarin_dose.json)");
    calibrate->add_option("--iwpc", options.iwpc_csv, "The clinic's patients with therapeutic doses (IWPC-format CSV)")
        ->required();
    calibrate->add_option("-o,--output", options.output, "Recalibrated model file to write")->required();
    static bool no_shift = false;
    calibrate->add_flag("--no-intercept-shift", no_shift,
                        "Recalibrate the interval only; keep the model's doses (default: also shift log(dose) by the "
                        "median local log ratio)");
    registry.on(calibrate, [] {
        require_readable(options.iwpc_csv, "local patient data");
        if (!options.model.empty()) require_readable(options.model, "dose model");
        options.intercept_shift = !no_shift;
        const auto summary = dosing::calibrate_dose_model(options);
        const auto& c = summary.calibration;
        GENODOSE_LOG_INFO("dose calibrate: " << c.patients << " patients; dose x " << std::exp(c.log_dose_shift)
                                             << ", interval scale " << c.interval_scale << " (model's interval covered "
                                             << static_cast<int>(std::lround(c.coverage_before * 100))
                                             << "% of them); wrote " << options.output);
    });
}
}  // namespace

void add_dose_command(CLI::App& app, CommandRegistry& registry, const GlobalOptions& global) {
    CLI::App* dose =
        app.add_subcommand("dose", "Warfarin dose model: train, predict, evaluate, cross-validate, calibrate");
    dose->require_subcommand(1);
    add_train(*dose, registry, global);
    add_predict(*dose, registry);
    add_evaluate(*dose, registry, global);
    add_cross_validate(*dose, registry, global);
    add_calibrate(*dose, registry);
}

}  // namespace genodose::cli
