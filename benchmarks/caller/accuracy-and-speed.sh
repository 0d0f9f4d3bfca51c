#!/usr/bin/env bash
# genodose call vs bcftools (mpileup | call -mv) vs freebayes on the bundled real reads, scored
# by the locus-split protocol of models/caller.md ("Protocol"):
#   NA12878 2x101 (~52x, bwa aln; evaluation only) at 52x and downsampled to 30, 15, 8x, against
#   GIAB v3.3.2; HG002 2x148 (~30x, bwa mem) at 30x and 15x, against GIAB v4.2.1.
# chr20:10.0-10.1 Mb is split into two halves (10,000,000-10,050,000 and 10,050,000-10,100,000).
# genodose's figures for a half come from the fold model that did NOT train on it (the HG002
# reads of the other half were in its training data); the two halves are summed. bcftools and
# freebayes call the whole region once and are scored on the same halves.
# Also: DeepVariant 1.1's own calls on the NA12878 reads over chr20:10,000,001-10,010,000 (the
# accuracy anchor) beside the fold model that did not train on that window; time and peak memory
# of the shipped model against bcftools and freebayes (whole region, same threads, same run);
# and the GQ calibration of genodose's PASS calls (held-out halves, all six read sets).
# Accuracy with `genodose evaluate` (hap.py definitions, PASS calls, --target-regions per half).
#
# Usage: benchmarks/caller/accuracy-and-speed.sh [GENODOSE] [THREADS]   (prints Markdown tables)
# Environment: MODEL (default models/caller.cnn, for the time columns),
#   FOLD_FIRST_MODEL (the model trained with the HG002 reads of the first half, so it scores the
#   second; scripts/train-caller-model.sh with RECIPE=real-reads FOLD=first), FOLD_SECOND_MODEL
#   (the reverse). Both default to MODEL: a model that saw no read of chr20:10.0-10.1 Mb, as the
#   shipped models/caller.cnn (simulation only), is its own held-out model for both halves.
#   GENODOSE_SHARED_DATA (default ../shared/data), KEEP_WORK=1 keeps the scratch folder.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
genodose=$(realpath "${1:-$top/build/genodose}")
threads=${2:-2}
data=$(realpath "${GENODOSE_SHARED_DATA:-$top/../shared/data}")
model=$(realpath "${MODEL:-$top/models/caller.cnn}")
fold_first_model=$(realpath "${FOLD_FIRST_MODEL:-$model}")
fold_second_model=$(realpath "${FOLD_SECOND_MODEL:-$model}")
for f in "$model" "$fold_first_model" "$fold_second_model"; do
  [ -r "$f" ] || { echo "accuracy-and-speed.sh: $f: missing model" >&2; exit 3; }
done
work=$(mktemp -d)
if [ "${KEEP_WORK:-0}" = 1 ]; then echo "scratch: $work" >&2; else trap 'rm -rf "$work"' EXIT; fi

# Per sample: contig, reference, truth, reads.
gzip -dc "$data/giab_chr20/chr20_windows.fa.gz" > "$work/NA12878.fa"   # freebayes needs plain FASTA
gzip -dc "$data/hg002_chr20/hs37d5.chr20.fa.gz" > "$work/HG002.fa"
samtools faidx "$work/NA12878.fa"; samtools faidx "$work/HG002.fa"
declare -A contig=([NA12878]=chr20 [HG002]=20)
declare -A truth=([NA12878]=$data/giab_chr20/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz
                  [HG002]=$data/giab_v4.2.1_chr20/HG002_GIAB_v4.2.1_chr20_windows.vcf.gz)
declare -A reads=([NA12878]=$data/giab_chr20/NA12878_S1.chr20.10_10p1mb.bam
                  [HG002]=$data/hg002_chr20/HG002_NIST_150bp_downsampled_30x.chr20.10_10p1mb.bam)
for sample in NA12878 HG002; do
  c=${contig[$sample]}
  printf '%s\t10000000\t10050000\n' "$c" > "$work/$sample.first.bed"
  printf '%s\t10050000\t10100000\n' "$c" > "$work/$sample.second.bed"
  printf '%s\t10000000\t10100000\n' "$c" > "$work/$sample.all.bed"
done
printf 'chr20\t10000000\t10010000\n' > "$work/anchor.bed"

# Read sets: name sample fraction-of-the-reads (seeded samtools view -s 42.FRACTION; 1 = as is).
SETS='NA12878_52x NA12878 1
NA12878_30x NA12878 0.577
NA12878_15x NA12878 0.288
NA12878_8x NA12878 0.154
HG002_30x HG002 1
HG002_15x HG002 0.5'
while read -r set sample fraction; do
  if [ "$fraction" = 1 ]; then
    ln -s "${reads[$sample]}" "$work/$set.bam"; ln -s "${reads[$sample]}.bai" "$work/$set.bam.bai"
  else
    samtools view -b -s "42${fraction#0}" -o "$work/$set.bam" "${reads[$sample]}"
    samtools index "$work/$set.bam"
  fi
done <<< "$SETS"

timed() {  # timed NAME command... -> appends "NAME seconds peak_kB" to $work/times
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$name" "$@"
  echo "$name $(cat "$work/time.$name")" >> "$work/times"
}
evaluate() {  # evaluate SAMPLE QUERY TARGET_BED PREFIX [OPTION...]
  local sample=$1 query=$2 target=$3 prefix=$4; shift 4
  "$genodose" --quiet evaluate --truth "${truth[$sample]}" --query "$query" --ref "$work/$sample.fa" \
    --target-regions "$target" --write-decisions --output-prefix "$prefix" "$@" > /dev/null
}

while read -r set sample fraction; do
  bam=$work/$set.bam ref=$work/$sample.fa c=${contig[$sample]}
  region="$c:10000001-10100000"
  # Held-out calls: each half with the fold model that did not train on it.
  "$genodose" --quiet call --threads "$threads" --model "$fold_second_model" --ref "$ref" --reads "$bam" \
    --regions "$c:10000001-10050000" --output "$work/genodose.$set.first.vcf.gz"
  "$genodose" --quiet call --threads "$threads" --model "$fold_first_model" --ref "$ref" --reads "$bam" \
    --regions "$c:10050001-10100000" --output "$work/genodose.$set.second.vcf.gz"
  # Time and memory: the shipped model on the whole region, beside the classical callers.
  timed "genodose.$set" "$genodose" --quiet call --threads "$threads" --model "$model" --ref "$ref" --reads "$bam" \
    --regions "$region" --output "$work/shipped.$set.vcf.gz"
  timed "bcftools.$set" bash -c "bcftools mpileup --threads $threads -f '$ref' -r $region -Ou '$bam' 2>/dev/null | \
    bcftools call --threads $threads -mv -Oz -o '$work/bcftools.$set.vcf.gz' 2>/dev/null && tabix -f -p vcf '$work/bcftools.$set.vcf.gz'"
  timed "freebayes.$set" bash -c "freebayes -f '$ref' -r $c:10000000-10100000 '$bam' | bgzip > '$work/freebayes.$set.vcf.gz' && \
    tabix -f -p vcf '$work/freebayes.$set.vcf.gz'"
  for half in first second; do
    evaluate "$sample" "$work/genodose.$set.$half.vcf.gz" "$work/$sample.$half.bed" "$work/eval.genodose.$set.$half"
    for caller in bcftools freebayes; do
      evaluate "$sample" "$work/$caller.$set.vcf.gz" "$work/$sample.$half.bed" "$work/eval.$caller.$set.$half"
    done
  done
done <<< "$SETS"

# DeepVariant's anchor window (chr20:10,000,001-10,010,000 lies in the first half); per allele
# (hap.py) and per record with whole-record matching (RTG vcfeval's semantics, docs/evaluate.md).
declare -A anchor_query=([deepvariant]=$data/anchors/deepvariant-1.1_NA12878_chr20_10.00-10.01Mb.vcf.gz
                         [genodose]=$work/genodose.NA12878_52x.first.vcf.gz
                         [bcftools]=$work/bcftools.NA12878_52x.vcf.gz [freebayes]=$work/freebayes.NA12878_52x.vcf.gz)
for caller in deepvariant genodose bcftools freebayes; do
  evaluate NA12878 "${anchor_query[$caller]}" "$work/anchor.bed" "$work/anchor.$caller"
  evaluate NA12878 "${anchor_query[$caller]}" "$work/anchor.bed" "$work/anchor.$caller.atomic" --atomic-records
done

# GQ of every PASS genodose call of the held-out halves, for the calibration table.
while read -r set _rest; do
  for half in first second; do
    bcftools query -i 'FILTER="PASS"' -f '%CHROM\t%POS\t%REF\t%ALT\t[%GT]\t[%GQ]\n' "$work/genodose.$set.$half.vcf.gz" \
      | awk -v s="$set" -v h="$half" -v OFS='\t' '{ print s, h, $0 }'
  done
done <<< "$SETS" > "$work/genodose.gq.tsv"

python3 "$top/benchmarks/caller/accuracy_tables.py" "$work" $(awk '{print $1}' <<< "$SETS")
cat <<EOF

Command: benchmarks/caller/accuracy-and-speed.sh $(basename "$genodose") $threads  (models: $(basename "$model"), $(basename "$fold_first_model"), $(basename "$fold_second_model"); bcftools $(bcftools --version | head -1 | cut -d' ' -f2), freebayes $(freebayes --version | awk '{print $2}'))
EOF
