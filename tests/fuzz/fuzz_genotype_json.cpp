// Fuzz target: the genotype JSON reader (dosing/genotypes.hpp parse_genotype_json, behind
// `dose predict --genotypes`; `genodose run` shares its conversion, dose_genotypes): schema version, samples, genes, UTF-8
// and repeated keys. Checks on a successful parse: every sample has a name.
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "genodose/dosing/genotypes.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    genodose::fuzz::quiet_logging();
    const std::string text(reinterpret_cast<const char*>(data), size);
    genodose::fuzz::expect_input_errors([&] {
        for (const auto& sample : genodose::dosing::parse_genotype_json(text, "fuzz.json"))
            GENODOSE_FUZZ_CHECK(!sample.sample.empty(), "sample name");
    });
    return 0;
}
