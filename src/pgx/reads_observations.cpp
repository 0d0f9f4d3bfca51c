// Reads → PositionObservation, through the project's caller at the genotyping targets.
#include "genodose/calling/site_caller.hpp"
#include "genodose/core/error.hpp"
#include "genodose/io/alignment_reader.hpp"
#include "genodose/pgx/observations.hpp"

namespace genodose::pgx {

std::vector<ForcedSite> forced_sites(const std::vector<GenotypingTarget>& targets) {
    std::vector<ForcedSite> sites;
    sites.reserve(targets.size());
    for (const auto& target : targets)
        sites.push_back({target.chromosome, target.position, target.ref, target.alts, target.key});
    return sites;
}

SampleObservations observations_from_site_calls(std::string sample, const std::vector<SiteCall>& calls,
                                                std::uint64_t reads, std::uint64_t repeated_reads,
                                                std::int64_t ambiguous_reference_bases) {
    SampleObservations observations;
    observations.sample = std::move(sample);
    observations.reads = reads;
    observations.repeated_reads = repeated_reads;
    observations.ambiguous_reference_bases = ambiguous_reference_bases;
    for (const auto& call : calls) {
        PositionObservation observation;
        observation.depth = call.depth;
        observation.genotype_quality = call.genotype_quality;
        if (call.called) {
            observation.status = ObservationStatus::called;
            observation.alleles = call.alleles;
        } else {
            observation.status = ObservationStatus::not_called;
            observation.detail = call.detail;
        }
        observations.positions.push_back(std::move(observation));
    }
    return observations;
}

std::vector<SampleObservations> observations_from_reads(const std::vector<GenotypingTarget>& targets,
                                                        const ReadsObservationOptions& options) {
    if (options.reference.empty()) throw UsageError("--reads needs --ref (the reference the reads were aligned to)");
    if (!options.samples.empty() && options.samples.size() != options.alignments.size())
        throw UsageError("give one --sample name per alignment file");
    const std::vector<ForcedSite> sites = forced_sites(targets);

    std::vector<SampleObservations> samples;
    for (std::size_t i = 0; i < options.alignments.size(); ++i) {
        const std::string& path = options.alignments[i];
        std::string sample;
        AlignmentReaderOptions reader_options;
        reader_options.reference_path = options.reference;
        if (!options.samples.empty()) reader_options.filters.sample = options.samples[i];
        const AlignmentReader reader(path, reader_options);  // checks a chosen sample against @RG SM
        if (!options.samples.empty()) {
            sample = options.samples[i];
        } else {
            // Reads of several samples are never genotyped as one: the sample must be chosen.
            if (reader.sample_names().size() > 1)
                throw InputError(file_message(path, "reads from " + std::to_string(reader.sample_names().size()) +
                                                        " samples (@RG SM: " + reader.joined_samples() + ")"),
                                 "choose one with --sample NAME (only its read groups are used)");
            sample = reader.sample_names().empty() ? path : reader.sample_names().front();
        }
        SiteCallingOptions calling;
        calling.filters.sample = reader_options.filters.sample;
        calling.reference_path = options.reference;
        calling.reads_path = path;
        calling.model_path = options.model_path;
        calling.threads = options.threads;
        SiteCallingSummary summary;
        const std::vector<SiteCall> calls = call_sites(calling, sites, &summary);
        samples.push_back(observations_from_site_calls(std::move(sample), calls, summary.reads, summary.repeated_reads,
                                                       summary.ambiguous_reference_bases));
    }
    return samples;
}

}  // namespace genodose::pgx
