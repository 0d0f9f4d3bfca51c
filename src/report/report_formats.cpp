#include <algorithm>
#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/report/renderers.hpp"

namespace genodose::report {

std::vector<ReportFormat> parse_report_formats(const std::string& list) {
    std::vector<ReportFormat> formats;
    std::istringstream in(list);
    std::string name;
    while (std::getline(in, name, ',')) {
        ReportFormat format;
        if (name == "html") format = ReportFormat::html;
        else if (name == "pdf") format = ReportFormat::pdf;
        else if (name == "fhir") format = ReportFormat::fhir;
        else if (name == "json") format = ReportFormat::json;
        else throw UsageError("--formats: unknown format '" + name + "' (use html, pdf, fhir, json, comma-separated)");
        if (std::find(formats.begin(), formats.end(), format) != formats.end())
            throw UsageError("--formats: '" + name + "' is given twice");
        formats.push_back(format);
    }
    if (formats.empty()) throw UsageError("--formats: give at least one of html, pdf, fhir, json");
    return formats;
}

std::string report_file_name(ReportFormat format) {
    switch (format) {
        case ReportFormat::json: return "report.json";
        case ReportFormat::html: return "report.html";
        case ReportFormat::pdf: return "report.pdf";
        case ReportFormat::fhir: return "report.fhir.json";
    }
    return "report";
}

std::string render(ReportFormat format, const ReportDocument& document) {
    switch (format) {
        case ReportFormat::json: return report_to_json(document);
        case ReportFormat::html: return render_html(document);
        case ReportFormat::pdf: return render_pdf(document);
        case ReportFormat::fhir: return render_fhir(document);
    }
    return {};
}

}  // namespace genodose::report
