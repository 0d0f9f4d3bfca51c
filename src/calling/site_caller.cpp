#include "genodose/calling/site_caller.hpp"

#include <algorithm>

#include "genodose/calling/variant_caller.hpp"

namespace genodose {

namespace {

// Bases called on each side of a site: room for the candidates that may explain it
// (candidate_reach) and for local realignment around them.
constexpr std::int64_t window_padding = 150;

}  // namespace

std::vector<SiteCall> call_sites(const SiteCallingOptions& options, const std::vector<ForcedSite>& sites,
                                 SiteCallingSummary* summary) {
    CallOptions call;
    call.reference_path = options.reference_path;
    call.reads_path = options.reads_path;
    call.model_path = options.model_path;
    call.threads = options.threads;
    call.candidates = options.candidates;
    call.realigner = options.realigner;
    call.filters = options.filters;
    call.forced_sites = sites;
    call.forced_site_rules.min_reference_gq = options.min_reference_gq;
    call.forced_site_rules.min_depth = options.min_depth;
    for (const auto& site : sites)
        call.regions.push_back({site.contig, std::max<std::int64_t>(0, site.position - window_padding),
                                site.position + static_cast<std::int64_t>(site.ref.size()) + window_padding});
    CallResult result = call_variants(call);
    if (summary) {
        summary->reads = result.summary.reads;
        summary->repeated_reads = result.summary.repeated_reads;
        summary->downsampled_reads = result.summary.downsampled_reads;
        summary->ambiguous_reference_bases = result.summary.ambiguous_reference_bases;
    }
    return std::move(result.sites);
}

}  // namespace genodose
