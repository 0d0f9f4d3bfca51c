# `genodose evaluate` on the hand-made fixtures: outputs exist, hap.py columns, table on stdout,
# figures as designed (tests/data/evaluation/README.md), naming differences handled.
source "$(dirname "$0")/common.sh"
data="$SOURCE_DIR/tests/data/evaluation"
run() { "$GENODOSE" evaluate --truth "$data/truth.vcf.gz" --ref "$data/mini_ref.fa" "$@"; }

expect_exit 0 -- run --query "$data/query.vcf.gz" --regions "$data/confident.bed" -o "$SCRATCH/fixture" --write-decisions
for suffix in summary.csv metrics.json decisions.tsv; do
  [ -s "$SCRATCH/fixture.$suffix" ] && pass || fail "fixture.$suffix missing or empty"
done
header='Type,Filter,TRUTH.TOTAL,TRUTH.TP,TRUTH.FN,QUERY.TOTAL,QUERY.FP,QUERY.UNK,FP.gt,METRIC.Recall,METRIC.Precision,METRIC.Frac_NA,METRIC.F1_Score'
[ "$(head -1 "$SCRATCH/fixture.summary.csv")" = "$header" ] && pass || fail "summary.csv header differs from hap.py's"
[ "$(wc -l < "$SCRATCH/fixture.summary.csv")" -eq 5 ] && pass || fail "summary.csv should have 4 rows"
# Designed figures (confident BED): SNPs 11 truth, 8 TP (ALL); INDELs 5/5; 2 UNK; FP.gt 2.
expect_contains "$SCRATCH/fixture.summary.csv" "SNP,ALL,11,8,3,13,4,2,2,"
expect_contains "$SCRATCH/fixture.summary.csv" "SNP,PASS,11,7,4,11,3,2,2,"
expect_contains "$SCRATCH/fixture.summary.csv" "INDEL,ALL,5,5,0,5,0,0,0,1.000000,1.000000,0.000000,1.000000"
# The table on stdout carries the same rows.
expect_contains "$SCRATCH/stdout" "METRIC.F1_Score"
expect_contains "$SCRATCH/stdout" "SNP+INDEL"
grep -qE '^SNP +ALL +11 +8 +3 +13 +4 +2 +2 ' "$SCRATCH/stdout" && pass || fail "stdout table lacks the SNP ALL row"
expect_contains "$SCRATCH/fixture.metrics.json" '"genotype_strata"'
expect_contains "$SCRATCH/fixture.metrics.json" '"Genotype": "hetalt"'
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$SCRATCH/fixture.metrics.json" 2>/dev/null && pass \
  || { command -v python3 >/dev/null && fail "metrics.json is not valid JSON" || pass; }
expect_contains "$SCRATCH/fixture.decisions.tsv" $'chr20\t970\tA\tC\tQUERY\tSNP\thet\tPASS\tUNK\tUNK\t0'
# No temporary files left behind.
[ -z "$(find "$SCRATCH" -name '.*.tmp.*')" ] && pass || fail "temporary files left in the output folder"

# chr20 vs 20: a query spelled '20' gives the same summary; so does a reference + BED spelled '20'.
expect_exit 0 -- run --query "$data/query_20.vcf.gz" --regions "$data/confident.bed" -o "$SCRATCH/named20"
cmp -s "$SCRATCH/fixture.summary.csv" "$SCRATCH/named20.summary.csv" && pass || fail "query spelled '20' changes the summary"
expect_exit 0 -- "$GENODOSE" evaluate --truth "$data/truth.vcf.gz" --query "$data/query.vcf.gz" \
  --ref "$data/mini_ref_20.fa" --regions "$data/confident_20.bed" -o "$SCRATCH/ref20"
cmp -s "$SCRATCH/fixture.summary.csv" "$SCRATCH/ref20.summary.csv" && pass || fail "reference spelled '20' changes the summary"

# --target-regions restricts both sides: only the MNP window.
expect_exit 0 -- run --query "$data/query.vcf.gz" --target-regions chr20:301-400 -o "$SCRATCH/mnp"
expect_contains "$SCRATCH/mnp.summary.csv" "SNP,ALL,2,2,0,2,0,0,0,1.000000,1.000000,0.000000,1.000000"
expect_contains "$SCRATCH/mnp.summary.csv" "INDEL,ALL,0,0,0,0,0,0,0,,,,"

# Re-running over existing outputs replaces them.
expect_exit 0 -- run --query "$data/query.vcf.gz" --target-regions chr20:301-400 -o "$SCRATCH/fixture"
[ ! -e "$SCRATCH/fixture.decisions.tsv" ] && pass || fail "stale decisions.tsv from the earlier run kept"
expect_contains "$SCRATCH/fixture.summary.csv" "SNP,ALL,2,2,0,2,0,0,0,"
finish
