// Fuzz target: the IWPC/PharmGKB CSV patient reader (dosing/patient_input.hpp parse_iwpc_csv,
// the code behind read_iwpc_csv and read_patients for CSV files): the RFC 4180 tokenizer, the
// header/column mapping and every field parser, with the returned patients checked against
// the documented limits (patient_checks.hpp).
#include <cstdint>
#include <sstream>
#include <string>

#include "fuzz_common.hpp"
#include "genodose/dosing/patient_input.hpp"
#include "patient_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    genodose::fuzz::quiet_logging();
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    genodose::fuzz::expect_input_errors(
        [&] { genodose::fuzz::check_patients(genodose::dosing::parse_iwpc_csv(in, "fuzz.csv")); });
    return 0;
}
