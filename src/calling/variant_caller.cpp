#include "genodose/calling/variant_caller.hpp"

#include "genodose/core/output_file.hpp"

#include <array>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>

#include "chunk_processor.hpp"
#include "genodose/calling/genotype_model.hpp"
#include "genodose/calling/genotyper.hpp"
#include "genodose/calling/make_examples.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/output_file.hpp"
#include "genodose/io/reference_genome.hpp"
#include "genodose/io/vcf_writer.hpp"
#include "gvcf_writer.hpp"

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

// One chunk's results, from the parallel step to the serial one: the candidates with their
// position counts, the genotype of each site, and the records written from them.
struct CalledChunk {
    ChunkCandidates candidates;
    std::vector<SiteGenotype> genotypes;  // per candidate site
    std::vector<VcfOutputRecord> records;
    std::vector<GvcfSite> gvcf_sites;
};

std::string join_ints(const std::vector<int>& values) {
    std::string text;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) text += ',';
        text += std::to_string(values[i]);
    }
    return text;
}

// The FORMAT values of a site: GT GQ DP AD VAF PL, with an extra allele of `other_reads` when
// `non_ref` (gVCF <*>).
VcfOutputRecord genotyped_record(const std::string& contig, const CandidateSite& site, const SiteGenotype& genotype,
                                 double min_quality, bool non_ref) {
    const Candidate& candidate = site.candidate;
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

// The VCF record of a genotyped candidate site.
VcfOutputRecord site_record(const std::string& contig, const CandidateSite& site, const SiteGenotype& genotype,
                            double min_quality) {
    return genotyped_record(contig, site, genotype, min_quality, false);
}

// The gVCF form: the site genotyped again with an extra <*> allele (non_ref_probabilities).
VcfOutputRecord gvcf_site_record(const std::string& contig, const CandidateSite& site,
                                 std::vector<std::array<float, 3>> allele_probabilities, double min_quality) {
    allele_probabilities.push_back(non_ref_probabilities);
    return genotyped_record(contig, site, genotype_site(allele_probabilities), min_quality, true);
}

}  // namespace

void warn_ambiguous_reference(const ReferenceGenome& reference, std::int64_t ambiguous_bases) {
    // Once per reference and process: `batch` calls every sample against the same reference.
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

void note_downsampled_reads(const std::string& reads_path, std::uint64_t downsampled_reads, int max_depth) {
    if (downsampled_reads > 0)
        GENODOSE_LOG_INFO(reads_path << ": deeper than " << max_depth << "x in places; " << downsampled_reads
                                     << " read(s) left out there to keep the depth near " << max_depth << "x");
}

void warn_repeated_reads(const std::string& reads_path, std::uint64_t reads, std::uint64_t repeated_reads) {
    if (repeated_reads > 0)
        GENODOSE_LOG_WARN(reads_path << ": " << repeated_reads
                                     << " read(s) repeat the name and flags of a read already seen (" << reads
                                     << " kept); the copies were skipped (merged or concatenated twice?)");
}

CallResult call_variants(const CallOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const bool write_vcf = !options.output_path.empty();
    if (!options.gvcf_path.empty() && write_vcf &&
        std::filesystem::weakly_canonical(options.gvcf_path) == std::filesystem::weakly_canonical(options.output_path))
        throw UsageError("--gvcf and --output are the same file (" + options.output_path + ")",
                         "give the gVCF its own name, e.g. sample.g.vcf.gz");
    ReferenceGenome reference(options.reference_path);
    const GenotypeModel model = GenotypeModel::load(options.model_path);
    AlignmentReaderOptions reader_options;
    reader_options.reference_path = options.reference_path;
    reader_options.filters = options.filters;
    // Reads of several samples (@RG SM) are never called as one: --sample chooses whose reads.
    if (!options.sample_name.empty()) reader_options.filters.sample = options.sample_name;
    std::vector<GenomicRegion> regions;
    std::string sample = options.sample_name;
    {
        AlignmentReader reads(options.reads_path, reader_options);
        if (reads.sample_names().size() > 1 && reader_options.filters.sample.empty())
            throw InputError(file_message(reads.path(), "reads from " + std::to_string(reads.sample_names().size()) +
                                                            " samples (@RG SM: " + reads.joined_samples() + ")"),
                             "choose one with --sample NAME (only its read groups are called)");
        regions = resolve_calling_regions(reference, reads, options.regions);
        if (sample.empty() && write_vcf) {
            if (reads.sample_names().empty())
                GENODOSE_LOG_WARN(reads.path() << ": no @RG SM tag; the sample is named SAMPLE (set it with --sample)");
            sample = reads.sample_names().empty() ? std::string("SAMPLE") : reads.sample_names().front();
        }
    }
    const auto chunks = split_regions(regions, options.chunk_size);
    CallResult result;
    CallSummary& summary = result.summary;
    summary.ambiguous_reference_bases = reference.ambiguous_bases(chunks);  // chunk by chunk: bounded memory
    warn_ambiguous_reference(reference, summary.ambiguous_reference_bases);

    CallingInputs inputs;
    inputs.reference = &reference;
    inputs.reads_path = options.reads_path;
    inputs.reader_options = reader_options;
    inputs.candidates = options.candidates;
    inputs.realigner = options.realigner;
    inputs.shape = model.shape();
    inputs.keep_position_counts = !options.gvcf_path.empty() || !options.forced_sites.empty() || options.keep_depth;
    inputs.chunk_groups = group_nearby_chunks(chunks, chunk_read_padding + inputs.shape.width);

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
    std::unique_ptr<VcfWriter> writer;
    if (write_vcf) writer = std::make_unique<VcfWriter>(options.output_path, header);
    std::unique_ptr<GvcfWriter> gvcf;
    if (!options.gvcf_path.empty()) gvcf = std::make_unique<GvcfWriter>(options.gvcf_path, header);
    ForcedSiteCollector forced_sites(reference, options.forced_sites, options.forced_site_rules);

    ThreadChunkProcessors processors(inputs);
    std::uint64_t total_bases = 0;
    for (const auto& chunk : chunks) total_bases += static_cast<std::uint64_t>(chunk.end - chunk.begin);
    ProgressMeter progress("call", total_bases, "bases");

    process_chunks_in_order<CalledChunk>(
        chunks, options.threads,
        [&](const GenomicRegion& chunk) {
            CalledChunk called;
            processors.process(chunk, called.candidates);
            const auto site_probabilities = predict_site_alleles(model, called.candidates);
            std::vector<std::uint8_t>().swap(
                called.candidates.tensors);  // not needed past prediction: free before the queue
            for (std::size_t i = 0; i < called.candidates.sites.size(); ++i) {
                const CandidateSite& site = called.candidates.sites[i];
                const auto& allele_probabilities = site_probabilities[i];
                called.genotypes.push_back(genotype_site(allele_probabilities));
                called.records.push_back(site_record(chunk.contig, site, called.genotypes.back(), options.min_quality));
                if (gvcf)
                    called.gvcf_sites.push_back(
                        {gvcf_site_record(chunk.contig, site, allele_probabilities, options.min_quality),
                         static_cast<std::int64_t>(site.ref.size())});
            }
            return called;
        },
        [&](const CalledChunk& called) {
            const ChunkCandidates& candidates = called.candidates;
            for (const auto& record : called.records) {
                if (writer) writer->write(record);
                if (record.filters[0] != "RefCall") ++summary.variant_records;
                if (record.filters[0] == "PASS") ++summary.pass_records;
            }
            if (gvcf)
                gvcf->add_chunk(candidates.chunk, candidates.depths, candidates.reference_counts,
                                candidates.reference_bases, called.gvcf_sites);
            if (!options.forced_sites.empty())
                forced_sites.add_chunk(candidates.chunk, candidates.sites, called.genotypes, candidates.depths,
                                       candidates.reference_counts);
            if (options.keep_depth) result.depth.push_back({candidates.chunk, candidates.depths});
            summary.reads += candidates.reads;
            summary.repeated_reads += candidates.repeated_reads;
            summary.downsampled_reads += candidates.downsampled_reads;
            summary.candidate_sites += candidates.sites.size();
            progress.advance(static_cast<std::uint64_t>(candidates.chunk.end - candidates.chunk.begin));
        });
    progress.finish();
    warn_repeated_reads(options.reads_path, summary.reads, summary.repeated_reads);
    note_downsampled_reads(options.reads_path, summary.downsampled_reads, options.filters.max_depth);
    if (writer) writer->close();
    if (gvcf) gvcf->close();
    if (!options.forced_sites.empty()) result.sites = forced_sites.calls();
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace genodose
