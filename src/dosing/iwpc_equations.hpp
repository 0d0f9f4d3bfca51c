// The published IWPC 2009 dosing equations (N Engl J Med 2009;360:753-64, Supplementary
// Appendix S1e/S1f; coefficients as in shared/data/iwpc/published_algorithms.json). Both
// predict the square root of the weekly dose; the result is squared.
//
// Coding follows the IWPC: age in decades (1 for 10-19 ... 9 for 90+); VKORC1 and CYP2C9
// "unknown" terms for missing genotypes; race "missing or mixed" for Unknown; enzyme inducer
// and amiodarone count as 0 unless recorded as taken. CYP2C9 alleles other than *2 and *3 are
// counted as *1 (the equation has no terms for them; CPIC flags cover *5/*6/*8/*11). The
// equations need age, height and weight: without one of them there is no equation dose.
//
// IwpcPharmacogeneticRefit fits the same 18 terms by least squares on other patients: an
// out-of-sample version of the equation for cross-validation, where the published
// coefficients were fitted on a cohort that includes the patients being scored.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "genodose/dosing/patient.hpp"

namespace genodose::dosing {

std::optional<double> iwpc_pharmacogenetic_dose(const Patient& patient);  // mg/week
std::optional<double> iwpc_clinical_dose(const Patient& patient);         // mg/week

// The terms of the pharmacogenetic equation, intercept first, in the order of its published
// coefficients: 1, age decade, height, weight, VKORC1 A/G, A/A, unknown, CYP2C9 *1/*2, *1/*3,
// *2/*2, *2/*3, *3/*3, unknown, Asian, Black, missing/mixed race, enzyme inducer, amiodarone.
inline constexpr std::size_t iwpc_pharmacogenetic_term_count = 18;
using IwpcPharmacogeneticTerms = std::array<double, iwpc_pharmacogenetic_term_count>;
std::optional<IwpcPharmacogeneticTerms> iwpc_pharmacogenetic_terms(const Patient& patient);

struct IwpcPharmacogeneticRefit {
    IwpcPharmacogeneticTerms coefficients{};  // on the square root of the weekly dose

    // Ordinary least squares of sqrt(dose) on the terms, over the patients that have them
    // (a term absent from the patients gets coefficient 0); nullopt if fewer than 2 x 18
    // patients have the terms.
    static std::optional<IwpcPharmacogeneticRefit> fit(const std::vector<const Patient*>& patients,
                                                       const std::vector<double>& doses_mg_per_week);
    std::optional<double> predict(const Patient& patient) const;  // mg/week
};

}  // namespace genodose::dosing
