#include "genodose/pgx/data_directory.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "genodose/core/error.hpp"

namespace genodose {

namespace fs = std::filesystem;

namespace {

// The source tree this file was compiled from. CMake passes absolute source paths to the
// compiler, so __FILE__ is "<source>/src/pgx/data_directory.cpp"; three parent_path() calls give
// <source>. Empty if the path is relative (a build system that rewrites __FILE__).
fs::path compiled_source_directory() {
    const fs::path this_file(__FILE__);
    if (!this_file.is_absolute()) return {};
    return this_file.parent_path().parent_path().parent_path();
}

fs::path executable_directory() {
    std::error_code error;
    const fs::path exe = fs::read_symlink("/proc/self/exe", error);
    if (error) return {};
    return exe.parent_path();
}

}  // namespace

std::string default_data_directory() {
    if (const char* env = std::getenv("GENODOSE_DATA_DIR"); env && *env) {
        std::error_code error;
        if (!fs::is_directory(env, error))
            throw InputError(file_message(env, "GENODOSE_DATA_DIR is not a folder"),
                             "point GENODOSE_DATA_DIR at genodose's data/ folder, or unset it");
        return env;
    }
    std::vector<fs::path> tried;
    if (const fs::path exe_dir = executable_directory(); !exe_dir.empty())
        tried.push_back(exe_dir / ".." / "share" / "genodose" / "data");
    if (const fs::path source = compiled_source_directory(); !source.empty()) tried.push_back(source / "data");
    std::string list;
    for (const auto& candidate : tried) {
        std::error_code error;
        if (fs::is_directory(candidate / "reference", error)) {
            const fs::path canonical = fs::weakly_canonical(candidate, error);
            return (error || canonical.empty() ? candidate : canonical).string();
        }
        list += (list.empty() ? "" : ", ") + candidate.string();
    }
    throw InputError("genodose data folder not found (tried " + (list.empty() ? std::string("nothing") : list) + ")",
                     "set GENODOSE_DATA_DIR to genodose's data/ folder");
}

namespace pgx {

std::string pgx_data_directory(const std::string& data_directory) {
    return (fs::path(data_directory) / "reference" / "pgx").string();
}

}  // namespace pgx
}  // namespace genodose
