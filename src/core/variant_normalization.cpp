#include "genodose/core/variant_normalization.hpp"

#include <utility>

namespace genodose {

NormalizedAllele normalize_allele(std::string_view reference, std::int64_t reference_begin, std::int64_t position,
                                  std::string ref, std::string alt) {
    const auto reference_at = [&](std::int64_t p) -> char {
        const std::int64_t i = p - reference_begin;
        return (i >= 0 && i < static_cast<std::int64_t>(reference.size())) ? reference[static_cast<std::size_t>(i)]
                                                                           : '\0';
    };
    return normalize_allele_with(reference_at, position, std::move(ref), std::move(alt));
}

}  // namespace genodose
