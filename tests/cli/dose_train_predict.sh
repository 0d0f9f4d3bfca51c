# genodose dose train/predict/evaluate on the small IWPC fixture: outputs, determinism, columns.
source "$(dirname "$0")/common.sh"
data="$SOURCE_DIR/tests/data/dosing"
train() {  # train OUTPUT THREADS
  "$GENODOSE" --threads "$2" -q dose train --iwpc "$data/iwpc_subset.csv" \
    --cyp2c9-phenotypes "$data/cyp2c9_activity_values.json" --folds 3 --seed 5 --grid quick --output "$1"
}

# Training, twice with different thread counts: identical bytes.
expect_exit 0 -- train "$SCRATCH/m1.json" 1
expect_exit 0 -- train "$SCRATCH/m2.json" 2
if cmp -s "$SCRATCH/m1.json" "$SCRATCH/m2.json"; then pass; else fail "two training runs differ"; fi
expect_contains "$SCRATCH/m1.json" '"format": "genodose-warfarin-dose-model"'
expect_contains "$SCRATCH/m1.json" '"cross_validation"'
expect_contains "$SCRATCH/m1.json" '"data_sha256": "'"$(sha256sum "$data/iwpc_subset.csv" | cut -d' ' -f1)"'"'
# Printed tables.
expect_exit 0 -- "$GENODOSE" dose train --iwpc "$data/iwpc_subset.csv" \
  --cyp2c9-phenotypes "$data/cyp2c9_activity_values.json" --folds 3 --grid quick --output "$SCRATCH/m3.json" \
  --cv-predictions "$SCRATCH/cv.tsv"
expect_contains "$SCRATCH/stdout" "| race: Black or African American |"
expect_contains "$SCRATCH/stdout" "interval coverage"
expect_contains "$SCRATCH/cv.tsv" "actual_dose_mg_per_week"
[ "$(wc -l < "$SCRATCH/cv.tsv")" -gt 200 ] && pass || fail "cv predictions: too few lines"
# The refitted IWPC equation is there wherever the published one is (age, height, weight known).
head -1 "$SCRATCH/cv.tsv" | tr '\t' '\n' | grep -qx iwpc_pgx_refit_dose_mg_per_week && pass || fail "cv.tsv lacks the refit column"
# (Rows with masked = 1, column 12, are copies of patients with core inputs removed: no refit.)
awk -F'\t' 'NR > 1 && $12 != "1" && (($8 == "NA") != ($10 == "NA") || ($10 != "NA" && !($10 > 0))) {bad = 1} END {exit bad}' \
  "$SCRATCH/cv.tsv" && pass || fail "cv.tsv: refit dose missing or not positive where the IWPC dose exists"
# Masked copies: each with 2-8 core inputs missing and an interval around its prediction.
awk -F'\t' 'NR > 1 && $12 == "1" {n++; if ($11 < 2 || $6 > $5 || $7 < $5) bad = 1} END {exit bad || n < 100}' \
  "$SCRATCH/cv.tsv" && pass || fail "cv.tsv: masked copies missing or malformed"
# Without heights there is no equation dose and no refit, but the model is still assessed.
python3 - "$data/iwpc_subset.csv" "$SCRATCH/no_height.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w", newline="") as out:
    rows = list(csv.reader(f))
    column = rows[0].index("Height (cm)")
    for row in rows[1:]:
        row[column] = "NA"
    csv.writer(out).writerows(rows)
PY
expect_exit 0 -- "$GENODOSE" -q dose train --iwpc "$SCRATCH/no_height.csv" \
  --cyp2c9-phenotypes "$data/cyp2c9_activity_values.json" --folds 3 --grid quick --output "$SCRATCH/m4.json" \
  --cv-predictions "$SCRATCH/cv4.tsv"
awk -F'\t' 'NR > 1 && ($10 != "NA" || !($5 > 0)) {bad = 1} END {exit bad || NR < 200}' "$SCRATCH/cv4.tsv" \
  && pass || fail "cv4.tsv: every patient needs a model prediction and no refit dose"

# Prediction from IWPC CSV.
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m1.json" --input "$data/iwpc_subset.csv" --output "$SCRATCH/doses.tsv"
[ "$(wc -l < "$SCRATCH/doses.tsv")" -eq 245 ] && pass || fail "doses.tsv should have 244 patients + header"
head -1 "$SCRATCH/doses.tsv" | tr '\t' '\n' > "$SCRATCH/columns"
for column in id predicted_dose_mg_per_week interval_low interval_high iwpc_pgx_dose_mg_per_week \
              iwpc_clinical_dose_mg_per_week top_contributions_mg_per_week cpic_flags cpic_advice; do
  grep -qx "$column" "$SCRATCH/columns" && pass || fail "doses.tsv lacks column $column"
done
# Every predicted dose lies inside its interval; the Subject IDs are the ids.
awk -F'\t' 'NR > 1 && !($3 < $2 && $2 < $4) {bad = 1} END {exit bad}' "$SCRATCH/doses.tsv" && pass || fail "dose outside interval"
expect_contains "$SCRATCH/doses.tsv" "PA126718367"
# Prediction is deterministic.
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m1.json" --input "$data/iwpc_subset.csv" --output "$SCRATCH/doses2.tsv"
cmp -s "$SCRATCH/doses.tsv" "$SCRATCH/doses2.tsv" && pass || fail "two predictions differ"

# Patient JSON with a genotype file: the file's CYP2C9 *1/*3 replaces the typed-in *1/*1, and
# the African-ancestry rs12777823 statement appears.
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m1.json" --input "$data/patient.json" \
  --genotypes "$data/genotypes.json" --output "$SCRATCH/patient.tsv"
expect_contains "$SCRATCH/patient.tsv" "P001"
expect_contains "$SCRATCH/patient.tsv" "cpic_african_rs12777823_a"
expect_contains "$SCRATCH/patient.tsv" "[CPIC 2017]"
expect_contains "$SCRATCH/patient.tsv" "cyp2c9_activity_score=1:-"

# A no-call in the genotype file leaves CYP2C9 missing (not *1/*1) ...
cat > "$SCRATCH/nocall.json" <<'JSON'
{"id": "P2", "sample_id": "S2-nocall", "age_years": 70, "height_cm": 165, "weight_kg": 70, "race": "White"}
JSON
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m1.json" --input "$SCRATCH/nocall.json" \
  --genotypes "$data/genotypes.json" --output "$SCRATCH/nocall.tsv" --top 100
expect_contains "$SCRATCH/nocall.tsv" "CYP2C9 no-call"
expect_contains "$SCRATCH/nocall.tsv" "cyp2c9_star3_alleles=NA"
# ... unless a diplotype was typed into the patient file: that is used, and a note says so.
sed 's/"race": "White"}/"race": "White", "genotypes": {"CYP2C9": "*1\/*3"}}/' "$SCRATCH/nocall.json" > "$SCRATCH/typed.json"
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m1.json" --input "$SCRATCH/typed.json" \
  --genotypes "$data/genotypes.json" --output "$SCRATCH/typed.tsv" --top 100
expect_contains "$SCRATCH/typed.tsv" "CYP2C9: the genotype file has no call (no-call); *1/*3 typed in the patient input was used"
expect_contains "$SCRATCH/typed.tsv" "cyp2c9_star3_alleles=1"

# Evaluation: table on stdout, JSON file.
expect_exit 0 -- "$GENODOSE" dose evaluate --model "$SCRATCH/m1.json" --iwpc "$data/iwpc_subset.csv" --output "$SCRATCH/metrics.json"
expect_contains "$SCRATCH/stdout" "| overall |"
expect_contains "$SCRATCH/metrics.json" '"iwpc_pharmacogenetic"'
expect_contains "$SCRATCH/metrics.json" '"dose >= 49"'
python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$SCRATCH/metrics.json" && pass || fail "metrics.json is not JSON"
# Groups by the model's predicted dose: the model alone (interval coverage), no method comparison.
python3 - "$SCRATCH/metrics.json" <<'PY' && pass || fail "predicted-dose groups missing or compared"
import json, sys
groups = {g["group"]: g for g in json.load(open(sys.argv[1]))["groups"]}
for name in ("predicted <= 21", "predicted 21-49", "predicted >= 49"):
    assert groups[name]["compared"] is None, name
assert sum(groups[n]["n_all"] for n in ("predicted <= 21", "predicted 21-49", "predicted >= 49")) == groups["overall"]["n_all"]
assert groups["dose >= 49"]["compared"] is not None
PY
# The trained model's interval is calibrated per predicted-dose band and per race group.
python3 - "$SCRATCH/m1.json" <<'PY' && pass || fail "model has no per-band or per-race interval"
import json, sys
conformal = json.load(open(sys.argv[1]))["conformal"]
bands = conformal["predicted_dose_bands"]
assert [b["predicted_mg_per_week"] for b in bands] == ["<= 21", "21-49", ">= 49"], bands
races = conformal["race_groups"]
assert [g["race"] for g in races] == ["White", "Asian", "Black or African American", "Unknown"], races
PY

# The shipped model is found without --model (next to the executable or in the source tree).
if [ -f "$SOURCE_DIR/models/warfarin_dose.json" ]; then
  expect_exit 0 -- env GENODOSE_DATA_DIR="$SOURCE_DIR" "$GENODOSE" dose predict --input "$data/patient.json" --output "$SCRATCH/shipped.tsv"
  expect_contains "$SCRATCH/shipped.tsv" "P001"
  expect_exit 0 -- "$GENODOSE" dose predict --input "$data/patient.json" --output "$SCRATCH/shipped2.tsv"
  cmp -s "$SCRATCH/shipped.tsv" "$SCRATCH/shipped2.tsv" && pass || fail "default model path differs from GENODOSE_DATA_DIR"
fi
finish
