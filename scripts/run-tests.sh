#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, and runs the whole test suite
# (unit tests and command-line tests) with ctest. Prints ctest's summary line.
# Usage: scripts/run-tests.sh [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$top/build}
"$top/scripts/build.sh" "$build_dir"
cd "$build_dir"
ctest --output-on-failure -j"${JOBS:-$(nproc)}" --timeout 900
