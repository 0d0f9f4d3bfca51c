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

// `reference` holds bases [reference_begin, reference_begin + reference.size()). Alleles are
// upper-case A/C/G/T/N. Left-shifting stops at the window's start. SNVs and MNPs are only
// trimmed. If the reference window disagrees with `ref`, the allele is returned trimmed but
// not shifted.
NormalizedAllele normalize_allele(std::string_view reference, std::int64_t reference_begin, std::int64_t position,
                                  std::string ref, std::string alt);

}  // namespace genodose
