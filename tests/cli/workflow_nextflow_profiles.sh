# pipelines/nextflow's profiles are consistent (Nextflow cannot run here, so check.sh's profile
# part is what guards them): the shipped nextflow.config passes, and configurations whose test
# profile names a missing file, pairs the GRCh38 example with the chr20 GRCh37 test reference
# (the mistake the test profile once shipped with), or sets the wrong build are refused with one
# line per problem naming the profile, the sample and the file.
source "$(dirname "$0")/common.sh"
NF=$SOURCE_DIR/pipelines/nextflow
command -v snakemake >/dev/null || { fail "snakemake is not installed (scripts/install-deps.sh installs Debian's)"; finish; exit 1; }

expect_exit 0 -- bash "$NF/check.sh" --profiles-only
expect_contains "$SCRATCH/stdout" "profiles consistent: test"

# with_test_profile NAME BODY: nextflow.config with its test profile replaced by BODY.
with_test_profile() {
  python3 - "$NF/nextflow.config" "$SCRATCH/$1.config" "$2" <<'PYEOF'
import re, sys
text = open(sys.argv[1]).read()
replaced, count = re.subn(r"(?ms)^    test \{.*?^    \}", "    test {\n" + sys.argv[3] + "\n    }", text)
assert count == 1, "no test profile in nextflow.config"
open(sys.argv[2], "w").write(replaced)
PYEOF
}
sheet='params.input        = "${projectDir}/../snakemake/samples.tsv"'
# The old test profile: the GRCh38 example sheet with the chr20 GRCh37 test reference.
with_test_profile old "$sheet
        params.reference    = \"\${projectDir}/../../tests/data/io/mini_ref.fa.gz\"
        params.genome_build = 'GRCh37'
        params.regions      = ['chr20:10000001-10001000', 'chr20:10001001-10002000', 'chr20:10002001-10003000']"
expect_exit 1 -- bash "$NF/check.sh" --profiles-only "$SCRATCH/old.config"
expect_contains "$SCRATCH/stdout" "profile 'test': --input: $SOURCE_DIR/pipelines/nextflow/../snakemake/samples.tsv: sample EXAMPLE-001: $SOURCE_DIR/data/example/EXAMPLE-001.bam: no contig chr20 of the regions"
expect_contains "$SCRATCH/stdout" "sample EXAMPLE-002: $SOURCE_DIR/data/example/EXAMPLE-002.vcf.gz: its ##contig lengths are not GRCh37's"
# The right reference with the wrong build.
with_test_profile build "$sheet
        params.reference    = \"\${projectDir}/../../data/reference/example_genome/GRCh38_warfarin_genes.fa.gz\"
        params.genome_build = 'GRCh37'"
expect_exit 1 -- bash "$NF/check.sh" --profiles-only "$SCRATCH/build.config"
expect_contains "$SCRATCH/stdout" "GRCh38_warfarin_genes.fa.gz: its chromosome lengths are not GRCh37's (--genome_build GRCh37; they match GRCh38)"
# Reads aligned to another build than the reference (same contig names, other lengths).
mkdir -p "$SCRATCH/ref37"
printf '>chr10\nN\n' > "$SCRATCH/ref37/ref.fa"
printf 'chr10\t135534747\t7\t60\t61\nchr16\t90354753\t7\t60\t61\nchr19\t59128983\t7\t60\t61\n' > "$SCRATCH/ref37/ref.fa.fai"
with_test_profile reads "$sheet
        params.reference    = '$SCRATCH/ref37/ref.fa'
        params.genome_build = 'GRCh37'"
expect_exit 1 -- bash "$NF/check.sh" --profiles-only "$SCRATCH/reads.config"
expect_contains "$SCRATCH/stdout" "EXAMPLE-001.bam: contig chr10 is 133797422 bp, 135534747 bp in --reference $SCRATCH/ref37/ref.fa (aligned to another build)"
# A file that does not exist.
with_test_profile missing "params.input = '$SCRATCH/nowhere.tsv'
        params.reference = \"\${projectDir}/../../data/reference/example_genome/GRCh38_warfarin_genes.fa.gz\""
expect_exit 1 -- bash "$NF/check.sh" --profiles-only "$SCRATCH/missing.config"
expect_contains "$SCRATCH/stdout" "profile 'test': --input: $SCRATCH/nowhere.tsv: not found"

finish
