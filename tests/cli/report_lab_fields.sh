# `genodose run --lab-config`: laboratory, specimen and sign-off fields reach every format as
# given (never invented), a key given twice with different values, an unknown key and an
# impossible date are input errors (exit 3, one line naming file and field, nothing written),
# and a right-to-left override in an identifier is neutralised.
source "$(dirname "$0")/common.sh"
rlo=$(printf '\xe2\x80\xae')          # U+202E RIGHT-TO-LEFT OVERRIDE (bytes: any locale)
replacement=$(printf '\xef\xbf\xbd')  # U+FFFD
example="$SOURCE_DIR/data/example"
export SOURCE_DATE_EPOCH=1763806500
value() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"; }
# patient FILE KEY=VALUE...: the example patient with report fields set.
patient() {
  local out=$1; shift
  python3 - "$example/EXAMPLE-001.patient.json" "$out" "$@" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    p["report"][k] = v
json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False)
PY
}
cat > "$SCRATCH/lab.json" <<'JSON'
{"laboratory": "genodose example laboratory", "laboratory_director": "Dr. D. Director", "clia_number": "99D9999999",
 "platform": "example platform"}
JSON
patient "$SCRATCH/p.json" specimen_type="saliva" collection_date=2024-02-29 signed_by="A. Reviewer" \
  signer_credentials="PhD" signed_date=2025-11-22 patient_name="Eve ${rlo}gnp.exe"
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/p.json" --vcf "$example/EXAMPLE-001.vcf.gz" \
  --lab-config "$SCRATCH/lab.json" --output-dir "$SCRATCH/out"
json="$SCRATCH/out/report.json"
[ "$(value "$json" 'd["laboratory"]["clia_number"]')" = 99D9999999 ] && pass || fail "CLIA number"
[ "$(value "$json" 'd["laboratory"]["director"]')" = "Dr. D. Director" ] && pass || fail "director"
[ "$(value "$json" 'd["laboratory"]["cap_number"]')" = "" ] && pass || fail "CAP number invented"
[ "$(value "$json" 'd["specimen"]["type"] + " " + d["specimen"]["collection_date"]')" = "saliva 2024-02-29" ] && pass || fail "specimen"
[ "$(value "$json" 'd["sign_off"]["name"] + "|" + d["sign_off"]["credentials"] + "|" + d["sign_off"]["date"]')" = "A. Reviewer|PhD|2025-11-22" ] \
  && pass || fail "sign-off"
[ "$(value "$json" 'd["methods"]["platform"]')" = "example platform" ] && pass || fail "platform"
[ "$(value "$json" '[i["input"] for i in d["clinical_inputs"]][:4]')" = "['Age', 'Sex', 'Height', 'Weight']" ] && pass || fail "clinical inputs"
[ "$(value "$json" 'd["headline"]["recommendation"][:5]')" = "CPIC:" ] && pass || fail "headline"
grep -q "$rlo" "$SCRATCH/p.json" && pass || fail "the test patient lacks the override"
grep -q "$rlo" "$SCRATCH/out/report.json" "$SCRATCH/out/report.html" "$SCRATCH/out/report.fhir.json" \
  && fail "right-to-left override kept" || pass
expect_contains "$SCRATCH/out/report.html" "Eve ${replacement}gnp.exe"
expect_contains "$SCRATCH/out/report.html" '99D9999999'
pdftotext "$SCRATCH/out/report.pdf" "$SCRATCH/report.txt" && pass || fail "pdftotext"
expect_contains "$SCRATCH/report.txt" 'A. Reviewer'
expect_contains "$SCRATCH/report.txt" 'Appendix: provenance'

# Errors: nothing written, one line naming the file and the field.
bad() {  # bad PATIENT LAB MESSAGE
  expect_exit 3 -- "$GENODOSE" run --patient "$1" --vcf "$example/EXAMPLE-001.vcf.gz" --lab-config "$2" \
    --output-dir "$SCRATCH/bad"
  expect_contains "$SCRATCH/stderr" "$3"
  [ "$(grep -c 'error' "$SCRATCH/stderr")" -eq 1 ] && pass || fail "error is not one line: $(cat "$SCRATCH/stderr")"
  expect_no_file "$SCRATCH/bad/report.json"
}
patient "$SCRATCH/feb30.json" collection_date=2025-02-30
bad "$SCRATCH/feb30.json" "$SCRATCH/lab.json" \
  "feb30.json: field 'report.collection_date': not a calendar date (expected YYYY-MM-DD"
patient "$SCRATCH/otherlab.json" laboratory="Another lab"
bad "$SCRATCH/otherlab.json" "$SCRATCH/lab.json" \
  "otherlab.json: field 'report.laboratory': 'Another lab' differs from 'genodose example laboratory' in"
printf '{"laboratory": "L", "fax": "1"}\n' > "$SCRATCH/unknown.json"
bad "$example/EXAMPLE-001.patient.json" "$SCRATCH/unknown.json" "unknown.json: field 'fax': unknown (known: laboratory"
printf '{"laboratory": 5}\n' > "$SCRATCH/number.json"
bad "$example/EXAMPLE-001.patient.json" "$SCRATCH/number.json" "number.json: field 'laboratory': expected a string"
finish
