#include "linear_base.hpp"

#include <algorithm>
#include <cmath>

#include "genodose/core/error.hpp"

namespace genodose::dosing::detail {

namespace {

constexpr double min_missing_fraction = 0.01;

}  // namespace

const std::vector<std::string>& linear_base_features() {
    static const std::vector<std::string> names = {"age_decade",
                                                   "height_cm",
                                                   "weight_kg",
                                                   "sex_male",
                                                   "race_asian",
                                                   "race_black",
                                                   "race_unknown",
                                                   "vkorc1_1639_a_alleles",
                                                   "cyp2c9_activity_score",
                                                   "amiodarone",
                                                   "enzyme_inducer"};
    return names;
}

std::vector<double> solve_spd(std::vector<double> a, std::vector<double> b, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j) {
        double d = a[j * n + j];
        for (std::size_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
        if (d <= 1e-12) throw InternalError("least squares: matrix not positive definite");
        d = std::sqrt(d);
        a[j * n + j] = d;
        for (std::size_t i = j + 1; i < n; ++i) {
            double s = a[i * n + j];
            for (std::size_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = s / d;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        double s = b[i];
        for (std::size_t k = 0; k < i; ++k) s -= a[i * n + k] * b[k];
        b[i] = s / a[i * n + i];
    }
    for (std::size_t i = n; i-- > 0;) {
        double s = b[i];
        for (std::size_t k = i + 1; k < n; ++k) s -= a[k * n + i] * b[k];
        b[i] = s / a[i * n + i];
    }
    return b;
}

LinearBase LinearBase::fit(const std::vector<float>& x, std::size_t rows, std::size_t columns,
                           const std::vector<bool>& use, const std::vector<float>& labels,
                           const std::vector<float>& weights, double lambda, const SiteSum& sum_across_sites) {
    auto site_sum = [&](std::vector<double>& sums) {
        if (sum_across_sites) sum_across_sites(sums);
    };
    if (use.size() != columns) throw InternalError("linear base: feature mask size mismatch");
    LinearBase base;
    base.fill.assign(columns, 0.0);
    base.value_coef.assign(columns, 0.0);
    base.missing_coef.assign(columns, 0.0);
    base.mean_filled.assign(columns, 0.0);
    base.mean_missing.assign(columns, 0.0);
    auto weight = [&](std::size_t r) { return weights.empty() ? 1.0 : static_cast<double>(weights[r]); };
    double total_weight = 0;
    for (std::size_t r = 0; r < rows; ++r) total_weight += weight(r);

    std::vector<double> observed_weight(columns, 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < columns; ++c) {
            const float v = x[r * columns + c];
            if (!std::isnan(v)) {
                base.fill[c] += weight(r) * v;
                observed_weight[c] += weight(r);
            }
        }
    {
        std::vector<double> sums = base.fill;
        sums.insert(sums.end(), observed_weight.begin(), observed_weight.end());
        sums.push_back(total_weight);
        site_sum(sums);
        std::copy(sums.begin(), sums.begin() + columns, base.fill.begin());
        std::copy(sums.begin() + columns, sums.begin() + 2 * columns, observed_weight.begin());
        total_weight = sums.back();
    }
    for (std::size_t c = 0; c < columns; ++c) {
        base.fill[c] = observed_weight[c] > 0 ? base.fill[c] / observed_weight[c] : 0.0;
        base.mean_missing[c] = 1.0 - observed_weight[c] / total_weight;
    }

    // Design: for each feature its filled value, and a missing indicator if it is ever missing
    // (and ever observed). Columns are centred and scaled; the intercept is the weighted mean.
    struct DesignColumn {
        std::size_t feature;
        bool indicator;
        double mean = 0, scale = 1;
    };
    std::vector<DesignColumn> design;
    // Rows (over all sites) where two features' missingness differs.
    std::vector<double> disagreements(columns * columns, 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t a = 0; a < columns; ++a)
            for (std::size_t b = a + 1; b < columns; ++b)
                if (use[a] && use[b] && std::isnan(x[r * columns + a]) != std::isnan(x[r * columns + b]))
                    disagreements[a * columns + b] += 1;
    site_sum(disagreements);
    auto same_missingness = [&](std::size_t a, std::size_t b) {
        return disagreements[std::min(a, b) * columns + std::max(a, b)] == 0;
    };
    std::vector<std::size_t> indicator_features;
    for (std::size_t c = 0; c < columns; ++c) {
        if (!use[c]) continue;
        if (observed_weight[c] > 0) design.push_back({c, false});
        // An indicator fitted on a handful of rows (e.g. 4 patients without a recorded sex)
        // would be noise that a new patient missing that input pays for: below 1% missing,
        // the training mean stands in alone.
        if (base.mean_missing[c] >= min_missing_fraction && observed_weight[c] > 0) {
            bool duplicate = false;
            for (std::size_t earlier : indicator_features) duplicate = duplicate || same_missingness(earlier, c);
            if (!duplicate) {
                design.push_back({c, true});
                indicator_features.push_back(c);
            }
        }
    }
    auto value = [&](std::size_t r, const DesignColumn& d) -> double {
        const float v = x[r * columns + d.feature];
        if (d.indicator) return std::isnan(v) ? 1.0 : 0.0;
        return std::isnan(v) ? base.fill[d.feature] : static_cast<double>(v);
    };
    double label_mean = 0;
    for (std::size_t r = 0; r < rows; ++r) label_mean += weight(r) * labels[r];
    {
        std::vector<double> sums{label_mean};
        site_sum(sums);
        label_mean = sums[0] / total_weight;
    }
    {
        std::vector<double> sums(design.size(), 0.0);
        for (std::size_t i = 0; i < design.size(); ++i)
            for (std::size_t r = 0; r < rows; ++r) sums[i] += weight(r) * value(r, design[i]);
        site_sum(sums);
        for (std::size_t i = 0; i < design.size(); ++i) design[i].mean = sums[i] / total_weight;
        std::fill(sums.begin(), sums.end(), 0.0);
        for (std::size_t i = 0; i < design.size(); ++i)
            for (std::size_t r = 0; r < rows; ++r)
                sums[i] += weight(r) * (value(r, design[i]) - design[i].mean) * (value(r, design[i]) - design[i].mean);
        site_sum(sums);
        for (std::size_t i = 0; i < design.size(); ++i) design[i].scale = std::sqrt(sums[i] / total_weight);
    }
    std::vector<DesignColumn> used;
    for (const auto& d : design)
        if (d.scale > 1e-9) used.push_back(d);
    const std::size_t p = used.size();
    std::vector<double> a(p * p, 0.0), b(p, 0.0), z(p);
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t i = 0; i < p; ++i) z[i] = (value(r, used[i]) - used[i].mean) / used[i].scale;
        const double w = weight(r), y = labels[r] - label_mean;
        for (std::size_t i = 0; i < p; ++i) {
            b[i] += w * z[i] * y;
            for (std::size_t j = 0; j <= i; ++j) a[i * p + j] += w * z[i] * z[j];
        }
    }
    {
        std::vector<double> sums = a;
        sums.insert(sums.end(), b.begin(), b.end());
        site_sum(sums);
        std::copy(sums.begin(), sums.begin() + p * p, a.begin());
        std::copy(sums.begin() + p * p, sums.end(), b.begin());
    }
    for (std::size_t i = 0; i < p; ++i) {
        for (std::size_t j = 0; j < i; ++j) a[j * p + i] = a[i * p + j];
        a[i * p + i] += lambda;
    }
    const auto beta = p ? solve_spd(a, b, p) : std::vector<double>{};
    base.intercept = label_mean;
    for (std::size_t i = 0; i < p; ++i) {
        const double coef = beta[i] / used[i].scale;
        (used[i].indicator ? base.missing_coef : base.value_coef)[used[i].feature] = coef;
        base.intercept -= coef * used[i].mean;
    }
    {
        std::vector<double> sums(columns, 0.0);
        for (std::size_t c = 0; c < columns; ++c)
            for (std::size_t r = 0; r < rows; ++r) {
                const float v = x[r * columns + c];
                sums[c] += weight(r) * (std::isnan(v) ? base.fill[c] : v);
            }
        site_sum(sums);
        for (std::size_t c = 0; c < columns; ++c) base.mean_filled[c] = sums[c] / total_weight;
    }
    return base;
}

double LinearBase::predict(const float* row) const {
    double margin = intercept;
    for (std::size_t c = 0; c < fill.size(); ++c) {
        const bool missing = std::isnan(row[c]);
        margin += value_coef[c] * (missing ? fill[c] : row[c]) + missing_coef[c] * (missing ? 1.0 : 0.0);
    }
    return margin;
}

double LinearBase::contributions(const float* row, double* out) const {
    double baseline = intercept;
    for (std::size_t c = 0; c < fill.size(); ++c) {
        baseline += value_coef[c] * mean_filled[c] + missing_coef[c] * mean_missing[c];
        const bool missing = std::isnan(row[c]);
        out[c] = value_coef[c] * ((missing ? fill[c] : row[c]) - mean_filled[c]) +
                 missing_coef[c] * ((missing ? 1.0 : 0.0) - mean_missing[c]);
    }
    return baseline;
}

}  // namespace genodose::dosing::detail
