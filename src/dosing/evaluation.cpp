#include "genodose/dosing/evaluation.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include "genodose/dosing/dose_model.hpp"
#include "text_util.hpp"

namespace genodose::dosing {

AccuracyMetrics accuracy(const std::vector<double>& predicted, const std::vector<double>& actual) {
    AccuracyMetrics m;
    m.n = actual.size();
    if (m.n == 0) return m;
    double mean = 0;
    for (double a : actual) mean += a;
    mean /= static_cast<double>(m.n);
    double abs_sum = 0, ss_res = 0, ss_tot = 0;
    std::size_t within = 0;
    for (std::size_t i = 0; i < m.n; ++i) {
        const double error = predicted[i] - actual[i];
        abs_sum += std::fabs(error);
        ss_res += error * error;
        ss_tot += (actual[i] - mean) * (actual[i] - mean);
        // A tiny tolerance so that exactly 20% (e.g. 24 vs 20 mg) counts despite rounding.
        if (std::fabs(error) <= 0.2 * actual[i] + 1e-9) ++within;
    }
    m.mae = abs_sum / static_cast<double>(m.n);
    m.r2 = ss_tot > 0 ? 1.0 - ss_res / ss_tot : std::nan("");
    m.within_20 = static_cast<double>(within) / static_cast<double>(m.n);
    return m;
}

std::vector<std::string> evaluation_methods() {
    return {method_model, method_iwpc_pgx, method_iwpc_clinical, method_fixed};
}

DoseEvaluation evaluate_doses(const std::vector<EvaluatedDose>& rows, std::optional<double> nominal_coverage) {
    using Filter = std::function<bool(const EvaluatedDose&)>;
    struct GroupDefinition {
        std::string name;
        Filter keep;
        bool by_model_prediction = false;
    };
    std::vector<GroupDefinition> groups = {
        {"overall", [](const EvaluatedDose&) { return true; }},
        {"race: White", [](const EvaluatedDose& r) { return r.race == Race::white; }},
        {"race: Asian", [](const EvaluatedDose& r) { return r.race == Race::asian; }},
        {"race: Black or African American",
         [](const EvaluatedDose& r) { return r.race == Race::black_or_african_american; }},
        {"race: Unknown", [](const EvaluatedDose& r) { return r.race == Race::unknown; }},
        {"dose <= 21", [](const EvaluatedDose& r) { return r.actual <= 21; }},
        {"dose 21-49", [](const EvaluatedDose& r) { return r.actual > 21 && r.actual < 49; }},
        {"dose >= 49", [](const EvaluatedDose& r) { return r.actual >= 49; }},
    };
    for (std::size_t band = 0; band < predicted_dose_band_count; ++band)
        groups.push_back({"predicted " + predicted_dose_band_name(band),
                          [band](const EvaluatedDose& r) { return predicted_dose_band(r.model) == band; }, true});
    DoseEvaluation evaluation;
    evaluation.nominal_coverage = nominal_coverage;
    for (const auto& definition : groups) {
        const auto& keep = definition.keep;
        EvaluationGroup group;
        group.name = definition.name;
        group.by_model_prediction = definition.by_model_prediction;
        std::vector<double> actual_all, model_all;
        std::vector<double> actual_cmp, model_cmp, pgx_cmp, clinical_cmp, fixed_cmp;
        std::size_t covered = 0, with_interval = 0;
        std::vector<double> widths;
        for (const auto& row : rows) {
            if (!keep(row)) continue;
            actual_all.push_back(row.actual);
            model_all.push_back(row.model);
            if (row.interval) {
                ++with_interval;
                if (row.actual >= row.interval->first && row.actual <= row.interval->second) ++covered;
                widths.push_back(row.interval->second - row.interval->first);
            }
            if (row.iwpc_pharmacogenetic && row.iwpc_clinical) {
                actual_cmp.push_back(row.actual);
                model_cmp.push_back(row.model);
                pgx_cmp.push_back(*row.iwpc_pharmacogenetic);
                clinical_cmp.push_back(*row.iwpc_clinical);
                fixed_cmp.push_back(35.0);
            }
        }
        group.n_all = actual_all.size();
        group.model_all = accuracy(model_all, actual_all);
        group.n_compared = actual_cmp.size();
        group.compared[method_model] = accuracy(model_cmp, actual_cmp);
        group.compared[method_iwpc_pgx] = accuracy(pgx_cmp, actual_cmp);
        group.compared[method_iwpc_clinical] = accuracy(clinical_cmp, actual_cmp);
        group.compared[method_fixed] = accuracy(fixed_cmp, actual_cmp);
        if (with_interval > 0) {
            group.interval_coverage = static_cast<double>(covered) / static_cast<double>(with_interval);
            std::sort(widths.begin(), widths.end());
            const std::size_t n = widths.size();
            group.interval_median_width = n % 2 ? widths[n / 2] : (widths[n / 2 - 1] + widths[n / 2]) / 2;
        }
        evaluation.groups.push_back(std::move(group));
    }
    return evaluation;
}

namespace {

nlohmann::ordered_json metrics_json(const AccuracyMetrics& m) {
    nlohmann::ordered_json j;
    j["n"] = m.n;
    auto number = [&](double v, int decimals) -> nlohmann::ordered_json {
        if (m.n == 0 || !std::isfinite(v)) return nullptr;
        const double scale = std::pow(10.0, decimals);
        return std::round(v * scale) / scale;
    };
    j["mae_mg_per_week"] = number(m.mae, 4);
    j["r2"] = number(m.r2, 4);
    j["within_20_percent"] = number(100.0 * m.within_20, 2);
    return j;
}

std::string cell(const AccuracyMetrics& m, double value, int decimals) {
    if (m.n == 0 || !std::isfinite(value)) return "–";
    return detail::format_fixed(value, decimals);
}

}  // namespace

std::string evaluation_json(const DoseEvaluation& evaluation, const std::string& description) {
    nlohmann::ordered_json j;
    j["description"] = description;
    j["methods"] = evaluation_methods();
    j["dose_bands_mg_per_week"] = {"<= 21", "21-49 (exclusive)", ">= 49"};  // of the actual or the predicted dose
    if (evaluation.nominal_coverage) j["interval_nominal_coverage"] = *evaluation.nominal_coverage;
    nlohmann::ordered_json groups = nlohmann::ordered_json::array();
    for (const auto& group : evaluation.groups) {
        nlohmann::ordered_json g;
        g["group"] = group.name;
        g["n_all"] = group.n_all;
        g["model_all"] = metrics_json(group.model_all);
        if (group.by_model_prediction) {
            g["n_compared"] = nullptr;
            g["compared"] = nullptr;
        } else {
            g["n_compared"] = group.n_compared;
            nlohmann::ordered_json compared;
            for (const auto& method : evaluation_methods()) compared[method] = metrics_json(group.compared.at(method));
            g["compared"] = compared;
        }
        g["interval_coverage_percent"] =
            group.interval_coverage ? nlohmann::ordered_json(std::round(*group.interval_coverage * 10000) / 100)
                                    : nlohmann::ordered_json(nullptr);
        g["interval_median_width_mg_per_week"] =
            group.interval_median_width ? nlohmann::ordered_json(std::round(*group.interval_median_width * 100) / 100)
                                        : nlohmann::ordered_json(nullptr);
        groups.push_back(g);
    }
    j["groups"] = groups;
    return j.dump(2) + "\n";
}

std::string evaluation_table(const DoseEvaluation& evaluation) {
    std::ostringstream out;
    out << "Same patients for every method (those with age, height and weight, which the IWPC equations need):\n\n";
    out << "| group | n | MAE model | MAE IWPC PGx | MAE IWPC clin | MAE 35 mg | R² model | R² IWPC PGx | R² IWPC clin "
           "| %±20 model | %±20 IWPC PGx | %±20 IWPC clin | %±20 35 mg |\n";
    out << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& g : evaluation.groups) {
        if (g.by_model_prediction) continue;
        const auto& m = g.compared.at(method_model);
        const auto& p = g.compared.at(method_iwpc_pgx);
        const auto& c = g.compared.at(method_iwpc_clinical);
        const auto& f = g.compared.at(method_fixed);
        out << "| " << g.name << " | " << g.n_compared << " | " << cell(m, m.mae, 2) << " | " << cell(p, p.mae, 2)
            << " | " << cell(c, c.mae, 2) << " | " << cell(f, f.mae, 2) << " | " << cell(m, m.r2, 3) << " | "
            << cell(p, p.r2, 3) << " | " << cell(c, c.r2, 3) << " | " << cell(m, 100 * m.within_20, 1) << " | "
            << cell(p, 100 * p.within_20, 1) << " | " << cell(c, 100 * c.within_20, 1) << " | "
            << cell(f, 100 * f.within_20, 1) << " |\n";
    }
    out << "\nModel on every patient with a dose (missing covariates stay missing):\n\n";
    out << "| group | n | MAE | R² | %±20 | interval coverage % | median interval width |\n";
    out << "|---|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& g : evaluation.groups) {
        const auto& m = g.model_all;
        out << "| " << g.name << " | " << g.n_all << " | " << cell(m, m.mae, 2) << " | " << cell(m, m.r2, 3) << " | "
            << cell(m, 100 * m.within_20, 1) << " | "
            << (g.interval_coverage ? detail::format_fixed(100 * *g.interval_coverage, 1) : "–") << " | "
            << (g.interval_median_width ? detail::format_fixed(*g.interval_median_width, 1) : "–") << " |\n";
    }
    return out.str();
}

}  // namespace genodose::dosing
