# Inputs that would exhaust memory or time (issue #24), each on tiny hand-made data: reads with
# huge N (skip) operations cost memory for their aligned bases only; the depth cap keeps about
# 1500 reads per position however deep the file is; many small nearby BED intervals are read
# once per group and give the same records as calling each interval alone.
source "$(dirname "$0")/common.sh"
for tool in python3 samtools; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done

# --- 1. Reads with huge skips: 75M268000000N75M ------------------------------------------------
# Each such read used to cost its whole reference span (268 M entries, ~540 MB): 33 of them need
# ~18 GB. Under a 3 GB address-space limit the call must now succeed.
python3 - "$SCRATCH" <<'PY'
import random, sys
out = sys.argv[1]
rng = random.Random(7)
seq = ''.join(rng.choice('ACGT') for _ in range(2000))
open(f'{out}/ref.fa', 'w').write('>c1\n' + '\n'.join(seq[i:i+60] for i in range(0, 2000, 60)) + '\n')
with open(f'{out}/spliced.sam', 'w') as f:
    f.write('@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:2000\n@RG\tID:r\tSM:S1\n')
    for i in range(33):
        pos = 100 + i
        f.write(f'r{i}\t0\tc1\t{pos}\t60\t75M268000000N75M\t*\t0\t0\t{seq[pos-1:pos+74] + "A" * 75}\t{"I" * 150}\tRG:Z:r\n')
PY
samtools faidx "$SCRATCH/ref.fa"
samtools view -b -o "$SCRATCH/spliced.bam" "$SCRATCH/spliced.sam" && samtools index "$SCRATCH/spliced.bam"
expect_exit 0 -- bash -c 'ulimit -v 3000000; exec "$@"' limited "$GENODOSE" call --reads "$SCRATCH/spliced.bam" \
  --ref "$SCRATCH/ref.fa" --output "$SCRATCH/spliced.vcf.gz" --threads 2
expect_contains "$SCRATCH/stderr" "from 0 candidate sites and 33 reads"

# --- 2. Depth cap: ~5000x over 2 kb with a heterozygous SNV -------------------------------------
python3 "$SOURCE_DIR/tests/cli/simulate_deep_reads.py" 2000 5000 1 "$SCRATCH/deep_ref.fa" \
  | samtools view -b -o "$SCRATCH/deep.bam" - && samtools index "$SCRATCH/deep.bam"
samtools faidx "$SCRATCH/deep_ref.fa"
call_depth() {  # call_depth VCF: the DP and GT of the one variant record
  zcat "$1" | awk -F'\t' '!/^#/ { split($9, k, ":"); split($10, v, ":"); for (i in k) f[k[i]] = v[i]; print f["GT"], f["DP"] }'
}
expect_exit 0 -- "$GENODOSE" call --reads "$SCRATCH/deep.bam" --ref "$SCRATCH/deep_ref.fa" --output "$SCRATCH/capped.vcf.gz" --threads 2
expect_contains "$SCRATCH/stderr" "deeper than 1500x in places"
read -r gt dp <<<"$(call_depth "$SCRATCH/capped.vcf.gz")"
[ "$gt" = 0/1 ] && pass || fail "capped call: GT '$gt', expected 0/1"
[ "${dp:-0}" -ge 1200 ] && [ "${dp:-0}" -le 1800 ] && pass || fail "capped call: DP '$dp', expected about 1500"
# The cap is an option (0: every read), and documented in the help.
expect_exit 0 -- "$GENODOSE" call --reads "$SCRATCH/deep.bam" --ref "$SCRATCH/deep_ref.fa" --output "$SCRATCH/uncapped.vcf.gz" \
  --threads 2 --max-depth 0
read -r gt dp <<<"$(call_depth "$SCRATCH/uncapped.vcf.gz")"
[ "$gt" = 0/1 ] && [ "${dp:-0}" -ge 4500 ] && pass || fail "uncapped call: GT '$gt' DP '$dp', expected 0/1 at ~5000"

# --- 3. Spaced BED intervals: one fetch per group of nearby intervals, records unchanged -------
# 30 bp around each truth variant of the mini BAM (chr20:10.000-10.003 Mb), non-overlapping; the
# BED run (grouped) must give exactly the records of one call per interval.
mini="$SOURCE_DIR/tests/data/io"
python3 - "$mini/mini_truth.vcf.gz" "$SCRATCH/spaced.bed" <<'PY'
import gzip, sys
positions = [int(l.split("\t")[1]) for l in gzip.open(sys.argv[1], "rt") if not l.startswith("#")]
end = 0
with open(sys.argv[2], "w") as bed:
    for p in positions:
        if p > 10002900: break
        begin = p - 1 - 15
        if begin > end:
            bed.write(f"chr20\t{begin}\t{begin + 30}\n")
            end = begin + 30
PY
[ "$(wc -l <"$SCRATCH/spaced.bed")" -ge 15 ] && pass || fail "too few spaced intervals: $(wc -l <"$SCRATCH/spaced.bed")"
expect_exit 0 -- "$GENODOSE" call --reads "$mini/mini.bam" --ref "$mini/mini_ref.fa.gz" --regions "$SCRATCH/spaced.bed" \
  --output "$SCRATCH/grouped.vcf.gz" --threads 2
: >"$SCRATCH/one_by_one.txt"
while read -r contig begin end; do
  "$GENODOSE" -q call --reads "$mini/mini.bam" --ref "$mini/mini_ref.fa.gz" --regions "$contig:$((begin + 1))-$end" \
    --output "$SCRATCH/one.vcf.gz" --threads 1 && zcat "$SCRATCH/one.vcf.gz" | grep -v '^#' >>"$SCRATCH/one_by_one.txt" \
    || fail "call of $contig:$((begin + 1))-$end failed"
done <"$SCRATCH/spaced.bed"
zcat "$SCRATCH/grouped.vcf.gz" | grep -v '^#' >"$SCRATCH/grouped.txt"
[ -s "$SCRATCH/grouped.txt" ] && cmp -s "$SCRATCH/grouped.txt" "$SCRATCH/one_by_one.txt" && pass \
  || fail "BED intervals called together differ from one call per interval: $(diff "$SCRATCH/grouped.txt" "$SCRATCH/one_by_one.txt" | head -4)"

finish
