# pipelines/snakemake run for real with Debian's snakemake (--cores 2):
# 1. three small samples: real reads (tests/data/io, cut into 6 pieces called in 2 shards of 3
#    and gathered)
#    and two VCFs derived from PharmCAT's example (*1/*1 VKORC1 C/C, and *1/*2 VKORC1 T/T). Every
#    output of every step genodose implements is checked and compared with the same genodose
#    commands run directly (scattered calls = one unscattered call);
# 2. the shipped example (pipelines/snakemake/samples.tsv: data/example, GRCh38 reads called in
#    the default warfarin regions, two VCFs);
# 3. a failing step fails the run, without a cohort table.
#
# Steps genodose does not have yet are left out with a SKIP line, never faked: the report (while
# `genodose run` has no --vcf), the dose (when no dose model is shipped and ../shared has no IWPC
# data to train a quick one). Without a shipped caller model, a throwaway one is trained on the
# fixture (the scatter/gather checks compare against an unscattered call with the same model, so
# they do not depend on its quality).
source "$(dirname "$0")/common.sh"
IO=$SOURCE_DIR/tests/data/io
PGX=$SOURCE_DIR/tests/data/pgx
SNAKEFILE=$SOURCE_DIR/pipelines/snakemake/Snakefile
REF=$IO/mini_ref.fa.gz
WHOLE=chr20:10000001-10003000

# A setup problem ends the test at once (the checks after it would only repeat it).
setup_failed() { fail "$*"; finish; exit 1; }
command -v snakemake >/dev/null || setup_failed "snakemake is not installed (scripts/install-deps.sh installs Debian's)"

# ---- which steps exist, and the models they need ------------------------------------------
caller_model=""
if ! "$GENODOSE" -q call --ref "$REF" --reads "$IO/mini.bam" --regions chr20:10000001-10000200 \
     --output "$SCRATCH/probe.vcf.gz" 2>"$SCRATCH/probe.err"; then
  if grep -q "models/caller\.[a-z]*: not found" "$SCRATCH/probe.err"; then
    echo "NOTE: no shipped caller model; training a throwaway one on the fixture for this test"
    "$GENODOSE" -q make-examples --ref "$REF" --reads "$IO/mini.bam" --truth "$IO/mini_truth.vcf.gz" \
      --regions $WHOLE --output "$SCRATCH/examples" \
      && "$GENODOSE" -q train-caller --examples "$SCRATCH/examples" --validation "$SCRATCH/examples" \
           --epochs 1 --output "$SCRATCH/caller.cnn" \
      && caller_model=$SCRATCH/caller.cnn || setup_failed "could not train a caller model for the test"
  else
    setup_failed "genodose call fails on the fixture: $(head -1 "$SCRATCH/probe.err")"
  fi
fi

cat > "$SCRATCH/patient.json" <<'EOF'
{"schema_version": "1", "id": "P", "age_years": 66, "height_cm": 170, "weight_kg": 75, "sex": "male",
 "race": "White", "target_inr": 2.5, "smoker": false, "indications": ["atrial_fibrillation"], "medications": []}
EOF
for id in READS1 PGX_REF PGX_VAR; do sed "s/\"id\": \"P\"/\"id\": \"$id\"/" "$SCRATCH/patient.json" > "$SCRATCH/$id.json"; done

dose=true dose_model=""
if ! "$GENODOSE" -q dose predict --input "$SCRATCH/PGX_REF.json" --output "$SCRATCH/probe.tsv" 2>"$SCRATCH/probe.err"; then
  iwpc=$SOURCE_DIR/../shared/data/iwpc/iwpc_dev.csv
  if grep -q "warfarin_dose.json.*not found\|not found.*warfarin_dose.json" "$SCRATCH/probe.err" && [ -f "$iwpc" ]; then
    echo "NOTE: no shipped dose model; training a quick one on ../shared IWPC data for this test"
    "$GENODOSE" -q dose train --iwpc "$iwpc" --cyp2c9-phenotypes "$SOURCE_DIR/data/reference/pgx/phenotype/CYP2C9.json" \
      --grid quick --no-assessment --output "$SCRATCH/dose.json" && dose_model=$SCRATCH/dose.json \
      || setup_failed "could not train a dose model for the test"
  elif grep -q "warfarin_dose.json" "$SCRATCH/probe.err"; then
    echo "SKIP dose step: no shipped dose model and no ../shared IWPC data ($(head -1 "$SCRATCH/probe.err"))"
    dose=false
  else
    setup_failed "genodose dose predict fails on the test patient: $(head -1 "$SCRATCH/probe.err")"
  fi
fi

report=false
if "$GENODOSE" run --help 2>/dev/null | grep -q -- "--vcf"; then report=$dose
else echo "SKIP report step: genodose run has no --vcf yet"; fi

# ---- inputs: a BED scattered into 3 jobs, three samples --------------------------------------
mkdir -p "$SCRATCH/in"
printf 'track name=test\nchr20\t10000000\t10001000\nchr20\t10001000\t10003000\n' > "$SCRATCH/in/regions.bed"
awk 'BEGIN{OFS="\t"} /^#/ {print; next}
     $3=="rs1799853" {$10="0/1"} $3=="rs9923231" {$10="1/1"} {print}' "$PGX/pharmcat.example.vcf" \
  | bgzip -c > "$SCRATCH/in/variant.vcf.gz" && tabix -p vcf "$SCRATCH/in/variant.vcf.gz"
cp "$SCRATCH"/{READS1,PGX_REF,PGX_VAR}.json "$SCRATCH/in/"
{
  printf 'sample\treads\tvcf\tvcf_sample\tbuild\tpatient\n'
  printf 'READS1\t%s\t\t\t\tREADS1.json\n' "$IO/mini.bam"
  printf 'PGX_REF\t\t%s\t\tGRCh38\tPGX_REF.json\n' "$PGX/pharmcat.example.vcf"
  printf 'PGX_VAR\t\tvariant.vcf.gz\tSample_1\tGRCh38\tPGX_VAR.json\n'
} > "$SCRATCH/in/samples.tsv"
cat > "$SCRATCH/config.yaml" <<EOF
samples: $SCRATCH/in/samples.tsv
outdir: out
genodose: $GENODOSE
reference: $REF
genome_build: GRCh37
regions: $SCRATCH/in/regions.bed
region_chunk_bp: 500
shards: 2
caller_model: "$caller_model"
dose_model: "$dose_model"
data_dir: $SOURCE_DIR/data
dose: $dose
report: $report
EOF

# ---- the run --------------------------------------------------------------------------------
RUN=$SCRATCH/run
OUT=$RUN/out
expect_exit 0 -- snakemake -s "$SNAKEFILE" --configfile "$SCRATCH/config.yaml" -d "$RUN" --cores 2 --quiet
run_failed=$failures

expect_file() { if [ -s "$1" ]; then pass; else fail "missing output: ${1#"$SCRATCH/"}"; fi; }
for f in READS1/READS1.vcf.gz READS1/READS1.vcf.gz.tbi READS1/READS1.g.vcf.gz READS1/READS1.g.vcf.gz.tbi \
         cohort.tsv versions.txt cohort.vcf.gz cohort.vcf.gz.tbi; do
  expect_file "$OUT/$f"
done
# The joint-genotyping step: the one sample with reads, genotyped at every variant site of its
# gVCF; its non-reference genotypes are those of its own calls (PASS).
[ "$(bcftools query -l "$OUT/cohort.vcf.gz" 2>/dev/null)" = READS1 ] && pass || fail "cohort.vcf.gz samples: $(bcftools query -l "$OUT/cohort.vcf.gz" 2>&1)"
diff <(bcftools query -f '%CHROM:%POS[\t%TGT]\n' -i 'GT!="0/0" && GT!="./."' "$OUT/cohort.vcf.gz" | sort) \
     <(bcftools query -f '%CHROM:%POS[\t%TGT]\n' -i 'FILTER="PASS" && GT!="0/0"' "$OUT/READS1/READS1.vcf.gz" | sort) >"$SCRATCH/joint.diff" \
  && pass || fail "cohort.vcf.gz differs from READS1's PASS calls: $(head -5 "$SCRATCH/joint.diff" | tr "\n" " ")"
for s in READS1 PGX_REF PGX_VAR; do
  expect_file "$OUT/$s/$s.genotype.json"; expect_file "$OUT/$s/$s.summary.tsv"
  expect_file "$OUT/logs/genotype/$s.log"; expect_file "$OUT/benchmarks/genotype/$s.tsv"
  if [ "$dose" = true ]; then expect_file "$OUT/$s/$s.dose.tsv"; expect_file "$OUT/logs/dose/$s.log"; fi
  if [ "$report" = true ]; then expect_file "$OUT/$s/report/report.json"; fi
done

if [ "$run_failed" -ne 0 ]; then  # the checks below would only repeat the missing outputs
  grep -A12 "^Error in rule" "$SCRATCH/stderr" | sed 's/^/  snakemake: /' | head -30 >&2; finish; exit 1
fi

# Scatter: the 6 pieces of 500 bp in 2 shards of 3 (equal lengths), one call job per shard with
# its log and benchmark; per-shard VCFs are temporary.
for r in 001 002; do
  expect_file "$OUT/logs/call/READS1/$r.log"; expect_file "$OUT/benchmarks/call/READS1/$r.tsv"
done
[ "$(ls "$OUT/logs/call/READS1" | wc -l)" -eq 2 ] && pass || fail "expected 2 call jobs, got $(ls "$OUT/logs/call/READS1" | wc -l)"
[ "$(paste -sd, "$OUT/shards/001.bed")" = "chr20	10000000	10000500,chr20	10000500	10001000,chr20	10001000	10001500" ] \
  && [ "$(paste -sd, "$OUT/shards/002.bed")" = "chr20	10001500	10002000,chr20	10002000	10002500,chr20	10002500	10003000" ] \
  && pass || fail "shard BEDs: $(cat "$OUT"/shards/*.bed 2>/dev/null | paste -sd,)"
[ -z "$(ls "$OUT/READS1/shards" 2>/dev/null)" ] && pass || fail "per-shard VCFs were not removed"

# Gather: the records equal one unscattered call of the whole region with the same model.
model_opt=(); [ -n "$caller_model" ] && model_opt=(--model "$caller_model")
"$GENODOSE" -q call --ref "$REF" --reads "$IO/mini.bam" --regions $WHOLE --sample READS1 "${model_opt[@]}" \
  --output "$SCRATCH/whole.vcf.gz" --gvcf "$SCRATCH/whole.g.vcf.gz"
bcftools view -H "$OUT/READS1/READS1.vcf.gz" > "$SCRATCH/gathered.txt" && pass || fail "bcftools cannot read the gathered VCF"
[ -s "$SCRATCH/gathered.txt" ] && pass || fail "the gathered VCF has no records"
cmp -s "$SCRATCH/gathered.txt" <(bcftools view -H "$SCRATCH/whole.vcf.gz") && pass \
  || fail "gathered VCF records differ from an unscattered call of $WHOLE"
[ "$(bcftools query -l "$OUT/READS1/READS1.vcf.gz")" = READS1 ] && pass || fail "gathered VCF sample is not READS1"
bcftools view -H -r chr20:10001001-10002000 "$OUT/READS1/READS1.vcf.gz" >/dev/null 2>&1 && pass \
  || fail "gathered VCF index does not answer a region query"
# The gathered gVCF stays in blocks (the workflow expands nothing: genotyping reads the blocks);
# expanded here, it covers every base of the called regions (3,000) with the genotypes of the
# unscattered gVCF (reference blocks may be cut at shard ends, nothing else).
expect_no_file "$OUT/READS1/READS1.allsites.vcf.gz"
bcftools convert --gvcf2vcf --fasta-ref "$REF" -Oz -o "$SCRATCH/gathered.allsites.vcf.gz" "$OUT/READS1/READS1.g.vcf.gz" 2>/dev/null
bcftools convert --gvcf2vcf --fasta-ref "$REF" -Oz -o "$SCRATCH/whole.allsites.vcf.gz" "$SCRATCH/whole.g.vcf.gz" 2>/dev/null
n=$(bcftools query -f '%POS\n' "$SCRATCH/gathered.allsites.vcf.gz" | sort -u | wc -l) || n=0
[ "$n" -eq 3000 ] && pass || fail "gathered gVCF covers $n positions, expected 3000"
[ "$(bcftools view -H "$OUT/READS1/READS1.g.vcf.gz" | wc -l)" -lt 1000 ] && pass \
  || fail "gathered gVCF has one record per base: its reference blocks were expanded"
cmp -s <(bcftools query -f '%POS %REF %ALT [%GT]\n' "$SCRATCH/gathered.allsites.vcf.gz") \
       <(bcftools query -f '%POS %REF %ALT [%GT]\n' "$SCRATCH/whole.allsites.vcf.gz") && pass \
  || fail "gathered gVCF genotypes differ from an unscattered gVCF of $WHOLE"

# Genotypes: what `genodose genotype` says for the same inputs, run directly.
"$GENODOSE" -q genotype --vcf "$SCRATCH/in/variant.vcf.gz" --sample Sample_1 --output "$SCRATCH/variant.json"
for f in "$SCRATCH/variant.json" "$OUT/PGX_VAR/PGX_VAR.genotype.json"; do
  expect_contains "$f" '"*1/*2"'; expect_contains "$f" '"rs9923231": "T/T"'
done
cmp -s <(grep -v -e '"vcf": ' -e command_line -e '"data_dir"' "$SCRATCH/variant.json") \
       <(grep -v -e '"vcf": ' -e command_line -e '"data_dir"' "$OUT/PGX_VAR/PGX_VAR.genotype.json") \
  && pass || fail "PGX_VAR genotypes differ from a direct genodose genotype run"
expect_contains "$OUT/PGX_REF/PGX_REF.genotype.json" '"*1/*1"'
expect_contains "$OUT/READS1/READS1.genotype.json" '"status": "no_data"'

# Cohort table: header + one row per sample in sheet order; values from the per-sample outputs.
col() { awk -F'\t' -v s="$1" -v c="$2" 'NR==1 {for (i=1;i<=NF;i++) h[$i]=i; next} $1==s {print $(h[c])}' "$OUT/cohort.tsv"; }
[ "$(cut -f1 "$OUT/cohort.tsv" | paste -sd,)" = "sample,READS1,PGX_REF,PGX_VAR" ] && pass \
  || fail "cohort.tsv rows: $(cut -f1 "$OUT/cohort.tsv" | paste -sd,)"
[ "$(col READS1 variants_pass)" = "$(awk '$7=="PASS"' "$SCRATCH/gathered.txt" | wc -l)" ] && pass \
  || fail "cohort variants_pass for READS1 is $(col READS1 variants_pass)"
[ "$(col PGX_VAR cyp2c9_diplotype)" = "*1/*2" ] && pass || fail "cohort PGX_VAR diplotype $(col PGX_VAR cyp2c9_diplotype)"
[ "$(col PGX_VAR cyp2c9_phenotype)" = "Intermediate Metabolizer" ] && pass || fail "cohort PGX_VAR phenotype"
[ "$(col PGX_VAR vkorc1_rs9923231)" = "T/T" ] && pass || fail "cohort PGX_VAR rs9923231 $(col PGX_VAR vkorc1_rs9923231)"
[ "$(col PGX_REF cyp2c9_diplotype)" = "*1/*1" ] && pass || fail "cohort PGX_REF diplotype"
[ "$(col PGX_REF variants_pass)" = NA ] && pass || fail "cohort variants_pass of a VCF input is not NA"
[ "$(col READS1 cyp2c9_status)" = no_data ] && pass || fail "cohort READS1 CYP2C9 status"

if [ "$dose" = true ]; then
  # The dose is what `genodose dose predict` gives on the same patient and genotypes; same clinical
  # inputs, so *1/*2 with VKORC1 T/T must get less warfarin than *1/*1 with C/C.
  dose_opt=(); [ -n "$dose_model" ] && dose_opt=(--model "$dose_model")
  for s in PGX_REF PGX_VAR; do
    "$GENODOSE" -q dose predict "${dose_opt[@]}" --input "$SCRATCH/$s.json" \
      --genotypes "$OUT/$s/$s.genotype.json" --output "$SCRATCH/$s.dose.tsv"
    cmp -s "$SCRATCH/$s.dose.tsv" "$OUT/$s/$s.dose.tsv" && pass || fail "$s dose differs from a direct dose predict run"
    [ "$(col $s predicted_dose_mg_per_week)" = "$(awk -F'\t' 'NR==2 {print $2}' "$SCRATCH/$s.dose.tsv")" ] && pass \
      || fail "cohort dose of $s differs from its dose.tsv"
  done
  awk -v a="$(col PGX_VAR predicted_dose_mg_per_week)" -v b="$(col PGX_REF predicted_dose_mg_per_week)" \
    'BEGIN {exit !(a + 0 > 0 && a + 0 < b + 0)}' && pass \
    || fail "dose of *1/*2 VKORC1 T/T ($(col PGX_VAR predicted_dose_mg_per_week)) not below *1/*1 C/C ($(col PGX_REF predicted_dose_mg_per_week))"
else
  [ "$(col PGX_REF predicted_dose_mg_per_week)" = NA ] && pass || fail "dose column filled although the dose step was off"
fi
if [ "$report" = true ]; then
  [ "$(col PGX_REF report)" = PGX_REF/report/report.json ] && [ -s "$OUT/$(col PGX_REF report)" ] && pass \
    || fail "cohort report column: $(col PGX_REF report)"
  for f in report.html report.pdf; do expect_file "$OUT/PGX_VAR/report/$f"; done
  # The report and the dose step saw the same VCF, patient and model: the same dose (the report
  # rounds to 0.1 mg/week).
  python3 -c 'import json, sys; sys.exit(abs(json.load(open(sys.argv[1]))["dose"]["predicted_mg_per_week"] - float(sys.argv[2])) > 0.051)' \
    "$OUT/PGX_VAR/report/report.json" "$(col PGX_VAR predicted_dose_mg_per_week)" && pass \
    || fail "PGX_VAR report dose differs from its dose step ($(col PGX_VAR predicted_dose_mg_per_week))"
fi
[ "$(stat -c %a "$OUT/cohort.tsv")" = 600 ] && pass || fail "cohort.tsv is not private (0600)"
expect_contains "$OUT/versions.txt" "genodose "
expect_contains "$OUT/versions.txt" "bcftools "

# ---- the shipped example: pipelines/snakemake/{config.yaml,samples.tsv} on data/example ----------
# (GRCh38 reads called in the default warfarin regions, two VCFs). Paths made absolute because
# the run is not in pipelines/snakemake.
EX=$SCRATCH/example
expect_exit 0 -- snakemake -s "$SNAKEFILE" -d "$EX" --cores 2 --quiet --config genodose="$GENODOSE" \
  samples="$SOURCE_DIR/pipelines/snakemake/samples.tsv" \
  reference="$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz" \
  caller_model="$caller_model" dose_model="$dose_model" dose=$dose report=$report
E=$EX/results
excol() { awk -F'\t' -v s="$1" -v c="$2" 'NR==1 {for (i=1;i<=NF;i++) h[$i]=i; next} $1==s {print $(h[c])}' "$E/cohort.tsv" 2>/dev/null; }
[ "$(cut -f1 "$E/cohort.tsv" 2>/dev/null | paste -sd,)" = "sample,EXAMPLE-001,EXAMPLE-002,EXAMPLE-003" ] && pass \
  || fail "example cohort.tsv rows: $(cut -f1 "$E/cohort.tsv" 2>/dev/null | paste -sd,)"
[ "$(ls "$E/logs/call/EXAMPLE-001" 2>/dev/null | paste -sd,)" = "001.log,002.log,003.log,004.log" ] \
  && cmp -s <(cat "$E"/shards/*.bed) <(grep -v '^#' "$SOURCE_DIR/pipelines/resources/warfarin_GRCh38.bed" | cut -f1-3) \
  && pass || fail "example: call jobs are not the 4 default GRCh38 warfarin regions"
# The gathered gVCF's records cover every base of the regions that has sequence (not N).
expected=$(awk '!/^#/ {printf "%s:%d-%d\n", $1, $2 + 1, $3}' "$SOURCE_DIR/pipelines/resources/warfarin_GRCh38.bed" \
  | xargs samtools faidx "$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz" \
  | grep -v '^>' | tr -d '\nNn' | wc -c)
n=$(bcftools convert --gvcf2vcf --fasta-ref "$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz" \
    "$E/EXAMPLE-001/EXAMPLE-001.g.vcf.gz" 2>/dev/null | bcftools query -f '%CHROM:%POS\n' | sort -u | wc -l) || n=0
[ "$n" -eq "$expected" ] && [ "$n" -gt 90000 ] && pass \
  || fail "example: gathered gVCF covers $n positions, expected the $expected non-N bases of the regions"
[ "$(excol EXAMPLE-002 cyp2c9_diplotype) $(excol EXAMPLE-002 vkorc1_rs9923231)" = "*2/*3 T/T" ] && pass \
  || fail "example EXAMPLE-002: $(excol EXAMPLE-002 cyp2c9_diplotype) $(excol EXAMPLE-002 vkorc1_rs9923231)"
[ "$(excol EXAMPLE-003 cyp2c9_diplotype) $(excol EXAMPLE-003 cyp4f2_rs2108622)" = "*1/*1 T/T" ] && pass \
  || fail "example EXAMPLE-003: $(excol EXAMPLE-003 cyp2c9_diplotype) $(excol EXAMPLE-003 cyp4f2_rs2108622)"
if [ -z "$caller_model" ]; then
  # With the shipped caller, the reads give the genotypes of the example's VCF made from the same
  # reads by bcftools (data/example/README.md: CYP2C9 *1/*3, rs9923231 C/T, rs2108622 C/T).
  "$GENODOSE" -q genotype --vcf "$SOURCE_DIR/data/example/EXAMPLE-001.vcf.gz" --output "$SCRATCH/ex1.json"
  python3 - "$SCRATCH/ex1.json" > "$SCRATCH/ex1.txt" <<'PYEOF'
import json, sys
g = json.load(open(sys.argv[1]))["samples"][0]["genes"]
print(" or ".join(g["CYP2C9"]["diplotypes"]), g["VKORC1"]["rs9923231"], g["CYP4F2"]["rs2108622"])
PYEOF
  got="$(excol EXAMPLE-001 cyp2c9_diplotype) $(excol EXAMPLE-001 vkorc1_rs9923231) $(excol EXAMPLE-001 cyp4f2_rs2108622)"
  [ "$got" = "$(cat "$SCRATCH/ex1.txt")" ] && pass || fail "example EXAMPLE-001 from reads: $got; its VCF: $(cat "$SCRATCH/ex1.txt")"
else
  echo "SKIP EXAMPLE-001 genotype check: the throwaway caller model of this test is not trained to call it"
fi
if [ "$dose" = true ]; then for s in EXAMPLE-001 EXAMPLE-002 EXAMPLE-003; do expect_file "$E/$s/$s.dose.tsv"; done; fi

# A second run has nothing to do.
expect_exit 0 -- snakemake -s "$SNAKEFILE" --configfile "$SCRATCH/config.yaml" -d "$RUN" --cores 2 -n
expect_contains "$SCRATCH/stdout" "Nothing to be done"

# A failing step (a VCF that is not one) fails the run: exit 1, the error in the step's log, no
# genotype JSON and no cohort table.
printf 'not a vcf\n' > "$SCRATCH/in/broken.vcf"
printf 'sample\tvcf\tpatient\nBROKEN\tbroken.vcf\tPGX_REF.json\n' > "$SCRATCH/in/broken.tsv"
expect_exit 1 -- snakemake -s "$SNAKEFILE" --configfile "$SCRATCH/config.yaml" -d "$SCRATCH/run2" --cores 2 --quiet \
  --config samples="$SCRATCH/in/broken.tsv" genome_build=GRCh38 dose=false report=false
expect_no_file "$SCRATCH/run2/out/BROKEN/BROKEN.genotype.json"
expect_no_file "$SCRATCH/run2/out/cohort.tsv"
expect_contains "$SCRATCH/run2/out/logs/genotype/BROKEN.log" "broken.vcf: not a VCF"

finish
