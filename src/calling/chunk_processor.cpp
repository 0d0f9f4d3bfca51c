#include "genodose/calling/chunk_processor.hpp"

#include <algorithm>

#include "genodose/calling/genotype_model.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/io/reference_genome.hpp"

namespace genodose {

ChunkProcessor::ChunkProcessor(const CallingInputs& inputs)
    : inputs_(inputs),
      reader_(inputs.reads_path, inputs.reader_options),
      realigner_(inputs.realigner),
      finder_(inputs.candidates),
      encoder_(inputs.shape) {}

void ChunkProcessor::process(const GenomicRegion& chunk, ChunkCandidates& out) {
    out.chunk = chunk;
    out.sites.clear();
    out.tensors.clear();
    const std::int64_t padding = chunk_read_padding + inputs_.shape.width;
    const std::int64_t window_begin = std::max<std::int64_t>(0, chunk.begin - padding);
    reference_window_ = inputs_.reference->fetch({chunk.contig, window_begin, chunk.end + padding});
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

std::vector<std::vector<std::array<float, 3>>> predict_site_alleles(const GenotypeModel& model, const ChunkCandidates& chunk) {
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
