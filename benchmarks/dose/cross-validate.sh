#!/usr/bin/env bash
# The model card's numbers: trains the shipped dose model with the exact command of
# models/warfarin_dose.md and prints the nested cross-validation tables (model beside the IWPC
# pharmacogenetic and clinical equations and a fixed 35 mg/week on the same patients), the
# per-patient out-of-fold predictions, paired-bootstrap intervals for the differences, and the
# prediction intervals' coverage by race and by band of the actual and the predicted dose.
#
# Usage: benchmarks/dose/cross-validate.sh GENODOSE [OUT_DIR] [IWPC_CSV] [CYP2C9_PHENOTYPES]
#   GENODOSE           the genodose executable
#   OUT_DIR            where to write (default: a new folder under /tmp); the model is written
#                      there, not over models/warfarin_dose.json
#   IWPC_CSV           default ../shared/data/iwpc/iwpc_dev.csv next to the source tree
#   CYP2C9_PHENOTYPES  default ../shared/data/pgx/phenotype/CYP2C9.json
# Environment: THREADS (default 2), SEED (default 42), FOLDS (default 5).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
genodose=${1:?usage: cross-validate.sh GENODOSE [OUT_DIR] [IWPC_CSV] [CYP2C9_PHENOTYPES]}
out=${2:-$(mktemp -d /tmp/genodose-dose-cv.XXXXXX)}
iwpc=${3:-$top/../shared/data/iwpc/iwpc_dev.csv}
phenotypes=${4:-$top/../shared/data/pgx/phenotype/CYP2C9.json}
threads=${THREADS:-2}
seed=${SEED:-42}
folds=${FOLDS:-5}
mkdir -p "$out"

start=$(date +%s)
"$genodose" --threads "$threads" dose train --iwpc "$iwpc" --cyp2c9-phenotypes "$phenotypes" \
  --folds "$folds" --seed "$seed" --output "$out/warfarin_dose.json" \
  --cv-predictions "$out/cv_predictions.tsv" | tee "$out/cv_tables.md"
end=$(date +%s)
echo
echo "training wall time: $((end - start)) s on $threads thread(s)"
echo "model sha256: $(sha256sum "$out/warfarin_dose.json" | cut -d' ' -f1)"
echo "training data sha256: $(sha256sum "$iwpc" | cut -d' ' -f1)"
echo
python3 "$here/paired_bootstrap.py" "$out/cv_predictions.tsv" | tee "$out/paired_bootstrap.md"
python3 "$here/interval_coverage.py" "$out/cv_predictions.tsv" | tee "$out/interval_coverage.md"
python3 "$here/model_summary.py" "$out/warfarin_dose.json" | tee "$out/model_summary.md"
echo
echo "outputs in $out"
