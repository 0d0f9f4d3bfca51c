// `genodose genotype`: observations → star-allele diplotypes, phenotypes and SNP genotypes.
//
//   GenotypeOptions options;
//   options.vcf = "sample.vcf.gz";
//   options.output = "sample.genotypes.json";
//   run_genotype(options);                       // reads, matches, writes the JSON atomically
//
// Or piece by piece (e.g. for the reads path or a batch run that keeps everything in memory):
//   PgxDataset data = load_pgx_dataset(pgx_data_directory(default_data_directory()));
//   auto targets = genotyping_targets(data, GenomeBuild::grch38);
//   SampleGenotype result = genotype_sample(data, targets, observations);   // one sample
//   std::string json = genotype_report_json(data, targets, {result}, info);
//
// The JSON schema (schema_version "1") is documented in docs/genotype-schema.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "genodose/pgx/definitions.hpp"
#include "genodose/pgx/observations.hpp"
#include "genodose/pgx/star_allele_matcher.hpp"

namespace genodose::pgx {

struct GenotypeOptions {
    std::string vcf;                   // --vcf
    std::vector<std::string> reads;    // --reads (BAM/CRAM)
    std::string reference;             // --ref (for --reads)
    std::string model_path;            // --model: caller model for --reads
    std::vector<std::string> samples;  // --sample; empty = all samples of the VCF
    GenomeBuild build = GenomeBuild::grch38;
    bool missing_to_ref = false;  // --missing-to-ref
    std::string output;           // --output (JSON)
    std::string data_directory;   // --data-dir; empty = default_data_directory()
    std::string command_line;     // recorded in the JSON
    int threads = 1;
};

struct HaplotypeDetail {
    std::string name;
    std::optional<std::string> function;  // "Decreased function"; nullopt without a table
    std::optional<double> activity_value;
};

struct DiplotypeDetail {
    std::string name;                         // "*1/*3"
    std::vector<HaplotypeDetail> haplotypes;  // two
    std::optional<std::string> phenotype;     // from the phenotype table; nullopt if absent
    std::optional<double> activity_score;
};

struct GeneGenotype {
    GeneCall call;
    std::vector<std::size_t> targets;      // indices of the gene's positions in the target list
    std::vector<DiplotypeDetail> details;  // one per best diplotype
    std::optional<std::string> phenotype;  // shared by every best diplotype, else nullopt
    std::optional<double> activity_score;
    struct Reported {
        std::string key;                      // "rs9923231" or "rs9923231_gene_strand"
        std::optional<std::string> genotype;  // "C/T"; nullopt when not usable
    };
    std::vector<Reported> reported;

    // What the input tested. An allele is tested when every position its definition fills has a
    // usable genotype (the reference allele always is). Key alleles are the gene's AMP tier-1
    // alleles (PharmCAT's amp1Alleles: CYP2C9 *2 *3 *5 *6 *8 *11).
    std::vector<std::string> tested_alleles;          // definition order
    std::vector<std::string> key_alleles_not_tested;  // definition order
    // Key alleles whose positions were called, but with genotype quality below
    // min_confident_key_quality (e.g. a reference call from two reads): "*3 (GQ 7)".
    std::vector<std::string> key_alleles_low_quality;

    // The call from the tested alleles only: the best consistent diplotype made of tested
    // alleles, when exactly one is best. A targeted assay (CYP2C9 rs1799853 + rs1057910) gives
    // PharmCAT nine tied diplotypes for a *2/*3 sample (*18 and others reduce to *3 there); from
    // the alleles the assay tests it is *2/*3, as a lab reports it. Equals the PharmCAT call
    // when that is a single diplotype of tested alleles. nullopt when not called or still tied.
    std::optional<DiplotypeDetail> tested_call;

    // Set when the phenotype of the call (the single PharmCAT diplotype, else tested_call)
    // depends on key alleles the input did not test, or tested with low quality: a haplotype of
    // the call is the reference allele, which such an allele could replace. E.g. "*3 not tested",
    // "*3 (GQ 5) tested with low genotype quality". `phenotype`/`activity_score` are then empty
    // (never a confident phenotype) and the table's values, which assume those alleles absent,
    // are in the two fields below.
    std::optional<std::string> phenotype_qualifier;
    std::optional<std::string> phenotype_if_untested_absent;
    std::optional<double> activity_score_if_untested_absent;
};

// Key-allele positions genotyped with less than this GQ qualify the phenotype (see above).
inline constexpr int min_confident_key_quality = 20;

struct SampleGenotype {
    SampleObservations observations;
    std::vector<GeneGenotype> genes;           // dataset gene order
    std::vector<std::size_t> variant_targets;  // extra reported positions (rs12777823)
};

SampleGenotype genotype_sample(const PgxDataset& data, const std::vector<GenotypingTarget>& targets,
                               const SampleObservations& observations);

struct GenotypeReportInfo {
    std::string input;       // the VCF or reads given
    std::string input_kind;  // "vcf" or "reads"
    GenomeBuild build = GenomeBuild::grch38;
    bool missing_to_ref = false;
    std::string command_line;
    std::vector<std::string> warnings;
};

std::string genotype_report_json(const PgxDataset& data, const std::vector<GenotypingTarget>& targets,
                                 const std::vector<SampleGenotype>& samples, const GenotypeReportInfo& info);

// The whole command. UsageError without exactly one of vcf/reads; InputError for bad inputs;
// OutputError if the JSON cannot be written.
void run_genotype(const GenotypeOptions& options);

}  // namespace genodose::pgx
