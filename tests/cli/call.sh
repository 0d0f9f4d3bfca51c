# genodose make-examples / call on the real-read fixture (tests/data/io): determinism across
# threads, VCF validity, a known variant, and bad input handled with exit codes and no output.
source "$(dirname "$0")/common.sh"
DATA=$SOURCE_DIR/tests/data/io
REF=$DATA/mini_ref.fa.gz
REGION=chr20:10000001-10003000

# make-examples: identical examples for 1 and 2 threads (small chunks so both threads work).
for t in 1 2; do
  expect_exit 0 -- "$GENODOSE" make-examples --threads $t --chunk-size 500 --ref "$REF" --reads "$DATA/mini.bam" \
    --truth "$DATA/mini_truth.vcf.gz" --regions $REGION --output "$SCRATCH/examples$t"
done
cmp -s <(cat "$SCRATCH"/examples1/examples-*.gdx.gz | gzip -dc) <(cat "$SCRATCH"/examples2/examples-*.gdx.gz | gzip -dc) \
  && pass || fail "make-examples output differs between --threads 1 and 2"
expect_contains "$SCRATCH/examples1/summary.json" '"candidate_sensitivity"'

# call: byte-identical VCF and gVCF for 1 and 2 threads.
for t in 1 2; do
  expect_exit 0 -- "$GENODOSE" call --threads $t --chunk-size 500 --ref "$REF" --reads "$DATA/mini.bam" \
    --regions $REGION --output "$SCRATCH/calls$t.vcf.gz" --gvcf "$SCRATCH/calls$t.g.vcf.gz"
done
# Identical apart from the ##commandline header line, which records the --threads given.
same_apart_from_command_line() { cmp -s <(gzip -dc "$1" | grep -v '^##commandline=') <(gzip -dc "$2" | grep -v '^##commandline='); }
same_apart_from_command_line "$SCRATCH/calls1.vcf.gz" "$SCRATCH/calls2.vcf.gz" && pass || fail "VCF differs between --threads 1 and 2"
same_apart_from_command_line "$SCRATCH/calls1.g.vcf.gz" "$SCRATCH/calls2.g.vcf.gz" && pass || fail "gVCF differs between --threads 1 and 2"
[ -f "$SCRATCH/calls1.vcf.gz.tbi" ] && [ -f "$SCRATCH/calls1.g.vcf.gz.tbi" ] && pass || fail "index missing"
# bcftools reads both; the known heterozygous SNV chr20:10000117 C>T (GIAB 1|0) is called.
bcftools view -H "$SCRATCH/calls1.vcf.gz" > "$SCRATCH/records.txt" && pass || fail "bcftools cannot read the VCF"
bcftools view -H "$SCRATCH/calls1.g.vcf.gz" > "$SCRATCH/gvcf.txt" && pass || fail "bcftools cannot read the gVCF"
awk '$2 == 10000117 && $4 == "C" && $5 == "T" && $7 == "PASS" && $10 ~ /^0\/1:/' "$SCRATCH/records.txt" | grep -q . \
  && pass || fail "chr20:10000117 C>T not called 0/1 PASS"
expect_contains "$SCRATCH/gvcf.txt" "<*>"
# The gVCF's variant records carry the VCF's genotype, GQ and QUAL (the <*> allele used to cap
# GQ at 30), and no reference block says 0/0 where its own PL makes another genotype likelier.
cmp -s <(bcftools query -f '%POS [%GT %GQ] %QUAL\n' "$SCRATCH/calls1.vcf.gz") \
       <(bcftools query -i 'ALT!="<*>"' -f '%POS [%GT %GQ] %QUAL\n' "$SCRATCH/calls1.g.vcf.gz") \
  && pass || fail "gVCF variant records differ from the VCF in GT, GQ or QUAL"
bcftools query -i 'ALT=="<*>"' -f '[%GT %PL]\n' "$SCRATCH/calls1.g.vcf.gz" | awk '$1 == "0/0" { split($2, pl, ","); if (pl[1] != 0) bad++ }
  END { exit bad > 0 }' && pass || fail "a 0/0 reference block whose PL favours another genotype"
bcftools view -h "$SCRATCH/calls1.vcf.gz" > "$SCRATCH/header.txt"
for line in "##fileformat=VCFv4.2" "##source=genodose" "##reference=file://" "##contig=<ID=chr20,length=63025520>" \
            "##commandline=" "##FORMAT=<ID=PL"; do expect_contains "$SCRATCH/header.txt" "$line"; done
# Every record: VAF at most 1, allele depths adding up to at most DP.
bcftools query -f '[%DP %AD %VAF]\n' "$SCRATCH/calls1.vcf.gz" | awk '{ n = split($2, ad, ","); s = 0; for (i = 1; i <= n; i++) s += ad[i]
  if (s > $1) bad++; m = split($3, vaf, ","); for (i = 1; i <= m; i++) if (vaf[i] > 1) bad++ } END { exit bad > 0 }' \
  && pass || fail "a record with VAF above 1 or AD adding up to more than DP"
# CRAM gives the same calls as BAM.
expect_exit 0 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.cram" --regions $REGION --output "$SCRATCH/cram.vcf.gz"
cmp -s <(bcftools view -H "$SCRATCH/cram.vcf.gz") "$SCRATCH/records.txt" && pass || fail "CRAM calls differ from BAM calls"

# Bad input: exit code, one-line message naming the file, no output left behind.
out=$SCRATCH/bad.vcf.gz
expect_exit 3 -- "$GENODOSE" call --ref "$REF" --reads "$SCRATCH/missing.bam" --regions $REGION --output "$out"
expect_contains "$SCRATCH/stderr" "missing.bam"
cp "$DATA/mini.bam" "$SCRATCH/noindex.bam"
expect_exit 3 -- "$GENODOSE" call --ref "$REF" --reads "$SCRATCH/noindex.bam" --regions $REGION --output "$out"
expect_contains "$SCRATCH/stderr" "samtools index"
expect_exit 3 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/truncated.bam" --regions $REGION --output "$out"
expect_contains "$SCRATCH/stderr" "truncated"
expect_exit 3 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini_contig20.bam" --regions $REGION --output "$out"
expect_contains "$SCRATCH/stderr" "'chr20'"
expect_exit 2 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions chr20:300-100 --output "$out"
expect_exit 3 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions chr7:1-100 --output "$out"
expect_exit 3 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions $REGION --model "$SCRATCH/none.pt" --output "$out"
echo "not a model" > "$SCRATCH/garbage.pt"
expect_exit 3 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions $REGION --model "$SCRATCH/garbage.pt" --output "$out"
cp "$DATA/mini_ref.fa.gz" "$SCRATCH/ref_noindex.fa.gz"
expect_exit 3 -- "$GENODOSE" call --ref "$SCRATCH/ref_noindex.fa.gz" --reads "$DATA/mini.bam" --regions $REGION --output "$out"
expect_contains "$SCRATCH/stderr" "samtools faidx"
# An output folder that cannot be created (a file is in the way) is exit 4.
: > "$SCRATCH/a_file"
expect_exit 4 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions $REGION --output "$SCRATCH/a_file/x.vcf.gz"
expect_exit 2 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions $REGION --output "$SCRATCH/x.txt"
# An empty BED is an error, not "everywhere"; a malformed region in a list is a usage error; the
# gVCF cannot overwrite the VCF.
: > "$SCRATCH/empty.bed"
expect_exit 3 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions "$SCRATCH/empty.bed" --output "$out"
expect_contains "$SCRATCH/stderr" "no interval"
expect_exit 2 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions chr20:10000001-10001000,chr20:x-10003000 --output "$out"
expect_contains "$SCRATCH/stderr" "chr20:x-10003000"
expect_exit 2 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --regions $REGION --output "$out" --gvcf "$out"
expect_no_file "$out"
expect_no_file "$out.tbi"
[ -z "$(ls -A "$SCRATCH" | grep '\.tmp\.')" ] && pass || fail "temporary files left in $SCRATCH"

# AD at indel sites: reads carrying the indel are not counted for the reference allele. GIAB has
# chr20:10001436 A>AAGGCT as 1|1; before the fix AD was 36,32 with DP 36 (every read's anchor
# base counted as reference), now 4,32.
bcftools query -i 'POS == 10001436' -f '[%DP %AD]\n' "$SCRATCH/calls1.vcf.gz" > "$SCRATCH/indel_ad.txt"
awk '{ split($2, a, ","); exit !(NR == 1 && a[1] + a[2] <= $1 && a[2] > 20) }' "$SCRATCH/indel_ad.txt" \
  && pass || fail "AD of chr20:10001436 counts insertion reads for the reference: $(cat "$SCRATCH/indel_ad.txt")"

# make-examples into a folder holding more shards of an earlier run: those are removed.
mkdir -p "$SCRATCH/stale"
cp "$SCRATCH/examples1/examples-00000.gdx.gz" "$SCRATCH/stale/examples-00042.gdx.gz"
expect_exit 0 -- "$GENODOSE" make-examples --ref "$REF" --reads "$DATA/mini.bam" \
  --truth "$DATA/mini_truth.vcf.gz" --regions $REGION --output "$SCRATCH/stale"
expect_no_file "$SCRATCH/stale/examples-00042.gdx.gz"
[ -f "$SCRATCH/stale/examples-00000.gdx.gz" ] && pass || fail "make-examples wrote no shard"
finish
