#include "genodose/core/variant_normalization.hpp"

namespace genodose {

NormalizedAllele normalize_allele(std::string_view reference, std::int64_t reference_begin, std::int64_t position,
                                  std::string ref, std::string alt) {
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
    if (ref.size() == alt.size()) return {position, ref, alt};

    const auto reference_at = [&](std::int64_t p) -> char {
        const std::int64_t i = p - reference_begin;
        return (i >= 0 && i < static_cast<std::int64_t>(reference.size())) ? reference[static_cast<std::size_t>(i)] : '\0';
    };
    for (std::size_t i = 0; i < ref.size(); ++i)
        if (reference_at(position + static_cast<std::int64_t>(i)) != ref[i]) return {position, ref, alt};

    // Left-align: while both alleles end in the same base, drop it and prepend the reference
    // base before the variant (the vt algorithm).
    while (position > reference_begin && ref.back() == alt.back()) {
        const char before = reference_at(position - 1);
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

}  // namespace genodose
