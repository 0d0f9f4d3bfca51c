# genodose dose: bad input exits 3 with a one-line message naming file, row and field, and
# leaves no output file; bad command lines exit 2.
source "$(dirname "$0")/common.sh"
data="$SOURCE_DIR/tests/data/dosing"
"$GENODOSE" -q dose train --iwpc "$data/iwpc_subset.csv" --cyp2c9-phenotypes "$data/cyp2c9_activity_values.json" \
  --folds 3 --grid quick --no-assessment --output "$SCRATCH/m.json" || fail "training the test model failed"
header=$(head -1 "$data/iwpc_subset.csv")
row=$(sed -n 2p "$data/iwpc_subset.csv")

# bad_csv NAME COLUMN VALUE: the fixture's first patient with one field replaced.
bad_csv() {
  python3 - "$data/iwpc_subset.csv" "$SCRATCH/$1" "$2" "$3" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='')))
i = rows[0].index(sys.argv[3])
rows[1][i] = sys.argv[4]
csv.writer(open(sys.argv[2], 'w', newline=''), lineterminator='\n').writerows(rows[:3])
PY
}
# expect_bad_input FILE MESSAGE: predict exits 3, one error line containing MESSAGE, no output.
expect_bad_input() {
  expect_exit 3 -- "$GENODOSE" dose predict --model "$SCRATCH/m.json" --input "$1" --output "$SCRATCH/out.tsv"
  expect_contains "$SCRATCH/stderr" "$2"
  [ "$(grep -c 'error' "$SCRATCH/stderr")" -eq 1 ] && pass || fail "error is not one line: $(cat "$SCRATCH/stderr")"
  expect_no_file "$SCRATCH/out.tsv"
}

bad_csv weight0.csv "Weight (kg)" 0
# An old output of the same name does not survive a failed run (it would look current).
echo stale > "$SCRATCH/out.tsv"
# Messages at the default verbosity name file, line and field, not the patient's id or value
# (--verbose adds the full message on a debug line; tests/cli/input_limits.sh).
expect_bad_input "$SCRATCH/weight0.csv" "weight0.csv: line 2: field 'Weight (kg)': weight must be > 0 kg"
bad_csv weightneg.csv "Weight (kg)" -70
expect_bad_input "$SCRATCH/weightneg.csv" "field 'Weight (kg)': weight must be > 0 kg"
# Physiologically impossible values are input errors (values merely outside the training
# cohort's range are predicted and flagged as extrapolated: test_model.cpp).
bad_csv weight650.csv "Weight (kg)" 650
expect_bad_input "$SCRATCH/weight650.csv" "weight650.csv: line 2: field 'Weight (kg)': weight outside the possible range 10-635 kg"
bad_csv inr5.csv "Target INR" 5
expect_bad_input "$SCRATCH/inr5.csv" "inr5.csv: line 2: field 'Target INR': target INR outside the possible range 1-4.5"
# Possible but outside the training data: a dose, flagged as extrapolated with the cohort's range.
bad_csv heavy.csv "Weight (kg)" 400
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/m.json" --input "$SCRATCH/heavy.csv" --output "$SCRATCH/heavy.tsv"
python3 - "$SCRATCH/heavy.tsv" <<'PY' && pass || fail "extrapolated column"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
assert rows[0]["extrapolated"].startswith("weight 400.0 kg is above the range of the IWPC training cohort ("), rows[0]
assert rows[1]["extrapolated"] == "NA", rows[1]   # the fixture's second patient is inside the range
assert rows[0]["missing_core_inputs"].isdigit()
PY
rm -f "$SCRATCH/heavy.tsv"
bad_csv age.csv Age "sixty-ish"
expect_bad_input "$SCRATCH/age.csv" "age.csv: line 2: field 'Age': age is not a decade band"
bad_csv race.csv "Race (OMB)" "Martian"
expect_bad_input "$SCRATCH/race.csv" "field 'Race (OMB)': unknown race value (expected"
bad_csv cyp.csv "CYP2C9 consensus" "star1/star3"
expect_bad_input "$SCRATCH/cyp.csv" "field 'CYP2C9 consensus'"
bad_csv vk.csv "VKORC1 -1639 consensus" "Q/Q"
expect_bad_input "$SCRATCH/vk.csv" "field 'VKORC1 -1639 consensus'"
printf '%s\n' "$header" "PA1,PA2,2" > "$SCRATCH/short.csv"
expect_bad_input "$SCRATCH/short.csv" "short.csv: line 2: 3 fields, header has 67"
printf 'a,b\n1,2\n' > "$SCRATCH/foreign.csv"
expect_bad_input "$SCRATCH/foreign.csv" "missing column 'PharmGKB Subject ID'"
printf '{"id": "x", "weigth_kg": 70}\n' > "$SCRATCH/typo.json"
expect_bad_input "$SCRATCH/typo.json" "typo.json: unknown field 'weigth_kg'"
printf '{"patients": [{"id": "a"}, {"id": "b", "race": "Klingon"}]}\n' > "$SCRATCH/race.json"
expect_bad_input "$SCRATCH/race.json" "race.json: patient 2: field 'race': unknown race value (expected"
printf '{"id": "x", "age_years": -3}\n' > "$SCRATCH/age.json"
expect_bad_input "$SCRATCH/age.json" "field 'age_years'"
expect_bad_input "$SCRATCH/does-not-exist.csv" "does-not-exist.csv: patient file not found"

# Genotype file problems.
printf '{"schema_version": "9", "samples": []}\n' > "$SCRATCH/g9.json"
expect_exit 3 -- "$GENODOSE" dose predict --model "$SCRATCH/m.json" --input "$data/patient.json" --genotypes "$SCRATCH/g9.json" --output "$SCRATCH/out.tsv"
expect_contains "$SCRATCH/stderr" "g9.json: genotype schema_version '9' is not supported"
expect_no_file "$SCRATCH/out.tsv"
printf '{"samples": [{"sample": "other"}, {"sample": "another"}]}\n' > "$SCRATCH/gx.json"
expect_exit 3 -- "$GENODOSE" dose predict --model "$SCRATCH/m.json" --input "$data/patient.json" --genotypes "$SCRATCH/gx.json" --output "$SCRATCH/out.tsv"
expect_contains "$SCRATCH/stderr" "gx.json: no sample named as the patient's sample_id or id"

# Model problems.
printf '{"format": "something-else"}\n' > "$SCRATCH/notamodel.json"
expect_exit 3 -- "$GENODOSE" dose predict --model "$SCRATCH/notamodel.json" --input "$data/patient.json" --output "$SCRATCH/out.tsv"
expect_contains "$SCRATCH/stderr" "notamodel.json: not a genodose warfarin dose model"
expect_exit 3 -- env GENODOSE_DATA_DIR="$SCRATCH/empty" "$GENODOSE" dose predict --input "$data/patient.json" --output "$SCRATCH/out.tsv"
expect_contains "$SCRATCH/stderr" "GENODOSE_DATA_DIR"

# Training and evaluation inputs.
expect_exit 3 -- "$GENODOSE" dose train --iwpc "$SCRATCH/weight0.csv" --cyp2c9-phenotypes "$data/cyp2c9_activity_values.json" --grid quick --output "$SCRATCH/t.json"
expect_contains "$SCRATCH/stderr" "field 'Weight (kg)'"
expect_no_file "$SCRATCH/t.json"
expect_exit 3 -- "$GENODOSE" dose train --iwpc "$data/iwpc_subset.csv" --cyp2c9-phenotypes "$data/genotypes.json" --grid quick --output "$SCRATCH/t.json"
expect_contains "$SCRATCH/stderr" "activityValues"
expect_exit 4 -- "$GENODOSE" dose train --iwpc "$data/iwpc_subset.csv" --cyp2c9-phenotypes "$data/cyp2c9_activity_values.json" --grid quick --output "$SCRATCH/no/such/dir/t.json"
expect_exit 3 -- "$GENODOSE" dose evaluate --model "$SCRATCH/m.json" --iwpc "$SCRATCH/age.csv" --output "$SCRATCH/metrics.json"
expect_no_file "$SCRATCH/metrics.json"

# Command-line errors.
expect_exit 2 -- "$GENODOSE" dose predict --input "$data/patient.json"
expect_exit 2 -- "$GENODOSE" dose train --iwpc "$data/iwpc_subset.csv" --output "$SCRATCH/t.json"
expect_exit 2 -- "$GENODOSE" dose train --iwpc "$data/iwpc_subset.csv" --cyp2c9-phenotypes "$data/cyp2c9_activity_values.json" --folds 1 --output "$SCRATCH/t.json"
expect_exit 2 -- "$GENODOSE" dose train --iwpc "$data/iwpc_subset.csv" --cyp2c9-phenotypes "$data/cyp2c9_activity_values.json" --grid enormous --output "$SCRATCH/t.json"
expect_exit 2 -- "$GENODOSE" dose
finish
