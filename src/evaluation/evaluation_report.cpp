#include "genodose/evaluation/evaluation_report.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/core/version.hpp"

namespace genodose::evaluation {
namespace {

using Json = nlohmann::ordered_json;

const char* const summary_columns[] = {
    "Type",      "Filter", "TRUTH.TOTAL",   "TRUTH.TP",         "TRUTH.FN",       "QUERY.TOTAL",    "QUERY.FP",
    "QUERY.UNK", "FP.gt",  "METRIC.Recall", "METRIC.Precision", "METRIC.Frac_NA", "METRIC.F1_Score"};

struct Row {
    std::string type;
    std::string filter;
    std::string genotype;  // "*" for all genotypes
    Counts counts;
};

// hap.py's order: INDEL before SNP, ALL before PASS.
std::vector<Row> summary_rows(const EvaluationResult& result) {
    std::vector<Row> rows;
    for (const VariantType type : {VariantType::indel, VariantType::snp})
        for (const FilterSet filter : {FilterSet::all, FilterSet::pass})
            rows.push_back({to_string(type), to_string(filter), "*", result.total(filter, type)});
    return rows;
}

std::string format_metric(const std::optional<double>& value, int decimals) {
    if (!value) return {};
    std::ostringstream text;
    text << std::fixed << std::setprecision(decimals) << *value;
    return text.str();
}

std::vector<std::string> row_fields(const Row& row, int decimals) {
    const Counts& c = row.counts;
    const Metrics m = compute_metrics(c);
    return {row.type,
            row.filter,
            std::to_string(c.truth_total),
            std::to_string(c.truth_tp),
            std::to_string(c.truth_fn),
            std::to_string(c.query_total),
            std::to_string(c.query_fp),
            std::to_string(c.query_unk),
            std::to_string(c.fp_gt),
            format_metric(m.recall, decimals),
            format_metric(m.precision, decimals),
            format_metric(m.frac_na, decimals),
            format_metric(m.f1, decimals)};
}

Json metric_json(const std::optional<double>& value) { return value ? Json(*value) : Json(nullptr); }

Json row_json(const Row& row) {
    const Counts& c = row.counts;
    const Metrics m = compute_metrics(c);
    Json json;
    json["Type"] = row.type;
    json["Filter"] = row.filter;
    json["Genotype"] = row.genotype;
    json["TRUTH.TOTAL"] = c.truth_total;
    json["TRUTH.TP"] = c.truth_tp;
    json["TRUTH.FN"] = c.truth_fn;
    json["QUERY.TOTAL"] = c.query_total;
    json["QUERY.TP"] = c.query_tp;
    json["QUERY.FP"] = c.query_fp;
    json["QUERY.UNK"] = c.query_unk;
    json["FP.gt"] = c.fp_gt;
    json["METRIC.Recall"] = metric_json(m.recall);
    json["METRIC.Precision"] = metric_json(m.precision);
    json["METRIC.Frac_NA"] = metric_json(m.frac_na);
    json["METRIC.F1_Score"] = metric_json(m.f1);
    return json;
}

Json statistics_json(const InputStatistics& s) {
    Json json;
    json["records_in_target"] = s.records;
    json["records_with_calls"] = s.calls;
    json["records_not_pass_ignored"] = s.not_pass_ignored;
    json["records_outside_confident_regions"] = s.outside_confident;
    json["records_ref_mismatch_skipped"] = s.ref_mismatch;
    json["records_symbolic_skipped"] = s.symbolic;
    json["records_polyploid_skipped"] = s.polyploid;
    return json;
}

void write_text(const std::string& temporary, const std::string& final_path, const std::string& content) {
    std::FILE* file = std::fopen(temporary.c_str(), "wb");
    if (!file) throw OutputError(file_message(final_path, std::string("cannot create: ") + std::strerror(errno)));
    const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
    const int saved_errno = errno;
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed)
        throw OutputError(
            file_message(final_path, std::string("write failed: ") + std::strerror(written ? errno : saved_errno)));
}

}  // namespace

std::string summary_csv(const EvaluationResult& result) {
    std::string csv;
    for (std::size_t i = 0; i < std::size(summary_columns); ++i) csv += std::string(i ? "," : "") + summary_columns[i];
    csv += '\n';
    for (const Row& row : summary_rows(result)) {
        const auto fields = row_fields(row, 6);
        for (std::size_t i = 0; i < fields.size(); ++i) csv += (i ? "," : "") + fields[i];
        csv += '\n';
    }
    return csv;
}

std::string summary_table(const EvaluationResult& result) {
    std::vector<std::vector<std::string>> cells;
    cells.emplace_back(std::begin(summary_columns), std::end(summary_columns));
    for (const Row& row : summary_rows(result)) cells.push_back(row_fields(row, 4));
    for (const FilterSet filter : {FilterSet::all, FilterSet::pass})
        cells.push_back(row_fields({"SNP+INDEL", to_string(filter), "*", result.total(filter)}, 4));
    std::vector<std::size_t> widths(cells.front().size(), 0);
    for (const auto& line : cells)
        for (std::size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
    std::string table;
    for (const auto& line : cells) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (i) table += "  ";
            const std::size_t pad = widths[i] - line[i].size();
            // Text columns left-aligned, numbers right-aligned.
            if (i < 2) {
                table += line[i] + std::string(pad, ' ');
            } else {
                table += std::string(pad, ' ') + line[i];
            }
        }
        while (!table.empty() && table.back() == ' ') table.pop_back();
        table += '\n';
    }
    return table;
}

std::string metrics_json(const EvaluationResult& result, const EvaluationReportInfo& info) {
    Json json;
    json["genodose_version"] = genodose::version;
    json["command_line"] = info.command_line;
    const EvaluationOptions& o = info.options;
    json["inputs"] = {{"truth", o.truth_path},
                      {"query", o.query_path},
                      {"reference", o.reference_path},
                      {"confident_regions", o.confident_regions.empty() ? Json(nullptr) : Json(o.confident_regions)},
                      {"target_regions", o.target_regions.empty() ? Json(nullptr) : Json(o.target_regions)},
                      {"truth_sample", result.truth_sample},
                      {"query_sample", result.query_sample},
                      {"contigs_evaluated", result.contigs}};
    json["definitions"] = {
        {"matching",
         "haplotype comparison of normalised variants within clusters (vcfeval-style); genotype must match"},
        {"counting", "per allele after normalisation: an MNP counts per SNP, a 1/2 genotype once per ALT allele"},
        {"TRUTH", "FILTER PASS truth records overlapping the confident regions"},
        {"QUERY.UNK", "query alleles of records outside the confident regions"},
        {"FP.gt", "false positives whose allele is in the truth with another genotype"},
        {"Filter.ALL", "all non-reference query calls"},
        {"Filter.PASS", "query calls with FILTER PASS or '.', matched on their own"}};
    json["summary"] = Json::array();
    for (const Row& row : summary_rows(result)) json["summary"].push_back(row_json(row));
    json["overall"] = Json::array();
    for (const FilterSet filter : {FilterSet::all, FilterSet::pass})
        json["overall"].push_back(row_json({"SNP+INDEL", to_string(filter), "*", result.total(filter)}));
    json["record_level"] = Json::array();  // RTG vcfeval's unit: a record is TP only if all its alleles are
    for (const FilterSet filter : {FilterSet::all, FilterSet::pass})
        json["record_level"].push_back(
            row_json({"RECORDS", to_string(filter), "*", result.record_counts[static_cast<std::size_t>(filter)]}));
    json["genotype_strata"] = Json::array();
    for (const VariantType type : {VariantType::indel, VariantType::snp})
        for (const FilterSet filter : {FilterSet::all, FilterSet::pass})
            for (const GenotypeClass g : {GenotypeClass::het, GenotypeClass::homalt, GenotypeClass::hetalt})
                json["genotype_strata"].push_back(
                    row_json({to_string(type), to_string(filter), to_string(g), result.total(filter, type, g)}));
    json["truth_input"] = statistics_json(result.truth_statistics);
    json["query_input"] = statistics_json(result.query_statistics);
    json["matching"] = {{"clusters_compared", result.matching.clusters},
                        {"clusters_too_complex", result.matching.clusters_too_complex},
                        {"largest_cluster_variants", result.matching.largest_cluster},
                        {"split_substitutions", o.split_substitutions},
                        {"cluster_gap", o.cluster_gap},
                        {"max_paths", o.matcher.max_paths}};
    return json.dump(2) + "\n";
}

std::string decisions_tsv(const EvaluationResult& result) {
    std::string tsv =
        "CHROM\tPOS\tREF\tALT\tSET\tTYPE\tGENOTYPE\tFILTER\tDECISION.ALL\tDECISION.PASS\tFP.gt\tRECORD.POS\n";
    for (const Decision& d : result.decisions) {
        tsv += d.contig + '\t' + std::to_string(d.position) + '\t' + d.ref + '\t' + d.alt + '\t' +
               (d.truth ? "TRUTH" : "QUERY") + '\t' + to_string(d.type) + '\t' + to_string(d.genotype_class) + '\t' +
               (d.passes_filters ? "PASS" : "FAIL") + '\t' + d.decision_all + '\t' + d.decision_pass + '\t' +
               (d.fp_gt ? "1" : "0") + '\t' + std::to_string(d.record_position) + '\n';
    }
    return tsv;
}

EvaluationOutputs::EvaluationOutputs(const std::string& prefix, bool with_decisions) : prefix_(prefix) {
    if (prefix.empty()) throw UsageError("empty output prefix");
    std::vector<std::string> names = {prefix + ".summary.csv", prefix + ".metrics.json"};
    if (with_decisions) names.push_back(prefix + ".decisions.tsv");
    for (const std::string& name : names) files_.emplace_back(name, transaction_.add(name));
    if (!with_decisions) {
        // A decisions table from an earlier run with this prefix would no longer describe it.
        const std::string stale = prefix + ".decisions.tsv";
        if (std::remove(stale.c_str()) != 0 && errno != ENOENT)
            throw OutputError(file_message(stale, std::string("cannot remove stale output: ") + std::strerror(errno)));
    }
}

void EvaluationOutputs::write(const EvaluationResult& result, const EvaluationReportInfo& info) {
    for (const auto& [final_path, temporary] : files_) {
        std::string content;
        if (final_path == prefix_ + ".summary.csv") {
            content = summary_csv(result);
        } else if (final_path == prefix_ + ".metrics.json") {
            content = metrics_json(result, info);
        } else {
            content = decisions_tsv(result);
        }
        write_text(temporary, final_path, content);
    }
    transaction_.commit();
}

void write_evaluation_outputs(const EvaluationResult& result, const EvaluationReportInfo& info,
                              const std::string& prefix) {
    EvaluationOutputs(prefix, info.options.keep_decisions).write(result, info);
}

}  // namespace genodose::evaluation
