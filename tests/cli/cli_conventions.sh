# Habits of samtools/bcftools users: -o - (VCF on stdout), region lists and open-ended regions,
# BED files recognised by content and with spaces, call creating its output folder, every
# subcommand's --help listing the global options, --chunk-size 0 a usage error, and reads of two
# samples refused unless --sample chooses one.
source "$(dirname "$0")/common.sh"
DATA=$SOURCE_DIR/tests/data/io
REF=$DATA/mini_ref.fa.gz
call=("$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam")
records() { grep -v '^#' "$1" | cut -f1-7; }  # the calls, without header or FORMAT values

# Reference: two intervals written as a tab-separated .bed.
printf 'chr20\t10000000\t10001000\nchr20\t10002000\t10003000\n' > "$SCRATCH/two.bed"
expect_exit 0 -- "${call[@]}" --regions "$SCRATCH/two.bed" --output "$SCRATCH/bed.vcf"
records "$SCRATCH/bed.vcf" > "$SCRATCH/expected.txt"
[ -s "$SCRATCH/expected.txt" ] && pass || fail "no calls in the reference run"

# -o -: uncompressed VCF on stdout, the same records; nothing else on stdout.
expect_exit 0 -- "${call[@]}" --regions "$SCRATCH/two.bed" -o -
head -1 "$SCRATCH/stdout" | grep -q '^##fileformat=VCFv4' && pass || fail "-o - did not write a VCF header to stdout"
cmp -s <(records "$SCRATCH/stdout") "$SCRATCH/expected.txt" && pass || fail "-o - records differ from the file output"
expect_no_file "./-"
# A comma-separated list of regions (thousands separators still read), and chr:start-.
expect_exit 0 -- "${call[@]}" --regions chr20:10,000,001-10,001,000,chr20:10002001-10003000 -o "$SCRATCH/list.vcf"
cmp -s <(records "$SCRATCH/list.vcf") "$SCRATCH/expected.txt" && pass || fail "region list gives other calls than the BED"
expect_exit 0 -- "${call[@]}" --regions chr20:10002001- -o "$SCRATCH/open.vcf"
cmp -s <(records "$SCRATCH/open.vcf" | awk '$2 <= 10003000') <(awk '$2 > 10002000' "$SCRATCH/expected.txt") \
  && pass || fail "chr20:10002001- gives other calls"
records "$SCRATCH/open.vcf" | awk '$2 > 10003000' | grep -q . && pass || fail "chr20:10002001- stops before the contig's end"
# A BED recognised by content (any name) and with spaces between fields.
printf 'chr20 10000000 10001000\nchr20  10002000\t10003000\n' > "$SCRATCH/intervals.txt"
expect_exit 0 -- "${call[@]}" --regions "$SCRATCH/intervals.txt" -o "$SCRATCH/txt.vcf"
cmp -s <(records "$SCRATCH/txt.vcf") "$SCRATCH/expected.txt" && pass || fail "space-separated BED named .txt gives other calls"
echo "not a bed" > "$SCRATCH/junk.txt"
expect_exit 3 -- "${call[@]}" --regions "$SCRATCH/junk.txt" -o "$SCRATCH/junk.vcf"
expect_contains "$SCRATCH/stderr" "junk.txt"
# call creates a missing output folder (and the gVCF's).
expect_exit 0 -- "${call[@]}" --regions chr20:10000001-10001000 -o "$SCRATCH/new/folder/x.vcf.gz" --gvcf "$SCRATCH/other/x.g.vcf.gz"
[ -f "$SCRATCH/new/folder/x.vcf.gz.tbi" ] && [ -f "$SCRATCH/other/x.g.vcf.gz" ] && pass || fail "call did not create its output folders"
# --chunk-size 0 is a usage error.
expect_exit 2 -- "${call[@]}" --regions chr20:10000001-10001000 --chunk-size 0 -o "$SCRATCH/c.vcf"
expect_exit 2 -- "$GENODOSE" make-examples --ref "$REF" --reads "$DATA/mini.bam" --truth "$DATA/mini_truth.vcf.gz" --chunk-size 0 \
  --output "$SCRATCH/examples"
# Every subcommand's --help lists the global options.
for command in call joint make-examples train-caller evaluate genotype run batch report "dose train" "dose predict"; do
  # shellcheck disable=SC2086
  "$GENODOSE" $command --help > "$SCRATCH/help.txt" 2>&1 || true
  for option in --threads --quiet --verbose --progress; do
    grep -q -- "$option" "$SCRATCH/help.txt" && pass || fail "genodose $command --help does not list $option"
  done
done

# Two samples in one BAM (@RG SM NA12878 and OTHER): an error naming both, unless --sample.
samtools addreplacerg -r 'ID:other' -r 'SM:OTHER' -o "$SCRATCH/other.bam" "$DATA/mini.bam"
samtools merge -f -o "$SCRATCH/two_samples.bam" "$DATA/mini.bam" "$SCRATCH/other.bam" && samtools index "$SCRATCH/two_samples.bam"
two=("$GENODOSE" call --ref "$REF" --reads "$SCRATCH/two_samples.bam" --regions "$SCRATCH/two.bed")
expect_exit 3 -- "${two[@]}" -o "$SCRATCH/two.vcf"
expect_contains "$SCRATCH/stderr" "two_samples.bam"; expect_contains "$SCRATCH/stderr" "NA12878"; expect_contains "$SCRATCH/stderr" "OTHER"
expect_no_file "$SCRATCH/two.vcf"
expect_exit 3 -- "${two[@]}" --sample NOBODY -o "$SCRATCH/two.vcf"
expect_contains "$SCRATCH/stderr" "NOBODY"
# --sample OTHER calls only OTHER's reads: the same calls and depths as the one-sample BAM.
expect_exit 0 -- "${two[@]}" --sample OTHER -o "$SCRATCH/other.vcf"
cmp -s <(grep -v '^#' "$SCRATCH/other.vcf") <(grep -v '^#' "$SCRATCH/bed.vcf") && pass || fail "--sample OTHER calls differ from the one-sample calls"
grep -q "^#CHROM.*OTHER$" "$SCRATCH/other.vcf" && pass || fail "the VCF sample is not OTHER"
finish
