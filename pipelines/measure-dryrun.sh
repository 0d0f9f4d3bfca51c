#!/usr/bin/env bash
# Planning cost of the Snakemake workflow on an exome-sized region set: the wall time of a dry
# run (`snakemake -n`) and the number of call jobs, for one sample with reads and a BED of
# 10,000 exome-like intervals (120-400 bp, on GRCh38-sized chromosomes; a fixed seed, so every
# run plans the same intervals). No genodose job runs and no reads are read.
#
# Usage: pipelines/measure-dryrun.sh [SNAKEFILE] [OUT_DIR] [-- extra snakemake --config values]
#   SNAKEFILE  default: this tree's pipelines/snakemake/Snakefile. To measure another revision:
#              git archive REV pipelines | tar -x -C /tmp/rev && pipelines/measure-dryrun.sh /tmp/rev/pipelines/snakemake/Snakefile
# Environment: INTERVALS (10000).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
snakefile=${1:-$top/pipelines/snakemake/Snakefile}
out=${2:-$(mktemp -d)}
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
mkdir -p "$out"
cd "$out"

# A reference index of GRCh38's primary chromosomes (lengths only: a dry run reads nothing else),
# and a sorted, non-overlapping BED of exome-like intervals spread over them by length.
python3 - "${INTERVALS:-10000}" <<'EOF'
import random, sys
lengths = [248956422, 242193529, 198295559, 190214555, 181538259, 170805979, 159345973, 145138636,
           138394717, 133797422, 135086622, 133275309, 114364328, 107043718, 101991189, 90338345,
           83257441, 80373285, 58617616, 64444167, 46709983, 50818468, 156040895, 57227415]
names = [f"chr{i}" for i in range(1, 23)] + ["chrX", "chrY"]
with open("ref.fa", "w") as fa:
    fa.write(">chr1\nN\n")
with open("ref.fa.fai", "w") as fai:
    for name, length in zip(names, lengths):
        fai.write(f"{name}\t{length}\t6\t60\t61\n")
rng = random.Random(25)
count = int(sys.argv[1])
total = sum(lengths)
with open("exome.bed", "w") as bed:
    for name, length in zip(names, lengths):
        n = round(count * length / total)
        starts = sorted(rng.sample(range(1000, length - 1000, 1000), n))
        for start in starts:  # 1 kb apart at least, at most 400 bp long: never overlapping
            bed.write(f"{name}\t{start}\t{start + rng.randint(120, 400)}\n")
EOF
cp "$top/tests/data/io/mini.bam" reads.bam
cp "$top/tests/data/io/mini.bam.bai" reads.bam.bai
printf 'sample\treads\nS1\treads.bam\n' > samples.tsv

intervals=$(wc -l < exome.bed)
bases=$(awk '{s += $3 - $2} END {print s}' exome.bed)
/usr/bin/time -f '%e %U %S %M' -o time.txt snakemake -s "$snakefile" -d "$out/run" -n --quiet --config genodose="$(command -v true)" \
  samples="$out/samples.tsv" reference="$out/ref.fa" regions="$out/exome.bed" dose=false report=false "$@" \
  > dryrun.txt 2>&1 || { tail -20 dryrun.txt >&2; exit 1; }
read -r wall user sys rss < time.txt
jobs=$(awk '$1 == "call_region" || $1 == "call_shard" {print $2; exit}' dryrun.txt)
printf 'dry run, 1 sample, %s intervals (%s bp): %s call jobs, %.1f s wall, %.1f CPU-s, %d MB peak (%s; load average %s)\n' \
  "$intervals" "$bases" "$jobs" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "${snakefile/#$top\//}" \
  "$(cut -d' ' -f1 /proc/loadavg)"
