#include "genodose/calling/make_examples.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "chunk_processor.hpp"
#include "genodose/calling/example_io.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/io/reference_genome.hpp"
#include "truth_labeler.hpp"

namespace genodose {

std::string MakeExamplesSummary::to_json() const {
    nlohmann::ordered_json json;
    json["reads"] = reads;
    json["candidate_sites"] = candidate_sites;
    json["examples"] = examples;
    json["examples_per_class"] = {
        {"hom_ref", examples_per_class[0]}, {"het", examples_per_class[1]}, {"hom_alt", examples_per_class[2]}};
    json["unlabelled_candidates"] = unlabelled;
    json["truth"] = {{"snvs", truth_snvs}, {"indels", truth_indels}};
    json["missed_by_candidates"] = {{"snvs", missed_snvs}, {"indels", missed_indels}, {"alleles", missed}};
    const auto sensitivity = [](std::uint64_t total, std::uint64_t missed_count) {
        return total ? static_cast<double>(total - missed_count) / static_cast<double>(total) : 0.0;
    };
    json["candidate_sensitivity"] = {{"snv", sensitivity(truth_snvs, missed_snvs)},
                                     {"indel", sensitivity(truth_indels, missed_indels)}};
    const std::uint64_t truth_total = truth_snvs + truth_indels;
    json["candidates_per_truth_variant"] =
        truth_total ? static_cast<double>(candidate_sites) / static_cast<double>(truth_total) : 0.0;
    json["seconds"] = seconds;
    return json.dump(2) + "\n";
}

std::vector<GenomicRegion> resolve_calling_regions(const ReferenceGenome& reference, const AlignmentReader& reads,
                                                   const std::vector<GenomicRegion>& requested) {
    std::vector<std::string> md5_contigs;
    std::vector<GenomicRegion> regions;
    if (requested.empty()) {
        for (const auto& contig : reads.contigs())
            if (reference.has_contig(contig.name)) regions.push_back({contig.name, 0, contig.length});
    } else {
        for (const auto& region : requested) regions.push_back(reference.resolve(region));
    }
    for (const auto& region : regions) md5_contigs.push_back(region.contig);
    reads.check_against_reference(reference, md5_contigs);
    for (const auto& region : regions) {
        if (match_contig_name(region.contig, contig_names(reads.contigs())) != region.contig)
            throw InputError(file_message(reads.path(),
                                          "has no contig '" + region.contig + "' (region " + region.to_string() + ")"));
    }
    if (regions.empty()) throw InputError(file_message(reads.path(), "no contig in common with the reference"));
    return merge_regions(std::move(regions), contig_names(reference.contigs()));
}

namespace {

struct LabelledChunk {
    ChunkCandidates candidates;
    std::vector<std::int8_t> labels;  // per image
    std::uint64_t truth_snvs = 0, truth_indels = 0;
    std::vector<std::string> missed_snvs, missed_indels;
};

}  // namespace

MakeExamplesSummary make_examples(const MakeExamplesOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    ReferenceGenome reference(options.reference_path);
    AlignmentReaderOptions reader_options;
    reader_options.reference_path = options.reference_path;
    reader_options.filters = options.filters;
    std::vector<GenomicRegion> regions;
    {
        AlignmentReader reads(options.reads_path, reader_options);
        regions = resolve_calling_regions(reference, reads, options.regions);
    }
    std::vector<GenomicRegion> confident;
    if (!options.confident_bed.empty()) confident = read_bed(options.confident_bed);
    const auto chunks = split_regions(regions, options.chunk_size);

    CallingInputs inputs;
    inputs.reference = &reference;
    inputs.reads_path = options.reads_path;
    inputs.reader_options = reader_options;
    inputs.candidates = options.candidates;
    inputs.realigner = options.realigner;
    inputs.shape = options.shape;
    inputs.chunk_groups = group_nearby_chunks(chunks, chunk_read_padding + inputs.shape.width);

    ThreadChunkProcessors processors(inputs);
    ExampleShardWriter writer(options.output_folder, options.shape, options.examples_per_shard);
    MakeExamplesSummary summary;
    std::uint64_t total_bases = 0;
    for (const auto& chunk : chunks) total_bases += static_cast<std::uint64_t>(chunk.end - chunk.begin);
    ProgressMeter progress("make-examples", total_bases, "bases");
    const std::size_t image_bytes = options.shape.bytes();

    process_chunks_in_order<LabelledChunk>(
        chunks, options.threads,
        [&](const GenomicRegion& chunk) {
            LabelledChunk result;
            processors.process(chunk, result.candidates);
            TruthLabeler truth(options.truth_path, reference, chunk, confident);
            for (const auto& site : result.candidates.sites)
                for (const auto& [ref, alt] : site.minimal)
                    result.labels.push_back(static_cast<std::int8_t>(truth.label(site.candidate.position, ref, alt)));
            for (const auto& allele : truth.alleles_in(chunk.begin, chunk.end)) {
                const bool snv = allele.allele.ref.size() == 1 && allele.allele.alt.size() == 1;
                ++(snv ? result.truth_snvs : result.truth_indels);
                if (allele.matched) continue;
                (snv ? result.missed_snvs : result.missed_indels)
                    .push_back(chunk.contig + ":" + std::to_string(allele.allele.position + 1) + " " +
                               allele.allele.ref + ">" + allele.allele.alt);
            }
            return result;
        },
        [&](const LabelledChunk& result) {
            summary.reads += result.candidates.reads;
            summary.candidate_sites += result.candidates.sites.size();
            summary.truth_snvs += result.truth_snvs;
            summary.truth_indels += result.truth_indels;
            summary.missed_snvs += result.missed_snvs.size();
            summary.missed_indels += result.missed_indels.size();
            summary.missed.insert(summary.missed.end(), result.missed_snvs.begin(), result.missed_snvs.end());
            summary.missed.insert(summary.missed.end(), result.missed_indels.begin(), result.missed_indels.end());
            std::size_t image = 0;
            for (const auto& site : result.candidates.sites) {
                for (const auto& allele : site.candidate.alts) {
                    const std::int8_t label = result.labels[image];
                    if (label < 0) {
                        ++summary.unlabelled;
                    } else {
                        ExampleMeta meta;
                        meta.position = site.candidate.position;
                        meta.label = label;
                        meta.allele_kind = static_cast<std::uint8_t>(allele.kind);
                        meta.allele_length = static_cast<std::int16_t>(allele.length);
                        writer.write(meta, result.candidates.tensors.data() + image * image_bytes);
                        ++summary.examples;
                        ++summary.examples_per_class[label];
                    }
                    ++image;
                }
            }
            progress.advance(static_cast<std::uint64_t>(result.candidates.chunk.end - result.candidates.chunk.begin));
        });
    progress.finish();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    writer.close();
    write_file_atomically(options.output_folder + "/summary.json", summary.to_json());
    return summary;
}

}  // namespace genodose
