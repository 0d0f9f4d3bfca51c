// Fuzz target: the report.json reader (report/report_document.hpp report_from_json, behind
// `genodose report`) and, when the input is a report, rendering it as HTML and FHIR: every
// field's type checks, UTF-8, repeated keys, length limits. A document that was read must
// render (the PDF is left to report_render, which is slower).
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "genodose/report/renderers.hpp"
#include "genodose/report/report_document.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    genodose::fuzz::quiet_logging();
    const std::string text(reinterpret_cast<const char*>(data), size);
    genodose::fuzz::expect_input_errors([&] {
        const auto document = genodose::report::report_from_json(text, "fuzz.json");
        const std::string html = genodose::report::render_html(document);
        GENODOSE_FUZZ_CHECK(html.find('\0') == std::string::npos, "no NUL in HTML");
        genodose::report::render_fhir(document);
    });
    return 0;
}
