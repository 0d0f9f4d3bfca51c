# Reliability suite (issue #10): bad inputs, unwritable outputs, a full disk and an interrupted
# run. Every case: the documented non-zero exit code, a one-line message naming the file, and
# no output left behind. Prints the number of cases checked.
source "$(dirname "$0")/common.sh"
DATA=$SOURCE_DIR/tests/data/io
REF=$DATA/mini_ref.fa.gz
REGION=chr20:10000001-10003000
OUT=$SCRATCH/out
mkdir -p "$OUT"
cases=0

# case NAME EXIT MESSAGE_PART -- command...   (output must stay empty)
case_() {
  local name=$1 code=$2 part=$3; shift 3; [ "$1" = "--" ] && shift
  cases=$((cases + 1))
  expect_exit "$code" -- "$@"
  [ -z "$part" ] || expect_contains "$SCRATCH/stderr" "$part"
  local errors
  errors=$(grep -c '\] error:' "$SCRATCH/stderr" || true)
  [ "$errors" -eq 1 ] && pass || fail "$name: expected one error line, got $errors"
  [ -z "$(ls -A "$OUT")" ] && pass || { fail "$name: output left behind: $(ls -A "$OUT")"; rm -rf "${OUT:?}"/*; }
}
call() { "$GENODOSE" call --ref "$REF" --output "$OUT/calls.vcf.gz" --gvcf "$OUT/calls.g.vcf.gz" "$@"; }

# Alignments.
head -c 50000 "$DATA/mini.bam" > "$SCRATCH/truncated.bam"; cp "$DATA/mini.bam.bai" "$SCRATCH/truncated.bam.bai"
case_ truncated-bam 3 truncated.bam -- call --regions $REGION --reads "$SCRATCH/truncated.bam"
head -c 30000 "$DATA/mini.cram" > "$SCRATCH/truncated.cram"; cp "$DATA/mini.cram.crai" "$SCRATCH/truncated.cram.crai"
case_ truncated-cram 3 truncated.cram -- call --regions $REGION --reads "$SCRATCH/truncated.cram"
# Corrupted: 4 kB of zeros written into the middle of the compressed data.
cp "$DATA/mini.bam" "$SCRATCH/corrupt.bam"; cp "$DATA/mini.bam.bai" "$SCRATCH/corrupt.bam.bai"
dd if=/dev/zero of="$SCRATCH/corrupt.bam" bs=1 seek=60000 count=4096 conv=notrunc status=none
case_ corrupt-bam 3 corrupt.bam -- call --regions $REGION --reads "$SCRATCH/corrupt.bam"
cp "$DATA/mini.bam" "$SCRATCH/noindex.bam"
case_ bam-without-index 3 noindex.bam -- call --regions $REGION --reads "$SCRATCH/noindex.bam"
case_ missing-bam 3 missing.bam -- call --regions $REGION --reads "$SCRATCH/missing.bam"
case_ bam-contig-named-20 3 "'20'" -- call --regions $REGION --reads "$DATA/mini_contig20.bam"
# Reference of another build: same contig name, other length.
printf '>chr20\n%s\n' "$(head -c 1000 /dev/zero | tr '\0' 'A')" > "$SCRATCH/other_build.fa"
samtools faidx "$SCRATCH/other_build.fa"
case_ reference-other-build 3 "1000 bp" -- "$GENODOSE" call --ref "$SCRATCH/other_build.fa" --reads "$DATA/mini.bam" \
  --regions chr20:1-500 --output "$OUT/calls.vcf.gz"
cp "$REF" "$SCRATCH/noindex.fa.gz"
case_ fasta-without-index 3 "noindex.fa.gz" -- "$GENODOSE" call --ref "$SCRATCH/noindex.fa.gz" --reads "$DATA/mini.bam" \
  --regions $REGION --output "$OUT/calls.vcf.gz"
case_ malformed-region 2 "chr20:5-1" -- call --reads "$DATA/mini.bam" --regions chr20:5-1
printf 'chr20\tten\t20\n' > "$SCRATCH/bad.bed"
case_ malformed-bed 3 "bad.bed" -- call --reads "$DATA/mini.bam" --regions "$SCRATCH/bad.bed"

# VCFs for genotyping.
printf '##fileformat=VCFv4.2\n##contig=<ID=chr10,length=133797422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n' \
  > "$SCRATCH/no_samples.vcf"
case_ vcf-without-samples 3 no_samples.vcf -- "$GENODOSE" genotype --vcf "$SCRATCH/no_samples.vcf" --output "$OUT/g.json"
printf '##fileformat=VCFv4.2\n##contig=<ID=chr10,length=133797422>\n##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\nchr10\t94942290\t.\tC\tT\t.\t.\t.\tDP\t10\n' \
  > "$SCRATCH/no_gt.vcf"
case_ vcf-without-gt 3 no_gt.vcf -- "$GENODOSE" genotype --vcf "$SCRATCH/no_gt.vcf" --output "$OUT/g.json"
case_ vcf-sample-absent 3 NOBODY -- "$GENODOSE" genotype --vcf "$SOURCE_DIR/tests/data/pgx/pharmcat.example.vcf" \
  --sample NOBODY --output "$OUT/g.json"
: > "$SCRATCH/empty.vcf"
case_ empty-vcf 3 empty.vcf -- "$GENODOSE" genotype --vcf "$SCRATCH/empty.vcf" --output "$OUT/g.json"
case_ truth-missing 3 missing.vcf.gz -- "$GENODOSE" evaluate --truth "$SCRATCH/missing.vcf.gz" --query "$DATA/mini_truth.vcf.gz" \
  --ref "$REF" --output-prefix "$OUT/eval"

# Outputs that cannot be written.
mkdir -p "$SCRATCH/readonly"; chmod 555 "$SCRATCH/readonly"
if [ "$(id -u)" -ne 0 ]; then
  case_ output-folder-not-writable 4 readonly -- "$GENODOSE" call --ref "$REF" --regions $REGION --reads "$DATA/mini.bam" --output "$SCRATCH/readonly/c.vcf.gz"
fi
# call creates a missing output folder (as run does); one that cannot be created is exit 4.
: > "$SCRATCH/plain_file"
case_ output-folder-uncreatable 4 "plain_file" -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions $REGION \
  --output "$SCRATCH/plain_file/such/c.vcf.gz"
# A full disk: a 32 kB tmpfs (needs root and mount; otherwise the case is reported as skipped).
mkdir -p "$SCRATCH/tiny"
if mount -t tmpfs -o size=32k tmpfs "$SCRATCH/tiny" 2>/dev/null; then
  cases=$((cases + 1))
  expect_exit 4 -- "$GENODOSE" make-examples --ref "$REF" --reads "$DATA/mini.bam" --truth "$DATA/mini_truth.vcf.gz" \
    --regions $REGION --output "$SCRATCH/tiny/examples"
  expect_contains "$SCRATCH/stderr" "tiny/examples"
  [ -z "$(find "$SCRATCH/tiny" -type f)" ] && pass || fail "disk-full: files left: $(find "$SCRATCH/tiny" -type f)"
  umount "$SCRATCH/tiny"
else
  echo "skipped: disk-full case (cannot mount a tmpfs here)"
fi

# Interrupted run: SIGTERM while calling; exit 130 and no output.
SHARED=$SOURCE_DIR/../shared/data/giab_chr20
if [ -f "$SHARED/NA12878_S1.chr20.10_10p1mb.bam" ]; then
  cases=$((cases + 1))
  status=0
  "$GENODOSE" call --threads 1 --ref "$SHARED/chr20_windows.fa.gz" --reads "$SHARED/NA12878_S1.chr20.10_10p1mb.bam" \
    --regions chr20:10000001-10100000 --output "$OUT/calls.vcf.gz" --gvcf "$OUT/calls.g.vcf.gz" 2> "$SCRATCH/stderr" &
  pid=$!
  sleep 0.4
  kill -TERM $pid 2>/dev/null || true
  wait $pid || status=$?
  if [ $status -eq 130 ]; then
    pass; [ -z "$(ls -A "$OUT")" ] && pass || fail "interrupted run left: $(ls -A "$OUT")"
  elif [ $status -eq 0 ]; then
    echo "note: the run finished before SIGTERM arrived"; rm -rf "${OUT:?}"/*
  else
    fail "interrupted run exited $status"
  fi
else
  echo "skipped: interrupted-run case (needs the NA12878 reads in ../shared/data/giab_chr20)"
fi
echo "bad-input cases: $cases"
finish
