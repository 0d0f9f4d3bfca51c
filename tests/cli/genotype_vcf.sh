# `genodose genotype --vcf`: JSON output for PharmCAT's example, every input flavour (plain,
# bgzip+tabix, BCF, "10" naming, GRCh37, multi-sample), written atomically.
source "$(dirname "$0")/common.sh"
data="$SOURCE_DIR/tests/data/pgx"

# expect_json FILE LINE: the pretty-printed JSON holds this exact line (leading spaces ignored).
expect_json() {
  if sed 's/^ *//' "$1" | grep -xF -- "$2" >/dev/null; then pass; else fail "$1 has no line '$2'"; fi
}
# expect_list FILE KEY ITEM: the first "KEY": [ list holds ITEM as its first element.
expect_list() {
  if grep -A1 -F "\"$2\": [" "$1" | sed -n 2p | sed 's/^ *//; s/,$//' | grep -xF -- "\"$3\"" >/dev/null; then pass
  else fail "$1: \"$2\" does not start with \"$3\""; fi
}

# PharmCAT's example: *1/*1 everywhere, as PharmCAT reports.
expect_exit 0 -- "$GENODOSE" genotype --vcf "$data/pharmcat.example.vcf" --output "$SCRATCH/example.json"
expect_json "$SCRATCH/example.json" '"schema_version": "1",'
expect_json "$SCRATCH/example.json" '"sample": "Sample_1",'
expect_list "$SCRATCH/example.json" diplotypes '*1/*1'
expect_json "$SCRATCH/example.json" '"phenotype": "Normal Metabolizer",'
expect_json "$SCRATCH/example.json" '"activity_score": 2.0,'
expect_json "$SCRATCH/example.json" '"match_score": 166,'
expect_json "$SCRATCH/example.json" '"match_score": 40,'
expect_json "$SCRATCH/example.json" '"rs9923231": "C/C",'
expect_json "$SCRATCH/example.json" '"rs9923231_gene_strand": "G/G",'
expect_json "$SCRATCH/example.json" '"rs2108622": "C/C",'
expect_json "$SCRATCH/example.json" '"rs12777823": "G/G"'
expect_json "$SCRATCH/example.json" '"missing_positions": [],'
[ "$(stat -c %a "$SCRATCH/example.json")" = 600 ] && pass || fail "genotype JSON is not private (0600)"
ls "$SCRATCH" | grep -q '\.tmp' && fail "temporary file left behind" || pass

# A two-sample VCF with warfarin variants: *2/*3 + VKORC1 T/T + CYP4F2 het/het (ambiguity note).
awk 'BEGIN{OFS="\t"} /^##/ {print; next}
     /^#CHROM/ {print $0, "Sample_2"; next}
     {g2=$10
      if ($3=="rs1799853" || $3=="rs1057910" || $3=="rs3093105" || $3=="rs2108622") g2="0/1"
      if ($3=="rs9923231") g2="1/1"
      if ($3=="rs12777823") g2="0/1"
      $10=$10; print $0, g2}' "$data/pharmcat.example.vcf" > "$SCRATCH/two.vcf"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/two.vcf" -o "$SCRATCH/two.json"
expect_json "$SCRATCH/two.json" '"sample": "Sample_2",'
expect_json "$SCRATCH/two.json" '"*2/*3"'
expect_json "$SCRATCH/two.json" '"phenotype": "Poor Metabolizer",'
expect_json "$SCRATCH/two.json" '"rs9923231": "T/T",'
expect_json "$SCRATCH/two.json" '"rs9923231_gene_strand": "A/A",'
expect_json "$SCRATCH/two.json" '"phenotype": "-1639 AA",'
expect_json "$SCRATCH/two.json" '"rs12777823": "G/A"'
expect_json "$SCRATCH/two.json" '"*1/*4"'
expect_contains "$SCRATCH/two.json" "The assigned genotype is *1/*4; however, *2/*3 cannot be ruled out without phased data"

# --sample picks one sample.
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/two.vcf" --sample Sample_2 -o "$SCRATCH/one.json"
[ "$(grep -c '"sample": ' "$SCRATCH/one.json")" -eq 1 ] && pass || fail "--sample did not select one sample"
expect_json "$SCRATCH/one.json" '"sample": "Sample_2",'

# bgzip + tabix (indexed regions) and BCF give the same JSON as plain text (bar the input path).
bgzip -c "$SCRATCH/two.vcf" > "$SCRATCH/two.vcf.gz" && tabix -p vcf "$SCRATCH/two.vcf.gz"
bcftools view -Ob -o "$SCRATCH/two.bcf" "$SCRATCH/two.vcf" 2>/dev/null && bcftools index "$SCRATCH/two.bcf"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/two.vcf.gz" -o "$SCRATCH/two_gz.json"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/two.bcf" -o "$SCRATCH/two_bcf.json"
for variant in two_gz two_bcf; do
  if diff <(grep -v -e '"vcf": ' -e '"command_line": ' "$SCRATCH/two.json") \
          <(grep -v -e '"vcf": ' -e '"command_line": ' "$SCRATCH/$variant.json") >/dev/null; then pass
  else fail "$variant.json differs from the plain-VCF result"; fi
done

# "10" instead of "chr10".
sed -e 's/^chr//' -e 's/<ID=chr/<ID=/' "$SCRATCH/two.vcf" > "$SCRATCH/two_nochr.vcf"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/two_nochr.vcf" -o "$SCRATCH/nochr.json"
if diff <(grep -v -e '"vcf": ' -e '"command_line": ' "$SCRATCH/two.json") \
        <(grep -v -e '"vcf": ' -e '"command_line": ' "$SCRATCH/nochr.json") >/dev/null; then pass
else fail "10-named VCF gives other calls than chr10"; fi

# GRCh37: the same records moved by the RefSeqGene offsets (CYP2C9 region and rs12777823 +1759757,
# VKORC1 +11321, CYP4F2 +110810).
awk 'BEGIN{OFS="\t"} /^#/ {print; next}
     $1=="chr10" {$2+=1759757} $1=="chr16" {$2+=11321} $1=="chr19" {$2+=110810} {print}' \
  "$SCRATCH/two.vcf" > "$SCRATCH/two_grch37.vcf"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/two_grch37.vcf" --build GRCh37 -o "$SCRATCH/grch37.json"
expect_json "$SCRATCH/grch37.json" '"build": "GRCh37",'
# Identical but for the coordinates (positions, and "rsID (chr:pos)" in notes, are in the input's build).
drop_coordinates=(-e '"vcf": ' -e '"command_line": ' -e '"position": ' -e '"build": ' -e 'chr[0-9]*:[0-9]')
if diff <(grep -v "${drop_coordinates[@]}" "$SCRATCH/two.json") \
        <(grep -v "${drop_coordinates[@]}" "$SCRATCH/grch37.json") >/dev/null; then pass
else fail "GRCh37 input gives other calls than GRCh38"; fi
expect_contains "$SCRATCH/grch37.json" "rs2108622 (chr19:15990431)"
expect_json "$SCRATCH/grch37.json" '"position": 96702047,'   # rs1799853 on GRCh37 (dbSNP)
# Read as GRCh38 it is not guessed: nothing lies at the GRCh38 positions.
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/two_grch37.vcf" -o "$SCRATCH/grch37_as_38.json"
expect_json "$SCRATCH/grch37_as_38.json" '"status": "no_data",'
# With GRCh37 ##contig lengths it is refused outright.
sed 's/^##contig=<ID=chr10,/##contig=<ID=chr10,length=135534747,/' "$SCRATCH/two_grch37.vcf" > "$SCRATCH/two_grch37_len.vcf"
expect_exit 3 -- "$GENODOSE" genotype --vcf "$SCRATCH/two_grch37_len.vcf" -o "$SCRATCH/refused.json"
expect_contains "$SCRATCH/stderr" "two_grch37_len.vcf"
expect_contains "$SCRATCH/stderr" "GRCh37"
expect_no_file "$SCRATCH/refused.json"

# A variant-only VCF: missing positions listed; --missing-to-ref fills them.
grep -e '^#' -e rs1057910 "$SCRATCH/two.vcf" > "$SCRATCH/variant_only.vcf"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/variant_only.vcf" --sample Sample_2 -o "$SCRATCH/vo.json"
expect_contains "$SCRATCH/vo.json" '"status": "missing"'
expect_contains "$SCRATCH/vo.json" "the call depends on missing positions"
expect_exit 0 -- "$GENODOSE" genotype --vcf "$SCRATCH/variant_only.vcf" --sample Sample_2 --missing-to-ref -o "$SCRATCH/vo_ref.json"
expect_list "$SCRATCH/vo_ref.json" diplotypes '*1/*3'
expect_json "$SCRATCH/vo_ref.json" '"missing_to_ref": true'
finish
