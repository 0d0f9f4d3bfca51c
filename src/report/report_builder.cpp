#include "genodose/report/report_builder.hpp"
#include "genodose/core/text_input.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "genodose/core/error.hpp"
#include "genodose/core/version.hpp"
#include "genodose/dosing/features.hpp"
#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/guideline.hpp"
#include "text_util.hpp"

namespace genodose::report {

namespace {

constexpr const char* review_statement =
    "This report was produced by software (genodose) for research and clinical decision support. The genotypes, "
    "phenotypes and predicted dose must be reviewed and confirmed by a qualified clinician before any use in patient "
    "care; the predicted dose is an estimate of the stable maintenance dose, not a prescription, and INR monitoring "
    "remains necessary.";

// How the model's interval was calibrated, as a clause of the methods text.
std::string conformal_calibration_text(const dosing::ConformalInterval& conformal) {
    const bool bands = !conformal.bands.empty(), races = !conformal.race_groups.empty();
    if (bands && races && !conformal.missingness_groups.empty())
        return ", calibrated per band of the predicted dose (<= 21, 21-49, >= 49 mg/week), per race group and per "
               "number of missing core inputs (0-1, 2-3, 4-5, 6-7, 8 of age, height, weight, race, CYP2C9, VKORC1, amiodarone, "
               "enzyme inducers; the widest of the three intervals),";
    if (bands && races)
        return ", calibrated both per band of the predicted dose (<= 21, 21-49, >= 49 mg/week) and per race group "
               "(the wider of the two intervals),";
    if (bands) return ", calibrated per band of the predicted dose (<= 21, 21-49, >= 49 mg/week),";
    if (races) return ", calibrated per race group,";
    return "";
}

std::string position_text(const pgx::GenotypingTarget& target) {
    return target.chromosome + ":" + std::to_string(target.position + 1);
}

std::string zygosity(const pgx::GenotypingTarget& target, const pgx::PositionObservation& observation) {
    if (!observation.usable() || observation.alleles.size() != 2) return "not called";
    int reference = 0;
    for (const auto& allele : observation.alleles)
        if (allele == target.ref) ++reference;
    if (reference == 2) return "homozygous reference";
    if (reference == 1) return "heterozygous";
    return observation.alleles[0] == observation.alleles[1] ? "homozygous variant" : "compound heterozygous";
}

std::string reason_not_called(const pgx::PositionObservation& observation) {
    std::string reason;
    switch (observation.status) {
        case pgx::ObservationStatus::missing: reason = "no record in the input (not assumed reference)"; break;
        case pgx::ObservationStatus::not_called: reason = "the input has no genotype here"; break;
        case pgx::ObservationStatus::ref_mismatch:
            reason = "the input's reference allele disagrees with the genome build";
            break;
        case pgx::ObservationStatus::conflicting: reason = "several records disagree about this position"; break;
        default: reason = "not usable"; break;
    }
    if (!observation.detail.empty() && reason.find(observation.detail) == std::string::npos)
        reason += " (" + observation.detail + ")";
    if (observation.depth >= 0 && observation.detail.find("depth") == std::string::npos)
        reason += "; depth " + std::to_string(observation.depth);
    return reason;
}

// Non-reference named alleles whose definition has `alt` at gene position `index`.
std::vector<std::string> alleles_defined_by(const pgx::GeneDefinition& gene, std::size_t index,
                                            const std::string& alt) {
    std::vector<std::string> names;
    for (const auto& allele : gene.alleles) {
        if (allele.reference || index >= allele.alleles.size() || !allele.alleles[index]) continue;
        if (*allele.alleles[index] == alt) names.push_back(allele.name);
    }
    return names;
}

std::string defines_text(std::vector<std::string> names) {
    if (names.size() > 4) {
        names.resize(4);
        names.push_back("…");
    }
    return join(names, ", ");
}

std::string capitalized(std::string text) {
    if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
    return text;
}

std::optional<int> known(int value) { return value >= 0 ? std::optional<int>(value) : std::nullopt; }

KeyVariant key_variant(const pgx::GeneDefinition* gene, std::size_t gene_index, const pgx::GenotypingTarget& target,
                       const pgx::PositionObservation& observation) {
    KeyVariant v;
    v.rsid = target.rsid;
    v.position = position_text(target);
    v.change = abbreviate_long_alleles(target.ref + ">" + join(target.alts, ","));
    v.genotype = abbreviate_long_alleles(pgx::genotype_text(target, observation));
    v.zygosity = zygosity(target, observation);
    v.depth = known(observation.depth);
    v.quality = known(observation.genotype_quality);
    v.status = pgx::to_string(observation.status);
    if (gene && target.defines_alleles) {
        std::vector<std::string> names;
        bool sample_alt = false;
        if (observation.usable()) {
            for (const auto& allele : observation.alleles) {
                if (allele == target.ref) continue;
                sample_alt = true;
                for (const auto& name : alleles_defined_by(*gene, gene_index, allele))
                    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
            }
        }
        if (!sample_alt)
            for (const auto& alt : target.alts)
                for (const auto& name : alleles_defined_by(*gene, gene_index, alt))
                    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        v.defines = defines_text(names);
    }
    return v;
}

bool has_alternative_allele(const pgx::GenotypingTarget& target, const pgx::PositionObservation& observation) {
    if (!observation.usable()) return false;
    for (const auto& allele : observation.alleles)
        if (allele != target.ref) return true;
    return false;
}

std::string gene_display(const pgx::GeneDefinition& gene, const pgx::GeneGenotype& genotype) {
    // Genes reported as one SNP on the gene strand (VKORC1 −1639G>A) are shown as that SNP.
    for (const auto& reported : gene.reported_genotypes) {
        if (!reported.gene_strand) continue;
        std::optional<std::string> plus, strand;
        for (const auto& r : genotype.reported) {
            if (r.key == reported.rsid) plus = r.genotype;
            if (r.key == reported.rsid + "_gene_strand") strand = r.genotype;
        }
        if (!plus) return reported.rsid + " not called";
        const std::string label = gene_strand_label(reported.rsid);
        return reported.rsid + " " + *plus +
               (strand ? " (" + (label.empty() ? "gene strand" : label) + " " + *strand + ")" : "");
    }
    std::string text;
    switch (genotype.call.status) {
        case pgx::CallStatus::no_call: text = "no call"; break;
        case pgx::CallStatus::no_data: text = "not genotyped (no usable data)"; break;
        case pgx::CallStatus::called: {
            std::vector<std::string> names;
            for (const auto& d : genotype.call.best) names.push_back(d.name);
            text = join(names, " or ");
            // PharmCAT's tie, decided by the alleles the input tests (a targeted assay).
            if (names.size() > 1 && genotype.tested_call)
                text = genotype.tested_call->name + " (call from the tested alleles; " + std::to_string(names.size()) +
                       " diplotypes tie in PharmCAT's matching)";
            break;
        }
    }
    if (genotype.phenotype_qualifier)
        text += genotype.phenotype ? " [" + *genotype.phenotype_qualifier + "]"
                                   : " [phenotype not determined: " + *genotype.phenotype_qualifier +
                                         (genotype.phenotype_if_untested_absent
                                              ? "; " + *genotype.phenotype_if_untested_absent + " only if absent"
                                              : std::string()) +
                                         "]";
    for (const auto& reported : gene.reported_genotypes) {
        for (const auto& r : genotype.reported)
            if (r.key == reported.rsid)
                text += " (" + reported.rsid + " " + (r.genotype ? *r.genotype : "not called") + ")";
    }
    return text;
}

// What the dose used for a gene whose call from the sample gives the dose model no genotype
// (no-call, no data, a tie): a value from the patient input (kept by dosing::merge_genotypes,
// which notes it in dose.notes), the IWPC imputation of VKORC1 -1639, or nothing.
std::string dose_genotype_clause(const std::string& gene, const pgx::GeneGenotype& genotype, const dosing::Patient& p) {
    for (const auto& r : genotype.reported)
        if (r.genotype && r.key.find("_gene_strand") == std::string::npos) return {};  // the sample's SNP call was used
    auto count_text = [](int n, const char* none, const char* one, const char* two) {
        return std::string(n <= 0 ? none : n == 1 ? one : two);
    };
    if (gene == "CYP2C9" && p.cyp2c9.known())
        return "the dose used CYP2C9 " + p.cyp2c9.diplotype + " from the patient input (see the dose notes)";
    if (gene == "VKORC1" && p.vkorc1.a_alleles) {
        const std::string text = "VKORC1 -1639 " + count_text(*p.vkorc1.a_alleles, "G/G", "G/A", "A/A");
        return p.vkorc1.origin == dosing::Vkorc1Genotype::Origin::imputed
                   ? "the dose used " + text + ", imputed from other VKORC1 SNPs (IWPC rules)"
                   : "the dose used " + text + " from the patient input (see the dose notes)";
    }
    if (gene == "CYP4F2" && p.cyp4f2_star3_alleles)
        return "the dose used CYP4F2 " + std::string(dosing::cyp4f2_star3_snp.rsid) + " " +
               dosing::snp_genotype(dosing::cyp4f2_star3_snp, *p.cyp4f2_star3_alleles) +
               " from the patient input (see the dose notes)";
    return "the dose was predicted without a " + gene + " genotype";
}

std::string field(const std::map<std::string, std::string>& fields, const std::string& key) {
    const auto found = fields.find(key);
    return found == fields.end() ? std::string() : neutralize_bidi(found->second);
}

std::string yes_no(bool value) { return value ? "yes" : "no"; }

// Every clinical input the dose model received, as it received it, and which were missing.
std::vector<ClinicalInput> clinical_inputs(const dosing::Patient& p) {
    std::vector<ClinicalInput> inputs;
    auto add = [&](const std::string& name, const std::string& value) {
        inputs.push_back({name, value, value.empty()});
    };
    std::string age;
    if (p.age_years) age = format_number(*p.age_years, 0) + " years";
    else if (p.age_decade)
        age = *p.age_decade >= 9 ? "90 years or older (age band)"
                                 : std::to_string(*p.age_decade * 10) + "-" + std::to_string(*p.age_decade * 10 + 9) +
                                       " years (age band)";
    add("Age", age);
    add("Sex", p.sex == dosing::Sex::male ? "male" : p.sex == dosing::Sex::female ? "female" : "");
    add("Height", p.height_cm ? format_number(*p.height_cm, 1) + " cm" : "");
    add("Weight", p.weight_kg ? format_number(*p.weight_kg, 1) + " kg" : "");
    std::string race;
    if (!p.race_recorded.empty()) {
        race = p.race_recorded;
        if (dosing::race_name(p.race) != p.race_recorded)
            race += " (model category: " + dosing::race_name(p.race) + ")";
    }
    add("Race (as recorded)", race);
    add("Target INR", p.target_inr ? format_number(*p.target_inr, 2) : "");
    std::vector<std::string> indications;
    if (p.indications) {
        static const std::vector<std::pair<unsigned, const char*>> names = {
            {dosing::indication_dvt, "deep vein thrombosis"},
            {dosing::indication_pe, "pulmonary embolism"},
            {dosing::indication_af, "atrial fibrillation/flutter"},
            {dosing::indication_heart_valve, "heart valve"},
            {dosing::indication_cardiomyopathy, "cardiomyopathy/LV dilation"},
            {dosing::indication_stroke, "stroke"},
            {dosing::indication_post_orthopedic, "post-orthopedic"},
            {dosing::indication_other, "other"}};
        for (const auto& [bit, name] : names)
            if (*p.indications & bit) indications.push_back(name);
    }
    add("Indication", join(indications, ", "));
    // Interacting drugs the model knows: taken, not taken, not recorded.
    const std::vector<std::pair<const char*, std::optional<bool>>> drugs = {
        {"amiodarone", p.amiodarone},
        {"carbamazepine", p.carbamazepine},
        {"phenytoin", p.phenytoin},
        {"rifampin", p.rifampin},
        {"aspirin", p.aspirin},
        {"acetaminophen", p.acetaminophen},
        {"statin", p.statin},
        {"azole antifungal", p.azole_antifungal},
        {"sulfonamide antibiotic", p.sulfonamide_antibiotic},
        {"macrolide antibiotic", p.macrolide_antibiotic},
        {"herbal supplement", p.herbal_supplement}};
    std::vector<std::string> taken, not_taken, unknown;
    for (const auto& [name, value] : drugs) (value ? (*value ? taken : not_taken) : unknown).push_back(name);
    std::string drug_text;
    if (!taken.empty() || !not_taken.empty()) {
        drug_text = "taking: " + (taken.empty() ? std::string("none") : join(taken, ", "));
        if (!not_taken.empty()) drug_text += "; not taking: " + join(not_taken, ", ");
        if (!unknown.empty()) drug_text += "; not recorded: " + join(unknown, ", ");
    }
    add("Interacting drugs", drug_text);
    add("Smoking", p.smoker ? (*p.smoker ? "current smoker" : "not a current smoker") : "");
    std::vector<std::string> conditions;
    if (p.diabetes) conditions.push_back("diabetes: " + yes_no(*p.diabetes));
    if (p.heart_failure) conditions.push_back("heart failure: " + yes_no(*p.heart_failure));
    if (p.valve_replacement) conditions.push_back("valve replacement: " + yes_no(*p.valve_replacement));
    add("Comorbidities", join(conditions, "; "));
    return inputs;
}

// The CPIC 2017 recommendation that governs this patient, stated before the model's number.
std::string cpic_recommendation(const dosing::Patient& p, const dosing::DosePrediction& prediction) {
    std::set<std::string> codes;
    for (const auto& flag : prediction.flags) codes.insert(flag.code);
    const auto missing = [&](const char* input) {
        return std::find(prediction.missing_inputs.begin(), prediction.missing_inputs.end(), input) !=
               prediction.missing_inputs.end();
    };
    if (codes.count("cpic_pediatric"))
        return "CPIC: the adult recommendations and validated adult algorithms do not apply to a child; dose by "
               "pediatric practice. The model's number below is not a recommendation for this patient.";
    if (codes.count("cpic_african_cyp2c9_star5_6_8_11_not_tested"))
        return "CPIC: dose clinically. For a patient of African ancestry whose CYP2C9 *5, *6, *8 and *11 were not "
               "tested, CPIC recommends clinical dosing rather than a pharmacogenetic algorithm.";
    if (missing("CYP2C9") || missing("VKORC1"))
        return std::string("CPIC: genotype-guided dosing needs CYP2C9 and VKORC1; ") +
               (missing("CYP2C9") && missing("VKORC1") ? "neither was"
                : missing("CYP2C9")                    ? "CYP2C9 was not"
                                                       : "VKORC1 was not") +
               " determined, so dose clinically (a clinical algorithm such as the IWPC clinical equation may help).";
    std::string text = "CPIC: calculate the dose with a validated pharmacogenetic algorithm (IWPC or Gage), which "
                       "includes CYP2C9 and VKORC1";
    if (codes.count("cpic_ancestry_unknown"))
        text += "; ancestry is not recorded, so CPIC's ancestry-specific adjustments could not be assessed";
    else if (p.race == dosing::Race::black_or_african_american)
        text += ", then apply the African-ancestry adjustments listed under CPIC guideline";
    else if (codes.count("cpic_non_african_cyp4f2_star3"))
        text += "; CYP4F2*3 carriers may need a 5-10% higher dose (optional)";
    if (codes.count("cpic_cyp2c9_poor_metabolizer")) text += "; CYP2C9 poor metabolizer: see CPIC guideline below";
    return text + ".";
}

std::string vkorc1_gene_strand(const pgx::SampleGenotype& sample) {
    for (const auto& gene : sample.genes)
        for (const auto& r : gene.reported)
            if (r.key == std::string(dosing::vkorc1_1639_snp.rsid) + "_gene_strand" && r.genotype) return *r.genotype;
    return {};
}

}  // namespace

std::string gene_strand_label(const std::string& rsid) { return rsid == dosing::vkorc1_1639_snp.rsid ? "-1639" : ""; }

namespace {

// Review reasons (the QC status) and limitations, in the order the steps below find them.
struct Findings {
    std::vector<std::string> qc;
    std::vector<std::string> limitations;
};

bool is_reported(const pgx::GeneDefinition& definition, const std::string& rsid) {
    return std::any_of(definition.reported_genotypes.begin(), definition.reported_genotypes.end(),
                       [&](const pgx::ReportedGenotype& reported) { return reported.rsid == rsid; });
}

// Who and what the report is about: identifiers, laboratory, specimen, sign-off, the test.
void describe_test(ReportDocument& d, const ReportBuildInputs& in) {
    d.title = "Warfarin pharmacogenomic dosing report";
    d.identifiers = in.identifiers;
    for (std::string* id : {&d.identifiers.patient_id, &d.identifiers.sample_id, &d.identifiers.patient_name,
                            &d.identifiers.date_of_birth, &d.identifiers.ordering_clinician, &d.identifiers.laboratory,
                            &d.identifiers.accession})
        *id = neutralize_bidi(*id);
    d.laboratory.address = field(in.report_fields, "laboratory_address");
    d.laboratory.director = field(in.report_fields, "laboratory_director");
    d.laboratory.clia_number = field(in.report_fields, "clia_number");
    d.laboratory.cap_number = field(in.report_fields, "cap_number");
    d.laboratory.local_identifier = field(in.report_fields, "local_identifier");
    d.specimen.type = field(in.report_fields, "specimen_type");
    d.specimen.collection_date = field(in.report_fields, "collection_date");
    d.specimen.received_date = field(in.report_fields, "received_date");
    d.sign_off.name = field(in.report_fields, "signed_by");
    d.sign_off.credentials = field(in.report_fields, "signer_credentials");
    d.sign_off.date = field(in.report_fields, "signed_date");
    d.clinical_inputs = clinical_inputs(*in.patient);
    d.input_kind = in.input_kind;
    d.test_description =
        "Pharmacogenomic genotyping of CYP2C9, VKORC1 and CYP4F2 (and " + std::string(dosing::rs12777823_snp.rsid) +
        ") from " +
        std::string(in.input_kind == "reads" ? "sequencing reads (variants called by genodose in the gene regions)"
                                             : "the variant calls of a VCF file") +
        " against " + pgx::to_string(in.build) +
        ", star-allele calling with PharmCAT semantics, and a prediction of the stable weekly warfarin maintenance dose "
        "by a gradient-boosted model trained on the IWPC cohort, shown beside the IWPC pharmacogenetic equation and the "
        "statements of the CPIC 2017 warfarin guideline that apply.";
}

// The gene's call as the results table shows it.
GeneResult gene_call(const pgx::GeneDefinition& definition, const pgx::GeneGenotype& genotype) {
    GeneResult result;
    result.gene = definition.gene;
    result.status = pgx::to_string(genotype.call.status);
    for (const auto& best : genotype.call.best) result.diplotypes.push_back(best.name);
    result.genotype_display = abbreviate_long_alleles(gene_display(definition, genotype));
    result.phenotype = genotype.phenotype;
    result.activity_score = genotype.activity_score;
    if (genotype.call.best.size() > 1 && genotype.tested_call && !genotype.phenotype_qualifier) {
        result.phenotype = genotype.tested_call->phenotype;
        result.activity_score = genotype.tested_call->activity_score;
    }
    result.phenotype_qualifier = genotype.phenotype_qualifier;
    result.key_alleles_not_tested = genotype.key_alleles_not_tested;
    result.positions_defined = static_cast<int>(definition.positions.size());
    result.untestable_alleles = genotype.call.untestable_alleles;
    result.notes = genotype.call.notes;
    return result;
}

// Review reasons of one key position: not called, called below the confidence bar, low depth.
void add_key_position_findings(const std::string& gene, const KeyVariant& v,
                               const pgx::PositionObservation& observation, bool amp1_or_reported, int low_depth,
                               Findings& findings) {
    const std::string name = v.rsid.empty() ? v.position : v.rsid;
    if (!observation.usable() && amp1_or_reported)
        findings.qc.push_back(gene + ": key position " + name + (v.defines.empty() ? "" : " (" + v.defines + ")") +
                              " not called");
    // A key call below the confidence bar (e.g. next to an IUPAC base in the reference, or from a
    // handful of reads) goes to review, whatever it is.
    if (observation.usable() && amp1_or_reported && v.quality && *v.quality < pgx::min_confident_key_quality)
        findings.qc.push_back(gene + ": key position " + name + " genotyped with GQ " + std::to_string(*v.quality) +
                              " < " + std::to_string(pgx::min_confident_key_quality));
    if (observation.usable() && v.depth && *v.depth < low_depth)
        findings.qc.push_back(gene + ": low read depth (" + std::to_string(*v.depth) + ") at " + name);
}

// Every defined position of the gene: key variants (AMP tier-1, reported SNPs, and positions
// where the sample carries an alternative allele), the positions tested, those not called.
void add_positions(GeneResult& result, const pgx::GeneDefinition& definition, const pgx::GeneGenotype& genotype,
                   const ReportBuildInputs& in, Findings& findings) {
    const auto& sample = *in.genotype;
    for (std::size_t p = 0; p < genotype.targets.size(); ++p) {
        const pgx::GenotypingTarget& target = (*in.targets)[genotype.targets[p]];
        const pgx::PositionObservation& observation = sample.observations.positions[genotype.targets[p]];
        if (observation.usable()) ++result.positions_called;
        const bool amp1 = std::find(definition.amp1_positions.begin(), definition.amp1_positions.end(),
                                    target.grch38_position) != definition.amp1_positions.end();
        const bool amp1_or_reported = amp1 || is_reported(definition, target.rsid);
        if (amp1_or_reported || has_alternative_allele(target, observation)) {
            KeyVariant v = key_variant(&definition, p, target, observation);
            add_key_position_findings(definition.gene, v, observation, amp1_or_reported, in.low_depth, findings);
            result.key_variants.push_back(std::move(v));
        }
        result.positions_tested.push_back(key_variant(&definition, p, target, observation));
        if (!observation.usable())
            result.positions_not_called.push_back({target.rsid, position_text(target),
                                                   pgx::to_string(observation.status), reason_not_called(observation)});
    }
}

// Alleles tested: every defining position called; partly: some of them.
void add_alleles_tested(GeneResult& result, const pgx::GeneDefinition& definition, const pgx::GeneGenotype& genotype,
                        const pgx::SampleObservations& observations) {
    for (const auto& allele : definition.alleles) {
        if (allele.reference) continue;
        std::size_t defining = 0, called = 0;
        for (std::size_t p = 0; p < allele.alleles.size() && p < genotype.targets.size(); ++p) {
            if (!allele.alleles[p]) continue;
            ++defining;
            if (observations.positions[genotype.targets[p]].usable()) ++called;
        }
        if (defining == 0) continue;
        if (called == defining) result.alleles_tested.push_back(allele.name);
        else if (called > 0) result.alleles_partly_tested.push_back(allele.name);
    }
}

// "a, b, c, and 3 more" for the first eight.
std::string first_eight(std::vector<std::string> names) {
    if (names.size() > 8) {
        const std::size_t more = names.size() - 8;
        names.resize(8);
        names.push_back("and " + std::to_string(more) + " more");
    }
    return join(names, ", ");
}

// Limitations and review reasons that follow from a gene's call.
void add_call_findings(const GeneResult& result, const pgx::GeneDefinition& definition,
                       const pgx::GeneGenotype& genotype, const dosing::Patient& patient, Findings& findings) {
    const std::string& gene = definition.gene;
    const pgx::GeneCall& call = genotype.call;
    const std::string dose_clause = dose_genotype_clause(gene, genotype, patient);
    if (call.status == pgx::CallStatus::no_call) {
        findings.qc.push_back(gene + ": no call (no pair of defined alleles explains the genotypes)");
        findings.limitations.push_back(gene +
                                       ": no diplotype explains the observed genotypes (no-call); nothing was "
                                       "guessed" +
                                       (dose_clause.empty() ? "" : "; " + dose_clause) + ".");
    } else if (call.status == pgx::CallStatus::no_data) {
        findings.qc.push_back(gene + ": no usable genotype at any defined position");
        findings.limitations.push_back(gene + ": not genotyped (no usable data)" +
                                       (dose_clause.empty() ? "" : "; " + dose_clause) + ".");
    } else if (call.best.size() > 1 && genotype.tested_call) {
        findings.limitations.push_back(
            gene + ": " + genotype.tested_call->name + " is the call from the alleles the input tests (" +
            join(genotype.tested_alleles, ", ") +
            "); PharmCAT's matching, which also weighs alleles the input cannot detect, leaves " +
            std::to_string(call.best.size()) + " diplotypes tied (" + join(result.diplotypes, ", ") + ").");
    } else if (call.best.size() > 1) {
        findings.qc.push_back(gene + ": ambiguous diplotype (" + join(result.diplotypes, " or ") + ")");
        const bool typed = dose_clause.find("patient input") != std::string::npos;
        findings.limitations.push_back(gene + ": " + std::to_string(call.best.size()) +
                                       " diplotypes fit the data equally well (" + join(result.diplotypes, ", ") +
                                       "); phase or further testing would be needed to decide" +
                                       (typed ? "; " + dose_clause : "") + ".");
    }
    if (!result.positions_not_called.empty()) {
        std::vector<std::string> names;
        for (const auto& p : result.positions_not_called) names.push_back(p.rsid.empty() ? p.position : p.rsid);
        findings.limitations.push_back(gene + ": " + std::to_string(result.positions_not_called.size()) + " of " +
                                       std::to_string(result.positions_defined) + " defined positions not called (" +
                                       first_eight(names) + "); they were not assumed to be reference.");
    }
    if (!genotype.key_alleles_not_tested.empty())
        findings.limitations.push_back(
            gene + ": key (AMP tier-1) alleles not tested: " + join(genotype.key_alleles_not_tested, ", ") + ".");
    if (genotype.phenotype_qualifier)
        findings.qc.push_back(gene + ": phenotype " + (genotype.phenotype ? "qualified" : "not determined") + " (" +
                              *genotype.phenotype_qualifier + ")");
    if (!call.untestable_alleles.empty())
        findings.limitations.push_back(gene + ": alleles not tested because every position defining them is missing: " +
                                       join(call.untestable_alleles, ", ") + ".");
    if (!call.assumed_reference_positions.empty())
        findings.limitations.push_back(gene + ": " + std::to_string(call.assumed_reference_positions.size()) +
                                       " positions without a record were assumed reference (--missing-to-ref).");
}

GeneResult gene_result(const pgx::GeneDefinition& definition, const pgx::GeneGenotype& genotype,
                       const ReportBuildInputs& in, Findings& findings) {
    GeneResult result = gene_call(definition, genotype);
    add_positions(result, definition, genotype, in, findings);
    add_alleles_tested(result, definition, genotype, in.genotype->observations);
    const auto coverage = in.coverage.find(definition.gene);
    if (coverage != in.coverage.end()) result.coverage = coverage->second;
    add_call_findings(result, definition, genotype, *in.patient, findings);
    return result;
}

// What the input itself calls for: reads repeated under the same names (a file merged with
// itself, lanes concatenated twice: the copies were skipped, but such a file needs a look), and
// IUPAC codes in the reference.
void add_input_findings(const pgx::SampleObservations& observed, Findings& findings) {
    if (observed.repeated_reads > 0 &&
        static_cast<double>(observed.repeated_reads) > max_repeated_read_fraction * static_cast<double>(observed.reads))
        findings.qc.push_back("reads: " + std::to_string(observed.repeated_reads) +
                              " reads repeat the name and flags of a read already seen (" +
                              std::to_string(observed.reads) + " kept); the copies were skipped");
    if (observed.ambiguous_reference_bases > 0)
        findings.limitations.push_back(
            "The reference has " + std::to_string(observed.ambiguous_reference_bases) +
            " IUPAC ambiguity code(s) (not A/C/G/T/N) in the called windows; they were read as N.");
}

// The reported positions outside the alleles (rs12777823); one not called is a limitation.
std::vector<KeyVariant> other_variants(const ReportBuildInputs& in, Findings& findings) {
    std::vector<KeyVariant> variants;
    const auto& sample = *in.genotype;
    for (std::size_t t : sample.variant_targets) {
        const auto& target = (*in.targets)[t];
        const auto& observation = sample.observations.positions[t];
        KeyVariant v = key_variant(nullptr, 0, target, observation);
        if (!observation.usable()) {
            std::string used;
            if (target.rsid == dosing::rs12777823_snp.rsid && in.patient->rs12777823_a_alleles) {
                used = "; the guideline statements used " +
                       dosing::snp_genotype(dosing::rs12777823_snp, *in.patient->rs12777823_a_alleles) +
                       " from the patient input (see the dose notes)";
            }
            findings.limitations.push_back(target.rsid + " (" + v.position +
                                           ", used by the CPIC guideline for patients of "
                                           "African ancestry) was not called: " +
                                           reason_not_called(observation) + used + ".");
        }
        variants.push_back(std::move(v));
    }
    return variants;
}

// The prediction as the report shows it, with the features that moved it most.
DoseResult dose_result(const dosing::DosePrediction& prediction, int top_drivers) {
    DoseResult dose;
    dose.predicted_mg_per_week = prediction.dose_mg_per_week;
    dose.interval_low = prediction.interval_low;
    dose.interval_high = prediction.interval_high;
    dose.interval_coverage = prediction.interval_coverage;
    dose.interval_recalibrated_on_patients = prediction.recalibrated_on_patients;
    dose.iwpc_pharmacogenetic_mg_per_week = prediction.iwpc_pharmacogenetic_mg_per_week;
    dose.iwpc_clinical_mg_per_week = prediction.iwpc_clinical_mg_per_week;
    dose.baseline_mg_per_week = prediction.baseline_mg_per_week;
    dose.missing_inputs = prediction.missing_inputs;
    dose.notes = prediction.notes;
    dose.missing_core_inputs = static_cast<int>(prediction.missing_core_count);
    dose.extrapolations = prediction.extrapolations;
    for (const auto& c : prediction.contributions) {
        if (static_cast<int>(dose.drivers.size()) >= top_drivers) break;
        if (std::fabs(c.mg_per_week) < 0.05) continue;
        std::string label = c.feature;
        for (const auto& definition : dosing::feature_catalogue())
            if (definition.name == c.feature) label = capitalized(definition.description);
        dose.drivers.push_back({c.feature, label, c.value, c.mg_per_week});
    }
    return dose;
}

// The CPIC recommendation first, then what limits the number: extrapolation, missing inputs.
Headline headline(const ReportBuildInputs& in) {
    const dosing::DosePrediction& prediction = *in.prediction;
    Headline headline;
    headline.recommendation = cpic_recommendation(*in.patient, prediction);
    for (const auto& e : prediction.extrapolations) headline.cautions.push_back("Extrapolated: " + e + ".");
    if (dosing::missingness_group(prediction.missing_core_count) > 0) {
        const auto missing_core = dosing::missing_core_inputs(*in.patient);
        headline.cautions.push_back(
            std::to_string(missing_core.size()) + " of the " + std::to_string(dosing::core_input_count) +
            " inputs of the IWPC equations are missing (" + join(missing_core, ", ") + "): the interval " +
            (in.model->conformal.missingness_groups.empty()
                 ? std::string("was not calibrated for missing inputs and may cover fewer patients than stated")
                 : "is calibrated on patients with " +
                       dosing::missingness_group_name(dosing::missingness_group(prediction.missing_core_count)) +
                       " of them missing, hence wider") +
            ".");
    }
    return headline;
}

// Review is needed when an input of the IWPC equations is missing; unrecorded drugs or
// comorbidities are reported but are the normal state of many patient records.
void add_missing_input_findings(const dosing::DosePrediction& prediction, Findings& findings) {
    if (prediction.missing_inputs.empty()) return;
    static const std::set<std::string> core = {"age", "height", "weight", "CYP2C9", "VKORC1"};
    std::vector<std::string> missing_core;
    for (const auto& input : prediction.missing_inputs)
        if (core.count(input)) missing_core.push_back(input);
    if (!missing_core.empty()) findings.qc.push_back("dose inputs missing: " + join(missing_core, ", "));
    findings.limitations.push_back(
        "The dose was predicted without: " + join(prediction.missing_inputs, ", ") +
        ". The model treats them as unknown (it was trained with missing values); nothing was "
        "filled in. Supplying them may change the prediction.");
}

// CPIC's recommendation for patients of African ancestry depends on CYP2C9*5/*6/*8/*11 and
// rs12777823: not testing them is a review reason there.
void add_ancestry_findings(const ReportBuildInputs& in, Findings& findings) {
    const dosing::Patient& patient = *in.patient;
    if (patient.race != dosing::Race::black_or_african_american) return;
    std::vector<std::string> untested;  // CYP2C9 key alleles other than *2/*3 the input did not test
    for (std::size_t g = 0; g < in.data->genes.size() && g < in.genotype->genes.size(); ++g)
        if (in.data->genes[g].gene == "CYP2C9")
            for (const auto& allele : in.genotype->genes[g].key_alleles_not_tested)
                if (allele != "*2" && allele != "*3") untested.push_back(allele);
    if (!patient.cyp2c9.known())
        findings.qc.push_back("African ancestry and no CYP2C9 genotype for the dose: CPIC's recommendation depends on "
                              "CYP2C9 (including *5/*6/*8/*11)");
    else if (!untested.empty() || !patient.cyp2c9.carries_star5_6_8_11)
        findings.qc.push_back("African ancestry and CYP2C9 " +
                              (untested.empty() ? std::string("*5/*6/*8/*11") : join(untested, ", ")) +
                              " not tested: CPIC's recommendation depends on them");
    if (!patient.rs12777823_a_alleles)
        findings.qc.push_back("African ancestry and " + std::string(dosing::rs12777823_snp.rsid) +
                              " not tested: CPIC's recommendation depends on it");
}

// Where the patient's genotypes and dose sit in the cohort table, when there is one.
CohortContext cohort(const ReportBuildInputs& in, const ReportDocument& d) {
    if (!in.cohort) {
        CohortContext none;
        none.reason = "no cohort table was available";
        return none;
    }
    const GeneResult* cyp2c9 = d.gene("CYP2C9");
    const std::string diplotype = cyp2c9 && cyp2c9->status == "called" && cyp2c9->diplotypes.size() == 1
                                      ? cyp2c9->diplotypes.front()
                                      : std::string();
    return cohort_context(*in.cohort, diplotype, vkorc1_gene_strand(*in.genotype), in.prediction->dose_mg_per_week);
}

// Limitations that always apply.
void add_standing_limitations(const ReportBuildInputs& in, Findings& findings) {
    findings.limitations.push_back(
        "Only the variants that define star alleles in the PharmCAT/PharmVar definitions (" + in.data->version() +
        ") are tested. Structural variants, copy-number changes, hybrid genes and novel variants "
        "are not detected; a sample carrying them may be reported as *1.");
    if (in.input_kind == "reads")
        findings.limitations.push_back(
            "Only the pharmacogene regions were analysed. A position without a variant is reported "
            "as reference only when the reads support it confidently; otherwise it is listed as "
            "not called.");
    else if (!in.missing_to_ref)
        findings.limitations.push_back(
            "The VCF was taken as given: positions without a record are missing, not reference. "
            "Use an all-sites (gVCF-derived) VCF to test every position.");
    findings.limitations.push_back(
        "The dose model was trained on the IWPC cohort (adults; mostly White and Asian patients; "
        "few carriers of CYP2C9*5, *6, *8, *11). Predictions for patients unlike the cohort, "
        "children, or patients with interacting drugs not recorded are less reliable. The "
        "interval covers the stated share of cohort-like patients, not every patient.");
}

// How the genotypes and the dose were obtained, with the versions and files they rest on.
Methods methods(const ReportBuildInputs& in) {
    const auto& data = *in.data;
    const std::string build = pgx::to_string(in.build);
    const std::string rs12777823 = dosing::rs12777823_snp.rsid;
    Methods methods;
    methods.genodose_version = genodose::version;
    methods.reference_build = build;
    methods.platform = field(in.report_fields, "platform");
    methods.allele_definitions = "PharmCAT allele definitions and CPIC phenotype tables, version " + data.version();
    std::size_t defined = 0;
    for (const auto& gene : data.genes) defined += gene.positions.size();
    if (in.input_kind == "reads")
        methods.description.push_back(
            "Genotypes at the " + std::to_string(defined) + " defined positions (and " + rs12777823 +
            ") were called from the reads with genodose's variant caller (a "
            "convolutional network on pileup images, model listed below) in windows around each position. A position "
            "without a variant counts as homozygous reference only when the reads support it confidently (reference "
            "confidence GQ ≥ 20 at depth ≥ 8); otherwise it is reported as not called. Key positions (AMP tier-1, "
            "VKORC1 -1639, CYP4F2*3, " +
            rs12777823 +
            ") are genotyped from whatever reads cover them, with their GQ; a "
            "phenotype that rests on one with GQ < 20 is not determined. Depth is the number of reads "
            "covering the position; quality is the genotype quality (GQ).");
    else
        methods.description.push_back("Genotypes at the " + std::to_string(defined) + " defined positions (and " +
                                      rs12777823 +
                                      ") were read from the VCF (indels compared in normalised form; records "
                                      "whose reference allele disagrees with " +
                                      build +
                                      " are not used). Depth and quality are the VCF's "
                                      "FORMAT/DP and FORMAT/GQ where present.");
    methods.description.push_back(
        "Star alleles were called as PharmCAT's Named Allele Matcher does: every pair of defined alleles is tested "
        "against the genotypes, missing positions are never assumed reference, and all best-scoring diplotypes are "
        "reported. CYP2C9 activity score and metabolizer phenotype and the VKORC1 phenotype come from the CPIC tables.");
    const dosing::DoseModelInfo& model = *in.model;
    methods.description.push_back(
        "The weekly maintenance dose was predicted by a gradient-boosted tree model (XGBoost " + model.xgboost_version +
        ", " + std::to_string(model.features.size()) + " inputs, trained on " + std::to_string(model.training_rows) +
        " IWPC patients on the " + dosing::transform_name(model.transform) +
        " scale). The interval is split-conformal" + conformal_calibration_text(model.conformal) +
        " with nominal coverage " + format_number(model.conformal.nominal_coverage * 100, 0) +
        "%. Feature contributions are TreeSHAP values converted to mg/week. The IWPC pharmacogenetic and clinical "
        "equations (N Engl J Med 2009;360:753-64) are shown for comparison; CPIC 2017 statements are reported, never "
        "applied to the dose.");
    methods.data_files = in.data_files;
    methods.inputs = in.inputs;
    return methods;
}

}  // namespace

ReportDocument build_report(const ReportBuildInputs& in) {
    if (!in.data || !in.targets || !in.genotype || !in.patient || !in.prediction || !in.model)
        throw InternalError("build_report: missing inputs");
    ReportDocument d;
    Findings findings;  // collected in this order: genes, the input, other variants, dose, ancestry
    describe_test(d, in);
    for (std::size_t g = 0; g < in.data->genes.size() && g < in.genotype->genes.size(); ++g)
        d.genes.push_back(gene_result(in.data->genes[g], in.genotype->genes[g], in, findings));
    add_input_findings(in.genotype->observations, findings);
    d.other_variants = other_variants(in, findings);
    d.dose = dose_result(*in.prediction, in.top_drivers);
    d.headline = headline(in);
    add_missing_input_findings(*in.prediction, findings);
    add_ancestry_findings(in, findings);
    d.guideline_citation = dosing::cpic_warfarin_citation;
    for (const auto& flag : in.prediction->flags)
        d.guideline.push_back({flag.code, flag.advice, flag.change_low, flag.change_high});
    d.cohort = cohort(in, d);
    add_standing_limitations(in, findings);
    d.limitations = std::move(findings.limitations);
    d.qc.status = findings.qc.empty() ? "pass" : "review";
    d.qc.reasons = std::move(findings.qc);
    d.methods = methods(in);
    d.review_statement = review_statement;
    d.provenance.generated_at = in.generated_at;
    d.provenance.command_line = in.command_line;
    return d;
}

}  // namespace genodose::report
