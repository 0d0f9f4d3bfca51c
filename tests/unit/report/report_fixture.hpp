// A complete ReportDocument for renderer tests, with identifiers that try to break out of HTML.
#pragma once

#include "genodose/report/report_document.hpp"

namespace genodose::test {

inline report::ReportDocument sample_document() {
    using namespace genodose::report;
    ReportDocument d;
    d.title = "Warfarin pharmacogenomic dosing report";
    d.test_description = "Pharmacogenomic genotyping of CYP2C9, VKORC1 and CYP4F2 from a VCF.";
    d.identifiers.patient_id = "<script>alert('pid')</script>";
    d.identifiers.sample_id = "S&1\"<b>";
    d.identifiers.patient_name = "O'Hara <img src=x onerror=alert(1)>";
    d.identifiers.date_of_birth = "1960-02-03";
    d.identifiers.accession = "ACC-7";
    d.input_kind = "vcf";
    d.qc.status = "review";
    d.qc.reasons = {"CYP4F2: ambiguous diplotype (*1/*4 or *2/*3)"};

    GeneResult cyp2c9;
    cyp2c9.gene = "CYP2C9";
    cyp2c9.status = "called";
    cyp2c9.diplotypes = {"*1/*3"};
    cyp2c9.genotype_display = "*1/*3";
    cyp2c9.phenotype = "Intermediate Metabolizer";
    cyp2c9.activity_score = 1.5;
    cyp2c9.positions_defined = 83;
    cyp2c9.positions_called = 82;
    cyp2c9.key_variants.push_back(
        {"rs1057910", "chr10:94981296", "A>C", "*3", "A/C", "heterozygous", 31, 48, "called"});
    cyp2c9.key_variants.push_back(
        {"rs1799853", "chr10:94942290", "C>T", "*2", "C/C", "homozygous reference", 29, 50, "called"});
    cyp2c9.positions_not_called.push_back({"rs9332131", "chr10:94949281", "missing", "no record in the input"});
    cyp2c9.coverage = GeneCoverage{"chr10:94933158-94992091", 30.4, 0.97, 3};
    d.genes.push_back(cyp2c9);

    GeneResult cyp4f2;
    cyp4f2.gene = "CYP4F2";
    cyp4f2.status = "called";
    cyp4f2.diplotypes = {"*1/*4", "*2/*3"};
    cyp4f2.genotype_display = "*1/*4 or *2/*3 (rs2108622 C/T)";
    cyp4f2.positions_defined = 20;
    cyp4f2.positions_called = 20;
    cyp4f2.notes = {"The assigned genotype is *1/*4; however, *2/*3 cannot be ruled out without phased data"};
    d.genes.push_back(cyp4f2);

    GeneResult vkorc1;
    vkorc1.gene = "VKORC1";
    vkorc1.status = "called";
    vkorc1.diplotypes = {"rs9923231 reference (C)/rs9923231 variant (T)"};
    vkorc1.genotype_display = "rs9923231 C/T (-1639 G/A)";
    vkorc1.phenotype = "-1639 AG";
    vkorc1.positions_defined = 1;
    vkorc1.positions_called = 1;
    vkorc1.key_variants.push_back({"rs9923231", "chr16:31096368", "C>T", "rs9923231 variant (T)", "C/T", "heterozygous",
                                   27, std::nullopt, "called"});
    d.genes.push_back(vkorc1);
    d.other_variants.push_back(
        {"rs12777823", "chr10:94645745", "G>A", "", "", "not called", std::nullopt, std::nullopt, "missing"});

    d.limitations = {"rs12777823 was not called.", "Structural variants are not detected."};
    d.dose.predicted_mg_per_week = 27.3;
    d.dose.interval_low = 19.1;
    d.dose.interval_high = 38.6;
    d.dose.interval_coverage = 0.8;
    d.dose.iwpc_pharmacogenetic_mg_per_week = 29.4;
    d.dose.iwpc_clinical_mg_per_week = 35.2;
    d.dose.baseline_mg_per_week = 31.0;
    d.dose.drivers = {{"vkorc1_1639_a_alleles", "VKORC1 -1639 A alleles (0-2)", "1", -4.12},
                      {"cyp2c9_star3_alleles", "CYP2C9*3 alleles (0-2)", "1", -3.05},
                      {"weight_kg", "Weight (kg)", "74", 1.71}};
    d.guideline_citation = "CPIC 2017 warfarin guideline (Johnson JA et al., Clin Pharmacol Ther 2017;102:397-404)";
    d.guideline = {{"cpic_example", "An example statement <with> markup & quotes \"here\" [CPIC 2017].", -0.3, -0.15}};
    d.cohort.available = true;
    d.cohort.group = "CYP2C9 *1/*3, VKORC1 -1639 G/A";
    d.cohort.patients = 156;
    d.cohort.quantiles = {10.5, 13.9, 17.0, 20.3, 28.1, 35.3, 42.1};
    d.cohort.bin_width = 5;
    d.cohort.histogram = {2, 5, 17, 43, 29, 22, 14, 12, 5, 6, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    d.cohort.patient_percentile = 60;
    d.cohort.source = "IWPC data set (PharmGKB), CC BY-SA 4.0";
    d.methods.genodose_version = "0.1.0";
    d.methods.reference_build = "GRCh38";
    d.methods.allele_definitions = "PharmCAT allele definitions, version 2025-11-05-00-25";
    d.methods.description = {"Genotypes were read from the VCF."};
    d.methods.data_files = {{"dose model", "warfarin_dose.json", std::string(64, 'a'), "XGBoost 1.7.4"}};
    d.methods.inputs = {{"variants", "sample.vcf.gz", std::string(64, 'b'), ""}};
    d.review_statement = "Must be reviewed by a qualified clinician.";
    d.provenance.generated_at = "2025-11-22T10:15:00Z";
    d.provenance.command_line = "genodose run --patient 'p<1>.json' --vcf x.vcf.gz -o out";
    return d;
}

}  // namespace genodose::test
