// The genodose command line: parses arguments, runs one subcommand, and turns exceptions into
// one-line messages and the exit codes documented in README.md.
#pragma once

namespace genodose::cli {
int run(int argc, char** argv);
}  // namespace genodose::cli
