#include "chunk_processor.hpp"

#include <algorithm>

#include "genodose/calling/genotype_model.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/io/reference_genome.hpp"

namespace genodose {

std::vector<GenomicRegion> group_nearby_chunks(const std::vector<GenomicRegion>& chunks, std::int64_t padding) {
    std::vector<GenomicRegion> groups;
    GenomicRegion group;
    std::size_t members = 0;
    const auto close_group = [&] {
        if (members >= 2) groups.push_back(group);
        members = 0;
    };
    for (const auto& chunk : chunks) {
        const GenomicRegion window{chunk.contig, std::max<std::int64_t>(0, chunk.begin - padding), chunk.end + padding};
        if (members > 0 && window.contig == group.contig && window.begin >= group.begin &&
            window.begin <= group.end + max_chunk_group_gap && window.end - group.begin <= max_chunk_group_span) {
            group.end = std::max(group.end, window.end);
            ++members;
            continue;
        }
        close_group();
        group = window;
        members = 1;
    }
    close_group();
    return groups;
}

ChunkProcessor::ChunkProcessor(const CallingInputs& inputs)
    : inputs_(inputs),
      reader_(inputs.reads_path, inputs.reader_options),
      realigner_(inputs.realigner),
      finder_(inputs.candidates),
      encoder_(inputs.shape) {
    for (const auto& group : inputs.chunk_groups) groups_by_contig_[group.contig].push_back(group);
}

void ChunkProcessor::prepare_window(const GenomicRegion& chunk, std::int64_t window_begin, std::int64_t window_end) {
    const GenomicRegion* group = nullptr;
    if (const auto found = groups_by_contig_.find(chunk.contig); found != groups_by_contig_.end()) {
        const auto& groups = found->second;  // in order of begin, disjoint
        auto it = std::upper_bound(groups.begin(), groups.end(), window_begin,
                                   [](std::int64_t p, const GenomicRegion& g) { return p < g.begin; });
        if (it != groups.begin() && (--it)->begin <= window_begin && window_end <= it->end) group = &*it;
    }
    if (!group) {
        if (reads_held_) reader_.release_reads();
        reads_held_ = false;
        held_group_ = {};
        reference_window_ = inputs_.reference->fetch({chunk.contig, window_begin, window_end});
        return;
    }
    if (!(held_group_.contig == group->contig && held_group_.begin == group->begin && held_group_.end == group->end)) {
        held_group_ = *group;
        group_reference_ = inputs_.reference->fetch(*group);
        reads_held_ = reader_.hold_reads(*group, max_chunk_group_reads);
    }
    // The group's reference is the same sequence cut at the group's (clipped) bounds.
    const auto offset = static_cast<std::size_t>(window_begin - group->begin);
    const auto available = static_cast<std::int64_t>(group_reference_.size()) - static_cast<std::int64_t>(offset);
    reference_window_.assign(
        group_reference_, offset,
        static_cast<std::size_t>(std::max<std::int64_t>(0, std::min(window_end - window_begin, available))));
}

void ChunkProcessor::process(const GenomicRegion& chunk, ChunkCandidates& out) {
    out.chunk = chunk;
    out.sites.clear();
    out.tensors.clear();
    const std::int64_t padding = chunk_read_padding + inputs_.shape.width;
    const std::int64_t window_begin = std::max<std::int64_t>(0, chunk.begin - padding);
    prepare_window(chunk, window_begin, chunk.end + padding);
    store_.reset(reference_window_, window_begin);
    const GenomicRegion fetch{chunk.contig, std::max<std::int64_t>(0, chunk.begin - chunk_read_padding),
                              chunk.end + chunk_read_padding};
    if (inputs_.realigner.enabled) {
        realigner_.reset(reference_window_, window_begin);
        const ReadCounts counts = reader_.for_each_read(fetch, [&](const AlignedRead& read) { realigner_.add(read); });
        out.reads = counts.passed;
        out.repeated_reads = counts.repeated;
        out.downsampled_reads = counts.downsampled;
        realigner_.realign(chunk.begin, chunk.end);
        for (std::size_t i = 0; i < realigner_.size(); ++i) store_.add(realigner_.read(i));
        out.realignment = realigner_.stats();
        GENODOSE_LOG_DEBUG("realignment " << chunk.to_string() << ": " << out.realignment.windows << " windows, "
                                          << out.realignment.assembled << " with alt haplotypes, "
                                          << out.realignment.realigned_reads << " reads realigned");
    } else {
        const ReadCounts counts = reader_.for_each_read(fetch, [&](const AlignedRead& read) { store_.add(read); });
        out.reads = counts.passed;
        out.repeated_reads = counts.repeated;
        out.downsampled_reads = counts.downsampled;
    }

    candidates_.clear();
    finder_.find(store_, chunk.begin, chunk.end, candidates_);
    if (inputs_.keep_position_counts) {
        const auto& counts = finder_.position_counts();
        out.depths.resize(counts.size());
        out.reference_counts.resize(counts.size());
        out.reference_bases.resize(counts.size());
        for (std::size_t i = 0; i < counts.size(); ++i) {
            const char base = store_.reference_base(chunk.begin + static_cast<std::int64_t>(i));
            const int code = encode_base(base);
            out.depths[i] = counts[i].depth;
            out.reference_counts[i] = code < 4 ? counts[i].bases[code] : 0;
            out.reference_bases[i] = base;
        }
    }
    std::size_t images = 0;
    for (const auto& candidate : candidates_) images += candidate.alts.size();
    out.tensors.resize(images * inputs_.shape.bytes());
    std::size_t image = 0;
    for (auto& candidate : candidates_) {
        CandidateSite site;
        candidate.vcf_alleles(store_, site.ref, site.alts);
        for (std::size_t a = 0; a < candidate.alts.size(); ++a) {
            std::string ref, alt;
            candidate.alts[a].minimal_representation(store_, candidate.position, ref, alt);
            site.minimal.emplace_back(std::move(ref), std::move(alt));
            encoder_.encode(store_, candidate, a, out.tensors.data() + image * inputs_.shape.bytes());
            ++image;
        }
        site.candidate = std::move(candidate);
        out.sites.push_back(std::move(site));
    }
}

std::vector<std::vector<std::array<float, 3>>> predict_site_alleles(const GenotypeModel& model,
                                                                    const ChunkCandidates& chunk) {
    const std::size_t images = chunk.tensors.size() / model.shape().bytes();
    std::vector<float> probabilities(images * 3);
    model.predict(chunk.tensors.data(), images, probabilities.data());
    std::vector<std::vector<std::array<float, 3>>> sites;
    sites.reserve(chunk.sites.size());
    std::size_t image = 0;
    for (const auto& site : chunk.sites) {
        auto& alleles = sites.emplace_back();
        for (std::size_t a = 0; a < site.alts.size(); ++a, ++image)
            alleles.push_back({probabilities[image * 3], probabilities[image * 3 + 1], probabilities[image * 3 + 2]});
    }
    return sites;
}

}  // namespace genodose
