#include "genodose/dosing/genotypes.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "genodose/core/checked_json.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/text.hpp"
#include "genodose/core/text_input.hpp"
#include "text_util.hpp"

namespace genodose::dosing {

using detail::is_missing_text;
using detail::quote;
using detail::trim;

namespace {

std::string read_text_file(const std::string& path, const std::string& what) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, what + " not found or not readable"));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(file_message(path, "read error"));
    return text.str();
}

bool valid_star_allele(const std::string& allele) {
    if (allele.size() < 2 || allele[0] != '*') return false;
    return std::all_of(allele.begin() + 1, allele.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.'; });
}

// Two alleles of an SNP genotype text ("C/T", "C|T"); false if not of that form.
bool split_snp(const std::string& text, std::string& first, std::string& second) {
    const std::string t = trim(text);
    const auto slash = t.find_first_of("/|");
    if (slash == std::string::npos || t.find_first_of("/|", slash + 1) != std::string::npos) return false;
    first = detail::trim(t.substr(0, slash));
    second = detail::trim(t.substr(slash + 1));
    for (auto* allele : {&first, &second})
        for (char& c : *allele) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return !first.empty() && !second.empty();
}

bool is_nocall_snp(const std::string& text) {
    const std::string t = trim(text);
    return is_missing_text(t) || t == "./." || t == ".|." || t == "." || t == "-/-";
}

// Count of `alt` alleles in a genotype whose alleles must be `ref` or `alt`.
std::optional<int> count_alt(const std::string& text, char ref, char alt, const std::string& what) {
    if (is_nocall_snp(text)) return std::nullopt;
    std::string a, b;
    if (!split_snp(text, a, b) || a.size() != 1 || b.size() != 1)
        throw InputError(what + ": expected a genotype like " + std::string{ref} + "/" + std::string{alt} + ", got " +
                         quote(text));
    int count = 0;
    for (const std::string& allele : {a, b}) {
        if (allele[0] == alt) {
            ++count;
        } else if (allele[0] != ref) {
            throw InputError(what + ": allele " + quote(allele) + " is neither " + std::string{ref} + " nor " +
                             std::string{alt} + " in " + quote(text));
        }
    }
    return count;
}

// Gene-strand genotype -> the pair of alleles sorted, e.g. "T/C" -> "C/T"; empty when missing.
std::string normalized_gene_strand(const std::string& text, const std::string& what) {
    if (is_missing_text(text)) return {};
    std::string a, b;
    if (!split_snp(text, a, b)) throw InputError(what + ": expected a genotype like C/T, got " + quote(text));
    if (b < a) std::swap(a, b);
    return a + "/" + b;
}

std::optional<int> code_from(const std::string& genotype, const std::string& zero, const std::string& one,
                             const std::string& two) {
    if (genotype == zero) return 0;
    if (genotype == one) return 1;
    if (genotype == two) return 2;
    return std::nullopt;
}

char complement(char base) {
    switch (base) {
        case 'A': return 'T';
        case 'C': return 'G';
        case 'G': return 'C';
        case 'T': return 'A';
        default: return base;
    }
}

}  // namespace

Cyp2c9ActivityTable Cyp2c9ActivityTable::load(const std::string& path) {
    const std::string text = read_text_file(path, "CYP2C9 phenotype table");
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(file_message(path, std::string("not valid JSON: ") + e.what()));
    }
    if (!json.is_object() || !json.contains("activityValues") || !json["activityValues"].is_object())
        throw InputError(
            file_message(path, "no \"activityValues\" object (expected a CPIC/PharmCAT CYP2C9 phenotype table)"));
    std::map<std::string, std::optional<double>> values;
    for (const auto& [allele, value] : json["activityValues"].items()) {
        if (!valid_star_allele(allele))
            throw InputError(file_message(path, "activityValues: " + quote(allele) + " is not a star allele"));
        std::optional<double> activity;
        if (value.is_number()) {
            activity = value.get<double>();
        } else if (value.is_string()) {
            double parsed = 0;
            if (detail::parse_double(value.get<std::string>(), parsed)) {
                activity = parsed;
            } else if (detail::lower(value.get<std::string>()) != "n/a") {
                throw InputError(file_message(path, "activityValues: value of " + allele + " is " +
                                                        quote(value.get<std::string>()) + ", not a number or n/a"));
            }
        } else if (!value.is_null()) {
            throw InputError(file_message(path, "activityValues: value of " + allele + " is not a number or n/a"));
        }
        values[allele] = activity;
    }
    if (values.empty()) throw InputError(file_message(path, "activityValues is empty"));
    return Cyp2c9ActivityTable(std::move(values));
}

std::optional<double> Cyp2c9ActivityTable::activity_score(const std::string& diplotype) const {
    if (diplotype.empty()) return std::nullopt;
    const auto [a, b] = split_diplotype(diplotype);
    const auto first = values_.find(a), second = values_.find(b);
    if (first == values_.end() || second == values_.end() || !first->second || !second->second) return std::nullopt;
    return *first->second + *second->second;
}

std::pair<std::string, std::string> split_diplotype(const std::string& diplotype) {
    const std::string t = trim(diplotype);
    const auto slash = t.find('/');
    if (slash == std::string::npos || t.find('/', slash + 1) != std::string::npos)
        throw InputError("expected a diplotype like *1/*3, got " + quote(diplotype));
    std::string a = trim(t.substr(0, slash)), b = trim(t.substr(slash + 1));
    if (!valid_star_allele(a) || !valid_star_allele(b))
        throw InputError("expected a diplotype like *1/*3, got " + quote(diplotype));
    return {a, b};
}

Cyp2c9Genotype cyp2c9_from_diplotype(const std::string& text) {
    Cyp2c9Genotype genotype;
    if (is_missing_text(text)) {
        genotype.note = "CYP2C9 not genotyped";
        return genotype;
    }
    const auto [a, b] = split_diplotype(text);
    genotype.diplotype = a + "/" + b;
    genotype.star2_alleles = int(a == "*2") + int(b == "*2");
    genotype.star3_alleles = int(a == "*3") + int(b == "*3");
    auto rare = [](const std::string& allele) {
        return allele == "*5" || allele == "*6" || allele == "*8" || allele == "*11";
    };
    if (rare(a) || rare(b)) genotype.carries_star5_6_8_11 = true;
    return genotype;
}

std::optional<int> count_snp_alleles(const std::string& genotype, char ref, char alt) {
    return count_alt(genotype, ref, alt, "genotype");
}

std::optional<int> vkorc1_1639_a_alleles(const std::string& gene_strand_genotype) {
    const std::string genotype = normalized_gene_strand(gene_strand_genotype, "VKORC1 -1639");
    if (genotype.empty()) return std::nullopt;
    if (auto code = code_from(genotype, "G/G", "A/G", "A/A")) return code;
    throw InputError("VKORC1 -1639: expected G/G, A/G or A/A, got " + quote(gene_strand_genotype));
}

std::optional<int> impute_vkorc1_1639_a_alleles(Race race, const std::string& vkorc1_2255,
                                                const std::string& vkorc1_1173, const std::string& vkorc1_1542) {
    const bool not_black = race == Race::white || race == Race::asian;
    const std::string name_2255 = "VKORC1 2255 (" + std::string(vkorc1_2255_rsid) + ")",
                      name_1173 = "VKORC1 1173 (" + std::string(vkorc1_1173_rsid) + ")",
                      name_1542 = "VKORC1 1542 (" + std::string(vkorc1_1542_rsid) + ")";
    const std::string g2255 = normalized_gene_strand(vkorc1_2255, name_2255);
    const std::string g1173 = normalized_gene_strand(vkorc1_1173, name_1173);
    const std::string g1542 = normalized_gene_strand(vkorc1_1542, name_1542);
    auto checked = [](const std::string& genotype, std::optional<int> code, const std::string& what) {
        if (!code) throw InputError(what + ": unexpected genotype " + quote(genotype));
        return code;
    };
    if (not_black && !g2255.empty()) return checked(g2255, code_from(g2255, "C/C", "C/T", "T/T"), name_2255);
    if (!g1173.empty()) return checked(g1173, code_from(g1173, "C/C", "C/T", "T/T"), name_1173);
    if (not_black && !g1542.empty()) return checked(g1542, code_from(g1542, "G/G", "C/G", "C/C"), name_1542);
    return std::nullopt;
}

// ---- what a genotyping reports ---------------------------------------------------------

const std::optional<std::string>* ReportedGene::snp(const std::string& rsid) const {
    const auto found = snps.find(rsid);
    return found == snps.end() ? nullptr : &found->second;
}

ReportedGenotypes reported_genotypes(const pgx::PgxDataset& data, const std::vector<pgx::GenotypingTarget>& targets,
                                     const pgx::SampleGenotype& genotype) {
    ReportedGenotypes reported;
    reported.sample = genotype.observations.sample;
    for (std::size_t g = 0; g < data.genes.size() && g < genotype.genes.size(); ++g) {
        const pgx::GeneGenotype& gene = genotype.genes[g];
        ReportedGene& entry = reported.genes[data.genes[g].gene];
        entry.diplotypes.emplace();
        for (const auto& diplotype : gene.call.best) entry.diplotypes->push_back(diplotype.name);
        entry.phenotype = gene.phenotype;
        entry.activity_score = gene.activity_score;
        if (gene.tested_call)
            entry.call_from_tested_alleles = ReportedGene::TestedCall{
                gene.tested_call->name, gene.tested_call->phenotype, gene.tested_call->activity_score};
        entry.tested_alleles = gene.tested_alleles;
        entry.key_alleles_not_tested = gene.key_alleles_not_tested;
        entry.key_alleles_low_quality = gene.key_alleles_low_quality;
        entry.phenotype_qualified = gene.phenotype_qualifier.has_value();
        entry.phenotype_if_untested_absent = gene.phenotype_if_untested_absent;
        entry.activity_score_if_untested_absent = gene.activity_score_if_untested_absent;
        entry.positions_missing = !gene.call.missing_positions.empty();
        for (const auto& snp : gene.reported) entry.snps[snp.key] = snp.genotype;
    }
    for (std::size_t t : genotype.variant_targets) {
        const pgx::GenotypingTarget& target = targets[t];
        const std::string text = pgx::genotype_text(target, genotype.observations.positions[t]);
        const std::string key =
            target.rsid.empty() ? target.chromosome + ":" + std::to_string(target.position + 1) : target.rsid;
        reported.variants[key] = text.empty() ? std::nullopt : std::optional<std::string>(text);
    }
    return reported;
}

namespace {

// The genes the dose reads from a genotyping.
const std::vector<std::string>& dose_genes() {
    static const std::vector<std::string> genes = {"CYP2C9", "VKORC1", "CYP4F2"};
    return genes;
}

// The single diplotype of a gene, or empty with `note` saying why there is none.
std::string single_diplotype(const ReportedGene& gene, const std::string& gene_name, std::string& note) {
    if (!gene.diplotypes) {
        note = gene_name + " not called (no diplotypes)";
        return {};
    }
    const std::vector<std::string>& diplotypes = *gene.diplotypes;
    if (diplotypes.empty()) {
        note = gene_name + " no-call";
        return {};
    }
    if (diplotypes.size() > 1) {
        note = gene_name + " ambiguous (" + join(diplotypes, " or ") + "); treated as missing";
        return {};
    }
    return diplotypes.front();
}

// The genotype text of a reported SNP; empty when not reported or not called.
std::string snp_text(const ReportedGene& gene, const std::string& rsid) {
    const std::optional<std::string>* value = gene.snp(rsid);
    return value && *value ? **value : std::string();
}

// Plus-strand genotype of a gene-strand-minus SNP -> gene-strand text (complemented).
std::string complemented(const std::string& plus_strand) {
    std::string a, b;
    if (is_nocall_snp(plus_strand) || !split_snp(plus_strand, a, b) || a.size() != 1 || b.size() != 1) return {};
    return std::string{complement(a[0])} + "/" + std::string{complement(b[0])};
}

// Count of the counted allele of a dose SNP in a genotype text; `what` names it in errors.
std::optional<int> count_dose_snp(const std::string& text, const DoseSnp& snp, const std::string& what) {
    return count_alt(text, snp.reference, snp.counted, what);
}

// The CYP2C9 call the dose uses, with the phenotype and activity score that go with it: the
// single PharmCAT diplotype, else the call from the tested alleles (a targeted assay: PharmCAT
// ties *2/*3 with *2/*18 and others; the tested alleles decide), with a note saying so.
struct Cyp2c9Call {
    std::string diplotype;  // empty: no call, `note` says why
    std::string note;
    std::string basis;  // how the call was made, when not PharmCAT's single diplotype
    std::optional<double> activity;
    std::string phenotype;
};

Cyp2c9Call cyp2c9_call(const ReportedGene& gene) {
    Cyp2c9Call call;
    call.diplotype = single_diplotype(gene, "CYP2C9", call.note);
    call.activity = gene.activity_score;
    call.phenotype = gene.phenotype.value_or("");
    if (call.diplotype.empty() && gene.call_from_tested_alleles && !gene.call_from_tested_alleles->diplotype.empty()) {
        const ReportedGene::TestedCall& tested = *gene.call_from_tested_alleles;
        call.diplotype = tested.diplotype;
        call.basis = "CYP2C9 " + tested.diplotype + " is the call from the alleles the input tested (" +
                     join(gene.tested_alleles) + "); PharmCAT's matching leaves " +
                     join(gene.diplotypes.value_or(std::vector<std::string>{}), " or ") + " tied";
        call.activity = tested.activity_score;
        call.phenotype = tested.phenotype.value_or("");
    }
    if (!call.diplotype.empty() && gene.phenotype_qualified && !call.activity) {
        // qualified: the values the table gives if the untested alleles are absent
        call.activity = gene.activity_score_if_untested_absent;
        if (call.phenotype.empty()) call.phenotype = gene.phenotype_if_untested_absent.value_or("");
    }
    return call;
}

// Key alleles the input did not test, and those genotyped with low quality ("*3 (GQ 5)"), which
// count as untested for the dose too: a reference call from a read or two does not rule the
// allele out.
struct DoubtfulAlleles {
    std::vector<std::string> counted;      // *2/*3: the model counts them
    std::vector<std::string> rare;         // *5/*6/*8/*11: the CPIC statements need them
    std::vector<std::string> low_quality;  // names only ("*3")

    bool is_low_quality(const std::string& allele) const {
        return std::find(low_quality.begin(), low_quality.end(), allele) != low_quality.end();
    }
    bool any_low_quality(const std::vector<std::string>& alleles) const {
        return std::any_of(alleles.begin(), alleles.end(),
                           [&](const std::string& allele) { return is_low_quality(allele); });
    }
    // "*3 not tested", "*2 genotyped with low quality (GQ < 20)", or both.
    std::string described(const std::vector<std::string>& alleles) const {
        std::vector<std::string> untested_names, low_names;
        for (const auto& allele : alleles) (is_low_quality(allele) ? low_names : untested_names).push_back(allele);
        std::vector<std::string> parts;
        if (!untested_names.empty()) parts.push_back(join(untested_names) + " not tested");
        if (!low_names.empty()) parts.push_back(join(low_names) + " genotyped with low quality (GQ < 20)");
        return join(parts, "; ");
    }
};

DoubtfulAlleles doubtful_alleles(const ReportedGene& gene) {
    DoubtfulAlleles doubtful;
    std::vector<std::string> alleles = gene.key_alleles_not_tested.value_or(std::vector<std::string>{});
    for (const auto& entry : gene.key_alleles_low_quality) {
        const std::string name = entry.substr(0, entry.find(' '));
        alleles.push_back(name);
        doubtful.low_quality.push_back(name);
    }
    for (const auto& allele : alleles) {
        if (allele == "*2" || allele == "*3") doubtful.counted.push_back(allele);
        if (allele == "*5" || allele == "*6" || allele == "*8" || allele == "*11") doubtful.rare.push_back(allele);
    }
    return doubtful;
}

// A *1 of the call may be an untested *2 or *3: its count and the activity score are unknown
// (missing for the model and the IWPC equation), never assumed zero. Returns the note.
std::string forget_counted_alleles(Cyp2c9Genotype& result, Cyp2c9Call& call, const DoubtfulAlleles& doubtful) {
    for (const auto& allele : doubtful.counted) {
        if (allele == "*2") result.star2_alleles.reset();
        if (allele == "*3") result.star3_alleles.reset();
    }
    result.activity_score_unknown = true;
    call.activity.reset();
    call.phenotype.clear();
    return "CYP2C9 " + call.diplotype + ": " + doubtful.described(doubtful.counted) + ", so the dose treats the " +
           join(doubtful.counted, " and ") + " allele count and the activity score as unknown";
}

// Whether the sample carries *5/*6/*8/*11 (the CPIC statements for African ancestry): "none"
// only when the genotyping tested them all (or, in a file from before key_alleles_not_tested,
// when no position is missing); a note names the untested ones the dose assumed absent.
void decide_star5_6_8_11(Cyp2c9Genotype& result, const ReportedGene& gene, const std::string& diplotype,
                         bool has_reference, const DoubtfulAlleles& doubtful, std::vector<std::string>& notes) {
    if (!gene.key_alleles_not_tested) {
        if (!gene.positions_missing) result.carries_star5_6_8_11 = false;
        else
            notes.push_back("CYP2C9 positions missing and the genotype file does not list which key alleles were "
                            "tested: *5/*6/*8/*11 status unknown");
    } else if (doubtful.rare.empty()) {
        result.carries_star5_6_8_11 = false;
    } else if (has_reference) {
        notes.push_back(
            "CYP2C9 " + diplotype + " assumes the sample carries none of " + join(doubtful.rare) + " (" +
            (doubtful.any_low_quality(doubtful.rare) ? doubtful.described(doubtful.rare) : std::string("not tested")) +
            ")");
    } else {
        result.carries_star5_6_8_11 = false;  // both haplotypes are other named alleles
        notes.push_back("CYP2C9 " + doubtful.described(doubtful.rare) + "; both haplotypes of " + diplotype +
                        " are other alleles");
    }
}

// CYP2C9 for the dose (docs/genotype-schema.md): the call; if it has a *1 and *2 or *3 (whose
// counts the model uses) was not tested, those counts and the activity score are unknown;
// otherwise the call is used and a note names exactly the untested alleles the dose assumed absent.
Cyp2c9Genotype cyp2c9_for_dose(const ReportedGene& gene) {
    Cyp2c9Call call = cyp2c9_call(gene);
    if (call.diplotype.empty()) {
        Cyp2c9Genotype none;
        none.note = call.note;
        return none;
    }
    Cyp2c9Genotype result = cyp2c9_from_diplotype(call.diplotype);
    const auto [a, b] = split_diplotype(call.diplotype);
    const bool has_reference = a == "*1" || b == "*1";
    const DoubtfulAlleles doubtful = doubtful_alleles(gene);
    std::vector<std::string> notes;
    if (!call.basis.empty()) notes.push_back(call.basis);
    if (has_reference && !doubtful.counted.empty()) notes.push_back(forget_counted_alleles(result, call, doubtful));
    if (!result.carries_star5_6_8_11) decide_star5_6_8_11(result, gene, call.diplotype, has_reference, doubtful, notes);
    result.note = join(notes, "; ");
    result.activity_score = call.activity;
    result.phenotype = call.phenotype;
    return result;
}

const ReportedGene* find_gene(const ReportedGenotypes& reported, const std::string& name) {
    const auto found = reported.genes.find(name);
    return found == reported.genes.end() ? nullptr : &found->second;
}

// CYP4F2*3 alleles: from rs2108622 when reported; a reported position without a genotype is an
// untested *3 (not an absent one), whatever diplotype the other positions give.
void read_cyp4f2(const ReportedGene& gene, SampleGenotypes& result) {
    const std::string rsid = cyp4f2_star3_snp.rsid;
    const std::string star3 = snp_text(gene, rsid);
    if (!star3.empty() && !is_nocall_snp(star3)) {
        result.cyp4f2_star3_alleles = count_dose_snp(star3, cyp4f2_star3_snp, "genes.CYP4F2." + rsid);
    } else if (gene.snp(rsid)) {
        result.cyp4f2_note = "CYP4F2 " + rsid + " (*3) not tested";
    } else {
        std::string note;
        const std::string diplotype = single_diplotype(gene, "CYP4F2", note);
        if (!diplotype.empty()) {
            const auto [a, b] = split_diplotype(diplotype);
            // rs2108622 T defines *3 and is part of *4 (*4 = *2 + *3 core SNPs).
            auto has_v433m = [](const std::string& allele) { return allele == "*3" || allele == "*4"; };
            result.cyp4f2_star3_alleles = int(has_v433m(a)) + int(has_v433m(b));
        }
    }
}

void read_vkorc1(const ReportedGene& gene, SampleGenotypes& result) {
    const std::string rsid = vkorc1_1639_snp.rsid;
    result.vkorc1.a_alleles = count_dose_snp(snp_text(gene, rsid), vkorc1_1639_snp, "genes.VKORC1." + rsid);
    if (result.vkorc1.a_alleles) {
        result.vkorc1.origin = Vkorc1Genotype::Origin::measured;
    } else {
        result.vkorc1.note = "VKORC1 " + rsid + " not called";
        result.vkorc1_2255 = complemented(snp_text(gene, vkorc1_2255_rsid));
        result.vkorc1_1173 = complemented(snp_text(gene, vkorc1_1173_rsid));
        result.vkorc1_1542 = complemented(snp_text(gene, vkorc1_1542_rsid));
    }
}

// Called in a catch block: InputError messages name the source and the sample once.
[[noreturn]] void rethrow_in(const std::string& where, const InputError& e) {
    const std::string message = e.what();
    if (message.rfind(where, 0) == 0) throw;
    throw InputError(where + ": " + message);
}

}  // namespace

SampleGenotypes dose_genotypes(const ReportedGenotypes& reported, const std::string& source) {
    SampleGenotypes result;
    result.sample = reported.sample;
    try {
        if (const ReportedGene* gene = find_gene(reported, "CYP2C9")) {
            result.has_cyp2c9 = true;
            result.cyp2c9 = cyp2c9_for_dose(*gene);
        }
        if (const ReportedGene* gene = find_gene(reported, "VKORC1")) {
            result.has_vkorc1 = true;
            read_vkorc1(*gene, result);
        }
        if (const ReportedGene* gene = find_gene(reported, "CYP4F2")) {
            result.has_cyp4f2 = true;
            read_cyp4f2(*gene, result);
        }
        const std::string rsid = rs12777823_snp.rsid;
        if (const auto found = reported.variants.find(rsid); found != reported.variants.end()) {
            result.has_rs12777823 = true;
            if (found->second)
                result.rs12777823_a_alleles = count_dose_snp(*found->second, rs12777823_snp, "variants." + rsid);
        }
    } catch (const InputError& e) {
        rethrow_in(source + ": sample '" + reported.sample + "'", e);
    }
    return result;
}

// ---- genotype files --------------------------------------------------------------------

namespace {

std::string json_string_or_empty(const nlohmann::json& object, const char* key, const std::string& where) {
    if (!object.contains(key) || object[key].is_null()) return {};
    if (!object[key].is_string()) throw InputError(where + ": field '" + key + "' is not a string");
    return object[key].get<std::string>();
}

std::optional<std::string> optional_json_string(const nlohmann::json& object, const char* key,
                                                const std::string& where) {
    if (!object.contains(key) || object[key].is_null()) return std::nullopt;
    return json_string_or_empty(object, key, where);
}

// The names in a JSON string list (absent or null: empty, `present` false).
std::vector<std::string> string_list(const nlohmann::json& object, const char* key, const std::string& what,
                                     bool* present = nullptr) {
    std::vector<std::string> names;
    if (present) *present = object.contains(key) && !object[key].is_null();
    if (!object.contains(key) || object[key].is_null()) return names;
    if (!object[key].is_array()) throw InputError(what + "." + key + " is not a list");
    for (const auto& item : object[key]) {
        if (!item.is_string()) throw InputError(what + "." + key + " holds a non-string");
        names.push_back(item.get<std::string>());
    }
    return names;
}

std::optional<double> optional_json_number(const nlohmann::json& object, const char* key, const std::string& what) {
    if (!object.contains(key) || object[key].is_null()) return std::nullopt;
    if (!object[key].is_number()) throw InputError(what + "." + key + " is not a number");
    return object[key].get<double>();
}

// The diplotypes of a gene entry; nullopt when absent or null.
std::optional<std::vector<std::string>> json_diplotypes(const nlohmann::json& gene, const std::string& gene_name,
                                                        const std::string& where) {
    if (!gene.contains("diplotypes") || gene["diplotypes"].is_null()) return std::nullopt;
    const auto& list = gene["diplotypes"];
    if (!list.is_array()) throw InputError(where + ": " + gene_name + ".diplotypes is not a list");
    std::vector<std::string> diplotypes;
    for (const auto& item : list) {
        if (!item.is_string()) throw InputError(where + ": " + gene_name + ".diplotypes holds a non-string");
        diplotypes.push_back(item.get<std::string>());
    }
    return diplotypes;
}

// A gene entry of a genotype file (docs/genotype-schema.md), the fields dosing reads.
ReportedGene json_gene(const nlohmann::json& gene, const std::string& gene_name, const std::string& where) {
    const std::string what = "genes." + gene_name;
    ReportedGene entry;
    entry.diplotypes = json_diplotypes(gene, gene_name, where);
    entry.phenotype = optional_json_string(gene, "phenotype", where);
    entry.activity_score = optional_json_number(gene, "activity_score", what);
    if (gene.contains("call_from_tested_alleles") && gene["call_from_tested_alleles"].is_object()) {
        const auto& tested = gene["call_from_tested_alleles"];
        entry.call_from_tested_alleles = ReportedGene::TestedCall{
            json_string_or_empty(tested, "diplotype", where), optional_json_string(tested, "phenotype", where),
            optional_json_number(tested, "activity_score", what + ".call_from_tested_alleles")};
    }
    entry.tested_alleles = string_list(gene, "tested_alleles", what);
    bool key_list = false;
    std::vector<std::string> untested = string_list(gene, "key_alleles_not_tested", what, &key_list);
    if (key_list) entry.key_alleles_not_tested = std::move(untested);
    entry.key_alleles_low_quality = string_list(gene, "key_alleles_low_quality", what);
    entry.phenotype_qualified = gene.contains("phenotype_qualifier") && !gene["phenotype_qualifier"].is_null();
    entry.phenotype_if_untested_absent = optional_json_string(gene, "phenotype_if_untested_absent", where);
    entry.activity_score_if_untested_absent = optional_json_number(gene, "activity_score_if_untested_absent", what);
    const auto& missing = gene.contains("missing_positions") ? gene["missing_positions"] : nlohmann::json();
    entry.positions_missing = !missing.is_null() && !(missing.is_array() && missing.empty());
    for (const char* rsid :
         {vkorc1_1639_snp.rsid, vkorc1_2255_rsid, vkorc1_1173_rsid, vkorc1_1542_rsid, cyp4f2_star3_snp.rsid})
        if (gene.contains(rsid)) entry.snps[rsid] = optional_json_string(gene, rsid, where);
    return entry;
}

ReportedGenotypes json_sample(const nlohmann::json& sample, const std::string& where_prefix, std::size_t index) {
    ReportedGenotypes result;
    if (!sample.is_object())
        throw InputError(where_prefix + ": samples[" + std::to_string(index) + "] is not an object");
    result.sample = json_string_or_empty(sample, "sample", where_prefix + ": samples[" + std::to_string(index) + "]");
    if (result.sample.empty())
        throw InputError(where_prefix + ": samples[" + std::to_string(index) + "] has no \"sample\" name");
    const std::string where = where_prefix + ": sample '" + result.sample + "'";

    const nlohmann::json empty_object = nlohmann::json::object();
    const nlohmann::json& genes =
        sample.contains("genes") && !sample["genes"].is_null() ? sample["genes"] : empty_object;
    if (!genes.is_object()) throw InputError(where + ": \"genes\" is not an object");
    const nlohmann::json& variants =
        sample.contains("variants") && !sample["variants"].is_null() ? sample["variants"] : empty_object;
    if (!variants.is_object()) throw InputError(where + ": \"variants\" is not an object");

    try {
        for (const std::string& name : dose_genes()) {
            if (!genes.contains(name)) continue;
            if (!genes[name].is_object()) throw InputError("genes." + name + " is not an object");
            result.genes[name] = json_gene(genes[name], name, where);
        }
        const std::string rsid = rs12777823_snp.rsid;
        if (variants.contains(rsid)) {
            const auto& value = variants[rsid];
            if (!value.is_null() && !value.is_string()) throw InputError("variants." + rsid + " is not a string");
            result.variants[rsid] =
                value.is_null() ? std::nullopt : std::optional<std::string>(value.get<std::string>());
        }
    } catch (const InputError& e) {
        rethrow_in(where, e);
    }
    return result;
}

}  // namespace

std::vector<SampleGenotypes> parse_genotype_json(const std::string& text, const std::string& name) {
    nlohmann::json json = parse_checked_json<nlohmann::json>(text, name);
    if (!json.is_object()) throw InputError(file_message(name, "expected a JSON object with \"samples\""));
    if (json.contains("schema_version")) {
        const auto& version = json["schema_version"];
        const std::string v = version.is_string()           ? version.get<std::string>()
                              : version.is_number_integer() ? std::to_string(version.get<int>())
                                                            : std::string("?");
        if (v != "1")
            throw InputError(
                file_message(name, "genotype schema_version " + quote(v) + " is not supported (expected \"1\")"));
    }
    if (!json.contains("samples") || !json["samples"].is_array())
        throw InputError(file_message(name, "no \"samples\" list (expected `genodose genotype` output)"));
    std::vector<SampleGenotypes> samples;
    std::size_t index = 0;
    for (const auto& sample : json["samples"]) {
        samples.push_back(dose_genotypes(json_sample(sample, name, index++), name));
    }
    std::vector<std::string> names;
    for (const auto& s : samples) names.push_back(s.sample);
    std::sort(names.begin(), names.end());
    if (std::adjacent_find(names.begin(), names.end()) != names.end())
        throw InputError(file_message(
            name, "sample " + quote(*std::adjacent_find(names.begin(), names.end())) + " appears more than once"));
    return samples;
}

std::vector<SampleGenotypes> read_genotype_file(const std::string& path) {
    return parse_genotype_json(read_text_file(path, "genotype file"), path);
}

const SampleGenotypes& find_sample(const std::vector<SampleGenotypes>& samples, const Patient& patient,
                                   const std::string& file_name, bool single_patient) {
    const std::string& wanted = patient.sample_id.empty() ? patient.id : patient.sample_id;
    for (const auto& sample : samples) {
        if (sample.sample == wanted) return sample;
    }
    if (samples.size() == 1 && single_patient && patient.sample_id.empty()) return samples.front();
    if (samples.empty()) throw InputError(file_message(file_name, "holds no samples"));
    throw PatientDataError(
        file_message(file_name, "no sample named " + quote(wanted) + " for patient " + quote(patient.id) +
                                    " (set \"sample_id\" in the patient JSON, or use IDs that match)"),
        file_message(file_name, "no sample named as the patient's sample_id or id (set \"sample_id\" in "
                                "the patient JSON, or use IDs that match)"));
}

namespace {

// Genotype texts for the merge notes (counts of the named allele -> the usual notation).
std::string snp_text(int count, const char* none, const char* one, const char* two) {
    return count <= 0 ? none : count == 1 ? one : two;
}
std::string vkorc1_text(const Vkorc1Genotype& g) {
    return "-1639 " + snp_text(*g.a_alleles, "G/G", "G/A", "A/A") +
           (g.origin == Vkorc1Genotype::Origin::imputed ? " (imputed from other VKORC1 SNPs)" : "");
}

// "CYP2C9 ambiguous (*1/*2 or *2/*34); treated as missing" -> "ambiguous (*1/*2 or *2/*34)".
std::string no_call_reason(std::string note, const std::string& gene) {
    if (note.rfind(gene + " ", 0) == 0) note.erase(0, gene.size() + 1);
    const std::string suffix = "; treated as missing";
    if (note.size() >= suffix.size() && note.compare(note.size() - suffix.size(), suffix.size(), suffix) == 0)
        note.erase(note.size() - suffix.size());
    return note.empty() ? "no call" : note;
}

const char* const replaced = " in the genotype file replaced ";
const char* const typed = " typed in the patient input";

}  // namespace

std::string snp_genotype(const DoseSnp& snp, int counted_alleles) {
    const std::string reference(1, snp.reference), counted(1, snp.counted);
    return counted_alleles <= 0   ? reference + "/" + reference
           : counted_alleles == 1 ? reference + "/" + counted
                                  : counted + "/" + counted;
}

std::vector<std::string> merge_genotypes(Patient& patient, const SampleGenotypes& genotypes) {
    std::vector<std::string> notes;
    if (genotypes.has_cyp2c9) {
        const Cyp2c9Genotype& file = genotypes.cyp2c9;
        if (file.known()) {
            if (patient.cyp2c9.known() && patient.cyp2c9.diplotype != file.diplotype)
                notes.push_back("CYP2C9: " + file.diplotype + replaced + patient.cyp2c9.diplotype + typed);
            patient.cyp2c9 = file;
        } else if (patient.cyp2c9.known()) {
            notes.push_back("CYP2C9: the genotype file has no call (" + no_call_reason(file.note, "CYP2C9") + "); " +
                            patient.cyp2c9.diplotype + typed + " was used");
        } else {
            patient.cyp2c9 = file;
        }
    }
    if (genotypes.has_vkorc1) {
        const Vkorc1Genotype& file = genotypes.vkorc1;
        if (file.a_alleles) {
            if (patient.vkorc1.a_alleles && *patient.vkorc1.a_alleles != *file.a_alleles)
                notes.push_back("VKORC1: " + vkorc1_text(file) + replaced + vkorc1_text(patient.vkorc1) + typed);
            patient.vkorc1 = file;
        } else if (patient.vkorc1.a_alleles) {
            notes.push_back("VKORC1: the genotype file has no call at " + std::string(vkorc1_1639_snp.rsid) + "; " +
                            vkorc1_text(patient.vkorc1) + typed + " was used");
        } else {
            patient.vkorc1 = file;
            patient.vkorc1.a_alleles = impute_vkorc1_1639_a_alleles(patient.race, genotypes.vkorc1_2255,
                                                                    genotypes.vkorc1_1173, genotypes.vkorc1_1542);
            if (patient.vkorc1.a_alleles) {
                patient.vkorc1.origin = Vkorc1Genotype::Origin::imputed;
                patient.vkorc1.note = "VKORC1 -1639 imputed from other VKORC1 SNPs (IWPC rules)";
            }
        }
    }
    // The two SNPs: the file's call wins, a typed value fills a no-call.
    auto merge_snp = [&](bool has, const std::optional<int>& file, std::optional<int>& value, const std::string& name,
                         const DoseSnp& snp) {
        if (!has) return;
        if (file) {
            if (value && *value != *file)
                notes.push_back(name + ": " + snp_genotype(snp, *file) + replaced + snp_genotype(snp, *value) + typed);
            value = file;
        } else if (value) {
            notes.push_back(name + ": the genotype file has no call; " + snp_genotype(snp, *value) + typed +
                            " was used");
        }
    };
    merge_snp(genotypes.has_cyp4f2, genotypes.cyp4f2_star3_alleles, patient.cyp4f2_star3_alleles,
              "CYP4F2 " + std::string(cyp4f2_star3_snp.rsid), cyp4f2_star3_snp);
    if (genotypes.has_cyp4f2 && !patient.cyp4f2_star3_alleles && !genotypes.cyp4f2_note.empty())
        notes.push_back(genotypes.cyp4f2_note + "; the dose was predicted without it");
    merge_snp(genotypes.has_rs12777823, genotypes.rs12777823_a_alleles, patient.rs12777823_a_alleles,
              rs12777823_snp.rsid, rs12777823_snp);
    patient.genotype_source = GenotypeSource::genotype_file;
    return notes;
}

}  // namespace genodose::dosing
