#include "genodose/calling/forced_sites.hpp"

#include <algorithm>

#include "chunk_processor.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/variant_normalization.hpp"
#include "genodose/io/reference_genome.hpp"
#include "gvcf_writer.hpp"

namespace genodose {

namespace {

// Reference bases on each side of a site used to normalise its alleles and the candidates'.
constexpr std::int64_t normalisation_context = 150;

std::string why_not_called(const ForcedSite& site, int depth, int genotype_quality, const ForcedSiteRules& rules) {
    std::string detail = "not called from reads: depth " + std::to_string(depth) + ", reference GQ " +
                         std::to_string(genotype_quality) + " (needs depth >= " + std::to_string(rules.min_depth) +
                         " and GQ >= " + std::to_string(rules.min_reference_gq) + ")";
    if (site.from_evidence)
        detail += depth > 0 ? "; the reads favour a non-reference genotype that no candidate explains" : "; no reads";
    return detail;
}

}  // namespace

ForcedSiteCollector::ForcedSiteCollector(const ReferenceGenome& reference, std::vector<ForcedSite> sites,
                                         ForcedSiteRules rules)
    : reference_(reference), sites_(std::move(sites)), rules_(rules), evidence_(sites_.size()) {
    for (std::size_t i = 0; i < sites_.size(); ++i) {
        const ForcedSite& site = sites_[i];
        resolved_contigs_.push_back(reference_.resolve({site.contig, site.position, site.position + 1}).contig);
        sites_by_contig_[resolved_contigs_.back()].push_back(i);
    }
    for (auto& [contig, indices] : sites_by_contig_)
        std::stable_sort(indices.begin(), indices.end(),
                         [&](std::size_t a, std::size_t b) { return sites_[a].position < sites_[b].position; });
}

void ForcedSiteCollector::add_chunk(const GenomicRegion& chunk, const std::vector<CandidateSite>& candidates,
                                    const std::vector<SiteGenotype>& genotypes, const std::vector<std::int32_t>& depths,
                                    const std::vector<std::int32_t>& reference_counts) {
    const auto on_contig = sites_by_contig_.find(chunk.contig);
    if (on_contig == sites_by_contig_.end()) return;
    const std::vector<std::size_t>& indices = on_contig->second;
    const auto first_at_or_after = [&](std::int64_t position) {
        return std::partition_point(indices.begin(), indices.end(),
                                    [&](std::size_t i) { return sites_[i].position < position; });
    };
    for (auto it = first_at_or_after(chunk.begin); it != indices.end() && sites_[*it].position < chunk.end; ++it) {
        const auto offset = static_cast<std::size_t>(sites_[*it].position - chunk.begin);
        if (offset >= depths.size()) throw InternalError("forced site without position counts in its chunk");
        Evidence& evidence = evidence_[*it];
        evidence.covered = true;
        evidence.depth = depths[offset];
        evidence.reference_count = reference_counts[offset];
    }
    for (std::size_t c = 0; c < candidates.size(); ++c) {
        const CandidateSite& candidate = candidates[c];
        const std::int64_t position = candidate.candidate.position;
        for (auto it = first_at_or_after(position - candidate_reach);
             it != indices.end() && sites_[*it].position <= position + candidate_reach; ++it)
            evidence_[*it].nearby.push_back({position, candidate.minimal, candidate.alts, genotypes[c]});
    }
}

std::vector<SiteCall> ForcedSiteCollector::calls() const {
    std::vector<SiteCall> calls;
    calls.reserve(sites_.size());
    for (std::size_t i = 0; i < sites_.size(); ++i) calls.push_back(resolve(i));
    return calls;
}

SiteCall ForcedSiteCollector::resolve(std::size_t index) const {
    const ForcedSite& site = sites_[index];
    const Evidence& evidence = evidence_[index];
    if (!evidence.covered) throw InternalError("forced site outside every called chunk");
    SiteCall call;
    call.depth = evidence.depth;

    // The site's alleles and every candidate allele normalised in one reference window, so that
    // an indel spelled differently (or left-aligned elsewhere) still matches.
    const std::string& contig = resolved_contigs_[index];
    const std::int64_t context_begin = std::max<std::int64_t>(0, site.position - normalisation_context);
    const std::string context = reference_.fetch({contig, context_begin, site.position + normalisation_context});
    std::vector<NormalizedAllele> site_alts;
    for (const auto& alt : site.alts)
        site_alts.push_back(normalize_allele(context, context_begin, site.position, site.ref, alt));
    const auto site_allele_for = [&](std::int64_t position, const std::string& ref, const std::string& alt) -> int {
        const NormalizedAllele allele = normalize_allele(context, context_begin, position, ref, alt);
        for (std::size_t k = 0; k < site_alts.size(); ++k)
            if (site_alts[k] == allele) return static_cast<int>(k) + 1;
        return 0;
    };

    // The candidate at the site itself wins; otherwise the last nearby one that carries one of
    // the site's alleles.
    const Genotyped* match = nullptr;
    std::vector<int> mapping;  // candidate allele index → site allele index (−1: not the site's)
    for (const auto& candidate : evidence.nearby) {
        std::vector<int> candidate_mapping{0};
        bool relevant = candidate.position == site.position;
        for (const auto& [ref, alt] : candidate.minimal) {
            const int allele = site_allele_for(candidate.position, ref, alt);
            candidate_mapping.push_back(allele > 0 ? allele : -1);
            relevant = relevant || allele > 0;
        }
        if (!relevant) continue;
        match = &candidate;
        mapping = std::move(candidate_mapping);
        if (candidate.position == site.position) break;
    }

    if (match) {
        call.called = true;
        call.genotype_quality = match->genotype.genotype_quality;
        for (const int allele : {match->genotype.allele1, match->genotype.allele2}) {
            const int site_allele = mapping[static_cast<std::size_t>(allele)];
            if (site_allele == 0) call.alleles.push_back(site.ref);
            else if (site_allele > 0) call.alleles.push_back(site.alts[static_cast<std::size_t>(site_allele - 1)]);
            else  // an allele the site does not list: spelled as called at the site, else the site is reference
                call.alleles.push_back(match->position == site.position
                                           ? match->vcf_alts[static_cast<std::size_t>(allele - 1)]
                                           : site.ref);
        }
        return call;
    }
    const ReferenceConfidence confidence =
        reference_confidence(evidence.reference_count, evidence.depth - evidence.reference_count);
    call.genotype_quality = confidence.genotype_quality;
    const bool confident = call.depth >= rules_.min_depth && confidence.genotype_quality >= rules_.min_reference_gq;
    // genotype_quality is 0 unless reference is the likeliest genotype (reference_confidence).
    const bool likeliest = site.from_evidence && call.depth > 0 && confidence.genotype_quality > 0;
    if (confident || likeliest) {
        call.called = true;
        call.alleles = {site.ref, site.ref};
    } else {
        call.detail = why_not_called(site, call.depth, confidence.genotype_quality, rules_);
    }
    return call;
}

}  // namespace genodose
