// Invariants every patient returned by dosing/patient_input.hpp must satisfy (the plausibility
// limits and codings documented there and in docs/patient-schema.md). Used by the IWPC CSV and
// patient JSON fuzz targets: a value outside them means a parser let bad input through.
#pragma once

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "genodose/dosing/patient.hpp"

namespace genodose::fuzz {

inline void check_range(const std::optional<double>& value, double low, double high, const char* what) {
    if (!value) return;
    GENODOSE_FUZZ_CHECK(std::isfinite(*value) && *value >= low && *value <= high,
                        std::string(what) + " = " + std::to_string(*value));
}

inline void check_count(const std::optional<int>& value, const char* what) {
    if (!value) return;
    GENODOSE_FUZZ_CHECK(*value >= 0 && *value <= 2, std::string(what) + " allele count = " + std::to_string(*value));
}

inline void check_patients(const std::vector<dosing::PatientRecord>& records) {
    GENODOSE_FUZZ_CHECK(!records.empty(), "a successful read returns at least one patient");
    std::set<std::string> ids;
    for (const auto& record : records) {
        const dosing::Patient& p = record.patient;
        GENODOSE_FUZZ_CHECK(!p.id.empty(), "patient id");
        GENODOSE_FUZZ_CHECK(ids.insert(p.id).second, "patient ids are unique: " + p.id);
        GENODOSE_FUZZ_CHECK(!record.source.empty(), "record source");
        if (p.age_decade)
            GENODOSE_FUZZ_CHECK(*p.age_decade >= 1 && *p.age_decade <= 9,
                                "age decade " + std::to_string(*p.age_decade));
        check_range(p.age_years, 0, 125, "age_years");
        check_range(p.height_cm, 50, 272, "height_cm");
        check_range(p.weight_kg, 10, 650, "weight_kg");
        check_range(p.target_inr, 1, 6, "target_inr");
        if (record.dose_mg_per_week)
            GENODOSE_FUZZ_CHECK(*record.dose_mg_per_week > 0 && *record.dose_mg_per_week <= 500,
                                "dose_mg_per_week = " + std::to_string(*record.dose_mg_per_week));
        if (p.indications)
            GENODOSE_FUZZ_CHECK(*p.indications != 0 && *p.indications < 256u,
                                "indication bits " + std::to_string(*p.indications));
        check_count(p.cyp2c9.star2_alleles, "CYP2C9*2");
        check_count(p.cyp2c9.star3_alleles, "CYP2C9*3");
        if (p.cyp2c9.activity_score) check_range(p.cyp2c9.activity_score, 0, 2, "CYP2C9 activity score");
        check_count(p.vkorc1.a_alleles, "VKORC1 -1639 A");
        check_count(p.vkorc1_3730_a_alleles, "VKORC1 3730 A");
        check_count(p.vkorc1_2255_t_alleles, "VKORC1 2255 T");
        check_count(p.vkorc1_1173_t_alleles, "VKORC1 1173 T");
        check_count(p.vkorc1_1542_c_alleles, "VKORC1 1542 C");
        check_count(p.vkorc1_497_g_alleles, "VKORC1 497 G");
        check_count(p.vkorc1_4451_a_alleles, "VKORC1 -4451 A");
        check_count(p.cyp4f2_star3_alleles, "CYP4F2*3");
        check_count(p.rs12777823_a_alleles, "rs12777823 A");
        (void)p.enzyme_inducer();
    }
}

}  // namespace genodose::fuzz
