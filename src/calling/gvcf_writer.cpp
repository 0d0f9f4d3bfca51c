#include "gvcf_writer.hpp"

#include <algorithm>
#include <cmath>

namespace genodose {

namespace {
constexpr int gq_bands[] = {0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 40, 50, 60, 70, 80, 90, 99};
constexpr double base_error = 0.01;
}  // namespace

int gq_band(int genotype_quality) {
    int band = 0;
    for (int lower : gq_bands)
        if (genotype_quality >= lower) band = lower;
    return band;
}

ReferenceConfidence reference_confidence(int reference_count, int other_count) {
    // log10 likelihoods of 0/0, 0/1, 1/1 given r reference and a other bases.
    const double r = reference_count, a = other_count;
    const double log_e = std::log10(base_error), log_1e = std::log10(1 - base_error);
    const std::array<double, 3> log_likelihood{r * log_1e + a * log_e, (r + a) * std::log10(0.5),
                                               r * log_e + a * log_1e};
    const double best = *std::max_element(log_likelihood.begin(), log_likelihood.end());
    double total = 0;
    for (double l : log_likelihood) total += std::pow(10.0, l - best);
    ReferenceConfidence result;
    for (std::size_t g = 0; g < 3; ++g)
        result.phred_likelihoods[g] = static_cast<int>(std::lround(-10 * (log_likelihood[g] - best)));
    const double p_ref = std::pow(10.0, log_likelihood[0] - best) / total;
    const double p_not_ref = std::max(1e-30, 1 - p_ref);
    result.genotype_quality =
        p_ref <= 0.5 ? 0 : static_cast<int>(std::min(99L, std::lround(-10 * std::log10(p_not_ref))));
    return result;
}

GvcfWriter::GvcfWriter(const std::string& path, VcfHeaderSpec header)
    : writer_(path, [&] {
          header.meta_lines.push_back("##ALT=<ID=*,Description=\"Any allele not listed (gVCF)\">");
          header.meta_lines.push_back(
              "##FORMAT=<ID=MIN_DP,Number=1,Type=Integer,Description=\"Minimum read depth in the reference block\">");
          return header;
      }()) {}

void GvcfWriter::flush_block() {
    if (!block_.open) return;
    VcfOutputRecord record;
    record.contig = block_.contig;
    record.position = block_.start;
    record.ref = std::string(1, block_.reference_base);
    record.alts = {"<*>"};
    record.info = {{"END", std::to_string(block_.end)}};
    record.format_keys = {"GT", "GQ", "MIN_DP", "PL"};
    record.sample_values = {
        {block_.covered ? "0/0" : "./.", std::to_string(block_.min_gq), std::to_string(block_.min_depth),
         std::to_string(block_.pl[0]) + "," + std::to_string(block_.pl[1]) + "," + std::to_string(block_.pl[2])}};
    writer_.write(record);
    block_.open = false;
}

void GvcfWriter::add_chunk(const GenomicRegion& chunk, const std::vector<std::int32_t>& depths,
                           const std::vector<std::int32_t>& reference_counts, const std::string& reference_bases,
                           const std::vector<GvcfSite>& sites) {
    if (chunk.contig != last_contig_) {
        flush_block();
        last_contig_ = chunk.contig;
        covered_until_ = 0;
    }
    std::size_t next_site = 0;
    for (std::int64_t p = chunk.begin; p < chunk.end; ++p) {
        if (next_site < sites.size() && sites[next_site].record.position == p) {
            flush_block();
            while (next_site < sites.size() && sites[next_site].record.position == p) {
                writer_.write(sites[next_site].record);
                covered_until_ = std::max(covered_until_, p + sites[next_site].span);
                ++next_site;
            }
            continue;
        }
        const std::size_t i = static_cast<std::size_t>(p - chunk.begin);
        const char base = reference_bases[i];
        if (p < covered_until_ || base == 'N') {
            flush_block();
            continue;
        }
        const int depth = depths[i];
        const ReferenceConfidence confidence = reference_confidence(reference_counts[i], depth - reference_counts[i]);
        const int band = gq_band(confidence.genotype_quality);
        // A position whose counts make a non-reference genotype the most likely (e.g. reads with a
        // deletion over it, or a minority base below the candidate thresholds) is written ./. in
        // its own block, not 0/0 with a PL that contradicts it: PGx genotyping reads ./. as "not
        // called" rather than as reference evidence.
        const bool covered = depth > 0 && confidence.phred_likelihoods[0] == 0;
        if (block_.open && (block_.band != band || block_.covered != covered || block_.end != p)) flush_block();
        if (!block_.open) {
            block_ = Block{};
            block_.open = true;
            block_.contig = chunk.contig;
            block_.start = p;
            block_.reference_base = base;
            block_.band = band;
            block_.covered = covered;
            block_.min_gq = confidence.genotype_quality;
            block_.min_depth = depth;
            block_.pl = confidence.phred_likelihoods;
        } else if (confidence.genotype_quality < block_.min_gq) {
            block_.min_gq = confidence.genotype_quality;
            block_.pl = confidence.phred_likelihoods;
        }
        block_.min_depth = std::min(block_.min_depth, depth);
        block_.end = p + 1;
    }
}

void GvcfWriter::close() {
    flush_block();
    writer_.close();
}

}  // namespace genodose
