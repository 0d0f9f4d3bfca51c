#!/usr/bin/env bash
# Time and memory of the Snakemake workflow on a simulated cohort: N samples (10) of reads over
# the 2,095,000 bp of real sequence in ../shared's GRCh37 chr20 (giab_chr20/chr20_windows.fa.gz,
# the 4 windows of real_sequence_windows.bed, 105-940 kb, each a contig of its own; the rest of
# that chr20 is N), run locally (--cores 2) and under a one-node SLURM started here
# (scripts/lib/local_slurm.sh, needs root), plus each step run once under /usr/bin/time -v.
# Prints the tables of docs/workflows.md ("A simulated 2 Mb cohort").
#
# Reads: wgsim (2x150 bp, COVERAGE x (20), its own random SNPs and indels per sample: seed =
# sample number, mutation rate 0.001, 15% indels, base error 0.2%), aligned with bwa mem and
# sorted with samtools. Only calling, gathering and genotyping run: the region holds no warfarin
# gene, so dose and report (measured on the example by measure-steps.sh) are off.
#
# Usage: pipelines/measure-cohort.sh [GENODOSE] [OUT_DIR]
# The workflow cuts the windows into 100 kb pieces (region_chunk_bp) grouped into SHARDS shards.
# Environment: SAMPLES (10), COVERAGE (20), SHARDS (4), SHARED (../shared/data), SLURM (1: also
#              under SLURM; 0: locally only).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
genodose=${1:-$top/build/genodose}
out=${2:-$(mktemp -d)}
shared=${SHARED:-$top/../shared/data}
samples=${SAMPLES:-10} coverage=${COVERAGE:-20} shards=${SHARDS:-4}
mkdir -p "$out"
cd "$out"
echo "genodose: $("$genodose" --version | head -1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the cohort -------------------------------------------------------------------------------
if [ ! -f ref.fa.fai ]; then
  windows=$(awk '{printf "%s:%d-%d ", $1, $2 + 1, $3}' "$shared/giab_chr20/real_sequence_windows.bed")
  samtools faidx "$shared/giab_chr20/chr20_windows.fa.gz" $windows | sed -E 's/^>chr20:([0-9]+)-([0-9]+)/>chr20_\1_\2/' > ref.fa
  samtools faidx ref.fa
  bwa index ref.fa 2> bwa-index.log
fi
bases=$(awk '{s += $2} END {print s}' ref.fa.fai)
awk 'BEGIN {OFS = "\t"} {print $1, 0, $2}' ref.fa.fai > regions.bed
pairs=$(( bases * coverage / 300 ))
printf 'sample\treads\n' > samples.tsv
start=$(date +%s)
for i in $(seq 1 "$samples"); do
  s=SIM$(printf %02d "$i")
  if [ ! -f "$s.bam.bai" ]; then
    wgsim -N "$pairs" -1 150 -2 150 -S "$i" -r 0.001 -R 0.15 -e 0.002 ref.fa "$s.1.fq" "$s.2.fq" > "$s.truth.txt" 2>/dev/null
    bwa mem -t 2 -v 1 -R "@RG\tID:$s\tSM:$s" ref.fa "$s.1.fq" "$s.2.fq" 2> "$s.bwa.log" | samtools sort -@1 -o "$s.bam" - 2>/dev/null
    samtools index "$s.bam"
    rm -f "$s.1.fq" "$s.2.fq"
  fi
  printf '%s\t%s\n' "$s" "$out/$s.bam" >> samples.tsv
done
echo "simulated $samples samples x $pairs read pairs (${coverage}x over $bases bp in $(wc -l < ref.fa.fai) contigs) in $(( $(date +%s) - start )) s"
echo

# ---- each step once, under /usr/bin/time -v ---------------------------------------------------
measure() {  # measure LABEL COMMAND...: one table row
  local label=$1; shift
  /usr/bin/time -v -o time.txt "$@" > /dev/null 2> step.err || { echo "failed: $*" >&2; cat step.err >&2; exit 1; }
  printf '| %s | %s | %s |\n' "$label" \
    "$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.1f", s}' time.txt)" \
    "$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' time.txt)"
}
echo "| step (SIM01) | wall s | peak MB |"
echo "| --- | --- | --- |"
head -1 regions.bed > shard.bed  # the largest window, 940 kb
for t in 1 2; do
  measure "call_shard, one shard of $(awk '{print $3 / 1000}' shard.bed) kb, $t thread(s)" "$genodose" -q call --threads $t \
    --ref ref.fa --reads SIM01.bam --regions shard.bed --sample SIM01 --output "shard_t$t.vcf.gz" --gvcf "shard_t$t.g.vcf.gz"
done
measure "call, all $bases bp in one job, 2 threads" "$genodose" -q call --threads 2 --ref ref.fa --reads SIM01.bam \
  --regions regions.bed --sample SIM01 --output whole.vcf.gz --gvcf whole.g.vcf.gz
measure "gather_calls: concat + index gVCF (all $bases bp)" bash -c \
  "bcftools concat -Oz -o gathered.g.vcf.gz whole.g.vcf.gz && bcftools index --tbi gathered.g.vcf.gz"
measure "genotype (gVCF blocks)" "$genodose" -q genotype --vcf whole.g.vcf.gz --build GRCh37 --sample SIM01 --output genotype.json
measure "expanding the gVCF (the former expand_gvcf step)" bcftools convert --gvcf2vcf --fasta-ref ref.fa -Oz -o allsites.vcf.gz whole.g.vcf.gz
echo
printf 'gVCF of SIM01 (%s bp): %s bytes, %s records; expanded to one record per base: %s bytes, %s records\n' \
  "$bases" "$(stat -c %s whole.g.vcf.gz)" "$(bcftools view -H whole.g.vcf.gz | wc -l)" \
  "$(stat -c %s allsites.vcf.gz)" "$(bcftools view -H allsites.vcf.gz | wc -l)"
echo

# ---- the workflow, locally and under SLURM ------------------------------------------------------
config=(genodose="$genodose" samples="$out/samples.tsv" reference="$out/ref.fa" genome_build=GRCh37
        regions="$out/regions.bed" region_chunk_bp=100000 shards="$shards" dose=false report=false)
# summarise RUN_DIR: per rule, jobs, mean and max seconds and max RSS from Snakemake's benchmarks.
summarise() {
  python3 - "$1/results/benchmarks" <<'EOF'
import csv, glob, os, sys
root = sys.argv[1]
for rule in sorted(os.listdir(root)):
    rows = [next(csv.DictReader(open(f), delimiter="\t")) for f in glob.glob(f"{root}/{rule}/**/*.tsv", recursive=True)]
    seconds = [float(r["s"]) for r in rows]
    rss = [float(r["max_rss"]) for r in rows if r["max_rss"] not in ("-", "NA", "")]
    print(f"| {rule} | {len(rows)} | {sum(seconds) / len(seconds):.1f} | {max(seconds):.1f} | "
          f"{max(rss):.0f} |" if rss else f"| {rule} | {len(rows)} | {sum(seconds) / len(seconds):.1f} | {max(seconds):.1f} | - |")
EOF
}
run() {  # run LABEL DIR SNAKEMAKE_OPTIONS...: wall time of the whole run, then the per-rule table
  local label=$1 dir=$2; shift 2
  rm -rf "$dir"
  /usr/bin/time -f '%e' -o "$dir.time" snakemake -s "$top/pipelines/snakemake/Snakefile" -d "$dir" "$@" \
    --config "${config[@]}" > "$dir.log" 2>&1 || { tail -30 "$dir.log" >&2; exit 1; }
  echo "$label: $(cat "$dir.time") s wall, $(find "$dir/results/logs" -name '*.log' | wc -l) jobs with logs"
  echo "| rule | jobs | mean s | max s | max RSS MB |"
  echo "| --- | --- | --- | --- | --- |"
  summarise "$dir"
  echo
}
run "Snakemake locally, --cores 2" local --cores 2 --quiet
if [ "${SLURM:-1}" = 1 ]; then
  source "$top/scripts/lib/local_slurm.sh"
  if why=$(local_slurm_unavailable); then
    echo "not run under SLURM: $why"
  else
    export USER=${USER:-$(id -un)}
    trap 'stop_local_slurm' EXIT
    start_local_slurm "$out/slurm-daemons" 3600
    run "Snakemake under SLURM (one node, $(nproc) cores), --profile slurm" slurm \
      --profile "$top/pipelines/snakemake/profiles/slurm" --default-resources slurm_partition="$LOCAL_SLURM_PARTITION"
    for f in $(cd local/results && find . -name '*.vcf.gz' | sort); do
      cmp -s <(bcftools view -H "local/results/$f") <(bcftools view -H "slurm/results/$f") \
        || { echo "local and SLURM outputs differ: $f" >&2; exit 1; }
    done
    echo "local and SLURM runs: identical VCF and gVCF records for every sample"
  fi
fi
