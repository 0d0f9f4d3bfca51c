# Issue 22, genotype semantics from the command line: VCF keys outside the naming rule are read
# by every VCF path (genotype, run, evaluate) with one warning; a GRCh37 VCF read as GRCh38 says
# so; an untested *3 is no confident Normal Metabolizer and the dose does not use activity score 2;
# a targeted assay's *2/*3 is called, dosed and listed with the alleles not tested; for a patient
# of African ancestry, untested *5/*6/*8/*11 and rs12777823 send the report to review; from
# low-depth reads, key positions are genotyped from the reads there are (with GQ), and a call
# resting on low-GQ key positions has no confident phenotype.
source "$(dirname "$0")/common.sh"
for tool in python3 bgzip tabix; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
data="$SOURCE_DIR/tests/data/pgx"
value() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {"d": d}))' "$1" "$2"; }
expect_value() {  # FILE EXPRESSION EXPECTED
  local got; got=$(value "$1" "$2")
  if [ "$got" = "$3" ]; then pass; else fail "$1: $2 is '$got', expected '$3'"; fi
}
export SOURCE_DATE_EPOCH=1763806500

# --- keys with '-' (as in PharmCAT's own test VCFs), undeclared: read, one warning -------------
awk 'BEGIN{OFS="\t"} /^#/ {print; next}
     $3=="rs1057910" {$8="PX-INFO=1"; $9=$9":AD-X"; $10="0/1:3"} {print}' "$data/pharmcat.example.vcf" >"$SCRATCH/dash.vcf"
grep -q 'AD-X' "$SCRATCH/dash.vcf" && pass || fail "fixture: no AD-X key written"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/dash.vcf" --output "$SCRATCH/dash.json"
[ "$(grep -c 'naming rule' "$SCRATCH/stderr")" = 1 ] && pass || fail "expected one warning about the naming rule: $(cat "$SCRATCH/stderr")"
expect_value "$SCRATCH/dash.json" 'd["samples"][0]["genes"]["CYP2C9"]["diplotypes"]' "['*1/*3']"
cat >"$SCRATCH/patient.json" <<'JSON'
{"schema_version": "1", "id": "P1", "sample_id": "Sample_1", "age_years": 60, "height_cm": 170, "weight_kg": 70,
 "sex": "female", "race": "White", "target_inr": 2.5}
JSON
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/patient.json" --vcf "$SCRATCH/dash.vcf" --output-dir "$SCRATCH/dash-run"
expect_contains "$SCRATCH/stderr" "naming rule"
# evaluate: truth and query with such keys.
for which in truth query; do
  zcat "$SOURCE_DIR/tests/data/evaluation/$which.vcf.gz" | awk 'BEGIN{OFS="\t"} /^#/ {print; next} NR%2 {$8="PX-A=1"} {print}' \
    | bgzip -c >"$SCRATCH/$which.dash.vcf.gz"
  tabix -p vcf "$SCRATCH/$which.dash.vcf.gz"
done
expect_exit 0 -- "$GENODOSE" evaluate --truth "$SCRATCH/truth.dash.vcf.gz" --query "$SCRATCH/query.dash.vcf.gz" \
  --ref "$SOURCE_DIR/tests/data/evaluation/mini_ref.fa" -o "$SCRATCH/eval"
[ -s "$SCRATCH/eval.summary.csv" ] && pass || fail "evaluate wrote no summary"
# A key no header could declare is still bad input, named.
awk 'BEGIN{OFS="\t"} /^#/ {print; next} $3=="rs1057910" {$8="BAD KEY=1"} {print}' "$data/pharmcat.example.vcf" >"$SCRATCH/space.vcf"
expect_exit 3 -- "$GENODOSE" genotype --vcf "$SCRATCH/space.vcf" --output "$SCRATCH/space.json"
expect_contains "$SCRATCH/stderr" "space.vcf"

# --- a GRCh37 VCF without contig lengths, read without --build ------------------------------
python3 - "$data/pharmcat.example.vcf" >"$SCRATCH/grch37.vcf" <<'PYTHON'
import sys
offsets = {"chr10": 1759757, "chr16": 11321, "chr19": 110810}  # docs/genotype-schema.md, GRCh37
for line in open(sys.argv[1]):
    if line.startswith("##contig"):
        line = line.split(",length=")[0].rstrip(">\n") + ">\n"
    elif not line.startswith("#"):
        f = line.split("\t")
        if f[0] not in offsets: continue  # other pharmacogenes of PharmCAT's example
        f[1] = str(int(f[1]) + offsets[f[0]]); line = "\t".join(f)
    sys.stdout.write(line)
PYTHON
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/grch37.vcf" --output "$SCRATCH/grch37.json"
expect_contains "$SCRATCH/stderr" "probably GRCh37; rerun with --build GRCh37"
expect_value "$SCRATCH/grch37.json" 'd["samples"][0]["genes"]["CYP2C9"]["status"]' no_data
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/grch37.vcf" --build GRCh37 --output "$SCRATCH/grch37.json"
if grep -q "probably" "$SCRATCH/stderr"; then fail "build warning with the right --build"; else pass; fi
expect_value "$SCRATCH/grch37.json" 'd["samples"][0]["genes"]["CYP2C9"]["diplotypes"]' "['*1/*1']"

# --- *3 position a no-call: no confident Normal Metabolizer, no activity score 2 in the dose ---
awk 'BEGIN{OFS="\t"} /^#/ {print; next} $3=="rs1057910" {$10="./."} {print}' "$data/pharmcat.example.vcf" >"$SCRATCH/nocall.vcf"
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/patient.json" --vcf "$SCRATCH/nocall.vcf" --output-dir "$SCRATCH/nocall"
g="$SCRATCH/nocall/genotypes.json"
expect_value "$g" 'd["samples"][0]["genes"]["CYP2C9"]["diplotypes"]' "['*1/*1']"
expect_value "$g" 'd["samples"][0]["genes"]["CYP2C9"]["phenotype"]' None
expect_value "$g" 'd["samples"][0]["genes"]["CYP2C9"]["phenotype_qualifier"]' "*3 not tested"
expect_value "$g" 'd["samples"][0]["genes"]["CYP2C9"]["phenotype_if_untested_absent"]' "Normal Metabolizer"
r="$SCRATCH/nocall/report.json"
expect_value "$r" '[g["genotype_display"] for g in d["genes"] if g["gene"] == "CYP2C9"][0]' \
  "*1/*1 [phenotype not determined: *3 not tested; Normal Metabolizer only if absent]"
expect_value "$r" '[g["phenotype"] for g in d["genes"] if g["gene"] == "CYP2C9"][0]' None
expect_value "$r" 'd["qc"]["status"]' review
expect_value "$r" 'any("*3 not tested" in n for n in d["dose"]["notes"])' True
expect_value "$r" 'any("*5/*6/*8/*11 status uncertain" in n for n in d["dose"]["notes"])' False
expect_contains "$SCRATCH/nocall/report.html" "phenotype not determined: *3 not tested"

# --- targeted assay: rs1799853, rs1057910, rs9923231, rs2108622 only; *2/*3 -----------------
awk 'BEGIN{OFS="\t"} /^#/ {print; next}
     $3=="rs1799853" || $3=="rs1057910" {$10="0/1"; print} $3=="rs9923231" || $3=="rs2108622" {print}' \
  "$data/pharmcat.example.vcf" >"$SCRATCH/targeted.vcf"
[ "$(grep -vc '^#' "$SCRATCH/targeted.vcf")" = 4 ] && pass || fail "fixture: targeted VCF should have 4 records"
sed 's/"White"/"Black or African American"/' "$SCRATCH/patient.json" >"$SCRATCH/black.json"
expect_exit 0 -- "$GENODOSE" run --patient "$SCRATCH/black.json" --vcf "$SCRATCH/targeted.vcf" --output-dir "$SCRATCH/targeted"
g="$SCRATCH/targeted/genotypes.json"
expect_value "$g" 'len(d["samples"][0]["genes"]["CYP2C9"]["diplotypes"]) > 1' True
expect_value "$g" 'd["samples"][0]["genes"]["CYP2C9"]["call_from_tested_alleles"]["diplotype"]' "*2/*3"
expect_value "$g" 'd["samples"][0]["genes"]["CYP2C9"]["key_alleles_not_tested"]' "['*5', '*6', '*8', '*11']"
r="$SCRATCH/targeted/report.json"
expect_value "$r" '[g["genotype_display"] for g in d["genes"] if g["gene"] == "CYP2C9"][0].startswith("*2/*3 (call from the tested alleles")' True
expect_value "$r" '[g["phenotype"] for g in d["genes"] if g["gene"] == "CYP2C9"][0]' "Poor Metabolizer"
expect_value "$r" '"CYP2C9" in d["dose"]["missing_inputs"]' False
expect_value "$r" 'any("call from the alleles the input tested" in n for n in d["dose"]["notes"])' True
expect_value "$r" 'any("African ancestry and CYP2C9" in q and "not tested" in q for q in d["qc"]["reasons"])' True
expect_value "$r" 'any("African ancestry and rs12777823 not tested" in q for q in d["qc"]["reasons"])' True

# --- from reads at low depth: key positions genotyped from the reads there are, with GQ --------
if command -v samtools >/dev/null; then
  samtools view -b -s 7.08 "$SOURCE_DIR/data/example/EXAMPLE-001.bam" >"$SCRATCH/low.bam"   # ~2x of the 30x example
  samtools index "$SCRATCH/low.bam"
  expect_exit 0 -- "$GENODOSE" genotype --reads "$SCRATCH/low.bam" \
    --ref "$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz" --output "$SCRATCH/low.json"
  python3 - "$SCRATCH/low.json" <<'PYTHON' && pass || fail "low-depth key positions (see above)"
import json, sys
sample = json.load(open(sys.argv[1]))["samples"][0]
problems, low_reference_calls = [], 0
for name, gene in sample["genes"].items():
    key = {"CYP2C9": ["rs1799853", "rs7900194", "rs9332131", "rs28371685", "rs1057910", "rs28371686"],
           "VKORC1": ["rs9923231"], "CYP4F2": ["rs2108622"]}[name]
    for p in gene["positions"]:
        if p["rsid"] not in key: continue
        if p["status"] == "called" and len(set(p["alleles"])) == 1 and p["alleles"][0] == p["ref"] and p["depth"] < 8:
            low_reference_calls += 1   # before issue 22: not called (depth >= 8 needed)
            if p["genotype_quality"] is None or not 0 < p["genotype_quality"] < 20:
                problems.append("%s: reference call from %d reads with GQ %s" % (p["rsid"], p["depth"], p["genotype_quality"]))
        if p["status"] == "not_called" and p["depth"] and "non-reference" not in p.get("detail", ""):
            problems.append("%s: %d reads but not genotyped: %s" % (p["rsid"], p["depth"], p.get("detail")))
    # A call resting on such positions is never a confident phenotype.
    if name == "CYP2C9":
        if gene["phenotype"] is not None or not gene["phenotype_qualifier"] or "GQ" not in gene["phenotype_qualifier"]:
            problems.append("CYP2C9 phenotype %r, qualifier %r" % (gene["phenotype"], gene["phenotype_qualifier"]))
if low_reference_calls == 0:
    problems.append("no key position was genotyped from fewer than 8 reads")
for problem in problems:
    print("  " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PYTHON
else
  fail "samtools is not installed (scripts/install-deps.sh)"
fi

finish
