#!/usr/bin/env bash
# Compares caller models on the bundled real NA12878 reads (chr20:10,000,001-10,100,000, GIAB
# v3.3.2) at full depth (~52x) and on the downsampled copies of accuracy-and-speed.sh (same
# seeds): per model and depth, SNP and indel F1 with TP/FN/FP (PASS calls, whole 100 kb), the
# F1 over all alleles, and the sum of errors. For choosing between candidate models: the
# bundled reads are validation and evaluation data, never training data, and a model chosen on
# them has optimistic figures here.
# Usage: benchmarks/caller/compare-models.sh GENODOSE MODEL [MODEL...]   (prints a Markdown table)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
genodose=$(realpath "${1:?usage: compare-models.sh GENODOSE MODEL [MODEL...]}")
shift
[ $# -ge 1 ] || { echo "compare-models.sh: no model given" >&2; exit 2; }
data=$(realpath "${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
truth=$data/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz
gzip -dc "$data/chr20_windows.fa.gz" > "$work/ref.fa"
samtools faidx "$work/ref.fa"
printf 'chr20\t10000000\t10100000\n' > "$work/region.bed"
declare -A fraction=([52x]="" [30x]=0.577 [15x]=0.288 [8x]=0.154)
for depth in 52x 30x 15x 8x; do
  if [ -z "${fraction[$depth]}" ]; then
    cp "$data/NA12878_S1.chr20.10_10p1mb.bam" "$work/$depth.bam"
  else
    samtools view -b -s "42${fraction[$depth]#0}" -o "$work/$depth.bam" "$data/NA12878_S1.chr20.10_10p1mb.bam"
  fi
  samtools index "$work/$depth.bam"
done

echo "| model | depth | SNP F1 | SNP TP/FN/FP | INDEL F1 | INDEL TP/FN/FP | F1 all alleles | errors (FN+FP) |"
echo "|---|---|---|---|---|---|---|---|"
n=0
for model in "$@"; do
  n=$((n + 1))
  for depth in 52x 30x 15x 8x; do
    "$genodose" --quiet call --threads 2 --model "$model" --ref "$work/ref.fa" --reads "$work/$depth.bam" \
      --regions chr20:10000001-10100000 --output "$work/m$n.$depth.vcf.gz"
    "$genodose" --quiet evaluate --truth "$truth" --query "$work/m$n.$depth.vcf.gz" --ref "$work/ref.fa" \
      --target-regions "$work/region.bed" --output-prefix "$work/m$n.$depth" > /dev/null
    python3 - "$work/m$n.$depth.summary.csv" "$model" "$depth" <<'PY'
import csv, sys
rows = {(r["Type"], r["Filter"]): r for r in csv.DictReader(open(sys.argv[1]))}
snp, indel = rows[("SNP", "PASS")], rows[("INDEL", "PASS")]
tp = int(snp["TRUTH.TP"]) + int(indel["TRUTH.TP"])
fn = int(snp["TRUTH.FN"]) + int(indel["TRUTH.FN"])
fp = int(snp["QUERY.FP"]) + int(indel["QUERY.FP"])
counts = lambda r: f'{r["TRUTH.TP"]}/{r["TRUTH.FN"]}/{r["QUERY.FP"]}'
print(f'| {sys.argv[2]} | {sys.argv[3]} | {float(snp["METRIC.F1_Score"]):.4f} | {counts(snp)} | '
      f'{float(indel["METRIC.F1_Score"]):.4f} | {counts(indel)} | {2 * tp / (2 * tp + fn + fp):.4f} | {fn + fp} |')
PY
  done
done
echo
echo "Command: benchmarks/caller/compare-models.sh GENODOSE $*"
