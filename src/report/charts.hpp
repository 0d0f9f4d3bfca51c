// Private to report/: the report's charts, drawn once with cairo and pango onto any cairo
// surface — an SVG surface for the HTML report, the PDF page for the PDF report.
//
//   draw_dose_chart(cr, document, width);                       // at the current origin
//   std::string svg = chart_svg(width, height, draw, "c1", "Predicted dose ...");
#pragma once

#include <cairo.h>

#include <functional>
#include <string>
#include <vector>

#include "genodose/report/report_document.hpp"

namespace genodose::report::charts {

inline constexpr const char* font_family = "DejaVu Sans";

// Predicted dose with its interval, the IWPC-equation dose and, when available, the dose
// histogram of the patient's IWPC genotype group.
double dose_chart_height(const ReportDocument& document);
void draw_dose_chart(cairo_t* cr, const ReportDocument& document, double width);

// Feature contributions (mg/week) as a bar chart around zero, largest first.
double drivers_chart_height(const ReportDocument& document);
void draw_drivers_chart(cairo_t* cr, const ReportDocument& document, double width);

// One row per sample of a batch: dose and interval (failed samples are listed without a bar).
struct DoseRow {
    std::string label;
    bool has_dose = false;
    double dose = 0, low = 0, high = 0;
};
double dose_rows_chart_height(const std::vector<DoseRow>& rows);
void draw_dose_rows_chart(cairo_t* cr, const std::vector<DoseRow>& rows, double width);

// Renders `draw` on a width×height (pt) SVG surface and returns an <svg> element ready to be
// inlined in HTML: no XML prolog, every id prefixed with `id_prefix` (several charts share one
// document), role="img" with `label` (HTML-escaped) as its accessible name.
std::string chart_svg(double width, double height, const std::function<void(cairo_t*)>& draw,
                      const std::string& id_prefix, const std::string& label);

// Text with pango at the current point; returns the laid-out size (pt). `max_width` <= 0: no wrap.
struct TextSize {
    double width = 0, height = 0;
};
TextSize draw_text(cairo_t* cr, const std::string& text, double size, bool bold, double x, double y,
                   double max_width = 0, bool right_align = false);
TextSize measure_text(cairo_t* cr, const std::string& text, double size, bool bold, double max_width = 0);

}  // namespace genodose::report::charts
