// The report a lab signs (issue #22): clinical inputs, CPIC headline, lab/specimen/sign-off
// fields, provenance appendix, headings kept with their tables in the PDF, and FHIR that follows
// the Genomics Reporting IG 3.0.0 (Variant and Haplotype Observations, performer, gender,
// dataAbsentReason).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>

#include "genodose/core/error.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "genodose/report/renderers.hpp"
#include "genodose/report/report_document.hpp"
#include "report_fixture.hpp"

using namespace genodose;
using namespace genodose::report;
using Json = nlohmann::json;

namespace {

ReportDocument lab_document() {
    ReportDocument d = test::sample_document();
    d.identifiers.laboratory = "Example Genomics Laboratory";
    d.laboratory.clia_number = "99D9999999";
    d.laboratory.director = "Dr. D. Director";
    d.specimen = {"peripheral blood", "2025-11-20", "2025-11-21"};
    d.sign_off = {"A. Reviewer", "PhD, FACMG", "2025-11-22"};
    d.clinical_inputs = {{"Age", "64 years", false}, {"Sex", "female", false}, {"Height", "", true}};
    d.headline.recommendation = "CPIC: calculate the dose with a validated pharmacogenetic algorithm (IWPC or Gage).";
    d.headline.cautions = {"Extrapolated: weight 250.0 kg is above the range of the IWPC training cohort."};
    d.methods.platform = "Illumina (example)";
    return d;
}

std::map<std::string, Json> resources(const Json& bundle) {
    std::map<std::string, Json> by_url;
    for (const auto& entry : bundle["entry"]) by_url[entry["fullUrl"].get<std::string>()] = entry["resource"];
    return by_url;
}

bool has_code(const Json& concept, const std::string& code) {
    if (!concept.contains("coding")) return false;
    for (const auto& c : concept["coding"])
        if (c["code"] == code) return true;
    return false;
}

}  // namespace

TEST_CASE("dates in report fields must exist on the calendar", "[report][dates]") {
    CHECK(dosing::is_calendar_date("2024-02-29"));
    CHECK_FALSE(dosing::is_calendar_date("2023-02-29"));
    CHECK_FALSE(dosing::is_calendar_date("2023-02-30"));
    CHECK_FALSE(dosing::is_calendar_date("2023-04-31"));
    CHECK_FALSE(dosing::is_calendar_date("1900-02-29"));
    CHECK(dosing::is_calendar_date("2000-02-29"));
    CHECK_FALSE(dosing::is_calendar_date("2023-13-01"));
    CHECK_FALSE(dosing::is_calendar_date("23-02-01"));
    const std::string patient = R"({"id": "P1", "report": {"date_of_birth": "1960-02-30"}})";
    CHECK_THROWS_WITH(dosing::parse_patient_json(patient, "p.json"),
                      Catch::Contains("p.json") && Catch::Contains("field 'report.date_of_birth'") &&
                          Catch::Contains("not a calendar date"));
    CHECK_THROWS_AS(dosing::parse_patient_json(R"({"id": "P1", "report": {"signed_date": "2025-11-31"}})", "p.json"),
                    InputError);
    CHECK_NOTHROW(dosing::parse_patient_json(R"({"id": "P1", "report": {"collection_date": "2024-02-29"}})", "p.json"));
}

TEST_CASE("bidirectional override characters are neutralised in identifiers", "[report][bidi]") {
    CHECK(neutralize_bidi("abc") == "abc");
    CHECK(neutralize_bidi("a\u202Eb\u2066c\u2069d\u202Ae") == "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
    CHECK(neutralize_bidi("é→\u200F") == "é→\u200F");  // other characters untouched
    CHECK(neutralize_bidi(std::string("a\0b\x1b[31mc\x7f\td\n", 13)) ==
          "a\uFFFDb\uFFFD[31mc\uFFFD\td\n");  // control characters
    ReportDocument d = lab_document();
    d.identifiers.patient_name = "Eve \u202Egnp.exe";
    const ReportDocument read = report_from_json(report_to_json(d), "r.json");
    CHECK(read.identifiers.patient_name == "Eve \uFFFDgnp.exe");
    CHECK(render_html(read).find("\u202E") == std::string::npos);
}

TEST_CASE("HTML: headline first, clinical inputs, lab and sign-off fields, checksums in an appendix",
          "[report][html][lab]") {
    const ReportDocument d = lab_document();
    const std::string html = render_html(d);
    const auto recommendation = html.find("id=\"cpic-recommendation\"");
    const auto dose = html.find("id=\"predicted-dose\"");
    REQUIRE(recommendation != std::string::npos);
    CHECK(recommendation < dose);
    CHECK(html.find("Extrapolated: weight 250.0 kg") != std::string::npos);
    // The VKORC1 line of the summary stays short: the SNP, not the SNP and its restatement.
    const std::string summary = html.substr(
        html.find("id=\"summary\""), html.find("</div>", html.find("id=\"summary\"")) - html.find("id=\"summary\""));
    CHECK(summary.find("rs9923231 C/T (-1639 G/A)</span>") != std::string::npos);
    CHECK(summary.find("-1639 AG") == std::string::npos);
    CHECK(html.find("id=\"clinical-inputs\"") != std::string::npos);
    CHECK(html.find("not recorded (missing for the model)") != std::string::npos);
    CHECK(html.find("99D9999999") != std::string::npos);
    CHECK(html.find("peripheral blood") != std::string::npos);
    CHECK(html.find(">A. Reviewer<") != std::string::npos);
    CHECK(html.find(">PhD, FACMG<") != std::string::npos);
    CHECK(html.find("id=\"tested\"") != std::string::npos);
    // Every SHA-256 is after the sign-off, in the appendix.
    const auto sign_off = html.find("id=\"sign-off\"");
    const auto appendix = html.find("id=\"appendix-provenance\"");
    REQUIRE(sign_off != std::string::npos);
    REQUIRE(appendix != std::string::npos);
    CHECK(sign_off < appendix);
    for (const auto& f : d.methods.data_files)
        if (!f.sha256.empty()) CHECK(html.find(f.sha256) > appendix);
}

TEST_CASE("PDF: a heading is on the same page as the element after it", "[report][pdf][layout]") {
    // Shift everything down by a varying number of limitation lines so that headings land at
    // every height of a page, including the last lines.
    for (int extra = 0; extra < 60; extra += 3) {
        ReportDocument d = lab_document();
        for (int i = 0; i < extra; ++i) d.limitations.push_back("Limitation line " + std::to_string(i) + ".");
        for (auto& g : d.genes) {
            if (!g.coverage) g.coverage = GeneCoverage{"chr10:1-2", 30.0, 0.95, 2};  // a line between heading and table
            for (int i = 0; i < 6; ++i)
                g.positions_tested.push_back({"rs" + std::to_string(1000 + i), "chr10:" + std::to_string(94000000 + i),
                                              "A>G", "*" + std::to_string(i + 2), "A/A", "homozygous reference", 30, 50,
                                              "called"});
        }
        const auto trace = pdf_layout_trace(d);
        REQUIRE_FALSE(trace.empty());
        for (std::size_t i = 0; i + 1 < trace.size(); ++i) {
            if (trace[i].element.rfind("heading:", 0) != 0) continue;
            INFO("extra lines " << extra << ", " << trace[i].element << " then " << trace[i + 1].element);
            CHECK(trace[i].page == trace[i + 1].page);
            // ... and with its table or chart when only short text comes between them.
            std::size_t j = i + 1;
            while (j < trace.size() && (trace[j].element == "paragraph" || trace[j].element.rfind("heading:", 0) == 0))
                ++j;
            if (j < trace.size() && (trace[j].element == "table" || trace[j].element == "chart")) {
                INFO("first table/chart after it: element " << j);
                CHECK(trace[i].page == trace[j].page);
            }
        }
    }
}

TEST_CASE("FHIR: genotypes derive from Variant and Haplotype Observations; performer, gender, dataAbsentReason",
          "[report][fhir][ig3]") {
    ReportDocument d = lab_document();
    d.genes[2].status = "no_data";  // VKORC1 not genotyped
    d.genes[2].diplotypes.clear();
    const Json bundle = Json::parse(render_fhir(d));
    auto by_url = resources(bundle);
    const Json* organization = nullptr;
    const Json* patient = nullptr;
    for (const auto& [url, r] : by_url) {
        if (r["resourceType"] == "Organization") organization = &r;
        if (r["resourceType"] == "Patient") patient = &r;
    }
    // The DiagnosticReport's conclusion leads with CPIC's recommendation, like the report.
    const Json& report = bundle["entry"][0]["resource"];
    CHECK(report["conclusion"].get<std::string>().rfind(d.headline.recommendation, 0) == 0);
    CHECK(report["conclusion"].get<std::string>().find("Extrapolated: weight 250.0 kg") != std::string::npos);
    REQUIRE(organization);
    CHECK((*organization)["name"] == "Example Genomics Laboratory");
    CHECK((*organization)["identifier"][0]["system"] == "urn:oid:2.16.840.1.113883.4.7");
    CHECK((*organization)["identifier"][0]["value"] == "99D9999999");
    REQUIRE(patient);
    CHECK((*patient)["gender"] == "female");

    bool cyp2c9 = false, vkorc1_absent = false;
    for (const auto& [url, o] : by_url) {
        if (o["resourceType"] != "Observation") continue;
        CHECK(o["performer"][0]["reference"] == "urn:uuid:" + (*organization)["id"].get<std::string>());
        const std::string profile = o["meta"]["profile"][0];
        if (profile.find("/genotype") == std::string::npos) continue;
        CHECK_FALSE((o.contains("valueCodeableConcept") && o.contains("dataAbsentReason")));
        if (o.contains("valueCodeableConcept") && o["valueCodeableConcept"]["text"] == "CYP2C9 *1/*3") {
            cyp2c9 = true;
            std::set<std::string> haplotypes;
            bool star3_variant = false;
            for (const auto& from : o["derivedFrom"]) {
                const Json& source = by_url.at(from["reference"].get<std::string>());
                const std::string source_profile = source["meta"]["profile"][0];
                if (source_profile.find("/haplotype") != std::string::npos) {
                    CHECK(has_code(source["code"], "84414-2"));
                    haplotypes.insert(source["valueCodeableConcept"]["text"].get<std::string>());
                } else {
                    REQUIRE(source_profile.find("/variant") != std::string::npos);
                    CHECK(has_code(source["code"], "69548-6"));
                    for (const auto& c : source["component"])
                        if (has_code(c["code"], "81252-9") && has_code(c["valueCodeableConcept"], "rs1057910")) {
                            star3_variant = true;
                            CHECK(has_code(source["valueCodeableConcept"], "LA9633-4"));  // present
                            bool heterozygous = false, position = false;
                            for (const auto& k : source["component"]) {
                                if (has_code(k["code"], "53034-5"))
                                    heterozygous = has_code(k["valueCodeableConcept"], "LA6706-1");
                                if (has_code(k["code"], "81254-5"))
                                    position = k["valueRange"]["low"]["value"] == 94981296;
                            }
                            CHECK(heterozygous);
                            CHECK(position);
                        }
                }
            }
            CHECK(haplotypes == std::set<std::string>{"CYP2C9 *1", "CYP2C9 *3"});
            CHECK(star3_variant);
        }
        if (o.contains("dataAbsentReason") && o["dataAbsentReason"]["text"].get<std::string>().find("VKORC1") == 0) {
            vkorc1_absent = true;
            CHECK(has_code(o["dataAbsentReason"], "not-performed"));
        }
    }
    CHECK(cyp2c9);
    CHECK(vkorc1_absent);
}
