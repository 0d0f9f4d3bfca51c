// report.html: one self-contained, print-friendly file. No script, no external asset (a
// Content-Security-Policy forbids both, so even a value that slipped past escaping could not
// load or run anything); charts are inline SVG drawn by charts.cpp.
#include <sstream>

#include "charts.hpp"
#include "genodose/report/renderers.hpp"
#include "text_util.hpp"

namespace genodose::report {

namespace {

std::string h(const std::string& text) { return html_escape(text); }

const char* const style = R"CSS(
:root { --ink: #222; --muted: #666; --line: #d6d6d6; --accent: #0d4d99; --warn: #9a4a00; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink); font-size: 10.5pt;
       line-height: 1.4; max-width: 210mm; margin: 0 auto; padding: 12mm 14mm; }
h1 { font-size: 17pt; margin: 0 0 2mm 0; color: var(--accent); }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm 0; border-bottom: 1.5px solid var(--accent); padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 4mm 0 1mm 0; }
p { margin: 1.5mm 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; font-size: 9.5pt; }
th, td { border-bottom: 1px solid var(--line); padding: 1.2mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #f2f4f7; font-weight: bold; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.ids td:first-child { width: 32%; color: var(--muted); }
.banner { border: 1.5px solid var(--accent); border-radius: 2mm; padding: 3mm 4mm; margin: 4mm 0; background: #f5f8fc; }
.dose { font-size: 20pt; font-weight: bold; color: var(--accent); }
.qc-pass { color: #1b6e1b; font-weight: bold; }
.qc-review { color: var(--warn); font-weight: bold; }
.muted { color: var(--muted); }
.small { font-size: 8.5pt; }
.mono { font-family: "DejaVu Sans Mono", monospace; font-size: 8pt; word-break: break-all; }
.review { border: 1.5px solid var(--warn); padding: 3mm 4mm; margin-top: 6mm; }
.signature { margin-top: 6mm; display: flex; gap: 8mm; }
.signature div { flex: 1; border-top: 1px solid var(--ink); padding-top: 1mm; font-size: 8.5pt; color: var(--muted); }
.signature div b { display: block; color: var(--ink); font-size: 10pt; min-height: 5mm; }
.recommendation { font-weight: bold; font-size: 11pt; }
.caution { color: var(--warn); font-weight: bold; }
.missing { color: var(--warn); }
.nowrap, td.genotype { white-space: nowrap; }
.header-grid { display: flex; gap: 6mm; }
.header-grid > table { flex: 1; align-self: flex-start; }
table.positions { font-size: 8pt; }
table.positions td, table.positions th { padding: 0.6mm 1.2mm; }
svg.chart { max-width: 100%; height: auto; display: block; margin: 2mm 0; }
ul { margin: 1mm 0 1mm 5mm; padding-left: 3mm; }
li { margin: 0.7mm 0; }
footer { margin-top: 8mm; border-top: 1px solid var(--line); padding-top: 2mm; }
@page { size: A4; margin: 14mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 9.5pt; }
  h2, h3 { break-after: avoid; }
  table { break-inside: auto; }
  thead { display: table-header-group; }
  tr, .banner, svg.chart, .review, li { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
)CSS";

std::string optional_text(const std::optional<std::string>& value, const std::string& none = "—") {
    return value ? h(*value) : none;
}

std::string optional_number_text(const std::optional<double>& value, int decimals) {
    return value ? format_number(*value, decimals) : "—";
}

std::string optional_int_text(const std::optional<int>& value) { return value ? std::to_string(*value) : "—"; }

void identifiers(std::ostringstream& out, const ReportDocument& d) {
    const auto& ids = d.identifiers;
    auto row = [&](const std::string& label, const std::string& value, const std::string& id) {
        if (value.empty()) return;
        out << "<tr><td>" << label << "</td><td id=\"" << id << "\">" << h(value) << "</td></tr>\n";
    };
    out << "<div class=\"header-grid\">\n<table class=\"ids\" id=\"patient\"><tbody>\n";
    row("Patient ID", ids.patient_id, "patient-id");
    row("Patient name", ids.patient_name, "patient-name");
    row("Date of birth", ids.date_of_birth, "date-of-birth");
    row("Ordering clinician", ids.ordering_clinician, "ordering-clinician");
    row("Sample ID", ids.sample_id, "sample-id");
    row("Accession", ids.accession, "accession");
    row("Specimen type", d.specimen.type, "specimen-type");
    row("Collected", d.specimen.collection_date, "specimen-collected");
    row("Received", d.specimen.received_date, "specimen-received");
    out << "</tbody></table>\n<table class=\"ids\" id=\"lab\"><tbody>\n";
    row("Laboratory", ids.laboratory, "laboratory");
    row("Address", d.laboratory.address, "laboratory-address");
    row("Director", d.laboratory.director, "laboratory-director");
    row("CLIA number", d.laboratory.clia_number, "clia-number");
    row("CAP number", d.laboratory.cap_number, "cap-number");
    row("Laboratory id", d.laboratory.local_identifier, "local-identifier");
    out << "<tr><td>Report date (UTC)</td><td id=\"report-date\">" << h(d.provenance.generated_at) << "</td></tr>\n";
    out << "<tr><td>Quality control</td><td id=\"qc-status\" class=\"qc-" << (d.qc.status == "pass" ? "pass" : "review")
        << "\">" << (d.qc.status == "pass" ? "PASS" : "REVIEW") << "</td></tr>\n";
    out << "</tbody></table>\n</div>\n";
}

void clinical_inputs_section(std::ostringstream& out, const ReportDocument& d) {
    if (d.clinical_inputs.empty()) return;
    out << "<h2 id=\"clinical-inputs\">Clinical inputs of the dose</h2>\n"
        << "<table class=\"clinical-inputs\"><thead><tr><th>Input</th><th>Value used</th></tr></thead><tbody>\n";
    for (const auto& input : d.clinical_inputs)
        out << "<tr><td>" << h(input.input) << "</td>"
            << (input.missing ? "<td class=\"missing\">not recorded (missing for the model)" : "<td>" + h(input.value))
            << "</td></tr>\n";
    out << "</tbody></table>\n";
}

void positions_tested_section(std::ostringstream& out, const ReportDocument& d) {
    out << "<h2 id=\"tested\">Alleles and positions tested</h2>\n";
    for (const auto& g : d.genes) {
        if (g.positions_tested.empty()) continue;
        out << "<h3>" << h(g.gene) << "</h3>\n";
        if (!g.alleles_tested.empty() || !g.alleles_partly_tested.empty() || !g.untestable_alleles.empty()) {
            out << "<p class=\"small\">";
            if (!g.alleles_tested.empty())
                out << "<b>Alleles tested</b> (every defining position called): " << h(join(g.alleles_tested, ", "))
                    << ". ";
            if (!g.alleles_partly_tested.empty())
                out << "<b>Partly tested</b> (some defining positions not called): "
                    << h(join(g.alleles_partly_tested, ", ")) << ". ";
            if (!g.untestable_alleles.empty())
                out << "<b>Not tested</b>: " << h(join(g.untestable_alleles, ", ")) << ".";
            out << "</p>\n";
        }
        out << "<table class=\"positions\"><thead><tr><th>Position</th><th>rsID</th><th>Change</th><th>Defines</th>"
               "<th>Result</th></tr></thead><tbody>\n";
        for (const auto& v : g.positions_tested)
            out << "<tr><td>" << h(v.position) << "</td><td>" << h(v.rsid) << "</td><td>" << h(v.change) << "</td><td>"
                << h(v.defines) << "</td><td"
                << (v.genotype.empty() ? " class=\"missing\">not called (" + h(v.status) + ")"
                                       : ">" + h(v.genotype) + " " + h(v.zygosity))
                << "</td></tr>\n";
        out << "</tbody></table>\n";
    }
}

void sign_off(std::ostringstream& out, const ReportDocument& d) {
    out << "<div class=\"review\" id=\"review\"><p><b>Clinical review.</b> " << h(d.review_statement) << "</p>\n"
        << "<div class=\"signature\" id=\"sign-off\">"
        << "<div><b id=\"signed-by\">" << h(d.sign_off.name) << "</b>Reviewed and signed by (name, signature)</div>"
        << "<div><b id=\"signer-credentials\">" << h(d.sign_off.credentials) << "</b>Credentials</div>"
        << "<div><b id=\"signed-date\">" << h(d.sign_off.date) << "</b>Date</div></div></div>\n";
}

void summary(std::ostringstream& out, const ReportDocument& d) {
    const auto& dose = d.dose;
    out << "<div class=\"banner\" id=\"summary\">\n";
    if (!d.headline.recommendation.empty())
        out << "<p class=\"recommendation\" id=\"cpic-recommendation\">" << h(d.headline.recommendation) << "</p>\n";
    out << "<p>Model estimate of the maintenance dose: <span class=\"dose\" id=\"predicted-dose\">"
        << format_dose(dose.predicted_mg_per_week)
        << "</span> <span class=\"dose-unit\">mg/week</span> (<span id=\"daily-dose\">"
        << format_number(dose.predicted_mg_per_week / 7.0, 2) << "</span> mg/day)</p>\n"
        << "<p>" << format_number(dose.interval_coverage * 100, 0)
        << "% prediction interval: <span id=\"dose-interval\">" << format_dose(dose.interval_low) << "–"
        << format_dose(dose.interval_high) << "</span> mg/week. "
        << "IWPC pharmacogenetic equation: <span id=\"iwpc-dose\">"
        << (dose.iwpc_pharmacogenetic_mg_per_week ? format_dose(*dose.iwpc_pharmacogenetic_mg_per_week) + " mg/week"
                                                  : std::string("not available"))
        << "</span>.</p>\n";
    if (dose.interval_recalibrated_on_patients > 0)
        out << "<p id=\"interval-recalibrated\">The interval was recalibrated on "
            << dose.interval_recalibrated_on_patients << " patients of this clinic (genodose dose calibrate).</p>\n";
    for (const auto& caution : d.headline.cautions) out << "<p class=\"caution\">" << h(caution) << "</p>\n";
    out << "<p>";
    bool first = true;
    for (const auto& gene : d.genes) {
        out << (first ? "" : "; ") << "<b>" << h(gene.gene) << "</b> <span class=\"nowrap\">"
            << h(gene.genotype_display) << "</span>";
        // A gene shown as one SNP (VKORC1 rs9923231 C/T (-1639 G/A)) already says its phenotype.
        if (gene.phenotype && gene.genotype_display.rfind("rs", 0) != 0) out << " (" << h(*gene.phenotype) << ")";
        first = false;
    }
    out << ".</p>\n";
    if (!d.guideline.empty())
        out << "<p><b>" << d.guideline.size() << " CPIC guideline statement" << (d.guideline.size() == 1 ? "" : "s")
            << " appl" << (d.guideline.size() == 1 ? "ies" : "y")
            << "</b> (see below); they are not applied to the predicted dose.</p>\n";
    if (d.qc.status != "pass") {
        out << "<p class=\"qc-review\">Needs review:</p><ul class=\"small\">\n";
        for (const auto& reason : d.qc.reasons) out << "<li>" << h(reason) << "</li>\n";
        out << "</ul>\n";
    }
    out << "<p class=\"small muted\">To be reviewed by a qualified clinician before use (see <a href=\"#review\">Clinical review</a>).</p>\n";
    out << "</div>\n";
}

void variant_table(std::ostringstream& out, const std::vector<KeyVariant>& variants) {
    out << "<table class=\"variants\"><thead><tr><th>Position (1-based)</th><th>rsID</th><th>Change</th><th>Defines</th>"
           "<th>Genotype</th><th>Zygosity</th><th class=\"num\">Depth</th><th class=\"num\">Quality</th></tr></thead><tbody>\n";
    for (const auto& v : variants) {
        out << "<tr><td>" << h(v.position) << "</td><td>" << h(v.rsid) << "</td><td>" << h(v.change) << "</td><td>"
            << h(v.defines) << "</td><td>" << (v.genotype.empty() ? "not called" : h(v.genotype)) << "</td><td>"
            << h(v.zygosity) << "</td><td class=\"num\">" << optional_int_text(v.depth) << "</td><td class=\"num\">"
            << optional_int_text(v.quality) << "</td></tr>\n";
    }
    out << "</tbody></table>\n";
}

void results(std::ostringstream& out, const ReportDocument& d) {
    out << "<h2 id=\"results\">Results</h2>\n"
        << "<table class=\"results\"><thead><tr><th>Gene</th><th>Genotype / diplotype</th><th>Phenotype</th>"
           "<th class=\"num\">Activity score</th><th class=\"num\">Positions called</th><th>Call</th></tr></thead><tbody>\n";
    for (const auto& g : d.genes) {
        out << "<tr><td><b>" << h(g.gene) << "</b></td><td class=\"genotype\">" << h(g.genotype_display) << "</td><td>"
            << optional_text(g.phenotype) << "</td><td class=\"num\">" << optional_number_text(g.activity_score, 1)
            << "</td><td class=\"num\">" << g.positions_called << " of " << g.positions_defined << "</td><td>"
            << h(g.status == "called"    ? (g.diplotypes.size() > 1 ? "ambiguous" : "called")
                 : g.status == "no_call" ? "no call"
                                         : "no data")
            << "</td></tr>\n";
    }
    out << "</tbody></table>\n";
    for (const auto& g : d.genes) {
        out << "<h3>" << h(g.gene) << "</h3>\n";
        if (g.diplotypes.size() > 1)
            out << "<p>Equally likely diplotypes: " << h(join(g.diplotypes, ", ")) << ".</p>\n";
        if (g.coverage)
            out << "<p class=\"small\">Read depth over " << h(g.coverage->region) << ": mean "
                << format_number(g.coverage->mean_depth, 1) << "×, "
                << format_number(g.coverage->fraction_at_least_20x * 100, 1) << "% of bases at ≥20×, minimum "
                << g.coverage->min_depth << "×.</p>\n";
        if (g.key_variants.empty()) out << "<p class=\"muted\">No key position to show.</p>\n";
        else variant_table(out, g.key_variants);
        if (!g.positions_not_called.empty()) {
            out << "<p><b>Positions not called</b> (" << g.positions_not_called.size()
                << "):</p><ul class=\"small\">\n";
            for (const auto& p : g.positions_not_called)
                out << "<li>" << h(p.rsid.empty() ? p.position : p.rsid + " (" + p.position + ")") << ": "
                    << h(p.reason) << "</li>\n";
            out << "</ul>\n";
        }
        if (!g.untestable_alleles.empty())
            out << "<p class=\"small\">Alleles not tested (every defining position missing): "
                << h(join(g.untestable_alleles, ", ")) << ".</p>\n";
        if (!g.notes.empty()) {
            out << "<ul class=\"small\">\n";
            for (const auto& note : g.notes) out << "<li>" << h(note) << "</li>\n";
            out << "</ul>\n";
        }
    }
    if (!d.other_variants.empty()) {
        out << "<h3>Other warfarin-related variants</h3>\n";
        variant_table(out, d.other_variants);
    }
}

void dose_section(std::ostringstream& out, const ReportDocument& d) {
    const auto& dose = d.dose;
    out << "<h2 id=\"dose\">Predicted dose</h2>\n"
        << "<table class=\"dose-table\"><tbody>\n"
        << "<tr><td>genodose dose model (gradient boosting, IWPC cohort)</td><td class=\"num\"><b>"
        << format_dose(dose.predicted_mg_per_week) << " mg/week</b></td></tr>\n"
        << "<tr><td>" << format_number(dose.interval_coverage * 100, 0)
        << "% prediction interval (split-conformal)</td><td class=\"num\">" << format_dose(dose.interval_low) << "–"
        << format_dose(dose.interval_high) << " mg/week</td></tr>\n"
        << "<tr><td>IWPC pharmacogenetic equation (NEJM 2009)</td><td class=\"num\">"
        << (dose.iwpc_pharmacogenetic_mg_per_week ? format_dose(*dose.iwpc_pharmacogenetic_mg_per_week) + " mg/week"
                                                  : std::string("not available"))
        << "</td></tr>\n"
        << "<tr><td>IWPC clinical equation (no genotypes)</td><td class=\"num\">"
        << (dose.iwpc_clinical_mg_per_week ? format_dose(*dose.iwpc_clinical_mg_per_week) + " mg/week"
                                           : std::string("not available"))
        << "</td></tr>\n</tbody></table>\n";
    const double width = 500;
    out << charts::chart_svg(
               width, charts::dose_chart_height(d), [&](cairo_t* cr) { charts::draw_dose_chart(cr, d, width); },
               "dose-chart",
               "Predicted weekly dose " + format_dose(dose.predicted_mg_per_week) + " mg/week with interval " +
                   format_dose(dose.interval_low) + " to " + format_dose(dose.interval_high))
        << "\n";
    if (d.cohort.available) {
        out << "<p id=\"cohort\">Cohort context: " << d.cohort.patients << " IWPC patients with " << h(d.cohort.group)
            << " took a median of " << format_dose(d.cohort.quantiles[3]) << " mg/week (middle half "
            << format_dose(d.cohort.quantiles[2]) << "–" << format_dose(d.cohort.quantiles[4])
            << ", 5th–95th percentile " << format_dose(d.cohort.quantiles[0]) << "–"
            << format_dose(d.cohort.quantiles[6]) << ").";
        if (d.cohort.patient_percentile)
            out << " The predicted dose lies near the " << format_number(*d.cohort.patient_percentile, 0)
                << "th percentile of that group.";
        out << " <span class=\"small muted\">" << h(d.cohort.source) << ".</span></p>\n";
    } else {
        out << "<p id=\"cohort\" class=\"muted\">Cohort context not shown: " << h(d.cohort.reason) << ".</p>\n";
    }
    if (!dose.missing_inputs.empty())
        out << "<p class=\"qc-review\">Inputs missing for the prediction (treated as unknown, not imputed): "
            << h(join(dose.missing_inputs, ", ")) << ".</p>\n";
    if (!dose.notes.empty()) {
        out << "<ul class=\"small\">\n";
        for (const auto& note : dose.notes) out << "<li>" << h(note) << "</li>\n";
        out << "</ul>\n";
    }
}

void guideline_section(std::ostringstream& out, const ReportDocument& d) {
    out << "<h2 id=\"guideline\">CPIC guideline</h2>\n";
    if (d.guideline.empty()) {
        out << "<p>No statement of the " << h(d.guideline_citation)
            << " calls for an adjustment beyond the genotype-guided dose for this patient.</p>\n";
    } else {
        out << "<p>Statements that apply (reported for the clinician; not applied to the predicted dose):</p><ul>\n";
        for (const auto& s : d.guideline) out << "<li class=\"cpic\">" << h(s.advice) << "</li>\n";
        out << "</ul>\n";
    }
    out << "<p class=\"small muted\">Citation: " << h(d.guideline_citation) << ".</p>\n";
}

void drivers_section(std::ostringstream& out, const ReportDocument& d) {
    out << "<h2 id=\"drivers\">What drives the prediction</h2>\n"
        << "<p class=\"small\">Feature contributions (TreeSHAP) in mg/week: starting from the model's average patient ("
        << format_dose(d.dose.baseline_mg_per_week)
        << " mg/week), each input moves the prediction by the amount shown; "
           "together they give the predicted dose.</p>\n";
    const double width = 500;
    out << charts::chart_svg(
               width, charts::drivers_chart_height(d), [&](cairo_t* cr) { charts::draw_drivers_chart(cr, d, width); },
               "drivers-chart", "Contributions of the model inputs to the predicted dose")
        << "\n";
    out << "<table class=\"drivers\"><thead><tr><th>Input</th><th>Value</th><th class=\"num\">mg/week</th></tr></thead><tbody>\n";
    for (const auto& driver : d.dose.drivers)
        out << "<tr><td>" << h(driver.label) << "</td><td>" << h(driver.value) << "</td><td class=\"num\">"
            << (driver.mg_per_week >= 0 ? "+" : "") << format_number(driver.mg_per_week, 2) << "</td></tr>\n";
    out << "</tbody></table>\n";
}

void methods_section(std::ostringstream& out, const ReportDocument& d) {
    out << "<h2 id=\"limitations\">Limitations</h2>\n<ul>\n";
    for (const auto& limitation : d.limitations) out << "<li>" << h(limitation) << "</li>\n";
    out << "</ul>\n";
    out << "<h2 id=\"methods\">Methods</h2>\n";
    for (const auto& paragraph : d.methods.description) out << "<p>" << h(paragraph) << "</p>\n";
    out << "<table class=\"provenance\"><tbody>\n"
        << "<tr><td>genodose version</td><td id=\"genodose-version\">" << h(d.methods.genodose_version)
        << "</td></tr>\n"
        << "<tr><td>Reference build</td><td>" << h(d.methods.reference_build) << "</td></tr>\n"
        << "<tr><td>Allele definitions</td><td>" << h(d.methods.allele_definitions) << "</td></tr>\n"
        << "</tbody></table>\n";
}

// Checksums of every model, data file and input: an appendix, after the sign-off.
void provenance_appendix(std::ostringstream& out, const ReportDocument& d) {
    out << "<h2 id=\"appendix-provenance\">Appendix: provenance</h2>\n";
    auto files = [&](const char* title, const std::vector<ProvenanceFile>& list) {
        out << "<h3>" << title
            << "</h3>\n<table class=\"files\"><thead><tr><th>Role</th><th>File</th><th>SHA-256</th>"
               "<th>Detail</th></tr></thead><tbody>\n";
        for (const auto& f : list)
            out << "<tr><td>" << h(f.role) << "</td><td>" << h(f.file) << "</td><td class=\"mono\">" << h(f.sha256)
                << "</td><td class=\"small\">" << h(f.detail) << "</td></tr>\n";
        out << "</tbody></table>\n";
    };
    files("Models and reference data", d.methods.data_files);
    files("Input files", d.methods.inputs);
}

}  // namespace

std::string render_html(const ReportDocument& d) {
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
        << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        << "<meta name=\"generator\" content=\"genodose " << h(d.methods.genodose_version) << "\">\n"
        << "<title>" << h(d.title) << " — " << h(d.identifiers.patient_id) << "</title>\n"
        << "<style>" << style << "</style>\n</head>\n<body>\n"
        << "<header>\n<h1>" << h(d.title) << "</h1>\n";
    identifiers(out, d);
    out << "</header>\n";
    summary(out, d);
    clinical_inputs_section(out, d);
    out << "<h2 id=\"test\">Test</h2>\n<p>" << h(d.test_description) << "</p>\n";
    if (!d.methods.platform.empty())
        out << "<p>Platform: <span id=\"platform\">" << h(d.methods.platform) << "</span></p>\n";
    results(out, d);
    dose_section(out, d);
    guideline_section(out, d);
    drivers_section(out, d);
    positions_tested_section(out, d);
    methods_section(out, d);
    sign_off(out, d);
    provenance_appendix(out, d);
    out << "<footer id=\"provenance\" class=\"small muted\"><p>Generated " << h(d.provenance.generated_at)
        << " by genodose " << h(d.methods.genodose_version) << ". Report schema " << h(d.schema_version) << ".</p>\n"
        << "<p class=\"mono\">" << h(d.provenance.command_line) << "</p></footer>\n"
        << "</body>\n</html>\n";
    return out.str();
}

}  // namespace genodose::report
