#!/usr/bin/env bash
# Adds artifact reads to simulated training BAMs, so the caller learns to reject low-fraction
# candidates (contamination, mismapped paralogous reads, systematic errors), which simulated
# reads alone almost never produce (see models/caller.md, "Training data").
#
# For each configuration of SIM_DIR/manifest.tsv: reads are simulated with art_illumina from an
# "artifact haplotype" (scripts/lib/artifact_haplotype.py: the reference windows with seeded
# differences the sample does not carry), at a fraction of the configuration's depth drawn from
# 6-20% (seeded per configuration), aligned with bwa mem and merged with the configuration's
# reads into SIM_DIR/<config>/reads_with_artifacts.bam (+ .bai). The truth VCFs are unchanged:
# artifact sites are hom-ref by construction (they are >= 30 bp from every truth variant).
#
# Usage: scripts/simulate-artifact-reads.sh SIM_DIR [THREADS]
# Needs scripts/simulate-training-data.sh to have run on SIM_DIR. Idempotent; seeded.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib/art_profile.sh"
. "$top/scripts/lib/align_pairs.sh"
sim=${1:?usage: simulate-artifact-reads.sh SIM_DIR [THREADS]}
threads=${2:-2}
artifacts=$sim/artifacts
mkdir -p "$artifacts"
if [ ! -f "$artifacts/artifact.fa" ]; then
  python3 "$top/scripts/lib/artifact_haplotype.py" "$sim/haplotypes/reference_windows.fa" \
    "$sim/truth/simulated_all.vcf.gz" 4242 "$artifacts/artifact.fa.tmp" "$artifacts/differences.tsv"
  mv "$artifacts/artifact.fa.tmp" "$artifacts/artifact.fa"
fi
tail -n +2 "${ARTIFACT_MANIFEST:-$sim/manifest.tsv}" | while IFS=$'\t' read -r config depth length profile fragment fragment_sd seed _rest; do
  out=$sim/$config/reads_with_artifacts.bam
  [ -f "$out.bai" ] && continue
  # Fraction of the configuration's depth: 6-20%, fixed by the configuration's seed. Real artifact
  # candidates thin out quickly above 20% allele fraction where MAPQ is high (HG002, models/caller.md);
  # the higher-fraction ones of segmental duplications come from simulate-paralog-reads.sh.
  fraction=$(python3 -c "import random; r=random.Random($seed + 7000); print(round(r.uniform(0.06, 0.20), 3))")
  coverage=$(python3 -c "print($depth * $fraction)")
  tmp=$sim/$config/artifacts.tmp
  mkdir -p "$tmp"
  art_illumina -q $(art_profile_args "$sim" "$profile") -i "$artifacts/artifact.fa" -p -l "$length" -f "$coverage" \
    -m "$fragment" -s "$fragment_sd" -rs $((seed + 7000)) -na -o "$tmp/artifact_" > "$tmp/art.log"
  # The configuration's aligner and sample (written by simulate-more-genomes.sh; default bwa mem, HG001_sim).
  aligner=$(cat "$sim/$config/aligner" 2>/dev/null || echo mem)
  sample=$(cat "$sim/$config/sample" 2>/dev/null || echo HG001_sim)
  align_pairs "$aligner" "$threads" "$sim/reference/chr20_windows.fa" "$tmp/artifact_1.fq" "$tmp/artifact_2.fq" \
      "@RG\tID:${config}_artifacts\tSM:$sample\tPL:ILLUMINA" 2> "$tmp/bwa.log" \
    | samtools sort -@ "$threads" -o "$tmp/artifacts.bam" -
  samtools merge -f -@ "$threads" -o "$tmp/merged.bam" "$sim/$config/reads.bam" "$tmp/artifacts.bam"
  samtools index "$tmp/merged.bam"
  mv "$tmp/merged.bam.bai" "$out.bai.tmp"
  mv "$tmp/merged.bam" "$out"
  mv "$out.bai.tmp" "$out.bai"
  echo -e "$config\t$fraction" >> "$artifacts/fractions.tsv"
  rm -rf "$tmp"
done
echo "artifact reads added: $(wc -l < "$artifacts/fractions.tsv") configurations" >&2
