#include "genodose/dosing/iwpc_equations.hpp"

namespace genodose::dosing {

namespace {

bool taken(const std::optional<bool>& drug) { return drug && *drug; }

double race_term(Race race, double asian, double black, double missing_or_mixed) {
    switch (race) {
        case Race::asian: return asian;
        case Race::black_or_african_american: return black;
        case Race::unknown: return missing_or_mixed;
        case Race::white: return 0;
    }
    return 0;
}

}  // namespace

std::optional<double> iwpc_pharmacogenetic_dose(const Patient& p) {
    if (!p.age_decade || !p.height_cm || !p.weight_kg) return std::nullopt;
    double s = 5.6044 - 0.2614 * *p.age_decade + 0.0087 * *p.height_cm + 0.0128 * *p.weight_kg;
    if (!p.vkorc1.a_alleles) {
        s -= 0.4854;
    } else if (*p.vkorc1.a_alleles == 1) {
        s -= 0.8677;
    } else if (*p.vkorc1.a_alleles == 2) {
        s -= 1.6974;
    }
    if (!p.cyp2c9.known() || !p.cyp2c9.star2_alleles || !p.cyp2c9.star3_alleles) {
        s -= 0.2188;
    } else {
        const int star2 = *p.cyp2c9.star2_alleles, star3 = *p.cyp2c9.star3_alleles;
        if (star2 == 1 && star3 == 0) s -= 0.5211;        // *1/*2
        else if (star2 == 0 && star3 == 1) s -= 0.9357;   // *1/*3
        else if (star2 == 2) s -= 1.0616;                 // *2/*2
        else if (star2 == 1 && star3 == 1) s -= 1.9206;   // *2/*3
        else if (star3 == 2) s -= 2.3312;                 // *3/*3
    }
    s += race_term(p.race, -0.1092, -0.2760, -0.1032);
    if (taken(p.carbamazepine) || taken(p.phenytoin) || taken(p.rifampin)) s += 1.1816;
    if (taken(p.amiodarone)) s -= 0.5503;
    return s * s;
}

std::optional<double> iwpc_clinical_dose(const Patient& p) {
    if (!p.age_decade || !p.height_cm || !p.weight_kg) return std::nullopt;
    double s = 4.0376 - 0.2546 * *p.age_decade + 0.0118 * *p.height_cm + 0.0134 * *p.weight_kg;
    s += race_term(p.race, -0.6752, 0.4060, 0.0443);
    if (taken(p.carbamazepine) || taken(p.phenytoin) || taken(p.rifampin)) s += 1.2799;
    if (taken(p.amiodarone)) s -= 0.5695;
    return s * s;
}

}  // namespace genodose::dosing
