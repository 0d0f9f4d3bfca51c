#include "genodose/dosing/patient_input.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "csv_table.hpp"
#include "genodose/core/checked_json.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"
#include "genodose/core/text.hpp"
#include "genodose/core/text_input.hpp"
#include "genodose/dosing/genotypes.hpp"
#include "text_util.hpp"

namespace genodose::dosing {

using detail::is_missing_text;
using detail::lower;
using detail::quote;
using detail::trim;

std::string race_name(Race race) {
    switch (race) {
        case Race::white: return "White";
        case Race::asian: return "Asian";
        case Race::black_or_african_american: return "Black or African American";
        case Race::unknown: return "Unknown";
    }
    return "Unknown";
}

std::optional<bool> Patient::enzyme_inducer() const {
    bool any_false = false;
    for (const auto& drug : {carbamazepine, phenytoin, rifampin}) {
        if (drug && *drug) return true;
        if (drug) any_false = true;
    }
    if (any_false) return false;
    return std::nullopt;
}

// ---- field parsers -----------------------------------------------------------------------

namespace field {

int age_decade_from_years(double years) {
    const int decade = static_cast<int>(std::floor(years / 10.0));
    return std::clamp(decade, 1, 9);
}

void check_age_years(double years) {
    if (years > 0 && years <= max_age_years) return;
    std::string text = detail::format_fixed(years, 2);  // "121.00" -> "121", "0.50" -> "0.5"
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    const std::string range =
        "the accepted range (> 0 and <= " + std::to_string(static_cast<int>(max_age_years)) + " years)";
    throw PatientDataError("age " + text + " years is outside " + range, "age outside " + range);
}

std::optional<double> age_years(const std::string& text) {
    if (is_missing_text(text)) return std::nullopt;
    double years = 0;
    if (!detail::parse_double(trim(text), years)) return std::nullopt;
    check_age_years(years);
    return years;
}

std::optional<int> age_decade(const std::string& text) {
    if (is_missing_text(text)) return std::nullopt;
    std::string t;
    for (char c : trim(text)) {
        if (c != ' ') t += c;
    }
    double years = 0;
    if (detail::parse_double(t, years)) {
        check_age_years(years);
        return age_decade_from_years(years);
    }
    if (t.size() >= 2 && t.back() == '+') {
        double low = 0;
        if (detail::parse_double(t.substr(0, t.size() - 1), low) && low == 90) return 9;
        throw PatientDataError(
            "age " + quote(text) + " is not a decade band (e.g. '50 - 59', '90+') or a number of years",
            "age is not a decade band (e.g. '50 - 59', '90+') or a number of years");
    }
    // "50-59" (the dash may also be an en dash in hand-edited files).
    std::string normalized = t;
    const std::string en_dash = "\xE2\x80\x93";
    if (auto p = normalized.find(en_dash); p != std::string::npos) normalized.replace(p, en_dash.size(), "-");
    const auto dash = normalized.find('-');
    double low = 0, high = 0;
    if (dash != std::string::npos && detail::parse_double(normalized.substr(0, dash), low) &&
        detail::parse_double(normalized.substr(dash + 1), high) && std::fmod(low, 10.0) == 0 && high == low + 9 &&
        low >= 10 && low <= 80)
        return static_cast<int>(low / 10);
    if (dash != std::string::npos && detail::parse_double(normalized.substr(0, dash), low) &&
        detail::parse_double(normalized.substr(dash + 1), high) && low == 0 && high == 9)
        throw PatientDataError("age band " + quote(text) + " is below the range of the model (10 years and over)",
                               "age band below the range of the model (10 years and over)");
    throw PatientDataError("age " + quote(text) + " is not a decade band (e.g. '50 - 59', '90+') or a number of years",
                           "age is not a decade band (e.g. '50 - 59', '90+') or a number of years");
}

Race race(const std::string& text, bool accept_aliases) {
    const std::string t = lower(trim(text));
    if (is_missing_text(t) || t == "unknown") return Race::unknown;
    if (t == "white") return Race::white;
    if (t == "asian") return Race::asian;
    if (t == "black or african american") return Race::black_or_african_american;
    if (accept_aliases) {
        if (t == "caucasian" || t == "european") return Race::white;
        if (t == "black" || t == "african american" || t == "african-american" || t == "african")
            return Race::black_or_african_american;
        if (t == "mixed" || t == "other" || t == "missing" || t == "multiple") return Race::unknown;
    }
    throw PatientDataError(
        "unknown race value " + quote(text) + " (expected White, Asian, Black or African American, or Unknown)",
        "unknown race value (expected White, Asian, Black or African American, or Unknown)");
}

Sex sex(const std::string& text) {
    const std::string t = lower(trim(text));
    if (is_missing_text(t) || t == "unknown") return Sex::unknown;
    if (t == "male" || t == "m") return Sex::male;
    if (t == "female" || t == "f") return Sex::female;
    throw PatientDataError("unknown sex value " + quote(text) + " (expected male, female or NA)",
                           "unknown sex value (expected male, female or NA)");
}

std::optional<bool> flag(const std::string& text) {
    const std::string t = trim(text);
    if (is_missing_text(t)) return std::nullopt;
    if (t == "0") return false;
    if (t == "1") return true;
    throw PatientDataError("expected 0, 1 or NA, got " + quote(text), "expected 0, 1 or NA");
}

std::optional<double> number(const std::string& text) {
    if (is_missing_text(text)) return std::nullopt;
    double value = 0;
    if (!detail::parse_double(text, value))
        throw PatientDataError("expected a number, got " + quote(text), "expected a number");
    return value;
}

std::optional<unsigned> indications(const std::string& text) {
    if (is_missing_text(text)) return std::nullopt;
    std::string t = lower(text);
    // Separators seen in the data: "3; 8", "1 or 2", "1,2", "4;6".
    for (std::size_t p; (p = t.find(" or ")) != std::string::npos;) t.replace(p, 4, ";");
    for (char& c : t) {
        if (c == ',' || c == ' ') c = ';';
    }
    unsigned bits = 0;
    for (const std::string& token : detail::split(t, ';')) {
        if (token.empty()) continue;
        double code = 0;
        if (!detail::parse_double(token, code) || code != std::floor(code) || code < 1 || code > 8)
            throw PatientDataError("indication " + quote(text) + " is not a list of IWPC codes 1-8",
                                   "not a list of IWPC codes 1-8");
        bits |= 1u << (static_cast<int>(code) - 1);
    }
    if (bits == 0)
        throw PatientDataError("indication " + quote(text) + " is not a list of IWPC codes 1-8",
                               "not a list of IWPC codes 1-8");
    return bits;
}

std::optional<double> inr_range_midpoint(const std::string& text) {
    if (is_missing_text(text)) return std::nullopt;
    const std::string t = trim(text);
    double single = 0;
    if (detail::parse_double(t, single)) return single;
    const auto dash = t.find('-', 1);
    double low = 0, high = 0;
    if (dash != std::string::npos && detail::parse_double(t.substr(0, dash), low) &&
        detail::parse_double(t.substr(dash + 1), high) && low > 0 && high >= low)
        return (low + high) / 2;
    throw PatientDataError("INR range " + quote(text) + " is not of the form '2-3'", "INR range not of the form '2-3'");
}

}  // namespace field

// ---- common checks ----------------------------------------------------------------------------

const std::vector<std::string>& report_field_names() {
    static const std::vector<std::string> names = {
        "patient_name",       "date_of_birth",       "ordering_clinician", "accession",     "laboratory",
        "laboratory_address", "laboratory_director", "clia_number",        "cap_number",    "local_identifier",
        "platform",           "specimen_type",       "collection_date",    "received_date", "signed_by",
        "signer_credentials", "signed_date"};
    return names;
}

const std::vector<std::string>& lab_config_field_names() {
    static const std::vector<std::string> names = {"laboratory",  "laboratory_address", "laboratory_director",
                                                   "clia_number", "cap_number",         "local_identifier",
                                                   "platform"};
    return names;
}

bool is_calendar_date(const std::string& t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (t[i] < '0' || t[i] > '9') return false;
    const int year = std::stoi(t.substr(0, 4)), month = std::stoi(t.substr(5, 2)), day = std::stoi(t.substr(8, 2));
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

void check_report_field(const std::string& key, const std::string& value) {
    static const std::set<std::string> dates = {"date_of_birth", "collection_date", "received_date", "signed_date"};
    if (dates.count(key) && !value.empty() && !is_calendar_date(value))
        throw PatientDataError("'" + value + "' is not a calendar date (expected YYYY-MM-DD, e.g. 1960-02-03)",
                               "not a calendar date (expected YYYY-MM-DD, e.g. 1960-02-03)");
}

namespace {

// The reason of a field error for the default log: a PatientDataError's value-free message, or
// a generic phrase for other errors, whose text may hold the value.
std::string public_reason(const InputError& e) {
    const std::string reason = e.public_message();
    return reason != e.what() ? reason : "not a valid value";
}

}  // namespace

namespace {

// Plausibility limits: the physiologically possible range (height: the tallest recorded human,
// 272 cm; weight: above the heaviest recorded human, about 635 kg, is impossible; a target INR
// above 4.5 is none that any warfarin guideline uses), so they also catch unit mix-ups (inches,
// pounds) and typing errors. Values inside these limits but outside the training cohort's range
// are accepted and the dose is flagged as an extrapolation (DosePrediction::extrapolations).
void check_height(double cm) {
    if (cm <= 0)
        throw PatientDataError("height must be > 0 cm, got " + detail::format_fixed(cm, 2), "height must be > 0 cm");
    if (cm < 50 || cm > 272)
        throw PatientDataError("height " + detail::format_fixed(cm, 2) + " cm is outside the possible range 50-272 cm",
                               "height outside the possible range 50-272 cm");
}
void check_weight(double kg) {
    if (kg <= 0)
        throw PatientDataError("weight must be > 0 kg, got " + detail::format_fixed(kg, 2), "weight must be > 0 kg");
    if (kg < 10 || kg > 635)
        throw PatientDataError("weight " + detail::format_fixed(kg, 2) + " kg is outside the possible range 10-635 kg",
                               "weight outside the possible range 10-635 kg");
}
void check_inr(double inr) {
    if (inr < 1 || inr > 4.5)
        throw PatientDataError("target INR " + detail::format_fixed(inr, 2) + " is outside the possible range 1-4.5",
                               "target INR outside the possible range 1-4.5");
}
void check_dose(double dose) {
    if (dose <= 0)
        throw PatientDataError("dose must be > 0 mg/week, got " + detail::format_fixed(dose, 2),
                               "dose must be > 0 mg/week");
    if (dose > 500)
        throw PatientDataError("dose " + detail::format_fixed(dose, 2) + " mg/week is above 500 mg/week",
                               "dose above 500 mg/week");
}

void check_unique_ids(const std::vector<PatientRecord>& records, const std::string& name) {
    std::map<std::string, const PatientRecord*> seen;
    for (const auto& record : records) {
        auto [it, inserted] = seen.emplace(record.patient.id, &record);
        if (!inserted)
            throw PatientDataError(record.source + ": patient ID " + quote(record.patient.id) + " already used at " +
                                       it->second->source.substr(it->second->source.rfind(": ") + 2),
                                   record.source + ": patient ID already used at " +
                                       it->second->source.substr(it->second->source.rfind(": ") + 2));
    }
}

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, "patient file not found or not readable"));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw InputError(file_message(path, "read error"));
    return text.str();
}

}  // namespace

PatientFormat detect_patient_format(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, "patient file not found or not readable"));
    char c = 0;
    int skipped = 0;
    while (in.get(c)) {
        // Skip a UTF-8 byte-order mark and blanks.
        if (std::isspace(static_cast<unsigned char>(c)) || (skipped < 3 && static_cast<unsigned char>(c) >= 0xBB)) {
            ++skipped;
            continue;
        }
        return c == '{' || c == '[' ? PatientFormat::patient_json : PatientFormat::iwpc_csv;
    }
    throw InputError(file_message(path, "file is empty"));
}

std::vector<PatientRecord> read_patients(const std::string& path) {
    return detect_patient_format(path) == PatientFormat::patient_json ? read_patient_json(path) : read_iwpc_csv(path);
}

// ---- IWPC CSV -------------------------------------------------------------------------------

namespace {

namespace column {
const char* const subject_id = "PharmGKB Subject ID";
const char* const project_site = "Project Site";
const char* const gender = "Gender";
const char* const race = "Race (OMB)";
const char* const age = "Age";
const char* const height = "Height (cm)";
const char* const weight = "Weight (kg)";
const char* const indication = "Indication for Warfarin Treatment";
const char* const diabetes = "Diabetes";
const char* const heart_failure = "Congestive Heart Failure and/or Cardiomyopathy";
const char* const valve_replacement = "Valve Replacement";
const char* const aspirin = "Aspirin";
const char* const acetaminophen = "Acetaminophen or Paracetamol (Tylenol)";
const char* const statins[] = {"Simvastatin (Zocor)",  "Atorvastatin (Lipitor)",  "Fluvastatin (Lescol)",
                               "Lovastatin (Mevacor)", "Pravastatin (Pravachol)", "Rosuvastatin (Crestor)",
                               "Cerivastatin (Baycol)"};
const char* const amiodarone = "Amiodarone (Cordarone)";
const char* const carbamazepine = "Carbamazepine (Tegretol)";
const char* const phenytoin = "Phenytoin (Dilantin)";
const char* const rifampin = "Rifampin or Rifampicin";
const char* const sulfonamide = "Sulfonamide Antibiotics";
const char* const macrolide = "Macrolide Antibiotics";
const char* const azole = "Anti-fungal Azoles";
const char* const herbal = "Herbal Medications, Vitamins, Supplements";
const char* const target_inr = "Target INR";
const char* const inr_range = "Estimated Target INR Range Based on Indication";
const char* const dose = "Therapeutic Dose of Warfarin";
const char* const smoker = "Current Smoker";
const char* const cyp2c9 = "CYP2C9 consensus";
const char* const vkorc1_1639 = "VKORC1 -1639 consensus";
const char* const vkorc1_1173 = "VKORC1 1173 consensus";
const char* const vkorc1_1542 = "VKORC1 1542 consensus";
const char* const vkorc1_2255 = "VKORC1 2255 consensus";
const char* const vkorc1_3730 = "VKORC1 3730 consensus";
const char* const vkorc1_497 = "VKORC1 497 consensus";
const char* const vkorc1_4451 = "VKORC1 -4451 consensus";
}  // namespace column

class IwpcRow {
public:
    // `context` names the file, line and patient id; `public_context` the file and line only.
    IwpcRow(const std::map<std::string, std::size_t>& index, const detail::CsvRecord& record, std::string context,
            std::string public_context)
        : index_(index), record_(record), context_(std::move(context)), public_context_(std::move(public_context)) {}

    std::string text(const char* name) const {
        auto it = index_.find(lower(name));
        return it == index_.end() ? std::string() : record_.fields[it->second];
    }

    // Runs `parse` on the field's text; wraps its InputError with file, line and field.
    template <typename Parse>
    auto get(const char* name, Parse parse) const -> decltype(parse(std::string())) {
        try {
            return parse(text(name));
        } catch (const InputError& e) {
            fail(name, e.what(), public_reason(e));
        }
    }

    [[noreturn]] void fail(const char* name, const std::string& message, const std::string& public_reason) const {
        throw PatientDataError(context_ + ": field '" + name + "': " + message,
                               public_context_ + ": field '" + name + "': " + public_reason);
    }

private:
    const std::map<std::string, std::size_t>& index_;
    const detail::CsvRecord& record_;
    std::string context_;
    std::string public_context_;
};

Patient patient_from_iwpc_row(const IwpcRow& row, std::optional<double>& dose) {
    Patient p;
    p.id = trim(row.text(column::subject_id));
    p.sex = row.get(column::gender, field::sex);
    p.race = row.get(column::race, [](const std::string& t) { return field::race(t, false); });
    if (!detail::is_missing_text(row.text(column::race))) p.race_recorded = trim(row.text(column::race));
    // A number of years is an age like JSON's age_years (the pediatric flag uses it: 18 and 19
    // are adults); a decade band ("10 - 19") stays a band.
    p.age_years = row.get(column::age, field::age_years);
    p.age_decade = row.get(column::age, field::age_decade);
    p.height_cm = row.get(column::height, [](const std::string& t) {
        auto v = field::number(t);
        if (v) check_height(*v);
        return v;
    });
    p.weight_kg = row.get(column::weight, [](const std::string& t) {
        auto v = field::number(t);
        if (v) check_weight(*v);
        return v;
    });
    p.indications = row.get(column::indication, field::indications);
    p.diabetes = row.get(column::diabetes, field::flag);
    p.heart_failure = row.get(column::heart_failure, field::flag);
    p.valve_replacement = row.get(column::valve_replacement, field::flag);
    p.aspirin = row.get(column::aspirin, field::flag);
    p.acetaminophen = row.get(column::acetaminophen, field::flag);
    {
        bool any_true = false, any_false = false;
        for (const char* statin : column::statins) {
            const auto value = row.get(statin, field::flag);
            if (value && *value) any_true = true;
            if (value && !*value) any_false = true;
        }
        if (any_true) p.statin = true;
        else if (any_false) p.statin = false;
    }
    p.amiodarone = row.get(column::amiodarone, field::flag);
    p.carbamazepine = row.get(column::carbamazepine, field::flag);
    p.phenytoin = row.get(column::phenytoin, field::flag);
    p.rifampin = row.get(column::rifampin, field::flag);
    p.sulfonamide_antibiotic = row.get(column::sulfonamide, field::flag);
    p.macrolide_antibiotic = row.get(column::macrolide, field::flag);
    p.azole_antifungal = row.get(column::azole, field::flag);
    p.herbal_supplement = row.get(column::herbal, field::flag);
    p.smoker = row.get(column::smoker, field::flag);
    // Target INR if recorded, else the midpoint of the range estimated from the indication.
    p.target_inr = row.get(column::target_inr, [](const std::string& t) {
        auto v = field::number(t);
        if (v) check_inr(*v);
        return v;
    });
    if (!p.target_inr)
        p.target_inr = row.get(column::inr_range, [](const std::string& t) {
            auto v = field::inr_range_midpoint(t);
            if (v) check_inr(*v);
            return v;
        });

    p.cyp2c9 = row.get(column::cyp2c9, cyp2c9_from_diplotype);
    p.vkorc1.a_alleles = row.get(column::vkorc1_1639, vkorc1_1639_a_alleles);
    if (p.vkorc1.a_alleles) {
        p.vkorc1.origin = Vkorc1Genotype::Origin::measured;
    } else {
        const std::string g2255 = row.text(column::vkorc1_2255), g1173 = row.text(column::vkorc1_1173),
                          g1542 = row.text(column::vkorc1_1542);
        p.vkorc1.a_alleles = row.get(column::vkorc1_2255, [&](const std::string&) {
            return impute_vkorc1_1639_a_alleles(p.race, g2255, g1173, g1542);
        });
        if (p.vkorc1.a_alleles) {
            p.vkorc1.origin = Vkorc1Genotype::Origin::imputed;
            p.vkorc1.note = "VKORC1 -1639 imputed from other VKORC1 SNPs (IWPC rules)";
        } else {
            p.vkorc1.note = "VKORC1 -1639 not genotyped";
        }
    }
    auto snp = [&](const char* name, char reference, char variant) {
        return row.get(name, [&](const std::string& t) { return count_snp_alleles(t, reference, variant); });
    };
    p.vkorc1_3730_a_alleles = snp(column::vkorc1_3730, 'G', 'A');
    p.vkorc1_2255_t_alleles = snp(column::vkorc1_2255, 'C', 'T');
    p.vkorc1_1173_t_alleles = snp(column::vkorc1_1173, 'C', 'T');
    p.vkorc1_1542_c_alleles = snp(column::vkorc1_1542, 'G', 'C');
    p.vkorc1_497_g_alleles = snp(column::vkorc1_497, 'T', 'G');
    p.vkorc1_4451_a_alleles = snp(column::vkorc1_4451, 'C', 'A');
    if (p.cyp2c9.known() || p.vkorc1.a_alleles) p.genotype_source = GenotypeSource::patient_input;

    dose = row.get(column::dose, [](const std::string& t) {
        auto v = field::number(t);
        if (v) check_dose(*v);
        return v;
    });
    return p;
}

}  // namespace

std::vector<PatientRecord> parse_iwpc_csv(std::istream& in, const std::string& name) {
    const auto records = detail::read_csv_records(in, name);
    if (records.empty()) throw InputError(file_message(name, "file is empty"));
    std::map<std::string, std::size_t> index;
    const auto& header = records.front().fields;
    for (std::size_t i = 0; i < header.size(); ++i) {
        if (!is_valid_utf8(header[i])) require_utf8(header[i], file_message(name, "header"));
        if (!index.emplace(lower(trim(header[i])), i).second)
            throw InputError(
                file_message(name, "line 1: column '" + trim(header[i]) + "' appears twice (which one is meant?)"));
    }

    for (const char* required : {column::subject_id, column::race, column::age, column::height, column::weight,
                                 column::cyp2c9, column::vkorc1_1639}) {
        if (!index.count(lower(required)))
            throw InputError(file_message(
                name, "missing column '" + std::string(required) + "' (expected IWPC/PharmGKB column names)"));
    }
    std::vector<std::string> absent;
    for (const char* optional_column : {column::gender, column::indication, column::amiodarone, column::carbamazepine,
                                        column::phenytoin, column::rifampin, column::target_inr, column::smoker,
                                        column::vkorc1_1173, column::vkorc1_1542, column::vkorc1_2255}) {
        if (!index.count(lower(optional_column))) absent.emplace_back(optional_column);
    }
    if (!absent.empty()) {
        std::string list;
        for (const auto& a : absent) list += (list.empty() ? "" : ", ") + a;
        GENODOSE_LOG_WARN(name << ": columns absent, their values are treated as missing: " << list);
    }

    std::vector<PatientRecord> patients;
    for (std::size_t r = 1; r < records.size(); ++r) {
        const auto& record = records[r];
        const std::string line_context = file_message(name, "line " + std::to_string(record.line));
        if (record.fields.size() != header.size())
            throw InputError(line_context + ": " + std::to_string(record.fields.size()) + " fields, header has " +
                             std::to_string(header.size()));
        for (const auto& field : record.fields)
            if (!is_valid_utf8(field))
                throw InputError(line_context + ": not valid UTF-8",
                                 "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
        const std::string id = trim(record.fields[index.at(lower(column::subject_id))]);
        if (id.size() > max_identifier_bytes)
            throw InputError(line_context + ": field '" + column::subject_id + "' is longer than " +
                             std::to_string(max_identifier_bytes) + " bytes (" + std::to_string(id.size()) + ")");
        if (id.empty() || is_missing_text(id))
            throw InputError(line_context + ": field '" + column::subject_id + "' is empty");
        const std::string context = line_context + " (" + id + ")";
        IwpcRow row(index, record, context, line_context);
        PatientRecord out;
        out.patient = patient_from_iwpc_row(row, out.dose_mg_per_week);
        out.source = line_context;
        if (const auto site = row.text(column::project_site); !detail::is_missing_text(site)) out.site = trim(site);
        patients.push_back(std::move(out));
    }
    if (patients.empty()) throw InputError(file_message(name, "no patient rows"));
    check_unique_ids(patients, name);
    return patients;
}

std::vector<PatientRecord> read_iwpc_csv(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(file_message(path, "patient file not found or not readable"));
    return parse_iwpc_csv(in, path);
}

PatientsWithDose patients_with_dose(const std::vector<PatientRecord>& records) {
    PatientsWithDose result;
    for (const auto& record : records) {
        if (!record.dose_mg_per_week) continue;
        result.patients.push_back(record.patient);
        result.doses_mg_per_week.push_back(*record.dose_mg_per_week);
    }
    return result;
}

// ---- patient JSON ---------------------------------------------------------------------------

namespace {

using Json = nlohmann::json;

class JsonPatientReader {
public:
    JsonPatientReader(const Json& object, std::string context) : object_(object), context_(std::move(context)) {}

    // A message without the patient's value; with a value, use the overload below.
    [[noreturn]] void fail(const std::string& key, const std::string& message) const { fail(key, message, message); }
    // The message may hold the patient's value; public_reason must not (PatientDataError).
    [[noreturn]] void fail(const std::string& key, const std::string& message, const std::string& public_reason) const {
        throw PatientDataError(context_ + ": field '" + key + "': " + message,
                               context_ + ": field '" + key + "': " + public_reason);
    }
    bool present(const std::string& key) const { return object_.contains(key) && !object_[key].is_null(); }

    std::optional<double> number(const std::string& key, const std::function<void(double)>& check = {}) const {
        if (!present(key)) return std::nullopt;
        const Json& value = object_[key];
        if (!value.is_number()) fail(key, "expected a number, got " + value.dump(), "expected a number");
        const double v = value.get<double>();
        if (check) {
            try {
                check(v);
            } catch (const InputError& e) {
                fail(key, e.what(), public_reason(e));
            }
        }
        return v;
    }
    std::optional<bool> boolean(const std::string& key) const {
        if (!present(key)) return std::nullopt;
        if (!object_[key].is_boolean())
            fail(key, "expected true, false or null, got " + object_[key].dump(), "expected true, false or null");
        return object_[key].get<bool>();
    }
    std::string string(const std::string& key) const {
        if (!present(key)) return {};
        if (!object_[key].is_string()) fail(key, "expected a string, got " + object_[key].dump(), "expected a string");
        return object_[key].get<std::string>();
    }
    const Json& at(const std::string& key) const { return object_[key]; }
    const std::string& context() const { return context_; }

private:
    const Json& object_;
    std::string context_;
};

// Drug names in a patient's medication list, mapped onto the drug groups the model knows.
enum class DrugGroup {
    amiodarone,
    carbamazepine,
    phenytoin,
    rifampin,
    aspirin,
    acetaminophen,
    statin,
    azole,
    sulfonamide,
    macrolide,
    herbal
};

const std::map<std::string, DrugGroup>& drug_names() {
    static const std::map<std::string, DrugGroup> names = {
        {"amiodarone", DrugGroup::amiodarone},
        {"carbamazepine", DrugGroup::carbamazepine},
        {"phenytoin", DrugGroup::phenytoin},
        {"fosphenytoin", DrugGroup::phenytoin},
        {"rifampin", DrugGroup::rifampin},
        {"rifampicin", DrugGroup::rifampin},
        {"aspirin", DrugGroup::aspirin},
        {"acetylsalicylic acid", DrugGroup::aspirin},
        {"acetaminophen", DrugGroup::acetaminophen},
        {"paracetamol", DrugGroup::acetaminophen},
        {"simvastatin", DrugGroup::statin},
        {"atorvastatin", DrugGroup::statin},
        {"fluvastatin", DrugGroup::statin},
        {"lovastatin", DrugGroup::statin},
        {"pravastatin", DrugGroup::statin},
        {"rosuvastatin", DrugGroup::statin},
        {"cerivastatin", DrugGroup::statin},
        {"pitavastatin", DrugGroup::statin},
        {"fluconazole", DrugGroup::azole},
        {"itraconazole", DrugGroup::azole},
        {"ketoconazole", DrugGroup::azole},
        {"voriconazole", DrugGroup::azole},
        {"posaconazole", DrugGroup::azole},
        {"miconazole", DrugGroup::azole},
        {"sulfamethoxazole", DrugGroup::sulfonamide},
        {"trimethoprim-sulfamethoxazole", DrugGroup::sulfonamide},
        {"co-trimoxazole", DrugGroup::sulfonamide},
        {"cotrimoxazole", DrugGroup::sulfonamide},
        {"sulfadiazine", DrugGroup::sulfonamide},
        {"erythromycin", DrugGroup::macrolide},
        {"clarithromycin", DrugGroup::macrolide},
        {"azithromycin", DrugGroup::macrolide},
        {"herbal", DrugGroup::herbal},
        {"supplement", DrugGroup::herbal},
        {"vitamin", DrugGroup::herbal},
    };
    return names;
}

const std::map<std::string, Indication>& indication_names() {
    static const std::map<std::string, Indication> names = {
        {"dvt", indication_dvt},
        {"deep_vein_thrombosis", indication_dvt},
        {"pe", indication_pe},
        {"pulmonary_embolism", indication_pe},
        {"af", indication_af},
        {"atrial_fibrillation", indication_af},
        {"atrial_flutter", indication_af},
        {"heart_valve", indication_heart_valve},
        {"cardiomyopathy", indication_cardiomyopathy},
        {"stroke", indication_stroke},
        {"post_orthopedic", indication_post_orthopedic},
        {"other", indication_other},
    };
    return names;
}

void read_medications(const JsonPatientReader& reader, Patient& p) {
    if (!reader.present("medications")) return;  // not recorded: every drug stays missing
    const Json& list = reader.at("medications");
    if (!list.is_array()) reader.fail("medications", "expected a list of drug names");
    // A medication list is the complete list: a drug not on it is not taken.
    for (auto* drug :
         {&p.amiodarone, &p.carbamazepine, &p.phenytoin, &p.rifampin, &p.aspirin, &p.acetaminophen, &p.statin,
          &p.azole_antifungal, &p.sulfonamide_antibiotic, &p.macrolide_antibiotic, &p.herbal_supplement})
        *drug = false;
    for (const Json& item : list) {
        if (!item.is_string())
            reader.fail("medications", "expected drug names (strings), got " + item.dump(),
                        "expected drug names (strings)");
        const std::string name = lower(trim(item.get<std::string>()));
        auto it = drug_names().find(name);
        if (it == drug_names().end()) continue;  // a drug the model has no variable for
        switch (it->second) {
            case DrugGroup::amiodarone: p.amiodarone = true; break;
            case DrugGroup::carbamazepine: p.carbamazepine = true; break;
            case DrugGroup::phenytoin: p.phenytoin = true; break;
            case DrugGroup::rifampin: p.rifampin = true; break;
            case DrugGroup::aspirin: p.aspirin = true; break;
            case DrugGroup::acetaminophen: p.acetaminophen = true; break;
            case DrugGroup::statin: p.statin = true; break;
            case DrugGroup::azole: p.azole_antifungal = true; break;
            case DrugGroup::sulfonamide: p.sulfonamide_antibiotic = true; break;
            case DrugGroup::macrolide: p.macrolide_antibiotic = true; break;
            case DrugGroup::herbal: p.herbal_supplement = true; break;
        }
    }
}

void read_indications(const JsonPatientReader& reader, Patient& p) {
    if (!reader.present("indications")) return;
    const Json& list = reader.at("indications");
    if (!list.is_array()) reader.fail("indications", "expected a list of indications");
    unsigned bits = 0;
    for (const Json& item : list) {
        // Range-checked as a double: get<int>() would wrap 4294967297 round to 1.
        if (item.is_number_integer() && item.get<double>() >= 1 && item.get<double>() <= 8) {
            bits |= 1u << (item.get<int>() - 1);
        } else if (item.is_string() && indication_names().count(lower(trim(item.get<std::string>())))) {
            bits |= indication_names().at(lower(trim(item.get<std::string>())));
        } else {
            const std::string expected = "expected dvt, pe, atrial_fibrillation, heart_valve, cardiomyopathy, stroke, "
                                         "post_orthopedic, other, or IWPC codes 1-8";
            reader.fail("indications", "unknown indication " + item.dump() + " (" + expected + ")",
                        "unknown indication (" + expected + ")");
        }
    }
    if (bits) p.indications = bits;
}

void read_genotypes(const JsonPatientReader& reader, Patient& p) {
    if (!reader.present("genotypes")) return;
    const Json& g = reader.at("genotypes");
    if (!g.is_object()) reader.fail("genotypes", "expected an object");
    const std::string vkorc1_1639 = vkorc1_1639_snp.rsid, cyp4f2_star3 = cyp4f2_star3_snp.rsid,
                      rs12777823 = rs12777823_snp.rsid;
    const std::vector<std::string> known = {"CYP2C9", "VKORC1", vkorc1_1639, "CYP4F2", cyp4f2_star3, rs12777823};
    for (const auto& [key, value] : g.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end())
            reader.fail("genotypes." + key, "unknown genotype field (expected " + join(known, ", ") + ")");
        if (!value.is_null() && !value.is_string()) reader.fail("genotypes." + key, "expected a string or null");
    }
    auto text = [&](const std::string& key) {
        return g.contains(key) && g[key].is_string() ? g[key].get<std::string>() : std::string();
    };
    auto guarded = [&](const std::string& key, auto parse) {
        try {
            return parse();
        } catch (const InputError& e) {
            reader.fail("genotypes." + key, e.what(), public_reason(e));
        }
    };
    auto count = [&](const DoseSnp& snp) {
        return guarded(snp.rsid, [&] { return count_snp_alleles(text(snp.rsid), snp.reference, snp.counted); });
    };
    bool any = false;
    if (g.contains("CYP2C9")) {
        p.cyp2c9 = guarded("CYP2C9", [&] { return cyp2c9_from_diplotype(text("CYP2C9")); });
        any = any || p.cyp2c9.known();
    }
    if (g.contains("VKORC1") && g.contains(vkorc1_1639))
        reader.fail("genotypes", "give VKORC1 (-1639, gene strand) or " + vkorc1_1639 + " (plus strand), not both");
    if (g.contains("VKORC1")) {
        p.vkorc1.a_alleles = guarded("VKORC1", [&] { return vkorc1_1639_a_alleles(text("VKORC1")); });
    } else if (g.contains(vkorc1_1639)) {
        p.vkorc1.a_alleles = count(vkorc1_1639_snp);  // plus strand: C = -1639G, T = -1639A
    }
    if (p.vkorc1.a_alleles) {
        p.vkorc1.origin = Vkorc1Genotype::Origin::measured;
        any = true;
    } else {
        p.vkorc1.note = "VKORC1 -1639 not genotyped";
    }
    if (g.contains(cyp4f2_star3)) {
        p.cyp4f2_star3_alleles = count(cyp4f2_star3_snp);
    } else if (g.contains("CYP4F2")) {
        p.cyp4f2_star3_alleles = guarded("CYP4F2", [&]() -> std::optional<int> {
            const std::string t = text("CYP4F2");
            if (is_missing_text(t)) return std::nullopt;
            const auto [a, b] = split_diplotype(t);
            return int(a == "*3" || a == "*4") + int(b == "*3" || b == "*4");
        });
    }
    if (g.contains(rs12777823)) p.rs12777823_a_alleles = count(rs12777823_snp);
    if (any || p.cyp4f2_star3_alleles || p.rs12777823_a_alleles) p.genotype_source = GenotypeSource::patient_input;
}

// The optional "report" object: identifiers printed in the report only (docs/report-schema.md).
// Checked here so that every command that reads the patient refuses the same files.
std::map<std::string, std::string> read_report_fields(const JsonPatientReader& reader) {
    std::map<std::string, std::string> fields;
    if (!reader.present("report")) return fields;
    const Json& report = reader.at("report");
    if (!report.is_object()) reader.fail("report", "expected an object");
    const auto& known = report_field_names();
    for (const auto& [key, value] : report.items()) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            std::string list;
            for (const auto& name : known) list += (list.empty() ? "" : ", ") + name;
            const std::string message = "unknown (known: " + list + "; see docs/report-schema.md)";
            reader.fail("report." + key, message, message);
        }
        if (!value.is_string()) reader.fail("report." + key, "expected a string", "expected a string");
        if (value.get<std::string>().size() > max_text_field_bytes) {
            const std::string reason = "longer than " + std::to_string(max_text_field_bytes) + " bytes (" +
                                       std::to_string(value.get<std::string>().size()) + ")";
            reader.fail("report." + key, reason, reason);
        }
        try {
            check_report_field(key, value.get<std::string>());
        } catch (const InputError& e) {
            reader.fail("report." + key, e.what(), public_reason(e));
        }
        fields[key] = value.get<std::string>();
    }
    return fields;
}

Patient patient_from_json(const Json& object, const std::string& context, std::optional<double>& dose,
                          std::map<std::string, std::string>& report_fields) {
    static const std::set<std::string> known_keys = {
        "schema_version", "id",       "sample_id",     "age_years",         "age_band",  "height_cm",
        "weight_kg",      "sex",      "race",          "target_inr",        "smoker",    "indications",
        "medications",    "diabetes", "heart_failure", "valve_replacement", "genotypes", "observed_dose_mg_per_week",
        "report"};
    if (!object.is_object()) throw InputError(context + ": expected a patient object");
    for (const auto& [key, value] : object.items()) {
        if (!known_keys.count(key))
            throw InputError(context + ": unknown field '" + key + "' (see docs/patient-schema.md)");
    }
    JsonPatientReader reader(object, context);
    if (reader.present("schema_version")) {
        const Json& v = object["schema_version"];
        if (!(v == "1" || v == 1)) {
            const std::string message = "unsupported version " + v.dump() + " (expected \"1\")";
            reader.fail("schema_version", message, message);
        }
    }
    Patient p;
    p.id = trim(reader.string("id"));
    if (p.id.empty())
        reader.fail("id", "missing or empty (every patient needs an id)",
                    "missing or empty (every patient needs an id)");
    p.sample_id = trim(reader.string("sample_id"));
    for (const auto& [key, value] : {std::pair{"id", &p.id}, std::pair{"sample_id", &p.sample_id}})
        if (value->size() > max_identifier_bytes) {
            const std::string reason = "longer than " + std::to_string(max_identifier_bytes) + " bytes (" +
                                       std::to_string(value->size()) + ")";
            reader.fail(key, reason, reason);
        }

    if (reader.present("age_years") && reader.present("age_band"))
        reader.fail("age_years", "give age_years or age_band, not both", "give age_years or age_band, not both");
    if (reader.present("age_years")) {
        p.age_years = reader.number("age_years", field::check_age_years);
        p.age_decade = field::age_decade_from_years(*p.age_years);
    } else if (reader.present("age_band")) {
        try {
            p.age_decade = field::age_decade(reader.string("age_band"));
        } catch (const InputError& e) {
            reader.fail("age_band", e.what(), public_reason(e));
        }
    }
    p.height_cm = reader.number("height_cm", check_height);
    p.weight_kg = reader.number("weight_kg", check_weight);
    try {
        p.sex = field::sex(reader.string("sex"));
    } catch (const InputError& e) {
        reader.fail("sex", e.what(), public_reason(e));
    }
    try {
        p.race = field::race(reader.string("race"), true);
        p.race_recorded = trim(reader.string("race"));
    } catch (const InputError& e) {
        reader.fail("race", e.what(), public_reason(e));
    }
    p.target_inr = reader.number("target_inr", check_inr);
    p.smoker = reader.boolean("smoker");
    p.diabetes = reader.boolean("diabetes");
    p.heart_failure = reader.boolean("heart_failure");
    p.valve_replacement = reader.boolean("valve_replacement");
    read_indications(reader, p);
    read_medications(reader, p);
    read_genotypes(reader, p);
    report_fields = read_report_fields(reader);
    dose = reader.number("observed_dose_mg_per_week", check_dose);
    return p;
}

}  // namespace

std::vector<PatientRecord> parse_patient_json(const std::string& text, const std::string& name) {
    Json json = parse_checked_json<Json>(text, name);
    std::vector<const Json*> objects;
    if (json.is_array()) {
        for (const Json& item : json) objects.push_back(&item);
    } else if (json.is_object() && json.contains("patients")) {
        if (!json["patients"].is_array()) throw InputError(file_message(name, "\"patients\" is not a list"));
        for (const auto& [key, value] : json.items()) {
            if (key != "patients" && key != "schema_version")
                throw InputError(file_message(name, "unknown field '" + key + "' beside \"patients\""));
        }
        for (const Json& item : json["patients"]) objects.push_back(&item);
    } else {
        objects.push_back(&json);
    }
    if (objects.empty()) throw InputError(file_message(name, "no patients"));
    std::vector<PatientRecord> records;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        const std::string context = objects.size() == 1 && !json.is_array() && !json.contains("patients")
                                        ? name
                                        : file_message(name, "patient " + std::to_string(i + 1));
        PatientRecord record;
        record.patient = patient_from_json(*objects[i], context, record.dose_mg_per_week, record.report_fields);
        record.source = objects.size() == 1 ? file_message(name, "patient 1")
                                            : file_message(name, "patient " + std::to_string(i + 1));
        records.push_back(std::move(record));
    }
    check_unique_ids(records, name);
    return records;
}

std::vector<PatientRecord> read_patient_json(const std::string& path) {
    return parse_patient_json(read_text_file(path), path);
}

}  // namespace genodose::dosing
