// The report formats, each a pure function of a ReportDocument (report.json):
//
//   std::string html = render_html(document);   // one self-contained file, inline SVG charts
//   std::string pdf  = render_pdf(document);    // cairo + pango; the same chart drawing code
//   std::string fhir = render_fhir(document);   // HL7 FHIR R4 Bundle, Genomics Reporting IG
//
// Same document, same bytes: nothing here reads the clock or the environment, so a report
// re-rendered from its JSON (`genodose report`) is byte-identical to the original.
#pragma once

#include <string>
#include <vector>

#include "genodose/report/report_document.hpp"

namespace genodose::report {

std::string render_html(const ReportDocument& document);
std::string render_pdf(const ReportDocument& document);
// Where render_pdf places each element: "heading:<text>", "table", "paragraph", "bullet",
// "chart", "box", with its page, in drawing order (for tests of the page layout).
struct PdfPlacement {
    std::string element;
    int page = 0;
};
std::vector<PdfPlacement> pdf_layout_trace(const ReportDocument& document);
std::string render_fhir(const ReportDocument& document);  // docs/fhir.md

enum class ReportFormat { json, html, pdf, fhir };

// "html,pdf,fhir" (also "json"); UsageError naming an unknown or repeated format.
std::vector<ReportFormat> parse_report_formats(const std::string& list);
std::string report_file_name(ReportFormat format);  // "report.html", "report.fhir.json", ...
std::string render(ReportFormat format, const ReportDocument& document);

}  // namespace genodose::report
