// report.fhir.json: an HL7 FHIR R4 Bundle following the Genomics Reporting IG (STU3, 3.0.0);
// profiles, codes and the reasons for each choice are in docs/fhir.md.
#include <nlohmann/json.hpp>

#include <algorithm>
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
constexpr const char* refseq = "http://www.ncbi.nlm.nih.gov/refseq";
constexpr const char* dbsnp = "http://www.ncbi.nlm.nih.gov/snp";
constexpr const char* data_absent = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
constexpr const char* clia_oid = "urn:oid:2.16.840.1.113883.4.7";  // CLIA numbers (HL7 OID registry)
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
    return Json::array(
        {concept_of(coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory")),
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
    u[12] = '4';                                                  // version 4 layout
    u[16] = "89ab"[std::stoi(u.substr(16, 1), nullptr, 16) & 3];  // RFC 4122 variant
    return u.substr(0, 8) + "-" + u.substr(8, 4) + "-" + u.substr(12, 4) + "-" + u.substr(16, 4) + "-" +
           u.substr(20, 12);
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

// RefSeq accession of a chromosome in a build (the genomic reference sequence of a Variant).
std::string chromosome_refseq(const std::string& chromosome, const std::string& build) {
    std::string c = chromosome.rfind("chr", 0) == 0 ? chromosome.substr(3) : chromosome;
    struct Accession {
        const char *chromosome, *grch38, *grch37;
    };
    static const Accession accessions[] = {{"10", "NC_000010.11", "NC_000010.10"},
                                           {"16", "NC_000016.10", "NC_000016.9"},
                                           {"19", "NC_000019.10", "NC_000019.9"}};
    for (const auto& a : accessions)
        if (c == a.chromosome) return build == "GRCh37" ? a.grch37 : build == "GRCh38" ? a.grch38 : "";
    return {};
}

Json data_absent_reason(const std::string& code, const std::string& display, const std::string& text) {
    return concept_of(coding(data_absent, code, display), text);
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
        add_organization();
        std::vector<std::string> genotypes;
        std::vector<std::string> results;
        for (const auto& gene : d_.genes) {
            // Variants (the key positions), haplotypes (the star alleles of a single call), genotype.
            std::vector<std::string> variants;
            for (const auto& v : gene.key_variants) variants.push_back(add_variant(gene.gene, v));
            std::vector<std::string> haplotypes;
            if (gene.status == "called" && gene.diplotypes.size() == 1 &&
                gene.diplotypes.front().find('*') != std::string::npos)
                haplotypes = add_haplotypes(gene.gene, gene.diplotypes.front(), variants);
            std::vector<std::string> sources = haplotypes;
            sources.insert(sources.end(), variants.begin(), variants.end());
            const std::string genotype = add_genotype(gene.gene, gene.gene + " " + gene.genotype_display,
                                                      gene.status == "called" ? "called" : gene.status, sources);
            results.insert(results.end(), variants.begin(), variants.end());
            results.insert(results.end(), haplotypes.begin(), haplotypes.end());
            genotypes.push_back(genotype);
            results.push_back(genotype);
            if (gene.phenotype) results.push_back(add_phenotype(gene, genotype));
        }
        for (const auto& variant : d_.other_variants) {
            const std::string observation = add_variant("", variant);
            const std::string text = variant.rsid + " " + (variant.genotype.empty() ? "not called" : variant.genotype);
            const std::string genotype =
                add_genotype("", text, variant.genotype.empty() ? "no_data" : "called", {observation});
            results.push_back(observation);
            genotypes.push_back(genotype);
            results.push_back(genotype);
        }
        results.push_back(add_dose(genotypes));
        for (std::size_t i = 0; i < d_.guideline.size(); ++i)
            results.push_back(add_guideline(d_.guideline[i], i, genotypes));
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
        if (!organization_.empty()) o["performer"] = Json::array({reference(organization_)});
        o["specimen"] = reference(specimen_);
    }

    // The laboratory as an Organization (performer of every result), when the report names it.
    void add_organization() {
        const auto& lab = d_.laboratory;
        if (d_.identifiers.laboratory.empty() && lab.clia_number.empty() && lab.cap_number.empty() &&
            lab.local_identifier.empty())
            return;
        organization_ = uuid_for(d_, "Organization");
        Json o;
        o["resourceType"] = "Organization";
        o["id"] = organization_;
        Json identifiers = Json::array();
        if (!lab.clia_number.empty()) {
            Json id;
            id["system"] = clia_oid;
            id["value"] = lab.clia_number;
            id["type"] = text_concept("CLIA number");
            identifiers.push_back(id);
        }
        if (!lab.cap_number.empty()) {
            Json id;
            id["type"] = text_concept("CAP accreditation number");
            id["value"] = lab.cap_number;
            identifiers.push_back(id);
        }
        if (!lab.local_identifier.empty()) {
            Json id;
            id["type"] = text_concept("Laboratory identifier");
            id["value"] = lab.local_identifier;
            identifiers.push_back(id);
        }
        if (!identifiers.empty()) o["identifier"] = identifiers;
        o["active"] = true;
        if (!d_.identifiers.laboratory.empty()) o["name"] = d_.identifiers.laboratory;
        if (!lab.address.empty()) o["address"] = Json::array({Json{{"text", lab.address}}});
        add_entry(organization_, o);
    }

    // A Variant Observation for one genotyped position: present / absent / no call, with its
    // position (1-based), alleles and zygosity.
    std::string add_variant(const std::string& gene, const KeyVariant& v) {
        const std::string uuid = uuid_for(d_, "Variant " + gene + " " + v.position + " " + v.change);
        Json o = observation_base(uuid, "variant");
        const bool called = !v.genotype.empty();
        const bool present = called && v.zygosity != "homozygous reference";
        const std::string text = (gene.empty() ? "" : gene + " ") +
                                 (v.rsid.empty() ? v.position : v.rsid + " " + v.position) + " " + v.change + ": " +
                                 (called ? v.genotype + " (" + v.zygosity + ")" : "not called");
        o["text"] = narrative(text);
        o["status"] = "preliminary";
        o["category"] = categories();
        o["code"] = concept_of(coding(loinc, "69548-6", "Genetic variant assessment"));
        finish_observation(o);
        o["valueCodeableConcept"] =
            !called   ? concept_of(coding(loinc, "LA18198-4", "No call"), "not called (" + v.status + ")")
            : present ? concept_of(coding(loinc, "LA9633-4", "Present"))
                      : concept_of(coding(loinc, "LA9634-2", "Absent"));
        Json components = Json::array();
        auto component = [&](const char* code, const char* display, const std::string& key, Json value) {
            Json c;
            c["code"] = concept_of(coding(loinc, code, display));
            c[key] = std::move(value);
            components.push_back(c);
        };
        if (!gene.empty() && !hgnc_id(gene).empty())
            component("48018-6", "Gene studied [ID]", "valueCodeableConcept",
                      concept_of(coding(hgnc, hgnc_id(gene), gene)));
        const auto colon = v.position.find(':');
        const std::string chromosome = v.position.substr(0, colon);
        const std::string accession = chromosome_refseq(chromosome, d_.methods.reference_build);
        if (!accession.empty())
            component("48013-7", "Genomic reference sequence [ID]", "valueCodeableConcept",
                      concept_of(coding(refseq, accession), chromosome + " (" + d_.methods.reference_build + ")"));
        const auto arrow = v.change.find('>');
        if (arrow != std::string::npos) {
            component("69547-8", "Genomic ref allele [ID]", "valueString", v.change.substr(0, arrow));
            component("69551-0", "Genomic alt allele [ID]", "valueString", v.change.substr(arrow + 1));
        }
        component("92822-6", "Genomic coordinate system [Type]", "valueCodeableConcept",
                  concept_of(coding(loinc, "LA30102-0", "1-based character counting")));
        if (colon != std::string::npos) {
            Json range;
            range["low"]["value"] = std::stoll(v.position.substr(colon + 1));
            component("81254-5", "Genomic allele start-end", "valueRange", range);
        }
        if (present)
            component("53034-5", "Allelic state", "valueCodeableConcept",
                      v.zygosity == "heterozygous" ? concept_of(coding(loinc, "LA6706-1", "Heterozygous"))
                                                   : concept_of(coding(loinc, "LA6705-3", "Homozygous")));
        if (!v.rsid.empty())
            component("81252-9", "Discrete genetic variant", "valueCodeableConcept", concept_of(coding(dbsnp, v.rsid)));
        o["component"] = components;
        add_entry(uuid, o);
        return uuid;
    }

    // One Haplotype Observation per distinct allele of a single called diplotype ("*1/*3").
    std::vector<std::string> add_haplotypes(const std::string& gene, const std::string& diplotype,
                                            const std::vector<std::string>& variants) {
        std::vector<std::string> alleles, uuids;
        std::size_t start = 0;
        while (start <= diplotype.size()) {
            const auto slash = diplotype.find('/', start);
            const std::string allele =
                diplotype.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
            if (!allele.empty() && std::find(alleles.begin(), alleles.end(), allele) == alleles.end())
                alleles.push_back(allele);
            if (slash == std::string::npos) break;
            start = slash + 1;
        }
        for (const auto& allele : alleles) {
            const std::string uuid = uuid_for(d_, "Haplotype " + gene + " " + allele);
            Json o = observation_base(uuid, "haplotype");
            o["text"] = narrative(gene + " " + allele);
            o["status"] = "preliminary";
            o["category"] = categories();
            o["code"] = concept_of(coding(loinc, "84414-2", "Haplotype name"));
            finish_observation(o);
            o["valueCodeableConcept"] = text_concept(gene + " " + allele);
            Json derived = Json::array();
            for (const auto& v : variants) derived.push_back(reference(v));
            if (!derived.empty()) o["derivedFrom"] = derived;
            Json gene_component;
            gene_component["code"] = concept_of(coding(loinc, "48018-6", "Gene studied [ID]"));
            gene_component["valueCodeableConcept"] = concept_of(coding(hgnc, hgnc_id(gene), gene));
            o["component"] = Json::array({gene_component});
            add_entry(uuid, o);
            uuids.push_back(uuid);
        }
        return uuids;
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
        for (const auto& input : d_.clinical_inputs)
            if (input.input == "Sex" && (input.value == "male" || input.value == "female")) p["gender"] = input.value;
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
        if (!d_.specimen.type.empty()) s["type"] = text_concept(d_.specimen.type);
        s["subject"] = reference(patient_);
        if (!d_.specimen.received_date.empty()) s["receivedTime"] = d_.specimen.received_date;
        if (!d_.specimen.collection_date.empty()) s["collection"]["collectedDateTime"] = d_.specimen.collection_date;
        add_entry(specimen_, s);
    }

    std::string add_genotype(const std::string& gene, const std::string& text, const std::string& status,
                             const std::vector<std::string>& derived_from) {
        const std::string uuid = uuid_for(d_, "Genotype " + text);
        Json o = observation_base(uuid, "genotype");
        o["text"] = narrative(text);
        o["status"] = "preliminary";
        o["category"] = categories();
        o["code"] = concept_of(coding(loinc, "84413-4", "Genotype display name"));
        finish_observation(o);
        // Not determined: no value, but the reason (FHIR obs-6: value or dataAbsentReason).
        if (status == "called") o["valueCodeableConcept"] = text_concept(text);
        else if (status == "no_call")
            o["dataAbsentReason"] = data_absent_reason("unknown", "Unknown", text + " (not determined: no call)");
        else
            o["dataAbsentReason"] =
                data_absent_reason("not-performed", "Not Performed", text + " (not determined: no usable data)");
        if (!derived_from.empty()) {
            Json derived = Json::array();
            for (const auto& source : derived_from) derived.push_back(reference(source));
            o["derivedFrom"] = derived;
        }
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
        else assembly["valueCodeableConcept"] = text_concept(d_.methods.reference_build);
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
        const std::string text =
            gene.gene + " " + *gene.phenotype +
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
        implication["code"] = concept_of(coding(tbd_codes, "therapeutic-implication", "Therapeutic Implication"));
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
        std::string summary = "Predicted warfarin maintenance dose " + format_dose(dose.predicted_mg_per_week) +
                              " mg/week (" + format_number(dose.interval_coverage * 100, 0) + "% prediction interval " +
                              format_dose(dose.interval_low) + "-" + format_dose(dose.interval_high) + " mg/week)";
        if (dose.iwpc_pharmacogenetic_mg_per_week)
            summary +=
                "; IWPC pharmacogenetic equation " + format_dose(*dose.iwpc_pharmacogenetic_mg_per_week) + " mg/week";
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
            iwpc["code"] =
                text_concept("Weekly warfarin dose by the IWPC pharmacogenetic equation (NEJM 2009;360:753-64)");
            iwpc["valueQuantity"] = quantity(*dose.iwpc_pharmacogenetic_mg_per_week);
            components.push_back(iwpc);
        }
        o["component"] = components;
        add_entry(uuid, o);
        return uuid;
    }

    std::string add_guideline(const GuidelineStatement& statement, std::size_t index,
                              const std::vector<std::string>& genotypes) {
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
        // CPIC's recommendation first, as in the report's headline.
        std::string summary = d_.headline.recommendation.empty() ? std::string() : d_.headline.recommendation + " ";
        summary += "Warfarin pharmacogenomics: ";
        for (std::size_t i = 0; i < d_.genes.size(); ++i) {
            const auto& g = d_.genes[i];
            summary += (i ? "; " : "") + g.gene + " " + g.genotype_display +
                       (g.phenotype && g.genotype_display.rfind("rs", 0) != 0 ? " (" + *g.phenotype + ")" : "");
        }
        summary += ". Predicted maintenance dose " + format_dose(d_.dose.predicted_mg_per_week) + " mg/week (" +
                   format_dose(d_.dose.interval_low) + "-" + format_dose(d_.dose.interval_high) + "). ";
        for (const auto& caution : d_.headline.cautions) summary += caution + " ";
        summary += "Quality control: " + d_.qc.status + ". " + d_.review_statement;
        r["text"] = narrative(summary);
        if (!d_.identifiers.accession.empty()) {
            Json identifier;
            identifier["value"] = d_.identifiers.accession;
            r["identifier"] = Json::array({identifier});
        }
        // Preliminary until a qualified clinician has reviewed it (the report says so).
        r["status"] = "preliminary";
        r["category"] =
            Json::array({concept_of(coding("http://terminology.hl7.org/CodeSystem/v2-0074", "GE", "Genetics"))});
        r["code"] = concept_of(coding(loinc, "51969-4", "Genetic analysis report"), d_.title);
        r["subject"] = reference(patient_);
        if (!organization_.empty()) r["performer"] = Json::array({reference(organization_)});
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
    std::string patient_, specimen_, organization_;
    std::vector<Json> entries_;
};

}  // namespace

std::string render_fhir(const ReportDocument& document) { return BundleBuilder(document).render(); }

}  // namespace genodose::report
