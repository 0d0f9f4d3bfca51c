#!/usr/bin/env bash
# Chooses call --min-quality (the QUAL below which a non-reference call is LowQual) on the
# simulated VALIDATION data (never on the bundled NA12878 evaluation reads): calls the validation
# window of several simulated configurations with artifact reads, and prints F1 (SNP+INDEL) for
# a range of QUAL thresholds.
# Usage: benchmarks/caller/choose-min-quality.sh MODEL SIM_DIR [GENODOSE]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
model=$1
sim=$2
genodose=${3:-$top/build/genodose}
reference=${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}/chr20_windows.fa.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
configs="l100_d10 l100_d30 l150_d20 l150_d45"
for c in $configs; do
  "$genodose" --quiet call --threads 2 --min-quality 0 --model "$model" --ref "$reference" \
    --reads "$sim/$c/reads_with_paralogs.bam" --regions "$sim/truth/validation.bed" --output "$work/$c.vcf.gz"
done
echo "| QUAL threshold | $(for c in $configs; do printf '%s F1 | ' $c; done)mean F1 |"
echo "|---|$(for c in $configs; do printf -- '---|'; done)---|"
for threshold in 0 2 4 6 8 10 12 15 20 25 30; do
  line="| $threshold |"; total=0
  for c in $configs; do
    bcftools view -i "QUAL>=$threshold" -Oz -o "$work/$c.q.vcf.gz" "$work/$c.vcf.gz" && tabix -f -p vcf "$work/$c.q.vcf.gz"
    "$genodose" --quiet evaluate --truth "$sim/truth/validation.vcf.gz" --query "$work/$c.q.vcf.gz" --ref "$reference" \
      --regions "$sim/truth/validation.bed" --output-prefix "$work/$c.q" > /dev/null
    # SNP+INDEL F1 from the ALL rows (truth TP/FN, query FP).
    f1=$(awk -F, '$2=="ALL" && ($1=="SNP" || $1=="INDEL") {tp+=$4; fn+=$5; fp+=$7}
      END {r=tp/(tp+fn); p=(tp+fp)?tp/(tp+fp):0; printf "%.4f", (r+p)?2*r*p/(r+p):0}' "$work/$c.q.summary.csv")
    line="$line $f1 |"; total=$(python3 -c "print($total + $f1)")
  done
  echo "$line $(python3 -c "print(round($total / $(echo $configs | wc -w), 4))") |"
done
echo
echo "Command: benchmarks/caller/choose-min-quality.sh $model $sim"
