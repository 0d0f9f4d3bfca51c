#include "genodose/dosing/guideline.hpp"

#include "genodose/dosing/genotypes.hpp"

namespace genodose::dosing {

namespace {
const char* const tag = " [CPIC 2017]";

bool rare_allele(const std::string& allele) {
    return allele == "*5" || allele == "*6" || allele == "*8" || allele == "*11";
}
}  // namespace

std::vector<GuidelineFlag> cpic_warfarin_flags(const Patient& p, std::optional<double> activity_score) {
    std::vector<GuidelineFlag> flags;
    const bool african = p.race == Race::black_or_african_american;
    const bool ancestry_known = p.race != Race::unknown;

    // Figure 2, African-ancestry branch.
    if (african) {
        if (p.cyp2c9.carries_star5_6_8_11 && *p.cyp2c9.carries_star5_6_8_11) {
            const auto [a, b] = split_diplotype(p.cyp2c9.diplotype);
            const bool two = rare_allele(a) && rare_allele(b);
            GuidelineFlag flag{"cpic_african_cyp2c9_star5_6_8_11",
                               "African ancestry and CYP2C9 " + p.cyp2c9.diplotype +
                                   " (*5/*6/*8/*11): consider decreasing the calculated dose by " +
                                   (two ? "20-40% (two such alleles)" : "15-30%") + tag,
                               two ? -0.40 : -0.30, two ? -0.20 : -0.15};
            flags.push_back(flag);
        } else if (!p.cyp2c9.carries_star5_6_8_11) {
            flags.push_back({"cpic_african_cyp2c9_star5_6_8_11_not_tested",
                             "African ancestry and CYP2C9*5/*6/*8/*11 not tested: the guideline recommends "
                             "dosing clinically (see the IWPC clinical-equation dose)" +
                                 std::string(tag),
                             std::nullopt, std::nullopt});
        }
        if (p.rs12777823_a_alleles && *p.rs12777823_a_alleles > 0) {
            flags.push_back(
                {"cpic_african_rs12777823_a",
                 "African American and rs12777823 A carrier: decrease the calculated dose by 10-25%" + std::string(tag),
                 -0.25, -0.10});
        } else if (!p.rs12777823_a_alleles) {
            flags.push_back({"cpic_african_rs12777823_not_tested",
                             "African ancestry and rs12777823 not tested: A carriers (common in African Americans) "
                             "need a 10-25% lower dose" +
                                 std::string(tag),
                             std::nullopt, std::nullopt});
        }
    }
    // Non-African branch: CYP4F2*3 (optional recommendation).
    if (!african && ancestry_known && p.cyp4f2_star3_alleles && *p.cyp4f2_star3_alleles > 0) {
        flags.push_back({"cpic_non_african_cyp4f2_star3",
                         "Non-African ancestry and CYP4F2*3 (rs2108622 T) carrier: the dose may be increased by "
                         "5-10% (optional)" +
                             std::string(tag),
                         0.05, 0.10});
    }
    if (!ancestry_known) {
        flags.push_back({"cpic_ancestry_unknown",
                         "Ancestry not recorded: the guideline's statements on CYP2C9*5/*6/*8/*11, rs12777823 and "
                         "CYP4F2*3 depend on African ancestry" +
                             std::string(tag),
                         std::nullopt, std::nullopt});
    }
    // Footnote e: CYP2C9 poor metabolism (activity score 0-0.5).
    const bool poor = (activity_score && *activity_score <= 0.5) || p.cyp2c9.phenotype == "Poor Metabolizer";
    if (p.cyp2c9.known() && poor) {
        const bool sensitive = p.vkorc1.a_alleles && *p.vkorc1.a_alleles > 0;
        flags.push_back({"cpic_cyp2c9_poor_metabolizer",
                         "CYP2C9 poor metabolizer (" + p.cyp2c9.diplotype + ")" +
                             (sensitive ? " with VKORC1 -1639 A (increased sensitivity)" : "") +
                             ": consider an alternative agent; if warfarin is used, doses are much lower" + tag,
                         std::nullopt, std::nullopt});
    }
    // Footnote d and the adult scope of Figure 2.
    if (p.target_inr && (*p.target_inr < 2.0 || *p.target_inr > 3.0)) {
        flags.push_back(
            {"cpic_target_inr_outside_2_3",
             "Target INR outside 2-3: dosing algorithms were developed for a target INR of 2-3" + std::string(tag),
             std::nullopt, std::nullopt});
    }
    if ((p.age_years && *p.age_years < 18) || (!p.age_years && p.age_decade && *p.age_decade <= 1)) {
        flags.push_back({"cpic_pediatric",
                         std::string(p.age_years ? "Patient under 18" : "Age band 10-19 may include children") +
                             ": the adult recommendations and this model do not apply to children; the guideline "
                             "has separate pediatric recommendations" +
                             tag,
                         std::nullopt, std::nullopt});
    }
    return flags;
}

}  // namespace genodose::dosing
