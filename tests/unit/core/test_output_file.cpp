#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

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
    write_file_atomically(target, "{}\n");
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

TEST_CASE("temporary names cannot be hijacked with planted links", "[output][security]") {
    test::ScratchFolder scratch;
    const auto victim = scratch.file("victim.txt");
    std::ofstream(victim) << "someone else's file";
    ::chmod(victim.c_str(), 0644);
    // Links at every name of the old scheme (".<name>.tmp.<pid>.<counter>") for this process.
    const auto target = scratch.file("report.json");
    for (int counter = 0; counter < 2000; ++counter)
        fs::create_symlink(
            victim, scratch.file(".report.json.tmp." + std::to_string(getpid()) + "." + std::to_string(counter)));
    write_file_atomically(target, "{}\n");
    std::ifstream in(victim);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(content == "someone else's file");
    struct stat info {};
    REQUIRE(stat(victim.c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0644);
    REQUIRE(lstat(target.c_str(), &info) == 0);
    CHECK(S_ISREG(info.st_mode));
    CHECK((info.st_mode & 0777) == 0600);

    // The temporary is in a fresh private folder (0700), and is created, never opened: a link
    // planted at its name is refused.
    OutputTransaction transaction;
    const auto temporary = transaction.add(scratch.file("out.txt"));
    REQUIRE(stat(fs::path(temporary).parent_path().c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0700);
    CHECK(fs::path(temporary).parent_path() != fs::path(scratch.path()));
    fs::create_symlink(victim, temporary);
    CHECK(open_new_output_file(temporary, 0600) < 0);
    transaction.abandon();
    CHECK_FALSE(fs::exists(fs::path(temporary).parent_path()));
}

TEST_CASE("outputs are owner-only unless shared, whatever the umask", "[output][permissions]") {
    test::ScratchFolder scratch;
    const mode_t old = ::umask(022);
    write_file_atomically(scratch.file("private.txt"), "x");
    write_file_atomically(scratch.file("shared.txt"), "x", OutputPermissions::shared);
    ::umask(old);
    struct stat info {};
    REQUIRE(stat(scratch.file("private.txt").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0600);
    REQUIRE(stat(scratch.file("shared.txt").c_str(), &info) == 0);
    CHECK((info.st_mode & 0777) == 0644);
}
