#!/usr/bin/env bash
# Rebuilds the small I/O fixtures in tests/data/io/ from ../shared/data (see tests/data/README.md).
# Usage: tests/data/make-io-fixtures.sh [SHARED_DATA_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${1:-$here/../../../shared/data}
out=$here/io
mkdir -p "$out"
giab=$shared/giab_chr20
region=chr20:10000001-10003000

# Reference: full-length chr20 (so BAM header lengths match), real bases only in
# chr20:9,999,001-10,004,000, N elsewhere; bgzip compresses the N runs to almost nothing.
samtools faidx "$giab/chr20_windows.fa.gz" chr20:9999001-10004000 | grep -v '^>' | tr -d '\n' > "$out/window.txt"
python3 - "$out/window.txt" "$out/mini_ref.fa" <<'PY'
import sys
window = open(sys.argv[1]).read()
length, start = 63025520, 9999000
seq = "N" * start + window + "N" * (length - start - len(window))
with open(sys.argv[2], "w") as f:
    f.write(">chr20\n")
    for i in range(0, len(seq), 60):
        f.write(seq[i:i + 60] + "\n")
PY
rm "$out/window.txt"
bgzip -f -@2 "$out/mini_ref.fa"
samtools faidx "$out/mini_ref.fa.gz"

# Reads: the real NA12878 reads overlapping chr20:10,000,001-10,003,000.
samtools view -b -o "$out/mini.bam" "$giab/NA12878_S1.chr20.10_10p1mb.bam" "$region"
samtools index "$out/mini.bam"
samtools view -C -T "$out/mini_ref.fa.gz" -o "$out/mini.cram" "$out/mini.bam"
samtools index "$out/mini.cram"
# Same reads with contig '20' instead of 'chr20' (for naming-mismatch tests).
samtools view -H "$out/mini.bam" | sed -e 's/SN:chr/SN:/' > "$out/header_20.sam"
samtools reheader "$out/header_20.sam" "$out/mini.bam" > "$out/mini_contig20.bam"
samtools index "$out/mini_contig20.bam"
rm "$out/header_20.sam"
# Truncated copy: the first 60% of the BAM (no EOF marker).
head -c $(( $(stat -c %s "$out/mini.bam") * 6 / 10 )) "$out/mini.bam" > "$out/truncated.bam"
cp "$out/mini.bam.bai" "$out/truncated.bam.bai"
# Three copies of the 47 reads over chr20:10,001,000 under the same names (samtools merge
# -c -p of a file with itself): for the repeated-read checks.
samtools view -b -o "$out/part.bam" "$out/mini.bam" chr20:10001000-10001000
samtools merge -f -c -p -o "$out/mini_repeated.bam" "$out/part.bam" "$out/part.bam" "$out/part.bam"
samtools index "$out/mini_repeated.bam"
rm "$out/part.bam"

# Truth variants in the same window (GIAB v3.3.2).
bcftools view -r chr20:10000001-10010000 -Oz -o "$out/mini_truth.vcf.gz" "$giab/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz"
tabix -f -p vcf "$out/mini_truth.vcf.gz"
ls -la "$out"
