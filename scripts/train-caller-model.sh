#!/usr/bin/env bash
# Trains the caller CNN from scratch (see models/caller.md); the steps of the full (real-reads) recipe:
#   1. simulated training reads with truth (scripts/simulate-training-data.sh: HG001, bwa mem,
#      ART HiSeq profiles) and more configurations from three more real genomes (HG002, HG003,
#      HG004), with bwa aln/sampe as well as bwa mem and a read-quality profile fitted to the real
#      HG002 reads (scripts/simulate-more-genomes.sh); artifact reads mixed in at 6-20%
#      (scripts/simulate-artifact-reads.sh) so that low-fraction candidates labelled hom-ref are
#      represented, and diverged paralogous copies of 8 segments per Mb added to the alignment
#      reference with reads from the sample's copies of them (scripts/simulate-paralog-reads.sh);
#   2. labelled examples for every simulated configuration: training windows and the
#      validation window separately (genodose make-examples);
#   3. labelled examples from the real HG002 reads of chr20:10.0-10.1 Mb at 30x and downsampled
#      to 20/15/10/8/5x, per half of the region (scripts/make-real-examples.sh);
#   4. training with early stopping on the simulated validation examples (genodose train-caller),
#      every real example folder passed REAL_WEIGHT times.
# The bundled NA12878 reads are never used: they are for evaluation only.
#
# Three recipes (RECIPE):
#   simulated   the recipe of the base model models/caller-base.cnn.torch.pt (session 8): steps
#               1-2 for the ten HG001 configurations of simulate-training-data.sh only, 8 epochs,
#               raw softmax (--no-calibration). The base file was trained before the pileup-order
#               fix (commit 4c603f8), so this recipe with today's code gives a close, not identical, model.
#   real-reads  the candidate recipe of models/caller.md ("Real-read training: measured, not
#               shipped"): all four steps, 4 epochs, calibrated. Not shipped: by the locus-split
#               protocol it made more errors than the shipped model.
#   finetune    (default) the recipe of the shipped models/caller.cnn: the simulation-only base model
#               (models/caller-base.cnn.torch.pt, the session-8 model of the "simulated" recipe)
#               fine-tuned (train-caller --init-from) on all four steps' examples, 1 epoch at
#               learning rate 3e-4, raw softmax (models/caller.md, "Reproduce").
#
# Usage: scripts/train-caller-model.sh [WORK_DIR] [OUTPUT_MODEL]
#   WORK_DIR      simulated data and examples (default: work/caller-training; several GB)
#   OUTPUT_MODEL  default: models/caller.cnn
# Environment: RECIPE (simulated | real-reads | finetune), THREADS (default 2), SEED (default 1),
#   EPOCHS (default 1 for finetune, 8 for simulated, 4 for real-reads), MAX_MINUTES (default 30),
#   INITIAL_MODEL, LEARNING_RATE (finetune only; defaults models/caller-base.cnn.torch.pt, 3e-4),
#   FOLD (real-reads and finetune; default all): which half of the real HG002 examples to train on — all,
#     first (chr20:10.00-10.05 Mb) or second (10.05-10.10 Mb): the fold models of the locus-split
#     protocol (models/caller.md, "Protocol"; benchmarks/caller/accuracy-and-speed.sh),
#   REAL_WEIGHT (real-reads and finetune; default 3): times each real example folder is passed to train-caller,
#   GENODOSE (default: build/genodose, built by scripts/build.sh if missing).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$top/work/caller-training}
output=${2:-$top/models/caller.cnn}
threads=${THREADS:-2}
recipe=${RECIPE:-finetune}
fold=${FOLD:-all}
fine_tune=()
real_weight=${REAL_WEIGHT:-3}
case $recipe in
  simulated) epochs=${EPOCHS:-8}; calibration=--no-calibration; manifests=(manifest.tsv) ;;
  real-reads) epochs=${EPOCHS:-4}; calibration=; manifests=(manifest.tsv manifest_more.tsv) ;;
  finetune) epochs=${EPOCHS:-1}; calibration=--no-calibration; manifests=(manifest.tsv manifest_more.tsv)
            initial=${INITIAL_MODEL:-$top/models/caller-base.cnn.torch.pt}
            [ -r "$initial" ] || { echo "train-caller-model.sh: $initial: missing initial model" >&2; exit 3; }
            fine_tune=(--init-from "$initial" --learning-rate "${LEARNING_RATE:-3e-4}") ;;
  *) echo "train-caller-model.sh: RECIPE must be simulated, real-reads or finetune" >&2; exit 2 ;;
esac
genodose=${GENODOSE:-$top/build/genodose}
case $fold in all|first|second) ;; *) echo "train-caller-model.sh: FOLD must be all, first or second" >&2; exit 2 ;; esac
[[ $real_weight =~ ^[0-9]+$ ]] || { echo "train-caller-model.sh: REAL_WEIGHT must be a whole number" >&2; exit 2; }
[ -x "$genodose" ] || "$top/scripts/build.sh"
reference=${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}/chr20_windows.fa.gz
sim=$work/simdata

"$top/scripts/simulate-training-data.sh" --threads "$threads" "$sim"
[ "$recipe" != simulated ] && "$top/scripts/simulate-more-genomes.sh" "$sim" "$threads"
for manifest in "${manifests[@]}"; do
  ARTIFACT_MANIFEST=$sim/$manifest "$top/scripts/simulate-artifact-reads.sh" "$sim" "$threads"
  PARALOG_MANIFEST=$sim/$manifest "$top/scripts/simulate-paralog-reads.sh" "$sim" "$threads"
done

train_folders=()
validation_folders=()
for manifest in "${manifests[@]}"; do
  while IFS=$'\t' read -r config _rest; do
    [ "$config" = "config" ] && continue
    bam=$sim/$config/reads_with_paralogs.bam
    truth=$(cat "$sim/$config/truth" 2>/dev/null || echo "$sim/truth")
    for part in train validation; do
      out=$work/examples/$config/$part
      if [ ! -f "$out/summary.json" ]; then
        "$genodose" --quiet make-examples --threads "$threads" --ref "$reference" --reads "$bam" \
          --truth "$truth/$part.vcf.gz" --regions "$sim/truth/$part.bed" --output "$out"
      fi
    done
    train_folders+=("$work/examples/$config/train")
    validation_folders+=("$work/examples/$config/validation")
  done < "$sim/$manifest"
done

real_folders=()
if [ "$recipe" != simulated ]; then
mkdir -p "$work/real"
"$top/scripts/make-real-examples.sh" "$work/real" "$threads" > "$work/real/counts.tsv.tmp"
mv "$work/real/counts.tsv.tmp" "$work/real/counts.tsv"
halves=(first second)
[ "$fold" = all ] || halves=("$fold")
for folder in "$work"/real/d*/; do
  for half in "${halves[@]}"; do
    for ((k = 0; k < real_weight; ++k)); do real_folders+=("${folder%/}/$half"); done
  done
done
fi

"$genodose" train-caller --threads "$threads" --seed "${SEED:-1}" --epochs "$epochs" --batch-size 128 $calibration \
  "${fine_tune[@]}" \
  --max-minutes "${MAX_MINUTES:-30}" --examples "${train_folders[@]}" "${real_folders[@]}" \
  --validation "${validation_folders[@]}" --output "$output"
echo "trained: $output (recipe $recipe; log: $output.log.tsv)" >&2
