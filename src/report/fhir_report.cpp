// report.fhir.json: an HL7 FHIR R4 Bundle following the Genomics Reporting IG (STU3, 3.0.0);
// profiles, codes and the reasons for each choice are in docs/fhir.md.
#include <nlohmann/json.hpp>

#include <cmath>

#include "genodose/report/renderers.hpp"
#include "text_util.hpp"

namespace genodose::report {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* ig = "http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/";
constexpr const char* loinc = "http://loinc.org";
constexpr const char* tbd_codes = "http://hl7.org/fhir/uv/genomics-reporting/CodeSystem/tbd-codes-cs";
constexpr const char* hgnc = "http://www.genenames.org/geneId";
constexpr const char* rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr const char* ucum = "http://unitsofmeasure.org";
constexpr const char* cpic_url = "https://cpicpgx.org/guidelines/guideline-for-warfarin-and-cyp2c9-and-vkorc1/";

Json coding(const std::string& system, const std::string& code, const std::string& display = {}) {
    Json c;
    c["system"] = system;
    c["code"] = code;
    if (!display.empty()) c["display"] = display;
    return c;
}

Json concept_of(const Json& c, const std::string& text = {}) {
    Json cc;
    cc["coding"] = Json::array({c});
    if (!text.empty()) cc["text"] = text;
    return cc;
}

Json text_concept(const std::string& text) {
    Json cc;
    cc["text"] = text;
    return cc;
}

Json categories() {
    return Json::array({concept_of(coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory",
                                          "Laboratory")),
                        concept_of(coding("http://terminology.hl7.org/CodeSystem/v2-0074", "GE", "Genetics"))});
}

Json quantity(double value) {
    Json q;
    q["value"] = value;
    q["unit"] = "mg/wk";
    q["system"] = ucum;
    q["code"] = "mg/wk";
    return q;
}

// Deterministic resource ids: a re-rendered report gets the same ids, two reports do not.
std::string uuid_for(const ReportDocument& d, const std::string& key) {
    const std::string hex = sha256_hex(d.identifiers.patient_id + '\x1f' + d.identifiers.sample_id + '\x1f' +
                                       d.provenance.generated_at + '\x1f' + key);
    std::string u = hex.substr(0, 32);
    u[12] = '4';                                                     // version 4 layout
    u[16] = "89ab"[std::stoi(u.substr(16, 1), nullptr, 16) & 3];     // RFC 4122 variant
    return u.substr(0, 8) + "-" + u.substr(8, 4) + "-" + u.substr(12, 4) + "-" + u.substr(16, 4) + "-" + u.substr(20, 12);
}

struct Gene {
    const char* symbol;
    const char* hgnc_id;
};
const Gene gene_ids[] = {{"CYP2C9", "HGNC:2623"}, {"VKORC1", "HGNC:23663"}, {"CYP4F2", "HGNC:2645"}};

std::string hgnc_id(const std::string& gene) {
    for (const auto& g : gene_ids)
        if (gene == g.symbol) return g.hgnc_id;
    return {};
}

// LOINC answers of the IG's Genetic Therapeutic Implications value set for metabolizer status.
std::string metabolizer_answer(const std::string& phenotype, std::string& display) {
    struct Answer {
        const char* phenotype;
        const char* code;
        const char* display;
    };
    static const Answer answers[] = {{"Ultrarapid Metabolizer", "LA10315-2", "Ultrarapid metabolizer"},
                                     {"Rapid Metabolizer", "LA25390-8", "Rapid metabolizer"},
                                     {"Normal Metabolizer", "LA25391-6", "Normal metabolizer"},
                                     {"Intermediate Metabolizer", "LA10317-8", "Intermediate metabolizer"},
                                     {"Poor Metabolizer", "LA9657-3", "Poor metabolizer"}};
    for (const auto& a : answers) {
        if (phenotype == a.phenotype) {
            display = a.display;
            return a.code;
        }
    }
    return {};
}

Json reference(const std::string& uuid, const std::string& display = {}) {
    Json r;
    r["reference"] = "urn:uuid:" + uuid;
    if (!display.empty()) r["display"] = display;
    return r;
}

Json narrative(const std::string& text) {
    Json n;
    n["status"] = "generated";
    n["div"] = "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + html_escape(text) + "</div>";
    return n;
}

class BundleBuilder {
public:
    explicit BundleBuilder(const ReportDocument& d) : d_(d) {
        patient_ = uuid_for(d, "Patient");
        specimen_ = uuid_for(d, "Specimen");
    }

    std::string render() {
        add_patient();
        add_specimen();
        std::vector<std::string> genotypes;
        std::vector<std::string> results;
        for (const auto& gene : d_.genes) {
            const std::string genotype = add_genotype(gene.gene, gene.gene + " " + gene.genotype_display, gene.status);
            genotypes.push_back(genotype);
            results.push_back(genotype);
            if (gene.phenotype) results.push_back(add_phenotype(gene, genotype));
        }
        for (const auto& variant : d_.other_variants) {
            const std::string text = variant.rsid + " " + (variant.genotype.empty() ? "not called" : variant.genotype);
            const std::string genotype = add_genotype("", text, variant.genotype.empty() ? "no_data" : "called");
            genotypes.push_back(genotype);
            results.push_back(genotype);
        }
        results.push_back(add_dose(genotypes));
        for (std::size_t i = 0; i < d_.guideline.size(); ++i) results.push_back(add_guideline(d_.guideline[i], i, genotypes));
        add_report(results);

        Json bundle;
        bundle["resourceType"] = "Bundle";
        bundle["id"] = uuid_for(d_, "Bundle");
        bundle["meta"]["lastUpdated"] = d_.provenance.generated_at;
        bundle["identifier"]["system"] = "urn:ietf:rfc:3986";
        bundle["identifier"]["value"] = "urn:uuid:" + uuid_for(d_, "Bundle");
        bundle["type"] = "collection";
        bundle["timestamp"] = d_.provenance.generated_at;
        // The DiagnosticReport first: readers find the report without searching.
        Json ordered = Json::array();
        ordered.push_back(entries_.back());
        for (std::size_t i = 0; i + 1 < entries_.size(); ++i) ordered.push_back(entries_[i]);
        bundle["entry"] = ordered;
        return bundle.dump(2) + "\n";
    }

private:
    void add_entry(const std::string& uuid, Json resource) {
        Json entry;
        entry["fullUrl"] = "urn:uuid:" + uuid;
        entry["resource"] = std::move(resource);
        entries_.push_back(std::move(entry));
    }

    Json observation_base(const std::string& uuid, const std::string& profile) {
        Json o;
        o["resourceType"] = "Observation";
        o["id"] = uuid;
        o["meta"]["profile"] = Json::array({std::string(ig) + profile});
        return o;
    }

    void finish_observation(Json& o) {
        o["subject"] = reference(patient_);
        o["effectiveDateTime"] = d_.provenance.generated_at;
        o["issued"] = d_.provenance.generated_at;
        o["specimen"] = reference(specimen_);
    }

    void add_patient() {
        Json p;
        p["resourceType"] = "Patient";
        p["id"] = patient_;
        Json identifier;
        identifier["use"] = "usual";
        identifier["value"] = d_.identifiers.patient_id;
        p["identifier"] = Json::array({identifier});
        if (!d_.identifiers.patient_name.empty()) {
            Json name;
            name["text"] = d_.identifiers.patient_name;
            p["name"] = Json::array({name});
        }
        const std::string& dob = d_.identifiers.date_of_birth;
        // FHIR date: YYYY, YYYY-MM or YYYY-MM-DD; anything else stays in the report text only.
        const bool fhir_date = (dob.size() == 4 || dob.size() == 7 || dob.size() == 10) &&
                               dob.find_first_not_of("0123456789-") == std::string::npos && dob.front() != '-';
        if (fhir_date) p["birthDate"] = dob;
        add_entry(patient_, p);
    }

    void add_specimen() {
        Json s;
        s["resourceType"] = "Specimen";
        s["id"] = specimen_;
        Json identifier;
        identifier["value"] = d_.identifiers.sample_id;
        s["identifier"] = Json::array({identifier});
        s["subject"] = reference(patient_);
        add_entry(specimen_, s);
    }

    std::string add_genotype(const std::string& gene, const std::string& text, const std::string& status) {
        const std::string uuid = uuid_for(d_, "Genotype " + text);
        Json o = observation_base(uuid, "genotype");
        o["text"] = narrative(text);
        o["status"] = "preliminary";
        o["category"] = categories();
        o["code"] = concept_of(coding(loinc, "84413-4", "Genotype display name"));
        finish_observation(o);
        o["valueCodeableConcept"] = text_concept(status == "called" ? text : text + " (not determined)");
        Json components = Json::array();
        if (!gene.empty()) {
            Json c;
            c["code"] = concept_of(coding(loinc, "48018-6", "Gene studied [ID]"));
            const std::string id = hgnc_id(gene);
            c["valueCodeableConcept"] = id.empty() ? text_concept(gene) : concept_of(coding(hgnc, id, gene));
            components.push_back(c);
        }
        Json assembly;
        assembly["code"] = concept_of(coding(loinc, "62374-4", "Human reference sequence assembly version"));
        if (d_.methods.reference_build == "GRCh38")
            assembly["valueCodeableConcept"] = concept_of(coding(loinc, "LA26806-2", "GRCh38"));
        else if (d_.methods.reference_build == "GRCh37")
            assembly["valueCodeableConcept"] = concept_of(coding(loinc, "LA14029-5", "GRCh37"));
        else
            assembly["valueCodeableConcept"] = text_concept(d_.methods.reference_build);
        components.push_back(assembly);
        o["component"] = components;
        add_entry(uuid, o);
        return uuid;
    }

    Json medication_assessed() {
        Json c;
        c["code"] = concept_of(coding(loinc, "51963-7", "Medication assessed [ID]"));
        c["valueCodeableConcept"] = concept_of(coding(rxnorm, "11289", "warfarin"));
        return c;
    }

    Json conclusion(const std::string& text) {
        Json c;
        c["code"] = concept_of(coding(tbd_codes, "conclusion-string", "Conclusion string"));
        c["valueString"] = text;
        return c;
    }

    Json citation_extension() {
        Json artifact;
        artifact["type"] = "citation";
        artifact["citation"] = d_.guideline_citation;
        artifact["url"] = cpic_url;
        Json e;
        e["url"] = "http://hl7.org/fhir/StructureDefinition/workflow-relatedArtifact";
        e["valueRelatedArtifact"] = artifact;
        return e;
    }

    std::string add_phenotype(const GeneResult& gene, const std::string& genotype) {
        const std::string uuid = uuid_for(d_, "Phenotype " + gene.gene);
        Json o = observation_base(uuid, "therapeutic-implication");
        const std::string text = gene.gene + " " + *gene.phenotype +
                                 (gene.activity_score ? " (activity score " + format_number(*gene.activity_score, 1) + ")" : "");
        o["text"] = narrative(text);
        o["extension"] = Json::array({citation_extension()});
        o["status"] = "preliminary";
        o["category"] = categories();
        o["code"] = concept_of(coding(tbd_codes, "therapeutic-implication", "Therapeutic Implication"));
        finish_observation(o);
        o["derivedFrom"] = Json::array({reference(genotype)});
        Json components = Json::array({medication_assessed()});
        Json implication;
        implication["code"] = concept_of(coding(tbd_codes, "predicted-therapeutic-implication", "Predicted therapeutic implication"));
        std::string display;
        const std::string answer = metabolizer_answer(*gene.phenotype, display);
        implication["valueCodeableConcept"] =
            answer.empty() ? text_concept(text) : concept_of(coding(loinc, answer, display), text);
        components.push_back(implication);
        o["component"] = components;
        add_entry(uuid, o);
        return uuid;
    }

    std::string add_dose(const std::vector<std::string>& genotypes) {
        const auto& dose = d_.dose;
        const std::string uuid = uuid_for(d_, "Dose");
        Json o = observation_base(uuid, "therapeutic-implication");
        std::string summary = "Predicted warfarin maintenance dose " + format_dose(dose.predicted_mg_per_week) + " mg/week (" +
                              format_number(dose.interval_coverage * 100, 0) + "% prediction interval " +
                              format_dose(dose.interval_low) + "-" + format_dose(dose.interval_high) + " mg/week)";
        if (dose.iwpc_pharmacogenetic_mg_per_week)
            summary += "; IWPC pharmacogenetic equation " + format_dose(*dose.iwpc_pharmacogenetic_mg_per_week) + " mg/week";
        summary += ". " + d_.review_statement;
        o["text"] = narrative(summary);
        o["status"] = "preliminary";
        o["category"] = categories();
        o["code"] = concept_of(coding(tbd_codes, "therapeutic-implication", "Therapeutic Implication"));
        finish_observation(o);
        Json derived = Json::array();
        for (const auto& g : genotypes) derived.push_back(reference(g));
        o["derivedFrom"] = derived;
        Json components = Json::array({medication_assessed(), conclusion(summary)});
        Json predicted;
        predicted["code"] = text_concept("Predicted weekly warfarin maintenance dose (genodose dose model)");
        predicted["valueQuantity"] = quantity(dose.predicted_mg_per_week);
        components.push_back(predicted);
        Json interval;
        interval["code"] = text_concept(format_number(dose.interval_coverage * 100, 0) +
                                        "% prediction interval of the weekly dose (split-conformal)");
        interval["valueRange"]["low"] = quantity(dose.interval_low);
        interval["valueRange"]["high"] = quantity(dose.interval_high);
        components.push_back(interval);
        if (dose.iwpc_pharmacogenetic_mg_per_week) {
            Json iwpc;
            iwpc["code"] = text_concept("Weekly warfarin dose by the IWPC pharmacogenetic equation (NEJM 2009;360:753-64)");
            iwpc["valueQuantity"] = quantity(*dose.iwpc_pharmacogenetic_mg_per_week);
            components.push_back(iwpc);
        }
        o["component"] = components;
        add_entry(uuid, o);
        return uuid;
    }

    std::string add_guideline(const GuidelineStatement& statement, std::size_t index, const std::vector<std::string>& genotypes) {
        const std::string uuid = uuid_for(d_, "CPIC " + std::to_string(index) + " " + statement.code);
        Json o = observation_base(uuid, "therapeutic-implication");
        o["text"] = narrative(statement.advice);
        o["extension"] = Json::array({citation_extension()});
        o["status"] = "preliminary";
        o["category"] = categories();
        o["code"] = concept_of(coding(tbd_codes, "therapeutic-implication", "Therapeutic Implication"));
        finish_observation(o);
        Json derived = Json::array();
        for (const auto& g : genotypes) derived.push_back(reference(g));
        o["derivedFrom"] = derived;
        o["component"] = Json::array({medication_assessed(), conclusion(statement.advice)});
        add_entry(uuid, o);
        return uuid;
    }

    void add_report(const std::vector<std::string>& results) {
        const std::string uuid = uuid_for(d_, "DiagnosticReport");
        Json r;
        r["resourceType"] = "DiagnosticReport";
        r["id"] = uuid;
        r["meta"]["profile"] = Json::array({std::string(ig) + "genomic-report"});
        std::string summary = "Warfarin pharmacogenomics: ";
        for (std::size_t i = 0; i < d_.genes.size(); ++i) {
            const auto& g = d_.genes[i];
            summary += (i ? "; " : "") + g.gene + " " + g.genotype_display + (g.phenotype ? " (" + *g.phenotype + ")" : "");
        }
        summary += ". Predicted maintenance dose " + format_dose(d_.dose.predicted_mg_per_week) + " mg/week (" +
                   format_dose(d_.dose.interval_low) + "-" + format_dose(d_.dose.interval_high) + "). Quality control: " +
                   d_.qc.status + ". " + d_.review_statement;
        r["text"] = narrative(summary);
        if (!d_.identifiers.accession.empty()) {
            Json identifier;
            identifier["value"] = d_.identifiers.accession;
            r["identifier"] = Json::array({identifier});
        }
        // Preliminary until a qualified clinician has reviewed it (the report says so).
        r["status"] = "preliminary";
        r["category"] = Json::array({concept_of(coding("http://terminology.hl7.org/CodeSystem/v2-0074", "GE", "Genetics"))});
        r["code"] = concept_of(coding(loinc, "51969-4", "Genetic analysis report"), d_.title);
        r["subject"] = reference(patient_);
        r["effectiveDateTime"] = d_.provenance.generated_at;
        r["issued"] = d_.provenance.generated_at;
        r["specimen"] = Json::array({reference(specimen_)});
        Json list = Json::array();
        for (const auto& result : results) list.push_back(reference(result));
        r["result"] = list;
        r["conclusion"] = summary;
        add_entry(uuid, r);
    }

    const ReportDocument& d_;
    std::string patient_, specimen_;
    std::vector<Json> entries_;
};

}  // namespace

std::string render_fhir(const ReportDocument& document) { return BundleBuilder(document).render(); }

}  // namespace genodose::report
