// Reading patients: IWPC/PharmGKB-format CSV (the 67 original columns) and the project's
// patient JSON (docs/patient-schema.md).
//
//   std::vector<PatientRecord> rows = read_patients("iwpc.csv");   // format from the content
//
// Every error is an InputError whose one-line message names the file, the line (and the
// subject ID when there is one), the field and the offending value, e.g.
//   iwpc.csv: line 12 (PA1234): field 'Weight (kg)': weight must be > 0 kg, got '0'
#pragma once

#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "genodose/dosing/patient.hpp"

namespace genodose::dosing {

enum class PatientFormat { iwpc_csv, patient_json };

// JSON if the first non-blank character is '{' or '[', else CSV.
PatientFormat detect_patient_format(const std::string& path);

std::vector<PatientRecord> read_patients(const std::string& path);
std::vector<PatientRecord> read_iwpc_csv(const std::string& path);

// The records with a known dose, as parallel lists (for scoring or calibrating a model).
struct PatientsWithDose {
    std::vector<Patient> patients;
    std::vector<double> doses_mg_per_week;
};
PatientsWithDose patients_with_dose(const std::vector<PatientRecord>& records);
std::vector<PatientRecord> parse_iwpc_csv(std::istream& in, const std::string& name);
std::vector<PatientRecord> read_patient_json(const std::string& path);
std::vector<PatientRecord> parse_patient_json(const std::string& text, const std::string& name);

// The keys of the patient JSON's optional "report" object (printed in the report only; see
// docs/report-schema.md), and the subset a laboratory configuration file (--lab-config) may hold.
const std::vector<std::string>& report_field_names();
const std::vector<std::string>& lab_config_field_names();
// A calendar date YYYY-MM-DD that exists (no 30 February; leap years per the Gregorian rule).
bool is_calendar_date(const std::string& text);
// InputError (message without file name) if `value` is not acceptable for report key `key`:
// the date fields (date_of_birth, collection_date, received_date, signed_date) must be calendar dates.
void check_report_field(const std::string& key, const std::string& value);

// Field parsers shared by both formats. They throw InputError with a message that does not
// name the file (the callers add file, line and field).
namespace field {
// Ages given as a number of years must be > 0 and <= max_age_years, in every input format
// (IWPC CSV "Age", patient JSON "age_years" and a numeric "age_band").
constexpr double max_age_years = 120;
void check_age_years(double years);
// "50 - 59", "50-59", "90+", "10 - 19" -> decade (5, 9, 1); a plain number of years -> its
// decade (1 for under 20, capped at 9). Empty for "NA"/"".
std::optional<int> age_decade(const std::string& text);
// A plain number of years -> that number (range-checked); a band, "NA" or "" -> empty.
std::optional<double> age_years(const std::string& text);
// IWPC decade coding from age in years: 1 for 10-19 ... 9 for 90 and over.
int age_decade_from_years(double years);
// "White", "Asian", "Black or African American", "Unknown" (IWPC "Race (OMB)"), "NA"/"" ->
// Unknown. In patient JSON a few aliases are accepted (see docs/patient-schema.md).
Race race(const std::string& text, bool accept_aliases);
Sex sex(const std::string& text);
// "0"/"1" (CSV) -> false/true; "NA"/"" -> empty.
std::optional<bool> flag(const std::string& text);
// Decimal number; "NA"/"" -> empty.
std::optional<double> number(const std::string& text);
// "1", "3; 8", "1 or 2", "1,2" -> bit set of Indication; "NA"/"" -> empty.
std::optional<unsigned> indications(const std::string& text);
// "2-3", "2-3.5", "3.0-4.0" -> midpoint; a single number -> itself; "NA"/"" -> empty.
std::optional<double> inr_range_midpoint(const std::string& text);
}  // namespace field

}  // namespace genodose::dosing
