#include "genodose/calling/variant_caller.hpp"

#include <tbb/enumerable_thread_specific.h>

#include <array>
#include <chrono>

#include "genodose/calling/chunk_processor.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/calling/genotyper.hpp"
#include "genodose/calling/make_examples.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/io/reference_genome.hpp"
#include "genodose/io/vcf_writer.hpp"

namespace genodose {

namespace {

std::vector<std::string> call_header_lines() {
    return {
        "##FILTER=<ID=RefCall,Description=\"Candidate site genotyped as homozygous reference\">",
        "##FILTER=<ID=LowQual,Description=\"Non-reference genotype with QUAL below the --min-quality threshold\">",
        "##INFO=<ID=END,Number=1,Type=Integer,Description=\"End position of a reference block (gVCF)\">",
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">",
        "##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality: -10log10 P(genotype is wrong), capped at 99\">",
        "##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth at the site (reads passing filters)\">",
        "##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Reads supporting each allele (reference first)\">",
        "##FORMAT=<ID=VAF,Number=A,Type=Float,Description=\"Fraction of reads supporting each alt allele\">",
        "##FORMAT=<ID=PL,Number=G,Type=Integer,Description=\"Phred-scaled genotype likelihoods from the CNN, normalised\">",
    };
}

struct CalledChunk {
    std::vector<VcfOutputRecord> records;
    std::uint64_t reads = 0;
    std::uint64_t sites = 0;
};

std::string join_ints(const std::vector<int>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) text += ',';
        text += std::to_string(values[i]);
    }
    return text;
}

}  // namespace

CallSummary call_variants(const CallOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    ReferenceGenome reference(options.reference_path);
    const GenotypeModel model = GenotypeModel::load(options.model_path);
    AlignmentReaderOptions reader_options;
    reader_options.reference_path = options.reference_path;
    reader_options.filters = options.filters;
    std::vector<GenomicRegion> regions;
    std::string sample = options.sample_name;
    {
        AlignmentReader reads(options.reads_path, reader_options);
        regions = resolve_calling_regions(reference, reads, options.regions);
        if (sample.empty()) sample = reads.sample_names().empty() ? std::string("SAMPLE") : reads.sample_names().front();
        if (reads.sample_names().size() > 1)
            GENODOSE_LOG_WARN(reads.path() << ": several samples in @RG SM tags; all reads are called as one sample");
    }
    if (!options.gvcf_path.empty()) throw NotImplementedError("--gvcf is not implemented yet (issue #4)");
    const auto chunks = split_regions(regions, options.chunk_size);

    CallingInputs inputs;
    inputs.reference = &reference;
    inputs.reads_path = options.reads_path;
    inputs.reader_options = reader_options;
    inputs.candidates = options.candidates;
    inputs.shape = model.shape();

    VcfHeaderSpec header;
    header.source = options.source;
    header.reference_path = options.reference_path;
    header.contigs = reference.contigs();
    header.command_line = options.command_line;
    header.meta_lines = call_header_lines();
    header.samples = {sample};
    VcfWriter writer(options.output_path, header);

    // TBB runs one chunk per core; LibTorch stays single-threaded inside each.
    GenotypeModel::set_threads(1);
    tbb::enumerable_thread_specific<std::unique_ptr<ChunkProcessor>> processors;
    CallSummary summary;
    ProgressMeter progress("call", chunks.size(), "chunks");

    process_chunks_in_order<CalledChunk>(
        chunks, options.threads,
        [&](const GenomicRegion& chunk) {
            auto& processor = processors.local();
            if (!processor) processor = std::make_unique<ChunkProcessor>(inputs);
            ChunkCandidates candidates;
            processor->process(chunk, candidates);
            std::size_t images = candidates.tensors.size() / inputs.shape.bytes();
            std::vector<float> probabilities(images * 3);
            model.predict(candidates.tensors.data(), images, probabilities.data());

            CalledChunk result;
            result.reads = candidates.reads;
            result.sites = candidates.sites.size();
            std::size_t image = 0;
            for (const auto& site : candidates.sites) {
                std::vector<std::array<float, 3>> allele_probabilities;
                for (std::size_t a = 0; a < site.alts.size(); ++a, ++image)
                    allele_probabilities.push_back({probabilities[image * 3], probabilities[image * 3 + 1], probabilities[image * 3 + 2]});
                const SiteGenotype genotype = genotype_site(allele_probabilities);
                VcfOutputRecord record;
                record.contig = chunk.contig;
                record.position = site.candidate.position;
                record.ref = site.ref;
                record.alts = site.alts;
                record.quality = genotype.quality;
                if (genotype.is_reference()) {
                    record.filters = {"RefCall"};
                } else {
                    record.filters = {genotype.quality < options.min_quality ? "LowQual" : "PASS"};
                }
                std::vector<int> allele_depths{site.candidate.ref_support};
                std::string fractions;
                for (std::size_t a = 0; a < site.candidate.alts.size(); ++a) {
                    allele_depths.push_back(site.candidate.alts[a].support);
                    if (a) fractions += ',';
                    fractions += format_vcf_number(static_cast<double>(site.candidate.alts[a].support) /
                                                       std::max(1, site.candidate.depth), 4);
                }
                record.format_keys = {"GT", "GQ", "DP", "AD", "VAF", "PL"};
                record.sample_values = {{std::to_string(genotype.allele1) + "/" + std::to_string(genotype.allele2),
                                         std::to_string(genotype.genotype_quality), std::to_string(site.candidate.depth),
                                         join_ints(allele_depths), fractions, join_ints(genotype.phred_likelihoods)}};
                result.records.push_back(std::move(record));
            }
            return result;
        },
        [&](const CalledChunk& result) {
            for (const auto& record : result.records) {
                writer.write(record);
                if (record.filters[0] != "RefCall") ++summary.variant_records;
                if (record.filters[0] == "PASS") ++summary.pass_records;
            }
            summary.reads += result.reads;
            summary.candidate_sites += result.sites;
            progress.advance(1);
        });
    progress.finish();
    writer.close();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace genodose
