// report.pdf: A4 pages laid out with pango on a cairo PDF surface; charts come from charts.cpp
// (the code that draws the HTML's SVG charts). Laid out twice: the first pass only counts pages
// so that every footer can say "page i of n".
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <functional>

#include "charts.hpp"
#include "genodose/core/error.hpp"
#include "genodose/report/renderers.hpp"
#include "text_util.hpp"

namespace genodose::report {

namespace {

constexpr double page_width = 595.276;  // A4, points
constexpr double page_height = 841.890;
constexpr double margin_left = 48;
constexpr double margin_right = 48;
constexpr double margin_top = 46;
constexpr double margin_bottom = 54;
constexpr double content_width = page_width - margin_left - margin_right;

struct Rgb {
    double r, g, b;
};
constexpr Rgb ink{0.13, 0.13, 0.13};
constexpr Rgb muted{0.42, 0.42, 0.42};
constexpr Rgb accent{0.05, 0.30, 0.60};
constexpr Rgb warn{0.60, 0.29, 0.0};
constexpr Rgb rule{0.80, 0.80, 0.80};
constexpr Rgb header_fill{0.95, 0.96, 0.97};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    if (closure) static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

std::string or_dash(const std::optional<int>& v) { return v ? std::to_string(*v) : "—"; }

struct Column {
    std::string title;
    double width;  // fraction of the content width
    bool right = false;
};

class PdfLayout {
public:
    PdfLayout(cairo_t* cr, const ReportDocument& document, int total_pages, std::vector<PdfPlacement>* trace = nullptr)
        : cr_(cr), document_(document), total_pages_(total_pages), trace_(trace) {
        begin_page();
    }

    int pages() const { return page_; }

    void finish() {
        place(0);
        end_page();
    }

    // A heading is drawn with what follows it: it waits until the next element is placed and
    // moves to a new page with it if both do not fit (a heading never ends a page).
    // A heading waits for what follows it: further headings and short paragraphs (an intro, a
    // depth line) wait with it, and the first table, chart, bullet or box places them all on
    // one page with its own first row. A heading never ends a page, nor is it separated from its
    // table by its introduction.
    void heading(const std::string& text, int level) {
        if (pending_has_paragraph_) place(0);  // heading, text, heading: the first group is complete
        const double h = heading_height(text, level);
        pending_.push_back({h, [this, text, level] { draw_heading(text, level); }});
    }

    void paragraph(const std::string& text, double size = 9, bool bold = false, Rgb c = ink, double indent = 0) {
        const double width = content_width - indent;
        const auto measured = charts::measure_text(cr_, text, size, bold, width);
        auto draw = [this, text, size, bold, c, indent, width, measured] {
            if (trace_) trace_->push_back({"paragraph", page_});
            color(c);
            charts::draw_text(cr_, text, size, bold, margin_left + indent, y_, width);
            y_ += measured.height + 3;
        };
        if (!pending_.empty() && measured.height < 60) {  // waits with its heading (see heading())
            pending_.push_back({measured.height + 3, draw});
            pending_has_paragraph_ = true;
            return;
        }
        place(measured.height + 3);
        draw();
    }

    void bullet(const std::string& text, double size = 8.5, Rgb c = ink) {
        const double indent = 10;
        const auto measured = charts::measure_text(cr_, text, size, false, content_width - indent);
        place(measured.height + 2, "bullet");
        color(c);
        charts::draw_text(cr_, "•", size, false, margin_left + 2, y_);
        charts::draw_text(cr_, text, size, false, margin_left + indent, y_, content_width - indent);
        y_ += measured.height + 2;
    }

private:
    double heading_height(const std::string& text, int level) const {
        const double size = level == 1 ? 16 : level == 2 ? 12 : 10;
        return (level == 1   ? 0
                : level == 2 ? 10
                             : 5) +
               charts::measure_text(cr_, text, size, true, content_width).height + 2 + (level == 2 ? 4 : 0);
    }
    // Makes room for an element of `height` (and the pending heading above it), then draws the
    // heading; records where the element starts for pdf_layout_trace().
    void place(double height, const char* kind = nullptr) {
        if (!pending_.empty()) {
            double waiting = 0;
            for (const auto& p : pending_) waiting += p.height;
            ensure(waiting + height);
            const auto group = std::move(pending_);
            pending_.clear();
            pending_has_paragraph_ = false;
            for (const auto& p : group) p.draw();
        } else {
            ensure(height);
        }
        if (trace_ && kind) trace_->push_back({kind, page_});
    }

    void draw_heading(const std::string& text, int level) {
        const double size = level == 1 ? 16 : level == 2 ? 12 : 10;
        const auto measured = charts::measure_text(cr_, text, size, true, content_width);
        if (trace_) trace_->push_back({"heading:" + text, page_});
        y_ += level == 1 ? 0 : level == 2 ? 10 : 5;
        color(level == 3 ? ink : accent);
        charts::draw_text(cr_, text, size, true, margin_left, y_, content_width);
        y_ += measured.height + 2;
        if (level == 2) {
            color(accent);
            cairo_set_line_width(cr_, 1.2);
            cairo_move_to(cr_, margin_left, y_);
            cairo_line_to(cr_, margin_left + content_width, y_);
            cairo_stroke(cr_);
            y_ += 4;
        }
    }

public:
    void table(const std::vector<Column>& columns, const std::vector<std::vector<std::string>>& rows, double size = 8) {
        const double padding = 2.5;
        auto row_height = [&](const std::vector<std::string>& cells, bool bold) {
            double h = 0;
            for (std::size_t c = 0; c < columns.size(); ++c) {
                const double w = columns[c].width * content_width - 2 * padding;
                h = std::max(h, charts::measure_text(cr_, c < cells.size() ? cells[c] : "", size, bold, w).height);
            }
            return h + 2 * padding;
        };
        std::vector<std::string> titles;
        for (const auto& column : columns) titles.push_back(column.title);
        const double header_height = row_height(titles, true);
        auto draw_row = [&](const std::vector<std::string>& cells, bool header, double h) {
            if (header) {
                cairo_set_source_rgb(cr_, header_fill.r, header_fill.g, header_fill.b);
                cairo_rectangle(cr_, margin_left, y_, content_width, h);
                cairo_fill(cr_);
            }
            double x = margin_left;
            for (std::size_t c = 0; c < columns.size(); ++c) {
                const double w = columns[c].width * content_width;
                color(ink);
                charts::draw_text(cr_, c < cells.size() ? cells[c] : "", size, header, x + padding, y_ + padding,
                                  w - 2 * padding, columns[c].right);
                x += w;
            }
            color(rule);
            cairo_set_line_width(cr_, 0.5);
            cairo_move_to(cr_, margin_left, y_ + h);
            cairo_line_to(cr_, margin_left + content_width, y_ + h);
            cairo_stroke(cr_);
            y_ += h;
        };
        place(header_height + (rows.empty() ? 0 : row_height(rows.front(), false)), "table");
        draw_row(titles, true, header_height);
        for (const auto& cells : rows) {
            const double h = row_height(cells, false);
            if (y_ + h > page_height - margin_bottom) {
                new_page();
                draw_row(titles, true, header_height);
            }
            draw_row(cells, false, h);
        }
        y_ += 4;
    }

    void chart(double height, const std::function<void(cairo_t*)>& draw) {
        place(height + 6, "chart");
        cairo_save(cr_);
        cairo_translate(cr_, margin_left, y_);
        draw(cr_);
        cairo_restore(cr_);
        y_ += height + 6;
    }

    void space(double dy) { y_ += dy; }
    // Starts a new page unless `height` still fits: keeps a heading with its chart.
    void keep_together(double height) {
        place(0);
        ensure(height);
    }

    void boxed(const std::function<void()>& content, Rgb border) {
        // Draw the content, then the frame around what it used (on one page: the box is short).
        place(90, "box");
        const double top = y_;
        const int page = page_;
        y_ += 5;
        content();
        y_ += 3;
        if (page_ == page) {
            color(border);
            cairo_set_line_width(cr_, 1.2);
            cairo_rectangle(cr_, margin_left - 5, top, content_width + 10, y_ - top);
            cairo_stroke(cr_);
        }
        y_ += 6;
    }

    void color(Rgb c) { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }

private:
    void ensure(double height) {
        if (y_ + height > page_height - margin_bottom) new_page();
    }
    void new_page() {
        end_page();
        begin_page();
    }
    void begin_page() {
        ++page_;
        y_ = margin_top;
        if (page_ > 1) {
            color(muted);
            charts::draw_text(cr_, document_.title + " — patient " + document_.identifiers.patient_id, 7.5, false,
                              margin_left, margin_top - 22, content_width);
        }
    }
    void end_page() {
        // Footer: who the page belongs to, and where it sits in the report.
        const double y = page_height - margin_bottom + 18;
        color(rule);
        cairo_set_line_width(cr_, 0.5);
        cairo_move_to(cr_, margin_left, y - 4);
        cairo_line_to(cr_, margin_left + content_width, y - 4);
        cairo_stroke(cr_);
        color(muted);
        charts::draw_text(cr_,
                          "Patient " + document_.identifiers.patient_id + " · sample " +
                              document_.identifiers.sample_id + " · genodose " + document_.methods.genodose_version +
                              " · " + document_.provenance.generated_at,
                          7, false, margin_left, y, content_width * 0.78);
        charts::draw_text(cr_, "page " + std::to_string(page_) + " of " + std::to_string(std::max(total_pages_, page_)),
                          7, false, margin_left, y, content_width, true);
        cairo_show_page(cr_);
    }

    cairo_t* cr_;
    const ReportDocument& document_;
    int total_pages_;
    std::vector<PdfPlacement>* trace_;
    struct Pending {  // a heading or paragraph waiting to be placed with what follows
        double height;
        std::function<void()> draw;
    };
    std::vector<Pending> pending_;
    bool pending_has_paragraph_ = false;
    int page_ = 0;
    double y_ = margin_top;
};

std::string variant_zygosity(const KeyVariant& v) { return v.genotype.empty() ? "not called" : v.zygosity; }

std::vector<std::vector<std::string>> variant_rows(const std::vector<KeyVariant>& variants) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : variants)
        rows.push_back({v.position, v.rsid, v.change, v.defines, v.genotype.empty() ? "not called" : v.genotype,
                        variant_zygosity(v), or_dash(v.depth), or_dash(v.quality)});
    return rows;
}

const std::vector<Column> variant_columns = {{"Position", 0.19},    {"rsID", 0.13},         {"Change", 0.10},
                                             {"Defines", 0.14},     {"Genotype", 0.11},     {"Zygosity", 0.17},
                                             {"Depth", 0.08, true}, {"Quality", 0.08, true}};

// The identifiers, two label/value pairs per row: the header stays short.
void lay_out_identifiers(PdfLayout& pdf, const ReportDocument& d) {
    pdf.heading(d.title, 1);
    std::vector<std::vector<std::string>> ids;
    const auto& i = d.identifiers;
    auto add = [&](const std::string& label, const std::string& value) {
        if (!value.empty()) ids.push_back({label, value});
    };
    add("Patient ID", i.patient_id);
    add("Patient name", i.patient_name);
    add("Date of birth", i.date_of_birth);
    add("Ordering clinician", i.ordering_clinician);
    add("Sample ID", i.sample_id);
    add("Accession", i.accession);
    add("Specimen type", d.specimen.type);
    add("Collected", d.specimen.collection_date);
    add("Received", d.specimen.received_date);
    add("Laboratory", i.laboratory);
    add("Address", d.laboratory.address);
    add("Director", d.laboratory.director);
    add("CLIA number", d.laboratory.clia_number);
    add("CAP number", d.laboratory.cap_number);
    add("Laboratory id", d.laboratory.local_identifier);
    add("Report date (UTC)", d.provenance.generated_at);
    add("Quality control", d.qc.status == "pass" ? "PASS" : "REVIEW");
    std::vector<std::vector<std::string>> id_rows;
    for (std::size_t k = 0; k < ids.size(); k += 2)
        id_rows.push_back(
            {ids[k][0], ids[k][1], k + 1 < ids.size() ? ids[k + 1][0] : "", k + 1 < ids.size() ? ids[k + 1][1] : ""});
    pdf.table({{"Identifier", 0.17}, {"Value", 0.33}, {"Identifier", 0.17}, {"Value", 0.33}}, id_rows, 8);
}

// The box on the first page: the recommendation, the dose, the genotypes and what needs review.
void lay_out_summary(PdfLayout& pdf, const ReportDocument& d) {
    const auto& dose = d.dose;
    pdf.boxed(
        [&] {
            if (!d.headline.recommendation.empty()) pdf.paragraph(d.headline.recommendation, 10, true, ink, 0);
            pdf.paragraph("Model estimate of the maintenance dose: " + format_dose(dose.predicted_mg_per_week) +
                              " mg/week (" + format_number(dose.predicted_mg_per_week / 7.0, 2) + " mg/day)",
                          13, true, accent, 0);
            pdf.paragraph(format_number(dose.interval_coverage * 100, 0) + "% prediction interval " +
                              format_dose(dose.interval_low) + "–" + format_dose(dose.interval_high) +
                              " mg/week. IWPC pharmacogenetic equation: " +
                              (dose.iwpc_pharmacogenetic_mg_per_week
                                   ? format_dose(*dose.iwpc_pharmacogenetic_mg_per_week) + " mg/week."
                                   : std::string("not available.")),
                          9);
            if (dose.interval_recalibrated_on_patients > 0)
                pdf.paragraph("The interval was recalibrated on " +
                                  std::to_string(dose.interval_recalibrated_on_patients) +
                                  " patients of this clinic (genodose dose calibrate).",
                              9);
            for (const auto& caution : d.headline.cautions) pdf.paragraph(caution, 8.5, true, warn);
            // One line per gene, so that no genotype is broken over two lines.
            std::string genes;
            for (const auto& g : d.genes) {
                if (!genes.empty()) genes += "\n";
                // A gene shown as one SNP (VKORC1 rs9923231 C/T (-1639 G/A)) already says its phenotype.
                genes += g.gene + " " + g.genotype_display +
                         (g.phenotype && g.genotype_display.rfind("rs", 0) != 0 ? " (" + *g.phenotype + ")" : "");
            }
            pdf.paragraph(genes, 9);
            if (!d.guideline.empty())
                pdf.paragraph(std::to_string(d.guideline.size()) +
                                  " CPIC guideline statement(s) apply (see below); they are "
                                  "not applied to the predicted dose.",
                              9, true);
            if (d.qc.status != "pass") {
                pdf.paragraph("Needs review:", 9, true, warn);
                for (const auto& reason : d.qc.reasons) pdf.bullet(reason, 8.5, warn);
            }
            pdf.paragraph("To be reviewed by a qualified clinician before use (see the end of the report).", 8, false,
                          muted);
        },
        accent);
}

void lay_out_clinical_inputs(PdfLayout& pdf, const ReportDocument& d) {
    if (!d.clinical_inputs.empty()) {
        pdf.heading("Clinical inputs of the dose", 2);
        std::vector<std::vector<std::string>> input_rows;
        for (const auto& input : d.clinical_inputs)
            input_rows.push_back({input.input, input.missing ? "not recorded (missing for the model)" : input.value});
        pdf.table({{"Input", 0.3}, {"Value used", 0.7}}, input_rows, 8.5);
    }
}

void lay_out_test(PdfLayout& pdf, const ReportDocument& d) {
    pdf.heading("Test", 2);
    pdf.paragraph(d.test_description, 9);
    if (!d.methods.platform.empty()) pdf.paragraph("Platform: " + d.methods.platform, 9);
}

// The results table, then each gene: its key variants, the positions not called, the notes.
void lay_out_results(PdfLayout& pdf, const ReportDocument& d) {
    pdf.heading("Results", 2);
    std::vector<std::vector<std::string>> rows;
    for (const auto& g : d.genes)
        rows.push_back({g.gene, g.genotype_display, g.phenotype.value_or("—"),
                        g.activity_score ? format_number(*g.activity_score, 1) : "—",
                        std::to_string(g.positions_called) + " of " + std::to_string(g.positions_defined),
                        g.status == "called"    ? (g.diplotypes.size() > 1 ? "ambiguous" : "called")
                        : g.status == "no_call" ? "no call"
                                                : "no data"});
    pdf.table({{"Gene", 0.11},
               {"Genotype / diplotype", 0.27},
               {"Phenotype", 0.22},
               {"Activity score", 0.13, true},
               {"Positions called", 0.14, true},
               {"Call", 0.13}},
              rows, 8.5);
    for (const auto& g : d.genes) {
        pdf.heading(g.gene, 3);
        if (g.diplotypes.size() > 1) pdf.paragraph("Equally likely diplotypes: " + join(g.diplotypes, ", ") + ".", 8.5);
        if (g.coverage)
            pdf.paragraph("Read depth over " + g.coverage->region + ": mean " +
                              format_number(g.coverage->mean_depth, 1) + "×, " +
                              format_number(g.coverage->fraction_at_least_20x * 100, 1) +
                              "% of bases at ≥20×, minimum " + std::to_string(g.coverage->min_depth) + "×.",
                          8);
        if (!g.key_variants.empty()) pdf.table(variant_columns, variant_rows(g.key_variants), 7.5);
        if (!g.positions_not_called.empty()) {
            pdf.paragraph("Positions not called (" + std::to_string(g.positions_not_called.size()) + "):", 8.5, true);
            for (const auto& p : g.positions_not_called)
                pdf.bullet((p.rsid.empty() ? p.position : p.rsid + " (" + p.position + ")") + ": " + p.reason, 8);
        }
        if (!g.untestable_alleles.empty())
            pdf.paragraph(
                "Alleles not tested (every defining position missing): " + join(g.untestable_alleles, ", ") + ".", 8);
        for (const auto& note : g.notes) pdf.bullet(note, 8);
    }
    if (!d.other_variants.empty()) {
        pdf.heading("Other warfarin-related variants", 3);
        pdf.table(variant_columns, variant_rows(d.other_variants), 7.5);
    }
}

// The dose beside the IWPC equations, the chart, and where it sits in the cohort.
void lay_out_dose(PdfLayout& pdf, const ReportDocument& d) {
    const auto& dose = d.dose;
    pdf.heading("Predicted dose", 2);
    std::vector<std::vector<std::string>> dose_rows = {
        {"genodose dose model (gradient boosting, IWPC cohort)", format_dose(dose.predicted_mg_per_week) + " mg/week"},
        {format_number(dose.interval_coverage * 100, 0) + "% prediction interval (split-conformal)",
         format_dose(dose.interval_low) + "–" + format_dose(dose.interval_high) + " mg/week"},
        {"IWPC pharmacogenetic equation (NEJM 2009)",
         dose.iwpc_pharmacogenetic_mg_per_week ? format_dose(*dose.iwpc_pharmacogenetic_mg_per_week) + " mg/week"
                                               : "not available"},
        {"IWPC clinical equation (no genotypes)",
         dose.iwpc_clinical_mg_per_week ? format_dose(*dose.iwpc_clinical_mg_per_week) + " mg/week" : "not available"}};
    pdf.table({{"Method", 0.7}, {"Weekly dose", 0.3, true}}, dose_rows, 8.5);
    pdf.chart(charts::dose_chart_height(d), [&](cairo_t* cr) { charts::draw_dose_chart(cr, d, content_width); });
    if (d.cohort.available) {
        std::string text = "Cohort context: " + std::to_string(d.cohort.patients) + " IWPC patients with " +
                           d.cohort.group + " took a median of " + format_dose(d.cohort.quantiles[3]) +
                           " mg/week (middle half " + format_dose(d.cohort.quantiles[2]) + "–" +
                           format_dose(d.cohort.quantiles[4]) + ", 5th–95th percentile " +
                           format_dose(d.cohort.quantiles[0]) + "–" + format_dose(d.cohort.quantiles[6]) + ").";
        if (d.cohort.patient_percentile)
            text += " The predicted dose lies near the " + format_number(*d.cohort.patient_percentile, 0) +
                    "th percentile of that group.";
        pdf.paragraph(text, 8.5);
        pdf.paragraph(d.cohort.source + ".", 7, false, muted);
    } else {
        pdf.paragraph("Cohort context not shown: " + d.cohort.reason + ".", 8.5, false, muted);
    }
    if (!dose.missing_inputs.empty())
        pdf.paragraph("Inputs missing for the prediction (treated as unknown, not imputed): " +
                          join(dose.missing_inputs, ", ") + ".",
                      8.5, true, warn);
    for (const auto& note : dose.notes) pdf.bullet(note, 8);
}

void lay_out_guideline(PdfLayout& pdf, const ReportDocument& d) {
    pdf.heading("CPIC guideline", 2);
    if (d.guideline.empty()) {
        pdf.paragraph("No statement of the " + d.guideline_citation +
                          " calls for an adjustment beyond the genotype-guided dose for this patient.",
                      9);
    } else {
        pdf.paragraph("Statements that apply (reported for the clinician; not applied to the predicted dose):", 9);
        for (const auto& s : d.guideline) pdf.bullet(s.advice, 9);
    }
    pdf.paragraph("Citation: " + d.guideline_citation + ".", 7.5, false, muted);
}

void lay_out_drivers(PdfLayout& pdf, const ReportDocument& d) {
    const auto& dose = d.dose;
    pdf.keep_together(70 + charts::drivers_chart_height(d));
    pdf.heading("What drives the prediction", 2);
    pdf.paragraph(
        "Feature contributions (TreeSHAP) in mg/week: starting from the model's average patient (" +
            format_dose(dose.baseline_mg_per_week) +
            " mg/week), each input moves the prediction by the amount shown; together they give the predicted dose.",
        8.5);
    pdf.chart(charts::drivers_chart_height(d), [&](cairo_t* cr) { charts::draw_drivers_chart(cr, d, content_width); });
}

void lay_out_positions_tested(PdfLayout& pdf, const ReportDocument& d) {
    pdf.heading("Alleles and positions tested", 2);
    for (const auto& g : d.genes) {
        if (g.positions_tested.empty()) continue;
        pdf.heading(g.gene, 3);
        std::string alleles;
        if (!g.alleles_tested.empty()) alleles += "Alleles tested: " + join(g.alleles_tested, ", ") + ". ";
        if (!g.alleles_partly_tested.empty()) alleles += "Partly tested: " + join(g.alleles_partly_tested, ", ") + ". ";
        if (!g.untestable_alleles.empty()) alleles += "Not tested: " + join(g.untestable_alleles, ", ") + ".";
        if (!alleles.empty()) pdf.paragraph(alleles, 7.5);
        std::vector<std::vector<std::string>> position_rows;
        for (const auto& v : g.positions_tested)
            position_rows.push_back(
                {v.position, v.rsid, v.change, v.defines,
                 v.genotype.empty() ? "not called (" + v.status + ")" : v.genotype + " " + v.zygosity});
        pdf.table({{"Position", 0.2}, {"rsID", 0.15}, {"Change", 0.15}, {"Defines", 0.2}, {"Result", 0.3}},
                  position_rows, 7);
    }
}

void lay_out_limitations(PdfLayout& pdf, const ReportDocument& d) {
    pdf.heading("Limitations", 2);
    for (const auto& limitation : d.limitations) pdf.bullet(limitation, 8.5);
}

void lay_out_methods(PdfLayout& pdf, const ReportDocument& d) {
    pdf.heading("Methods", 2);
    for (const auto& paragraph : d.methods.description) pdf.paragraph(paragraph, 8.5);
    pdf.table({{"Item", 0.3}, {"Value", 0.7}},
              {{"genodose version", d.methods.genodose_version},
               {"Reference build", d.methods.reference_build},
               {"Allele definitions", d.methods.allele_definitions},
               {"Platform", d.methods.platform.empty() ? "—" : d.methods.platform}},
              8);
}

// The clinician's review and sign-off, with room to fill it in by hand.
void lay_out_review(PdfLayout& pdf, const ReportDocument& d) {
    pdf.space(6);
    pdf.boxed(
        [&] {
            pdf.paragraph("Clinical review. " + d.review_statement, 9, true, ink);
            pdf.space(8);
            // Blank fields keep two lines of room to be filled in by hand.
            const auto or_room = [](const std::string& value) {
                return value.empty() ? std::string("\u00A0\n\u00A0") : value;
            };
            pdf.table({{"Reviewed and signed by", 0.4}, {"Credentials", 0.3}, {"Date", 0.3}},
                      {{or_room(d.sign_off.name), or_room(d.sign_off.credentials), or_room(d.sign_off.date)},
                       {"Signature:\n\u00A0", "", ""}},
                      9);
        },
        warn);
}

// Checksums of every model, data file and input: an appendix.
void lay_out_provenance(PdfLayout& pdf, const ReportDocument& d) {
    pdf.heading("Appendix: provenance", 2);
    auto files = [&](const std::vector<ProvenanceFile>& list) {
        std::vector<std::vector<std::string>> file_rows;
        for (const auto& f : list) file_rows.push_back({f.role, f.file, f.sha256, f.detail});
        pdf.table({{"Role", 0.15}, {"File", 0.22}, {"SHA-256", 0.38}, {"Detail", 0.25}}, file_rows, 7);
    };
    pdf.heading("Models and reference data", 3);
    files(d.methods.data_files);
    pdf.heading("Input files", 3);
    files(d.methods.inputs);
    pdf.paragraph("Command line: " + d.provenance.command_line, 7, false, muted);
}

void lay_out(PdfLayout& pdf, const ReportDocument& d) {
    lay_out_identifiers(pdf, d);
    lay_out_summary(pdf, d);
    lay_out_clinical_inputs(pdf, d);
    lay_out_test(pdf, d);
    lay_out_results(pdf, d);
    lay_out_dose(pdf, d);
    lay_out_guideline(pdf, d);
    lay_out_drivers(pdf, d);
    lay_out_positions_tested(pdf, d);
    lay_out_limitations(pdf, d);
    lay_out_methods(pdf, d);
    lay_out_review(pdf, d);
    lay_out_provenance(pdf, d);
}

int lay_out_pass(cairo_surface_t* surface, const ReportDocument& d, int total_pages,
                 std::vector<PdfPlacement>* trace = nullptr) {
    cairo_t* cr = cairo_create(surface);
    PdfLayout layout(cr, d, total_pages, trace);
    lay_out(layout, d);
    layout.finish();
    const int pages = layout.pages();
    const cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status != CAIRO_STATUS_SUCCESS)
        throw InternalError(std::string("cairo could not draw the PDF report: ") + cairo_status_to_string(status));
    return pages;
}

}  // namespace

std::vector<PdfPlacement> pdf_layout_trace(const ReportDocument& d) {
    std::vector<PdfPlacement> trace;
    cairo_surface_t* counting = cairo_pdf_surface_create_for_stream(append_to_string, nullptr, page_width, page_height);
    lay_out_pass(counting, d, 0, &trace);
    cairo_surface_finish(counting);
    cairo_surface_destroy(counting);
    return trace;
}

std::string render_pdf(const ReportDocument& d) {
    // Pass 1: count pages (output discarded).
    cairo_surface_t* counting = cairo_pdf_surface_create_for_stream(append_to_string, nullptr, page_width, page_height);
    const int pages = lay_out_pass(counting, d, 0);
    cairo_surface_finish(counting);
    cairo_surface_destroy(counting);

    std::string pdf;
    cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(append_to_string, &pdf, page_width, page_height);
    cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                   (d.title + " — " + d.identifiers.patient_id).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, "genodose");
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR,
                                   ("genodose " + d.methods.genodose_version).c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, "Warfarin pharmacogenomic dosing report");
    // The date comes from the document, never the clock, so re-rendering gives the same bytes.
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, d.provenance.generated_at.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, d.provenance.generated_at.c_str());
    lay_out_pass(surface, d, pages);
    cairo_surface_finish(surface);
    const cairo_status_t status = cairo_surface_status(surface);
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS)
        throw InternalError(std::string("cairo could not write the PDF report: ") + cairo_status_to_string(status));
    return pdf;
}

}  // namespace genodose::report
