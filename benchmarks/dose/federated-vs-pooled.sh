#!/usr/bin/env bash
# The model card's federated-vs-pooled comparison ("Training across sites"): the IWPC development
# sites in three groups (1-7, 8-14, 15-21), one `dose train --federated` worker per group on
# localhost, beside the same procedure in one process on the pooled rows (same grid point, seed,
# calibration patients). Prints, for the shipped grid point (subsample 0.8) and without row
# subsampling, how many trees are identical, the largest difference of the predicted doses, the
# intervals, and the accuracy of both models on the calibration patients (never trained on).
#
# Usage: benchmarks/dose/federated-vs-pooled.sh GENODOSE [IWPC_CSV] [CYP2C9_PHENOTYPES]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
genodose=$(realpath "${1:?usage: federated-vs-pooled.sh GENODOSE [IWPC_CSV] [CYP2C9_PHENOTYPES]}")
iwpc=${2:-$top/../shared/data/iwpc/iwpc_dev.csv}
phenotypes=${3:-$top/../shared/data/pgx/phenotype/CYP2C9.json}
work=$(mktemp -d /tmp/genodose-fed-vs-pooled.XXXXXX)
cd "$work"
/usr/bin/python3 - "$iwpc" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
i = rows[0].index("Project Site")
groups = [set(map(str, range(1, 8))), set(map(str, range(8, 15))), set(map(str, range(15, 22)))]
for g, sites in enumerate(groups):
    csv.writer(open(f"group{g}.csv", "w", newline="")).writerows([rows[0]] + [r for r in rows[1:] if r[i] in sites])
csv.writer(open("all.csv", "w", newline="")).writerows([rows[0]] + [r for s in groups for r in rows[1:] if r[i] in s])
PY
shipped='"feature_sets": ["extended"], "transforms": ["sqrt"], "max_depths": [3], "min_child_weights": [20], "objectives": ["reg:pseudohubererror"], "linear_base": [true], "max_rounds": 100'
echo "{$shipped}" > shipped.json
echo "{$shipped, \"subsample\": 1.0}" > no_row_sampling.json
for tag in shipped no_row_sampling; do
  "$genodose" -q dose train --federated --site-data all.csv --cyp2c9-phenotypes "$phenotypes" --grid $tag.json --output pooled_$tag.json
  /usr/bin/python3 "$top/scripts/federated-tracker.py" --workers 3 --port 0 --timeout 300 > tracker_$tag.out &
  tracker_pid=$!
  for _ in $(seq 100); do grep -q '^tracker ' tracker_$tag.out && break; sleep 0.1; done
  address=$(sed -n 's/^tracker //p' tracker_$tag.out)
  pids=()
  for r in 0 1 2; do
    "$genodose" -q dose train --federated --tracker "$address" --workers 3 --rank $r --site-data group$r.csv \
      --cyp2c9-phenotypes "$phenotypes" --grid $tag.json --output fed_${tag}_$r.json &
    pids+=($!)
  done
  wait "${pids[@]}" "$tracker_pid"
  for m in pooled_$tag fed_${tag}_0; do "$genodose" -q dose predict --model $m.json --input all.csv --output pred_$m.tsv; done
done
/usr/bin/python3 - <<'PY'
import csv, hashlib, json
def trees(m): return json.load(open(m))["xgboost_model"]["learner"]["gradient_booster"]["model"]["trees"]
def preds(m): return {r["id"]: float(r["predicted_dose_mg_per_week"]) for r in csv.DictReader(open(f"pred_{m}.tsv"), delimiter="\t")}
dose = {r["PharmGKB Subject ID"]: float(r["Therapeutic Dose of Warfarin"]) for r in csv.DictReader(open("all.csv"))
        if r["Therapeutic Dose of Warfarin"] != "NA"}
calibration = [i for i in dose if int(hashlib.sha256((i + "#42").encode()).hexdigest()[:8], 16) % 5 == 0]
print("| grid point | trees identical (of 100) | sites' models identical | max / mean abs difference of predicted doses (mg/week, 4,561 patients) | interval pooled | interval federated | MAE pooled / federated (calibration patients) | % within 20% pooled / federated |")
print("|---|---:|---|---|---|---|---|---|")
for tag in ("shipped", "no_row_sampling"):
    pooled, fed = trees(f"pooled_{tag}.json"), trees(f"fed_{tag}_0.json")
    same_sites = all(trees(f"fed_{tag}_{r}.json") == fed for r in (1, 2))
    identical = sum(1 for a, b in zip(pooled, fed) if a == b)
    p, f = preds(f"pooled_{tag}"), preds(f"fed_{tag}_0")
    d = [abs(p[i] - f[i]) for i in p]
    cp, cf = json.load(open(f"pooled_{tag}.json"))["conformal"], json.load(open(f"fed_{tag}_0.json"))["conformal"]
    def acc(pr):
        e = [abs(pr[i] - dose[i]) for i in calibration]
        return sum(e) / len(e), 100 * sum(1 for i in calibration if abs(pr[i] - dose[i]) <= 0.2 * dose[i]) / len(calibration)
    (mp, wp), (mf, wf) = acc(p), acc(f)
    print(f"| {tag.replace('_', ' ')} | {identical} | {'yes' if same_sites else 'no'} | {max(d):.2f} / {sum(d) / len(d):.3f} | "
          f"x{2.718281828 ** cp['lower_log_ratio']:.3f} ... x{2.718281828 ** cp['upper_log_ratio']:.3f} | "
          f"x{2.718281828 ** cf['lower_log_ratio']:.3f} ... x{2.718281828 ** cf['upper_log_ratio']:.3f} | "
          f"{mp:.2f} / {mf:.2f} ({len(calibration)}) | {wp:.1f} / {wf:.1f} |")
PY
echo "work folder: $work"
