#!/usr/bin/env bash
# Builds simulated Illumina training BAMs with a known truth from the real HG001 sequence
# windows that have GIAB truth variants but no reads (see docs/training-data.md).
#
# Usage: scripts/simulate-training-data.sh [options] OUT_DIR
#   --data DIR          folder with the giab_chr20 files
#                       (default: $GENODOSE_GIAB_CHR20 or /work/shared/data/giab_chr20)
#   --threads N         threads for bwa mem / samtools sort; the two haplotypes are simulated in
#                       parallel when N >= 2 (default: 2)
#   --configs LIST      comma-separated subset of the read configurations below (default: all)
#   --sanity-config C   configuration for the final bcftools recovery check (default: l100_d30)
#   --no-sanity         skip that check
#   -h, --help          show this text
#
# What it does (every random step is seeded; a step whose output exists is skipped, so an
# interrupted run resumes and a finished one costs seconds; outputs are renamed into place
# only when complete):
#   1. reference: decompress chr20_windows.fa.gz into OUT/reference/, samtools faidx, bwa index.
#   2. truth: the GIAB v3.3.2 truth records of the three training windows (never the evaluation
#      window chr20:9,995,000-10,100,000), FORMAT reduced to GT, unphased GTs written as phased in
#      the order bcftools consensus applies them; plus seeded synthetic SNVs/indels
#      (scripts/lib/synth_variants.py, INFO/SYNTH) -> OUT/truth/simulated_all.vcf.gz.
#   3. haplotypes: bcftools consensus -H 1 and -H 2 per window, checked base for base against an
#      independent rebuild (scripts/lib/check_haplotypes.py).
#   4. truth split: OUT/truth/train.{vcf.gz,bed} and OUT/truth/validation.{vcf.gz,bed}
#      (validation = chr20:10,900,000-11,094,000; both trimmed 1 kb from window edges).
#   5. per configuration: art_illumina paired-end reads from each haplotype at DEPTH/2, bwa mem
#      with @RG ID=<config> SM=HG001_sim, samtools sort + index -> OUT/<config>/reads.bam(.bai);
#      the few pairs that mismap into the evaluation window are removed.
#   6. OUT/manifest.tsv; OUT/truth/counts.tsv.
#   7. sanity check: bcftools mpileup | bcftools call -mv on one configuration over train.bed,
#      recovered truth variants printed and written to OUT/sanity/<config>.summary.tsv; the run
#      fails if SNV recall < 0.90 or indel recall < 0.70 (reads and truth would not line up).
#
# Exit status: 0 success; 1 a tool failed or a consistency check failed; 2 usage error;
#   3 missing or unexpected input data; 4 output folder problem (not writable, in use, or made
#   with other parameters).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib_dir="$script_dir/lib"

# ---------------------------------------------------------------------------------------------
# Fixed design (changing any of it changes the outputs; OUT/params.txt records it).
# Windows as 0-based half-open BED intervals on chr20 (hg19).
SIM_WINDOWS=$'chr20\t60000\t1000000\nchr20\t10270000\t11095000\nchr20\t59776000\t60001000'
# Evaluation reads cover chr20:10.0-10.1 Mb: never simulate, train or validate there.
EXCLUDED=$'chr20\t9995000\t10100000'
TRAIN_BED=$'chr20\t61000\t999000\nchr20\t10271000\t10899000\nchr20\t59777000\t60000000'
VALIDATION_BED=$'chr20\t10900000\t11094000'
SYNTH_SEED=20201
SYNTH_SNVS_PER_MB=100
SYNTH_INDELS_PER_MB=300
SYNTH_MIN_DISTANCE=50
SAMPLE=HG001_sim
# name read_length depth art_profile fragment_mean fragment_sd seed
# Fragment sizes follow the bundled real reads (NA12878 2x101: 317 +- 69; HG002 2x148: 565 +- 148).
# 100 bp reads alternate the HS25 and HS20 profiles so that the model sees two error regimes:
# samtools stats "error rate" (NM incl. true variants / aligned bases) is 0.33% for HS25 and
# 1.12% for HS20 at 100 bp, 0.38% for HS25 at 150 bp; the real NA12878 2x101 reads give 0.39%.
CONFIGS='l100_d10 100 10 HS25 320 70 101
l100_d20 100 20 HS20 320 70 102
l100_d30 100 30 HS25 320 70 103
l100_d45 100 45 HS20 320 70 104
l100_d60 100 60 HS25 320 70 105
l150_d10 150 10 HS25 550 150 151
l150_d20 150 20 HS25 550 150 152
l150_d30 150 30 HS25 550 150 153
l150_d45 150 45 HS25 550 150 154
l150_d60 150 60 HS25 550 150 155'
# ---------------------------------------------------------------------------------------------

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
died=0
die() { local code=$1; shift; died=1; echo "simulate-training-data.sh: $*" >&2; exit "$code"; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
now() { date +%s; }

data_dir=${GENODOSE_GIAB_CHR20:-/work/shared/data/giab_chr20}
threads=2
selected=""
sanity_config=l100_d30
run_sanity=1
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --data) [ $# -ge 2 ] || die 2 "--data needs a folder"; data_dir=$2; shift 2 ;;
    --threads) [ $# -ge 2 ] || die 2 "--threads needs a number"; threads=$2; shift 2 ;;
    --configs) [ $# -ge 2 ] || die 2 "--configs needs a list"; selected=$2; shift 2 ;;
    --sanity-config) [ $# -ge 2 ] || die 2 "--sanity-config needs a name"; sanity_config=$2; shift 2 ;;
    --no-sanity) run_sanity=0; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die 2 "unknown option '$1' (see --help)" ;;
    *) [ -z "$out" ] || die 2 "only one OUT_DIR may be given (got '$out' and '$1')"; out=$1; shift ;;
  esac
done
[ -n "$out" ] || die 2 "missing OUT_DIR (see --help)"
[[ $threads =~ ^[1-9][0-9]*$ ]] || die 2 "--threads must be a positive integer, got '$threads'"
config_names=$(awk '{print $1}' <<<"$CONFIGS")
if [ -z "$selected" ]; then selected=$(tr '\n' ',' <<<"$config_names"); fi
IFS=',' read -r -a selected_list <<<"$selected"
for c in "${selected_list[@]}"; do
  grep -qx -- "$c" <<<"$config_names" || die 2 "unknown configuration '$c' (known: $(tr '\n' ' ' <<<"$config_names"))"
done
if [ "$run_sanity" = 1 ] && ! grep -qx -- "$sanity_config" <<<"$config_names"; then
  die 2 "unknown --sanity-config '$sanity_config'"
fi

for tool in bcftools samtools tabix bgzip bwa art_illumina python3 flock; do
  command -v "$tool" >/dev/null || die 3 "required tool '$tool' is not installed (see scripts/install-deps.sh)"
done

ref_gz="$data_dir/chr20_windows.fa.gz"
truth_in="$data_dir/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz"
windows_in="$data_dir/real_sequence_windows.bed"
for f in "$ref_gz" "$truth_in" "$truth_in.tbi" "$windows_in"; do
  [ -r "$f" ] || die 3 "$f: missing or unreadable input file"
done

# Design checks: every simulated window has real sequence, none touches the evaluation window,
# train/validation are inside the windows and disjoint.
check_design() {
  awk -v sim="$SIM_WINDOWS" -v excl="$EXCLUDED" -v train="$TRAIN_BED" -v val="$VALIDATION_BED" -v src="$windows_in" '
    function load(text, arr,   n, i, f) { n = split(text, lines, "\n"); for (i = 1; i <= n; i++) { split(lines[i], f, "\t"); arr[i, 1] = f[1]; arr[i, 2] = f[2] + 0; arr[i, 3] = f[3] + 0 } return n }
    function inside(a, i, b, nb,   j) { for (j = 1; j <= nb; j++) if (a[i, 1] == b[j, 1] && a[i, 2] >= b[j, 2] && a[i, 3] <= b[j, 3]) return 1; return 0 }
    function overlaps(a, i, b, nb,   j) { for (j = 1; j <= nb; j++) if (a[i, 1] == b[j, 1] && a[i, 2] < b[j, 3] && b[j, 2] < a[i, 3]) return 1; return 0 }
    { real[NR, 1] = $1; real[NR, 2] = $2 + 0; real[NR, 3] = $3 + 0; nreal = NR }
    END {
      ns = load(sim, S); ne = load(excl, E); nt = load(train, T); nv = load(val, V)
      for (i = 1; i <= ns; i++) {
        if (!inside(S, i, real, nreal)) { print src ": simulated window " S[i,1] ":" S[i,2] "-" S[i,3] " is not a real-sequence window"; bad = 1 }
        if (overlaps(S, i, E, ne)) { print "simulated window " S[i,1] ":" S[i,2] "-" S[i,3] " overlaps the excluded evaluation window"; bad = 1 }
      }
      for (i = 1; i <= nt; i++) { if (!inside(T, i, S, ns)) { print "train region outside the windows"; bad = 1 } if (overlaps(T, i, V, nv)) { print "train and validation overlap"; bad = 1 } }
      for (i = 1; i <= nv; i++) if (!inside(V, i, S, ns)) { print "validation region outside the windows"; bad = 1 }
      exit bad
    }' "$windows_in"
}
design_problems=$(check_design) || die 3 "$design_problems"

mkdir -p "$out" 2>/dev/null || die 4 "$out: cannot create the output folder"
[ -w "$out" ] || die 4 "$out: output folder is not writable"
out=$(cd "$out" && pwd)
exec 9>"$out/.lock"
flock -n 9 || die 4 "$out: another simulate-training-data.sh run is using this folder"
# Fixed name (the lock makes it private to this run): keeps the paths in the BAM @PG lines, and
# so the BAM bytes, the same from run to run.
tmp="$out/.tmp"
rm -rf "$tmp"
mkdir -p "$tmp"
cleanup() {
  local rc=$? pids
  pids=$(jobs -pr)
  if [ -n "$pids" ]; then kill $pids 2>/dev/null || true; fi
  rm -rf "$tmp"
  if [ "$rc" -ne 0 ] && [ "$died" = 0 ]; then
    echo "simulate-training-data.sh: a command failed (exit $rc); see the logs in $out/logs" >&2
    exit 1
  fi
}
trap cleanup EXIT
trap 'died=1; exit 130' INT TERM

# Outputs made with other parameters must not be mixed with this run's.
check_params() {  # check_params FILE TEXT
  if [ -e "$1" ]; then
    [ "$(cat "$1")" = "$2" ] || die 4 "$1: $out was made with other parameters; use a new OUT_DIR or delete it"
  else
    printf '%s\n' "$2" >"$1.tmp.$$" && mv "$1.tmp.$$" "$1"
  fi
}
truth_md5=$(md5sum <"$truth_in" | cut -d' ' -f1)
ref_md5=$(md5sum <"$ref_gz" | cut -d' ' -f1)
check_params "$out/params.txt" "$(printf 'script_version\t2\ntruth_md5\t%s\nreference_md5\t%s\nsim_windows\t%s\nexcluded\t%s\ntrain\t%s\nvalidation\t%s\nsynth\tseed=%s snvs_per_mb=%s indels_per_mb=%s min_distance=%s\nsample\t%s' \
  "$truth_md5" "$ref_md5" "$(tr '\n\t' ' :' <<<"$SIM_WINDOWS")" "$(tr '\n\t' ' :' <<<"$EXCLUDED")" \
  "$(tr '\n\t' ' :' <<<"$TRAIN_BED")" "$(tr '\n\t' ' :' <<<"$VALIDATION_BED")" \
  "$SYNTH_SEED" "$SYNTH_SNVS_PER_MB" "$SYNTH_INDELS_PER_MB" "$SYNTH_MIN_DISTANCE" "$SAMPLE")"

mkdir -p "$out/reference" "$out/truth" "$out/haplotypes" "$out/sanity" "$out/logs"
ref="$out/reference/chr20_windows.fa"
start_all=$(now)

# --- 1. reference + bwa index -------------------------------------------------------------
if [ -s "$ref" ] && [ -s "$ref.fai" ] && [ -s "$ref.bwt" ] && [ -s "$ref.sa" ] && [ -s "$ref.pac" ]; then
  log "reference: $ref exists, skipped"
else
  log "reference: decompressing and indexing (bwa index takes ~2 min)"
  t0=$(now)
  gzip -dc "$ref_gz" >"$tmp/ref.fa"
  samtools faidx "$tmp/ref.fa"
  bwa index "$tmp/ref.fa" 2>"$out/logs/bwa_index.log"
  for ext in fai amb ann bwt pac sa; do mv "$tmp/ref.fa.$ext" "$ref.$ext"; done
  mv "$tmp/ref.fa" "$ref"   # last: its presence marks a complete index
  log "reference: done in $(( $(now) - t0 )) s"
fi

# --- 2. BEDs and truth with synthetic variants ---------------------------------------------
write_bed() { printf '%s\n' "$2" >"$1.tmp.$$" && mv "$1.tmp.$$" "$1"; }
[ -s "$out/truth/simulated_windows.bed" ] || write_bed "$out/truth/simulated_windows.bed" "$SIM_WINDOWS"
[ -s "$out/truth/train.bed" ] || write_bed "$out/truth/train.bed" "$TRAIN_BED"
[ -s "$out/truth/validation.bed" ] || write_bed "$out/truth/validation.bed" "$VALIDATION_BED"
windows_fa="$out/haplotypes/reference_windows.fa"
if [ ! -s "$windows_fa" ]; then
  awk -F'\t' '{print $1 ":" $2 + 1 "-" $3}' "$out/truth/simulated_windows.bed" >"$tmp/windows.txt"
  samtools faidx -r "$tmp/windows.txt" "$ref" >"$tmp/windows.fa"
  mv "$tmp/windows.fa" "$windows_fa"
fi

all_truth="$out/truth/simulated_all.vcf.gz"
if [ -s "$all_truth" ] && [ -s "$all_truth.tbi" ]; then
  log "truth: $all_truth exists, skipped"
else
  t0=$(now)
  cat >"$tmp/synth_header.txt" <<'EOF'
##INFO=<ID=SYNTH,Number=0,Type=Flag,Description="Synthetic variant added by scripts/simulate-training-data.sh (not in the GIAB truth)">
##INFO=<ID=SYNTH_KIND,Number=1,Type=String,Description="How the synthetic variant was drawn: snv, ins_random, ins_dup, del_random, ins_repeat, del_repeat">
##INFO=<ID=SYNTH_UNIT,Number=1,Type=String,Description="Repeat unit of a synthetic repeat indel">
##genodose_simulation=<Description="Truth of the simulated HG001 haplotypes: GIAB v3.3.2 records (unphased GTs written in the order they were applied) plus synthetic variants (INFO/SYNTH). GT is the phase used in the simulated haplotypes.">
EOF
  # Real truth of the simulated windows only. Unphased GTs (15 records) are applied by
  # `consensus -H 1/-H 2` in written order (a/b -> hap1 a, hap2 b), so write them as a|b.
  bcftools view -R "$out/truth/simulated_windows.bed" --regions-overlap 0 "$truth_in" -Ou \
    | bcftools annotate -x '^FORMAT/GT' -h "$tmp/synth_header.txt" -Ov \
    | awk -F'\t' -v OFS='\t' '/^#/ {print; next} { if ($10 ~ /\//) { n++; gsub("/", "|", $10) } print } END { print n + 0 > "/dev/stderr" }' \
      2>"$tmp/unphased_count.txt" | bgzip -c >"$tmp/real.vcf.gz"
  tabix -p vcf "$tmp/real.vcf.gz"
  leaked=$(bcftools view -H "$tmp/real.vcf.gz" "$(awk -F'\t' '{print $1 ":" $2 + 1 "-" $3}' <<<"$EXCLUDED")" | wc -l)
  [ "$leaked" -eq 0 ] || die 1 "internal error: $leaked truth records of the excluded window were selected"
  bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$tmp/real.vcf.gz" >"$tmp/real.tsv"
  cat "$out/truth/train.bed" "$out/truth/validation.bed" >"$tmp/placement.bed"
  python3 "$lib_dir/synth_variants.py" --windows-fasta "$windows_fa" --regions-bed "$tmp/placement.bed" \
    --real-variants "$tmp/real.tsv" --seed "$SYNTH_SEED" --snvs-per-mb "$SYNTH_SNVS_PER_MB" \
    --indels-per-mb "$SYNTH_INDELS_PER_MB" --min-distance "$SYNTH_MIN_DISTANCE" \
    --sample "$(bcftools query -l "$truth_in")" --output "$tmp/synthetic.vcf" 2>"$out/logs/synthetic.log" \
    || { cat "$out/logs/synthetic.log" >&2; die 1 "synthetic variant generation failed"; }
  bgzip -f "$tmp/synthetic.vcf" && tabix -p vcf "$tmp/synthetic.vcf.gz"
  # The generator writes left-aligned, trimmed alleles itself; bcftools norm must agree.
  bcftools norm -f "$ref" --check-ref e -Ou -o /dev/null "$tmp/synthetic.vcf.gz" 2>"$tmp/norm_synth.txt"
  realigned=$(awk -F'[/ \t]+' '/^Lines/ {print $(NF-1)}' "$tmp/norm_synth.txt")
  [ "$realigned" = 0 ] || die 1 "internal error: bcftools norm realigned $realigned synthetic variants"
  bcftools concat -a "$tmp/real.vcf.gz" "$tmp/synthetic.vcf.gz" -Ou 2>"$out/logs/concat_truth.log" \
    | bcftools sort -T "$tmp/sort" -Ou 2>/dev/null \
    | bcftools norm -f "$ref" --check-ref e -Oz -o "$tmp/all.vcf.gz" 2>"$out/logs/norm_truth.log"
  tabix -p vcf "$tmp/all.vcf.gz"
  log "truth: $(cat "$tmp/unphased_count.txt") unphased GIAB genotypes written as phased; $(tr '\n' ' ' <"$out/logs/synthetic.log")"
  log "truth: bcftools norm on real+synthetic: $(grep '^Lines' "$out/logs/norm_truth.log")"
  mv "$tmp/all.vcf.gz.tbi" "$all_truth.tbi"; mv "$tmp/all.vcf.gz" "$all_truth"
  rm -f "$out/haplotypes/hap1.fa" "$out/haplotypes/hap2.fa"   # stale if the truth was remade
  log "truth: done in $(( $(now) - t0 )) s"
fi

# --- 3. haplotypes --------------------------------------------------------------------------
bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\t[%GT]\n' "$all_truth" >"$tmp/truth.tsv"
for h in 1 2; do
  hap="$out/haplotypes/hap$h.fa"
  if [ -s "$hap" ]; then log "haplotype $h: exists, skipped"; continue; fi
  bcftools consensus -H "$h" -f "$windows_fa" "$all_truth" 2>"$out/logs/consensus_hap$h.log" \
    | sed -E "s/^>([^:]+):([0-9]+)-([0-9]+).*/>hap${h}_\1_\2_\3/" >"$tmp/hap$h.fa"
  python3 "$lib_dir/check_haplotypes.py" "$windows_fa" "$tmp/truth.tsv" "$tmp/hap$h.fa" "$h" "hap${h}_" \
    2>>"$out/logs/consensus_hap$h.log" \
    || { cat "$out/logs/consensus_hap$h.log" >&2; die 1 "haplotype $h does not match the truth"; }
  samtools faidx "$tmp/hap$h.fa"
  mv "$tmp/hap$h.fa.fai" "$hap.fai"; mv "$tmp/hap$h.fa" "$hap"
  log "haplotype $h: $(grep -h 'Applied\|haplotype' "$out/logs/consensus_hap$h.log" | tr '\n' ';')"
done

# --- 4. train / validation truth --------------------------------------------------------------
for set in train validation; do
  vcf="$out/truth/$set.vcf.gz"
  if [ -s "$vcf" ] && [ -s "$vcf.tbi" ]; then continue; fi
  bcftools view -R "$out/truth/$set.bed" --regions-overlap 0 "$all_truth" -Oz -o "$tmp/$set.vcf.gz"
  tabix -p vcf "$tmp/$set.vcf.gz"
  mv "$tmp/$set.vcf.gz.tbi" "$vcf.tbi"; mv "$tmp/$set.vcf.gz" "$vcf"
done

# counts: set, origin (real/synthetic), type (SNV/indel/other), genotype (het/hom/multi)
count_truth() {
  for set in train validation; do
    bcftools query -f '%REF\t%ALT\t%INFO/SYNTH\t[%GT]\n' "$out/truth/$set.vcf.gz" | awk -F'\t' -v set="$set" '
      { n = split($2, alts, ","); type = "SNV"
        for (i = 1; i <= n; i++) if (length(alts[i]) != length($1)) type = "indel"
        if (type == "SNV" && length($1) > 1) type = "other"
        origin = ($3 == "1") ? "synthetic" : "real"
        split($4, g, /[|\/]/); gt = (g[1] == g[2]) ? "hom" : (g[1] != "0" && g[2] != "0") ? "multi" : "het"
        c[origin "\t" type "\t" gt]++ }
      END { for (k in c) print set "\t" k "\t" c[k] }' | sort
  done
}
if [ ! -s "$out/truth/counts.tsv" ]; then
  { printf 'set\torigin\ttype\tgenotype\tcount\n'; count_truth; } >"$tmp/counts.tsv"
  mv "$tmp/counts.tsv" "$out/truth/counts.tsv"
fi

# --- 5. reads per configuration ---------------------------------------------------------------
excluded_regions=$(awk -F'\t' '{ printf "%s%s:%d-%d", (NR > 1 ? " " : ""), $1, $2 + 1, $3 }' <<<"$EXCLUDED")
simulate_config() {  # name len depth profile frag_mean frag_sd seed
  local name=$1 len=$2 depth=$3 profile=$4 fmean=$5 fsd=$6 seed=$7
  local dir="$out/$name" work="$tmp/$name" t0 h pids=() fold
  mkdir -p "$dir" "$work"
  check_params "$dir/params.txt" "$(printf 'read_length\t%s\ndepth\t%s\nprofile\t%s\nfragment\t%s+-%s\nseed\t%s\nsample\t%s\ntruth_md5\t%s' \
    "$len" "$depth" "$profile" "$fmean" "$fsd" "$seed" "$SAMPLE" "$(md5sum <"$all_truth" | cut -d' ' -f1)")"
  if [ -s "$dir/reads.bam" ] && [ -s "$dir/reads.bam.bai" ] && [ -s "$dir/info.tsv" ]; then
    log "$name: exists, skipped"; return 0
  fi
  t0=$(now)
  fold=$(awk -v d="$depth" 'BEGIN { printf "%g", d / 2 }')
  for h in 1 2; do
    # art seed per haplotype: seed*10+h (documented in docs/training-data.md)
    art_illumina -ss "$profile" -na -p -i "$out/haplotypes/hap$h.fa" -l "$len" -f "$fold" \
      -m "$fmean" -s "$fsd" -rs "$((seed * 10 + h))" -o "$work/hap$h." >"$dir/art_hap$h.log" 2>&1 &
    pids+=($!)
    if [ "$threads" -lt 2 ]; then wait "${pids[-1]}" || die 1 "$name: art_illumina failed (see $dir/art_hap$h.log)"; fi
  done
  for p in "${pids[@]}"; do wait "$p" || die 1 "$name: art_illumina failed (see $dir/art_hap*.log)"; done
  local reads_fq
  reads_fq=$(( ($(wc -l <"$work/hap1.1.fq") + $(wc -l <"$work/hap2.1.fq")) / 4 ))
  [ "$reads_fq" -gt 0 ] || die 1 "$name: art_illumina produced no reads"
  # -K fixes the batch size so that bwa mem output does not depend on the thread count.
  bwa mem -t "$threads" -K 10000000 -v 1 \
      -R "@RG\tID:$name\tSM:$SAMPLE\tPL:ILLUMINA\tLB:$name\tDS:art_illumina $profile ${len}bp ${depth}x seed $seed" \
      "$ref" <(cat "$work/hap1.1.fq" "$work/hap2.1.fq") <(cat "$work/hap1.2.fq" "$work/hap2.2.fq") 2>"$dir/bwa.log" \
    | samtools sort -@ "$((threads - 1))" -m 768M -T "$work/sort" -o "$work/sorted.bam" - 2>>"$dir/bwa.log"
  samtools index "$work/sorted.bam"
  # A few reads from repeats mismap into the evaluation window (MAPQ 0); drop those pairs so
  # that no training BAM has a single read there.
  local removed
  samtools view "$work/sorted.bam" $excluded_regions | cut -f1 | sort -u >"$work/removed_names.txt"
  removed=$(wc -l <"$work/removed_names.txt")
  if [ "$removed" -gt 0 ]; then
    samtools view -h "$work/sorted.bam" \
      | awk -F'\t' 'NR == FNR { drop[$1]; next } !($1 in drop)' "$work/removed_names.txt" - \
      | samtools view -b -o "$work/reads.bam" -
    rm -f "$work/sorted.bam" "$work/sorted.bam.bai"
  else
    mv "$work/sorted.bam" "$work/reads.bam"; rm -f "$work/sorted.bam.bai"
  fi
  samtools index "$work/reads.bam"
  [ "$(samtools view -c "$work/reads.bam" $excluded_regions)" -eq 0 ] || die 1 "$name: reads left in the evaluation window"
  local primary
  primary=$(samtools view -c -F 0x900 "$work/reads.bam")
  [ "$primary" -eq $((2 * (reads_fq - removed))) ] \
    || die 1 "$name: BAM has $primary primary reads, expected $((2 * (reads_fq - removed))) from the FASTQ"
  local mean_depth
  mean_depth=$(samtools depth -a -b "$out/truth/train.bed" "$work/reads.bam" | awk '{ s += $3 } END { printf "%.1f", s / NR }')
  rm -f "$work"/*.fq
  mv "$work/reads.bam.bai" "$dir/reads.bam.bai"; mv "$work/reads.bam" "$dir/reads.bam"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$depth" "$len" "$profile" "$fmean" "$fsd" \
    "$seed" "$((reads_fq - removed))" "$removed" "$mean_depth" "$(( $(now) - t0 ))" "$name/reads.bam" >"$dir/info.tsv"
  rm -rf "$work"
  log "$name: $((reads_fq - removed)) read pairs ($removed removed from the evaluation window), mean depth over train.bed ${mean_depth}x, $(( $(now) - t0 )) s"
}
while read -r name len depth profile fmean fsd seed; do
  [[ ",$selected," == *",$name,"* ]] || continue
  simulate_config "$name" "$len" "$depth" "$profile" "$fmean" "$fsd" "$seed"
done <<<"$CONFIGS"

# --- 6. manifest ------------------------------------------------------------------------------
{
  printf 'config\tdepth\tread_length\tart_profile\tfragment_mean\tfragment_sd\tseed\tread_pairs\tpairs_removed_eval_window\tmean_depth_train\tseconds\tbam\n'
  for name in $config_names; do
    if [ -s "$out/$name/info.tsv" ]; then cat "$out/$name/info.tsv"; fi
  done
} >"$tmp/manifest.tsv"
mv "$tmp/manifest.tsv" "$out/manifest.tsv"

# --- 7. sanity check: do reads and truth line up? -----------------------------------------------
if [ "$run_sanity" = 1 ]; then
  bam="$out/$sanity_config/reads.bam"
  summary="$out/sanity/$sanity_config.summary.tsv"
  if [ ! -s "$bam" ]; then
    log "sanity: $bam not simulated in this folder, skipped"
  elif [ -s "$summary" ]; then
    log "sanity: $summary exists, skipped"
  else
    t0=$(now)
    log "sanity: bcftools mpileup | bcftools call -mv on $sanity_config over train.bed"
    calls="$out/sanity/$sanity_config.calls.vcf.gz"
    bcftools mpileup -f "$ref" -R "$out/truth/train.bed" -a AD,DP -Ou "$bam" 2>/dev/null \
      | bcftools call -mv -Ou | bcftools norm -f "$ref" -m -any -Oz -o "$tmp/calls.vcf.gz" 2>/dev/null
    tabix -p vcf "$tmp/calls.vcf.gz"
    bcftools norm -f "$ref" -m -any "$out/truth/train.vcf.gz" -Oz -o "$tmp/truth_split.vcf.gz" 2>/dev/null
    tabix -p vcf "$tmp/truth_split.vcf.gz"
    # exact allele match after normalisation; 0000 = truth only, 0001 = calls only, 0002 = shared (truth records)
    bcftools isec -p "$tmp/isec" "$tmp/truth_split.vcf.gz" "$tmp/calls.vcf.gz"
    classify='{ type = (length($1) == length($2)) ? "SNV" : "indel"; origin = ($3 == "1") ? "synthetic" : "real" }'
    {
      printf 'origin\ttype\ttruth_alleles\trecovered\trecall\n'
      { bcftools query -f '%REF\t%ALT\t%INFO/SYNTH\tmissed\n' "$tmp/isec/0000.vcf"
        bcftools query -f '%REF\t%ALT\t%INFO/SYNTH\tfound\n' "$tmp/isec/0002.vcf"; } \
        | awk -F'\t' -v OFS='\t' "$classify"' { n[origin "\t" type]++; if ($4 == "found") f[origin "\t" type]++; split(origin "\t" type, x, "\t"); N[x[2]]++; if ($4 == "found") F[x[2]]++ }
            END { for (k in n) print k, n[k], f[k] + 0, sprintf("%.3f", f[k] / n[k]); for (t in N) print "all", t, N[t], F[t] + 0, sprintf("%.3f", F[t] / N[t]) }' | sort
      printf 'calls_not_in_truth\t%s\n' "$(bcftools view -H "$tmp/isec/0001.vcf" | wc -l)"
    } >"$tmp/summary.tsv"
    mv "$tmp/calls.vcf.gz" "$calls"; mv "$tmp/calls.vcf.gz.tbi" "$calls.tbi"
    mv "$tmp/summary.tsv" "$summary"
    log "sanity: done in $(( $(now) - t0 )) s"
  fi
  if [ -s "$summary" ]; then
    echo "Sanity check ($sanity_config, bcftools call -mv over train.bed, alleles matched exactly after bcftools norm):"
    column -t -s $'\t' "$summary" 2>/dev/null || cat "$summary"
    # Loose floors: reads that do not line up with the truth give recalls near 0, any working
    # configuration (>= 10x) gives > 0.95 for SNVs and > 0.85 for indels.
    awk -F'\t' '$1 == "all" && (($2 == "SNV" && $5 < 0.90) || ($2 == "indel" && $5 < 0.70)) { bad = 1 } END { exit bad }' "$summary" \
      || die 1 "sanity check failed: bcftools recovers too few truth variants from $sanity_config ($summary)"
  fi
fi

echo "Truth counts (records; $out/truth/counts.tsv):"
awk -F'\t' 'NR > 1 { k = $1 "\t" $2 "\t" $3; c[k] += $5 } END { for (k in c) print k "\t" c[k] }' "$out/truth/counts.tsv" | sort | column -t
echo "Manifest ($out/manifest.tsv):"
column -t -s $'\t' "$out/manifest.tsv"
log "all done in $(( $(now) - start_all )) s; output in $out ($(du -sh "$out" | cut -f1))"
