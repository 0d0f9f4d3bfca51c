#include "iwpc_equations.hpp"

#include <cmath>

#include "genodose/core/error.hpp"
#include "linear_base.hpp"

namespace genodose::dosing {

namespace {

bool taken(const std::optional<bool>& drug) { return drug && *drug; }

constexpr IwpcPharmacogeneticTerms published_pharmacogenetic = {5.6044,  -0.2614, 0.0087,  0.0128,  -0.8677, -1.6974,
                                                                -0.4854, -0.5211, -0.9357, -1.0616, -1.9206, -2.3312,
                                                                -0.2188, -0.1092, -0.2760, -0.1032, 1.1816,  -0.5503};

double race_term(Race race, double asian, double black, double missing_or_mixed) {
    switch (race) {
        case Race::asian: return asian;
        case Race::black_or_african_american: return black;
        case Race::unknown: return missing_or_mixed;
        case Race::white: return 0;
    }
    return 0;
}

double dot(const IwpcPharmacogeneticTerms& a, const IwpcPharmacogeneticTerms& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

}  // namespace

std::optional<IwpcPharmacogeneticTerms> iwpc_pharmacogenetic_terms(const Patient& p) {
    if (!p.age_decade || !p.height_cm || !p.weight_kg) return std::nullopt;
    IwpcPharmacogeneticTerms t{};
    t[0] = 1;
    t[1] = *p.age_decade;
    t[2] = *p.height_cm;
    t[3] = *p.weight_kg;
    if (!p.vkorc1.a_alleles) t[6] = 1;
    else if (*p.vkorc1.a_alleles == 1) t[4] = 1;
    else if (*p.vkorc1.a_alleles == 2) t[5] = 1;
    if (!p.cyp2c9.known() || !p.cyp2c9.star2_alleles || !p.cyp2c9.star3_alleles) {
        t[12] = 1;
    } else {
        const int star2 = *p.cyp2c9.star2_alleles, star3 = *p.cyp2c9.star3_alleles;
        if (star2 == 1 && star3 == 0) t[7] = 1;        // *1/*2
        else if (star2 == 0 && star3 == 1) t[8] = 1;   // *1/*3
        else if (star2 == 2) t[9] = 1;                 // *2/*2
        else if (star2 == 1 && star3 == 1) t[10] = 1;  // *2/*3
        else if (star3 == 2) t[11] = 1;                // *3/*3
    }
    t[13] = race_term(p.race, 1, 0, 0);
    t[14] = race_term(p.race, 0, 1, 0);
    t[15] = race_term(p.race, 0, 0, 1);
    t[16] = taken(p.carbamazepine) || taken(p.phenytoin) || taken(p.rifampin) ? 1 : 0;
    t[17] = taken(p.amiodarone) ? 1 : 0;
    return t;
}

std::optional<double> iwpc_pharmacogenetic_dose(const Patient& p) {
    const auto terms = iwpc_pharmacogenetic_terms(p);
    if (!terms) return std::nullopt;
    const double s = dot(published_pharmacogenetic, *terms);
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

std::optional<IwpcPharmacogeneticRefit> IwpcPharmacogeneticRefit::fit(const std::vector<const Patient*>& patients,
                                                                      const std::vector<double>& doses_mg_per_week) {
    if (patients.size() != doses_mg_per_week.size()) throw InternalError("IWPC refit: patients and doses differ");
    constexpr std::size_t n = iwpc_pharmacogenetic_term_count;
    std::vector<double> gram(n * n, 0.0), moment(n, 0.0);
    std::size_t used = 0;
    for (std::size_t i = 0; i < patients.size(); ++i) {
        const auto terms = iwpc_pharmacogenetic_terms(*patients[i]);
        if (!terms || !(doses_mg_per_week[i] >= 0)) continue;
        ++used;
        const double y = std::sqrt(doses_mg_per_week[i]);
        for (std::size_t a = 0; a < n; ++a) {
            moment[a] += (*terms)[a] * y;
            for (std::size_t b = 0; b < n; ++b) gram[a * n + b] += (*terms)[a] * (*terms)[b];
        }
    }
    if (used < 2 * n) return std::nullopt;
    // A vanishing ridge keeps a term that no patient has (e.g. CYP2C9 *3/*3 in a small fold)
    // solvable, at coefficient 0; it is far below the scale of every term that is present.
    for (std::size_t a = 1; a < n; ++a) gram[a * n + a] += 1e-6;
    const auto solution = detail::solve_spd(std::move(gram), std::move(moment), n);
    IwpcPharmacogeneticRefit refit;
    for (std::size_t a = 0; a < n; ++a) refit.coefficients[a] = solution[a];
    return refit;
}

std::optional<double> IwpcPharmacogeneticRefit::predict(const Patient& patient) const {
    const auto terms = iwpc_pharmacogenetic_terms(patient);
    if (!terms) return std::nullopt;
    const double s = dot(coefficients, *terms);
    return s * s;
}

}  // namespace genodose::dosing
