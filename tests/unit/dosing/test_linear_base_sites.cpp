// The linear base fitted from sums over sites (LinearBase::fit's sum_across_sites, as federated
// training all-reduces them) equals the fit on the pooled rows.
#include <catch2/catch.hpp>

#include <cmath>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <random>
#include <thread>

#include "../../../src/dosing/linear_base.hpp"

using genodose::dosing::detail::LinearBase;

namespace {

// Sums vectors across `sites` threads: each caller blocks until every site has contributed,
// then gets the element-wise total (what an all-reduce gives each worker).
class ThreadAllReduce {
public:
    explicit ThreadAllReduce(std::size_t sites) : sites_(sites) {}
    void operator()(std::vector<double>& values) {
        std::unique_lock<std::mutex> lock(mutex_);
        const std::size_t generation = generation_;
        if (arrived_ == 0) total_.assign(values.size(), 0.0);
        REQUIRE(total_.size() == values.size());
        for (std::size_t i = 0; i < values.size(); ++i) total_[i] += values[i];
        if (++arrived_ == sites_) {
            result_ = total_;
            arrived_ = 0;
            ++generation_;
            changed_.notify_all();
        } else {
            changed_.wait(lock, [&] { return generation_ != generation; });
        }
        values = result_;
    }

private:
    std::size_t sites_, arrived_ = 0, generation_ = 0;
    std::vector<double> total_, result_;
    std::mutex mutex_;
    std::condition_variable changed_;
};

}  // namespace

TEST_CASE("linear base: the fit from sums over three sites equals the pooled fit") {
    // 600 rows, 4 features; feature 1 missing in 10% of rows, feature 3 missing exactly where
    // feature 1 is (one indicator for both), feature 2 unused.
    const std::size_t rows = 600, columns = 4;
    std::mt19937_64 rng(3);
    std::normal_distribution<double> normal;
    std::vector<float> x(rows * columns), labels(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        const bool missing = r % 10 == 3;
        x[r * columns + 0] = static_cast<float>(normal(rng));
        x[r * columns + 1] = missing ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(normal(rng));
        x[r * columns + 2] = static_cast<float>(normal(rng));
        x[r * columns + 3] = missing ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(r % 3);
        labels[r] =
            static_cast<float>(5 + x[r * columns] - (missing ? 0.5 : 0.3 * x[r * columns + 1]) + 0.1 * normal(rng));
    }
    const std::vector<bool> use = {true, true, false, true};
    const LinearBase pooled = LinearBase::fit(x, rows, columns, use, labels, {}, 1.0);

    // Sites of 100, 200 and 300 rows, fitted concurrently.
    const std::size_t bounds[] = {0, 100, 300, 600};
    ThreadAllReduce all_reduce(3);
    std::vector<LinearBase> sites(3);
    std::vector<std::thread> threads;
    for (std::size_t s = 0; s < 3; ++s)
        threads.emplace_back([&, s] {
            const std::size_t begin = bounds[s], end = bounds[s + 1];
            const std::vector<float> site_x(x.begin() + begin * columns, x.begin() + end * columns);
            const std::vector<float> site_labels(labels.begin() + begin, labels.begin() + end);
            sites[s] = LinearBase::fit(site_x, end - begin, columns, use, site_labels, {}, 1.0,
                                       [&](std::vector<double>& v) { all_reduce(v); });
        });
    for (auto& t : threads) t.join();

    for (const auto& site : sites) {
        CHECK(site.intercept == Approx(pooled.intercept).epsilon(1e-10));
        for (std::size_t c = 0; c < columns; ++c) {
            CHECK(site.value_coef[c] == Approx(pooled.value_coef[c]).margin(1e-10));
            CHECK(site.missing_coef[c] == Approx(pooled.missing_coef[c]).margin(1e-10));
            CHECK(site.fill[c] == Approx(pooled.fill[c]).margin(1e-10));
            CHECK(site.mean_filled[c] == Approx(pooled.mean_filled[c]).margin(1e-10));
        }
    }
    // One site alone gives a different fit (the sums do matter).
    const std::vector<float> first_x(x.begin(), x.begin() + 100 * columns);
    const std::vector<float> first_labels(labels.begin(), labels.begin() + 100);
    const LinearBase alone = LinearBase::fit(first_x, 100, columns, use, first_labels, {}, 1.0);
    CHECK(std::fabs(alone.value_coef[0] - pooled.value_coef[0]) > 1e-6);
}
