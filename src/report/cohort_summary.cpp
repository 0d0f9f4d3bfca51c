#include "genodose/report/cohort_summary.hpp"

#include <algorithm>
#include <sstream>

#include "charts.hpp"
#include "genodose/core/text.hpp"
#include "genodose/dosing/patient.hpp"
#include "text_util.hpp"

namespace genodose::report {

namespace {

// The report files a cohort links to, in order of preference: only those written are linked.
const std::vector<std::pair<std::string, std::string>> report_links = {
    {"report.html", "report"}, {"report.pdf", "PDF"}, {"report.fhir.json", "FHIR"}, {"report.json", "JSON"}};

// cohort.tsv's `report`: the sample's HTML report, else its PDF, else its report.json.
std::string main_report_file(const BatchSampleResult& r) {
    for (const char* name : {"report.html", "report.pdf", "report.json"})
        if (std::find(r.files.begin(), r.files.end(), name) != r.files.end()) return r.sample_id + "/" + name;
    return {};
}

// A text cell: tabs and line breaks become spaces, and a cell a spreadsheet would run as a
// formula (leading =, +, - or @: the OWASP CSV-injection rule) gets a leading apostrophe.
std::string tsv_field(std::string text) {
    for (char& c : text)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@'))
        text.insert(0, 1, '\'');
    return text.empty() ? "." : text;
}

}  // namespace

std::string cohort_tsv(const std::vector<BatchSampleResult>& results) {
    std::ostringstream out;
    const std::string rs12777823_column = dosing::rs12777823_snp.rsid;
    out << "sample_id\tpatient_id\tstatus\tqc\tCYP2C9\tCYP2C9_phenotype\tCYP2C9_activity_score\tVKORC1\tVKORC1_phenotype\t"
           "CYP4F2\t"
        << rs12777823_column
        << "\tdose_mg_per_week\tinterval_low\tinterval_high\tinterval_coverage\t"
           "iwpc_pg_mg_per_week\tcpic_statements\treport\terror\n";
    for (const auto& r : results) {
        out << tsv_field(r.sample_id) << '\t';
        if (!r.ok) {
            out << ".\tfailed\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t.\t" << tsv_field(r.error) << '\n';
            continue;
        }
        const ReportDocument& d = r.document;
        auto gene = [&](const std::string& name) { return d.gene(name); };
        const GeneResult* cyp2c9 = gene("CYP2C9");
        const GeneResult* vkorc1 = gene("VKORC1");
        const GeneResult* cyp4f2 = gene("CYP4F2");
        std::string rs12777823 = ".";
        for (const auto& v : d.other_variants)
            if (v.rsid == rs12777823_column) rs12777823 = v.genotype.empty() ? "not called" : v.genotype;
        std::vector<std::string> codes;
        for (const auto& s : d.guideline) codes.push_back(s.code);
        out << tsv_field(d.identifiers.patient_id) << "\tok\t" << d.qc.status << '\t'
            << tsv_field(cyp2c9 ? cyp2c9->genotype_display : "") << '\t'
            << tsv_field(cyp2c9 && cyp2c9->phenotype ? *cyp2c9->phenotype : "") << '\t'
            << (cyp2c9 && cyp2c9->activity_score ? format_number(*cyp2c9->activity_score, 1) : ".") << '\t'
            << tsv_field(vkorc1 ? vkorc1->genotype_display : "") << '\t'
            << tsv_field(vkorc1 && vkorc1->phenotype ? *vkorc1->phenotype : "") << '\t'
            << tsv_field(cyp4f2 ? cyp4f2->genotype_display : "") << '\t' << tsv_field(rs12777823) << '\t'
            << format_dose(d.dose.predicted_mg_per_week) << '\t' << format_dose(d.dose.interval_low) << '\t'
            << format_dose(d.dose.interval_high) << '\t' << format_number(d.dose.interval_coverage, 2) << '\t'
            << (d.dose.iwpc_pharmacogenetic_mg_per_week ? format_dose(*d.dose.iwpc_pharmacogenetic_mg_per_week) : ".")
            << '\t' << (codes.empty() ? "." : join(codes, ",")) << '\t' << tsv_field(main_report_file(r)) << "\t.\n";
    }
    return out.str();
}

std::string cohort_html(const std::vector<BatchSampleResult>& results, const std::string& generated_at,
                        const std::string& genodose_version) {
    std::size_t failed = 0, review = 0;
    std::vector<charts::DoseRow> rows;
    for (const auto& r : results) {
        charts::DoseRow row;
        row.label = r.sample_id;
        if (r.ok) {
            row.has_dose = true;
            row.dose = r.document.dose.predicted_mg_per_week;
            row.low = r.document.dose.interval_low;
            row.high = r.document.dose.interval_high;
            if (r.document.qc.status != "pass") ++review;
        } else {
            ++failed;
        }
        rows.push_back(row);
    }
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        << "<title>genodose batch summary</title>\n<style>\n"
        << "body { font-family: \"DejaVu Sans\", Arial, sans-serif; font-size: 10pt; color: #222; margin: 12mm; }\n"
        << "h1 { font-size: 16pt; color: #0d4d99; } table { border-collapse: collapse; width: 100%; font-size: 9pt; }\n"
        << "th, td { border-bottom: 1px solid #d6d6d6; padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; }\n"
        << "th { background: #f2f4f7; } td.num { text-align: right; } .failed { color: #9a2a00; font-weight: bold; }\n"
        << ".review { color: #9a4a00; } .small { font-size: 8pt; color: #666; } svg.chart { max-width: 100%; height: auto; }\n"
        << "@media print { tr { break-inside: avoid; } }\n</style>\n</head>\n<body>\n"
        << "<h1>genodose batch summary</h1>\n<p>" << results.size() << " samples: " << results.size() - failed
        << " reported (" << review << " need review), <span class=\"" << (failed ? "failed" : "")
        << "\" id=\"failed-count\">" << failed << " failed</span>. Generated " << html_escape(generated_at)
        << " by genodose " << html_escape(genodose_version)
        << ". Every report must be reviewed by a qualified clinician.</p>\n";
    const double width = 520;
    out << charts::chart_svg(
               width, charts::dose_rows_chart_height(rows),
               [&](cairo_t* cr) { charts::draw_dose_rows_chart(cr, rows, width); }, "batch-chart",
               "Predicted weekly doses of the batch")
        << "\n";
    out << "<table><thead><tr><th>Sample</th><th>Patient</th><th>Status</th><th>CYP2C9</th><th>VKORC1</th><th>CYP4F2</th>"
           "<th class=\"num\">Dose (mg/week)</th><th class=\"num\">Interval</th><th>CPIC</th><th>Report / error</th></tr></thead><tbody>\n";
    for (const auto& r : results) {
        out << "<tr><td>" << html_escape(r.sample_id) << "</td>";
        if (!r.ok) {
            out << "<td>—</td><td class=\"failed\">failed</td><td colspan=\"6\"></td><td class=\"failed\">"
                << html_escape(r.error) << "</td></tr>\n";
            continue;
        }
        const ReportDocument& d = r.document;
        auto genotype = [&](const std::string& name) {
            const GeneResult* g = d.gene(name);
            if (!g) return std::string("—");
            return html_escape(g->genotype_display) +
                   (g->phenotype ? "<br><span class=\"small\">" + html_escape(*g->phenotype) + "</span>" : "");
        };
        out << "<td>" << html_escape(d.identifiers.patient_id) << "</td><td class=\""
            << (d.qc.status == "pass" ? "" : "review") << "\">" << (d.qc.status == "pass" ? "pass" : "review")
            << "</td><td>" << genotype("CYP2C9") << "</td><td>" << genotype("VKORC1") << "</td><td>"
            << genotype("CYP4F2") << "</td><td class=\"num\"><b>" << format_dose(d.dose.predicted_mg_per_week)
            << "</b></td><td class=\"num\">" << format_dose(d.dose.interval_low) << "–"
            << format_dose(d.dose.interval_high) << "</td><td>" << d.guideline.size() << "</td><td>";
        bool first = true;
        for (const auto& [name, label] : report_links) {
            if (std::find(r.files.begin(), r.files.end(), name) == r.files.end()) continue;
            out << (first ? "" : " · ") << "<a href=\"" << html_escape(r.sample_id + "/" + name) << "\">" << label
                << "</a>";
            first = false;
        }
        out << (first ? "—" : "") << "</td></tr>\n";
    }
    out << "</tbody></table>\n</body>\n</html>\n";
    return out.str();
}

}  // namespace genodose::report
