#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "../test_paths.hpp"
#include "genodose/core/error.hpp"
#include "genodose/core/output_file.hpp"

using namespace genodose;
namespace fs = std::filesystem;

namespace {
std::size_t files_in(const std::string& folder) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(folder), fs::directory_iterator()));
}
}  // namespace

TEST_CASE("outputs appear only on commit", "[output]") {
    test::ScratchFolder scratch;
    const auto target = scratch.file("out.txt");
    {
        OutputTransaction transaction;
        const auto temporary = transaction.add(target);
        CHECK(temporary != target);
        std::ofstream(temporary) << "content";
        CHECK_FALSE(fs::exists(target));
        transaction.commit();
    }
    CHECK(fs::exists(target));
    CHECK(files_in(scratch.path()) == 1);
}

TEST_CASE("an abandoned transaction leaves nothing, not even a stale older output", "[output]") {
    test::ScratchFolder scratch;
    const auto target = scratch.file("out.txt");
    std::ofstream(target) << "stale result of an earlier run";
    {
        OutputTransaction transaction;
        std::ofstream(transaction.add(target)) << "half";
        // no commit: an error happened
    }
    CHECK(files_in(scratch.path()) == 0);
}

TEST_CASE("unwritable or missing folders are output errors naming the path", "[output]") {
    OutputTransaction transaction;
    CHECK_THROWS_AS(transaction.add("/nonexistent-folder/x.txt"), OutputError);
    try {
        write_file_atomically("/nonexistent-folder/x.txt", "x");
    } catch (const OutputError& e) {
        CHECK(std::string(e.what()).find("/nonexistent-folder") != std::string::npos);
    }
}

TEST_CASE("write_file_atomically writes content with the requested permissions", "[output]") {
    test::ScratchFolder scratch;
    const auto target = scratch.file("report.json");
    write_file_atomically(target, "{}\n", 0600);
    std::ifstream in(target);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(content == "{}\n");
    struct stat info {};
    REQUIRE(stat(target.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
}

TEST_CASE("special files are never replaced", "[output]") {
    OutputTransaction transaction;
    CHECK_THROWS_AS(transaction.add("/dev/null"), OutputError);
    CHECK(fs::exists("/dev/null"));
}
