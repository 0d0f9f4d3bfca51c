// The cohort table (cohort.tsv) and summary page (cohort.html) of `genodose batch`: one row per
// sample, from its report document or its error.
#pragma once

#include <string>
#include <vector>

#include "genodose/report/report_document.hpp"

namespace genodose::report {

struct BatchSampleResult {
    std::string sample_id;
    bool ok = false;
    std::string error;
    ReportDocument document;         // when ok
    std::vector<std::string> files;  // when ok: the file names written in the sample's folder
};

// The cohort table and page. They link only to report files that were written
// (BatchSampleResult::files).
std::string cohort_tsv(const std::vector<BatchSampleResult>& results);
std::string cohort_html(const std::vector<BatchSampleResult>& results, const std::string& generated_at,
                        const std::string& genodose_version);

}  // namespace genodose::report
