#include "genodose/evaluation/comparable_variant.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "genodose/core/variant_normalization.hpp"
#include "genodose/io/vcf_reader.hpp"

namespace genodose::evaluation {

ReferenceWindow::ReferenceWindow(std::string contig, std::int64_t begin, std::string bases)
    : contig_(std::move(contig)), begin_(begin), bases_(std::move(bases)) {}

std::string ReferenceWindow::bases(std::int64_t begin, std::int64_t end) const {
    std::string out;
    out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, end - begin)));
    for (std::int64_t position = begin; position < end; ++position) out += at(position);
    return out;
}

const char* to_string(VariantType type) { return type == VariantType::snp ? "SNP" : "INDEL"; }

const char* to_string(GenotypeClass genotype_class) {
    switch (genotype_class) {
        case GenotypeClass::het: return "het";
        case GenotypeClass::homalt: return "homalt";
        case GenotypeClass::hetalt: return "hetalt";
    }
    return "?";
}

bool Edit::operator<(const Edit& other) const {
    return std::tie(start, end, alt) < std::tie(other.start, other.end, other.alt);
}

namespace {

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

bool is_symbolic(const std::string& alt) {
    return alt.empty() || alt == "*" || alt == "." || alt.find_first_of("<>[]") != std::string::npos;
}

// REF as written must agree with the reference; 'N' on either side agrees with anything (IUPAC
// codes in references, masked bases in VCFs).
bool ref_agrees(const ReferenceWindow& reference, std::int64_t position, const std::string& ref) {
    for (std::size_t i = 0; i < ref.size(); ++i) {
        const char expected = reference.at(position + static_cast<std::int64_t>(i));
        const char written = static_cast<char>(std::toupper(static_cast<unsigned char>(ref[i])));
        if (expected != written && expected != 'N' && written != 'N') return false;
    }
    return true;
}

bool all_snps(const std::vector<Edit>& edits) {
    return std::all_of(edits.begin(), edits.end(), [](const Edit& e) { return e.type() == VariantType::snp; });
}

}  // namespace

std::vector<Edit> VariantNormalizer::normalize_allele(std::int64_t position, const std::string& ref_text,
                                                      const std::string& alt_text) const {
    if (upper(ref_text) == upper(alt_text)) return {};
    // Trim and left-align as bcftools norm does (one anchor base kept for indels) ...
    const NormalizedAllele normalized = genodose::normalize_allele(reference_.sequence(), reference_.begin(), position,
                                                                   upper(ref_text), upper(alt_text));
    // ... then drop every shared base, anchor included: an edit covers changed bases only.
    std::string ref = normalized.ref;
    std::string alt = normalized.alt;
    std::int64_t start = normalized.position;
    while (!ref.empty() && !alt.empty() && ref.back() == alt.back()) {
        ref.pop_back();
        alt.pop_back();
    }
    std::size_t prefix = 0;
    while (prefix < ref.size() && prefix < alt.size() && ref[prefix] == alt[prefix]) ++prefix;
    ref.erase(0, prefix);
    alt.erase(0, prefix);
    start += static_cast<std::int64_t>(prefix);
    if (ref.empty() && alt.empty()) return {};
    if (ref.size() == alt.size()) {
        // MNP: its SNPs, so that an MNP and the same change written as SNPs count alike.
        std::vector<Edit> snps;
        for (std::size_t i = 0; i < ref.size(); ++i) {
            if (ref[i] != alt[i]) {
                const std::int64_t at = start + static_cast<std::int64_t>(i);
                snps.push_back(Edit{at, at + 1, std::string(1, alt[i])});
            }
        }
        return snps;
    }
    return {Edit{start, start + static_cast<std::int64_t>(ref.size()), alt}};
}

std::int64_t VariantNormalizer::right_shifted_end(const Edit& edit) const {
    if (edit.is_insertion()) {
        std::string inserted = edit.alt;
        std::int64_t at = edit.start;
        while (!inserted.empty() && reference_.at(at) == inserted.front() && inserted.front() != 'N' &&
               at < reference_.end()) {
            std::rotate(inserted.begin(), inserted.begin() + 1, inserted.end());
            ++at;
        }
        return at + 1;
    }
    if (edit.alt.empty()) {
        std::int64_t start = edit.start;
        std::int64_t end = edit.end;
        while (end < reference_.end() && reference_.at(start) == reference_.at(end) && reference_.at(end) != 'N') {
            ++start;
            ++end;
        }
        return end;
    }
    return edit.end;
}

void VariantNormalizer::finish(ComparableVariant& variant) const {
    auto& [first, second] = variant.haplotypes;
    if (first.empty()) std::swap(first, second);
    std::sort(first.begin(), first.end());
    std::sort(second.begin(), second.end());
    if (second.empty()) {
        variant.genotype_class = GenotypeClass::het;
    } else if (first == second) {
        variant.genotype_class = GenotypeClass::homalt;
    } else {
        variant.genotype_class = GenotypeClass::hetalt;
    }
    variant.alleles = first;
    for (const Edit& edit : second)
        if (std::find(first.begin(), first.end(), edit) == first.end()) variant.alleles.push_back(edit);
    std::sort(variant.alleles.begin(), variant.alleles.end());
    variant.start = INT64_MAX;
    variant.end = INT64_MIN;
    variant.reach = INT64_MIN;
    for (const Edit& edit : variant.alleles) {
        variant.start = std::min(variant.start, edit.start);
        const std::int64_t end = std::max(edit.end, edit.start + 1);
        variant.end = std::max(variant.end, end);
        variant.reach = std::max({variant.reach, end, right_shifted_end(edit)});
    }
}

ComparableVariant VariantNormalizer::single_edit_variant(const Edit& edit, std::size_t record_index) const {
    ComparableVariant variant;
    variant.record = record_index;
    variant.haplotypes[0].push_back(edit);
    finish(variant);
    return variant;
}

NormalizeStatus VariantNormalizer::add_record(std::int64_t position, const std::string& ref,
                                              const std::vector<std::string>& alts, const Genotype& genotype,
                                              std::size_t record_index, std::vector<ComparableVariant>& out) const {
    if (genotype.alleles.empty() || genotype.is_missing()) return NormalizeStatus::not_a_call;
    if (genotype.alleles.size() > 2) return NormalizeStatus::polyploid;
    int first = std::max(genotype.alleles[0], 0);
    int second = genotype.alleles.size() == 2 ? std::max(genotype.alleles[1], 0) : first;
    if (first == 0 && second == 0) return NormalizeStatus::not_a_call;
    if (!ref_agrees(reference_, position, ref)) return NormalizeStatus::ref_mismatch;

    std::array<std::vector<Edit>, 2> haplotypes;
    const std::array<int, 2> called{first, second};
    for (int h = 0; h < 2; ++h) {
        const int allele = called[static_cast<std::size_t>(h)];
        if (allele == 0) continue;
        const std::string& alt = alts.at(static_cast<std::size_t>(allele - 1));
        if (alt == "*") continue;  // the deletion overlapping here is described by its own record
        if (is_symbolic(alt)) return NormalizeStatus::symbolic;
        haplotypes[static_cast<std::size_t>(h)] = normalize_allele(position, ref, alt);
    }
    if (haplotypes[0].empty() && haplotypes[1].empty()) return NormalizeStatus::not_a_call;

    if (split_substitutions_ && all_snps(haplotypes[0]) && all_snps(haplotypes[1])) {
        // Substitutions only: one variant per position, so an MNP is matched SNP by SNP.
        std::map<std::int64_t, std::array<const Edit*, 2>> columns;
        for (int h = 0; h < 2; ++h)
            for (const Edit& edit : haplotypes[static_cast<std::size_t>(h)])
                columns[edit.start][static_cast<std::size_t>(h)] = &edit;
        for (const auto& [at, edits] : columns) {
            ComparableVariant variant;
            variant.record = record_index;
            for (int h = 0; h < 2; ++h)
                if (edits[static_cast<std::size_t>(h)])
                    variant.haplotypes[static_cast<std::size_t>(h)].push_back(*edits[static_cast<std::size_t>(h)]);
            finish(variant);
            out.push_back(std::move(variant));
        }
        return NormalizeStatus::added;
    }
    ComparableVariant variant;
    variant.record = record_index;
    variant.haplotypes = std::move(haplotypes);
    finish(variant);
    out.push_back(std::move(variant));
    return NormalizeStatus::added;
}

}  // namespace genodose::evaluation
