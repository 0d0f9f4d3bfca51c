// Dose distribution of IWPC patients per CYP2C9 × VKORC1 −1639 group: the "cohort context" of
// a report (data/reference/iwpc_cohort/warfarin_dose_by_genotype.tsv, made by
// scripts/make-cohort-table.sh; CC BY-SA 4.0).
//
//   CohortTable table = CohortTable::load(default_cohort_table_path(data_directory));
//   CohortContext context = cohort_context(table, "*1/*3", "G/A", 31.5);
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "genodose/report/report_document.hpp"

namespace genodose::report {

struct CohortGroup {
    std::string cyp2c9;  // "*1/*3" or "any"
    std::string vkorc1;  // "G/A" (−1639, gene strand) or "any"
    int patients = 0;
    bool has_distribution = false;  // false when the group is too small to describe
    std::vector<double> quantiles;  // p05, p10, p25, p50, p75, p90, p95
    double bin_width = 0;
    std::vector<int> histogram;
};

class CohortTable {
public:
    // InputError naming the file and line when malformed.
    static CohortTable load(const std::string& path);
    static CohortTable parse(const std::string& text, const std::string& source);

    const CohortGroup* find(const std::string& cyp2c9, const std::string& vkorc1) const;
    const std::string& source() const { return source_; }

private:
    std::string source_;
    std::vector<CohortGroup> groups_;
};

// <data>/reference/iwpc_cohort/warfarin_dose_by_genotype.tsv
std::string default_cohort_table_path(const std::string& data_directory);

// The patient's group and where the predicted dose falls in it. `cyp2c9` is a single
// diplotype ("" when not called), `vkorc1` the −1639 genotype on the gene strand ("" when not
// called). Not available (with the reason) when a genotype is missing or the group is small.
CohortContext cohort_context(const CohortTable& table, const std::string& cyp2c9, const std::string& vkorc1,
                             double predicted_mg_per_week);

// Percentile (0–100) of `dose` from the 5th…95th percentiles by linear interpolation; clamped
// to [5, 95] outside them (the table does not describe the tails further).
double percentile_from_quantiles(const std::vector<double>& quantiles, double dose);

}  // namespace genodose::report
