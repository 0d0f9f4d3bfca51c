# pipelines/snakemake without running a job: `snakemake --lint` is clean, dry runs (-n) plan the
# right jobs (one call job per shard and sample, the default warfarin regions per build, region
# splitting, balanced shards, steps switched off), and a bad sample sheet or configuration stops the workflow
# before any job with one message naming the file, the line and the field.
source "$(dirname "$0")/common.sh"
IO=$SOURCE_DIR/tests/data/io
PGX=$SOURCE_DIR/tests/data/pgx
SNAKEFILE=$SOURCE_DIR/pipelines/snakemake/Snakefile
command -v snakemake >/dev/null || { fail "snakemake is not installed (scripts/install-deps.sh installs Debian's)"; finish; exit 1; }

cd "$SCRATCH"
# sm FLAGS... : snakemake on the workflow, stdout and stderr together in $SCRATCH/stdout (each
# call gives all its --config values: the last --config wins, so genodose=... comes via $G).
sm() { snakemake -s "$SNAKEFILE" -d "$SCRATCH/run" "$@" 2>&1; }
G=genodose=$GENODOSE
# expect_jobs RULE COUNT: the count of RULE in the job table of the last dry run.
expect_jobs() {
  local n; n=$(awk -v r="$1" '$1 == r && $2 ~ /^[0-9]+$/ {print $2; exit}' "$SCRATCH/stdout")
  if [ "${n:-0}" = "$2" ]; then pass; else fail "$1: ${n:-0} jobs planned, expected $2"; fi
}

# ---- the shipped example (pipelines/snakemake/samples.tsv + config.yaml) ---------------------
example=(samples="$SOURCE_DIR/pipelines/snakemake/samples.tsv"
         reference="$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz")
expect_exit 0 -- sm --lint --config "$G" "${example[@]}"
expect_contains "$SCRATCH/stdout" "Congratulations, your workflow is in a good condition!"
expect_exit 0 -- sm -n --config "$G" "${example[@]}"
# 1 sample with reads x 4 shards (the 4 default GRCh38 regions); 3 samples genotyped, dosed,
# reported; nothing expands the gVCF.
for rule_count in shard_beds:1 call_shard:4 gather_calls:1 expand_gvcf:0 genotype:3 dose:3 report:3 sample_summary:3 cohort:1 versions:1; do
  expect_jobs "${rule_count%%:*}" "${rule_count##*:}"
done
expect_no_file "$SCRATCH/run/results"

# The SLURM profile (pipelines/snakemake/profiles/slurm) is read and plans the same jobs.
expect_exit 0 -- sm -n --profile "$SOURCE_DIR/pipelines/snakemake/profiles/slurm" --config "$G" "${example[@]}"
expect_jobs call_shard 4

# Steps switched off; the regions split into 20 kb pieces (58,934 bp -> 3, 27,051 -> 2,
# 11,102 -> 1, 1,000 -> 1): 7 pieces in the default 4 shards, or 7 shards when more are asked.
expect_exit 0 -- sm -n --config "$G" "${example[@]}" dose=false report=false region_chunk_bp=20000
expect_jobs call_shard 4; expect_jobs dose 0; expect_jobs report 0; expect_jobs genotype 3
expect_exit 0 -- sm -n --config "$G" "${example[@]}" region_chunk_bp=20000 shards=100
expect_jobs call_shard 7
expect_exit 0 -- sm -n --config "$G" "${example[@]}" shards=1
expect_jobs call_shard 1
expect_exit 1 -- sm -n --config "$G" "${example[@]}" shards=0
expect_contains "$SCRATCH/stdout" "config: 'shards': a whole number >= 1, got 0"

# ---- default regions: the warfarin genes of the build, on GRCh38/GRCh37-sized references -----
printf '>chr10\nN\n' > ref38.fa
printf 'chr10\t133797422\t7\t60\t61\nchr16\t90338345\t7\t60\t61\nchr19\t58617616\t7\t60\t61\n' > ref38.fa.fai
printf '>10\nN\n' > ref37.fa
printf '10\t135534747\t4\t60\t61\n16\t90354753\t4\t60\t61\n19\t59128983\t4\t60\t61\n' > ref37.fa.fai
printf 'sample\treads\tpatient\nA\t%s\tp.json\nB\t%s\tp.json\n' "$IO/mini.bam" "$IO/mini.bam" > reads.tsv
echo '{}' > p.json
expect_exit 0 -- sm -n -p --config "$G" samples="$SCRATCH/reads.tsv" reference="$SCRATCH/ref38.fa" genome_build=GRCh38 regions=
expect_jobs call_shard 8   # 2 samples x 4 shards (rs12777823, CYP2C9, VKORC1, CYP4F2)
expect_contains "$SCRATCH/stdout" "--regions results/shards/004.bed"
# GRCh37 with contigs named "10" (names reconciled) in 20 kb jobs: CYP2C9 58,934 bp -> 3,
# CYP4F2 27,051 -> 2, VKORC1 11,102 -> 1, rs12777823 1,000 -> 1; x 2 samples.
expect_exit 0 -- sm -n -p --config "$G" samples="$SCRATCH/reads.tsv" reference="$SCRATCH/ref37.fa" genome_build=GRCh37 \
  regions= region_chunk_bp=20000
expect_jobs call_shard 8

# Resources of a call job: the config's mem_mb and threads; its runtime grows with the shard
# (minutes_per_mb: 1), here all of chr20 (63,025,520 bp) in one shard: 64 minutes, not 30.
expect_exit 0 -- sm -n --cores 2 --config "$G" samples="$SCRATCH/reads.tsv" reference="$IO/mini_ref.fa.gz" genome_build=GRCh37 \
  regions=chr20 shards=1
expect_jobs call_shard 2
expect_contains "$SCRATCH/stdout" "mem_mb=500, mem_mib=477, runtime=64"

# ---- bad input stops snakemake before any job, with the one-line message ----------------------
printf 'sample\tvcf\tpatient\nS\t%s\tp.json\nS\t%s\tp.json\n' "$PGX/pharmcat.example.vcf" "$PGX/pharmcat.example.vcf" > dup.tsv
expect_exit 1 -- sm -n --config "$G" samples="$SCRATCH/dup.tsv"
expect_contains "$SCRATCH/stdout" "dup.tsv: line 3 (S): field 'sample': duplicate sample 'S'"
grep -q "^Job stats" "$SCRATCH/stdout" && fail "jobs planned for a bad sample sheet" || pass
expect_exit 1 -- sm -n --config "$G" "${example[@]}" "regions=[chr10:1000-2000,chr10:1500-3000]"
expect_contains "$SCRATCH/stdout" "config: 'regions': chr10:1000-2000 and chr10:1500-3000 overlap"

# ---- every validation message, in one process: the workflow's own functions (rules/common.smk)
# run by snakemake's Python on bad sheets and configurations.
cp "$IO/mini.bam" noindex.bam
v=$PGX/pharmcat.example.vcf
PY=$(head -1 "$(command -v snakemake)" | sed 's/^#! *//')
"$PY" - "$SOURCE_DIR/pipelines/snakemake/rules/common.smk" "$IO" "$v" > validation.txt 2>&1 <<'PYEOF' || fail "validation harness crashed: $(tail -3 validation.txt)"
import os, sys, types
from snakemake.exceptions import WorkflowError
common, io, vcf = sys.argv[1:4]
namespace = {"config": {}, "workflow": types.SimpleNamespace(basedir=os.path.dirname(common), use_conda=False, use_singularity=False)}
exec(compile(open(common).read(), common, "exec"), namespace)
def check(label, function):
    try:
        function()
        print(f"{label}: accepted")
    except WorkflowError as error:
        print(f"{label}: {error}")
sheets = {
    "column": "sample\tvcf\tpatient\tcolour\nS\t{v}\tp.json\tblue\n",
    "both": "sample\treads\tvcf\tpatient\nS\t{io}/mini.bam\t{v}\tp.json\n",
    "missing": "# comment\nsample\tvcf\tpatient\nS\t{v}\tp.json\nT\tmissing.vcf\tp.json\n",
    "name": "sample\tvcf\tpatient\nS 1\t{v}\tp.json\n",
    "noindex": "sample\treads\tpatient\nS\tnoindex.bam\tp.json\n",
    "build": "sample\tvcf\tbuild\tpatient\nS\t{v}\thg38\tp.json\n",
    "readsbuild": "sample\treads\tbuild\tpatient\nS\t{io}/mini.bam\tGRCh38\tp.json\n",
    "nopatient": "sample\tvcf\tpatient\nS\t{v}\t\n",
    "nopatientcolumn": "sample\tvcf\nS\t{v}\n",
    "fields": "sample\tvcf\tpatient\nS\t{v}\tp.json\textra\n",
    "good": "sample\tvcf\tvcf_sample\tpatient\nS\t{v}\tSample_1\tp.json\n",
}
for name, text in sheets.items():
    with open(f"{name}.tsv", "w") as handle:
        handle.write(text.format(v=vcf, io=io))
    check(f"sheet {name}", lambda: namespace["read_sample_sheet"](os.path.abspath(f"{name}.tsv"), "GRCh37", True))
check("sheet nopatientcolumn without dose", lambda: namespace["read_sample_sheet"](os.path.abspath("nopatientcolumn.tsv"), "GRCh37", False))
fai = namespace["read_fai"](f"{io}/mini_ref.fa.gz")
regions = lambda spec: namespace["read_regions"](spec, fai, "")
with open("bad.bed", "w") as handle:
    handle.write("chr20\t100\n")
check("regions overlap", lambda: regions(["chr20:1-200", "chr20:150-300"]))
check("regions contig", lambda: regions(["chr7:1-100"]))
check("regions outside", lambda: regions(["chr20:63025000-63026000"]))
check("regions bed", lambda: regions(os.path.abspath("bad.bed")))
check("regions text", lambda: regions("nonsense"))
print("regions order:", [namespace["region_text"](r) for r in regions(["chr20:5000-6000", "20:1,000-2,000", "chr20:7000-7000"])])
print("regions split:", [namespace["region_text"](r) for r in namespace["split_regions"](regions(["chr20:1-2500"]), 1000)])
# Shards: consecutive regions, each kept whole, of about equal total length.
shard = lambda spec, n: [[namespace["region_text"](r) for r in s] for s in namespace["shard_regions"](regions(spec), n)]
print("shards equal:", shard([f"chr20:{i * 1000 + 1}-{i * 1000 + 100}" for i in range(10)], 3))
print("shards long region:", shard(["chr20:1-1000000", "chr20:2000001-2000100", "chr20:3000001-3000100"], 3))
print("shards more than regions:", shard(["chr20:1-100", "chr20:201-300"], 5))
# An exome-like set (10,000 intervals of 120-400 bp) in 16 shards: every shard within 1% of the
# mean length, no interval cut or lost, reference order kept.
import random
rng = random.Random(25)
exome = [f"chr20:{s}-{s + rng.randint(119, 399)}" for s in sorted(rng.sample(range(1, 63000000, 1000), 10000))]
shards = namespace["shard_regions"](regions(exome), 16)
lengths = [sum(r.end - r.start + 1 for r in s) for s in shards]
flat = [namespace["region_text"](r) for s in shards for r in s]
print("shards exome:", len(shards), "shards, within 1% of the mean:",
      max(lengths) / (sum(lengths) / 16) < 1.01 and min(lengths) / (sum(lengths) / 16) > 0.99,
      "regions kept in order:", flat == [namespace["region_text"](r) for r in regions(exome)])
namespace["config"]["shards"] = "0"
check("config shards", lambda: namespace["config_count"]("shards", minimum=1))
namespace["config"]["region_chunk_bp"] = "-5"
check("config region_chunk_bp", lambda: namespace["config_count"]("region_chunk_bp", minimum=0))
namespace["config"]["dose"] = "maybe"
check("config flag", lambda: namespace["config_flag"]("dose"))
PYEOF
expect_line() { if grep -qxF -- "$1" validation.txt; then pass; else fail "validation: no line '$1'"; sed 's/^/  got: /' validation.txt | head -30 >&2; fi; }
d=$SCRATCH
expect_line "sheet column: $d/column.tsv: line 1: unknown column 'colour' (known: sample, reads, vcf, vcf_sample, build, patient)"
expect_line "sheet both: $d/both.tsv: line 2 (S): give exactly one of 'reads' and 'vcf'"
expect_line "sheet missing: $d/missing.tsv: line 4 (T): field 'vcf': $d/missing.vcf: not found"
expect_line "sheet name: $d/name.tsv: line 2 (S 1): field 'sample': use letters, digits, '.', '_' or '-' (it names files), got 'S 1'"
expect_line "sheet noindex: $d/noindex.tsv: line 2 (S): field 'reads': $d/noindex.bam: no index (run \`samtools index\` on it)"
expect_line "sheet build: $d/build.tsv: line 2 (S): field 'build': GRCh38 or GRCh37, got 'hg38'"
expect_line "sheet readsbuild: $d/readsbuild.tsv: line 2 (S): field 'build': reads are called against the reference (GRCh37, config 'genome_build'), got GRCh38"
expect_line "sheet nopatient: $d/nopatient.tsv: line 2 (S): field 'patient': empty"
expect_line "sheet nopatientcolumn: $d/nopatientcolumn.tsv: line 1: no 'patient' column (needed by the dose and report steps)"
expect_line "sheet fields: $d/fields.tsv: line 2: 4 fields, the header has 3"
expect_line "sheet good: accepted"
expect_line "sheet nopatientcolumn without dose: accepted"
expect_line "regions overlap: config: 'regions': chr20:1-200 and chr20:150-300 overlap (merge them, e.g. with bedtools merge)"
expect_line "regions contig: config: 'regions' item 1: contig 'chr7' is not in the reference"
expect_line "regions outside: config: 'regions' item 1: region 'chr20:63025000-63026000': outside chr20 (1-63025520) or empty"
expect_line "regions bed: $d/bad.bed: line 1: expected 'contig<TAB>start<TAB>end' (0-based, half-open)"
expect_line "regions text: config: 'regions' item 1: contig 'nonsense' is not in the reference"
expect_line "regions order: ['20:1000-2000', 'chr20:5000-6000', 'chr20:7000-7000']"
expect_line "regions split: ['chr20:1-1000', 'chr20:1001-2000', 'chr20:2001-2500']"
expect_line "shards equal: [['chr20:1-100', 'chr20:1001-1100', 'chr20:2001-2100'], ['chr20:3001-3100', 'chr20:4001-4100', 'chr20:5001-5100', 'chr20:6001-6100'], ['chr20:7001-7100', 'chr20:8001-8100', 'chr20:9001-9100']]"
expect_line "shards long region: [['chr20:1-1000000'], ['chr20:2000001-2000100', 'chr20:3000001-3000100']]"
expect_line "shards more than regions: [['chr20:1-100'], ['chr20:201-300']]"
expect_line "shards exome: 16 shards, within 1% of the mean: True regions kept in order: True"
expect_line "config shards: config: 'shards': a whole number >= 1, got 0"
expect_line "config region_chunk_bp: config: 'region_chunk_bp': a whole number >= 0, got -5"
expect_line "config flag: config: 'dose' must be true or false, got 'maybe'"

finish
