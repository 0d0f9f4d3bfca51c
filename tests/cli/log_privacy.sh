# No patient data in log lines above debug level: `genodose run` (VCF and reads), `genotype`,
# `dose predict` (patient JSON and IWPC CSV), `report` and `batch` on the bundled example patient
# EXAMPLE-001, re-identified with distinctive values, at the default verbosity and with --verbose.
# Every stderr line except "[genodose] debug: ..." must be free of the patient's identifiers
# (patient id, VCF/BAM sample name, name, date of birth, clinician, accession), clinical values
# (age, height, weight) and results (genotypes, phenotypes, predicted dose and interval).
# --verbose (debug; there is no more verbose level) may show them on debug lines only.
# Input files and output folders get neutral names: log lines may name files, which the user names.
source "$(dirname "$0")/common.sh"
for tool in python3 bcftools samtools tabix; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
example="$SOURCE_DIR/data/example"
export SOURCE_DATE_EPOCH=1763806500
in="$SCRATCH/in"
mkdir -p "$in"

# --- the patient, with values unlikely to occur in a log line by chance ---------------------------
patient_id=PID-QX7Z31
sample=SM-KV84TW
failing_sample=SM-FAIL93   # a second patient, whose batch row fails (weight -3 kg)
age=87 height=166.2 weight=91.4
python3 - "$example/EXAMPLE-001.patient.json" "$in/patient.json" "$patient_id" "$sample" "$age" "$height" "$weight" <<'PYTHON'
import json, sys
source, target, pid, sample, age, height, weight = sys.argv[1:]
p = json.load(open(source))
p.update(id=pid, sample_id=sample, age_years=int(age), height_cm=float(height), weight_kg=float(weight))
p["report"] = {"patient_name": "Quilla Zendaro-Vasquine", "date_of_birth": "1938-04-17",
               "ordering_clinician": "Dr. Ulric Brandvold", "laboratory": "genodose example laboratory",
               "accession": "ACC-QX7Z31-9"}
json.dump(p, open(target, "w"), indent=2)
PYTHON
{
  printf 'PharmGKB Subject ID,Race (OMB),Age,Height (cm),Weight (kg),CYP2C9 consensus,VKORC1 -1639 consensus,Gender\n'
  printf '%s,White,%s,%s,%s,*1/*3,A/G,female\n' "$patient_id" "$age" "$height" "$weight"
} >"$in/patients.csv"
echo "$sample" >"$SCRATCH/sample_name.txt"
bcftools reheader -s "$SCRATCH/sample_name.txt" -o "$in/input.vcf.gz" "$example/EXAMPLE-001.vcf.gz"
tabix -p vcf "$in/input.vcf.gz"
# The BAM's read group ID and library are the sample name too (header and RG:Z tags): rename all.
samtools view -h "$example/EXAMPLE-001.bam" | sed "s/EXAMPLE-001/$sample/g" | samtools view -b -o "$in/reads.bam" -
samtools index "$in/reads.bam"
[ "$(bcftools query -l "$in/input.vcf.gz")" = "$sample" ] && pass || fail "VCF sample not renamed"
samtools view -H "$in/reads.bam" | grep -q "SM:$sample" && ! samtools view -H "$in/reads.bam" | grep -q EXAMPLE-001 \
  && pass || fail "BAM sample not renamed"
ref="$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz"
{
  printf 'sample_id\tvcf\tpatient\tage_years\theight_cm\tweight_kg\tsex\trace\tindications\n'
  printf '%s\t%s\t%s\t.\t.\t.\t.\t.\t.\n' "$sample" "$in/input.vcf.gz" "$in/patient.json"
  printf '%s\t%s\t.\t64\t171\t-3\tmale\tWhite\t.\n' "$failing_sample" "$in/input.vcf.gz"
} >"$in/sheet.tsv"

# --- every command at both verbosities; stderr of each in its own file --------------------------
commands=(run_vcf run_reads genotype dose_json dose_csv report batch)
run_all() {  # run_all LABEL [GLOBAL OPTIONS...]
  local label=$1; shift
  local out="$SCRATCH/$label"
  mkdir -p "$out"
  run_step() {  # run_step NAME EXPECTED_EXIT ARGS...
    local name=$1 expected=$2; shift 2
    expect_exit "$expected" -- "$GENODOSE" "$@"
    cp "$SCRATCH/stderr" "$out/$name.stderr"
  }
  run_step run_vcf 0 "$@" run --patient "$in/patient.json" --vcf "$in/input.vcf.gz" --output-dir "$out/a"
  run_step run_reads 0 "$@" run --patient "$in/patient.json" --reads "$in/reads.bam" --ref "$ref" --output-dir "$out/b"
  run_step genotype 0 "$@" genotype --vcf "$in/input.vcf.gz" --output "$out/g.json"
  run_step dose_json 0 "$@" dose predict --input "$in/patient.json" --genotypes "$out/g.json" --output "$out/d.tsv"
  run_step dose_csv 0 "$@" dose predict --input "$in/patients.csv" --output "$out/c.tsv"
  run_step report 0 "$@" report --input "$out/a/report.json" --output-dir "$out/r"
  run_step batch 1 "$@" batch --samples "$in/sheet.tsv" --output-dir "$out/batch"
}
run_all default
run_all verbose --verbose

# --- the patient's values, results included ------------------------------------------------------
python3 - "$SCRATCH/default" "$SCRATCH/values.txt" <<'PYTHON' || fail "could not collect the patient's results"
import csv, json, sys
out, target = sys.argv[1:]
values = set()
reports = [json.load(open(f"{out}/{run}/report.json")) for run in ("a", "b")]  # from the VCF, from reads
report = reports[0]
for gene in reports[0]["genes"] + reports[1]["genes"]:
    display = gene["genotype_display"]
    values.add(display)
    values.update(part.strip("()") for part in display.split() if "/" in part)   # *1/*3, C/T, G/A
    if gene.get("phenotype") and " " in gene["phenotype"]:
        values.add(gene["phenotype"])                                            # Intermediate Metabolizer
dose = report["dose"]
for key in ("predicted_mg_per_week", "interval_low", "interval_high"):
    values.add(f"{dose[key]:.1f}")
for tsv in (f"{out}/d.tsv", f"{out}/c.tsv"):
    for row in csv.DictReader(open(tsv), delimiter="\t"):
        for key in ("predicted_dose_mg_per_week", "interval_low", "interval_high"):
            values.add(row[key])
values.discard("")
open(target, "w").write("".join(v + "\n" for v in sorted(values)))
PYTHON
printf '%s\n' "$patient_id" "$sample" "$failing_sample" "Quilla Zendaro-Vasquine" "Zendaro" "1938-04-17" \
  "Ulric Brandvold" "ACC-QX7Z31-9" "$age" "$height" "$weight" >>"$SCRATCH/values.txt"
grep -qxF '*1/*3' "$SCRATCH/values.txt" && grep -qxF 'Intermediate Metabolizer' "$SCRATCH/values.txt" \
  && pass || fail "the example patient's genotype and phenotype were not collected: $(tr '\n' '|' <"$SCRATCH/values.txt")"

# leaks VALUES LOG... : prints "log:line: value" for every non-debug line holding a value. Numbers
# match only whole (91.4 does not match in 191.45).
leaks() {
  python3 - "$@" <<'PYTHON'
import re, sys
values = [v for v in open(sys.argv[1]).read().splitlines() if v]
patterns = []
for v in values:
    if re.fullmatch(r"[0-9.]+", v):
        patterns.append((v, re.compile(r"(?<![0-9.])" + re.escape(v) + r"(?![0-9]|\.[0-9])")))
    else:
        patterns.append((v, re.compile(re.escape(v))))
for path in sys.argv[2:]:
    for n, line in enumerate(open(path, errors="replace"), 1):
        if line.startswith("[genodose] debug: "):
            continue
        for value, pattern in patterns:
            if pattern.search(line):
                print(f"{path.split('/')[-2]}/{path.split('/')[-1]}:{n}: '{value}' in: {line.rstrip()}")
PYTHON
}

# The checker itself finds a value on an info line, a warning and a continuation line, and lets
# debug lines through.
printf '%s\n' "[genodose] info: wrote $patient_id" "[genodose] warn: weight $weight kg" "  dose *1/*3" \
  "[genodose] debug: $sample" "[genodose] info: 191.45 s, 0.87 s, 870 files" >"$SCRATCH/planted.stderr"
mkdir -p "$SCRATCH/planted" && mv "$SCRATCH/planted.stderr" "$SCRATCH/planted/x.stderr"
[ "$(leaks "$SCRATCH/values.txt" "$SCRATCH/planted/x.stderr" | wc -l)" -eq 3 ] \
  && pass || fail "the checker should find 3 planted values: $(leaks "$SCRATCH/values.txt" "$SCRATCH/planted/x.stderr")"

for label in default verbose; do
  for name in "${commands[@]}"; do
    found=$(leaks "$SCRATCH/values.txt" "$SCRATCH/$label/$name.stderr")
    if [ -z "$found" ]; then pass; else fail "patient data above debug level ($label, $name):"; echo "$found" | sed 's/^/  /' >&2; fi
  done
done
# Default verbosity shows no debug lines at all.
cat "$SCRATCH"/default/*.stderr | grep -q '^\[genodose\] debug:' && fail "debug lines at the default verbosity" || pass
finish
