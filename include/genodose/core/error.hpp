// Typed errors for the whole library.
//
// Library code throws; only cli/ turns an Error into a one-line message and an exit code.
// Every message names the thing at fault (file, region, row) and, where it helps, what the
// user can do about it (help()).
#pragma once

#include <stdexcept>
#include <string>

namespace genodose {

// Exit codes documented in README.md ("Exit codes"); cli/ maps exceptions onto them.
enum class ExitCode : int {
    ok = 0,
    some_samples_failed = 1,  // batch: at least one sample failed, others completed
    usage = 2,                // bad command line
    bad_input = 3,            // an input file or value is missing, malformed or inconsistent
    output_failed = 4,        // an output could not be written (permissions, disk full)
    internal = 70,            // a bug: please report it (EX_SOFTWARE)
    interrupted = 130,        // SIGINT/SIGTERM: partial outputs were removed
};

class Error : public std::runtime_error {
public:
    Error(const std::string& what, std::string help = {}) : std::runtime_error(what), help_(std::move(help)) {}
    const std::string& help() const noexcept { return help_; }
    virtual ExitCode exit_code() const noexcept { return ExitCode::internal; }
    // The message for the log at the default verbosity: what() without patient data (see
    // PatientDataError); the CLI prints what() itself at debug level only.
    virtual std::string public_message() const { return what(); }

private:
    std::string help_;
};

// The command line itself is wrong (unknown option value, malformed region string).
class UsageError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const noexcept override { return ExitCode::usage; }
};

// An input is missing, unreadable, malformed or inconsistent with another input.
class InputError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const noexcept override { return ExitCode::bad_input; }
};

// An input error whose full message holds patient data (an identifier, a clinical value, a
// genotype). Logs at the default verbosity get `public_message` (file, line, field and the rule
// broken, never the value); what() — the full message — goes to debug lines and to outputs that
// hold patient data anyway (a batch's cohort.tsv).
class PatientDataError : public InputError {
public:
    PatientDataError(const std::string& message, std::string public_message, std::string help = {})
        : InputError(message, std::move(help)), public_message_(std::move(public_message)) {}
    std::string public_message() const override { return public_message_; }

private:
    std::string public_message_;
};

// An output could not be created, written, flushed or renamed into place.
class OutputError : public Error {
public:
    using Error::Error;
    ExitCode exit_code() const noexcept override { return ExitCode::output_failed; }
};

// A broken invariant inside genodose.
class InternalError : public Error {
public:
    using Error::Error;
};

// "path: message" — the one-line form every file-related error uses.
inline std::string file_message(const std::string& path, const std::string& message) { return path + ": " + message; }

}  // namespace genodose
