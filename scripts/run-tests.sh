#!/usr/bin/env bash
# The README's test command: installs dependencies, builds, and runs the whole test suite
# (unit tests and command-line tests) with ctest. Prints ctest's summary line, then the reason of
# each skipped test (a test exits 77 after printing "SKIP: <why>").
# Usage: scripts/run-tests.sh [BUILD_DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$top/build}
"$top/scripts/build.sh" "$build_dir"
cd "$build_dir"
status=0
ctest --output-on-failure -j"${JOBS:-$(nproc)}" --timeout 900 || status=$?
# ctest lists skipped tests (exit 77) without their output: print each one's reason.
grep -h '^SKIP: ' Testing/Temporary/LastTest.log 2>/dev/null | sort -u || true
exit "$status"
