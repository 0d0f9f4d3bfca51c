# `genodose batch` from VCFs: per-sample folders, cohort.tsv and cohort.html; a failing sample
# is recorded with its error while the others are reported (exit 1); a bad sheet stops
# everything before anything is written (exit 3); --threads does not change the outputs.
# Uses the shipped dose model (models/warfarin_dose.json); no reads, so no caller.
source "$(dirname "$0")/common.sh"
command -v python3 >/dev/null || { echo "FAIL: python3 is not installed" >&2; exit 1; }
example="$SOURCE_DIR/data/example"
export SOURCE_DATE_EPOCH=1763806500
column() {  # column TSV SAMPLE NAME: the value of column NAME on SAMPLE's line
  awk -F'\t' -v s="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } $1 == s { print $k }' "$1"
}

# EXAMPLE-002: VCF + patient JSON; EXAMPLE-003: VCF + clinical columns; BROKEN: its VCF does not
# exist; BADPATIENT: weight -3 kg.
sheet="$SCRATCH/sheet.tsv"
{
  printf 'sample_id\tvcf\tpatient\tage_years\theight_cm\tweight_kg\tsex\trace\tindications\n'
  printf 'EXAMPLE-002\t%s\t%s\t.\t.\t.\t.\t.\t.\n' "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-002.patient.json"
  printf 'BROKEN\tmissing.vcf.gz\t%s\t.\t.\t.\t.\t.\t.\n' "$example/EXAMPLE-002.patient.json"
  printf 'EXAMPLE-003\t%s\t.\t45\t180\t95\tmale\tBlack or African American\tpulmonary_embolism\n' "$example/EXAMPLE-003.vcf.gz"
  printf 'BADPATIENT\t%s\t.\t50\t170\t-3\tfemale\tWhite\t.\n' "$example/EXAMPLE-003.vcf.gz"
} >"$sheet"
out="$SCRATCH/batch"
expect_exit 1 -- "$GENODOSE" batch --samples "$sheet" --output-dir "$out"
expect_contains "$SCRATCH/stderr" "2 of 4 samples failed; their errors are in $out/cohort.tsv"
tsv="$out/cohort.tsv"
[ "$(wc -l <"$tsv")" -eq 5 ] && pass || fail "cohort.tsv should have a header and 4 lines"
[ "$(cut -f1 "$tsv" | tr '\n' ' ')" = "sample_id EXAMPLE-002 BROKEN EXAMPLE-003 BADPATIENT " ] && pass || fail "cohort.tsv is not in sheet order"
[ "$(column "$tsv" EXAMPLE-002 status)" = ok ] && pass || fail "EXAMPLE-002 should be ok"
[ "$(column "$tsv" EXAMPLE-002 CYP2C9)" = "*2/*3" ] && pass || fail "EXAMPLE-002 CYP2C9"
[ "$(column "$tsv" EXAMPLE-002 CYP2C9_phenotype)" = "Poor Metabolizer" ] && pass || fail "EXAMPLE-002 phenotype"
[ "$(column "$tsv" EXAMPLE-002 VKORC1)" = "rs9923231 T/T (-1639 A/A)" ] && pass || fail "EXAMPLE-002 VKORC1"
[ "$(column "$tsv" EXAMPLE-003 status)" = ok ] && pass || fail "EXAMPLE-003 (clinical columns) should be ok"
[ "$(column "$tsv" EXAMPLE-003 CYP4F2)" = "*3/*3 (rs2108622 T/T)" ] && pass || fail "EXAMPLE-003 CYP4F2"
[ "$(column "$tsv" BROKEN status)" = failed ] && pass || fail "BROKEN should have failed"
column "$tsv" BROKEN error | grep -q 'missing.vcf.gz' && pass || fail "BROKEN's error should name its VCF"
[ "$(column "$tsv" BADPATIENT status)" = failed ] && pass || fail "BADPATIENT should have failed"
column "$tsv" BADPATIENT error | grep -q "sheet.tsv: line 5.*weight_kg" && pass || fail "BADPATIENT's error should name the sheet line and field"
for s in EXAMPLE-002 EXAMPLE-003; do
  for f in report.json report.html report.pdf report.fhir.json; do [ -s "$out/$s/$f" ] && pass || fail "$s/$f missing"; done
done
expect_no_file "$out/BROKEN"
expect_no_file "$out/BADPATIENT"
expect_contains "$out/cohort.html" '2 failed'
expect_contains "$out/cohort.html" 'href="EXAMPLE-002/report.html"'
[ "$(stat -c %a "$tsv")" = 600 ] && pass || fail "cohort.tsv is not owner-only (0600)"
[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["identifiers"]["patient_id"])' "$out/EXAMPLE-003/report.json")" = EXAMPLE-003 ] \
  && pass || fail "an inline patient takes the sample_id as its id"

# Threads change nothing but speed.
expect_exit 1 -- "$GENODOSE" batch --samples "$sheet" --output-dir "$SCRATCH/threads" --threads 3
cmp -s "$tsv" "$SCRATCH/threads/cohort.tsv" && pass || fail "cohort.tsv differs with --threads 3"
# (The command line, in `provenance`, differs; everything else must not.)
python3 - "$out/EXAMPLE-002/report.json" "$SCRATCH/threads/EXAMPLE-002/report.json" <<'PYTHON' && pass || fail "report.json differs with --threads 3"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("provenance"); b.pop("provenance")
sys.exit(a != b)
PYTHON
cmp -s "$out/EXAMPLE-002/report.fhir.json" "$SCRATCH/threads/EXAMPLE-002/report.fhir.json" && pass || fail "report.fhir.json differs with --threads 3"

# A sheet with an unsafe sample id is refused as a whole: nothing runs, nothing is written.
for bad in '../escape' 'a/b' '.hidden'; do
  printf 'sample_id\tvcf\tpatient\n%s\t%s\t%s\n' "$bad" "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-002.patient.json" >"$SCRATCH/bad.tsv"
  expect_exit 3 -- "$GENODOSE" batch --samples "$SCRATCH/bad.tsv" --output-dir "$SCRATCH/refused"
  expect_contains "$SCRATCH/stderr" "bad.tsv: line 2: sample_id '$bad' cannot name an output folder"
  expect_no_file "$SCRATCH/refused"
done
expect_no_file "$SCRATCH/escape"
printf 'sample_id\tvcf\tpatient\nA\t%s\t%s\nA\t%s\t%s\n' "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-002.patient.json" \
  "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-002.patient.json" >"$SCRATCH/dup.tsv"
expect_exit 3 -- "$GENODOSE" batch --samples "$SCRATCH/dup.tsv" --output-dir "$SCRATCH/refused"
expect_contains "$SCRATCH/stderr" "line 3: sample_id 'A' is repeated"
expect_exit 3 -- "$GENODOSE" batch --samples "$SCRATCH/no-sheet.tsv" --output-dir "$SCRATCH/refused"
expect_no_file "$SCRATCH/refused"

# All samples fine: exit 0.
head -2 "$sheet" >"$SCRATCH/good.tsv"
expect_exit 0 -- "$GENODOSE" batch --samples "$SCRATCH/good.tsv" --output-dir "$SCRATCH/good"
finish
