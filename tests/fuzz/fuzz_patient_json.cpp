// Fuzz target: the patient JSON reader (dosing/patient_input.hpp parse_patient_json, the code
// behind read_patient_json and read_patients for JSON files): one patient, a list, or
// {"patients": [...]}, every field's type and range checks and the genotype strings, with the
// returned patients checked against the documented limits (patient_checks.hpp).
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "patient_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    genodose::fuzz::quiet_logging();
    const std::string text(reinterpret_cast<const char*>(data), size);
    genodose::fuzz::expect_input_errors(
        [&] { genodose::fuzz::check_patients(genodose::dosing::parse_patient_json(text, "fuzz.json")); });
    return 0;
}
