# `genodose report`: re-renders report.html/.pdf/.fhir.json from a report.json. Checks the HTML
# in headless Chromium and the PDF with pdftotext (the same values), FHIR structure, escaping of
# hostile identifiers, determinism, and errors. Needs no model: the input is a fixture.
source "$(dirname "$0")/common.sh"
fixture="$SOURCE_DIR/tests/data/report/report.json"
for tool in chromium pdftotext python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
dump_dom() {  # dump_dom HTML OUT: the DOM headless Chromium builds from the file
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$SCRATCH/profile.XXXXXX")" \
    --dump-dom "file://$1" >"$2" 2>"$SCRATCH/chromium.log"
}
expect_absent() { if grep -qF -- "$2" "$1"; then fail "$1 contains '$2'"; else pass; fi; }

out="$SCRATCH/out"
expect_exit 0 -- "$GENODOSE" report --input "$fixture" --output-dir "$out"
for f in report.html report.pdf report.fhir.json; do
  [ -s "$out/$f" ] && pass || fail "$f not written"
  [ "$(stat -c %a "$out/$f")" = 600 ] && pass || fail "$f is not owner-only (0600)"
done
expect_no_file "$out/report.json"
ls -A "$out" | grep -q '\.tmp' && fail "temporary file left behind" || pass

# HTML in a real browser: the values are there, and no hostile identifier became markup.
dump_dom "$out/report.html" "$SCRATCH/dom.html" && pass || fail "chromium could not render report.html"
dom="$SCRATCH/dom.html"
expect_contains "$dom" 'id="predicted-dose">23.1</span>'
expect_contains "$dom" 'id="dose-interval">13.8–34.3</span>'
expect_contains "$dom" 'id="iwpc-dose">21.5 mg/week</span>'
expect_contains "$dom" '<td class="genotype">*1/*3</td>'
expect_contains "$dom" 'Intermediate Metabolizer'
expect_contains "$dom" 'rs9923231 C/T (-1639 G/A)'
expect_contains "$dom" 'rs1057910'
expect_contains "$dom" 'CYP2C9 *1/*3, VKORC1 -1639 G/A'
expect_contains "$dom" 'must be reviewed and confirmed by a qualified clinician'
expect_contains "$dom" 'id="patient-id">&lt;script&gt;alert("pid")&lt;/script&gt;</td>'
expect_contains "$dom" 'id="sample-id">&lt;svg/onload=alert(1)&gt;&amp;"x"</td>'
expect_contains "$dom" "O'Hara &amp; &lt;b&gt;Sons&lt;/b&gt;"
expect_absent "$dom" '<script'
expect_absent "$dom" '<svg/onload'
expect_absent "$dom" '<b>Sons</b>'
expect_absent "$dom" '<i>9</i>'
[ "$(grep -o '<svg ' "$dom" | wc -l)" -eq 2 ] && pass || fail "expected 2 inline SVG charts in the DOM"

# PDF as text: the same values.
pdftotext -layout "$out/report.pdf" "$SCRATCH/report.txt" && pass || fail "pdftotext failed"
txt="$SCRATCH/report.txt"
expect_contains "$txt" 'Model estimate of the maintenance dose: 23.1 mg/week'
expect_contains "$txt" '13.8–34.3 mg/week'
expect_contains "$txt" 'IWPC pharmacogenetic equation: 21.5 mg/week'
expect_contains "$txt" '*1/*3'
expect_contains "$txt" 'Intermediate Metabolizer'
expect_contains "$txt" 'rs1057910'
expect_contains "$txt" '<script>alert("pid")</script>'
expect_contains "$txt" 'qualified clinician'
expect_contains "$txt" 'page 1 of '
pdfinfo "$out/report.pdf" | grep -q 'Page size: *595.276 x 841.89 pts (A4)' && pass || fail "report.pdf is not A4"

# FHIR: a Bundle whose DiagnosticReport refers to resources that are in it.
python3 - "$out/report.fhir.json" <<'PYTHON' && pass || fail "FHIR bundle structure"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["resourceType"] == "Bundle" and b["type"] == "collection"
urls = {e["fullUrl"]: e["resource"] for e in b["entry"]}
r = b["entry"][0]["resource"]
assert r["resourceType"] == "DiagnosticReport" and r["code"]["coding"][0]["code"] == "51969-4"
assert urls[r["subject"]["reference"]]["identifier"][0]["value"] == '<script>alert("pid")</script>'
codes = [urls[x["reference"]]["code"]["coding"][0]["code"] for x in r["result"]]
assert codes.count("84413-4") == 4 and "therapeutic-implication" in codes, codes
PYTHON

# Same JSON, same bytes; and report.json itself round-trips.
expect_exit 0 -- "$GENODOSE" report -i "$fixture" -o "$SCRATCH/again" --formats pdf,fhir,html,json
for f in report.html report.pdf report.fhir.json; do cmp -s "$out/$f" "$SCRATCH/again/$f" && pass || fail "$f differs between two renders"; done
cmp -s "$fixture" "$SCRATCH/again/report.json" && pass || fail "report.json does not round-trip"
# A report.json of an earlier genodose (schema "1" without the fields added since) is still read.
expect_exit 0 -- "$GENODOSE" report -i "$SOURCE_DIR/tests/data/report/report_before_lab_fields.json" -o "$SCRATCH/old" \
  --formats html,pdf,fhir

# Errors: one line, exit code, nothing written.
expect_exit 3 -- "$GENODOSE" report -i "$SCRATCH/missing.json" -o "$SCRATCH/e1"
expect_no_file "$SCRATCH/e1"
head -c 500 "$fixture" >"$SCRATCH/truncated.json"
expect_exit 3 -- "$GENODOSE" report -i "$SCRATCH/truncated.json" -o "$SCRATCH/e2"
expect_contains "$SCRATCH/stderr" 'truncated.json: not valid JSON'
expect_no_file "$SCRATCH/e2/report.html"
sed 's/"schema_version": "1"/"schema_version": "9"/' "$fixture" >"$SCRATCH/v9.json"
expect_exit 3 -- "$GENODOSE" report -i "$SCRATCH/v9.json" -o "$SCRATCH/e3"
expect_contains "$SCRATCH/stderr" "field 'schema_version': unsupported version '9'"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["dose"]["interval_high"]; json.dump(d, open(sys.argv[2], "w"))' "$fixture" "$SCRATCH/nofield.json"
expect_exit 3 -- "$GENODOSE" report -i "$SCRATCH/nofield.json" -o "$SCRATCH/e4"
expect_contains "$SCRATCH/stderr" "field 'dose.interval_high': missing"
expect_exit 2 -- "$GENODOSE" report -i "$fixture" -o "$SCRATCH/e5" --formats html,docx
expect_no_file "$SCRATCH/e5"
touch "$SCRATCH/a-file"
expect_exit 4 -- "$GENODOSE" report -i "$fixture" -o "$SCRATCH/a-file/sub"
finish
