// Local recalibration (local_calibration.hpp): the conformal scale factor, its coverage, the
// intercept shift and the minimum number of patients.
#include <catch2/catch.hpp>

#include <cmath>

#include "genodose/core/error.hpp"
#include "genodose/dosing/local_calibration.hpp"

using namespace genodose;
using namespace genodose::dosing;
using Catch::WithinAbs;

namespace {

// A pooled interval of x e^-0.2 ... x e^+0.2 (no groups), nominal 80%.
ConformalInterval symmetric_interval() {
    ConformalInterval interval;
    interval.nominal_coverage = 0.8;
    interval.lower_log_ratio = -0.2;
    interval.upper_log_ratio = 0.2;
    interval.calibration_size = 1000;
    return interval;
}

// Patients predicted 30 mg/week whose log ratios are `residuals`.
std::vector<LocalPatient> patients_with(const std::vector<double>& residuals) {
    std::vector<LocalPatient> patients;
    for (double r : residuals) patients.push_back({30.0, 30.0 * std::exp(r), Race::white, 0});
    return patients;
}

}  // namespace

TEST_CASE("local calibration: the scale is the conformal rank of |r| / bound") {
    // 24 patients, residuals +-0.01 ... +-0.12: scores 0.05 ... 0.6 twice each. Rank
    // ceil(25 * 0.8) = 20 of the sorted scores = 0.5 (the 10th distinct value).
    std::vector<double> residuals;
    for (int i = 1; i <= 12; ++i) {
        residuals.push_back(0.01 * i);
        residuals.push_back(-0.01 * i);
    }
    const auto interval = symmetric_interval();
    const auto patients = patients_with(residuals);
    const auto c = fit_local_calibration(interval, patients, false);
    CHECK(c.patients == 24);
    CHECK_THAT(c.interval_scale, WithinAbs(0.5, 1e-9));
    CHECK(c.log_dose_shift == 0);
    CHECK_THAT(c.coverage_before, WithinAbs(1.0, 1e-12));  // every |r| <= 0.12 < 0.2
    CHECK(local_coverage(interval, patients, c) >= 0.8);

    // The scale reaches predictions through ConformalInterval::apply.
    ConformalInterval scaled = interval;
    scaled.local_scale = c.interval_scale;
    const auto [low, high] = scaled.apply(30.0, Race::white, 0);
    CHECK_THAT(low, WithinAbs(30.0 * std::exp(-0.1), 1e-9));
    CHECK_THAT(high, WithinAbs(30.0 * std::exp(0.1), 1e-9));
}

TEST_CASE("local calibration: a clinic with wider residuals gets a wider interval") {
    std::vector<double> residuals;
    for (int i = 1; i <= 30; ++i) residuals.push_back((i % 2 ? 1 : -1) * 0.02 * i);  // up to 0.6
    const auto interval = symmetric_interval();
    const auto c = fit_local_calibration(interval, patients_with(residuals), false);
    CHECK(c.interval_scale > 1);
    CHECK(c.coverage_before < 0.8);
    CHECK(local_coverage(interval, patients_with(residuals), c) >= 0.8);
}

TEST_CASE("local calibration: the intercept shift is the median log ratio") {
    std::vector<double> residuals;
    for (int i = 0; i < 21; ++i) residuals.push_back(0.3 + 0.01 * (i - 10));  // median 0.3
    const auto c = fit_local_calibration(symmetric_interval(), patients_with(residuals), true);
    CHECK_THAT(c.log_dose_shift, WithinAbs(0.3, 1e-12));
    // After the shift the residuals are -0.1 ... 0.1: scale rank ceil(22 * 0.8) = 18 of
    // scores |k| * 0.05 (0, 0.05, 0.05, ...): 0.45.
    CHECK_THAT(c.interval_scale, WithinAbs(0.45, 1e-9));
}

TEST_CASE("local calibration: too few patients is an input error") {
    CHECK(min_local_patients(0.8) == 20);
    CHECK(min_local_patients(0.99) == 99);
    CHECK_THROWS_AS(fit_local_calibration(symmetric_interval(), patients_with(std::vector<double>(19, 0.1)), false),
                    InputError);
}
