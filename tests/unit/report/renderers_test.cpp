#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <set>

#include "genodose/core/error.hpp"
#include "genodose/report/renderers.hpp"
#include "genodose/report/report_document.hpp"
#include "report_fixture.hpp"

using namespace genodose;
using namespace genodose::report;

TEST_CASE("report.json round-trips exactly and is checked field by field", "[report][json]") {
    const ReportDocument d = test::sample_document();
    const std::string json = report_to_json(d);
    const ReportDocument again = report_from_json(json, "r.json");
    CHECK(report_to_json(again) == json);
    CHECK(again.identifiers.patient_id == d.identifiers.patient_id);
    CHECK(again.genes.size() == 3);
    CHECK(again.genes[0].key_variants[0].depth == 31);
    CHECK_FALSE(again.genes[2].key_variants[0].quality.has_value());
    CHECK(again.cohort.histogram.size() == 21);

    auto broken = nlohmann::json::parse(json);
    broken["dose"].erase("interval_low");
    CHECK_THROWS_WITH(report_from_json(broken.dump(), "r.json"),
                      Catch::Contains("r.json: field 'dose.interval_low': missing"));
    broken = nlohmann::json::parse(json);
    broken["schema_version"] = "2";
    CHECK_THROWS_AS(report_from_json(broken.dump(), "r.json"), InputError);
    broken = nlohmann::json::parse(json);
    broken["genes"][0]["positions_called"] = "many";
    CHECK_THROWS_WITH(report_from_json(broken.dump(), "r.json"), Catch::Contains("genes[0].positions_called"));
    broken = nlohmann::json::parse(json);
    broken["provenance"]["generated_at"] = "yesterday";
    CHECK_THROWS_WITH(report_from_json(broken.dump(), "r.json"), Catch::Contains("provenance.generated_at"));
    CHECK_THROWS_WITH(report_from_json("{not json", "r.json"), Catch::Contains("r.json: not valid JSON"));
}

TEST_CASE("numbers are formatted the same way everywhere", "[report]") {
    CHECK(format_dose(27.34) == "27.3");
    CHECK(format_dose(27.35) == "27.4");  // as printf rounds the binary value 27.350000000000001
    CHECK(format_number(-0.04, 1) == "0.0");
    CHECK(format_number(1.0 / 0.0, 1) == "NA");
}

TEST_CASE("HTML report escapes every input value and loads nothing from outside", "[report][html]") {
    const ReportDocument d = test::sample_document();
    const std::string html = render_html(d);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<img") == std::string::npos);
    CHECK(html.find("&lt;script&gt;alert(&#39;pid&#39;)&lt;/script&gt;") != std::string::npos);
    CHECK(html.find("S&amp;1&quot;&lt;b&gt;") != std::string::npos);
    CHECK(html.find("O&#39;Hara &lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    CHECK(html.find("&lt;with&gt; markup &amp; quotes &quot;here&quot;") != std::string::npos);
    CHECK(html.find("p&lt;1&gt;.json") != std::string::npos);
    // Self-contained: no external stylesheet, script, image or font; a CSP forbids them anyway.
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("src=\"") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
    CHECK(html.find("default-src 'none'") != std::string::npos);
    // Key values appear as text.
    CHECK(html.find(">27.3<") != std::string::npos);
    CHECK(html.find("19.1–38.6") != std::string::npos);
    CHECK(html.find(">29.4 mg/week<") != std::string::npos);
    CHECK(html.find("Intermediate Metabolizer") != std::string::npos);
    CHECK(html.find("rs1057910") != std::string::npos);
    CHECK(html.find("Must be reviewed by a qualified clinician.") != std::string::npos);
    // Deterministic.
    CHECK(render_html(d) == html);
}

TEST_CASE("inline SVG charts have document-unique ids and every reference resolves", "[report][html][svg]") {
    const std::string html = render_html(test::sample_document());
    CHECK(html.find("<?xml") == std::string::npos);
    std::size_t charts = 0;
    for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++charts;
    CHECK(charts == 2);
    std::multiset<std::string> ids;
    const std::regex id_pattern("\\bid=\"([^\"]+)\"");
    for (std::sregex_iterator it(html.begin(), html.end(), id_pattern), end; it != end; ++it) ids.insert((*it)[1]);
    for (const auto& id : ids) {
        INFO(id);
        CHECK(ids.count(id) == 1);
    }
    const std::regex ref_pattern("(?:href=\"#|url\\(#)([^\")]+)");
    std::size_t references = 0;
    for (std::sregex_iterator it(html.begin(), html.end(), ref_pattern), end; it != end; ++it) {
        ++references;
        INFO((*it)[1]);
        CHECK(ids.count((*it)[1]) == 1);
    }
    CHECK(references > 10);  // the text of the charts is drawn as glyphs used by reference
    CHECK(html.find("aria-label=\"Predicted weekly dose 27.3 mg/week with interval 19.1 to 38.6\"") !=
          std::string::npos);
}

TEST_CASE("PDF report is a complete, deterministic PDF", "[report][pdf]") {
    const ReportDocument d = test::sample_document();
    const std::string pdf = render_pdf(d);
    REQUIRE(pdf.size() > 5000);
    CHECK(pdf.rfind("%PDF-1.5", 0) == 0);
    CHECK(pdf.find("%%EOF") != std::string::npos);
    CHECK(pdf.find("/CreationDate (20251122101500Z)") != std::string::npos);
    CHECK(render_pdf(d) == pdf);
    ReportDocument later = d;
    later.provenance.generated_at = "2025-11-23T10:15:00Z";
    CHECK(render_pdf(later) != pdf);
}

namespace {
using Json = nlohmann::json;

const Json* find_component(const Json& resource, const std::string& code) {
    for (const auto& c : resource["component"]) {
        if (c["code"].contains("coding") && c["code"]["coding"][0]["code"] == code) return &c;
    }
    return nullptr;
}
}  // namespace

TEST_CASE("FHIR bundle follows the Genomics Reporting IG and its references resolve", "[report][fhir]") {
    const ReportDocument d = test::sample_document();
    const std::string text = render_fhir(d);
    CHECK(render_fhir(d) == text);
    const Json bundle = Json::parse(text);
    CHECK(bundle["resourceType"] == "Bundle");
    CHECK(bundle["type"] == "collection");
    CHECK(bundle["timestamp"] == "2025-11-22T10:15:00Z");
    std::map<std::string, Json> by_url;
    for (const auto& entry : bundle["entry"]) {
        REQUIRE(entry["fullUrl"].get<std::string>().rfind("urn:uuid:", 0) == 0);
        CHECK(by_url.emplace(entry["fullUrl"].get<std::string>(), entry["resource"]).second);
    }
    const Json& report = bundle["entry"][0]["resource"];
    CHECK(report["resourceType"] == "DiagnosticReport");
    CHECK(report["meta"]["profile"][0] ==
          "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/genomic-report");
    CHECK(report["code"]["coding"][0]["system"] == "http://loinc.org");
    CHECK(report["code"]["coding"][0]["code"] == "51969-4");
    CHECK(report["category"][0]["coding"][0]["code"] == "GE");
    CHECK(report["status"] == "preliminary");
    CHECK(report["identifier"][0]["value"] == "ACC-7");
    CHECK(by_url.count(report["subject"]["reference"].get<std::string>()) == 1);
    const Json& patient = by_url[report["subject"]["reference"].get<std::string>()];
    CHECK(patient["resourceType"] == "Patient");
    CHECK(patient["identifier"][0]["value"] == "<script>alert('pid')</script>");  // JSON-escaped, as given
    CHECK(patient["birthDate"] == "1960-02-03");

    int genotypes = 0, implications = 0;
    bool cyp2c9_genotype = false, intermediate = false, dose = false;
    for (const auto& result : report["result"]) {
        const std::string ref = result["reference"];
        REQUIRE(by_url.count(ref) == 1);
        const Json& o = by_url[ref];
        CHECK(o["resourceType"] == "Observation");
        CHECK(by_url.count(o["subject"]["reference"].get<std::string>()) == 1);
        const std::string profile = o["meta"]["profile"][0];
        if (profile.find("/variant") != std::string::npos || profile.find("/haplotype") != std::string::npos) {
            continue;  // checked in "FHIR genotypes derive from Variant and Haplotype Observations"
        } else if (profile.find("/genotype") != std::string::npos) {
            ++genotypes;
            CHECK(o["code"]["coding"][0]["code"] == "84413-4");
            CHECK(o["category"][1]["coding"][0]["code"] == "GE");
            if (o.contains("valueCodeableConcept") && o["valueCodeableConcept"]["text"] == "CYP2C9 *1/*3") {
                cyp2c9_genotype = true;
                const Json* gene = find_component(o, "48018-6");
                REQUIRE(gene);
                CHECK((*gene)["valueCodeableConcept"]["coding"][0]["code"] == "HGNC:2623");
                const Json* assembly = find_component(o, "62374-4");
                REQUIRE(assembly);
                CHECK((*assembly)["valueCodeableConcept"]["coding"][0]["code"] == "LA26806-2");
            }
        } else {
            CHECK(profile == "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/therapeutic-implication");
            ++implications;
            REQUIRE(find_component(o, "51963-7"));
            CHECK((*find_component(o, "51963-7"))["valueCodeableConcept"]["coding"][0]["code"] == "11289");
            for (const auto& from : o["derivedFrom"]) CHECK(by_url.count(from["reference"].get<std::string>()) == 1);
            CHECK_FALSE(find_component(o, "predicted-therapeutic-implication"));  // not in IG 3.0.0
            const Json* implication = find_component(o, "therapeutic-implication");
            if (implication && (*implication)["valueCodeableConcept"].contains("coding") &&
                (*implication)["valueCodeableConcept"]["coding"][0]["code"] == "LA10317-8")
                intermediate = true;
            for (const auto& c : o["component"])
                if (c.contains("valueQuantity") && c["valueQuantity"]["value"] == 27.3 &&
                    c["valueQuantity"]["code"] == "mg/wk")
                    dose = true;
        }
    }
    CHECK(genotypes == 4);     // CYP2C9, CYP4F2, VKORC1, rs12777823
    CHECK(implications == 4);  // CYP2C9 and VKORC1 phenotypes, the dose, one CPIC statement
    CHECK(cyp2c9_genotype);
    CHECK(intermediate);
    CHECK(dose);
}

TEST_CASE("report formats parse strictly", "[report]") {
    CHECK(parse_report_formats("html,pdf,fhir").size() == 3);
    CHECK(report_file_name(ReportFormat::fhir) == "report.fhir.json");
    CHECK_THROWS_AS(parse_report_formats("html,docx"), UsageError);
    CHECK_THROWS_AS(parse_report_formats("pdf,pdf"), UsageError);
    CHECK_THROWS_AS(parse_report_formats(""), UsageError);
}

TEST_CASE("a report with the least information still renders in every format", "[report]") {
    ReportDocument d = test::sample_document();
    d.identifiers = {"P", "S", "", "", "", "", ""};
    for (auto& gene : d.genes) {
        gene.status = "no_call";
        gene.diplotypes.clear();
        gene.genotype_display = "no call";
        gene.phenotype.reset();
        gene.activity_score.reset();
        gene.key_variants.clear();
        gene.coverage.reset();
    }
    d.other_variants.clear();
    d.dose.drivers.clear();
    d.dose.iwpc_pharmacogenetic_mg_per_week.reset();
    d.dose.iwpc_clinical_mg_per_week.reset();
    d.dose.missing_inputs = {"CYP2C9", "VKORC1", "height"};
    d.guideline.clear();
    d.cohort = CohortContext{};
    d.cohort.reason = "no single CYP2C9 diplotype was called";
    const ReportDocument again = report_from_json(report_to_json(d), "r.json");
    const std::string html = render_html(again);
    CHECK(html.find("Cohort context not shown: no single CYP2C9 diplotype was called") != std::string::npos);
    CHECK(html.find("IWPC pharmacogenetic equation: <span id=\"iwpc-dose\">not available</span>") != std::string::npos);
    CHECK(html.find("no contributions") == std::string::npos);  // drawn as glyphs, not text
    const std::string pdf = render_pdf(again);
    CHECK(pdf.rfind("%PDF-", 0) == 0);
    const auto bundle = nlohmann::json::parse(render_fhir(again));
    for (const auto& entry : bundle["entry"]) {
        const auto& r = entry["resource"];
        // A gene not determined has no value but a dataAbsentReason (FHIR obs-6: one or the other).
        // at(), not operator[]: on a const json a missing key is undefined behaviour, not an error.
        if (r.contains("meta") && r.at("meta").contains("profile") &&
            r.at("meta").at("profile").at(0).get<std::string>().find("/genotype") != std::string::npos) {
            CHECK_FALSE(r.contains("valueCodeableConcept"));
            REQUIRE(r.contains("dataAbsentReason"));
            const std::string reason = r.at("dataAbsentReason").at("text").get<std::string>();
            if (reason.rfind("CYP2C9", 0) == 0) CHECK(reason == "CYP2C9 no call (not determined: no call)");
        }
    }
}
