# genodose joint: per-sample gVCFs of genodose call merged into a cohort VCF; concordance with
# the per-sample calls; bad inputs exit 3 naming the file, with no output left behind.
source "$(dirname "$0")/common.sh"
DATA=$SOURCE_DIR/tests/data/io
REF=$DATA/mini_ref.fa.gz
# Sample B: a 30% subsample of the reads (other calls and depths), called on part of A's region
# only: elsewhere it has no gVCF record (./.). The reads showing A's het allele at 10,000,694 (G>A)
# are left out of B, so there B is hom-ref from a reference block, whatever the model.
het=10000694
samtools view -h -s 7.3 "$DATA/mini.bam" | awk -v p=$het 'BEGIN { FS = OFS = "\t" } /^@/ { print; next }
  $4 <= p && $4 + 400 > p && $6 !~ /^[0-9]+M$/ { next }
  $4 <= p && $6 ~ /^[0-9]+M$/ && $4 + substr($6, 1, length($6) - 1) > p && substr($10, p - $4 + 1, 1) == "A" { next }
  { print }' | samtools view -b -o "$SCRATCH/B.bam" && samtools index "$SCRATCH/B.bam"
expect_exit 0 -- "$GENODOSE" call --ref "$REF" --reads "$DATA/mini.bam" --sample A --regions chr20:10000001-10003000 \
  --output "$SCRATCH/A.vcf.gz" --gvcf "$SCRATCH/A.g.vcf.gz"
expect_exit 0 -- "$GENODOSE" call --ref "$REF" --reads "$SCRATCH/B.bam" --sample B --regions chr20:10000001-10001500 \
  --output "$SCRATCH/B.vcf.gz" --gvcf "$SCRATCH/B.g.vcf.gz"
expect_exit 0 -- "$GENODOSE" joint --gvcfs "$SCRATCH/A.g.vcf.gz" "$SCRATCH/B.g.vcf.gz" --output "$SCRATCH/cohort.vcf.gz"
[ -f "$SCRATCH/cohort.vcf.gz.tbi" ] && pass || fail "cohort index missing"
[ "$(bcftools query -l "$SCRATCH/cohort.vcf.gz" | tr '\n' ' ')" = "A B " ] && pass || fail "samples are not A B"
bcftools view -H "$SCRATCH/cohort.vcf.gz" > "$SCRATCH/cohort.txt" && pass || fail "bcftools cannot read the cohort VCF"
[ "$(wc -l < "$SCRATCH/cohort.txt")" -gt 3 ] && pass || fail "fewer than 4 sites"
# Every PASS call of both samples has the same genotype in the cohort VCF.
python3 "$SOURCE_DIR/benchmarks/joint/concordance.py" "$SCRATCH/cohort.vcf.gz" A="$SCRATCH/A.vcf.gz" B="$SCRATCH/B.vcf.gz" \
  > "$SCRATCH/concordance.txt" && pass || { fail "cohort genotypes differ from the per-sample calls"; cat "$SCRATCH/concordance.txt" >&2; }
# B is ./. beyond its region and has a genotype at every site inside it; A's 0/0 come with GQ and PL.
bcftools query -f '%POS [%GT ]\n' "$SCRATCH/cohort.vcf.gz" | awk '$1 > 10001500 && $3 != "./." { bad++ } $1 <= 10001500 && $3 == "./." { bad++ }
  END { exit bad > 0 }' && pass || fail "B's genotypes do not follow its called region"
bcftools query -r chr20:$het -f '[%GT:%GQ:%PL ]\n' "$SCRATCH/cohort.vcf.gz" | grep -qE '^0/1:[0-9]+:[0-9,]+ 0/0:[0-9]+:0,[0-9]' && pass \
  || fail "no 0/0 genotype with GQ and PL from B's reference block at $het"
# -o -: the same records as uncompressed VCF on stdout.
expect_exit 0 -- "$GENODOSE" joint --gvcfs "$SCRATCH/A.g.vcf.gz" "$SCRATCH/B.g.vcf.gz" -o -
cmp -s <(grep -v '^#' "$SCRATCH/stdout") "$SCRATCH/cohort.txt" && pass || fail "joint -o - differs from the file output"
# The same through a list file.
printf '%s\n' "$SCRATCH/A.g.vcf.gz" "$SCRATCH/B.g.vcf.gz" > "$SCRATCH/list.txt"
expect_exit 0 -- "$GENODOSE" joint --gvcf-list "$SCRATCH/list.txt" --output "$SCRATCH/cohort2.vcf.gz"
cmp -s <(bcftools view -H "$SCRATCH/cohort2.vcf.gz") "$SCRATCH/cohort.txt" && pass || fail "--gvcf-list gives another result"

# Bad input: exit 3 naming the file; no output.
out=$SCRATCH/bad.vcf.gz
check_bad() {  # check_bad FILE TEXT
  expect_exit 3 -- "$GENODOSE" joint --gvcfs "$SCRATCH/A.g.vcf.gz" "$1" --output "$out"
  expect_contains "$SCRATCH/stderr" "$1"; expect_contains "$SCRATCH/stderr" "$2"; expect_no_file "$out"
}
cp "$SCRATCH/A.g.vcf.gz" "$SCRATCH/A_again.g.vcf.gz"
check_bad "$SCRATCH/A_again.g.vcf.gz" "sample name 'A'"
check_bad "$SCRATCH/B.vcf.gz" "not a gVCF"
gzip -dc "$SCRATCH/B.g.vcf.gz" | sed 's/length=63025520/length=63025521/' | bgzip > "$SCRATCH/other_ref.g.vcf.gz"
check_bad "$SCRATCH/other_ref.g.vcf.gz" "##contig"
gzip -dc "$SCRATCH/B.g.vcf.gz" | awk '/^#/ { print; next } { body[++n] = $0 } END { for (i = n; i >= 1; i--) print body[i] }' \
  | bgzip > "$SCRATCH/unsorted.g.vcf.gz"
check_bad "$SCRATCH/unsorted.g.vcf.gz" "not sorted"
check_bad "$SCRATCH/missing.g.vcf.gz" "not found"
expect_exit 2 -- "$GENODOSE" joint --output "$out"
expect_exit 2 -- "$GENODOSE" joint --gvcfs "$SCRATCH/A.g.vcf.gz" --gvcf-list "$SCRATCH/list.txt" --output "$out"
finish
