# `genodose dose cross-validate --group-by site` and `genodose dose calibrate` on the small IWPC
# fixture (21 project sites, 2-36 patients each): outputs, and bad input (no site column, a
# site file with other columns, too few patients, a recalibrated model, unwritable output).
source "$(dirname "$0")/common.sh"
data="$SOURCE_DIR/tests/data/dosing"
phenotypes="$data/cyp2c9_activity_values.json"
value() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"; }

# Leave-one-site-out: one entry per site, each site's patients predicted once.
expect_exit 0 -- "$GENODOSE" dose cross-validate --group-by site --iwpc "$data/iwpc_subset.csv" \
  --cyp2c9-phenotypes "$phenotypes" --folds 3 --grid quick --output "$SCRATCH/loso.json" \
  --predictions "$SCRATCH/loso.tsv"
expect_contains "$SCRATCH/stdout" "| site | n | coverage |"
expect_contains "$SCRATCH/stdout" "| pooled | 234 |"
[ "$(value "$SCRATCH/loso.json" 'len(d["by_site"]["sites"])')" = 21 ] && pass || fail "loso.json: not 21 sites"
[ "$(value "$SCRATCH/loso.json" 'sum(s["model_all_patients"]["n"] for s in d["by_site"]["sites"])')" = 234 ] \
  && pass || fail "loso.json: site counts do not add up to 234"
# The held-out site label is in the predictions' fold column; per site as many rows as patients.
python3 - "$data/iwpc_subset.csv" "$SCRATCH/loso.tsv" <<'PY' && pass || fail "loso.tsv: sites do not match the data"
import csv, sys, collections
site = {r["PharmGKB Subject ID"]: r["Project Site"] for r in csv.DictReader(open(sys.argv[1]))
        if r["Therapeutic Dose of Warfarin"] != "NA"}
rows = [r for r in csv.DictReader(open(sys.argv[2]), delimiter="\t") if r["masked"] == "0"]
assert len(rows) == len(site), (len(rows), len(site))
assert all(site[r["id"]] == r["outer_fold"] for r in rows)
PY
# No site column: exit 3, nothing written.
python3 - "$data/iwpc_subset.csv" "$SCRATCH/no_site.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
i = rows[0].index("Project Site")
csv.writer(open(sys.argv[2], "w", newline="")).writerows([r[:i] + r[i + 1:] for r in rows])
PY
expect_exit 3 -- "$GENODOSE" dose cross-validate --group-by site --iwpc "$SCRATCH/no_site.csv" \
  --cyp2c9-phenotypes "$phenotypes" --folds 3 --grid quick --output "$SCRATCH/loso2.json"
expect_contains "$SCRATCH/stderr" "no 'Project Site'"
expect_no_file "$SCRATCH/loso2.json"
expect_exit 2 -- "$GENODOSE" dose cross-validate --group-by race --iwpc "$data/iwpc_subset.csv" \
  --cyp2c9-phenotypes "$phenotypes" --output "$SCRATCH/loso3.json"
expect_no_file "$SCRATCH/loso3.json"

# Local recalibration: a model trained without sites 3 and 7, calibrated on them.
python3 - "$data/iwpc_subset.csv" "$SCRATCH" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
i = rows[0].index("Project Site")
local = {"3", "7"}
csv.writer(open(sys.argv[2] + "/others.csv", "w", newline="")).writerows([rows[0]] + [r for r in rows[1:] if r[i] not in local])
csv.writer(open(sys.argv[2] + "/local.csv", "w", newline="")).writerows([rows[0]] + [r for r in rows[1:] if r[i] in local])
csv.writer(open(sys.argv[2] + "/tiny.csv", "w", newline="")).writerows([rows[0]] + [r for r in rows[1:] if r[i] in local][:15])
PY
expect_exit 0 -- "$GENODOSE" -q dose train --iwpc "$SCRATCH/others.csv" --cyp2c9-phenotypes "$phenotypes" \
  --folds 3 --grid quick --no-assessment --output "$SCRATCH/m.json"
expect_exit 0 -- "$GENODOSE" dose calibrate --model "$SCRATCH/m.json" --iwpc "$SCRATCH/local.csv" \
  --output "$SCRATCH/m.local.json" --no-intercept-shift
[ "$(value "$SCRATCH/m.local.json" 'd["local_calibration"]["log_dose_shift"]')" = 0.0 ] && pass || fail "shift without asking"
[ "$(value "$SCRATCH/m.local.json" 'd["local_calibration"]["patients"]')" = 54 ] && pass || fail "patients not recorded"
[ "$(value "$SCRATCH/m.local.json" 'd["local_calibration"]["calibrated_model_sha256"]')" = \
  "$(sha256sum "$SCRATCH/m.json" | cut -d' ' -f1)" ] && pass || fail "calibrated model's sha256 not recorded"
# The recalibrated interval is the original one scaled on the log scale; the doses are the same.
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m.json" --input "$SCRATCH/local.csv" --output "$SCRATCH/d0.tsv"
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m.local.json" --input "$SCRATCH/local.csv" --output "$SCRATCH/d1.tsv"
scale=$(value "$SCRATCH/m.local.json" 'd["local_calibration"]["interval_scale"]')
python3 - "$SCRATCH/d0.tsv" "$SCRATCH/d1.tsv" "$scale" <<'PY' && pass || fail "recalibrated interval is not the scaled one"
import csv, math, sys
a = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
b = list(csv.DictReader(open(sys.argv[2]), delimiter="\t"))
scale = float(sys.argv[3])
assert abs(scale - 1) > 1e-3
for x, y in zip(a, b):
    p = float(x["predicted_dose_mg_per_week"])
    assert x["predicted_dose_mg_per_week"] == y["predicted_dose_mg_per_week"]
    for side in ("interval_low", "interval_high"):
        expected = p * math.exp(scale * math.log(float(x[side]) / p))
        assert abs(float(y[side]) - expected) <= 0.05, (side, y[side], expected)
PY
# With the intercept shift (the default): every dose times exp(shift), the interval around it.
expect_exit 0 -- "$GENODOSE" dose calibrate --model "$SCRATCH/m.json" --iwpc "$SCRATCH/local.csv" --output "$SCRATCH/m.shift.json"
shift=$(value "$SCRATCH/m.shift.json" 'd["local_calibration"]["log_dose_shift"]')
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m.shift.json" --input "$SCRATCH/local.csv" --output "$SCRATCH/d2.tsv"
python3 - "$SCRATCH/d0.tsv" "$SCRATCH/d2.tsv" "$shift" <<'PY' && pass || fail "shifted doses are not the model's times exp(shift)"
import csv, math, sys
a = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
b = list(csv.DictReader(open(sys.argv[2]), delimiter="\t"))
shift = float(sys.argv[3])
assert abs(shift) > 1e-3
for x, y in zip(a, b):
    expected = float(x["predicted_dose_mg_per_week"]) * math.exp(shift)
    assert abs(float(y["predicted_dose_mg_per_week"]) - expected) <= 0.01, (y["predicted_dose_mg_per_week"], expected)
    assert float(y["interval_low"]) < float(y["predicted_dose_mg_per_week"]) < float(y["interval_high"])
PY
# Bad input: nothing written.
expect_exit 3 -- "$GENODOSE" dose calibrate --model "$SCRATCH/m.local.json" --iwpc "$SCRATCH/local.csv" --output "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "already recalibrated"
expect_no_file "$SCRATCH/x.json"
expect_exit 3 -- "$GENODOSE" dose calibrate --model "$SCRATCH/m.json" --iwpc "$SCRATCH/tiny.csv" --output "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "needs at least 20"
expect_no_file "$SCRATCH/x.json"
printf 'patient,site,dose\nP1,3,35\n' > "$SCRATCH/other_columns.csv"
expect_exit 3 -- "$GENODOSE" dose calibrate --model "$SCRATCH/m.json" --iwpc "$SCRATCH/other_columns.csv" --output "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "other_columns.csv: missing column"
expect_no_file "$SCRATCH/x.json"
expect_exit 3 -- "$GENODOSE" dose calibrate --model "$data/iwpc_subset.csv" --iwpc "$SCRATCH/local.csv" --output "$SCRATCH/x.json"
expect_no_file "$SCRATCH/x.json"
expect_exit 4 -- "$GENODOSE" dose calibrate --model "$SCRATCH/m.json" --iwpc "$SCRATCH/local.csv" --output "$SCRATCH/no/such/dir/x.json"

# The report says when the interval was recalibrated (and not otherwise).
example="$SOURCE_DIR/data/example"
for model in m m.local; do
  expect_exit 0 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$example/EXAMPLE-001.vcf.gz" \
    --dose-model "$SCRATCH/$model.json" --output-dir "$SCRATCH/run-$model"
done
expect_contains "$SCRATCH/run-m.local/report.html" "The interval was recalibrated on 54 patients of this clinic"
if grep -q "recalibrated on" "$SCRATCH/run-m/report.html"; then fail "report of the trained model says recalibrated"; else pass; fi
finish
