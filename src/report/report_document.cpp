#include "genodose/report/report_document.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "genodose/core/checked_json.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/text_input.hpp"

namespace genodose::report {

using Json = nlohmann::ordered_json;

const GeneResult* ReportDocument::gene(const std::string& name) const {
    for (const auto& g : genes)
        if (g.gene == name) return &g;
    return nullptr;
}

std::string format_number(double value, int decimals) {
    if (!std::isfinite(value)) return "NA";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    if (text == "-0" || text.rfind("-0.", 0) == 0) {
        // "-0.0" reads as a sign where there is none.
        bool all_zero = true;
        for (char c : text.substr(1))
            if (c != '0' && c != '.') all_zero = false;
        if (all_zero) text = text.substr(1);
    }
    return text;
}

std::string format_dose(double mg_per_week) { return format_number(mg_per_week, 1); }

std::string neutralize_bidi(const std::string& text) {
    // UTF-8: U+202A..U+202E = E2 80 AA..AE; U+2066..U+2069 = E2 81 A6..A9.
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
        if (i + 2 < text.size() && b(0) == 0xE2 &&
            ((b(1) == 0x80 && b(2) >= 0xAA && b(2) <= 0xAE) || (b(1) == 0x81 && b(2) >= 0xA6 && b(2) <= 0xA9))) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            i += 2;
            continue;
        }
        if ((b(0) < 0x20 && b(0) != '\t' && b(0) != '\n') || b(0) == 0x7f) {
            out += "\xEF\xBF\xBD";
            continue;
        }
        out += text[i];
    }
    return out;
}

namespace {

// Numbers are rounded in the JSON so that every renderer, and a re-render, shows the same digits.
double rounded(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

Json optional_number(const std::optional<double>& value, int decimals) {
    return value ? Json(rounded(*value, decimals)) : Json(nullptr);
}
Json optional_int(const std::optional<int>& value) { return value ? Json(*value) : Json(nullptr); }
Json optional_string(const std::optional<std::string>& value) { return value ? Json(*value) : Json(nullptr); }

Json variant_json(const KeyVariant& v) {
    Json j;
    j["rsid"] = v.rsid;
    j["position"] = v.position;
    j["change"] = v.change;
    j["defines"] = v.defines;
    j["genotype"] = v.genotype;
    j["zygosity"] = v.zygosity;
    j["depth"] = optional_int(v.depth);
    j["quality"] = optional_int(v.quality);
    j["status"] = v.status;
    return j;
}

Json provenance_file_json(const ProvenanceFile& f) {
    Json j;
    j["role"] = f.role;
    j["file"] = f.file;
    j["sha256"] = f.sha256;
    j["detail"] = f.detail;
    return j;
}

// Reading: every accessor names the field path on error.
class Reader {
public:
    explicit Reader(std::string source) : source_(std::move(source)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const {
        throw InputError(file_message(source_, "field '" + path + "': " + what),
                         "report.json is written by genodose run/batch; see docs/report-schema.md");
    }
    const Json& at(const Json& object, const std::string& key, const std::string& path) const {
        if (!object.is_object()) fail(path, "expected an object");
        auto it = object.find(key);
        if (it == object.end()) fail(path + "." + key, "missing");
        return *it;
    }
    std::string string(const Json& object, const std::string& key, const std::string& path) const {
        const Json& v = at(object, key, path);
        if (!v.is_string()) fail(path + "." + key, "expected a string, got " + v.dump());
        return v.get<std::string>();
    }
    std::optional<std::string> optional_string(const Json& object, const std::string& key,
                                               const std::string& path) const {
        const Json& v = at(object, key, path);
        if (v.is_null()) return std::nullopt;
        if (!v.is_string()) fail(path + "." + key, "expected a string or null, got " + v.dump());
        return v.get<std::string>();
    }
    double number(const Json& object, const std::string& key, const std::string& path) const {
        const Json& v = at(object, key, path);
        if (!v.is_number()) fail(path + "." + key, "expected a number, got " + v.dump());
        return v.get<double>();
    }
    std::optional<double> optional_number(const Json& object, const std::string& key, const std::string& path) const {
        const Json& v = at(object, key, path);
        if (v.is_null()) return std::nullopt;
        if (!v.is_number()) fail(path + "." + key, "expected a number or null, got " + v.dump());
        return v.get<double>();
    }
    int integer(const Json& object, const std::string& key, const std::string& path) const {
        const Json& v = at(object, key, path);
        if (!v.is_number_integer()) fail(path + "." + key, "expected an integer, got " + v.dump());
        return v.get<int>();
    }
    std::optional<int> optional_int(const Json& object, const std::string& key, const std::string& path) const {
        const Json& v = at(object, key, path);
        if (v.is_null()) return std::nullopt;
        if (!v.is_number_integer()) fail(path + "." + key, "expected an integer or null, got " + v.dump());
        return v.get<int>();
    }
    bool boolean(const Json& object, const std::string& key, const std::string& path) const {
        const Json& v = at(object, key, path);
        if (!v.is_boolean()) fail(path + "." + key, "expected true or false, got " + v.dump());
        return v.get<bool>();
    }
    const Json& array(const Json& object, const std::string& key, const std::string& path) const {
        const Json& v = at(object, key, path);
        if (!v.is_array()) fail(path + "." + key, "expected a list");
        return v;
    }
    std::vector<std::string> strings(const Json& object, const std::string& key, const std::string& path) const {
        std::vector<std::string> out;
        const Json& list = array(object, key, path);
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (!list[i].is_string()) fail(path + "." + key + "[" + std::to_string(i) + "]", "expected a string");
            out.push_back(list[i].get<std::string>());
        }
        return out;
    }

    // Fields added within schema "1": absent in older report.json files.
    std::string string_or_empty(const Json& object, const std::string& key, const std::string& path) const {
        if (object.is_object() && !object.contains(key)) return {};
        return string(object, key, path);
    }
    std::vector<std::string> strings_or_empty(const Json& object, const std::string& key,
                                              const std::string& path) const {
        if (object.is_object() && !object.contains(key)) return {};
        return strings(object, key, path);
    }
    const Json& object_or_empty(const Json& object, const std::string& key, const std::string& path) const {
        static const Json empty = Json::object();
        if (object.is_object() && !object.contains(key)) return empty;
        const Json& v = at(object, key, path);
        if (!v.is_object()) fail(path.empty() ? key : path + "." + key, "expected an object");
        return v;
    }

private:
    std::string source_;
};

KeyVariant read_variant(const Reader& r, const Json& j, const std::string& path) {
    KeyVariant v;
    v.rsid = r.string(j, "rsid", path);
    v.position = r.string(j, "position", path);
    v.change = r.string(j, "change", path);
    v.defines = r.string(j, "defines", path);
    v.genotype = r.string(j, "genotype", path);
    v.zygosity = r.string(j, "zygosity", path);
    v.depth = r.optional_int(j, "depth", path);
    v.quality = r.optional_int(j, "quality", path);
    v.status = r.string(j, "status", path);
    return v;
}

ProvenanceFile read_provenance_file(const Reader& r, const Json& j, const std::string& path) {
    return {r.string(j, "role", path), r.string(j, "file", path), r.string(j, "sha256", path),
            r.string(j, "detail", path)};
}

}  // namespace

namespace {

Json identifiers_json(const ReportIdentifiers& identifiers) {
    Json ids;
    ids["patient_id"] = identifiers.patient_id;
    ids["sample_id"] = identifiers.sample_id;
    ids["patient_name"] = identifiers.patient_name;
    ids["date_of_birth"] = identifiers.date_of_birth;
    ids["ordering_clinician"] = identifiers.ordering_clinician;
    ids["laboratory"] = identifiers.laboratory;
    ids["accession"] = identifiers.accession;
    return ids;
}

Json laboratory_json(const LaboratoryInfo& laboratory) {
    Json lab;
    lab["address"] = laboratory.address;
    lab["director"] = laboratory.director;
    lab["clia_number"] = laboratory.clia_number;
    lab["cap_number"] = laboratory.cap_number;
    lab["local_identifier"] = laboratory.local_identifier;
    return lab;
}

Json specimen_json(const SpecimenInfo& in) {
    Json specimen;
    specimen["type"] = in.type;
    specimen["collection_date"] = in.collection_date;
    specimen["received_date"] = in.received_date;
    return specimen;
}

Json headline_json(const Headline& in) {
    Json headline;
    headline["recommendation"] = in.recommendation;
    headline["cautions"] = in.cautions;
    return headline;
}

Json clinical_inputs_json(const std::vector<ClinicalInput>& inputs) {
    Json clinical = Json::array();
    for (const auto& input : inputs) {
        Json j;
        j["input"] = input.input;
        j["value"] = input.value;
        j["missing"] = input.missing;
        clinical.push_back(j);
    }
    return clinical;
}

Json qc_json(const QcSummary& in) {
    Json qc;
    qc["status"] = in.status;
    qc["reasons"] = in.reasons;
    return qc;
}

Json gene_json(const GeneResult& g) {
    Json j;
    j["gene"] = g.gene;
    j["status"] = g.status;
    j["diplotypes"] = g.diplotypes;
    j["genotype_display"] = g.genotype_display;
    j["phenotype"] = optional_string(g.phenotype);
    // Present only when they say something (a report.json without them reads back the same).
    if (g.phenotype_qualifier) j["phenotype_qualifier"] = *g.phenotype_qualifier;
    if (!g.key_alleles_not_tested.empty()) j["key_alleles_not_tested"] = g.key_alleles_not_tested;
    j["activity_score"] = optional_number(g.activity_score, 2);
    j["positions_defined"] = g.positions_defined;
    j["positions_called"] = g.positions_called;
    Json variants = Json::array();
    for (const auto& v : g.key_variants) variants.push_back(variant_json(v));
    j["key_variants"] = variants;
    Json not_called = Json::array();
    for (const auto& p : g.positions_not_called) {
        Json n;
        n["rsid"] = p.rsid;
        n["position"] = p.position;
        n["status"] = p.status;
        n["reason"] = p.reason;
        not_called.push_back(n);
    }
    j["positions_not_called"] = not_called;
    j["untestable_alleles"] = g.untestable_alleles;
    Json tested = Json::array();
    for (const auto& v : g.positions_tested) tested.push_back(variant_json(v));
    j["positions_tested"] = tested;
    j["alleles_tested"] = g.alleles_tested;
    j["alleles_partly_tested"] = g.alleles_partly_tested;
    j["notes"] = g.notes;
    if (g.coverage) {
        Json c;
        c["region"] = g.coverage->region;
        c["mean_depth"] = rounded(g.coverage->mean_depth, 1);
        c["fraction_at_least_20x"] = rounded(g.coverage->fraction_at_least_20x, 4);
        c["min_depth"] = g.coverage->min_depth;
        j["coverage"] = c;
    } else {
        j["coverage"] = nullptr;
    }
    return j;
}

Json dose_json(const DoseResult& in) {
    Json dose;
    dose["predicted_mg_per_week"] = rounded(in.predicted_mg_per_week, 1);
    dose["interval_low"] = rounded(in.interval_low, 1);
    dose["interval_high"] = rounded(in.interval_high, 1);
    dose["interval_coverage"] = rounded(in.interval_coverage, 3);
    // Only for a recalibrated model, so that reports of the model as trained keep their bytes.
    if (in.interval_recalibrated_on_patients > 0)
        dose["interval_recalibrated_on_patients"] = in.interval_recalibrated_on_patients;
    dose["iwpc_pharmacogenetic_mg_per_week"] = optional_number(in.iwpc_pharmacogenetic_mg_per_week, 1);
    dose["iwpc_clinical_mg_per_week"] = optional_number(in.iwpc_clinical_mg_per_week, 1);
    dose["baseline_mg_per_week"] = rounded(in.baseline_mg_per_week, 1);
    Json drivers = Json::array();
    for (const auto& driver : in.drivers) {
        Json j;
        j["feature"] = driver.feature;
        j["label"] = driver.label;
        j["value"] = driver.value;
        j["mg_per_week"] = rounded(driver.mg_per_week, 2);
        drivers.push_back(j);
    }
    dose["drivers"] = drivers;
    dose["missing_inputs"] = in.missing_inputs;
    dose["notes"] = in.notes;
    dose["missing_core_inputs"] = in.missing_core_inputs;
    dose["extrapolations"] = in.extrapolations;
    return dose;
}

Json guideline_json(const std::string& citation, const std::vector<GuidelineStatement>& in) {
    Json guideline;
    guideline["citation"] = citation;
    Json statements = Json::array();
    for (const auto& s : in) {
        Json j;
        j["code"] = s.code;
        j["advice"] = s.advice;
        j["change_low"] = optional_number(s.change_low, 3);
        j["change_high"] = optional_number(s.change_high, 3);
        statements.push_back(j);
    }
    guideline["statements"] = statements;
    return guideline;
}

Json cohort_json(const CohortContext& in) {
    Json cohort;
    cohort["available"] = in.available;
    cohort["reason"] = in.reason;
    cohort["group"] = in.group;
    cohort["patients"] = in.patients;
    Json quantiles = Json::array();
    for (double q : in.quantiles) quantiles.push_back(rounded(q, 1));
    cohort["quantiles"] = quantiles;
    cohort["bin_width"] = rounded(in.bin_width, 3);
    cohort["histogram"] = in.histogram;
    cohort["patient_percentile"] = optional_number(in.patient_percentile, 0);
    cohort["source"] = in.source;
    return cohort;
}

Json methods_json(const Methods& in) {
    Json methods;
    methods["genodose_version"] = in.genodose_version;
    methods["reference_build"] = in.reference_build;
    methods["allele_definitions"] = in.allele_definitions;
    methods["platform"] = in.platform;
    methods["description"] = in.description;
    Json data_files = Json::array();
    for (const auto& f : in.data_files) data_files.push_back(provenance_file_json(f));
    methods["data_files"] = data_files;
    Json inputs = Json::array();
    for (const auto& f : in.inputs) inputs.push_back(provenance_file_json(f));
    methods["inputs"] = inputs;
    return methods;
}

Json sign_off_json(const SignOff& in) {
    Json sign_off;
    sign_off["name"] = in.name;
    sign_off["credentials"] = in.credentials;
    sign_off["date"] = in.date;
    return sign_off;
}

Json provenance_json(const Provenance& in) {
    Json provenance;
    provenance["generated_at"] = in.generated_at;
    provenance["command_line"] = in.command_line;
    return provenance;
}

}  // namespace

std::string report_to_json(const ReportDocument& d) {
    Json root;
    root["schema_version"] = d.schema_version;
    root["title"] = d.title;
    root["test_description"] = d.test_description;
    root["identifiers"] = identifiers_json(d.identifiers);
    root["input_kind"] = d.input_kind;
    root["laboratory"] = laboratory_json(d.laboratory);
    root["specimen"] = specimen_json(d.specimen);
    root["headline"] = headline_json(d.headline);
    root["clinical_inputs"] = clinical_inputs_json(d.clinical_inputs);
    root["qc"] = qc_json(d.qc);
    Json genes = Json::array();
    for (const auto& g : d.genes) genes.push_back(gene_json(g));
    root["genes"] = genes;
    Json others = Json::array();
    for (const auto& v : d.other_variants) others.push_back(variant_json(v));
    root["other_variants"] = others;
    root["limitations"] = d.limitations;
    root["dose"] = dose_json(d.dose);
    root["guideline"] = guideline_json(d.guideline_citation, d.guideline);
    root["cohort"] = cohort_json(d.cohort);
    root["methods"] = methods_json(d.methods);
    root["review_statement"] = d.review_statement;
    root["sign_off"] = sign_off_json(d.sign_off);
    root["provenance"] = provenance_json(d.provenance);
    return root.dump(2) + "\n";
}

namespace {

ReportIdentifiers read_identifiers(const Reader& r, const Json& root, const std::string& source) {
    ReportIdentifiers identifiers;
    const Json& ids = r.at(root, "identifiers", "");
    identifiers.patient_id = r.string(ids, "patient_id", "identifiers");
    identifiers.sample_id = r.string(ids, "sample_id", "identifiers");
    identifiers.patient_name = r.string(ids, "patient_name", "identifiers");
    identifiers.date_of_birth = r.string(ids, "date_of_birth", "identifiers");
    identifiers.ordering_clinician = r.string(ids, "ordering_clinician", "identifiers");
    identifiers.laboratory = r.string(ids, "laboratory", "identifiers");
    identifiers.accession = r.string(ids, "accession", "identifiers");
    for (std::string* id :
         {&identifiers.patient_id, &identifiers.sample_id, &identifiers.patient_name, &identifiers.date_of_birth,
          &identifiers.ordering_clinician, &identifiers.laboratory, &identifiers.accession}) {
        const bool identifier = id == &identifiers.patient_id || id == &identifiers.sample_id;
        require_max_length(*id, identifier ? max_identifier_bytes : max_text_field_bytes,
                           file_message(source, "an identifier in \"identifiers\""));
        *id = neutralize_bidi(*id);
    }
    return identifiers;
}

// Fields added within schema "1" (laboratory, specimen, headline, sign-off): absent in older files.
LaboratoryInfo read_laboratory(const Reader& r, const Json& root) {
    LaboratoryInfo laboratory;
    const Json& lab = r.object_or_empty(root, "laboratory", "");
    laboratory.address = neutralize_bidi(r.string_or_empty(lab, "address", "laboratory"));
    laboratory.director = neutralize_bidi(r.string_or_empty(lab, "director", "laboratory"));
    laboratory.clia_number = neutralize_bidi(r.string_or_empty(lab, "clia_number", "laboratory"));
    laboratory.cap_number = neutralize_bidi(r.string_or_empty(lab, "cap_number", "laboratory"));
    laboratory.local_identifier = neutralize_bidi(r.string_or_empty(lab, "local_identifier", "laboratory"));
    return laboratory;
}

SpecimenInfo read_specimen(const Reader& r, const Json& root) {
    SpecimenInfo in;
    const Json& specimen = r.object_or_empty(root, "specimen", "");
    in.type = neutralize_bidi(r.string_or_empty(specimen, "type", "specimen"));
    in.collection_date = neutralize_bidi(r.string_or_empty(specimen, "collection_date", "specimen"));
    in.received_date = neutralize_bidi(r.string_or_empty(specimen, "received_date", "specimen"));
    return in;
}

Headline read_headline(const Reader& r, const Json& root) {
    Headline in;
    const Json& headline = r.object_or_empty(root, "headline", "");
    in.recommendation = r.string_or_empty(headline, "recommendation", "headline");
    in.cautions = r.strings_or_empty(headline, "cautions", "headline");
    return in;
}

std::vector<ClinicalInput> read_clinical_inputs(const Reader& r, const Json& root) {
    std::vector<ClinicalInput> clinical_inputs;
    if (root.contains("clinical_inputs")) {
        const Json& inputs = r.array(root, "clinical_inputs", "");
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            const std::string p = "clinical_inputs[" + std::to_string(k) + "]";
            clinical_inputs.push_back(
                {r.string(inputs[k], "input", p), r.string(inputs[k], "value", p), r.boolean(inputs[k], "missing", p)});
        }
    }
    return clinical_inputs;
}

QcSummary read_qc(const Reader& r, const Json& root) {
    QcSummary in;
    const Json& qc = r.at(root, "qc", "");
    in.status = r.string(qc, "status", "qc");
    in.reasons = r.strings(qc, "reasons", "qc");
    return in;
}

GeneResult read_gene(const Reader& r, const Json& j, const std::string& path) {
    GeneResult g;
    g.gene = r.string(j, "gene", path);
    g.status = r.string(j, "status", path);
    g.diplotypes = r.strings(j, "diplotypes", path);
    g.genotype_display = r.string(j, "genotype_display", path);
    g.phenotype = r.optional_string(j, "phenotype", path);
    // Optional: a report.json of an earlier genodose version has neither.
    if (j.contains("phenotype_qualifier")) g.phenotype_qualifier = r.optional_string(j, "phenotype_qualifier", path);
    if (j.contains("key_alleles_not_tested")) g.key_alleles_not_tested = r.strings(j, "key_alleles_not_tested", path);
    g.activity_score = r.optional_number(j, "activity_score", path);
    g.positions_defined = r.integer(j, "positions_defined", path);
    g.positions_called = r.integer(j, "positions_called", path);
    const Json& variants = r.array(j, "key_variants", path);
    for (std::size_t k = 0; k < variants.size(); ++k)
        g.key_variants.push_back(read_variant(r, variants[k], path + ".key_variants[" + std::to_string(k) + "]"));
    const Json& not_called = r.array(j, "positions_not_called", path);
    for (std::size_t k = 0; k < not_called.size(); ++k) {
        const std::string p = path + ".positions_not_called[" + std::to_string(k) + "]";
        g.positions_not_called.push_back({r.string(not_called[k], "rsid", p), r.string(not_called[k], "position", p),
                                          r.string(not_called[k], "status", p), r.string(not_called[k], "reason", p)});
    }
    g.untestable_alleles = r.strings(j, "untestable_alleles", path);
    if (j.contains("positions_tested")) {
        const Json& tested = r.array(j, "positions_tested", path);
        for (std::size_t k = 0; k < tested.size(); ++k)
            g.positions_tested.push_back(
                read_variant(r, tested[k], path + ".positions_tested[" + std::to_string(k) + "]"));
    }
    g.alleles_tested = r.strings_or_empty(j, "alleles_tested", path);
    g.alleles_partly_tested = r.strings_or_empty(j, "alleles_partly_tested", path);
    g.notes = r.strings(j, "notes", path);
    const Json& coverage = r.at(j, "coverage", path);
    if (!coverage.is_null()) {
        GeneCoverage c;
        c.region = r.string(coverage, "region", path + ".coverage");
        c.mean_depth = r.number(coverage, "mean_depth", path + ".coverage");
        c.fraction_at_least_20x = r.number(coverage, "fraction_at_least_20x", path + ".coverage");
        c.min_depth = r.integer(coverage, "min_depth", path + ".coverage");
        g.coverage = c;
    }
    return g;
}

DoseResult read_dose(const Reader& r, const Json& root) {
    DoseResult in;
    const Json& dose = r.at(root, "dose", "");
    in.predicted_mg_per_week = r.number(dose, "predicted_mg_per_week", "dose");
    in.interval_low = r.number(dose, "interval_low", "dose");
    in.interval_high = r.number(dose, "interval_high", "dose");
    in.interval_coverage = r.number(dose, "interval_coverage", "dose");
    if (dose.is_object() && dose.contains("interval_recalibrated_on_patients"))
        in.interval_recalibrated_on_patients =
            static_cast<std::size_t>(std::max(0, r.integer(dose, "interval_recalibrated_on_patients", "dose")));
    in.iwpc_pharmacogenetic_mg_per_week = r.optional_number(dose, "iwpc_pharmacogenetic_mg_per_week", "dose");
    in.iwpc_clinical_mg_per_week = r.optional_number(dose, "iwpc_clinical_mg_per_week", "dose");
    in.baseline_mg_per_week = r.number(dose, "baseline_mg_per_week", "dose");
    const Json& drivers = r.array(dose, "drivers", "dose");
    for (std::size_t k = 0; k < drivers.size(); ++k) {
        const std::string p = "dose.drivers[" + std::to_string(k) + "]";
        in.drivers.push_back({r.string(drivers[k], "feature", p), r.string(drivers[k], "label", p),
                              r.string(drivers[k], "value", p), r.number(drivers[k], "mg_per_week", p)});
    }
    in.missing_inputs = r.strings(dose, "missing_inputs", "dose");
    in.notes = r.strings(dose, "notes", "dose");
    if (dose.contains("missing_core_inputs")) in.missing_core_inputs = r.integer(dose, "missing_core_inputs", "dose");
    in.extrapolations = r.strings_or_empty(dose, "extrapolations", "dose");
    if (!(in.predicted_mg_per_week > 0) || in.interval_low > in.interval_high)
        r.fail("dose", "predicted dose must be > 0 and interval_low <= interval_high");
    // Charts are drawn to scale: a dose of 1e113 mg/week made rendering allocate without bound
    // (found by the report_json fuzz target). No warfarin dose comes near this limit.
    constexpr double max_report_dose = 1000;
    const auto plausible = [&](double v) { return std::isfinite(v) && std::fabs(v) <= max_report_dose; };
    bool doses_plausible = plausible(in.predicted_mg_per_week) && plausible(in.interval_low) &&
                           plausible(in.interval_high) && plausible(in.baseline_mg_per_week);
    for (const auto& value : {in.iwpc_pharmacogenetic_mg_per_week, in.iwpc_clinical_mg_per_week})
        doses_plausible = doses_plausible && (!value || plausible(*value));
    for (const auto& driver : in.drivers) doses_plausible = doses_plausible && plausible(driver.mg_per_week);
    if (!doses_plausible) r.fail("dose", "a dose (or a driver's mg/week) outside -1000..1000 mg/week");
    return in;
}

void read_guideline(const Reader& r, const Json& root, ReportDocument& d) {
    const Json& guideline = r.at(root, "guideline", "");
    d.guideline_citation = r.string(guideline, "citation", "guideline");
    const Json& statements = r.array(guideline, "statements", "guideline");
    for (std::size_t k = 0; k < statements.size(); ++k) {
        const std::string p = "guideline.statements[" + std::to_string(k) + "]";
        d.guideline.push_back({r.string(statements[k], "code", p), r.string(statements[k], "advice", p),
                               r.optional_number(statements[k], "change_low", p),
                               r.optional_number(statements[k], "change_high", p)});
    }
}

CohortContext read_cohort(const Reader& r, const Json& root) {
    CohortContext in;
    const Json& cohort = r.at(root, "cohort", "");
    in.available = r.boolean(cohort, "available", "cohort");
    in.reason = r.string(cohort, "reason", "cohort");
    in.group = r.string(cohort, "group", "cohort");
    in.patients = r.integer(cohort, "patients", "cohort");
    for (const auto& q : r.array(cohort, "quantiles", "cohort")) {
        if (!q.is_number()) r.fail("cohort.quantiles", "expected numbers");
        in.quantiles.push_back(q.get<double>());
    }
    in.bin_width = r.number(cohort, "bin_width", "cohort");
    for (const auto& h : r.array(cohort, "histogram", "cohort")) {
        if (!h.is_number_integer() || h.get<int>() < 0) r.fail("cohort.histogram", "expected counts");
        in.histogram.push_back(h.get<int>());
    }
    in.patient_percentile = r.optional_number(cohort, "patient_percentile", "cohort");
    in.source = r.string(cohort, "source", "cohort");
    if (in.available && (in.quantiles.size() != 7 || in.histogram.empty() || !(in.bin_width > 0)))
        r.fail("cohort", "an available cohort needs 7 quantiles, a histogram and bin_width > 0");
    return in;
}

Methods read_methods(const Reader& r, const Json& root) {
    Methods in;
    const Json& methods = r.at(root, "methods", "");
    in.genodose_version = r.string(methods, "genodose_version", "methods");
    in.reference_build = r.string(methods, "reference_build", "methods");
    in.allele_definitions = r.string(methods, "allele_definitions", "methods");
    in.platform = neutralize_bidi(r.string_or_empty(methods, "platform", "methods"));
    in.description = r.strings(methods, "description", "methods");
    const Json& data_files = r.array(methods, "data_files", "methods");
    for (std::size_t k = 0; k < data_files.size(); ++k)
        in.data_files.push_back(
            read_provenance_file(r, data_files[k], "methods.data_files[" + std::to_string(k) + "]"));
    const Json& inputs = r.array(methods, "inputs", "methods");
    for (std::size_t k = 0; k < inputs.size(); ++k)
        in.inputs.push_back(read_provenance_file(r, inputs[k], "methods.inputs[" + std::to_string(k) + "]"));
    return in;
}

SignOff read_sign_off(const Reader& r, const Json& root) {
    SignOff in;
    const Json& sign_off = r.object_or_empty(root, "sign_off", "");
    in.name = neutralize_bidi(r.string_or_empty(sign_off, "name", "sign_off"));
    in.credentials = neutralize_bidi(r.string_or_empty(sign_off, "credentials", "sign_off"));
    in.date = r.string_or_empty(sign_off, "date", "sign_off");
    return in;
}

Provenance read_provenance(const Reader& r, const Json& root) {
    Provenance in;
    const Json& provenance = r.at(root, "provenance", "");
    in.generated_at = r.string(provenance, "generated_at", "provenance");
    in.command_line = r.string(provenance, "command_line", "provenance");
    // The PDF's creation date and the FHIR timestamps are this value: it must be a UTC instant.
    const std::string& t = in.generated_at;
    const bool timestamp =
        t.size() == 20 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' && t[16] == ':' && t[19] == 'Z' &&
        std::all_of(t.begin(), t.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == 'T' || c == ':' || c == 'Z';
        });
    if (!timestamp) r.fail("provenance.generated_at", "expected a UTC time like 2025-11-22T10:15:00Z, got '" + t + "'");
    return in;
}

}  // namespace

ReportDocument report_from_json(const std::string& text, const std::string& source) {
    Json root = parse_checked_json<Json>(text, source);
    const Reader r(source);
    if (!root.is_object()) r.fail("(top level)", "expected an object");
    ReportDocument d;
    d.schema_version = r.string(root, "schema_version", "");
    if (d.schema_version != report_schema_version)
        r.fail("schema_version", "unsupported version '" + d.schema_version + "' (this genodose reads \"" +
                                     report_schema_version + "\")");
    d.title = r.string(root, "title", "");
    d.test_description = r.string(root, "test_description", "");
    d.identifiers = read_identifiers(r, root, source);
    d.input_kind = r.string(root, "input_kind", "");
    d.laboratory = read_laboratory(r, root);
    d.specimen = read_specimen(r, root);
    d.headline = read_headline(r, root);
    d.clinical_inputs = read_clinical_inputs(r, root);
    d.qc = read_qc(r, root);
    const Json& genes = r.array(root, "genes", "");
    for (std::size_t i = 0; i < genes.size(); ++i)
        d.genes.push_back(read_gene(r, genes[i], "genes[" + std::to_string(i) + "]"));
    const Json& others = r.array(root, "other_variants", "");
    for (std::size_t k = 0; k < others.size(); ++k)
        d.other_variants.push_back(read_variant(r, others[k], "other_variants[" + std::to_string(k) + "]"));
    d.limitations = r.strings(root, "limitations", "");
    d.dose = read_dose(r, root);
    read_guideline(r, root, d);
    d.cohort = read_cohort(r, root);
    d.methods = read_methods(r, root);
    d.review_statement = r.string(root, "review_statement", "");
    d.sign_off = read_sign_off(r, root);
    d.provenance = read_provenance(r, root);
    return d;
}

ReportDocument read_report_json(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, "cannot open report JSON"));
    std::ostringstream text;
    text << in.rdbuf();
    return report_from_json(text.str(), path);
}

}  // namespace genodose::report
