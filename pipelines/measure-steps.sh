#!/usr/bin/env bash
# Wall time and peak memory (/usr/bin/time -v) of each workflow step, run as the workflows run
# it, on the bundled example (data/example: EXAMPLE-001's ~30x reads over the warfarin genes,
# called in 4 shards, one per default region of pipelines/resources/warfarin_GRCh38.bed), plus the real
# 52x NA12878 reads of ../shared/data/giab_chr20 (100 kb, if present) for depth and threads.
# Then the Snakemake workflow on the shipped example (3 samples) and on a cohort of N copies
# of EXAMPLE-001, with --cores 2. Prints what docs/workflows.md quotes.
#
# Usage: pipelines/measure-steps.sh [GENODOSE] [OUT_DIR]
# Environment: CALLER_MODEL, DOSE_MODEL (default: the shipped models), COHORT_SAMPLES (8),
#              SHARED (default ../shared/data).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
genodose=${1:-$top/build/genodose}
out=${2:-$(mktemp -d)}
shared=${SHARED:-$top/../shared/data}
mkdir -p "$out"
cd "$out"
model=(); [ -n "${CALLER_MODEL:-}" ] && model=(--model "$CALLER_MODEL")
dose_model=(); [ -n "${DOSE_MODEL:-}" ] && dose_model=(--model "$DOSE_MODEL")
run_model=(); [ -n "${DOSE_MODEL:-}" ] && run_model=(--dose-model "$DOSE_MODEL")
example=$top/data/example
ref=$top/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz
patient=$example/EXAMPLE-001.patient.json

# measure LABEL COMMAND...: one table row (wall seconds, peak resident MB, the command).
measure() {
  local label=$1; shift
  /usr/bin/time -v -o time.txt "$@" > /dev/null 2> step.err || { echo "failed: $*" >&2; cat step.err >&2; exit 1; }
  local wall rss shown
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s}' time.txt)
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' time.txt)
  shown="$*"; shown=${shown//$top\//}; shown=${shown//$shared\//..\/shared\/data\/}; shown=${shown//$out\//}
  printf '| %s | %s | %s | `%s` |\n' "$label" "$wall" "$rss" "$shown"
}

echo "genodose: $("$genodose" --version | head -1); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| step | wall s | peak MB | command |"
echo "| --- | --- | --- | --- |"
i=0
while read -r contig start end _; do
  case $contig in "#"*|"") continue ;; esac
  printf '%s\t%s\t%s\n' "$contig" "$start" "$end" > "shard$i.bed"
  measure "call_shard $contig:$((start + 1))-$end ($(( (end - start) / 1000 )) kb), 2 threads" "$genodose" -q call --threads 2 --ref "$ref" \
    --reads "$example/EXAMPLE-001.bam" --regions "shard$i.bed" --sample EXAMPLE-001 "${model[@]}" \
    --output "part$i.vcf.gz" --gvcf "part$i.g.vcf.gz"
  i=$((i + 1))
done < "$top/pipelines/resources/warfarin_GRCh38.bed"
parts=$(seq 0 $((i - 1)))
measure "gather_calls: concat VCF" bcftools concat -Oz -o gathered.vcf.gz $(for p in $parts; do echo "part$p.vcf.gz"; done)
measure "gather_calls: concat gVCF" bcftools concat -Oz -o gathered.g.vcf.gz $(for p in $parts; do echo "part$p.g.vcf.gz"; done)
measure "gather_calls: index gVCF" bcftools index --tbi gathered.g.vcf.gz
bcftools index --tbi gathered.vcf.gz
measure "genotype (gathered gVCF, blocks)" "$genodose" -q genotype --vcf gathered.g.vcf.gz --build GRCh38 --sample EXAMPLE-001 \
  --output genotype.json
measure "dose predict" "$genodose" -q dose predict --input "$patient" --genotypes genotype.json "${dose_model[@]}" --output dose.tsv
measure "report (genodose run --vcf)" "$genodose" -q run --threads 1 --vcf gathered.g.vcf.gz --patient "$patient" --build GRCh38 \
  --sample EXAMPLE-001 "${run_model[@]}" --output-dir report
measure "sample_summary" python3 "$top/pipelines/bin/genodose-sample-summary" --sample EXAMPLE-001 --input-type reads \
  --genotypes genotype.json --calls gathered.vcf.gz --dose dose.tsv --report report --output summary.tsv
measure "genotype (example VCF, no calling)" "$genodose" -q genotype --vcf "$example/EXAMPLE-002.vcf.gz" --build GRCh38 \
  --output genotype2.json

giab=$shared/giab_chr20
if [ -f "$giab/NA12878_S1.chr20.10_10p1mb.bam" ]; then
  for t in 1 2; do
    measure "call, NA12878 52x chr20:10.0-10.1 Mb (100 kb), $t thread(s)" "$genodose" -q call --threads $t \
      --ref "$giab/chr20_windows.fa.gz" --reads "$giab/NA12878_S1.chr20.10_10p1mb.bam" --regions chr20:10000001-10100000 \
      "${model[@]}" --output "na12878_t$t.vcf.gz" --gvcf "na12878_t$t.g.vcf.gz"
  done
fi
echo
# The gathered gVCF as the workflow keeps it (blocks) and as the former expand_gvcf step wrote
# it (one record per base of the called regions).
bcftools convert --gvcf2vcf --fasta-ref "$ref" -Oz -o allsites.vcf.gz gathered.g.vcf.gz 2>/dev/null
printf 'EXAMPLE-001 gathered gVCF (blocks): %s bytes, %s records; expanded to every base: %s bytes, %s records\n' \
  "$(stat -c %s gathered.g.vcf.gz)" "$(bcftools view -H gathered.g.vcf.gz | wc -l)" \
  "$(stat -c %s allsites.vcf.gz)" "$(bcftools view -H allsites.vcf.gz | wc -l)"
echo

snakemake_run() {  # snakemake_run LABEL CONFIG...: the workflow's wall time with --cores 2
  local label=$1 dir=$2; shift 2
  rm -rf "$dir"
  local start; start=$(date +%s.%N)
  snakemake -s "$top/pipelines/snakemake/Snakefile" -d "$dir" --cores 2 --quiet --config genodose="$genodose" \
    caller_model="${CALLER_MODEL:-}" dose_model="${DOSE_MODEL:-}" "$@" > "$dir.log" 2>&1 || { tail -30 "$dir.log" >&2; exit 1; }
  printf '%s: %.1f s wall, %s jobs\n' "$label" "$(echo "$(date +%s.%N) - $start" | bc)" \
    "$(find "$dir/results/logs" -name '*.log' | wc -l)"
}
snakemake_run "Snakemake, shipped example (3 samples), --cores 2" example \
  samples="$top/pipelines/snakemake/samples.tsv" reference="$ref"
n=${COHORT_SAMPLES:-8}
{ printf 'sample\treads\tpatient\n'
  for s in $(seq 1 "$n"); do
    # EXAMPLE-001's patient under the copy's id (its sample_id would name EXAMPLE-001).
    sed -e "s/\"EXAMPLE-001\"/\"COPY$s\"/g" "$patient" > "COPY$s.json"
    printf 'COPY%s\t%s\t%s\n' "$s" "$example/EXAMPLE-001.bam" "$out/COPY$s.json"
  done
} > cohort.tsv
snakemake_run "Snakemake, $n copies of EXAMPLE-001 (reads, 4 shards each), --cores 2" cohort \
  samples="$out/cohort.tsv" reference="$ref"
