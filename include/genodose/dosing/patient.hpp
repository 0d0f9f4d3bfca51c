// One patient as the warfarin dose model sees it: clinical covariates and pharmacogenomic
// genotypes, each either known or explicitly missing (std::optional). Nothing here is ever
// filled with a default: a missing genotype stays missing all the way to the model (XGBoost
// treats it as missing) and to the IWPC equations (their "unknown" terms).
//
//   std::vector<PatientRecord> rows = read_patients("patients.csv");   // patient_input.hpp
//   merge_genotypes(rows[0].patient, genotypes.at("NA12878"));         // genotypes.hpp
//   DosePrediction p = model.predict(rows[0].patient);                 // dose_model.hpp
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace genodose::dosing {

enum class Sex { unknown, male, female };

// The US OMB race categories used by the IWPC ("Race (OMB)" column). `unknown` is the IWPC's
// "missing or mixed race" group and is a category of its own (it has its own equation term).
enum class Race { white, asian, black_or_african_american, unknown };

std::string race_name(Race race);  // "White", "Asian", "Black or African American", "Unknown"

// Where a patient's genotypes came from; decides, e.g., whether CYP2C9*5/*6/*8/*11 can be
// assumed to have been tested (only a `genodose genotype` file says so).
enum class GenotypeSource { none, patient_input, genotype_file };

// CYP2C9 as the dose model uses it. `diplotype` is empty when there is no single call (no
// call, several tied diplotypes, or not genotyped); then every derived field is empty too.
struct Cyp2c9Genotype {
    std::string diplotype;                     // e.g. "*1/*3"
    std::optional<int> star2_alleles;          // 0..2
    std::optional<int> star3_alleles;          // 0..2
    std::optional<double> activity_score;      // CPIC activity score (sum of allele values)
    std::optional<bool> carries_star5_6_8_11;  // empty when those alleles were not tested
    std::string phenotype;                     // from a genotype file, e.g. "Poor Metabolizer"
    std::string note;                          // why it is missing or uncertain, if it is
    // The input did not test an allele that could replace a *1 of the diplotype and change the
    // activity score (CYP2C9*2 or *3): the score is unknown, never looked up from `diplotype`.
    bool activity_score_unknown = false;

    bool known() const { return !diplotype.empty(); }
};

// VKORC1 -1639G>A (rs9923231) as the count of -1639 A alleles (plus-strand T).
struct Vkorc1Genotype {
    enum class Origin { missing, measured, imputed };
    std::optional<int> a_alleles;  // 0 (G/G), 1 (G/A), 2 (A/A)
    Origin origin = Origin::missing;
    std::string note;
};

// The SNPs the dose model and the CPIC statements read, by the rsID that genotype files and the
// patient input key them with, and their plus-strand alleles: the reference and the counted one.
// The dose's own rule (the IWPC model's inputs), so named once here; where the genotyping data
// say something (which genes report which SNP), they are read from the data instead.
struct DoseSnp {
    const char* rsid;
    char reference;
    char counted;
};
inline constexpr DoseSnp vkorc1_1639_snp{"rs9923231", 'C', 'T'};   // VKORC1 -1639G>A (gene strand minus)
inline constexpr DoseSnp cyp4f2_star3_snp{"rs2108622", 'C', 'T'};  // CYP4F2*3 (V433M; also in *4)
inline constexpr DoseSnp rs12777823_snp{"rs12777823", 'G', 'A'};   // CPIC: African ancestry
// Other VKORC1 SNPs of the IWPC imputation of -1639 (genotypes.hpp), read on the gene strand.
inline constexpr const char* vkorc1_2255_rsid = "rs2359612";
inline constexpr const char* vkorc1_1173_rsid = "rs9934438";
inline constexpr const char* vkorc1_1542_rsid = "rs8050894";

// Indications for warfarin, as coded in the IWPC data (1..8).
enum Indication : unsigned {
    indication_dvt = 1u << 0,              // 1 deep vein thrombosis
    indication_pe = 1u << 1,               // 2 pulmonary embolism
    indication_af = 1u << 2,               // 3 atrial fibrillation / flutter
    indication_heart_valve = 1u << 3,      // 4 heart valve
    indication_cardiomyopathy = 1u << 4,   // 5 cardiomyopathy / LV dilation
    indication_stroke = 1u << 5,           // 6 stroke
    indication_post_orthopedic = 1u << 6,  // 7 post-orthopedic
    indication_other = 1u << 7,            // 8 other
};

struct Patient {
    std::string id;         // PharmGKB Subject ID for IWPC input, "id" for patient JSON
    std::string sample_id;  // links to a sample of a genotype file (patient JSON "sample_id")

    std::optional<int> age_decade;    // IWPC coding: 1 for 10-19, ..., 9 for 90+
    std::optional<double> age_years;  // when given in years (patient JSON)
    std::optional<double> height_cm;
    std::optional<double> weight_kg;
    Sex sex = Sex::unknown;
    Race race = Race::unknown;
    std::string race_recorded;  // the race as written in the input ("Caucasian"); "" if not given

    // Drugs: empty = not recorded. Enzyme inducers are carbamazepine, phenytoin, rifampin.
    std::optional<bool> amiodarone;
    std::optional<bool> carbamazepine;
    std::optional<bool> phenytoin;
    std::optional<bool> rifampin;
    std::optional<bool> aspirin;
    std::optional<bool> acetaminophen;
    std::optional<bool> statin;
    std::optional<bool> azole_antifungal;
    std::optional<bool> sulfonamide_antibiotic;
    std::optional<bool> macrolide_antibiotic;
    std::optional<bool> herbal_supplement;

    std::optional<bool> smoker;
    std::optional<bool> diabetes;
    std::optional<bool> heart_failure;
    std::optional<bool> valve_replacement;
    std::optional<double> target_inr;
    std::optional<unsigned> indications;  // bit set of Indication

    Cyp2c9Genotype cyp2c9;
    Vkorc1Genotype vkorc1;
    // Other VKORC1 SNPs of the IWPC data, as counts of the minor/variant allele (gene strand):
    // 3730G>A (rs7294) A, 2255C>T (rs2359612) T, 1173C>T (rs9934438) T, 1542G>C (rs8050894) C,
    // 497T>G (rs2884737) G, -4451C>A (rs17880887) A. Their linkage with -1639 differs by
    // ancestry, so they carry information of their own in African-ancestry patients.
    std::optional<int> vkorc1_3730_a_alleles, vkorc1_2255_t_alleles, vkorc1_1173_t_alleles, vkorc1_1542_c_alleles,
        vkorc1_497_g_alleles, vkorc1_4451_a_alleles;
    std::optional<int> cyp4f2_star3_alleles;  // rs2108622 T alleles (CYP4F2*3, also in *4)
    std::optional<int> rs12777823_a_alleles;
    GenotypeSource genotype_source = GenotypeSource::none;

    // Enzyme-inducer status (carbamazepine, phenytoin, rifampin): true if any is recorded as
    // taken, false if none is taken and at least one is recorded as not taken, else empty.
    std::optional<bool> enzyme_inducer() const;
};

// A patient read from an input file, with the row it came from and, for training and
// evaluation data, the observed stable weekly dose.
struct PatientRecord {
    Patient patient;
    std::optional<double> dose_mg_per_week;
    std::string source;  // "file.csv: line 12" — for error messages
    // IWPC "Project Site" (empty when the file has no such column, and for patient JSON): the
    // grouping of leave-one-site-out evaluation; never a model input.
    std::string site;
    // The patient JSON's "report" object (identifiers printed in the report only), checked by
    // the reader: known keys (docs/report-schema.md), string values. Empty for CSV input.
    std::map<std::string, std::string> report_fields;
};

}  // namespace genodose::dosing
