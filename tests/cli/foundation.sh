# The CLI's shape: help, version, exit codes of stubs and usage errors.
source "$(dirname "$0")/common.sh"

expect_exit 0 -- "$GENODOSE" --help
for sub in call make-examples train-caller evaluate genotype dose run batch report; do
  expect_contains "$SCRATCH/stdout" "  $sub"
done
expect_exit 0 -- "$GENODOSE" --version
expect_contains "$SCRATCH/stdout" "genodose "
expect_contains "$SCRATCH/stdout" "htslib "
expect_contains "$SCRATCH/stdout" "LibTorch "
expect_contains "$SCRATCH/stdout" "XGBoost "
expect_exit 2 -- "$GENODOSE" --no-such-option
expect_exit 2 -- "$GENODOSE" no-such-command
expect_exit 2 -- "$GENODOSE" --threads 0
# A usage error is one line on stderr naming the problem (plus an optional hint line).
expect_exit 2 -- "$GENODOSE" --threads abc
[ "$(grep -c 'error' "$SCRATCH/stderr")" -eq 1 ] && pass || fail "usage error is not one line"
finish
