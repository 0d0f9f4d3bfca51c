#include "genodose/core/resources.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "genodose/core/error.hpp"

namespace genodose {

namespace fs = std::filesystem;

std::vector<std::string> resource_search_roots() {
    if (const char* configured = std::getenv("GENODOSE_DATA_DIR"); configured && *configured) {
        std::error_code ec;
        if (!fs::is_directory(configured, ec))
            throw InputError(file_message(configured, "GENODOSE_DATA_DIR is not a folder"),
                             "point GENODOSE_DATA_DIR at the genodose folder holding models/ and data/, or unset it");
        return {configured};
    }
    std::vector<std::string> roots;
    std::error_code ec;
    const fs::path executable = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        roots.push_back(executable.parent_path().parent_path().string());
        roots.push_back((executable.parent_path().parent_path() / "share" / "genodose").string());
    }
    roots.emplace_back(GENODOSE_SOURCE_DIR);
    return roots;
}

std::string find_resource(const std::string& relative_path) {
    std::string searched;
    for (const auto& root : resource_search_roots()) {
        const fs::path candidate = fs::path(root) / relative_path;
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate.string();
        searched += (searched.empty() ? "" : ", ") + root;
    }
    throw InputError(relative_path + ": not found under " + searched,
                     "set GENODOSE_DATA_DIR to the genodose folder holding models/ and data/");
}

std::string default_data_directory() {
    std::string searched;
    for (const auto& root : resource_search_roots()) {
        const fs::path candidate = fs::path(root) / "data";
        std::error_code ec;
        if (fs::is_directory(candidate / "reference", ec)) return candidate.string();
        searched += (searched.empty() ? "" : ", ") + candidate.string();
    }
    throw InputError("genodose data folder not found (tried " + searched + ")",
                     "set GENODOSE_DATA_DIR to the genodose folder holding models/ and data/");
}

}  // namespace genodose
