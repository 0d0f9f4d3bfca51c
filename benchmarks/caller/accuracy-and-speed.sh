#!/usr/bin/env bash
# genodose call vs bcftools (mpileup | call -mv) vs freebayes on the bundled real NA12878 reads,
# chr20:10,000,001-10,100,000, against GIAB v3.3.2 — full depth (~52x) and downsampled copies
# (samtools view -s: 30x, 15x, 8x), on the whole 100 kb and on the 9 kb NIST confident BED.
# Accuracy with `genodose evaluate` (hap.py definitions; PASS rows); time and peak memory with
# /usr/bin/time, all callers with the same threads in the same run.
# Usage: benchmarks/caller/accuracy-and-speed.sh [GENODOSE] [THREADS]   (prints Markdown tables)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
genodose=$(realpath "${1:-$top/build/genodose}")
threads=${2:-2}
data=$(realpath "${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
region=chr20:10000001-10100000
truth=$data/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz
nist=$data/test_nist.b37_chr20_100kbp_at_10mb.bed
gzip -dc "$data/chr20_windows.fa.gz" > "$work/ref.fa"   # freebayes needs plain FASTA
samtools faidx "$work/ref.fa"
ref=$work/ref.fa
printf 'chr20\t10000000\t10100000\n' > "$work/region.bed"

# Depths: full and downsampled (seeded fractions of ~52x).
declare -A fraction=([52x]="" [30x]=0.577 [15x]=0.288 [8x]=0.154)
for depth in 52x 30x 15x 8x; do
  if [ -z "${fraction[$depth]}" ]; then
    ln -s "$data/NA12878_S1.chr20.10_10p1mb.bam" "$work/$depth.bam"
    ln -s "$data/NA12878_S1.chr20.10_10p1mb.bam.bai" "$work/$depth.bam.bai"
  else
    samtools view -b -s "$((42))${fraction[$depth]#0}" -o "$work/$depth.bam" "$data/NA12878_S1.chr20.10_10p1mb.bam"
    samtools index "$work/$depth.bam"
  fi
done

timed() {  # timed NAME command... → appends "NAME seconds peak_kB" to $work/times
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$name" "$@"
  echo "$name $(cat "$work/time.$name")" >> "$work/times"
}

for depth in 52x 30x 15x 8x; do
  bam=$work/$depth.bam
  timed "genodose.$depth" "$genodose" --quiet call --threads "$threads" --ref "$ref" --reads "$bam" \
    --regions "$region" --output "$work/genodose.$depth.vcf.gz"
  timed "bcftools.$depth" bash -c "bcftools mpileup --threads $threads -f '$ref' -r $region -Ou '$bam' 2>/dev/null | \
    bcftools call --threads $threads -mv -Oz -o '$work/bcftools.$depth.vcf.gz' 2>/dev/null && tabix -f -p vcf '$work/bcftools.$depth.vcf.gz'"
  timed "freebayes.$depth" bash -c "freebayes -f '$ref' -r chr20:10000000-10100000 '$bam' | bgzip > '$work/freebayes.$depth.vcf.gz' && \
    tabix -f -p vcf '$work/freebayes.$depth.vcf.gz'"
  for caller in genodose bcftools freebayes; do
    "$genodose" --quiet evaluate --truth "$truth" --query "$work/$caller.$depth.vcf.gz" --ref "$ref" \
      --target-regions "$work/region.bed" --output-prefix "$work/eval.$caller.$depth.all" > /dev/null
    "$genodose" --quiet evaluate --truth "$truth" --query "$work/$caller.$depth.vcf.gz" --ref "$ref" \
      --regions "$nist" --output-prefix "$work/eval.$caller.$depth.nist" > /dev/null
  done
done

python3 - "$work" <<'PY'
import csv, sys
work = sys.argv[1]
def row(path, kind):
    for r in csv.DictReader(open(path)):
        if r["Type"] == kind and r["Filter"] == "PASS":
            return r
times = {}
for line in open(f"{work}/times"):
    name, seconds, peak = line.split()
    times[name] = (float(seconds), int(peak) / 1024)
for scope, label in (("all", "whole 100 kb (chr20:10,000,001-10,100,000)"), ("nist", "NIST confident BED (8,999 bp)")):
    print(f"\n#### Accuracy, {label}; PASS calls\n")
    print("| depth | caller | SNP recall | SNP precision | SNP F1 | INDEL recall | INDEL precision | INDEL F1 | TP/FN/FP (SNP) | TP/FN/FP (INDEL) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for depth in ("52x", "30x", "15x", "8x"):
        for caller in ("genodose", "bcftools", "freebayes"):
            s = row(f"{work}/eval.{caller}.{depth}.{scope}.summary.csv", "SNP")
            i = row(f"{work}/eval.{caller}.{depth}.{scope}.summary.csv", "INDEL")
            f = lambda r, k: "n/a" if r[k] in ("", "nan") else f"{float(r[k]):.4f}"
            print(f"| {depth} | {caller} | {f(s,'METRIC.Recall')} | {f(s,'METRIC.Precision')} | **{f(s,'METRIC.F1_Score')}** | "
                  f"{f(i,'METRIC.Recall')} | {f(i,'METRIC.Precision')} | **{f(i,'METRIC.F1_Score')}** | "
                  f"{s['TRUTH.TP']}/{s['TRUTH.FN']}/{s['QUERY.FP']} | {i['TRUTH.TP']}/{i['TRUTH.FN']}/{i['QUERY.FP']} |")
print("\n#### Time and peak memory (same machine, same run, same threads)\n")
print("| depth | genodose s | bcftools s | freebayes s | genodose / bcftools | genodose peak MB | bcftools peak MB | freebayes peak MB |")
print("|---|---|---|---|---|---|---|---|")
for depth in ("52x", "30x", "15x", "8x"):
    g, b, f = times[f"genodose.{depth}"], times[f"bcftools.{depth}"], times[f"freebayes.{depth}"]
    print(f"| {depth} | {g[0]:.2f} | {b[0]:.2f} | {f[0]:.2f} | {g[0]/b[0]:.2f}x | {g[1]:.0f} | {b[1]:.0f} | {f[1]:.0f} |")
PY
echo
echo "Command: benchmarks/caller/accuracy-and-speed.sh $(basename "$genodose") $threads  (bcftools $(bcftools --version | head -1 | cut -d' ' -f2), freebayes $(freebayes --version | awk '{print $2}'))"
