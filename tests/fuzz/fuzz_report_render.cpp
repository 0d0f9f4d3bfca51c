// Fuzz target: report rendering with hostile identifiers. The input's bytes (invalid UTF-8,
// NUL, control and bidi characters included) become the patient id, name and laboratory of the
// bundled example report (corpus/report_render seeds are such byte strings); the document goes
// through report.json (writing and reading it back, as `genodose report` does) and is rendered
// as HTML, FHIR and PDF. Invalid UTF-8 must be an input error (exit 3), never a crash or an
// internal error; a document that was read must render without NUL or bidi overrides in HTML.
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "fuzz_common.hpp"
#include "genodose/report/renderers.hpp"
#include "genodose/report/report_document.hpp"

#ifndef GENODOSE_FUZZ_EXAMPLE_REPORT
#error "GENODOSE_FUZZ_EXAMPLE_REPORT (the example report.json) must be defined by the build"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace genodose::report;
    genodose::fuzz::quiet_logging();
    static const ReportDocument example = [] {
        std::ifstream in(GENODOSE_FUZZ_EXAMPLE_REPORT, std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        return report_from_json(text.str(), GENODOSE_FUZZ_EXAMPLE_REPORT);
    }();
    const std::string value(reinterpret_cast<const char*>(data), size);
    ReportDocument document = example;
    document.identifiers.patient_id = value.substr(0, 300);
    document.identifiers.patient_name = value;
    document.identifiers.laboratory = value.substr(value.size() / 2);
    genodose::fuzz::expect_input_errors([&] {
        // Through report.json: the writer keeps bytes as they are (nlohmann-json refuses invalid
        // UTF-8 with type_error 316, which must not escape as an internal error).
        std::string json;
        try {
            json = report_to_json(document);
        } catch (const std::exception&) {
            json = std::string("{\"identifiers\": {\"patient_id\": \"") + value + "\"}}";
        }
        const ReportDocument read = report_from_json(json, "fuzz.json");
        const std::string html = render_html(read);
        GENODOSE_FUZZ_CHECK(html.find('\0') == std::string::npos, "no NUL in HTML");
        GENODOSE_FUZZ_CHECK(html.find("\u202e") == std::string::npos, "no U+202E in HTML");
        render_fhir(read);
        render_pdf(read);
    });
    return 0;
}
