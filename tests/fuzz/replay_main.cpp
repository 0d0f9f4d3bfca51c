// Replays inputs through a fuzz target without libFuzzer (any compiler): every regular file in
// the given directories (not recursing; names starting with '.' and README.md skipped) or given
// directly is passed once to LLVMFuzzerTestOneInput. The harness aborts on a bug, so a zero
// exit means every input was handled. Fails when no input at all was found, so an emptied
// corpus cannot pass silently.
//
//   fuzz_replay_regions tests/fuzz/corpus/regions tests/fuzz/regressions/regions
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const fs::path path = argv[i];
        std::error_code error;
        if (fs::is_directory(path, error)) {
            for (const auto& entry : fs::directory_iterator(path)) {
                const std::string name = entry.path().filename().string();
                if (!entry.is_regular_file() || name.empty() || name[0] == '.' || name == "README.md") continue;
                inputs.push_back(entry.path());
            }
        } else if (fs::is_regular_file(path, error)) {
            inputs.push_back(path);
        } else {
            std::fprintf(stderr, "%s: not a file or directory\n", argv[i]);
            return 2;
        }
    }
    std::sort(inputs.begin(), inputs.end());
    if (inputs.empty()) {
        std::fprintf(stderr, "no inputs found\n");
        return 1;
    }
    for (const auto& path : inputs) {
        // Printed before running, so the input that crashes is the last one named.
        std::printf("replay %s\n", path.string().c_str());
        std::fflush(stdout);
        std::ifstream in(path, std::ios::binary);
        const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.good() && !in.eof()) {
            std::fprintf(stderr, "%s: read error\n", path.string().c_str());
            return 1;
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    }
    std::printf("%zu inputs replayed, no failure\n", inputs.size());
    return 0;
}
