// The published IWPC 2009 dosing equations (N Engl J Med 2009;360:753-64, Supplementary
// Appendix S1e/S1f; coefficients as in shared/data/iwpc/published_algorithms.json). Both
// predict the square root of the weekly dose; the result is squared.
//
// Coding follows the IWPC: age in decades (1 for 10-19 ... 9 for 90+); VKORC1 and CYP2C9
// "unknown" terms for missing genotypes; race "missing or mixed" for Unknown; enzyme inducer
// and amiodarone count as 0 unless recorded as taken. CYP2C9 alleles other than *2 and *3 are
// counted as *1 (the equation has no terms for them; CPIC flags cover *5/*6/*8/*11). The
// equations need age, height and weight: without one of them there is no equation dose.
#pragma once

#include <optional>

#include "genodose/dosing/patient.hpp"

namespace genodose::dosing {

std::optional<double> iwpc_pharmacogenetic_dose(const Patient& patient);  // mg/week
std::optional<double> iwpc_clinical_dose(const Patient& patient);         // mg/week

}  // namespace genodose::dosing
