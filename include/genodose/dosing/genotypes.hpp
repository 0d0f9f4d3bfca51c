// Genotype parsing for the dose model: CYP2C9 diplotypes, VKORC1 -1639 (with the IWPC
// imputation rules), and what a genotyping reports, from `genodose genotype` JSON files
// (docs/genotype-schema.md) or from pgx's typed result in memory.
//
//   auto samples = read_genotype_file("pgx.json");                       // dose predict --genotypes
//   auto notes = merge_genotypes(patient, find_sample(samples, patient, "pgx.json", true));
//
//   SampleGenotypes measured = dose_genotypes(reported_genotypes(data, targets, genotype), "genotypes.json");
//   merge_genotypes(patient, measured);                                  // genodose run: no JSON text
//
// Both read the genotyping into ReportedGenotypes and turn it into the dose's genotypes with the
// same function (dose_genotypes), so the two cannot disagree.
//
// A no-call, a tie between several diplotypes, or an unreadable SNP genotype leaves the gene
// missing with a note saying why (unless a value was typed into the patient input); it never
// becomes *1/*1 or G/G.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "genodose/dosing/patient.hpp"
#include "genodose/pgx/genotyper.hpp"

namespace genodose::dosing {

// CPIC activity value of each CYP2C9 star allele (empty = "n/a", uncertain function), read
// from a PharmCAT/CPIC phenotype table (`phenotype/CYP2C9.json`, key "activityValues"). The
// training command records the table in the model file, so a model always scores diplotypes
// with the values it was trained with.
class Cyp2c9ActivityTable {
public:
    Cyp2c9ActivityTable() = default;
    explicit Cyp2c9ActivityTable(std::map<std::string, std::optional<double>> values) : values_(std::move(values)) {}

    // Reads {"activityValues": {"*1": "1.0", "*7": "n/a", ...}}. InputError naming the file.
    static Cyp2c9ActivityTable load(const std::string& path);

    // Sum of the two allele values; empty if the diplotype is unknown or an allele has no value.
    std::optional<double> activity_score(const std::string& diplotype) const;

    const std::map<std::string, std::optional<double>>& values() const { return values_; }
    bool empty() const { return values_.empty(); }

private:
    std::map<std::string, std::optional<double>> values_;
};

// The genotype text of a dose SNP with this many counted alleles: "C/C", "C/T", "T/T".
std::string snp_genotype(const DoseSnp& snp, int counted_alleles);

// Splits "*1/*3" into {"*1", "*3"}. InputError (message without file context) if malformed.
std::pair<std::string, std::string> split_diplotype(const std::string& diplotype);

// A CYP2C9 genotype from a diplotype text ("*1/*3"); "NA" or empty gives a missing genotype.
// carries_star5_6_8_11 is true for carriers and otherwise left empty: IWPC-style data do not
// say whether those alleles were tested.
Cyp2c9Genotype cyp2c9_from_diplotype(const std::string& text);

// Count of `alt` alleles in an SNP genotype written "R/A" or "R|A" whose alleles must be `ref`
// or `alt`; empty for a no-call ("./.", "NA", ""). InputError (without file context) otherwise.
std::optional<int> count_snp_alleles(const std::string& genotype, char ref, char alt);

// Count of -1639 A alleles from a gene-strand genotype as in the IWPC columns ("A/G", "G/G",
// "A/A"); empty for "NA"/"". InputError (message without file context) for anything else.
std::optional<int> vkorc1_1639_a_alleles(const std::string& gene_strand_genotype);

// The IWPC imputation of VKORC1 -1639 from other VKORC1 SNPs and race, exactly as in
// shared/data/iwpc/README.md (first rule that applies wins; "not Black" means White or Asian):
//   1. not Black and rs2359612 (2255) C/C -> G/G, T/T -> A/A, C/T -> A/G
//   2. rs9934438 (1173) C/C -> G/G, T/T -> A/A, C/T -> A/G
//   3. not Black and rs8050894 (1542) G/G -> G/G, C/C -> A/A, C/G -> A/G
//   4. otherwise missing.
// Inputs are gene-strand genotypes as in the IWPC consensus columns ("NA"/"" = missing).
std::optional<int> impute_vkorc1_1639_a_alleles(Race race, const std::string& vkorc1_2255,
                                                const std::string& vkorc1_1173, const std::string& vkorc1_1542);

// One gene of a genotyping, as dosing reads it: the fields of a gene entry of the genotype JSON
// (docs/genotype-schema.md), typed.
struct ReportedGene {
    struct TestedCall {
        std::string diplotype;  // may be empty in a file: then there is none
        std::optional<std::string> phenotype;
        std::optional<double> activity_score;
    };
    std::optional<std::vector<std::string>> diplotypes;  // the best diplotypes; nullopt: the entry has none
    std::optional<std::string> phenotype;
    std::optional<double> activity_score;
    std::optional<TestedCall> call_from_tested_alleles;
    std::vector<std::string> tested_alleles;
    std::optional<std::vector<std::string>> key_alleles_not_tested;  // nullopt: a file from before the list
    std::vector<std::string> key_alleles_low_quality;                // "*3 (GQ 5)"
    bool phenotype_qualified = false;
    std::optional<std::string> phenotype_if_untested_absent;
    std::optional<double> activity_score_if_untested_absent;
    bool positions_missing = false;
    // Reported SNP genotypes (plus strand) by rsID; nullopt: reported, not called. A key that is
    // absent: the genotyping does not report that SNP.
    std::map<std::string, std::optional<std::string>> snps;

    const std::optional<std::string>* snp(const std::string& rsid) const;
};

// One sample of a genotyping: its genes (by name) and the reported positions outside them.
struct ReportedGenotypes {
    std::string sample;
    std::map<std::string, ReportedGene> genes;
    std::map<std::string, std::optional<std::string>> variants;  // rsID -> genotype (plus strand)
};

// What pgx's genotyping of one sample reports: the same fields genotype_report_json writes.
ReportedGenotypes reported_genotypes(const pgx::PgxDataset& data, const std::vector<pgx::GenotypingTarget>& targets,
                                     const pgx::SampleGenotype& genotype);

// One sample of a genotyping, reduced to what dosing uses.
// A gene or variant absent from the file (`has_*` false) is not reported by it; one that is
// present but not called is reported as missing.
struct SampleGenotypes {
    std::string sample;
    bool has_cyp2c9 = false, has_vkorc1 = false, has_cyp4f2 = false, has_rs12777823 = false;
    Cyp2c9Genotype cyp2c9;
    Vkorc1Genotype vkorc1;
    std::optional<int> cyp4f2_star3_alleles;
    std::string cyp4f2_note;  // why cyp4f2_star3_alleles is empty, when the file says
    std::optional<int> rs12777823_a_alleles;
    // Other VKORC1 SNPs as gene-strand genotypes (complemented from the file's plus strand),
    // for the IWPC imputation when rs9923231 is not called; it needs the patient's race.
    std::string vkorc1_2255, vkorc1_1173, vkorc1_1542;
};

// The genotypes the dose uses, from what a genotyping reports: the single conversion, for files
// and for `genodose run`. InputError naming `source` and the sample for a genotype text the dose
// cannot read (e.g. a third allele at rs9923231).
SampleGenotypes dose_genotypes(const ReportedGenotypes& reported, const std::string& source);

// Reads {"schema_version": "1", "samples": [...]}. InputError naming the file, the sample and
// the field for anything malformed (unknown schema version, bad allele text).
std::vector<SampleGenotypes> read_genotype_file(const std::string& path);
std::vector<SampleGenotypes> parse_genotype_json(const std::string& text, const std::string& name);

// The sample for `patient`: the one named by patient.sample_id (or patient.id); if the file
// holds a single sample and the patient names none that matches, that sample. InputError if
// there is no match or the match is ambiguous.
const SampleGenotypes& find_sample(const std::vector<SampleGenotypes>& samples, const Patient& patient,
                                   const std::string& file_name, bool single_patient);

// Merges the file's genotypes into the patient, gene by gene (CYP2C9, VKORC1 -1639, CYP4F2*3,
// rs12777823), and returns notes for the prediction saying where the file and the patient input
// disagreed (docs/patient-schema.md, "Typed and measured genotypes"):
//   * the file has a call: it replaces the typed value (measured data win); if the typed value
//     differed, a note names both;
//   * the file has no call there (no-call, tie, not covered): a value typed into the patient
//     input is kept, with a note saying so; without a typed value the gene stays missing (for
//     VKORC1 the IWPC imputation from the file's other VKORC1 SNPs is tried);
//   * genes the file does not mention are left as they were, without a note.
std::vector<std::string> merge_genotypes(Patient& patient, const SampleGenotypes& genotypes);

}  // namespace genodose::dosing
