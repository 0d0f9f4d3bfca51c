#!/usr/bin/env bash
# More simulated training configurations, so that simulation looks more like the real data the
# caller meets (models/caller.md, "Training data"):
#   - four real diploid genomes instead of one: HG002, HG003 and HG004 (GIAB v4.2.1 truth over
#     the same simulated windows as HG001; real variants only) beside simulate-training-data.sh's
#     HG001 (GIAB v3.3.2 plus synthetic variants);
#   - two aligners: bwa mem and bwa aln/sampe (BWA-backtrack, MAPQ 37/29/...; the aligner of
#     older pipelines such as the bundled NA12878 reads), scripts/lib/align_pairs.sh;
#   - base qualities and errors from a profile fitted to real reads: art_profiler_illumina on the
#     bundled HG002 2x148 reads (profile "HG002fit"; never on the NA12878 evaluation reads).
# Simulated reads never come from chr20:9,995,000-10,100,000: no truth or haplotype there, and
# the few pairs an aligner maps into it are removed.
#
# Usage: scripts/simulate-more-genomes.sh SIM_DIR [THREADS]
#   SIM_DIR must hold a finished scripts/simulate-training-data.sh run (reference, windows,
#   train/validation BEDs). Writes SIM_DIR/profiles/, SIM_DIR/truth_<sample>/,
#   SIM_DIR/<config>/reads.bam (+ aligner, sample, truth files) and SIM_DIR/manifest_more.tsv
#   (the columns of manifest.tsv plus aligner, sample, truth folder). Then run
#   simulate-artifact-reads.sh and simulate-paralog-reads.sh with ARTIFACT_MANIFEST /
#   PARALOG_MANIFEST = SIM_DIR/manifest_more.tsv (scripts/train-caller-model.sh does).
# Environment: GENODOSE_SHARED_DATA (default ../shared/data). Idempotent and seeded.
# Exit status: 0 success; 1 a tool or check failed; 3 missing input.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib/art_profile.sh"
. "$top/scripts/lib/align_pairs.sh"
sim=${1:?usage: simulate-more-genomes.sh SIM_DIR [THREADS]}
threads=${2:-2}
[ -d "$sim" ] || { echo "simulate-more-genomes.sh: $sim: no such folder; run scripts/simulate-training-data.sh $sim first" >&2; exit 3; }
sim=$(cd "$sim" && pwd)   # absolute: the truth paths written below must not depend on the caller's folder
data=${GENODOSE_SHARED_DATA:-$top/../shared/data}
die() { local code=$1; shift; echo "simulate-more-genomes.sh: $*" >&2; exit "$code"; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ref=$sim/reference/chr20_windows.fa
windows_fa=$sim/haplotypes/reference_windows.fa
for f in "$ref" "$ref.bwt" "$windows_fa" "$sim/truth/simulated_windows.bed" "$sim/truth/train.bed" "$sim/truth/validation.bed"; do
  [ -s "$f" ] || die 3 "$f: missing; run scripts/simulate-training-data.sh $sim first"
done
hg002_bam=$data/hg002_chr20/HG002_NIST_150bp_downsampled_30x.chr20.10_10p1mb.bam
[ -r "$hg002_bam" ] || die 3 "$hg002_bam: missing or unreadable input file"
EXCLUDED='chr20:9995001-10100000'

# name genome read_length depth profile fragment_mean fragment_sd seed aligner
# 2x148 with the HG002 profile and fragments (565 +- 148) as the HG002 reads; 2x100 with ART's
# HiSeq profiles and the NA12878 fragments (317 +- 69), several with bwa aln as those reads.
CONFIGS='hg002_l148_d8_mem HG002 148 8 HG002fit 565 148 201 mem
hg002_l100_d30_aln HG002 100 30 HS25 320 70 202 aln
hg003_l148_d15_mem HG003 148 15 HG002fit 565 148 203 mem
hg003_l100_d10_aln HG003 100 10 HS20 320 70 204 aln
hg004_l148_d30_aln HG004 148 30 HG002fit 565 148 205 aln
hg004_l100_d52_aln HG004 100 52 HS25 320 70 206 aln
hg001_l100_d15_aln HG001 100 15 HS25 320 70 207 aln'

# --- 1. read-quality profile fitted to the real HG002 reads ---------------------------------------
mkdir -p "$sim/profiles"
if [ ! -s "$sim/profiles/HG002fitR2.txt" ]; then
  tmp=$(mktemp -d "$sim/profiles/.tmp.XXXXXX")
  mkdir "$tmp/fq"
  samtools collate -u -O "$hg002_bam" "$tmp/collate" \
    | samtools fastq -F 0x900 -1 "$tmp/fq/hg002_1.fq" -2 "$tmp/fq/hg002_2.fq" -0 /dev/null -s /dev/null -n - 2>/dev/null
  (cd "$tmp" && art_profiler_illumina HG002fit fq fq 1 > profiler.log 2>&1) || die 1 "art_profiler_illumina failed ($tmp/profiler.log)"
  mv "$tmp/HG002fitR1.txt" "$sim/profiles/HG002fitR1.txt"
  mv "$tmp/HG002fitR2.txt" "$sim/profiles/HG002fitR2.txt"
  rm -rf "$tmp"
  log "profile HG002fit: fitted to $(( $(samtools view -c -F 0x900 "$hg002_bam") / 2 )) HG002 read pairs"
fi

# --- 2. truth and haplotypes per genome -------------------------------------------------------------
make_truth() {  # make_truth SAMPLE -> SIM_DIR/truth_SAMPLE/{train,validation}.vcf.gz, hap1.fa, hap2.fa
  local sample=$1 dir=$sim/truth_$1 tmp
  [ -s "$dir/hap2.fa.fai" ] && return 0
  local vcf=$data/giab_v4.2.1_chr20/${sample}_GIAB_v4.2.1_chr20_windows.vcf.gz
  [ -r "$vcf" ] || die 3 "$vcf: missing or unreadable input file"
  mkdir -p "$dir"
  tmp=$(mktemp -d "$dir/.tmp.XXXXXX")
  printf '20\tchr20\n' > "$tmp/rename.txt"
  # Records of the simulated windows only (never the evaluation window), contig renamed to the
  # hg19 name (same sequence), FORMAT reduced to GT, unphased GTs written as applied (a/b -> a|b:
  # consensus -H 1 takes a), REF checked against the reference.
  bcftools annotate --rename-chrs "$tmp/rename.txt" -x '^FORMAT/GT' "$vcf" -Oz -o "$tmp/renamed.vcf.gz"
  tabix -p vcf "$tmp/renamed.vcf.gz"
  bcftools view -R "$sim/truth/simulated_windows.bed" --regions-overlap 0 -Ov "$tmp/renamed.vcf.gz" \
    | awk -F'\t' -v OFS='\t' '/^#/ { print; next } { gsub("/", "|", $10); print }' \
    | bcftools norm -f "$ref" --check-ref e -Oz -o "$tmp/all.vcf.gz" 2> "$tmp/norm.log"
  tabix -p vcf "$tmp/all.vcf.gz"
  [ "$(bcftools view -H "$tmp/all.vcf.gz" "$EXCLUDED" | wc -l)" -eq 0 ] || die 1 "$sample: truth records in the evaluation window"
  bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\t[%GT]\n' "$tmp/all.vcf.gz" > "$tmp/truth.tsv"
  for h in 1 2; do
    bcftools consensus -H "$h" -f "$windows_fa" "$tmp/all.vcf.gz" 2> "$tmp/consensus$h.log" \
      | sed -E "s/^>([^:]+):([0-9]+)-([0-9]+).*/>hap${h}_\1_\2_\3/" > "$tmp/hap$h.fa"
    python3 "$top/scripts/lib/check_haplotypes.py" "$windows_fa" "$tmp/truth.tsv" "$tmp/hap$h.fa" "$h" "hap${h}_" \
      2>> "$tmp/consensus$h.log" || { cat "$tmp/consensus$h.log" >&2; die 1 "$sample: haplotype $h does not match the truth"; }
  done
  for part in train validation; do
    bcftools view -R "$sim/truth/$part.bed" --regions-overlap 0 "$tmp/all.vcf.gz" -Oz -o "$dir/$part.vcf.gz"
    tabix -f -p vcf "$dir/$part.vcf.gz"
  done
  mv "$tmp/all.vcf.gz" "$dir/simulated_all.vcf.gz"; mv "$tmp/all.vcf.gz.tbi" "$dir/simulated_all.vcf.gz.tbi"
  for h in 1 2; do mv "$tmp/hap$h.fa" "$dir/hap$h.fa"; samtools faidx "$dir/hap$h.fa"; done
  rm -rf "$tmp"
  log "$sample: $(bcftools view -H "$dir/simulated_all.vcf.gz" | wc -l) truth records in the simulated windows"
}
truth_dir() {  # HG001 is simulate-training-data.sh's truth (with its synthetic variants)
  if [ "$1" = HG001 ]; then echo "$sim/truth"; else echo "$sim/truth_$1"; fi
}
haplotype() {
  if [ "$1" = HG001 ]; then echo "$sim/haplotypes/hap$2.fa"; else echo "$sim/truth_$1/hap$2.fa"; fi
}

# --- 3. reads per configuration --------------------------------------------------------------------
simulate_config() {
  local name=$1 genome=$2 len=$3 depth=$4 profile=$5 fmean=$6 fsd=$7 seed=$8 aligner=$9
  local dir=$sim/$name tmp fold removed t0
  [ "$genome" = HG001 ] || make_truth "$genome"
  if [ -s "$dir/info.tsv" ]; then return 0; fi
  t0=$(date +%s)
  mkdir -p "$dir"
  tmp=$(mktemp -d "$dir/.tmp.XXXXXX")
  fold=$(awk -v d="$depth" 'BEGIN { printf "%g", d / 2 }')
  for h in 1 2; do
    art_illumina $(art_profile_args "$sim" "$profile") -na -p -i "$(haplotype "$genome" "$h")" -l "$len" -f "$fold" \
      -m "$fmean" -s "$fsd" -rs "$((seed * 10 + h))" -o "$tmp/hap$h." > "$dir/art_hap$h.log" 2>&1 \
      || die 1 "$name: art_illumina failed ($dir/art_hap$h.log)"
  done
  cat "$tmp/hap1.1.fq" "$tmp/hap2.1.fq" > "$tmp/r1.fq"
  cat "$tmp/hap1.2.fq" "$tmp/hap2.2.fq" > "$tmp/r2.fq"
  rm -f "$tmp"/hap*.fq
  local pairs=$(( $(wc -l < "$tmp/r1.fq") / 4 ))
  align_pairs "$aligner" "$threads" "$ref" "$tmp/r1.fq" "$tmp/r2.fq" \
      "@RG\tID:$name\tSM:${genome}_sim\tPL:ILLUMINA\tLB:$name\tDS:art_illumina $profile ${len}bp ${depth}x seed $seed bwa $aligner" \
      2> "$dir/align.log" \
    | samtools sort -@ "$((threads - 1))" -m 768M -T "$tmp/sort" -o "$tmp/sorted.bam" - 2>> "$dir/align.log"
  samtools index "$tmp/sorted.bam"
  # Pairs an aligner maps into the evaluation window are removed, so no training read is there.
  samtools view "$tmp/sorted.bam" "$EXCLUDED" | cut -f1 | sort -u > "$tmp/removed.txt"
  removed=$(wc -l < "$tmp/removed.txt")
  samtools view -h "$tmp/sorted.bam" | awk -F'\t' 'FILENAME == ARGV[1] { drop[$1]; next } !($1 in drop)' "$tmp/removed.txt" - \
    | samtools view -b -o "$tmp/reads.bam" -
  samtools index "$tmp/reads.bam"
  [ "$(samtools view -c "$tmp/reads.bam" "$EXCLUDED")" -eq 0 ] || die 1 "$name: reads left in the evaluation window"
  echo "$aligner" > "$dir/aligner"
  echo "${genome}_sim" > "$dir/sample"
  truth_dir "$genome" > "$dir/truth"
  mv "$tmp/reads.bam.bai" "$dir/reads.bam.bai"; mv "$tmp/reads.bam" "$dir/reads.bam"
  rm -rf "$tmp"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$depth" "$len" "$profile" "$fmean" "$fsd" \
    "$seed" "$((pairs - removed))" "$removed" NA "$(( $(date +%s) - t0 ))" "$name/reads.bam" "$aligner" "$genome" \
    "$(truth_dir "$genome")" > "$dir/info.tsv"
  log "$name: $((pairs - removed)) read pairs ($removed removed from the evaluation window), $(( $(date +%s) - t0 )) s"
}
while read -r name genome len depth profile fmean fsd seed aligner; do
  simulate_config "$name" "$genome" "$len" "$depth" "$profile" "$fmean" "$fsd" "$seed" "$aligner"
done <<< "$CONFIGS"

{
  printf 'config\tdepth\tread_length\tart_profile\tfragment_mean\tfragment_sd\tseed\tread_pairs\tpairs_removed_eval_window\tmean_depth_train\tseconds\tbam\taligner\tgenome\ttruth\n'
  while read -r name _rest; do cat "$sim/$name/info.tsv"; done <<< "$CONFIGS"
} > "$sim/manifest_more.tsv.tmp"
mv "$sim/manifest_more.tsv.tmp" "$sim/manifest_more.tsv"
log "manifest: $sim/manifest_more.tsv ($(( $(wc -l < "$sim/manifest_more.tsv") - 1 )) configurations)"
