# Safety of run/batch/report, end to end on the bundled example
# (data/example, shipped dose model): a sample swap is refused by `run` and `batch` as by
# `dose predict`; a typed genotype fills a no-call of the VCF, with a note; no report file of an
# earlier run is left beside a new report (run, batch, report); cohort links only to written
# files; `dose evaluate` on the training file says it is in-sample; numeric CSV ages; the patient
# JSON's "report" object; sheet rows with a patient file and clinical columns; PDF digits.
source "$(dirname "$0")/common.sh"
for tool in python3 bcftools pdftotext; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
example="$SOURCE_DIR/data/example"
export SOURCE_DATE_EPOCH=1763806500
value() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"; }
column() { awk -F'\t' -v s="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } $1 == s { print $k }' "$1"; }
expect_absent() { if grep -qF -- "$2" "$1"; then fail "$1 contains '$2'"; else pass; fi; }
errors_in_stderr() { grep -c '^\[genodose\] error:' "$SCRATCH/stderr" || true; }
p1="$example/EXAMPLE-001.patient.json" p2="$example/EXAMPLE-002.patient.json"
v1="$example/EXAMPLE-001.vcf.gz" v2="$example/EXAMPLE-002.vcf.gz" v3="$example/EXAMPLE-003.vcf.gz"

# --- 1. A patient file naming another sample than the VCF's: refused, nothing written ----------
expect_exit 3 -- "$GENODOSE" run --patient "$p1" --vcf "$v2" --output-dir "$SCRATCH/swap"
# The message names the files, not the ids (patient data stay at debug level).
expect_contains "$SCRATCH/stderr" "$p1: the patient's sample_id is not the sample $v2 holds"
[ "$(errors_in_stderr)" = 1 ] && pass || fail "the sample swap should give one error line"
expect_no_file "$SCRATCH/swap"
# `dose predict` refuses the same pairing.
expect_exit 0 -- "$GENODOSE" genotype --vcf "$v2" --output "$SCRATCH/g2.json"
expect_exit 3 -- "$GENODOSE" dose predict --input "$p1" --genotypes "$SCRATCH/g2.json" --output "$SCRATCH/swap.tsv"
# --sample naming the VCF's sample does not make the pairing right.
expect_exit 3 -- "$GENODOSE" run --patient "$p1" --vcf "$v2" --sample EXAMPLE-002 --output-dir "$SCRATCH/swap"
# A patient without sample_id is paired with the VCF's only sample, as by `dose predict`.
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); del p["sample_id"]; p["id"]="LAB-7"; json.dump(p, open(sys.argv[2], "w"))' \
  "$p2" "$SCRATCH/nosample.json"
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/nosample.json" --vcf "$v2" --output-dir "$SCRATCH/nosample"
# In batch: the swapped row fails (no folder), the others are reported; a patient in clinical
# columns is never checked against the sheet's sample_id (it names the folder, not the VCF sample).
printf 'sample_id\tvcf\tpatient\tage_years\tweight_kg\trace\n' >"$SCRATCH/swap.tsv"
printf 'SWAP\t%s\t%s\t.\t.\t.\n' "$v2" "$p1" >>"$SCRATCH/swap.tsv"
printf 'EXAMPLE-002\t%s\t%s\t.\t.\t.\n' "$v2" "$p2" >>"$SCRATCH/swap.tsv"
printf 'FOLDER-NAME\t%s\t.\t45\t95\tWhite\n' "$v3" >>"$SCRATCH/swap.tsv"
expect_exit 1 -- "$GENODOSE" batch --samples "$SCRATCH/swap.tsv" --output-dir "$SCRATCH/swapbatch"
[ "$(column "$SCRATCH/swapbatch/cohort.tsv" SWAP status)" = failed ] && pass || fail "the swapped batch row should fail"
column "$SCRATCH/swapbatch/cohort.tsv" SWAP error | grep -qF "holds sample 'EXAMPLE-002'" && pass || fail "SWAP's error should name the samples"
expect_no_file "$SCRATCH/swapbatch/SWAP"
[ "$(column "$SCRATCH/swapbatch/cohort.tsv" EXAMPLE-002 status)" = ok ] && pass || fail "EXAMPLE-002 should be ok"
[ "$(column "$SCRATCH/swapbatch/cohort.tsv" FOLDER-NAME status)" = ok ] && pass || fail "an inline patient should be ok: $(column "$SCRATCH/swapbatch/cohort.tsv" FOLDER-NAME error)"

# --- 2. A genotype typed into the patient file fills the VCF's no-call, with a note -------------
# EXAMPLE-003's VCF has no record at rs12777823 (data/example/README.md).
cat >"$SCRATCH/rs127.json" <<'JSON'
{"schema_version": "1", "id": "P3", "sample_id": "EXAMPLE-003", "age_years": 45, "height_cm": 180, "weight_kg": 95,
 "sex": "male", "race": "Black or African American", "genotypes": {"rs12777823": "A/A", "CYP2C9": "*1/*5"}}
JSON
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/rs127.json" --vcf "$v3" --output-dir "$SCRATCH/rs127"
json="$SCRATCH/rs127/report.json"
[ "$(value "$json" '"cpic_african_rs12777823_a" in [s["code"] for s in d["guideline"]["statements"]]')" = True ] \
  && pass || fail "the typed rs12777823 A/A should give the A-carrier statement"
[ "$(value "$json" '"cpic_african_rs12777823_not_tested" in [s["code"] for s in d["guideline"]["statements"]]')" = False ] \
  && pass || fail "rs12777823 should not be reported as not tested"
[ "$(value "$json" '"rs12777823: the genotype file has no call; A/A typed in the patient input was used" in d["dose"]["notes"]')" = True ] \
  && pass || fail "a note should say the typed rs12777823 was used"
[ "$(value "$json" '"CYP2C9: *1/*1 in the genotype file replaced *1/*5 typed in the patient input" in d["dose"]["notes"]')" = True ] \
  && pass || fail "a note should say the typed CYP2C9 was replaced"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$v3" --output "$SCRATCH/g3.json"
expect_exit 0 -- "$GENODOSE" dose predict --input "$SCRATCH/rs127.json" --genotypes "$SCRATCH/g3.json" --output "$SCRATCH/rs127.tsv"
expect_contains "$SCRATCH/rs127.tsv" "cpic_african_rs12777823_a"
expect_contains "$SCRATCH/rs127.tsv" "rs12777823: the genotype file has no call; A/A typed in the patient input was used"

# --- 3. No report file of an earlier run beside a new report --------------------------------
out="$SCRATCH/mix"
expect_exit 0 -- "$GENODOSE" run --patient "$p1" --vcf "$v1" --output-dir "$out"
touch "$out/depth.tsv" "$out/calls.vcf.gz" "$out/calls.vcf.gz.tbi" "$out/my-notes.txt"  # as from a reads run, and the user's own file
expect_exit 0 -- "$GENODOSE" run --patient "$p2" --vcf "$v2" --output-dir "$out" --formats html
for f in report.pdf report.fhir.json depth.tsv calls.vcf.gz calls.vcf.gz.tbi; do expect_no_file "$out/$f"; done
expect_contains "$SCRATCH/stderr" "removed report.pdf, report.fhir.json, depth.tsv, calls.vcf.gz, calls.vcf.gz.tbi from the output folder"
[ -f "$out/my-notes.txt" ] && pass || fail "a file genodose does not write must be kept"
[ "$(value "$out/report.json" 'd["identifiers"]["patient_id"]')" = EXAMPLE-002 ] && pass || fail "report.json should be EXAMPLE-002's"
expect_contains "$out/report.html" "EXAMPLE-002"
# A failed run into the folder leaves no report at all (as before).
expect_exit 3 -- "$GENODOSE" run --patient "$p1" --vcf "$v2" --output-dir "$out"
[ -z "$(ls -A "$out" | grep -v '^my-notes.txt$')" ] && pass || fail "files left after a failed run: $(ls -A "$out")"
# batch: a second run with fewer formats into the same folder.
printf 'sample_id\tvcf\tpatient\nEXAMPLE-002\t%s\t%s\n' "$v2" "$p2" >"$SCRATCH/one.tsv"
expect_exit 0 -- "$GENODOSE" batch --samples "$SCRATCH/one.tsv" --output-dir "$SCRATCH/bo"
expect_exit 0 -- "$GENODOSE" batch --samples "$SCRATCH/one.tsv" --output-dir "$SCRATCH/bo" --formats html
for f in report.pdf report.fhir.json; do expect_no_file "$SCRATCH/bo/EXAMPLE-002/$f"; done
[ -s "$SCRATCH/bo/EXAMPLE-002/report.html" ] && pass || fail "batch: report.html missing"
# batch: a sample whose patient file cannot be read leaves no earlier report behind.
printf 'sample_id\tvcf\tpatient\nEXAMPLE-002\t%s\t%s\n' "$v2" "$SCRATCH/gone.json" >"$SCRATCH/gone.tsv"
expect_exit 1 -- "$GENODOSE" batch --samples "$SCRATCH/gone.tsv" --output-dir "$SCRATCH/bo"
expect_no_file "$SCRATCH/bo/EXAMPLE-002"
# report: --formats pdf from one report.json, then --formats html from another.
expect_exit 0 -- "$GENODOSE" report --input "$SCRATCH/nosample/report.json" --output-dir "$SCRATCH/rr" --formats pdf
expect_exit 0 -- "$GENODOSE" report --input "$SCRATCH/rs127/report.json" --output-dir "$SCRATCH/rr" --formats html
expect_no_file "$SCRATCH/rr/report.pdf"
# ... and into its own folder: the input report.json is kept.
# Fewer formats than are there would remove this report's own HTML/FHIR: only with --force.
expect_exit 2 -- "$GENODOSE" report --input "$SCRATCH/rs127/report.json" --output-dir "$SCRATCH/rs127" --formats pdf
expect_exit 0 -- "$GENODOSE" report --input "$SCRATCH/rs127/report.json" --output-dir "$SCRATCH/rs127" --formats pdf --force
[ -s "$SCRATCH/rs127/report.json" ] && pass || fail "report must not remove its own input"
expect_no_file "$SCRATCH/rs127/report.html"

# --- 5. batch --formats fhir / pdf: cohort links only to files that exist ---------------------
for formats in fhir pdf; do
  expect_exit 0 -- "$GENODOSE" batch --samples "$SCRATCH/one.tsv" --output-dir "$SCRATCH/links-$formats" --formats "$formats"
  link=$(column "$SCRATCH/links-$formats/cohort.tsv" EXAMPLE-002 report)
  [ -f "$SCRATCH/links-$formats/$link" ] && pass || fail "--formats $formats: cohort.tsv links to '$link', which does not exist"
  grep -q 'href="EXAMPLE-002/' "$SCRATCH/links-$formats/cohort.html" && pass || fail "--formats $formats: no link to the report"
  for href in $(grep -o 'href="[^"#]*"' "$SCRATCH/links-$formats/cohort.html" | sed 's/^href="//; s/"$//'); do
    [ -f "$SCRATCH/links-$formats/$href" ] && pass || fail "--formats $formats: cohort.html links to missing $href"
  done
done

# --- 4. dose evaluate on the model's own training file -----------------------------------------
data="$SOURCE_DIR/tests/data/dosing"
sha=$(sha256sum "$data/iwpc_subset.csv" | cut -d' ' -f1)
python3 - "$SOURCE_DIR/models/warfarin_dose.json" "$SCRATCH/trained-on-subset.json" "$sha" <<'PYTHON'
import re, sys
text = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r'"data_sha256": "[0-9a-f]{64}"', f'"data_sha256": "{sys.argv[3]}"', text, count=1))
PYTHON
expect_exit 0 -- "$GENODOSE" dose evaluate --model "$SCRATCH/trained-on-subset.json" --iwpc "$data/iwpc_subset.csv" \
  --output "$SCRATCH/in-sample.json"
expect_contains "$SCRATCH/stderr" "warning: $data/iwpc_subset.csv: this file is the model's training data"
expect_contains "$SCRATCH/stdout" "WARNING: in-sample figures"
[ "$(value "$SCRATCH/in-sample.json" 'd["in_sample"]')" = True ] && pass || fail "in_sample should be true"
expect_exit 0 -- "$GENODOSE" dose evaluate --iwpc "$data/iwpc_subset.csv" --output "$SCRATCH/held-out.json"
expect_absent "$SCRATCH/stderr" "training data"
[ "$(value "$SCRATCH/held-out.json" 'd["in_sample"]')" = False ] && pass || fail "in_sample should be false"

# --- 6. CSV Age in years is an age, as JSON age_years: 18 and 19.5 are adults ----------------
{
  printf 'PharmGKB Subject ID,Race (OMB),Age,Height (cm),Weight (kg),CYP2C9 consensus,VKORC1 -1639 consensus\n'
  printf 'A17,White,17,170,70,*1/*1,A/G\nA18,White,18,170,70,*1/*1,A/G\nA19,White,19.5,170,70,*1/*1,A/G\n'
  printf 'BAND,White,10 - 19,170,70,*1/*1,A/G\n'
} >"$SCRATCH/ages.csv"
expect_exit 0 -- "$GENODOSE" dose predict --input "$SCRATCH/ages.csv" --output "$SCRATCH/ages.tsv"
for id in A17 BAND; do column "$SCRATCH/ages.tsv" $id cpic_flags | grep -q cpic_pediatric && pass || fail "$id should be flagged pediatric"; done
for id in A18 A19; do column "$SCRATCH/ages.tsv" $id cpic_flags | grep -q cpic_pediatric && fail "$id is an adult" || pass; done
sed 's/^A18,White,18,/A18,White,121,/' "$SCRATCH/ages.csv" >"$SCRATCH/age121.csv"
expect_exit 3 -- "$GENODOSE" dose predict --input "$SCRATCH/age121.csv" --output "$SCRATCH/age121.tsv"
expect_contains "$SCRATCH/stderr" "field 'Age': age outside the accepted range (> 0 and <= 120 years)"

# --- 7. The "report" object is checked by every command; sheet rows; PDF digits --------------
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); p["report"]={"name": "x"}; json.dump(p, open(sys.argv[2], "w"))' \
  "$p2" "$SCRATCH/reportbad.json"
expect_exit 3 -- "$GENODOSE" dose predict --input "$SCRATCH/reportbad.json" --output "$SCRATCH/rb.tsv"
expect_contains "$SCRATCH/stderr" "reportbad.json: field 'report.name': unknown"
expect_no_file "$SCRATCH/rb.tsv"
expect_exit 3 -- "$GENODOSE" run --patient "$SCRATCH/reportbad.json" --vcf "$v2" --output-dir "$SCRATCH/rb"
expect_contains "$SCRATCH/stderr" "reportbad.json: field 'report.name': unknown"
printf 'sample_id\tvcf\tpatient\tweight_kg\trace\nEXAMPLE-002\t%s\t%s\t50\tWhite\n' "$v2" "$p2" >"$SCRATCH/both.tsv"
expect_exit 3 -- "$GENODOSE" batch --samples "$SCRATCH/both.tsv" --output-dir "$SCRATCH/both"
expect_contains "$SCRATCH/stderr" "both.tsv: line 2: give a 'patient' file or clinical columns, not both"
expect_no_file "$SCRATCH/both"
# Driver contributions: the same two decimals in report.json, HTML and PDF.
expect_exit 0 -- "$GENODOSE" report --input "$SOURCE_DIR/tests/data/report/report.json" --output-dir "$SCRATCH/digits" --formats html,pdf
pdftotext -layout "$SCRATCH/digits/report.pdf" "$SCRATCH/digits.txt" && pass || fail "pdftotext failed"
for v in -8.97 +0.96 +0.90 -0.26; do
  expect_contains "$SCRATCH/digits.txt" "$v"
  expect_contains "$SCRATCH/digits/report.html" ">$v</td>"
done
finish
