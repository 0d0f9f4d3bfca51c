// Shared by the fuzz harnesses (tests/fuzz/fuzz_*.cpp): a scratch file for readers that take a
// path, and the oracle. A harness lets only genodose's documented input errors (InputError,
// UsageError) pass; anything else (another exception type, InternalError, a broken invariant
// of the parsed result, a sanitizer report, a hang) is a bug and aborts, so that libFuzzer and
// the replay program (replay_main.cpp) both report it.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>
#include <typeinfo>

#include "genodose/core/error.hpp"
#include "genodose/core/logging.hpp"

namespace genodose::fuzz {

// Library warnings (e.g. "columns absent") would flood the output at thousands of runs per second.
inline void quiet_logging() {
    static const bool done = [] {
        log::set_level(log::Level::error);
        return true;
    }();
    (void)done;
}

[[noreturn]] inline void bug(const std::string& what) {
    std::fprintf(stderr, "genodose fuzz: BUG: %s\n", what.c_str());
    std::fflush(stderr);
    std::abort();
}

#define GENODOSE_FUZZ_CHECK(condition, what)                                              \
    do {                                                                                  \
        if (!(condition)) ::genodose::fuzz::bug(std::string(#condition) + ": " + (what)); \
    } while (0)

// One file per process (so parallel fuzzing jobs do not collide), rewritten for every input
// and removed when the process exits normally.
class ScratchFile {
public:
    explicit ScratchFile(const std::string& suffix) {
        const char* tmp = std::getenv("TMPDIR");
        path_ = std::string(tmp && *tmp ? tmp : "/tmp") + "/genodose-fuzz-" + std::to_string(::getpid()) + suffix;
    }
    ~ScratchFile() { std::remove(path_.c_str()); }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    const std::string& path() const { return path_; }
    void write(const std::uint8_t* data, std::size_t size) const {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
        out.close();
        if (!out) bug("cannot write scratch file " + path_);
    }

private:
    std::string path_;
};

// Runs `body`; returns true if it completed, false on an expected input error. Any other
// exception is a bug.
template <typename Body>
bool expect_input_errors(Body&& body) {
    try {
        body();
        return true;
    } catch (const InputError&) {
        return false;
    } catch (const UsageError&) {
        return false;
    } catch (const std::exception& e) {
        bug(std::string("unexpected exception ") + typeid(e).name() + " (not an InputError/UsageError): " + e.what());
    } catch (...) {
        bug("unexpected non-standard exception");
    }
}

}  // namespace genodose::fuzz
