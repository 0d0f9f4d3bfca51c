# `genodose run --vcf`: the bundled example patient from its VCF → report folder. Checks the
# outputs (atomic, 0600, byte-identical reruns, re-render from report.json gives the same files),
# the values in Chromium's DOM and in pdftotext's text against report.json, hostile identifiers,
# and bad input. Uses the shipped dose model (models/warfarin_dose.json).
source "$(dirname "$0")/common.sh"
for tool in chromium pdftotext python3 bcftools; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
dump_dom() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$SCRATCH/profile.XXXXXX")" \
    --dump-dom "file://$1" >"$2" 2>"$SCRATCH/chromium.log"
}
value() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"; }
expect_absent() { if grep -qF -- "$2" "$1"; then fail "$1 contains '$2'"; else pass; fi; }
example="$SOURCE_DIR/data/example"
export SOURCE_DATE_EPOCH=1763806500   # fixed report date: reruns must give the same bytes

out="$SCRATCH/run"
expect_exit 0 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$example/EXAMPLE-001.vcf.gz" \
  --output-dir "$out"
for f in report.json report.html report.pdf report.fhir.json genotypes.json; do
  [ -s "$out/$f" ] && pass || fail "$f not written"
  [ "$(stat -c %a "$out/$f")" = 600 ] && pass || fail "$f is not owner-only (0600)"
done
expect_no_file "$out/calls.vcf.gz"   # only from reads
[ -z "$(ls -A "$out" | grep -v '^report\|^genotypes.json$')" ] && pass || fail "unexpected files: $(ls -A "$out")"

json="$out/report.json"
[ "$(value "$json" 'd["provenance"]["generated_at"]')" = 2025-11-22T10:15:00Z ] \
  && pass || fail "SOURCE_DATE_EPOCH did not set the report date"
# *1/*3; the VCF cannot show the *6 deletion (no record for it), so the phenotype is not
# determined: Intermediate only if the sample carries no *6 (issue 22).
[ "$(value "$json" 'd["genes"][0]["gene"] + " " + d["genes"][0]["genotype_display"]')" = \
  "CYP2C9 *1/*3 [phenotype not determined: *6 not tested; Intermediate Metabolizer only if absent]" ] && pass || fail "CYP2C9 is not *1/*3"
[ "$(value "$json" 'd["genes"][0]["diplotypes"]')" = "['*1/*3']" ] && pass || fail "CYP2C9 diplotypes"
[ "$(value "$json" 'd["genes"][0]["phenotype"]')" = "None" ] && pass || fail "CYP2C9 phenotype should not be determined"
[ "$(value "$json" 'd["genes"][0]["phenotype_qualifier"]')" = "*6 not tested" ] && pass || fail "CYP2C9 phenotype qualifier"
[ "$(value "$json" 'any("assumes the sample carries none of *6 (not tested)" in n for n in d["dose"]["notes"])')" = True ] \
  && pass || fail "dose note on the untested *6"
[ "$(value "$json" '[g["genotype_display"] for g in d["genes"] if g["gene"] == "VKORC1"][0]')" = "rs9923231 C/T (-1639 G/A)" ] \
  && pass || fail "VKORC1 genotype"
[ "$(value "$json" '[g["genotype_display"] for g in d["genes"] if g["gene"] == "CYP4F2"][0]')" = "*1/*3 (rs2108622 C/T)" ] \
  && pass || fail "CYP4F2 genotype"
[ "$(value "$json" 'd["cohort"]["available"] and d["cohort"]["group"]')" = "CYP2C9 *1/*3, VKORC1 -1639 G/A" ] && pass || fail "cohort group"
[ "$(value "$json" 'd["identifiers"]["accession"]')" = "ACC-0001" ] && pass || fail "report identifiers from the patient JSON"
# The VCF has no indel record at CYP2C9*6: the report must say so rather than assume reference.
[ "$(value "$json" '"rs9332131" in [p["rsid"] for p in d["genes"][0]["positions_not_called"]]')" = True ] \
  && pass || fail "rs9332131 (*6) should be listed as not called"
[ "$(value "$json" 'd["qc"]["status"]')" = review ] && pass || fail "a missing *6 position should send the report to review"
dose=$(value "$json" '"%.1f" % d["dose"]["predicted_mg_per_week"]')
low=$(value "$json" '"%.1f" % d["dose"]["interval_low"]')
high=$(value "$json" '"%.1f" % d["dose"]["interval_high"]')
python3 -c "import sys; d, l, h = map(float, sys.argv[1:]); sys.exit(not (5 < d < 100 and l <= d <= h))" "$dose" "$low" "$high" \
  && pass || fail "dose $dose ($low-$high) is not plausible"

# The same values in the browser's DOM and in the PDF's text.
dump_dom "$out/report.html" "$SCRATCH/dom.html" && pass || fail "chromium could not render report.html"
expect_contains "$SCRATCH/dom.html" "id=\"predicted-dose\">$dose</span>"
expect_contains "$SCRATCH/dom.html" "id=\"dose-interval\">$low–$high</span>"
expect_contains "$SCRATCH/dom.html" '<td class="genotype">*1/*3 [phenotype not determined: *6 not tested; Intermediate Metabolizer only if absent]</td>'
expect_contains "$SCRATCH/dom.html" 'id="patient-id">EXAMPLE-001</td>'
pdftotext -layout "$out/report.pdf" "$SCRATCH/report.txt" && pass || fail "pdftotext failed"
expect_contains "$SCRATCH/report.txt" "Model estimate of the maintenance dose: $dose mg/week"
expect_contains "$SCRATCH/report.txt" "$low–$high mg/week"
expect_contains "$SCRATCH/report.txt" 'Intermediate Metabolizer'
expect_contains "$SCRATCH/report.txt" 'EXAMPLE-001'

# A rerun into the same folder gives the same bytes; re-rendering report.json too.
mkdir -p "$SCRATCH/first" && cp "$out"/report.* "$SCRATCH/first/"
expect_exit 0 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$example/EXAMPLE-001.vcf.gz" \
  --output-dir "$out"
for f in report.json report.html report.pdf report.fhir.json; do
  cmp -s "$out/$f" "$SCRATCH/first/$f" && pass || fail "$f differs between two runs"
done
expect_exit 0 -- "$GENODOSE" report --input "$out/report.json" --output-dir "$SCRATCH/rerendered"
for f in report.html report.pdf report.fhir.json; do
  cmp -s "$out/$f" "$SCRATCH/rerendered/$f" && pass || fail "$f re-rendered from report.json differs"
done

# Hostile identifiers: patient id and VCF sample name are escaped, never markup.
python3 - "$example/EXAMPLE-001.patient.json" "$SCRATCH/hostile.json" <<'PYTHON'
import json, sys
p = json.load(open(sys.argv[1]))
p["id"] = '<script>alert("pid")</script>'
p["sample_id"] = "<svg/onload=alert(2)>"  # the VCF sample as renamed below (old name, new name)
p["report"]["patient_name"] = "<img src=x onerror=alert(1)>"
json.dump(p, open(sys.argv[2], "w"))
PYTHON
printf 'EXAMPLE-001 <svg/onload=alert(2)>\n' >"$SCRATCH/names.txt"
bcftools reheader -s "$SCRATCH/names.txt" -o "$SCRATCH/hostile.vcf.gz" "$example/EXAMPLE-001.vcf.gz"
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/hostile.json" --vcf "$SCRATCH/hostile.vcf.gz" -o "$SCRATCH/hostile"
dump_dom "$SCRATCH/hostile/report.html" "$SCRATCH/hostile-dom.html" && pass || fail "chromium could not render the hostile report"
expect_contains "$SCRATCH/hostile-dom.html" 'id="patient-id">&lt;script&gt;alert("pid")&lt;/script&gt;</td>'
expect_contains "$SCRATCH/hostile-dom.html" 'id="sample-id">&lt;svg/onload=alert(2)&gt;</td>'
expect_absent "$SCRATCH/hostile-dom.html" '<script'
expect_absent "$SCRATCH/hostile-dom.html" '<img'
expect_absent "$SCRATCH/hostile-dom.html" '<svg/onload'

# Bad input: one line naming file and field, exit 3, no report left behind.
python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); p["weight_kg"]=0; json.dump(p, open(sys.argv[2], "w"))' \
  "$example/EXAMPLE-001.patient.json" "$SCRATCH/bad.json"
expect_exit 3 -- "$GENODOSE" run --patient "$SCRATCH/bad.json" --vcf "$example/EXAMPLE-001.vcf.gz" -o "$SCRATCH/bad"
expect_contains "$SCRATCH/stderr" "bad.json: field 'weight_kg'"
[ -z "$(ls -A "$SCRATCH/bad" 2>/dev/null)" ] && pass || fail "a failed run left files: $(ls -A "$SCRATCH/bad")"
# A failed rerun into a folder with an earlier report removes that report: nothing stale is left
# looking current.
cp -r "$out" "$SCRATCH/stale"
echo "not a VCF" | gzip >"$SCRATCH/garbage.vcf.gz"
expect_exit 3 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$SCRATCH/garbage.vcf.gz" -o "$SCRATCH/stale"
for f in report.json report.html report.pdf report.fhir.json genotypes.json; do expect_no_file "$SCRATCH/stale/$f"; done
[ -z "$(ls -A "$SCRATCH/stale")" ] && pass || fail "files left after a failed rerun: $(ls -A "$SCRATCH/stale")"
expect_exit 3 -- "$GENODOSE" run --patient "$SCRATCH/none.json" --vcf "$example/EXAMPLE-001.vcf.gz" -o "$SCRATCH/x1"
expect_exit 3 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$SCRATCH/none.vcf.gz" -o "$SCRATCH/x2"
expect_exit 2 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$example/EXAMPLE-001.vcf.gz" \
  --reads "$example/EXAMPLE-001.bam" -o "$SCRATCH/x3"
expect_exit 2 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --reads "$example/EXAMPLE-001.bam" -o "$SCRATCH/x4"
expect_exit 2 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" -o "$SCRATCH/x5"
expect_exit 2 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$example/EXAMPLE-001.vcf.gz" \
  -o "$SCRATCH/x6" --formats html,xml
# A multi-sample VCF needs --sample when the patient names no sample in it.
bcftools merge -Oz -o "$SCRATCH/two.vcf.gz" "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-003.vcf.gz" 2>/dev/null
expect_exit 3 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$SCRATCH/two.vcf.gz" -o "$SCRATCH/x7"
expect_contains "$SCRATCH/stderr" "two.vcf.gz: 2 samples (EXAMPLE-002, EXAMPLE-003); name one with --sample"
expect_exit 0 -- "$GENODOSE" run --patient "$example/EXAMPLE-002.patient.json" --vcf "$SCRATCH/two.vcf.gz" -o "$SCRATCH/two"
[ "$(value "$SCRATCH/two/report.json" 'd["identifiers"]["sample_id"] + " " + d["genes"][0]["genotype_display"]')" = "EXAMPLE-002 *2/*3" ] \
  && pass || fail "the patient's sample_id should pick EXAMPLE-002 (*2/*3)"
finish
