# `genodose genotype`: documented exit codes and one-line messages naming file and problem;
# no output file on failure.
source "$(dirname "$0")/common.sh"
data="$SOURCE_DIR/tests/data/pgx"
example="$data/pharmcat.example.vcf"

# Usage errors: 2.
expect_exit 2 -- "$GENODOSE" genotype --output "$SCRATCH/x.json"                       # no input
expect_exit 2 -- "$GENODOSE" genotype --vcf "$example"                                  # no --output
expect_exit 2 -- "$GENODOSE" genotype --vcf "$example" --reads x.bam -o "$SCRATCH/x.json"
expect_exit 2 -- "$GENODOSE" genotype --vcf "$example" --build hg19 -o "$SCRATCH/x.json"
expect_no_file "$SCRATCH/x.json"

# Bad input: 3, naming the file.
expect_exit 3 -- "$GENODOSE" genotype --vcf "$SCRATCH/absent.vcf" -o "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "absent.vcf"
[ "$(grep -c 'error' "$SCRATCH/stderr")" -eq 1 ] && pass || fail "error is not one line"
sed -e '/^##FORMAT=<ID=GT/d' -e 's/\tGT\t/\tDP\t/' -e 's/\t0\/0$/\t10/' "$example" > "$SCRATCH/no_gt.vcf"
expect_exit 3 -- "$GENODOSE" genotype --vcf "$SCRATCH/no_gt.vcf" -o "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "no_gt.vcf"
expect_contains "$SCRATCH/stderr" "GT"
expect_exit 3 -- "$GENODOSE" genotype --vcf "$example" --sample NOBODY -o "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "pharmcat.example.vcf"
expect_contains "$SCRATCH/stderr" "NOBODY"
printf 'not a vcf\n' > "$SCRATCH/garbage.vcf"
expect_exit 3 -- "$GENODOSE" genotype --vcf "$SCRATCH/garbage.vcf" -o "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "garbage.vcf"
# A data folder that is not there is bad input too.
expect_exit 3 -- env GENODOSE_DATA_DIR="$SCRATCH/nowhere" "$GENODOSE" genotype --vcf "$example" -o "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "GENODOSE_DATA_DIR"
expect_exit 3 -- "$GENODOSE" genotype --vcf "$example" --data-dir "$SCRATCH" -o "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "genodose_pgx.json"
expect_no_file "$SCRATCH/x.json"

# Output cannot be written: 4; an existing output is not left half-written.
expect_exit 4 -- "$GENODOSE" genotype --vcf "$example" -o "$SCRATCH/no/such/dir/x.json"

# The reads path: an empty file is not a BAM (3, naming it).
touch "$SCRATCH/reads.bam" "$SCRATCH/ref.fa"
expect_exit 3 -- "$GENODOSE" genotype --reads "$SCRATCH/reads.bam" --ref "$SCRATCH/ref.fa" -o "$SCRATCH/x.json"
expect_exit 2 -- "$GENODOSE" genotype --reads "$SCRATCH/reads.bam" -o "$SCRATCH/x.json"   # --reads needs --ref
expect_no_file "$SCRATCH/x.json"
finish
