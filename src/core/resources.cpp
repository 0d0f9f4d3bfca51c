#include "genodose/core/resources.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "genodose/core/error.hpp"

namespace genodose {

std::vector<std::string> resource_search_roots() {
    namespace fs = std::filesystem;
    std::vector<std::string> roots;
    if (const char* configured = std::getenv("GENODOSE_DATA_DIR"); configured && *configured) roots.emplace_back(configured);
    std::error_code ec;
    const fs::path executable = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        roots.push_back((executable.parent_path().parent_path()).string());
        roots.push_back((executable.parent_path().parent_path() / "share" / "genodose").string());
    }
    roots.emplace_back(GENODOSE_SOURCE_DIR);
    return roots;
}

std::string find_resource(const std::string& relative_path) {
    std::string searched;
    for (const auto& root : resource_search_roots()) {
        const std::filesystem::path candidate = std::filesystem::path(root) / relative_path;
        std::error_code ec;
        if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
        searched += (searched.empty() ? "" : ", ") + root;
    }
    throw InputError(relative_path + ": not found under " + searched, "set GENODOSE_DATA_DIR to the genodose source or install folder");
}

}  // namespace genodose
