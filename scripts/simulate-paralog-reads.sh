#!/usr/bin/env bash
# Adds segmental-duplication realism to the simulated training BAMs: diverged paralogous copies
# of segments of the windows (scripts/lib/paralog_copies.py) are added to the alignment
# reference, as the real genome carries them, and reads simulated from the sample's own copies
# of those paralogs are mixed in. All reads near the segments are then aligned again against
# the reference with the paralogs, so that reads of both copies get the mapping qualities bwa
# gives in real segmental duplications (MAPQ 0 where a read fits both copies equally), true
# variants there are supported by low-MAPQ reads and diluted by the other copy, and paralog
# reads that fit the segment better are mismapped onto it (low-fraction, low-MAPQ candidates
# whose label is, correctly, hom-ref). See models/caller.md, "Training data".
#
# For each configuration of SIM_DIR/manifest.tsv: art_illumina reads from each sample copy of
# the paralogs at DEPTH/2 (like the main simulation), with the configuration's profile, length,
# fragment size and seed + 9000; the reads of SIM_DIR/<config>/reads_with_artifacts.bam that
# lie within 1 kb of a segment (both mates) are turned back into FASTQ and aligned again with
# them (bwa mem); everything else is kept as it was. Output: SIM_DIR/<config>/reads_with_paralogs.bam
# (+ .bai). Truth VCFs are unchanged: the sample's haplotypes at the segments are unchanged.
#
# Usage: scripts/simulate-paralog-reads.sh SIM_DIR [THREADS]
# Needs scripts/simulate-training-data.sh and scripts/simulate-artifact-reads.sh to have run on
# SIM_DIR. Idempotent; seeded (PARALOG_SEED, default 777; PARALOG_SEGMENTS_PER_MB, default 8).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib/art_profile.sh"
. "$top/scripts/lib/align_pairs.sh"
sim=${1:?usage: simulate-paralog-reads.sh SIM_DIR [THREADS]}
threads=${2:-2}
seed=${PARALOG_SEED:-777}
per_mb=${PARALOG_SEGMENTS_PER_MB:-8}
paralogs=$sim/paralogs
mkdir -p "$paralogs"

if [ ! -f "$paralogs/reference/with_paralogs.fa.sa" ]; then
  cat "$sim/truth/train.bed" "$sim/truth/validation.bed" > "$paralogs/regions.bed"
  python3 "$top/scripts/lib/paralog_copies.py" "$sim/haplotypes/reference_windows.fa" \
    "$paralogs/regions.bed" "$seed" "$per_mb" "$paralogs" 2> "$paralogs/paralog_copies.log"
  awk 'BEGIN { OFS = "\t" } { s = $2 - 1000; if (s < 0) s = 0; print $1, s, $3 + 1000 }' \
    "$paralogs/segments.bed" > "$paralogs/segments_padded.bed"
  mkdir -p "$paralogs/reference"
  cat "$sim/reference/chr20_windows.fa" "$paralogs/paralog_reference.fa" > "$paralogs/reference/with_paralogs.fa"
  samtools faidx "$paralogs/reference/with_paralogs.fa"
  bwa index "$paralogs/reference/with_paralogs.fa" 2> "$paralogs/reference/bwa_index.log"
fi
reference=$paralogs/reference/with_paralogs.fa

tail -n +2 "${PARALOG_MANIFEST:-$sim/manifest.tsv}" | while IFS=$'\t' read -r config depth length profile fragment fragment_sd config_seed _rest; do
  out=$sim/$config/reads_with_paralogs.bam
  [ -f "$out.bai" ] && continue
  tmp=$sim/$config/paralogs.tmp
  rm -rf "$tmp"
  mkdir -p "$tmp"
  fold=$(awk -v d="$depth" 'BEGIN { printf "%g", d / 2 }')
  for copy in 1 2; do
    art_illumina -q $(art_profile_args "$sim" "$profile") -i "$paralogs/paralog_hap$copy.fa" -p -l "$length" -f "$fold" \
      -m "$fragment" -s "$fragment_sd" -rs $((config_seed + 9000 + copy)) -na -o "$tmp/p${copy}_" > "$tmp/art$copy.log"
  done
  # Reads near the segments (both mates, by name) are aligned again; the rest are kept.
  samtools view -L "$paralogs/segments_padded.bed" "$sim/$config/reads_with_artifacts.bam" | cut -f1 | sort -u > "$tmp/names.txt"
  samtools view -h "$sim/$config/reads_with_artifacts.bam" | python3 -c '
import sys
names = set(line.rstrip("\n") for line in open(sys.argv[1]))
near, rest = open(sys.argv[2], "w"), open(sys.argv[3], "w")
for line in sys.stdin:
    if line.startswith("@"):
        near.write(line); rest.write(line)
    elif line.split("\t", 1)[0] in names:
        near.write(line)
    else:
        rest.write(line)
' "$tmp/names.txt" "$tmp/near.sam" "$tmp/rest.sam"
  samtools view -b -o "$tmp/rest.bam" "$tmp/rest.sam"
  samtools collate -u -O "$tmp/near.sam" "$tmp/collate" | samtools fastq -1 "$tmp/near_1.fq" -2 "$tmp/near_2.fq" \
    -0 /dev/null -s /dev/null -n - 2> "$tmp/fastq.log"
  cat "$tmp/near_1.fq" "$tmp/p1_1.fq" "$tmp/p2_1.fq" > "$tmp/all_1.fq"
  cat "$tmp/near_2.fq" "$tmp/p1_2.fq" "$tmp/p2_2.fq" > "$tmp/all_2.fq"
  # With the configuration's aligner and sample (simulate-more-genomes.sh; default bwa mem, HG001_sim).
  aligner=$(cat "$sim/$config/aligner" 2>/dev/null || echo mem)
  sample=$(cat "$sim/$config/sample" 2>/dev/null || echo HG001_sim)
  align_pairs "$aligner" "$threads" "$reference" "$tmp/all_1.fq" "$tmp/all_2.fq" \
      "@RG\tID:${config}_paralogs\tSM:$sample\tPL:ILLUMINA" 2> "$tmp/bwa.log" \
    | samtools sort -@ "$threads" -o "$tmp/realigned.bam" -
  samtools merge -f -@ "$threads" -o "$tmp/merged.bam" "$tmp/realigned.bam" "$tmp/rest.bam"
  samtools index "$tmp/merged.bam"
  {
    printf '%s\t%s\t%s\t%s\n' "$config" "$(wc -l < "$tmp/names.txt")" "$(( $(wc -l < "$tmp/p1_1.fq") / 4 + $(wc -l < "$tmp/p2_1.fq") / 4 ))" \
      "$(samtools view -c -q 30 "$tmp/realigned.bam")/$(samtools view -c "$tmp/realigned.bam")"
  } >> "$paralogs/counts.tsv"
  mv "$tmp/merged.bam.bai" "$out.bai.tmp"
  mv "$tmp/merged.bam" "$out"
  mv "$out.bai.tmp" "$out.bai"
  rm -rf "$tmp"
done
echo "paralog reads added: $(wc -l < "$paralogs/counts.tsv") configurations (config, pairs realigned, paralog pairs, realigned records MAPQ>=30/all)" >&2
