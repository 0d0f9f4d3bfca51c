#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang + ASan + UBSan and fuzzes each one for a
# bounded time, on a copy of its seed corpus in a scratch directory (the repository is not
# modified). Prints one line per target: executions, coverage, corpus size, wall time, result.
# Exit status: 0 when no target found a problem, 1 when one did (the input that triggers it is
# kept, and its path printed: copy it to tests/fuzz/regressions/<target>/ once the bug is
# fixed), 2 on a usage or build error.
#
# Usage: scripts/run-fuzz.sh [-t SECONDS] [-w WORK_DIR] [-b BUILD_DIR] [--no-build] [TARGET...]
#   -t SECONDS   fuzzing time per target (default 60; env GENODOSE_FUZZ_SECONDS)
#   -w WORK_DIR  scratch directory for corpora, crash inputs and logs (default: a new mktemp -d;
#                env GENODOSE_FUZZ_WORK); it is kept so that crash inputs and logs can be read
#   -b BUILD_DIR clang build directory (default: build-fuzz; env GENODOSE_FUZZ_BUILD_DIR)
#   --no-build   use the fuzz programs already in BUILD_DIR
#   TARGET       vcf_genotypes iwpc_csv patient_json regions pileup sample_sheet genotype_json
#                report_json report_render (default: all)
# Environment: JOBS (compile jobs, default 2), GENODOSE_FUZZ_TIMEOUT (seconds one input may
# take before it counts as a hang, default 10), GENODOSE_FUZZ_RSS_MB (memory limit, default 2048).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${GENODOSE_FUZZ_SECONDS:-60}
work=${GENODOSE_FUZZ_WORK:-}
build_dir=${GENODOSE_FUZZ_BUILD_DIR:-$top/build-fuzz}
per_input_timeout=${GENODOSE_FUZZ_TIMEOUT:-10}
rss_mb=${GENODOSE_FUZZ_RSS_MB:-2048}
build=1
all_targets=(vcf_genotypes iwpc_csv patient_json regions pileup sample_sheet genotype_json report_json report_render)
targets=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -t) seconds=${2:?}; shift 2 ;;
    -w) work=${2:?}; shift 2 ;;
    -b) build_dir=${2:?}; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage ;;
    -*) echo "run-fuzz: unknown option $1" >&2; usage ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $t "* ]] || { echo "run-fuzz: unknown target '$t' (${all_targets[*]})" >&2; exit 2; }
done
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || { echo "run-fuzz: -t needs a positive number of seconds" >&2; exit 2; }

# Maximum input length per target: room for the largest seed, small enough to keep runs fast.
max_len() {
  case "$1" in
    vcf_genotypes|iwpc_csv|genotype_json) echo 8192 ;;
    patient_json|pileup|sample_sheet) echo 4096 ;;
    report_json) echo 20000 ;;
    regions|report_render) echo 1024 ;;
  esac
}

if [ "$build" = 1 ]; then
  "$top/scripts/install-deps.sh" --with-fuzz
  # Everything (genodose's libraries too) is coverage-instrumented (fuzzer-no-link) and built
  # with ASan + UBSan; assertions stay on (no NDEBUG) so library assertions count as bugs.
  flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
  CC=clang-14 CXX=clang++-14 cmake -S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE=Fuzz \
    -DGENODOSE_FUZZ=ON -DGENODOSE_BUILD_TESTS=OFF \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >/dev/null ||
    { echo "run-fuzz: cmake configure failed in $build_dir" >&2; exit 2; }
  build_targets=()
  for t in "${targets[@]}"; do build_targets+=("fuzz_$t"); done
  cmake --build "$build_dir" -j"${JOBS:-2}" --target "${build_targets[@]}" >&2 ||
    { echo "run-fuzz: build failed" >&2; exit 2; }
fi

if [ -z "$work" ]; then work=$(mktemp -d "${TMPDIR:-/tmp}/genodose-fuzz.XXXXXX"); fi
mkdir -p "$work"
# The VCF and BED harnesses write each input to a file: on tmpfs that is ~3x faster than on disk.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  scratch_tmp=$(mktemp -d /dev/shm/genodose-fuzz.XXXXXX)
else
  scratch_tmp="$work/tmp"
  mkdir -p "$scratch_tmp"
fi
trap 'rm -rf "$scratch_tmp"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
# Process-wide caches of fontconfig/pango/GLib (report rendering) are not leaks: tests/fuzz/lsan.supp.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/fuzz/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
summary="$work/summary.tsv"
printf 'target\truns\tcov\tcorpus\tseconds\tresult\n' >"$summary"
for t in "${targets[@]}"; do
  program="$build_dir/tests/fuzz/fuzz_$t"
  [ -x "$program" ] || { echo "run-fuzz: $program not built" >&2; exit 2; }
  dir="$work/$t"
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  # Seeds and saved regression inputs, copied: libFuzzer adds new inputs to its first directory.
  find "$top/tests/fuzz/corpus/$t" "$top/tests/fuzz/regressions/$t" -maxdepth 1 -type f \
    ! -name '.*' ! -name 'README.md' -exec cp {} "$dir/corpus/" \;
  echo "run-fuzz: $t for ${seconds}s (log: $dir/fuzz.log)" >&2
  start=$(date +%s)
  set +e
  # The outer timeout is a safety net only: libFuzzer stops itself after -max_total_time.
  TMPDIR="$scratch_tmp" timeout --signal=INT --kill-after=30 $((seconds + 120)) \
    "$program" -max_total_time="$seconds" -timeout="$per_input_timeout" -rss_limit_mb="$rss_mb" \
    -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
    "$dir/corpus" >"$dir/fuzz.log" 2>&1
  code=$?
  set -e
  elapsed=$(($(date +%s) - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$dir/fuzz.log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  corpus=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
  found=$(find "$dir/artifacts" -type f | head -1)
  if [ "$code" -eq 0 ] && [ -z "$found" ]; then
    result=ok
  else
    status=1
    if [ -n "$found" ]; then result="FAILED: $found"; else result="FAILED: exit $code, see $dir/fuzz.log"; fi
    grep -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error:|genodose fuzz: BUG' "$dir/fuzz.log" |
      head -3 | sed 's/^/  /' >&2 || true
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "${runs:-?}" "${cov:-?}" "${corpus:-?}" "$elapsed" "$result" >>"$summary"
done

echo
column -t -s $'\t' "$summary"
echo "work directory: $work"
if [ "$status" -ne 0 ]; then
  echo "run-fuzz: a target FAILED. Reproduce with: $build_dir/tests/fuzz/fuzz_<target> <input>;" \
       "after the fix, copy the input to tests/fuzz/regressions/<target>/" >&2
fi
exit "$status"
