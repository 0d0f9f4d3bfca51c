# The fuzz targets and the genodose module each one needs (shared by CMakeLists.txt, the
# libFuzzer build, and replay.cmake, the plain replay build). Source: fuzz_<target>.cpp; seed
# corpus: corpus/<target>/; crash reproducers kept as regression inputs: regressions/<target>/.
set(GENODOSE_FUZZ_TARGETS vcf_genotypes iwpc_csv patient_json regions pileup sample_sheet genotype_json report_json
                          report_render)
set(GENODOSE_FUZZ_LIB_vcf_genotypes genodose_io)
set(GENODOSE_FUZZ_LIB_iwpc_csv genodose_dosing)
set(GENODOSE_FUZZ_LIB_patient_json genodose_dosing)
set(GENODOSE_FUZZ_LIB_regions genodose_core)
set(GENODOSE_FUZZ_LIB_pileup genodose_calling)
set(GENODOSE_FUZZ_LIB_sample_sheet genodose_app)
set(GENODOSE_FUZZ_LIB_genotype_json genodose_dosing)
set(GENODOSE_FUZZ_LIB_report_json genodose_report)
set(GENODOSE_FUZZ_LIB_report_render genodose_report)
# report_render starts from the bundled example report.
set(GENODOSE_FUZZ_EXAMPLE_REPORT ${CMAKE_SOURCE_DIR}/tests/data/report/report.json)
