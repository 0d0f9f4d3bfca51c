# Helpers sourced by the command-line tests: tests/cli/<name>.sh GENODOSE SOURCE_DIR
set -euo pipefail
GENODOSE=$1
SOURCE_DIR=$2
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
failures=0
checks=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { checks=$((checks + 1)); }

# expect_exit CODE -- command...: runs the command, checks its exit code; stderr kept in $SCRATCH/stderr
expect_exit() {
  local expected=$1; shift; [ "$1" = "--" ] && shift
  local status=0
  "$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" || status=$?
  if [ "$status" -ne "$expected" ]; then
    fail "expected exit $expected, got $status: $*"; sed 's/^/  stderr: /' "$SCRATCH/stderr" | head -5 >&2
  else pass; fi
}
expect_contains() {  # expect_contains FILE TEXT
  if grep -qF -- "$2" "$1"; then pass; else fail "$1 does not contain '$2'"; fi
}
expect_no_file() { if [ -e "$1" ]; then fail "$1 should not exist"; else pass; fi; }
finish() {
  echo "$checks passed, $failures failed"
  [ "$failures" -eq 0 ]
}
