# Bad text in user inputs (issue #24): invalid UTF-8 (exit 3 naming file and line; in a batch only
# that sample fails), keys or columns given twice (exit 3), identifiers and text fields over the
# length limits (exit 3), a 50 kb allele abbreviated in reports and messages, NUL and U+202E in
# identifiers neutralised in HTML, and no patient value in errors at the default verbosity.
source "$(dirname "$0")/common.sh"
for tool in python3 bcftools; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
example="$(cd "$SOURCE_DIR/data/example" && pwd)"
export SOURCE_DATE_EPOCH=1763806500
patient="$example/EXAMPLE-001.patient.json" vcf="$example/EXAMPLE-001.vcf.gz" vcf2="$example/EXAMPLE-002.vcf.gz"
edit_patient() {  # edit_patient OUT PYTHON-STATEMENTS (on dict p), then written as JSON (UTF-8)
  python3 - "$patient" "$1" "$2" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
exec(sys.argv[3])
open(sys.argv[2], "w", encoding="utf-8").write(json.dumps(p, indent=2, ensure_ascii=False))
PY
}
not_in_stderr() { if grep -qF -- "$1" "$SCRATCH/stderr"; then fail "stderr shows '$1': $(head -2 "$SCRATCH/stderr")"; else pass; fi; }

# --- Invalid UTF-8: a Latin-1 patient id ----------------------------------------------------------
edit_patient "$SCRATCH/utf8.json" 'p["id"] = "M\u00fcller-7"'
python3 -c 'import sys; t = open(sys.argv[1], encoding="utf-8").read(); open(sys.argv[1], "wb").write(t.encode("latin-1"))' "$SCRATCH/utf8.json"
expect_exit 3 -- "$GENODOSE" run --patient "$SCRATCH/utf8.json" --vcf "$vcf" --output-dir "$SCRATCH/utf8"
expect_contains "$SCRATCH/stderr" "$SCRATCH/utf8.json: line 3: not valid UTF-8"
expect_no_file "$SCRATCH/utf8/report.json"
printf 'PharmGKB Subject ID,Race (OMB),Age,Height (cm),Weight (kg),CYP2C9 consensus,VKORC1 -1639 consensus\nPA1,White,50 - 59,170,80,*1/*1,G/G\nM\xfcller,White,50 - 59,170,80,*1/*1,G/G\n' >"$SCRATCH/latin1.csv"
expect_exit 3 -- "$GENODOSE" dose predict --input "$SCRATCH/latin1.csv" --output "$SCRATCH/latin1.tsv"
expect_contains "$SCRATCH/stderr" "$SCRATCH/latin1.csv: line 3: not valid UTF-8"
# In a batch only that sample fails (exit 1), the other is reported.
{
  printf 'sample_id\tvcf\tpatient_id\tage_years\theight_cm\tweight_kg\tsex\trace\n'
  printf 'S1\t%s\tM\xfcller\t45\t180\t95\tmale\tWhite\n' "$vcf2"
  printf 'S2\t%s\tPID-2\t45\t180\t95\tmale\tWhite\n' "$vcf2"
} >"$SCRATCH/sheet.tsv"
expect_exit 1 -- "$GENODOSE" batch --samples "$SCRATCH/sheet.tsv" --output-dir "$SCRATCH/batch"
[ -f "$SCRATCH/batch/S2/report.json" ] && pass || fail "the valid sample of the batch was not reported"
grep -q "line 2: not valid UTF-8" "$SCRATCH/batch/cohort.tsv" && pass || fail "cohort.tsv does not name the invalid line"

# --- Keys and columns given twice ---------------------------------------------------------------
python3 - "$patient" "$SCRATCH/twice.json" <<'PY'
import json, sys
text = json.dumps(json.load(open(sys.argv[1])), indent=2)
open(sys.argv[2], "w").write(text.replace('"weight_kg":', '"weight_kg": 500,\n  "weight_kg":', 1))
PY
expect_exit 3 -- "$GENODOSE" dose predict --input "$SCRATCH/twice.json" --output "$SCRATCH/twice.tsv"
expect_contains "$SCRATCH/stderr" "key 'weight_kg' appears twice"
expect_no_file "$SCRATCH/twice.tsv"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$vcf" --output "$SCRATCH/g.json"
sed '0,/"sample": /s//"sample": "X", "sample": /' "$SCRATCH/g.json" >"$SCRATCH/g_twice.json"
expect_exit 3 -- "$GENODOSE" dose predict --input "$patient" --genotypes "$SCRATCH/g_twice.json" --output "$SCRATCH/g.tsv"
expect_contains "$SCRATCH/stderr" "key 'sample' appears twice"
expect_exit 0 -- "$GENODOSE" run --patient "$patient" --vcf "$vcf" --output-dir "$SCRATCH/ok" --formats json
sed '0,/"title": /s//"title": "x", "title": /' "$SCRATCH/ok/report.json" >"$SCRATCH/report_twice.json"
expect_exit 3 -- "$GENODOSE" report --input "$SCRATCH/report_twice.json" --output-dir "$SCRATCH/r_twice" --formats html
expect_contains "$SCRATCH/stderr" "key 'title' appears twice"
printf '{"laboratory_director": "A", "laboratory_director": "B"}\n' >"$SCRATCH/lab_twice.json"
expect_exit 3 -- "$GENODOSE" run --patient "$patient" --vcf "$vcf" --lab-config "$SCRATCH/lab_twice.json" --output-dir "$SCRATCH/lab"
expect_contains "$SCRATCH/stderr" "key 'laboratory_director' appears twice"
printf 'PharmGKB Subject ID,Race (OMB),Age,Height (cm),Weight (kg),Weight (kg),CYP2C9 consensus,VKORC1 -1639 consensus\nPA1,White,50 - 59,170,80,120,*1/*1,G/G\n' >"$SCRATCH/cols.csv"
expect_exit 3 -- "$GENODOSE" dose predict --input "$SCRATCH/cols.csv" --output "$SCRATCH/cols.tsv"
expect_contains "$SCRATCH/stderr" "column 'Weight (kg)' appears twice"
printf 'sample_id\tvcf\tvcf\nS1\t%s\t%s\n' "$vcf2" "$vcf2" >"$SCRATCH/sheet_cols.tsv"
expect_exit 3 -- "$GENODOSE" batch --samples "$SCRATCH/sheet_cols.tsv" --output-dir "$SCRATCH/b2"
expect_contains "$SCRATCH/stderr" "column 'vcf' appears twice"

# --- Length limits: identifiers 256 bytes, other text 4096 ----------------------------------------
edit_patient "$SCRATCH/long_id.json" 'p["id"] = "P" * 300'
expect_exit 3 -- "$GENODOSE" run --patient "$SCRATCH/long_id.json" --vcf "$vcf" --output-dir "$SCRATCH/long_id"
expect_contains "$SCRATCH/stderr" "field 'id': longer than 256 bytes (300)"
edit_patient "$SCRATCH/long_name.json" 'p.setdefault("report", {})["patient_name"] = "N" * 100000'
expect_exit 3 -- "$GENODOSE" run --patient "$SCRATCH/long_name.json" --vcf "$vcf" --output-dir "$SCRATCH/long_name"
expect_contains "$SCRATCH/stderr" "field 'report.patient_name': longer than 4096 bytes (100000)"
python3 - "$SCRATCH/ok/report.json" "$SCRATCH/long_report.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["identifiers"]["patient_id"] = "P" * 1000
json.dump(d, open(sys.argv[2], "w"))
PY
expect_exit 3 -- "$GENODOSE" report --input "$SCRATCH/long_report.json" --output-dir "$SCRATCH/long_report" --formats html
expect_contains "$SCRATCH/stderr" "is 1000 bytes long (at most 256)"

# --- A 50 kb REF at a key position: abbreviated in messages and reports ---------------------------
bcftools view -h "$vcf" >"$SCRATCH/long_allele.vcf"
bcftools view -H "$vcf" | awk -F'\t' -v OFS='\t' -v g="$(printf 'G%.0s' $(seq 1 50000))" \
  '$2 == 94981296 { $4 = $4 g; if ($5 != ".") $5 = $5 g } { print }' >>"$SCRATCH/long_allele.vcf"
expect_exit 0 -- timeout 120 "$GENODOSE" run --patient "$patient" --vcf "$SCRATCH/long_allele.vcf" --output-dir "$SCRATCH/long_allele"
expect_contains "$SCRATCH/stderr" "(50001 bp)"
for f in report.json report.html; do
  size=$(stat -c %s "$SCRATCH/long_allele/$f" 2>/dev/null || echo 0)
  [ "$size" -gt 0 ] && [ "$size" -lt 400000 ] && pass || fail "$f with a 50 kb allele is $size bytes"
done
[ "$(wc -L <"$SCRATCH/stderr")" -lt 1000 ] && pass || fail "a log line quotes the 50 kb allele"

# --- NUL and U+202E in identifiers: replaced by U+FFFD in the HTML -----------------------------
edit_patient "$SCRATCH/hidden.json" 'p["id"] = "PID\u0000-\u202eX"; p.setdefault("report", {})["patient_name"] = "Ann\u001b[31m Lee"'
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/hidden.json" --vcf "$vcf" --output-dir "$SCRATCH/hidden" --formats json,html,pdf
python3 - "$SCRATCH/hidden/report.html" <<'PY' && pass || fail "NUL, ESC or U+202E reached the HTML report"
import sys
t = open(sys.argv[1], "rb").read()
sys.exit(b"\x00" in t or b"\x1b" in t or "\u202e".encode() in t or "PID\ufffd-\ufffdX".encode() not in t)
PY

# --- No patient value in errors at the default verbosity; at debug level only --------------------
edit_patient "$SCRATCH/heavy.json" 'p["id"] = "PID-QX7Z31"; p["weight_kg"] = 700.25'
expect_exit 3 -- "$GENODOSE" dose predict --input "$SCRATCH/heavy.json" --output "$SCRATCH/heavy.tsv"
expect_contains "$SCRATCH/stderr" "field 'weight_kg': weight outside the possible range 10-635 kg"
not_in_stderr "700.25"
expect_exit 3 -- "$GENODOSE" run --patient "$SCRATCH/heavy.json" --vcf "$vcf" --output-dir "$SCRATCH/heavy"
not_in_stderr "700.25"
expect_exit 3 -- "$GENODOSE" --verbose dose predict --input "$SCRATCH/heavy.json" --output "$SCRATCH/heavy.tsv"
grep -q '^\[genodose\] debug: .*700.25' "$SCRATCH/stderr" && pass || fail "--verbose should show the value on a debug line"
printf 'PharmGKB Subject ID,Race (OMB),Age,Height (cm),Weight (kg),CYP2C9 consensus,VKORC1 -1639 consensus\nPID-QX7Z31,White,50 - 59,170,-3.5,*1/*1,G/G\n' >"$SCRATCH/neg.csv"
expect_exit 3 -- "$GENODOSE" dose predict --input "$SCRATCH/neg.csv" --output "$SCRATCH/neg.tsv"
not_in_stderr "PID-QX7Z31"
not_in_stderr "3.5"
edit_patient "$SCRATCH/swap.json" 'p["id"] = "PID-QX7Z31"; p["sample_id"] = "SM-KV84TW"'
expect_exit 3 -- "$GENODOSE" run --patient "$SCRATCH/swap.json" --vcf "$vcf" --output-dir "$SCRATCH/swap"
expect_contains "$SCRATCH/stderr" "sample_id is not the sample"
not_in_stderr "PID-QX7Z31"
not_in_stderr "SM-KV84TW"

# --- Minor: -q silences TBB; honest batch hint; report in place keeps signed files without --force ---
expect_exit 0 -- "$GENODOSE" -q run --patient "$patient" --vcf "$vcf" --output-dir "$SCRATCH/quiet" --threads 64
[ ! -s "$SCRATCH/stderr" ] && pass || fail "-q printed: $(head -2 "$SCRATCH/stderr")"
printf 'sample_id\tvcf\tage_years\theight_cm\tweight_kg\nS1\t%s\t45\t180\t-3\n' "$vcf2" >"$SCRATCH/all_fail.tsv"
expect_exit 1 -- "$GENODOSE" batch --samples "$SCRATCH/all_fail.tsv" --output-dir "$SCRATCH/all_fail"
expect_contains "$SCRATCH/stderr" "hint: no report was written"
not_in_stderr "reports were written"
expect_exit 2 -- "$GENODOSE" report --input "$SCRATCH/quiet/report.json" --output-dir "$SCRATCH/quiet" --formats json
expect_contains "$SCRATCH/stderr" "would remove report.html, report.pdf, report.fhir.json"
[ -f "$SCRATCH/quiet/report.pdf" ] && pass || fail "report --formats json in place removed the PDF without --force"
expect_exit 0 -- "$GENODOSE" report --input "$SCRATCH/quiet/report.json" --output-dir "$SCRATCH/quiet" --formats json --force
expect_no_file "$SCRATCH/quiet/report.pdf"

finish
