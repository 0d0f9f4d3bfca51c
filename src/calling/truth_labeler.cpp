#include "truth_labeler.hpp"

#include <algorithm>

#include "genodose/core/error.hpp"
#include "genodose/io/reference_genome.hpp"
#include "genodose/io/vcf_reader.hpp"

namespace genodose {

namespace {
constexpr std::int64_t window_padding = 2000;
constexpr std::int64_t complex_exclusion = 10;  // bp around an undecomposable truth variant
}  // namespace

TruthLabeler::TruthLabeler(const std::string& truth_path, const ReferenceGenome& reference, const GenomicRegion& region,
                           const std::vector<GenomicRegion>& confident_regions)
    : contig_(region.contig) {
    window_begin_ = std::max<std::int64_t>(0, region.begin - window_padding);
    reference_window_ = reference.fetch({region.contig, window_begin_, region.end + window_padding});
    for (const auto& confident : confident_regions) {
        if (match_contig_name(confident.contig, {region.contig}) == region.contig)
            confident_.push_back({region.contig, confident.begin, confident.end});
    }
    restrict_to_confident_ = !confident_regions.empty();

    VcfReader truth(truth_path);
    if (!truth.has_genotypes()) throw InputError(file_message(truth_path, "truth VCF has no GT field"));
    if (truth.samples().empty()) throw InputError(file_message(truth_path, "truth VCF has no sample column"));
    truth.set_region({region.contig, window_begin_, region.end + window_padding});
    VariantRecord record;
    while (truth.next(record)) {
        const Genotype& genotype = record.genotypes[0];
        for (std::size_t a = 0; a < record.alts.size(); ++a) {
            const int allele_index = static_cast<int>(a) + 1;
            const int copies =
                static_cast<int>(std::count(genotype.alleles.begin(), genotype.alleles.end(), allele_index));
            if (copies == 0) continue;
            const std::string& alt = record.alts[a];
            if (alt.empty() || alt[0] == '<' || alt == "*") continue;
            NormalizedAllele normalized =
                normalize_allele(reference_window_, window_begin_, record.position, record.ref, alt);
            std::vector<NormalizedAllele> pieces;
            if (normalized.ref.size() == normalized.alt.size()) {
                // MNP: one SNV per differing base.
                for (std::size_t k = 0; k < normalized.ref.size(); ++k)
                    if (normalized.ref[k] != normalized.alt[k])
                        pieces.push_back({normalized.position + static_cast<std::int64_t>(k),
                                          normalized.ref.substr(k, 1), normalized.alt.substr(k, 1)});
            } else if (normalized.ref.size() == 1 || normalized.alt.size() == 1) {
                pieces.push_back(normalized);  // simple indel
            } else {
                complex_spans_.push_back(
                    {normalized.position - complex_exclusion,
                     normalized.position + static_cast<std::int64_t>(normalized.ref.size()) + complex_exclusion});
                continue;
            }
            for (auto& piece : pieces) {
                TruthAllele& entry = alleles_[piece];
                entry.allele = piece;
                entry.copies = std::min(2, entry.copies + copies);
            }
        }
    }
}

bool TruthLabeler::confident(std::int64_t position) const {
    if (!restrict_to_confident_) return true;
    return std::any_of(confident_.begin(), confident_.end(),
                       [&](const GenomicRegion& r) { return r.contains(position); });
}

int TruthLabeler::label(std::int64_t position, const std::string& ref, const std::string& alt) {
    if (!confident(position)) return -1;
    for (const auto& [begin, end] : complex_spans_)
        if (position >= begin && position < end) return -1;
    const NormalizedAllele key = normalize_allele(reference_window_, window_begin_, position, ref, alt);
    const auto it = alleles_.find(key);
    if (it == alleles_.end()) return 0;
    it->second.matched = true;
    return it->second.copies;
}

std::vector<TruthAllele> TruthLabeler::alleles_in(std::int64_t begin, std::int64_t end) const {
    std::vector<TruthAllele> inside;
    for (const auto& [key, entry] : alleles_)
        if (key.position >= begin && key.position < end && confident(key.position)) inside.push_back(entry);
    return inside;
}

}  // namespace genodose
