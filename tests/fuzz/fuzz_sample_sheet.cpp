// Fuzz target: the batch sample sheet reader (app/batch.hpp read_sample_sheet): header
// checks, tab-separated rows, the clinical columns turned into a patient JSON object, UTF-8.
// Checks on a successful read: at least one row; sample ids unique (rows that cannot be read
// are kept with an error instead); every readable row has exactly one of reads/vcf.
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_common.hpp"
#include "genodose/app/batch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    genodose::fuzz::quiet_logging();
    static const genodose::fuzz::ScratchFile file(".tsv");
    file.write(data, size);
    genodose::fuzz::expect_input_errors([&] {
        const auto rows = genodose::app::read_sample_sheet(file.path(), "/nonexistent-genodose-fuzz-output");
        GENODOSE_FUZZ_CHECK(!rows.empty(), "rows");
        std::set<std::string> ids;
        for (const auto& row : rows) {
            GENODOSE_FUZZ_CHECK(ids.insert(row.sample_id).second, "unique sample id " + row.sample_id);
            if (!row.error.empty()) continue;
            GENODOSE_FUZZ_CHECK(row.request.reads.empty() != row.request.vcf.empty(), "one of reads/vcf");
        }
    });
    return 0;
}
