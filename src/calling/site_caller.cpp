#include "genodose/calling/site_caller.hpp"

#include <algorithm>
#include <array>

#include "genodose/calling/chunk_processor.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/calling/genotyper.hpp"
#include "genodose/calling/gvcf_writer.hpp"
#include "genodose/calling/variant_caller.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/variant_normalization.hpp"
#include "genodose/io/reference_genome.hpp"

namespace genodose {

namespace {

constexpr std::int64_t window_padding = 150;

struct CalledCandidate {
    std::int64_t position;
    std::vector<std::pair<std::string, std::string>> minimal;  // per alt
    std::vector<std::string> vcf_alts;
    std::string vcf_ref;
    SiteGenotype genotype;
};

struct WindowResult {
    GenomicRegion window;
    std::vector<CalledCandidate> candidates;
    std::vector<std::int32_t> depths, reference_counts;
    std::uint64_t reads = 0, repeated_reads = 0, downsampled_reads = 0;
};

}  // namespace

std::vector<SiteCall> call_sites(const SiteCallingOptions& options, const std::vector<ForcedSite>& sites,
                                 SiteCallingSummary* summary) {
    ReferenceGenome reference(options.reference_path);
    const GenotypeModel model = GenotypeModel::load(options.model_path);
    AlignmentReaderOptions reader_options;
    reader_options.reference_path = options.reference_path;
    reader_options.filters = options.filters;
    std::vector<GenomicRegion> requested;
    for (const auto& site : sites)
        requested.push_back({site.contig, std::max<std::int64_t>(0, site.position - window_padding),
                             site.position + static_cast<std::int64_t>(site.ref.size()) + window_padding});
    std::vector<GenomicRegion> windows;
    {
        AlignmentReader reads(options.reads_path, reader_options);
        std::vector<GenomicRegion> resolved;
        for (const auto& region : requested) resolved.push_back(reference.resolve(region));
        // Reads and reference must agree where we look; only those contigs are checked.
        reads.check_against_reference(reference);
        for (const auto& region : resolved) reads.resolve_contig(region.contig);
        windows = merge_regions(resolved, contig_names(reference.contigs()));
    }
    SiteCallingSummary totals;
    totals.ambiguous_reference_bases = reference.ambiguous_bases(windows);
    warn_ambiguous_reference(reference, totals.ambiguous_reference_bases);

    CallingInputs inputs;
    inputs.reference = &reference;
    inputs.reads_path = options.reads_path;
    inputs.reader_options = reader_options;
    inputs.candidates = options.candidates;
    inputs.realigner = options.realigner;
    inputs.shape = model.shape();
    inputs.keep_position_counts = true;
    ThreadChunkProcessors processors(inputs);
    std::vector<WindowResult> results;
    process_chunks_in_order<WindowResult>(
        windows, options.threads,
        [&](const GenomicRegion& window) {
            ChunkCandidates chunk;
            processors.process(window, chunk);
            const auto site_probabilities = predict_site_alleles(model, chunk);
            WindowResult result;
            result.window = window;
            result.reads = chunk.reads;
            result.repeated_reads = chunk.repeated_reads;
            result.downsampled_reads = chunk.downsampled_reads;
            result.depths = std::move(chunk.depths);
            result.reference_counts = std::move(chunk.reference_counts);
            for (std::size_t i = 0; i < chunk.sites.size(); ++i) {
                const CandidateSite& site = chunk.sites[i];
                const auto& allele_probabilities = site_probabilities[i];
                result.candidates.push_back({site.candidate.position, site.minimal, site.alts, site.ref, genotype_site(allele_probabilities)});
            }
            return result;
        },
        [&](const WindowResult& result) {
            totals.reads += result.reads;
            totals.repeated_reads += result.repeated_reads;
            totals.downsampled_reads += result.downsampled_reads;
            results.push_back(result);
        });
    warn_repeated_reads(options.reads_path, totals.reads, totals.repeated_reads);
    note_downsampled_reads(options.reads_path, totals.downsampled_reads, options.filters.max_depth);
    if (summary) *summary = totals;

    std::vector<SiteCall> calls;
    for (const auto& site : sites) {
        const GenomicRegion resolved = reference.resolve({site.contig, site.position, site.position + 1});
        SiteCall call;
        const auto window = std::find_if(results.begin(), results.end(), [&](const WindowResult& r) {
            return r.window.contig == resolved.contig && r.window.contains(site.position);
        });
        if (window == results.end()) throw InternalError("site outside every calling window");
        const std::size_t offset = static_cast<std::size_t>(site.position - window->window.begin);
        call.depth = window->depths[offset];

        // Normalise the site's alleles and every called allele in one reference window.
        const std::int64_t context_begin = std::max<std::int64_t>(0, site.position - window_padding);
        const std::string context = reference.fetch({resolved.contig, context_begin, site.position + window_padding});
        std::vector<NormalizedAllele> site_alts;
        for (const auto& alt : site.alts) site_alts.push_back(normalize_allele(context, context_begin, site.position, site.ref, alt));
        const auto site_allele_for = [&](std::int64_t position, const std::string& ref, const std::string& alt) -> int {
            const NormalizedAllele allele = normalize_allele(context, context_begin, position, ref, alt);
            for (std::size_t k = 0; k < site_alts.size(); ++k)
                if (site_alts[k] == allele) return static_cast<int>(k) + 1;
            return 0;
        };

        const CalledCandidate* match = nullptr;
        std::vector<int> mapping;  // candidate allele index → site allele index (−1: not the site's)
        for (const auto& candidate : window->candidates) {
            if (candidate.position < site.position - 50 || candidate.position > site.position + 50) continue;
            std::vector<int> candidate_mapping{0};
            bool relevant = candidate.position == site.position;
            for (const auto& [ref, alt] : candidate.minimal) {
                const int index = site_allele_for(candidate.position, ref, alt);
                candidate_mapping.push_back(index > 0 ? index : -1);
                relevant = relevant || index > 0;
            }
            if (relevant) {
                match = &candidate;
                mapping = candidate_mapping;
                if (candidate.position == site.position) break;
            }
        }
        if (match) {
            call.called = true;
            call.genotype_quality = match->genotype.genotype_quality;
            for (const int allele : {match->genotype.allele1, match->genotype.allele2}) {
                const int site_allele = mapping[static_cast<std::size_t>(allele)];
                if (site_allele == 0) {
                    call.alleles.push_back(site.ref);
                } else if (site_allele > 0) {
                    call.alleles.push_back(site.alts[static_cast<std::size_t>(site_allele - 1)]);
                } else {
                    call.alleles.push_back(match->position == site.position ? match->vcf_alts[static_cast<std::size_t>(allele - 1)]
                                                                            : site.ref);
                }
            }
        } else {
            const int reference_count = window->reference_counts[offset];
            const ReferenceConfidence confidence = reference_confidence(reference_count, call.depth - reference_count);
            call.genotype_quality = confidence.genotype_quality;
            const bool confident = call.depth >= options.min_depth && confidence.genotype_quality >= options.min_reference_gq;
            // genotype_quality is 0 unless reference is the likeliest genotype (reference_confidence).
            const bool likeliest = site.from_evidence && call.depth > 0 && confidence.genotype_quality > 0;
            if (confident || likeliest) {
                call.called = true;
                call.alleles = {site.ref, site.ref};
            } else {
                call.detail = "not called from reads: depth " + std::to_string(call.depth) + ", reference GQ " +
                              std::to_string(confidence.genotype_quality) + " (needs depth >= " + std::to_string(options.min_depth) +
                              " and GQ >= " + std::to_string(options.min_reference_gq) + ")" +
                              (site.from_evidence ? std::string(call.depth > 0 ? "; the reads favour a non-reference genotype that no candidate explains"
                                                                               : "; no reads")
                                                  : std::string());
            }
        }
        calls.push_back(std::move(call));
    }
    return calls;
}

}  // namespace genodose
