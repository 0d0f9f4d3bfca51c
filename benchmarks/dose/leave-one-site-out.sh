#!/usr/bin/env bash
# The model card's leave-one-site-out tables ("Across sites"): every IWPC project site held out
# in turn, the whole training procedure (the command of models/warfarin_dose.md: full grid,
# inner 5-fold search, seed 42) run on the other sites, the site scored beside the IWPC
# pharmacogenetic equation refitted on the same other sites, and the local recalibration
# measured on the held-out site (calibrated on a random half, scored on the other half).
#
# Usage: benchmarks/dose/leave-one-site-out.sh GENODOSE [OUT_DIR] [IWPC_CSV] [CYP2C9_PHENOTYPES]
# Environment: THREADS (default 2), GRID (default full; "quick" for a smoke run).
# Runtime: 3,520 search fits (21 sites + the final search x 32 grid points x 5 folds); 1,570 s
# measured on 2 cores shared with other jobs (load average 9-11).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
genodose=${1:?usage: leave-one-site-out.sh GENODOSE [OUT_DIR] [IWPC_CSV] [CYP2C9_PHENOTYPES]}
out=${2:-$(mktemp -d /tmp/genodose-dose-loso.XXXXXX)}
iwpc=${3:-$top/../shared/data/iwpc/iwpc_dev.csv}
phenotypes=${4:-$top/../shared/data/pgx/phenotype/CYP2C9.json}
mkdir -p "$out"
start=$(date +%s)
"$genodose" --threads "${THREADS:-2}" dose cross-validate --group-by site --iwpc "$iwpc" \
  --cyp2c9-phenotypes "$phenotypes" --folds 5 --seed 42 --grid "${GRID:-full}" \
  --output "$out/loso.json" --predictions "$out/loso_predictions.tsv" | tee "$out/loso_tables.md"
echo "wall time: $(($(date +%s) - start)) s"
echo
python3 "$here/site_summary.py" "$out/loso.json" | tee "$out/site_summary.md"
echo "outputs in $out"
