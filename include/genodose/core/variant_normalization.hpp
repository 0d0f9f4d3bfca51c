// Normalisation of variant alleles (vt/bcftools norm semantics): trim shared bases, then
// left-align indels against the reference, keeping one anchor base for indels.
//
//   NormalizedAllele a = normalize_allele(reference_window, window_begin, position, "CAA", "CA");
//
// Works on a window of reference sequence so callers can normalise without a reference object.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace genodose {

struct NormalizedAllele {
    std::int64_t position = 0;  // 0-based position of ref's first base
    std::string ref;
    std::string alt;
    bool operator==(const NormalizedAllele& o) const { return position == o.position && ref == o.ref && alt == o.alt; }
    bool operator<(const NormalizedAllele& o) const {
        if (position != o.position) return position < o.position;
        if (ref != o.ref) return ref < o.ref;
        return alt < o.alt;
    }
};

// The normaliser over a base callback: base_at(p) gives the reference base at 0-based p, or
// '\0' where it is unknown (left-shifting stops there, and at 'N'). SNVs and MNPs are only
// trimmed. If the reference disagrees with `ref`, the allele is returned trimmed but not shifted.
template <typename BaseAt>
NormalizedAllele normalize_allele_with(BaseAt base_at, std::int64_t position, std::string ref, std::string alt) {
    // Trim the shared suffix, then the shared prefix, keeping at least one base in each.
    while (ref.size() > 1 && alt.size() > 1 && ref.back() == alt.back()) {
        ref.pop_back();
        alt.pop_back();
    }
    std::size_t prefix = 0;
    while (prefix + 1 < ref.size() && prefix + 1 < alt.size() && ref[prefix] == alt[prefix]) ++prefix;
    // For an indel keep one anchor base; for an MNP/SNV trim every shared leading base.
    if (ref.size() == alt.size()) {
        while (prefix < ref.size() - 1 && ref[prefix] == alt[prefix]) ++prefix;
    }
    ref.erase(0, prefix);
    alt.erase(0, prefix);
    position += static_cast<std::int64_t>(prefix);
    if (ref.size() == alt.size() || ref.empty() || alt.empty()) return {position, ref, alt};

    for (std::size_t i = 0; i < ref.size(); ++i)
        if (base_at(position + static_cast<std::int64_t>(i)) != ref[i]) return {position, ref, alt};

    // Left-align: while both alleles end in the same base, drop it and prepend the reference
    // base before the variant (the vt algorithm).
    while (position > 0 && ref.back() == alt.back()) {
        const char before = base_at(position - 1);
        if (before == '\0' || before == 'N') break;
        ref.pop_back();
        alt.pop_back();
        ref.insert(ref.begin(), before);
        alt.insert(alt.begin(), before);
        --position;
    }
    // Re-trim leading bases shared beyond the single anchor.
    while (ref.size() > 1 && alt.size() > 1 && ref[0] == alt[0] && ref[1] == alt[1]) {
        ref.erase(0, 1);
        alt.erase(0, 1);
        ++position;
    }
    return {position, ref, alt};
}

// The same over a window of reference: `reference` holds bases [reference_begin,
// reference_begin + reference.size()); left-shifting stops at the window's start. Alleles are
// upper-case A/C/G/T/N.
NormalizedAllele normalize_allele(std::string_view reference, std::int64_t reference_begin, std::int64_t position,
                                  std::string ref, std::string alt);

}  // namespace genodose
