// Private to dosing/: a ridge regression on the model's own features, used as the starting
// point (XGBoost base_margin) that the trees then correct. Linear main effects extrapolate and
// hold up in small groups (e.g. the ~370 Black patients of the IWPC data) where piecewise-
// constant trees are coarse; the trees add non-linearity and interactions.
//
//   LinearBase base = LinearBase::fit(x, rows, columns, use, labels, weights, lambda);
//   double margin = base.predict(row_values);
//   double baseline = base.contributions(row_values, out);   // baseline + sum(out) == margin
//
// Only the features marked in `use` enter the linear part (the IWPC covariates: other
// features, e.g. drug columns missing together by study site, would give collinear,
// offsetting coefficients that explain nothing). Missing values: a used feature missing in at
// least 1% of the training rows gets a missing indicator (one per distinct missingness
// pattern); missing values are replaced by the training mean (only for this linear part; the
// trees see NaN).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace genodose::dosing::detail {

// Features of the linear base: the covariates of the IWPC equations, plus sex. CYP2C9 enters as
// the CPIC activity score rather than *2/*3 counts: for *2 and *3 the two agree (the IWPC
// equation's per-allele effects, -0.52 and -0.94 on the square-root scale, are close to the
// 1:2 ratio of the activity lost), and the score also gives the rare *5/*6/*8/*11 alleles
// (10 Black patients in the development data, no tree can split them off) the decrease CPIC
// assigns them instead of treating them as *1.
const std::vector<std::string>& linear_base_features();

// Solves the symmetric positive-definite n x n system A x = b (A row-major; Cholesky).
// Throws InternalError if A is not positive definite.
std::vector<double> solve_spd(std::vector<double> a, std::vector<double> b, std::size_t n);

struct LinearBase {
    std::vector<double> fill;          // per feature: training mean of the observed values
    std::vector<double> value_coef;    // per feature
    std::vector<double> missing_coef;  // per feature (0 if never missing in training)
    std::vector<double> mean_filled;   // per feature: training mean after filling
    std::vector<double> mean_missing;  // per feature: training fraction missing
    double intercept = 0;

    // `x` row-major with `columns` values per row (NaN = missing); `labels` and `weights`
    // (empty = 1) per row. Ridge penalty `lambda` on standardized columns.
    // `sum_across_sites` (federated training): called on every vector of sums the fit takes
    // over rows (weights, observed sums, missingness-pattern disagreements, column moments,
    // X'X and X'y), it must replace each element by its sum over all sites. Empty: one site.
    using SiteSum = std::function<void(std::vector<double>&)>;
    static LinearBase fit(const std::vector<float>& x, std::size_t rows, std::size_t columns,
                          const std::vector<bool>& use, const std::vector<float>& labels,
                          const std::vector<float>& weights, double lambda, const SiteSum& sum_across_sites = {});

    double predict(const float* row) const;
    // Contribution of each feature relative to the training average; returns the baseline
    // (the average training prediction) so that baseline + sum(out) == predict(row).
    double contributions(const float* row, double* out) const;
    std::size_t size() const { return fill.size(); }
};

}  // namespace genodose::dosing::detail
