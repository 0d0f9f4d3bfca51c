#include "genodose/calling/variant_caller.hpp"

#include "genodose/core/output_file.hpp"

#include <array>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>

#include "genodose/calling/chunk_processor.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/calling/genotyper.hpp"
#include "genodose/calling/gvcf_writer.hpp"
#include "genodose/calling/make_examples.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
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
    GenomicRegion chunk;
    std::vector<VcfOutputRecord> records;
    std::vector<GvcfSite> gvcf_sites;
    std::vector<std::int32_t> depths, reference_counts;
    std::string reference_bases;
    std::uint64_t reads = 0;
    std::uint64_t repeated_reads = 0;
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

// The VCF record of a genotyped candidate site; with `non_ref`, the gVCF form with an extra
// <*> allele.
VcfOutputRecord site_record(const std::string& contig, const CandidateSite& site,
                            std::vector<std::array<float, 3>> allele_probabilities, double min_quality, bool non_ref) {
    const Candidate& candidate = site.candidate;
    if (non_ref) allele_probabilities.push_back(non_ref_probabilities);
    const SiteGenotype genotype = genotype_site(allele_probabilities);
    VcfOutputRecord record;
    record.contig = contig;
    record.position = candidate.position;
    record.ref = site.ref;
    record.alts = site.alts;
    record.quality = genotype.quality;
    if (genotype.is_reference()) {
        record.filters = {"RefCall"};
    } else {
        record.filters = {genotype.quality < min_quality ? "LowQual" : "PASS"};
    }
    std::vector<int> allele_depths{candidate.ref_support};
    int explained = candidate.ref_support;
    std::string fractions;
    const double depth = std::max(1, candidate.depth);
    for (std::size_t a = 0; a < candidate.alts.size(); ++a) {
        allele_depths.push_back(candidate.alts[a].support);
        explained += candidate.alts[a].support;
        fractions += (a ? "," : "") + format_vcf_number(candidate.alts[a].support / depth, 4);
    }
    if (non_ref) {
        const int other = std::max(0, candidate.depth - explained);
        record.alts.push_back("<*>");
        allele_depths.push_back(other);
        fractions += "," + format_vcf_number(other / depth, 4);
    }
    record.format_keys = {"GT", "GQ", "DP", "AD", "VAF", "PL"};
    record.sample_values = {{std::to_string(genotype.allele1) + "/" + std::to_string(genotype.allele2),
                             std::to_string(genotype.genotype_quality), std::to_string(candidate.depth),
                             join_ints(allele_depths), fractions, join_ints(genotype.phred_likelihoods)}};
    return record;
}

}  // namespace

void warn_ambiguous_reference(const ReferenceGenome& reference, std::int64_t ambiguous_bases) {
    // Once per reference and process: `run --reads` calls the same windows twice (sites, VCF).
    static std::mutex mutex;
    static std::set<std::string> warned;
    if (ambiguous_bases <= 0) return;
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (!warned.insert(reference.path()).second) return;
    }
        GENODOSE_LOG_WARN(reference.path() << ": " << ambiguous_bases
                                           << " reference base(s) in the called regions are IUPAC ambiguity codes (not "
                                              "A/C/G/T/N); they are read as N and calls near them may be wrong");
}

void warn_repeated_reads(const std::string& reads_path, std::uint64_t reads, std::uint64_t repeated_reads) {
    if (repeated_reads > 0)
        GENODOSE_LOG_WARN(reads_path << ": " << repeated_reads << " read(s) repeat the name and flags of a read already seen ("
                                     << reads << " kept); the copies were skipped (merged or concatenated twice?)");
}

CallSummary call_variants(const CallOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    if (!options.gvcf_path.empty() &&
        std::filesystem::weakly_canonical(options.gvcf_path) == std::filesystem::weakly_canonical(options.output_path))
        throw UsageError("--gvcf and --output are the same file (" + options.output_path + ")",
                         "give the gVCF its own name, e.g. sample.g.vcf.gz");
    ReferenceGenome reference(options.reference_path);
    const GenotypeModel model = GenotypeModel::load(options.model_path);
    AlignmentReaderOptions reader_options;
    reader_options.reference_path = options.reference_path;
    reader_options.filters = options.filters;
    // Reads of several samples (@RG SM) are never called as one: --sample chooses whose reads.
    reader_options.filters.sample = options.sample_name;
    std::vector<GenomicRegion> regions;
    std::string sample = options.sample_name;
    {
        AlignmentReader reads(options.reads_path, reader_options);
        if (reads.sample_names().size() > 1 && sample.empty())
            throw InputError(file_message(reads.path(), "reads from " + std::to_string(reads.sample_names().size()) +
                                                            " samples (@RG SM: " + reads.joined_samples() + ")"),
                             "choose one with --sample NAME (only its read groups are called)");
        regions = resolve_calling_regions(reference, reads, options.regions);
        if (sample.empty()) {
            if (reads.sample_names().empty())
                GENODOSE_LOG_WARN(reads.path() << ": no @RG SM tag; the sample is named SAMPLE (set it with --sample)");
            sample = reads.sample_names().empty() ? std::string("SAMPLE") : reads.sample_names().front();
        }
    }
    const auto chunks = split_regions(regions, options.chunk_size);
    CallSummary summary;
    summary.ambiguous_reference_bases = reference.ambiguous_bases(chunks);  // chunk by chunk: bounded memory
    warn_ambiguous_reference(reference, summary.ambiguous_reference_bases);

    CallingInputs inputs;
    inputs.reference = &reference;
    inputs.reads_path = options.reads_path;
    inputs.reader_options = reader_options;
    inputs.candidates = options.candidates;
    inputs.realigner = options.realigner;
    inputs.shape = model.shape();
    inputs.keep_position_counts = !options.gvcf_path.empty();

    VcfHeaderSpec header;
    header.source = options.source;
    header.reference_path = options.reference_path;
    header.contigs = reference.contigs();
    header.command_line = options.command_line;
    header.meta_lines = call_header_lines();
    header.samples = {sample};
    // A missing output folder is created, as `run` does, once the inputs have been checked.
    for (const std::string* path : {&options.output_path, &options.gvcf_path}) {
        const std::filesystem::path folder = std::filesystem::path(*path).parent_path();
        if (!path->empty() && *path != "-" && !folder.empty()) ensure_directory(folder.string());
    }
    VcfWriter writer(options.output_path, header);
    std::unique_ptr<GvcfWriter> gvcf;
    if (!options.gvcf_path.empty()) gvcf = std::make_unique<GvcfWriter>(options.gvcf_path, header);

    ThreadChunkProcessors processors(inputs);
    std::uint64_t total_bases = 0;
    for (const auto& chunk : chunks) total_bases += static_cast<std::uint64_t>(chunk.end - chunk.begin);
    ProgressMeter progress("call", total_bases, "bases");

    process_chunks_in_order<CalledChunk>(
        chunks, options.threads,
        [&](const GenomicRegion& chunk) {
            ChunkCandidates candidates;
            processors.process(chunk, candidates);
            const auto site_probabilities = predict_site_alleles(model, candidates);

            CalledChunk result;
            result.chunk = chunk;
            result.depths = std::move(candidates.depths);
            result.reference_counts = std::move(candidates.reference_counts);
            result.reference_bases = std::move(candidates.reference_bases);
            result.reads = candidates.reads;
            result.repeated_reads = candidates.repeated_reads;
            result.sites = candidates.sites.size();
            for (std::size_t i = 0; i < candidates.sites.size(); ++i) {
                const CandidateSite& site = candidates.sites[i];
                const auto& allele_probabilities = site_probabilities[i];
                result.records.push_back(site_record(chunk.contig, site, allele_probabilities, options.min_quality, false));
                if (inputs.keep_position_counts)
                    result.gvcf_sites.push_back({site_record(chunk.contig, site, allele_probabilities, options.min_quality, true),
                                                 static_cast<std::int64_t>(site.ref.size())});
            }
            return result;
        },
        [&](const CalledChunk& result) {
            for (const auto& record : result.records) {
                writer.write(record);
                if (record.filters[0] != "RefCall") ++summary.variant_records;
                if (record.filters[0] == "PASS") ++summary.pass_records;
            }
            if (gvcf)
                gvcf->add_chunk(result.chunk, result.depths, result.reference_counts, result.reference_bases, result.gvcf_sites);
            summary.reads += result.reads;
            summary.repeated_reads += result.repeated_reads;
            summary.candidate_sites += result.sites;
            progress.advance(static_cast<std::uint64_t>(result.chunk.end - result.chunk.begin));
        });
    progress.finish();
    warn_repeated_reads(options.reads_path, summary.reads, summary.repeated_reads);
    writer.close();
    if (gvcf) gvcf->close();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace genodose
