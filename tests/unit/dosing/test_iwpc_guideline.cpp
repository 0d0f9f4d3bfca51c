// The IWPC equations on a patient computed by hand, and the CPIC 2017 statements.
#include <catch2/catch.hpp>

#include <algorithm>

#include "genodose/dosing/genotypes.hpp"
#include "genodose/dosing/guideline.hpp"
#include "iwpc_equations.hpp"

using namespace genodose::dosing;

namespace {
Patient hand_patient() {
    Patient p;
    p.id = "hand";
    p.age_decade = 6;  // 60-69
    p.height_cm = 170;
    p.weight_kg = 80;
    p.race = Race::white;
    p.cyp2c9 = cyp2c9_from_diplotype("*1/*3");
    p.vkorc1.a_alleles = 1;  // G/A
    p.amiodarone = false;
    return p;
}

bool has(const std::vector<GuidelineFlag>& flags, const std::string& code) {
    return std::any_of(flags.begin(), flags.end(), [&](const GuidelineFlag& f) { return f.code == code; });
}
}  // namespace

TEST_CASE("IWPC pharmacogenetic and clinical equations, computed by hand", "[dosing][iwpc]") {
    // sqrt(dose) = 5.6044 - 0.2614*6 + 0.0087*170 + 0.0128*80 - 0.8677 (A/G) - 0.9357 (*1/*3)
    //            = 4.7356 -> 22.4259 mg/week
    const Patient p = hand_patient();
    CHECK(*iwpc_pharmacogenetic_dose(p) == Approx(4.7356 * 4.7356).epsilon(1e-9));
    // sqrt(dose) = 4.0376 - 0.2546*6 + 0.0118*170 + 0.0134*80 = 5.588 -> 31.2257 mg/week
    CHECK(*iwpc_clinical_dose(p) == Approx(5.588 * 5.588).epsilon(1e-9));

    // Unknown genotypes, Black race, an enzyme inducer and amiodarone.
    Patient q = hand_patient();
    q.cyp2c9 = cyp2c9_from_diplotype("NA");
    q.vkorc1.a_alleles.reset();
    q.race = Race::black_or_african_american;
    q.phenytoin = true;
    q.amiodarone = true;
    const double s = 5.6044 - 0.2614 * 6 + 0.0087 * 170 + 0.0128 * 80 - 0.4854 - 0.2188 - 0.2760 + 1.1816 - 0.5503;
    CHECK(*iwpc_pharmacogenetic_dose(q) == Approx(s * s).epsilon(1e-9));
    const double c = 4.0376 - 0.2546 * 6 + 0.0118 * 170 + 0.0134 * 80 + 0.4060 + 1.2799 - 0.5695;
    CHECK(*iwpc_clinical_dose(q) == Approx(c * c).epsilon(1e-9));

    // CYP2C9 genotypes of the equation; other alleles count as *1.
    Patient r = hand_patient();
    r.cyp2c9 = cyp2c9_from_diplotype("*3/*3");
    const double t = 4.7356 + 0.9357 - 2.3312;
    CHECK(*iwpc_pharmacogenetic_dose(r) == Approx(t * t).epsilon(1e-9));
    r.cyp2c9 = cyp2c9_from_diplotype("*1/*5");
    CHECK(*iwpc_pharmacogenetic_dose(r) == Approx((4.7356 + 0.9357) * (4.7356 + 0.9357)).epsilon(1e-9));

    // Without height there is no equation dose.
    Patient u = hand_patient();
    u.height_cm.reset();
    CHECK_FALSE(iwpc_pharmacogenetic_dose(u));
    CHECK_FALSE(iwpc_clinical_dose(u));
}

TEST_CASE("the IWPC pharmacogenetic equation's form refitted by least squares", "[dosing][iwpc]") {
    // Patients spread over every term; doses made by the published equation. The refit must give
    // back the published coefficients (to rounding), and so the published doses.
    const char* diplotypes[] = {"*1/*1", "*1/*2", "*1/*3", "*2/*2", "*2/*3", "*3/*3", "NA"};
    const Race races[] = {Race::white, Race::asian, Race::black_or_african_american, Race::unknown};
    std::vector<Patient> cohort;
    unsigned state = 12345;
    auto next = [&](unsigned n) {
        state = state * 1103515245u + 12345u;
        return (state >> 16) % n;
    };
    for (int i = 0; i < 400; ++i) {
        Patient p;
        p.age_decade = 2 + static_cast<int>(next(6));  // 20-29 ... 70-79: sqrt(dose) stays > 0
        p.height_cm = 150 + next(45);
        p.weight_kg = 60 + next(60);
        if (next(5) != 0) p.vkorc1.a_alleles = static_cast<int>(next(3));
        p.cyp2c9 = cyp2c9_from_diplotype(diplotypes[next(7)]);
        p.race = races[next(4)];
        p.rifampin = next(10) == 0;
        p.amiodarone = next(8) == 0;
        cohort.push_back(p);
    }
    std::vector<const Patient*> patients;
    std::vector<double> doses;
    for (const auto& p : cohort) {
        patients.push_back(&p);
        doses.push_back(*iwpc_pharmacogenetic_dose(p));
    }
    const auto fitted = IwpcPharmacogeneticRefit::fit(patients, doses);
    REQUIRE(fitted);
    const auto& refit = *fitted;
    CHECK(refit.coefficients[0] == Approx(5.6044).epsilon(1e-6));
    CHECK(refit.coefficients[11] == Approx(-2.3312).epsilon(1e-6));  // *3/*3
    CHECK(refit.coefficients[14] == Approx(-0.2760).epsilon(1e-6));  // Black
    const Patient hand = hand_patient();
    CHECK(*refit.predict(hand) == Approx(*iwpc_pharmacogenetic_dose(hand)).epsilon(1e-6));

    // A term nobody has (here: amiodarone) is fitted as 0, not a failure.
    for (auto& p : cohort) p.amiodarone = false;
    for (std::size_t i = 0; i < cohort.size(); ++i) doses[i] = *iwpc_pharmacogenetic_dose(cohort[i]);
    const auto without = *IwpcPharmacogeneticRefit::fit(patients, doses);
    CHECK(without.coefficients[17] == Approx(0).margin(1e-6));
    CHECK(without.coefficients[1] == Approx(-0.2614).epsilon(1e-6));

    // Patients without height do not count; with too few there is no refit.
    Patient no_height = hand;
    no_height.height_cm.reset();
    CHECK_FALSE(refit.predict(no_height));
    const std::vector<const Patient*> few(patients.begin(), patients.begin() + 30);
    const std::vector<double> few_doses(doses.begin(), doses.begin() + 30);
    CHECK_FALSE(IwpcPharmacogeneticRefit::fit(few, few_doses));
}

TEST_CASE("CPIC: African ancestry with CYP2C9 *5/*6/*8/*11 or rs12777823 A", "[dosing][cpic]") {
    Patient p = hand_patient();
    p.race = Race::black_or_african_american;
    p.cyp2c9 = cyp2c9_from_diplotype("*1/*8");
    p.rs12777823_a_alleles = 1;
    auto flags = cpic_warfarin_flags(p, 1.5);
    REQUIRE(has(flags, "cpic_african_cyp2c9_star5_6_8_11"));
    REQUIRE(has(flags, "cpic_african_rs12777823_a"));
    for (const auto& f : flags) {
        if (f.code == "cpic_african_cyp2c9_star5_6_8_11") {
            CHECK(*f.change_low == Approx(-0.30));
            CHECK(*f.change_high == Approx(-0.15));
            CHECK(f.advice.find("15-30%") != std::string::npos);
        }
        if (f.code == "cpic_african_rs12777823_a") {
            CHECK(*f.change_low == Approx(-0.25));
            CHECK(*f.change_high == Approx(-0.10));
        }
        CHECK(f.advice.find("[CPIC 2017]") != std::string::npos);
    }
    p.cyp2c9 = cyp2c9_from_diplotype("*5/*6");
    flags = cpic_warfarin_flags(p, 0.5);
    for (const auto& f : flags)
        if (f.code == "cpic_african_cyp2c9_star5_6_8_11") CHECK(f.advice.find("20-40%") != std::string::npos);
    CHECK(has(flags, "cpic_cyp2c9_poor_metabolizer"));
}

TEST_CASE("CPIC: the same variants outside African ancestry are not flagged as such", "[dosing][cpic]") {
    Patient p = hand_patient();
    p.cyp2c9 = cyp2c9_from_diplotype("*1/*8");
    p.rs12777823_a_alleles = 2;
    const auto flags = cpic_warfarin_flags(p, 1.5);
    CHECK_FALSE(has(flags, "cpic_african_cyp2c9_star5_6_8_11"));
    CHECK_FALSE(has(flags, "cpic_african_rs12777823_a"));
    CHECK(flags.empty());
}

TEST_CASE("CPIC: untested rare alleles in African ancestry mean 'dose clinically'", "[dosing][cpic]") {
    Patient p = hand_patient();
    p.race = Race::black_or_african_american;  // CYP2C9 from IWPC-style data: *5.. not known
    const auto flags = cpic_warfarin_flags(p, 1.0);
    CHECK(has(flags, "cpic_african_cyp2c9_star5_6_8_11_not_tested"));
    CHECK(has(flags, "cpic_african_rs12777823_not_tested"));
    p.cyp2c9.carries_star5_6_8_11 = false;  // a genotype file that covered them
    p.rs12777823_a_alleles = 0;
    const auto tested = cpic_warfarin_flags(p, 1.0);
    CHECK_FALSE(has(tested, "cpic_african_cyp2c9_star5_6_8_11_not_tested"));
    CHECK(tested.empty());
}

TEST_CASE("CPIC: CYP4F2*3, poor metabolizers, target INR, children, unknown ancestry", "[dosing][cpic]") {
    Patient p = hand_patient();
    p.cyp4f2_star3_alleles = 1;
    auto flags = cpic_warfarin_flags(p, 1.0);
    REQUIRE(has(flags, "cpic_non_african_cyp4f2_star3"));
    p.race = Race::black_or_african_american;
    p.cyp2c9.carries_star5_6_8_11 = false;
    p.rs12777823_a_alleles = 0;
    CHECK_FALSE(has(cpic_warfarin_flags(p, 1.0), "cpic_non_african_cyp4f2_star3"));

    Patient pm = hand_patient();
    pm.cyp2c9 = cyp2c9_from_diplotype("*2/*3");
    flags = cpic_warfarin_flags(pm, 0.5);
    REQUIRE(has(flags, "cpic_cyp2c9_poor_metabolizer"));
    CHECK_FALSE(has(cpic_warfarin_flags(hand_patient(), 1.0), "cpic_cyp2c9_poor_metabolizer"));
    // A missing genotype is never called a poor metabolizer.
    Patient missing = hand_patient();
    missing.cyp2c9 = cyp2c9_from_diplotype("NA");
    CHECK_FALSE(has(cpic_warfarin_flags(missing, std::nullopt), "cpic_cyp2c9_poor_metabolizer"));

    Patient inr = hand_patient();
    inr.target_inr = 3.5;
    CHECK(has(cpic_warfarin_flags(inr, 1.0), "cpic_target_inr_outside_2_3"));
    inr.target_inr = 2.5;
    CHECK_FALSE(has(cpic_warfarin_flags(inr, 1.0), "cpic_target_inr_outside_2_3"));

    Patient child = hand_patient();
    child.age_years = 12;
    CHECK(has(cpic_warfarin_flags(child, 1.0), "cpic_pediatric"));

    Patient unknown = hand_patient();
    unknown.race = Race::unknown;
    unknown.cyp4f2_star3_alleles = 1;
    flags = cpic_warfarin_flags(unknown, 1.0);
    CHECK(has(flags, "cpic_ancestry_unknown"));
    CHECK_FALSE(has(flags, "cpic_non_african_cyp4f2_star3"));
}
