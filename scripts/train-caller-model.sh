#!/usr/bin/env bash
# Reproduces models/caller.cnn from scratch (see models/caller.md):
#   1. simulated training reads with truth (scripts/simulate-training-data.sh), with artifact
#      reads mixed in at 6-20% (scripts/simulate-artifact-reads.sh) so that low-fraction
#      candidates labelled hom-ref are represented, and diverged paralogous copies of 8 segments
#      per Mb added to the alignment reference with reads from the sample's copies of them
#      (scripts/simulate-paralog-reads.sh), so that low mapping quality, diluted true variants
#      and mismapped paralog reads are represented as in real segmental duplications,
#   2. labelled examples for every simulated configuration: training windows and the
#      validation window separately (genodose make-examples),
#   3. training with early stopping on the validation examples (genodose train-caller).
# The bundled NA12878 reads (chr20:10.0-10.1 Mb) are never used: they are for evaluation only.
#
# Usage: scripts/train-caller-model.sh [WORK_DIR] [OUTPUT_MODEL]
#   WORK_DIR      simulated data and examples (default: work/caller-training; several GB)
#   OUTPUT_MODEL  default: models/caller.cnn
# Environment: THREADS (default 2), SEED (default 1), EPOCHS (default 8), MAX_MINUTES (default 16),
#   GENODOSE (default: build/genodose, built by scripts/build.sh if missing).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$top/work/caller-training}
output=${2:-$top/models/caller.cnn}
threads=${THREADS:-2}
genodose=${GENODOSE:-$top/build/genodose}
[ -x "$genodose" ] || "$top/scripts/build.sh"
reference=${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}/chr20_windows.fa.gz

"$top/scripts/simulate-training-data.sh" --threads "$threads" "$work/simdata"
"$top/scripts/simulate-artifact-reads.sh" "$work/simdata" "$threads"
"$top/scripts/simulate-paralog-reads.sh" "$work/simdata" "$threads"

train_folders=()
validation_folders=()
while IFS=$'\t' read -r config _rest; do
  [ "$config" = "config" ] && continue
  bam=$work/simdata/$config/reads_with_paralogs.bam
  for part in train validation; do
    out=$work/examples/$config/$part
    if [ ! -f "$out/summary.json" ]; then
      "$genodose" make-examples --threads "$threads" --ref "$reference" --reads "$bam" \
        --truth "$work/simdata/truth/$part.vcf.gz" --regions "$work/simdata/truth/$part.bed" --output "$out"
    fi
  done
  train_folders+=("$work/examples/$config/train")
  validation_folders+=("$work/examples/$config/validation")
done < "$work/simdata/manifest.tsv"

"$genodose" train-caller --threads "$threads" --seed "${SEED:-1}" --epochs "${EPOCHS:-8}" --batch-size 128 \
  --max-minutes "${MAX_MINUTES:-16}" --examples "${train_folders[@]}" --validation "${validation_folders[@]}" \
  --output "$output"
echo "trained: $output (log: $output.log.tsv)" >&2
