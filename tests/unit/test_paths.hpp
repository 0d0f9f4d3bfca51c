// Paths of fixtures and scratch space for unit tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace genodose::test {

inline std::string data_path(const std::string& relative) { return std::string(GENODOSE_TEST_DATA) + "/" + relative; }

// A fresh empty folder under the system temp dir, removed when the object dies.
class ScratchFolder {
public:
    ScratchFolder() {
        std::string pattern = (std::filesystem::temp_directory_path() / "genodose-test-XXXXXX").string();
        path_ = mkdtemp(pattern.data()) ? pattern : std::string();
    }
    ~ScratchFolder() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

}  // namespace genodose::test
