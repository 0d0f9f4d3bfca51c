#!/usr/bin/env bash
# How much do the nested cross-validation numbers move with the random split? Reruns the model
# card's training command with other seeds (folds, subsampling) and prints, per seed, the
# model beside the IWPC pharmacogenetic equation overall and for Black patients (the smallest
# race group, where the difference is within noise).
#
# Usage: benchmarks/dose/seed-stability.sh GENODOSE [OUT_DIR] [SEEDS...]
#   defaults: OUT_DIR a new folder under /tmp; SEEDS 1 2 3. Environment: THREADS (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
genodose=${1:?usage: seed-stability.sh GENODOSE [OUT_DIR] [SEEDS...]}
out=${2:-$(mktemp -d /tmp/genodose-dose-seeds.XXXXXX)}
shift $(( $# >= 2 ? 2 : 1 ))
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
iwpc=$top/../shared/data/iwpc/iwpc_dev.csv
phenotypes=$top/../shared/data/pgx/phenotype/CYP2C9.json
mkdir -p "$out"
for seed in "${seeds[@]}"; do
  "$genodose" -q --threads "${THREADS:-2}" dose train --iwpc "$iwpc" --cyp2c9-phenotypes "$phenotypes" \
    --folds 5 --seed "$seed" --output "$out/model.seed$seed.json" --cv-predictions "$out/cv.seed$seed.tsv" > /dev/null
done
python3 - "$out" "${seeds[@]}" <<'PY'
import csv, sys
out, seeds = sys.argv[1], sys.argv[2:]
def metrics(rows, key):
    n = len(rows)
    ae = [abs(float(r[key]) - float(r["actual_dose_mg_per_week"])) for r in rows]
    w = [e <= 0.2 * float(r["actual_dose_mg_per_week"]) + 1e-9 for e, r in zip(ae, rows)]
    return sum(ae) / n, 100.0 * sum(w) / n
print("Nested 5-fold CV by seed, same patients for both (age, height and weight known):")
print()
print("| seed | group | n | MAE model | MAE IWPC PGx | % within 20 model | % within 20 IWPC PGx |")
print("|---:|---|---:|---:|---:|---:|---:|")
for seed in seeds:
    rows = [r for r in csv.DictReader(open(f"{out}/cv.seed{seed}.tsv"), delimiter="\t")
            if r["iwpc_pgx_dose_mg_per_week"] != "NA"]
    for name, keep in [("overall", lambda r: True),
                       ("Black or African American", lambda r: r["race"] == "Black or African American")]:
        g = [r for r in rows if keep(r)]
        m_mae, m_w = metrics(g, "predicted_dose_mg_per_week")
        i_mae, i_w = metrics(g, "iwpc_pgx_dose_mg_per_week")
        print(f"| {seed} | {name} | {len(g)} | {m_mae:.2f} | {i_mae:.2f} | {m_w:.1f} | {i_w:.1f} |")
PY
echo
echo "outputs in $out"
