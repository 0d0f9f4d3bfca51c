#!/usr/bin/env bash
# How mapping quality looks in a BAM: the share of primary reads per MAPQ class, and the share
# of positions (depth >= 10) by the fraction of their reads below MAPQ 60. Compares simulated
# training BAMs with real ones; the aligner sets these numbers as much as the genome does
# (bwa aln/sampe gives unique reads MAPQ 37 or 29, bwa mem gives them 60).
# Usage: benchmarks/caller/mapq-profile.sh BAM REGION [BAM REGION]...   (REGION as samtools takes it)
set -euo pipefail
[ $# -ge 2 ] && [ $(($# % 2)) -eq 0 ] || { echo "usage: mapq-profile.sh BAM REGION [BAM REGION]..." >&2; exit 2; }
arguments="$*"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| BAM | aligner (@PG) | reads MAPQ 60 | 37 | 29 | other 1-59 | 0 | positions with no read below 60 | < 5% | 5-15% | 15-30% | >= 30% |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
while [ $# -gt 0 ]; do
  bam=$1 region=$2
  shift 2
  # first @PG line: program, version and, where the command line is recorded, bwa's subcommand
  aligner=$(samtools view -H "$bam" | awk -F'\t' '$1 == "@PG" { for (i = 2; i <= NF; i++) { if ($i ~ /^(PN|VN):/) v = v substr($i, 4) " "
      if ($i ~ /^CL:/) { split(substr($i, 4), w, " "); c = w[2] } } print v c; exit }')
  reads=$(samtools view -F 0xF04 "$bam" "$region" | awk '{ m = $5; k = (m == 60) ? 1 : (m == 37) ? 2 : (m == 29) ? 3 : (m == 0) ? 5 : 4; c[k]++; n++ }
    END { for (k = 1; k <= 5; k++) printf "%.2f%% | ", 100 * c[k] / n }')
  samtools depth -a -r "$region" -Q 0 "$bam" > "$work/all.txt"
  samtools depth -a -r "$region" -Q 60 "$bam" > "$work/q60.txt"
  positions=$(paste "$work/all.txt" "$work/q60.txt" | awk '$3 >= 10 { f = 1 - $6 / $3; k = (f == 0) ? 1 : (f < 0.05) ? 2 : (f < 0.15) ? 3 : (f < 0.3) ? 4 : 5; c[k]++; n++ }
    END { for (k = 1; k <= 5; k++) printf "%.1f%% | ", 100 * c[k] / n }')
  echo "| $(basename "$bam") $region | ${aligner% } | $reads$positions"
done
echo
echo "Command: benchmarks/caller/mapq-profile.sh $arguments"
