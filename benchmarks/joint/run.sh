#!/usr/bin/env bash
# Joint genotyping (`genodose joint`): merge time, peak memory and concordance with the
# per-sample calls for cohorts of 2, 10 and 50 gVCFs.
#
# The two real samples of /work/shared/data (NA12878 ~52x and HG002 ~30x, chr20:10.0-10.1 Mb) are
# called with `genodose call --gvcf` (HG002's contig renamed 20 -> chr20 so that both use the
# hg19 chr20 reference). A cohort of N is N copies of these two gVCFs, alternating, each renamed
# S1..SN (bcftools reheader). Concordance: every PASS non-reference call of each sample's own VCF
# must have the same genotype (as allele sequences) in the cohort VCF (concordance.py).
# A last row checks that memory does not grow with the length of the gVCFs: the 100 kb gVCFs
# tiled ten times along chr20 (positions shifted by 100 kb per copy: synthetic, 1 Mb per sample).
# Wall time and peak RSS from GNU time; each merge is run 3 times and the median is printed.
#
# Usage: benchmarks/joint/run.sh [GENODOSE] [DATA_DIR]
#   GENODOSE  genodose executable (default: build/genodose)
#   DATA_DIR  the shared data folder (default: /work/shared/data)
set -euo pipefail
GENODOSE=$(realpath "${1:-build/genodose}")
DATA=${2:-/work/shared/data}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
REF=$DATA/giab_chr20/chr20_windows.fa.gz
REGION=chr20:10000001-10100000

samtools view -H "$DATA/hg002_chr20/HG002_NIST_150bp_downsampled_30x.chr20.10_10p1mb.bam" | sed 's/SN:20\b/SN:chr20/' > "$WORK/header.sam"
samtools reheader "$WORK/header.sam" "$DATA/hg002_chr20/HG002_NIST_150bp_downsampled_30x.chr20.10_10p1mb.bam" > "$WORK/HG002.bam"
samtools index "$WORK/HG002.bam"
"$GENODOSE" call -q --threads 2 --ref "$REF" --reads "$DATA/giab_chr20/NA12878_S1.chr20.10_10p1mb.bam" --regions $REGION \
  --output "$WORK/NA12878.vcf.gz" --gvcf "$WORK/NA12878.g.vcf.gz"
"$GENODOSE" call -q --threads 2 --ref "$REF" --reads "$WORK/HG002.bam" --regions $REGION \
  --output "$WORK/HG002.vcf.gz" --gvcf "$WORK/HG002.g.vcf.gz"

# Tiled 1 Mb versions (synthetic, for the memory-vs-length row).
for base in NA12878 HG002; do
  { gzip -dc "$WORK/$base.g.vcf.gz" | grep '^#'
    for k in $(seq 0 9); do
      gzip -dc "$WORK/$base.g.vcf.gz" | grep -v '^#' | awk -v shift=$((k * 100000)) 'BEGIN { OFS = "\t" }
        { $2 += shift; if ($8 ~ /^END=/) { sub(/^END=/, "", $8); $8 = "END=" ($8 + shift) } print }'
    done; } | bgzip > "$WORK/$base.tiled.g.vcf.gz"
done

make_cohort() {  # make_cohort N SUFFIX: S1..SN gVCF copies; prints the list file
  local n=$1 suffix=$2 list=$WORK/cohort$1$2.txt
  : > "$list"
  for i in $(seq 1 "$n"); do
    local base=NA12878; [ $((i % 2)) -eq 0 ] && base=HG002
    echo "S$i" > "$WORK/name.txt"
    bcftools reheader -s "$WORK/name.txt" -o "$WORK/S$i$suffix.g.vcf.gz" "$WORK/$base$suffix.g.vcf.gz"
    echo "$WORK/S$i$suffix.g.vcf.gz" >> "$list"
  done
  echo "$list"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "| gVCFs | bp per gVCF | records in | sites out | multi-allelic | wall s (median of 3) | peak RSS MB (median of 3) | concordance |"
echo "|---|---|---|---|---|---|---|---|"
run_row() {  # run_row N SUFFIX LENGTH
  local n=$1 suffix=$2 length=$3 list
  list=$(make_cohort "$n" "$suffix")
  : > "$WORK/times.txt"
  for repeat in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$GENODOSE" joint --gvcf-list "$list" --output "$WORK/cohort.vcf.gz" 2> "$WORK/log.txt"
    cat "$WORK/time.txt" >> "$WORK/times.txt"
  done
  local seconds rss records sites multi concordance arguments=()
  seconds=$(awk '{ print $1 }' "$WORK/times.txt" | median)
  rss=$(awk '{ printf "%.1f\n", $2 / 1024 }' "$WORK/times.txt" | median)
  records=$(sed -n 's/.* from \([0-9]*\) gVCF records.*/\1/p' "$WORK/log.txt")
  sites=$(sed -n 's/.*joint: \([0-9]*\) sites.*/\1/p' "$WORK/log.txt")
  multi=$(sed -n 's/.*sites (\([0-9]*\) multi-allelic).*/\1/p' "$WORK/log.txt")
  if [ -z "$suffix" ]; then
    for i in $(seq 1 "$n"); do
      local base=NA12878; [ $((i % 2)) -eq 0 ] && base=HG002
      arguments+=("S$i=$WORK/$base.vcf.gz")
    done
    concordance=$(python3 "$HERE/concordance.py" "$WORK/cohort.vcf.gz" "${arguments[@]}" | sed -n 's/^total: //p')
  else
    concordance="(synthetic positions)"
  fi
  echo "| $n | $length | $records | $sites | $multi | $seconds | $rss | $concordance |"
}
run_row 2 "" 100000
run_row 10 "" 100000
run_row 50 "" 100000
run_row 10 .tiled 1000000
