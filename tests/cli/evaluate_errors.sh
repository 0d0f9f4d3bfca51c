# `genodose evaluate`: documented exit codes, one-line messages naming the file, no partial or
# stale outputs on failure.
source "$(dirname "$0")/common.sh"
data="$SOURCE_DIR/tests/data/evaluation"
out="$SCRATCH/run"
no_outputs() { expect_no_file "$out.summary.csv"; expect_no_file "$out.metrics.json"; }
one_line() { [ "$(grep -c 'error' "$SCRATCH/stderr")" -eq 1 ] && pass || fail "error is not one line"; }
eval_args=(evaluate --truth "$data/truth.vcf.gz" --ref "$data/mini_ref.fa")

# Usage errors: 2.
expect_exit 2 -- "$GENODOSE" evaluate --truth "$data/truth.vcf.gz" --query "$data/query.vcf.gz" -o "$out"   # no --ref
expect_exit 2 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query.vcf.gz"                                # no prefix
expect_exit 2 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query.vcf.gz" --target-regions chr20:50-10 -o "$out"
no_outputs

# A good run first, so that the failures below also show that stale outputs are not left.
expect_exit 0 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query.vcf.gz" -o "$out"

# Bad input: 3.
expect_exit 3 -- "$GENODOSE" "${eval_args[@]}" --query "$SCRATCH/absent.vcf.gz" -o "$out"
expect_contains "$SCRATCH/stderr" "absent.vcf.gz"; one_line
no_outputs   # the good run's outputs are gone too: never left looking current
expect_exit 3 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query_noindex.vcf.gz" -o "$out"
expect_contains "$SCRATCH/stderr" "query_noindex.vcf.gz"; expect_contains "$SCRATCH/stderr" "index"; one_line
no_outputs
cp "$data/mini_ref.fa" "$SCRATCH/ref_without_fai.fa"
expect_exit 3 -- "$GENODOSE" evaluate --truth "$data/truth.vcf.gz" --query "$data/query.vcf.gz" --ref "$SCRATCH/ref_without_fai.fa" -o "$out"
expect_contains "$SCRATCH/stderr" "ref_without_fai.fa"
expect_exit 3 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query.vcf.gz" --regions "$SCRATCH/absent.bed" -o "$out"
expect_contains "$SCRATCH/stderr" "absent.bed"
# An empty BED (no interval) is an error, not an empty table.
printf '# header only\n' > "$SCRATCH/empty.bed"
expect_exit 3 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query.vcf.gz" --regions "$SCRATCH/empty.bed" -o "$out"
expect_contains "$SCRATCH/stderr" "no interval"
printf 'chr20\tten\t20\n' > "$SCRATCH/bad.bed"
expect_exit 3 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query.vcf.gz" --regions "$SCRATCH/bad.bed" -o "$out"
expect_contains "$SCRATCH/stderr" "bad.bed"; expect_contains "$SCRATCH/stderr" "line 1"
expect_exit 3 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query.vcf.gz" --query-sample NOBODY -o "$out"
expect_contains "$SCRATCH/stderr" "NOBODY"
printf 'not a vcf\n' | bgzip > "$SCRATCH/garbage.vcf.gz" 2>/dev/null || printf 'not a vcf\n' > "$SCRATCH/garbage.vcf.gz"
expect_exit 3 -- "$GENODOSE" "${eval_args[@]}" --query "$SCRATCH/garbage.vcf.gz" -o "$out"
expect_contains "$SCRATCH/stderr" "garbage.vcf.gz"
no_outputs

# Output cannot be written: 4, before any work.
expect_exit 4 -- "$GENODOSE" "${eval_args[@]}" --query "$data/query.vcf.gz" -o "$SCRATCH/no/such/dir/run"
expect_contains "$SCRATCH/stderr" "no/such/dir"
finish
