# `genodose run --reads`: the bundled example patient (simulated 2x150 bp reads, ~30x, CYP2C9 *1/*3,
# VKORC1 -1639 G/A, CYP4F2 *1/*3) from BAM to report. Checks the genotypes against the simulated
# truth and against the VCF path, calls.vcf.gz and depth.tsv, coverage, and the report's values
# in Chromium and pdftotext. Uses the shipped caller (models/caller.cnn) and dose model.
source "$(dirname "$0")/common.sh"
for tool in chromium pdftotext python3 bcftools tabix; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
dump_dom() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$(mktemp -d "$SCRATCH/profile.XXXXXX")" \
    --dump-dom "file://$1" >"$2" 2>"$SCRATCH/chromium.log"
}
value() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"; }
example="$SOURCE_DIR/data/example"
ref="$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz"
export SOURCE_DATE_EPOCH=1763806500

out="$SCRATCH/reads"
start=$(date +%s)
expect_exit 0 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --reads "$example/EXAMPLE-001.bam" \
  --ref "$ref" --output-dir "$out" --threads 2
echo "run --reads took $(( $(date +%s) - start )) s"
for f in report.json report.html report.pdf report.fhir.json genotypes.json calls.vcf.gz calls.vcf.gz.tbi depth.tsv; do
  [ -s "$out/$f" ] && pass || fail "$f not written"
  [ "$(stat -c %a "$out/$f" 2>/dev/null)" = 600 ] && pass || fail "$f is not owner-only (0600)"
done
[ -z "$(ls -A "$out" | grep '^\.')" ] && pass || fail "hidden scratch files left: $(ls -A "$out")"

json="$out/report.json"
gene() { value "$json" "[g['genotype_display'] for g in d['genes'] if g['gene'] == '$1'][0]"; }
[ "$(gene CYP2C9)" = "*1/*3" ] && pass || fail "CYP2C9 from reads: $(gene CYP2C9), expected *1/*3"
[ "$(gene VKORC1)" = "rs9923231 C/T (-1639 G/A)" ] && pass || fail "VKORC1 from reads: $(gene VKORC1)"
[ "$(gene CYP4F2)" = "*1/*3 (rs2108622 C/T)" ] && pass || fail "CYP4F2 from reads: $(gene CYP4F2)"
[ "$(value "$json" 'd["input_kind"]')" = reads ] && pass || fail "input_kind"
# Every defined position inside the simulated regions is covered (~30x) and must be called.
[ "$(value "$json" 'sum(g["positions_called"] for g in d["genes"])')" = 104 ] && pass \
  || fail "positions called from reads: $(value "$json" 'sum(g["positions_called"] for g in d["genes"])') of 104"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["genes"][0]["coverage"]; sys.exit(not (20 <= c["mean_depth"] <= 40 and c["fraction_at_least_20x"] > 0.8))' "$json" \
  && pass || fail "CYP2C9 coverage is not ~30x"
depth=$(awk -F'\t' '$2 == "rs1057910" { print $9 }' "$out/depth.tsv")
[ "${depth:-0}" -ge 15 ] && pass || fail "depth at rs1057910 is '$depth'"
awk -F'\t' '$2 == "rs1057910" && $8 == "A/C"' "$out/depth.tsv" | grep -q . && pass || fail "depth.tsv: rs1057910 is not A/C"
# rs12777823 lies outside the example reference's sequence: reported as not called, never as G/G.
[ "$(value "$json" 'd["other_variants"][0]["genotype"]')" = "" ] && pass || fail "rs12777823 should not be called"

# calls.vcf.gz: indexed, GRCh38 contigs, the three simulated variants PASS.
tabix -l "$out/calls.vcf.gz" >/dev/null && pass || fail "calls.vcf.gz is not indexed"
for site in chr10:94981296 chr16:31096368 chr19:15879621; do
  [ "$(bcftools view -H -f PASS -r "$site" "$out/calls.vcf.gz" | cut -f10 | cut -d: -f1)" = 0/1 ] && pass \
    || fail "calls.vcf.gz: $site is not a PASS 0/1 call"
done

# One calling pass: the genotypes of the report are those of calls.vcf.gz's records. Every target
# whose position has a record of the same REF/ALT carries that record's genotype and GQ, and a
# called non-reference target has such a record.
bcftools query -f '%POS\t%REF\t%ALT\t[%GT]\t[%GQ]\n' "$out/calls.vcf.gz" >"$SCRATCH/records.tsv"
python3 - "$out/depth.tsv" "$SCRATCH/records.tsv" <<'PY' && pass || fail "genotypes differ from the records of calls.vcf.gz"
import sys
records = {}
for line in open(sys.argv[2]):
    pos, ref, alt, gt, gq = line.rstrip("\n").split("\t")
    records[(int(pos), ref)] = (alt.split(","), gt, gq)
checked = 0
for line in open(sys.argv[1]):
    if line.startswith("#"):
        continue
    gene, rsid, chrom, pos, ref, alts, status, genotype, depth, quality = line.rstrip("\n").split("\t")
    record = records.get((int(pos), ref))
    if status != "called":
        continue
    alleles = genotype.replace("|", "/").split("/")
    if record is None:
        if any(a != ref for a in alleles):
            sys.exit(f"{gene} {rsid} {pos}: non-reference {genotype} without a record at its position")
        continue
    record_alts, gt, gq = record
    if set(alts.split(",")) & set(record_alts) == set():
        continue  # another allele at this position: matched by normalised alleles, not compared here
    called = sorted(([ref] + record_alts)[int(i)] for i in gt.replace("|", "/").split("/"))
    if called != sorted(alleles) or gq != quality:
        sys.exit(f"{gene} {rsid} {pos}: genotypes.json {genotype} GQ {quality}, calls.vcf.gz {gt} GQ {gq}")
    checked += 1
if checked < 3:
    sys.exit(f"only {checked} targets had records to compare")
print(f"{checked} targets agree with their records")
PY

# Reads and VCF paths agree on every gene's call. The VCF (bcftools at the defined positions)
# has no record that can show the *6 deletion, so its CYP2C9 phenotype is not determined.
expect_exit 0 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --vcf "$example/EXAMPLE-001.vcf.gz" -o "$SCRATCH/vcf"
for g in CYP2C9 VKORC1 CYP4F2; do
  [ "$(value "$json" "[x['diplotypes'] for x in d['genes'] if x['gene'] == '$g'][0]")" = \
    "$(value "$SCRATCH/vcf/report.json" "[x['diplotypes'] for x in d['genes'] if x['gene'] == '$g'][0]")" ] \
    && pass || fail "$g differs between reads and VCF"
done
[ "$(value "$SCRATCH/vcf/report.json" "[x['genotype_display'] for x in d['genes'] if x['gene'] == 'CYP2C9'][0]")" = \
  "*1/*3 [phenotype not determined: *6 not tested; Intermediate Metabolizer only if absent]" ] \
  && pass || fail "CYP2C9 from the VCF without a *6 record is not qualified"
[ "$(value "$json" "[x['phenotype'] for x in d['genes'] if x['gene'] == 'CYP2C9'][0]")" = "Intermediate Metabolizer" ] \
  && pass || fail "CYP2C9 from reads (every key position called) should be Intermediate Metabolizer"

# The report in the browser and as PDF text.
dose=$(value "$json" '"%.1f" % d["dose"]["predicted_mg_per_week"]')
dump_dom "$out/report.html" "$SCRATCH/dom.html" && pass || fail "chromium could not render report.html"
expect_contains "$SCRATCH/dom.html" "id=\"predicted-dose\">$dose</span>"
expect_contains "$SCRATCH/dom.html" '<td class="genotype">*1/*3</td>'
expect_contains "$SCRATCH/dom.html" 'Read depth over chr10:94933158-94992091'
pdftotext -layout "$out/report.pdf" "$SCRATCH/report.txt" && pass || fail "pdftotext failed"
expect_contains "$SCRATCH/report.txt" "Model estimate of the maintenance dose: $dose mg/week"
expect_contains "$SCRATCH/report.txt" 'Intermediate Metabolizer'
expect_contains "$SCRATCH/report.txt" 'caller model'

# A caller model that is not one: exit 3, and no partial report.
echo "not a model" >"$SCRATCH/bad.cnn"
expect_exit 3 -- "$GENODOSE" run --patient "$example/EXAMPLE-001.patient.json" --reads "$example/EXAMPLE-001.bam" \
  --ref "$ref" --caller-model "$SCRATCH/bad.cnn" -o "$SCRATCH/badmodel"
[ -z "$(ls -A "$SCRATCH/badmodel" 2>/dev/null)" ] && pass || fail "a failed run left files: $(ls -A "$SCRATCH/badmodel")"
finish
