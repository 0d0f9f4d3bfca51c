# pipelines/snakemake and a patient paired with the wrong sample:
# the sheet check refuses a patient file whose sample_id (else id) names another sample than the
# one genotyped, before any job; and the report step waits for the dose step, so a sample whose
# dose failed gets no report even with --keep-going.
source "$(dirname "$0")/common.sh"
SNAKEFILE=$SOURCE_DIR/pipelines/snakemake/Snakefile
command -v snakemake >/dev/null || { fail "snakemake is not installed (scripts/install-deps.sh installs Debian's)"; finish; exit 1; }
command -v bcftools >/dev/null || { fail "bcftools is not installed"; finish; exit 1; }
example=$SOURCE_DIR/data/example
IO=$SOURCE_DIR/tests/data/io
cd "$SCRATCH"
sm() { snakemake -s "$SNAKEFILE" -d "$SCRATCH/run" "$@" 2>&1; }
G=genodose=$GENODOSE
no_jobs() { grep -q "^Job stats" "$SCRATCH/stdout" && fail "jobs planned for a bad sample sheet ($1)" || pass; }

# ---- the sheet check ---------------------------------------------------------------------------
# EXAMPLE-002's VCF with EXAMPLE-001's patient file (sample_id EXAMPLE-001).
printf 'sample\tvcf\tpatient\nEXAMPLE-002\t%s\t%s\n' "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-001.patient.json" >swap.tsv
expect_exit 1 -- sm -n --config "$G" samples="$SCRATCH/swap.tsv"
expect_contains "$SCRATCH/stdout" "swap.tsv: line 2 (EXAMPLE-002): field 'patient': $example/EXAMPLE-001.patient.json: patient 'EXAMPLE-001' has sample_id 'EXAMPLE-001', but $example/EXAMPLE-002.vcf.gz holds sample 'EXAMPLE-002'"
no_jobs "swap"
# The same VCF as BCF (header read from the binary), and through vcf_sample.
bcftools view -Ob -o ex2.bcf "$example/EXAMPLE-002.vcf.gz"
printf 'sample\tvcf\tpatient\nEXAMPLE-002\tex2.bcf\t%s\n' "$example/EXAMPLE-001.patient.json" >swapbcf.tsv
expect_exit 1 -- sm -n --config "$G" samples="$SCRATCH/swapbcf.tsv"
expect_contains "$SCRATCH/stdout" "holds sample 'EXAMPLE-002'"
no_jobs "bcf"
bcftools merge -Oz -o two.vcf.gz "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-003.vcf.gz" 2>/dev/null
printf 'sample\tvcf\tvcf_sample\tpatient\nX\ttwo.vcf.gz\tEXAMPLE-003\t%s\n' "$example/EXAMPLE-002.patient.json" >swapvs.tsv
expect_exit 1 -- sm -n --config "$G" samples="$SCRATCH/swapvs.tsv"
expect_contains "$SCRATCH/stdout" "patient 'EXAMPLE-002' has sample_id 'EXAMPLE-002', but $SCRATCH/two.vcf.gz holds sample 'EXAMPLE-003'"
# Reads: the caller names the sample after the sheet.
printf 'sample\treads\tpatient\nREADS1\t%s\t%s\n' "$IO/mini.bam" "$example/EXAMPLE-001.patient.json" >swapreads.tsv
expect_exit 1 -- sm -n --config "$G" samples="$SCRATCH/swapreads.tsv" reference="$IO/mini_ref.fa.gz" genome_build=GRCh38
expect_contains "$SCRATCH/stdout" "holds sample 'READS1'"

# Accepted: the right pairs; a patient without sample_id (one sample, one patient); a multi-sample
# VCF whose sample the patient's sample_id names.
printf '{"id": "LAB-7", "age_years": 60}\n' >nosample.json
{
  printf 'sample\tvcf\tvcf_sample\tpatient\n'
  printf 'EXAMPLE-002\t%s\t\t%s\n' "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-002.patient.json"
  printf 'LAB\t%s\t\tnosample.json\n' "$example/EXAMPLE-003.vcf.gz"
  printf 'TWO\ttwo.vcf.gz\t\t%s\n' "$example/EXAMPLE-002.patient.json"
} >good.tsv
expect_exit 0 -- sm -n --config "$G" samples="$SCRATCH/good.tsv"
# A multi-sample VCF and a patient naming none of its samples.
printf 'sample\tvcf\tpatient\nTWO\ttwo.vcf.gz\tnosample.json\n' >none.tsv
expect_exit 1 -- sm -n --config "$G" samples="$SCRATCH/none.tsv"
expect_contains "$SCRATCH/stdout" "patient 'LAB-7' names none of the samples of $SCRATCH/two.vcf.gz ('EXAMPLE-002', 'EXAMPLE-003')"

# ---- the report waits for the dose ---------------------------------------------------------------
# The dose step fails here for a reason of its own (a bad extra option); the report step alone
# would succeed, and must not run, even with --keep-going.
printf 'sample\tvcf\tpatient\nEXAMPLE-002\t%s\t%s\n' "$example/EXAMPLE-002.vcf.gz" "$example/EXAMPLE-002.patient.json" >one.tsv
cat >broken-dose.yaml <<EOF
extra:
  call: ""
  genotype: ""
  dose: "--top 1000"
  run: ""
EOF
expect_exit 0 -- sm -n -r --config "$G" samples="$SCRATCH/one.tsv"
awk '/^rule report:/ {r = 1} r && /^ *input:/ {print; exit}' "$SCRATCH/stdout" | grep -q "EXAMPLE-002.dose.tsv" \
  && pass || fail "the report job should have the dose output as input"
expect_exit 1 -- sm --cores 1 --keep-going --configfile broken-dose.yaml --config "$G" samples="$SCRATCH/one.tsv"
expect_contains "$SCRATCH/stdout" "Error in rule dose"
expect_no_file "$SCRATCH/run/results/EXAMPLE-002/EXAMPLE-002.dose.tsv"
expect_no_file "$SCRATCH/run/results/EXAMPLE-002/report"
[ -s "$SCRATCH/run/results/EXAMPLE-002/EXAMPLE-002.genotype.json" ] && pass || fail "the genotype step should have run"
finish
