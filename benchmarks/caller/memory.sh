#!/usr/bin/env bash
# Peak memory (RSS) and wall time of `genodose call` as the called region grows 10x: it must stay
# flat, because calling streams the region in chunks (--chunk-size, default 20 kb) with at most
# ~2 chunks per thread in flight.
#
#   1. the bundled real NA12878 reads, chr20:10,000,001-10,100,000 (100 kb, ~52x, 2x101 bp);
#   2. simulated reads over 1,000,000 bp of real HG001 sequence, and the first 100 kb of the same
#      BAM (same depth and read length, so the two simulated rows differ only in region length).
#
# The reference has no 1 Mb window with real sequence in one piece (see real_sequence_windows.bed),
# so the simulated region is two pieces of real chr20 (hg19) sequence, each its own contig:
#   sim_a = chr20:60,001-1,000,000 (940,000 bp), sim_b = chr20:10,270,001-10,330,000 (60,000 bp).
# Two haplotypes with the GIAB v3.3.2 truth variants applied (bcftools consensus -H 1 / -H 2),
# art_illumina HS25 2x150 bp, fragments 550 +- 150, 20x per haplotype (40x in all), fixed seeds;
# bwa mem -K (batch size fixed: output independent of threads) + samtools sort. Everything is
# made in a scratch folder, never in the repository.
#
# Peak RSS and wall time come from GNU time (/usr/bin/time -f '%e %M'); every run is done with
# --threads 1 and 2, three times (medians are printed: RSS with 2 threads varies by run, as it
# depends on which chunks happen to be in flight together). The "CNN images" column counts the
# images (ALT alleles of candidate sites) of the busiest 20 kb chunk, which sets how much batch
# scratch memory the CNN needs. Two diagnostics follow: the simulated runs again with glibc's mmap
# threshold fixed (MALLOC_MMAP_THRESHOLD_=131072: large freed buffers go back to the system at
# once, so RSS shows what is live rather than what the allocator keeps), and each 20 kb chunk of
# the simulated 1 Mb called alone (1 thread), peak RSS against its CNN images.
#
# Usage: benchmarks/caller/memory.sh [GENODOSE] [SCRATCH_DIR]
#   GENODOSE     genodose executable (default: build/genodose)
#   SCRATCH_DIR  keep the simulated data here and reuse it on the next run (default: a temporary
#                folder, deleted at the end)
# Prints a Markdown table. Exit status: 0 ok, 1 a tool failed, 3 missing tool or data.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
genodose=$(realpath "${1:-$top/build/genodose}")
data=$(realpath "${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}")
die() { echo "memory.sh: $*" >&2; exit "${code:-1}"; }
for tool in /usr/bin/time samtools bcftools bwa art_illumina tabix python3; do
  command -v "$tool" >/dev/null || code=3 die "required tool '$tool' is not installed (GNU time: apt-get install time)"
done
[ -x "$genodose" ] || code=3 die "$genodose: not an executable"
for f in chr20_windows.fa.gz HG001_GIAB_v3.3.2_chr20_windows.vcf.gz NA12878_S1.chr20.10_10p1mb.bam; do
  [ -r "$data/$f" ] || code=3 die "$data/$f: missing (set GENODOSE_GIAB_CHR20)"
done
if [ -n "${2:-}" ]; then
  mkdir -p "$2"; work=$(realpath "$2")
else
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fi
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# --- 1. inputs of the bundled run (as in accuracy-and-speed.sh) ---------------------------------
if [ ! -s "$work/chr20.fa.fai" ]; then
  gzip -dc "$data/chr20_windows.fa.gz" > "$work/chr20.fa.tmp"
  mv "$work/chr20.fa.tmp" "$work/chr20.fa"
  samtools faidx "$work/chr20.fa"
fi

# --- 2. simulated 1 Mb: reference pieces, haplotypes, reads ---------------------------------------
sim=$work/sim
pieces='sim_a chr20:60001-1000000
sim_b chr20:10270001-10330000'
if [ ! -s "$sim/reads.bam.bai" ]; then
  log "simulating 1 Mb of 2x150 bp reads at 40x (art_illumina + bwa mem; about 1 min on 2 cores)"
  rm -rf "$sim"; mkdir -p "$sim"
  : > "$sim/ref.fa"; : > "$sim/pieces.bed"
  while read -r name region; do
    samtools faidx "$work/chr20.fa" "$region" | sed "1s/.*/>$name/" >> "$sim/ref.fa"
    awk -v r="$region" 'BEGIN { split(r, a, /[:-]/); printf "%s\t%d\t%d\n", a[1], a[2] - 1, a[3] }' >> "$sim/pieces.bed"
  done <<< "$pieces"
  samtools faidx "$sim/ref.fa"
  awk '{ printf "%s\t0\t%d\n", $1, $2 }' "$sim/ref.fa.fai" > "$sim/region.bed"
  [ "$(awk '{ s += $3 } END { print s }' "$sim/region.bed")" -eq 1000000 ] || die "simulated reference is not 1,000,000 bp"
  grep -q N <(grep -v '>' "$sim/ref.fa") && die "simulated reference contains N"
  bwa index "$sim/ref.fa" 2> "$sim/bwa_index.log"
  # Truth records of the pieces; bcftools consensus applies them to the chr20:beg-end records.
  bcftools view -R "$sim/pieces.bed" --regions-overlap 0 -Oz -o "$sim/truth.vcf.gz" "$data/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz"
  tabix -p vcf "$sim/truth.vcf.gz"
  cut -d' ' -f2 <<< "$pieces" > "$sim/pieces.txt"
  samtools faidx -r "$sim/pieces.txt" "$work/chr20.fa" > "$sim/pieces.fa"
  for h in 1 2; do
    bcftools consensus -H "$h" -f "$sim/pieces.fa" "$sim/truth.vcf.gz" 2> "$sim/consensus$h.log" \
      | sed -E "s/^>(.*)/>hap${h}_\1/; s/:/_/g" > "$sim/hap$h.fa"
    art_illumina -ss HS25 -na -p -i "$sim/hap$h.fa" -l 150 -f 20 -m 550 -s 150 -rs "$((2024 + h))" \
      -o "$sim/hap$h." > "$sim/art$h.log" 2>&1 || die "art_illumina failed (see $sim/art$h.log)"
  done
  bwa mem -t 2 -K 10000000 -v 1 -R '@RG\tID:sim\tSM:HG001_sim\tPL:ILLUMINA' "$sim/ref.fa" \
      <(cat "$sim/hap1.1.fq" "$sim/hap2.1.fq") <(cat "$sim/hap1.2.fq" "$sim/hap2.2.fq") 2> "$sim/bwa.log" \
    | samtools sort -@ 1 -m 512M -T "$sim/sort" -o "$sim/reads.tmp.bam" -
  rm -f "$sim"/*.fq
  mv "$sim/reads.tmp.bam" "$sim/reads.bam"
  samtools index "$sim/reads.bam"
  log "simulation done: $(samtools view -c -F 0x900 "$sim/reads.bam") reads; $(grep -h 'Applied' "$sim"/consensus?.log | tr '\n' ' ')"
fi
depth_a=$(samtools depth -a -r sim_a:1-100000 "$sim/reads.bam" | awk '{ s += $3 } END { printf "%.0f", s / NR }')
depth_all=$(samtools depth -a -b "$sim/region.bed" "$sim/reads.bam" | awk '{ s += $3 } END { printf "%.0f", s / NR }')

# --- 3. timed runs --------------------------------------------------------------------------------
: > "$work/times"
repeats=3
images_of() {  # images_of VCF → "records max_images": CNN images (ALT alleles of candidate sites) in the
  # busiest 20 kb chunk (the default --chunk-size; every region here starts at a multiple of 20 kb,
  # so a record's chunk is (POS - 1) div 20000).
  zcat "$1" | awk -F'\t' '!/^#/ { n++; images[$1 ":" int(($2 - 1) / 20000)] += split($5, a, ",") }
    END { for (c in images) if (images[c] > max) max = images[c]; print n + 0, max + 0 }'
}
timed() {  # timed NAME THREADS ARGS... → appends "NAME threads seconds peak_kB records max_images" to $work/times
  local name=$1 threads=$2; shift 2
  env "${run_env[@]}" /usr/bin/time -f "%e %M" -o "$work/time" "$genodose" --threads "$threads" call "$@" \
    --output "$work/$name.t$threads.vcf.gz" 2> "$work/$name.t$threads.log" \
    || { cat "$work/$name.t$threads.log" >&2; die "genodose call failed: $name, $threads threads"; }
  echo "$name $threads $(cat "$work/time") $(images_of "$work/$name.t$threads.vcf.gz")" >> "$work/times"
}
run_env=()
for rep in $(seq "$repeats"); do
  for threads in 1 2; do
    log "genodose call, $threads thread(s), repeat $rep of $repeats"
    timed bundled "$threads" --ref "$work/chr20.fa" --reads "$data/NA12878_S1.chr20.10_10p1mb.bam" --regions chr20:10000001-10100000
    timed sim100k "$threads" --ref "$sim/ref.fa" --reads "$sim/reads.bam" --regions sim_a:1-100000
    timed sim1m "$threads" --ref "$sim/ref.fa" --reads "$sim/reads.bam" --regions "$sim/region.bed"
  done
done
for name in bundled sim100k sim1m; do   # the output must not depend on the thread count
  cmp -s <(zcat "$work/$name.t1.vcf.gz" | grep -v '^##') <(zcat "$work/$name.t2.vcf.gz" | grep -v '^##') \
    || die "$name: records differ between --threads 1 and 2"
done
# The allocator's share: glibc raises its mmap threshold after the first large free, so later large
# buffers come from per-thread heaps that keep freed memory; a fixed threshold returns them at once.
run_env=(MALLOC_MMAP_THRESHOLD_=131072)
for rep in $(seq "$repeats"); do
  for threads in 1 2; do
    log "genodose call, $threads thread(s), MALLOC_MMAP_THRESHOLD_=131072, repeat $rep of $repeats"
    timed sim100k_mmap "$threads" --ref "$sim/ref.fa" --reads "$sim/reads.bam" --regions sim_a:1-100000
    timed sim1m_mmap "$threads" --ref "$sim/ref.fa" --reads "$sim/reads.bam" --regions "$sim/region.bed"
  done
done
# Each 20 kb chunk of the simulated 1 Mb alone, 1 thread: peak RSS against the chunk's CNN images.
log "genodose call on each 20 kb chunk of the simulated 1 Mb alone (50 runs)"
: > "$work/chunks"
while read -r contig begin end; do
  for ((b = begin; b < end; b += 20000)); do
    /usr/bin/time -f "%M" -o "$work/time" "$genodose" --threads 1 call --ref "$sim/ref.fa" --reads "$sim/reads.bam" \
      --regions "$contig:$((b + 1))-$((b + 20000))" --output "$work/chunk.vcf.gz" 2> "$work/chunk.log" \
      || { cat "$work/chunk.log" >&2; die "genodose call failed on $contig:$((b + 1))-$((b + 20000))"; }
    echo "$(images_of "$work/chunk.vcf.gz" | cut -d' ' -f2) $(cat "$work/time")" >> "$work/chunks"
  done
done < "$sim/region.bed"

python3 - "$work/times" "$work/chunks" "$depth_a" "$depth_all" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, threads, seconds, peak, records, images = line.split()
    runs.setdefault((name, int(threads)), []).append((float(seconds), int(peak) / 1024, int(records), int(images)))
rows = {}
for key, values in runs.items():
    peaks = [v[1] for v in values]
    rows[key] = (statistics.median(v[0] for v in values), statistics.median(peaks), min(peaks), max(peaks),
                 values[0][2], values[0][3], len(values))
depth_a, depth_all = sys.argv[3:5]
label = {
    "bundled": ("bundled NA12878 reads, chr20:10,000,001-10,100,000", "100,000 bp", "~52x, 2x101",
                "--ref chr20.fa --reads NA12878_S1.chr20.10_10p1mb.bam --regions chr20:10000001-10100000"),
    "sim100k": ("simulated HG001, first 100 kb of sim_a", "100,000 bp", f"{depth_a}x, 2x150",
                "--ref sim/ref.fa --reads sim/reads.bam --regions sim_a:1-100000"),
    "sim1m": ("simulated HG001, sim_a + sim_b", "1,000,000 bp", f"{depth_all}x, 2x150",
              "--ref sim/ref.fa --reads sim/reads.bam --regions sim/region.bed"),
}
label["sim100k_mmap"] = (label["sim100k"][0] + ", `MALLOC_MMAP_THRESHOLD_=131072`",) + label["sim100k"][1:]
label["sim1m_mmap"] = (label["sim1m"][0] + ", `MALLOC_MMAP_THRESHOLD_=131072`",) + label["sim1m"][1:]
repeats = rows["sim1m", 1][6]
print(f"Median of {repeats} runs (peak RSS: median, and min–max over the runs).\n")
print("| input | region | depth, reads | threads | wall s | peak RSS MB | RSS min–max | VCF records | CNN images in the busiest 20 kb chunk | arguments (`genodose --threads T call ... --output OUT.vcf.gz`) |")
print("|---|---|---|---|---|---|---|---|---|---|")
for name, threads in [(n, t) for t in (1, 2) for n in ("bundled", "sim100k", "sim1m", "sim100k_mmap", "sim1m_mmap")]:
    s, mb, low, high, n, images, _ = rows[name, threads]
    what, length, depth, args = label[name]
    print(f"| {what} | {length} | {depth} | {threads} | {s:.2f} | {mb:.1f} | {low:.0f}–{high:.0f} | {n} | {images} | `{args}` |")
print()
print("| threads | RSS(1 Mb) / RSS(100 kb bundled) | RSS(1 Mb) / RSS(100 kb simulated) | time(1 Mb) / time(100 kb simulated) |")
print("|---|---|---|---|")
for threads in (1, 2):
    big, real, small = rows["sim1m", threads], rows["bundled", threads], rows["sim100k", threads]
    print(f"| {threads} | {big[1] / real[1]:.2f} | {big[1] / small[1]:.2f} | {big[0] / small[0]:.1f} |")
for threads in (1, 2):
    small, big = rows["sim100k_mmap", threads], rows["sim1m_mmap", threads]
    print(f"| {threads}, `MALLOC_MMAP_THRESHOLD_=131072` | | {big[1] / small[1]:.2f} | {big[0] / small[0]:.1f} |")

chunks = [tuple(map(int, line.split())) for line in open(sys.argv[2])]
print(f"\nEach of the {len(chunks)} 20 kb chunks of the simulated 1 Mb called alone (1 thread), "
      "grouped by its CNN images:\n")
print("| CNN images in the chunk | chunks | peak RSS MB: min | median | max |")
print("|---|---|---|---|---|")
for low, high in ((0, 15), (16, 31), (32, 47), (48, 63), (64, 10**9)):
    mbs = [kb / 1024 for images, kb in chunks if low <= images <= high]
    if mbs:
        span = f"{low}–{high}" if high < 10**9 else f"≥ {low}"
        print(f"| {span} | {len(mbs)} | {min(mbs):.1f} | {statistics.median(mbs):.1f} | {max(mbs):.1f} |")
below = [(images, kb / 1024) for images, kb in chunks if images < 64]
if len(below) >= 2 and len({i for i, _ in below}) >= 2:
    mx = statistics.mean(i for i, _ in below); my = statistics.mean(m for _, m in below)
    slope = sum((i - mx) * (m - my) for i, m in below) / sum((i - mx) ** 2 for i, _ in below)
    print(f"\nBelow 64 images (the CNN's batch size): peak RSS ≈ {my - slope * mx:.1f} MB + {slope:.2f} MB per image "
          f"(least squares over {len(below)} chunks).")
PY
echo
echo "Command: benchmarks/caller/memory.sh $(basename "$genodose")  ($("$genodose" --version 2>&1 | head -1); art_illumina 2.5.8, bwa $(bwa 2>&1 | awk '/Version/ {print $2}'))"
