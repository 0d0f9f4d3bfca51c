#!/usr/bin/env bash
# Builds the unit tests with AddressSanitizer + UndefinedBehaviorSanitizer (GENODOSE_SANITIZE=ON)
# and runs them. LibTorch training tests are left out (LibTorch is not built with ASan).
# Usage: scripts/run-sanitizer-tests.sh [BUILD_DIR]     (default: build-asan)
# Environment: GENODOSE_WERROR=ON fails the build on any compiler warning (CI sets it).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$top/build-asan}
"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGENODOSE_SANITIZE=ON \
  -DGENODOSE_WERROR="${GENODOSE_WERROR:-OFF}" >/dev/null
modules=(core io evaluation calling pgx dosing report app)
targets=()
for module in "${modules[@]}"; do [ -n "$(ls "$top/tests/unit/$module"/*.cpp 2>/dev/null)" ] && targets+=("test_$module"); done
# The parsers' fuzz corpora and saved crash inputs, replayed under the sanitizers too.
for target in $(sed -n "s/^set(GENODOSE_FUZZ_TARGETS \(.*\)/\1/p; s/^ *\([a-z_ ]*\))$/\1/p" "$top/tests/fuzz/targets.cmake"); do targets+=("fuzz_replay_$target"); done
cmake --build "$build_dir" -j"${JOBS:-$(nproc)}" --target "${targets[@]}"
cd "$build_dir"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# fontconfig's process-lifetime cache is not a genodose leak (see the file).
export LSAN_OPTIONS=suppressions=$top/tests/sanitizer/lsan.supp:print_suppressions=0
regex="^(unit_($(IFS='|'; echo "${modules[*]}"))|fuzz_replay_.*)\$"
ctest --output-on-failure -j"${JOBS:-$(nproc)}" -R "$regex"
