#include "genodose/report/cohort_table.hpp"

#include <fstream>
#include <sstream>

#include "genodose/core/error.hpp"
#include "genodose/core/text.hpp"

namespace genodose::report {

namespace {

double parse_number(const std::string& text, const std::string& where) {
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used != text.size()) throw std::invalid_argument(text);
        return value;
    } catch (const std::exception&) {
        throw InputError(where + ": expected a number, got '" + text + "'");
    }
}

const char* const quantile_percents[] = {"5", "10", "25", "50", "75", "90", "95"};
const double quantile_levels[] = {5, 10, 25, 50, 75, 90, 95};

}  // namespace

CohortTable CohortTable::parse(const std::string& text, const std::string& source) {
    CohortTable table;
    table.source_ = source;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    bool header_seen = false;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        const std::string where = source + ": line " + std::to_string(number);
        const auto fields = split(line, '\t');
        if (!header_seen) {
            if (fields.size() != 12 || fields[0] != "cyp2c9" || fields[2] != "patients")
                throw InputError(where + ": expected the header 'cyp2c9 vkorc1_1639 patients p05 ... histogram'");
            header_seen = true;
            continue;
        }
        if (fields.size() != 12)
            throw InputError(where + ": expected 12 tab-separated fields, got " + std::to_string(fields.size()));
        CohortGroup group;
        group.cyp2c9 = fields[0];
        group.vkorc1 = fields[1];
        group.patients = static_cast<int>(parse_number(fields[2], where + ": field 'patients'"));
        if (fields[3] != "NA") {
            group.has_distribution = true;
            for (int q = 0; q < 7; ++q) group.quantiles.push_back(parse_number(fields[3 + q], where + ": percentile"));
            group.bin_width = parse_number(fields[10], where + ": field 'bin_width'");
            for (const auto& count : split(fields[11], ','))
                group.histogram.push_back(static_cast<int>(parse_number(count, where + ": field 'histogram'")));
            if (!(group.bin_width > 0) || group.histogram.empty())
                throw InputError(where + ": bin_width must be > 0 and the histogram non-empty");
        }
        table.groups_.push_back(std::move(group));
    }
    if (!header_seen) throw InputError(file_message(source, "no header line: not a genodose cohort table"));
    return table;
}

CohortTable CohortTable::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(file_message(path, "cannot open the IWPC cohort table"),
                         "it ships in data/reference/iwpc_cohort/; see scripts/make-cohort-table.sh");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), path);
}

const CohortGroup* CohortTable::find(const std::string& cyp2c9, const std::string& vkorc1) const {
    for (const auto& group : groups_)
        if (group.cyp2c9 == cyp2c9 && group.vkorc1 == vkorc1) return &group;
    return nullptr;
}

std::string default_cohort_table_path(const std::string& data_directory) {
    return data_directory + "/reference/iwpc_cohort/warfarin_dose_by_genotype.tsv";
}

double percentile_from_quantiles(const std::vector<double>& quantiles, double dose) {
    if (quantiles.size() != 7) return 50;
    if (dose <= quantiles.front()) return quantile_levels[0];
    if (dose >= quantiles.back()) return quantile_levels[6];
    for (int i = 0; i + 1 < 7; ++i) {
        if (dose <= quantiles[i + 1]) {
            const double span = quantiles[i + 1] - quantiles[i];
            const double t = span > 0 ? (dose - quantiles[i]) / span : 0.5;
            return quantile_levels[i] + t * (quantile_levels[i + 1] - quantile_levels[i]);
        }
    }
    return quantile_levels[6];
}

CohortContext cohort_context(const CohortTable& table, const std::string& cyp2c9, const std::string& vkorc1,
                             double predicted_mg_per_week) {
    CohortContext context;
    context.source =
        "IWPC data set (PharmGKB), CC BY-SA 4.0; International Warfarin Pharmacogenetics Consortium, N Engl J Med "
        "2009;360:753-64. Derived table data/reference/iwpc_cohort/warfarin_dose_by_genotype.tsv";
    if (cyp2c9.empty() || vkorc1.empty()) {
        context.reason = std::string("no single ") + (cyp2c9.empty() ? "CYP2C9 diplotype" : "VKORC1 -1639 genotype") +
                         " was called, so the patient has no IWPC genotype group";
        return context;
    }
    context.group = "CYP2C9 " + cyp2c9 + ", VKORC1 -1639 " + vkorc1;
    const CohortGroup* group = table.find(cyp2c9, vkorc1);
    if (!group) {
        context.reason = "the IWPC cohort has no group for " + context.group +
                         " (groups exist for CYP2C9 *1/*1, *1/*2, *1/*3, *2/*2, *2/*3, *3/*3)";
        return context;
    }
    context.patients = group->patients;
    if (!group->has_distribution) {
        context.reason = "only " + std::to_string(group->patients) + " IWPC patients have " + context.group +
                         " (fewer than 20): no distribution is shown";
        return context;
    }
    context.available = true;
    context.quantiles = group->quantiles;
    context.bin_width = group->bin_width;
    context.histogram = group->histogram;
    context.patient_percentile = percentile_from_quantiles(group->quantiles, predicted_mg_per_week);
    return context;
}

}  // namespace genodose::report
