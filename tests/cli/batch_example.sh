# `genodose batch` on the bundled example sheet (data/example/samples.tsv): one patient from
# reads, one from VCF + patient JSON, one from VCF + clinical columns. All three are reported.
# Uses the shipped caller and dose model.
source "$(dirname "$0")/common.sh"
example="$SOURCE_DIR/data/example"
export SOURCE_DATE_EPOCH=1763806500
column() { awk -F'\t' -v s="$2" -v c="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } $1 == s { print $k }' "$1"; }

out="$SCRATCH/batch"
expect_exit 0 -- "$GENODOSE" batch --samples "$example/samples.tsv" --output-dir "$out" --threads 2
tsv="$out/cohort.tsv"
[ "$(wc -l <"$tsv")" -eq 4 ] && pass || fail "cohort.tsv should have a header and 3 samples"
for s in EXAMPLE-001 EXAMPLE-002 EXAMPLE-003; do
  [ "$(column "$tsv" $s status)" = ok ] && pass || fail "$s: $(column "$tsv" $s error)"
  [ -s "$out/$s/report.pdf" ] && pass || fail "$s/report.pdf missing"
done
[ "$(column "$tsv" EXAMPLE-001 CYP2C9)" = "*1/*3" ] && pass || fail "EXAMPLE-001 CYP2C9 from reads"
[ "$(column "$tsv" EXAMPLE-002 CYP2C9)" = "*2/*3" ] && pass || fail "EXAMPLE-002 CYP2C9"
[ "$(column "$tsv" EXAMPLE-003 VKORC1)" = "rs9923231 C/C (-1639 G/G)" ] && pass || fail "EXAMPLE-003 VKORC1"
[ -s "$out/EXAMPLE-001/calls.vcf.gz" ] && pass || fail "EXAMPLE-001 (reads) should have calls.vcf.gz"
expect_no_file "$out/EXAMPLE-002/calls.vcf.gz"
expect_contains "$out/cohort.html" '0 failed'
# The patient taking amiodarone (EXAMPLE-002, *2/*3, VKORC1 A/A) needs the least warfarin.
python3 - "$tsv" <<'PYTHON' && pass || fail "EXAMPLE-002 should have the lowest predicted dose"
import csv, sys
rows = {r["sample_id"]: float(r["dose_mg_per_week"]) for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
sys.exit(min(rows, key=rows.get) != "EXAMPLE-002")
PYTHON
finish
