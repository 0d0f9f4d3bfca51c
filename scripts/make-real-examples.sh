#!/usr/bin/env bash
# Labelled training examples from REAL reads: the bundled HG002 2x148 reads (~30x,
# chr20:10.0-10.1 Mb, bwa mem, hs37d5) with the GIAB v4.2.1 HG002 truth, at the full depth and
# downsampled to 20, 15, 10, 8 and 5x (samtools view -s, two seeds each below full depth), so the
# caller sees real error profiles, real low-fraction artifacts and real hets at skewed allele
# fractions at every depth it is scored at (models/caller.md, "Training data").
#
# The region is split by locus into two halves, because the NA12878 evaluation reads cover the
# same 100 kb (models/caller.md, "Protocol"):
#   first   20:10,000,000-10,049,850   (0-based BED; the fold boundary is 10,050,000)
#   second  20:10,050,150-10,100,000
# 150 bp on either side of the boundary are left out, so no training pileup (32 bp wide) reaches
# a locus of the other half. Examples of each (depth, seed, half) go to their own folder:
#   OUT/<replicate>/<half>/   replicate = d30 | d20_s1 | d20_s2 | ... | d5_s2
# A fold model trains on the folders of one half and is scored on the other half; the shipped
# model trains on both. The NA12878 reads are never used here.
#
# Usage: scripts/make-real-examples.sh OUT_DIR [THREADS]
# Environment: GENODOSE (default build/genodose), GENODOSE_SHARED_DATA (default ../shared/data).
# Idempotent: a folder with summary.json is kept. Exit 3 if an input file is missing.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: make-real-examples.sh OUT_DIR [THREADS]}
threads=${2:-2}
genodose=${GENODOSE:-$top/build/genodose}
data=${GENODOSE_SHARED_DATA:-$top/../shared/data}
bam=$data/hg002_chr20/HG002_NIST_150bp_downsampled_30x.chr20.10_10p1mb.bam
reference=$data/hg002_chr20/hs37d5.chr20.fa.gz
truth=$data/giab_v4.2.1_chr20/HG002_GIAB_v4.2.1_chr20_windows.vcf.gz
for f in "$bam" "$bam.bai" "$reference" "$reference.fai" "$truth" "$truth.tbi"; do
  [ -r "$f" ] || { echo "make-real-examples.sh: $f: missing or unreadable input file" >&2; exit 3; }
done
[ -x "$genodose" ] || { echo "make-real-examples.sh: $genodose: not built (scripts/build.sh)" >&2; exit 3; }

# replicate  fraction of the ~30x reads  samtools seed
REPLICATES='d30 1 0
d20_s1 0.667 11
d20_s2 0.667 12
d15_s1 0.5 21
d15_s2 0.5 22
d10_s1 0.333 31
d10_s2 0.333 32
d8_s1 0.267 41
d8_s2 0.267 42
d5_s1 0.167 51
d5_s2 0.167 52'

mkdir -p "$out/beds" "$out/reads"
printf '20\t10000000\t10049850\n' > "$out/beds/first.bed"
printf '20\t10050150\t10100000\n' > "$out/beds/second.bed"

while read -r replicate fraction seed; do
  reads=$bam
  if [ "$fraction" != 1 ]; then
    reads=$out/reads/$replicate.bam
    if [ ! -f "$reads.bai" ]; then
      samtools view -b -s "$seed${fraction#0}" -o "$reads.tmp" "$bam"
      mv "$reads.tmp" "$reads"
      samtools index "$reads"
    fi
  fi
  for half in first second; do
    folder=$out/$replicate/$half
    [ -f "$folder/summary.json" ] && continue
    "$genodose" --quiet make-examples --threads "$threads" --ref "$reference" --reads "$reads" --truth "$truth" \
      --regions "$out/beds/$half.bed" --output "$folder"
  done
done <<< "$REPLICATES"

# Examples per replicate and half, from each summary.json.
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
print("replicate\thalf\texamples\thom_ref\thet\thom_alt\tSNV candidate sensitivity\tindel")
for replicate in sorted(d for d in os.listdir(out) if d.startswith("d")):
    for half in ("first", "second"):
        path = os.path.join(out, replicate, half, "summary.json")
        s = json.load(open(path))
        labels = s["examples_per_class"]
        print(f"{replicate}\t{half}\t{s['examples']}\t{labels['hom_ref']}\t{labels['het']}\t{labels['hom_alt']}\t{s['candidate_sensitivity']['snv']:.3f}\t{s['candidate_sensitivity']['indel']:.3f}")
PY
