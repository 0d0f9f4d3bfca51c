#!/usr/bin/env bash
# Memory and time of `genodose call` on inputs that used to exhaust them (issue #24):
#   spliced  - one read 75M268000000N75M on a 2 kb reference (peak RSS)
#   deep     - ~5000x over 20 kb (tests/cli/simulate_deep_reads.py, seed 1), the default depth
#              cap against --max-depth 0 when the binary has it (peak RSS, DP of the het SNV)
#   bed      - 100,000 intervals of 2 bp every 3 bp on chr10 of EXAMPLE-001 (wall time; VCF
#              and gVCF records kept for comparison between binaries)
# Usage: benchmarks/caller/resource-limits.sh [GENODOSE] [WORK_DIR]   (--threads 2)
# Prints one line per case; compare two binaries by running it with each.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
genodose=${1:-$top/build-cc/genodose}
case "$genodose" in */*) genodose=$(cd "$(dirname "$genodose")" && pwd)/$(basename "$genodose") ;; esac
work=${2:-$(mktemp -d)}
mkdir -p "$work"
cd "$work"
# "SECONDS s, PEAK_RSS KB" of one command (its exit status and last log line if it failed).
measure() {
  local status=0
  /usr/bin/time -f "%e s, %M KB" -o time.txt "$@" >/dev/null 2>log.txt || status=$?
  tail -1 time.txt
  [ "$status" -eq 0 ] || echo " (exit $status: $(tail -1 log.txt))"
}

python3 - <<'PY'
import random
rng = random.Random(7)
seq = ''.join(rng.choice('ACGT') for _ in range(2000))
open('ref.fa', 'w').write('>c1\n' + '\n'.join(seq[i:i+60] for i in range(0, 2000, 60)) + '\n')
open('spliced.sam', 'w').write('@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:2000\n@RG\tID:r\tSM:S1\n'
    f'r0\t0\tc1\t100\t60\t75M268000000N75M\t*\t0\t0\t{seq[99:174] + "A" * 75}\t{"I" * 150}\tRG:Z:r\n')
PY
samtools faidx ref.fa && samtools view -b -o spliced.bam spliced.sam && samtools index spliced.bam
echo "spliced: $(measure "$genodose" call --reads spliced.bam --ref ref.fa --output spliced.vcf.gz --threads 2)"

python3 "$top/tests/cli/simulate_deep_reads.py" 20000 5000 1 deep_ref.fa | samtools view -b -o deep.bam - && samtools index deep.bam
samtools faidx deep_ref.fa
dp() { zcat "$1" | awk -F'\t' '!/^#/ { split($9, k, ":"); split($10, v, ":"); for (i in k) if (k[i] == "DP") print v[i] }'; }
echo "deep (default): $(measure "$genodose" call --reads deep.bam --ref deep_ref.fa --output deep.vcf.gz --threads 2), DP $(dp deep.vcf.gz)"
if "$genodose" call --help | grep -q -- --max-depth; then
  echo "deep (--max-depth 0): $(measure "$genodose" call --reads deep.bam --ref deep_ref.fa --output deep0.vcf.gz --threads 2 --max-depth 0), DP $(dp deep0.vcf.gz)"
fi

python3 -c '
for i in range(100000):
    s = 94900000 + i * 3
    print(f"chr10\t{s}\t{s + 2}")' >spaced.bed
echo "bed: $(measure "$genodose" call --reads "$top/data/example/EXAMPLE-001.bam" \
  --ref "$top/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz" --regions spaced.bed \
  --output bed.vcf.gz --gvcf bed.g.vcf.gz --threads 2)"
zcat bed.vcf.gz | grep -v '^##commandline' | md5sum | sed 's/ .*/ (VCF md5 without ##commandline)/;s/^/bed: /'
zcat bed.g.vcf.gz | grep -v '^##commandline' | md5sum | sed 's/ .*/ (gVCF md5 without ##commandline)/;s/^/bed: /'
echo "work directory: $work"
