// CPIC 2017 warfarin guideline statements that apply to one patient (Johnson JA et al.,
// Clin Pharmacol Ther 2017;102:397-404, Figure 2 and its footnotes). They are reported beside
// the predicted dose and never applied to it: the clinician decides.
//
//   for (const GuidelineFlag& flag : cpic_warfarin_flags(patient, activity_score)) ...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "genodose/dosing/patient.hpp"

namespace genodose::dosing {

inline constexpr const char* cpic_warfarin_citation =
    "CPIC 2017 warfarin guideline (Johnson JA et al., Clin Pharmacol Ther 2017;102:397-404)";

struct GuidelineFlag {
    std::string code;    // stable identifier, e.g. "cpic_african_rs12777823_a"
    std::string advice;  // one sentence for the report, ending with the citation tag
    // The dose change the guideline suggests, as a fraction of the calculated dose (e.g.
    // -0.30..-0.15); both empty when the statement is not a dose change.
    std::optional<double> change_low, change_high;
};

// `activity_score`: the CYP2C9 activity score used for the poor-metabolizer statement (the
// model's value for the patient), empty if unknown.
std::vector<GuidelineFlag> cpic_warfarin_flags(const Patient& patient, std::optional<double> activity_score);

}  // namespace genodose::dosing
