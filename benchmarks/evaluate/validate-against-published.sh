#!/usr/bin/env bash
# Validates `genodose evaluate` against the published RTG vcfeval figures for the bundled data
# (shared/data/README.md: on chr20:10,000,000-10,100,000 of NA12878, no confident BED,
# `bcftools mpileup | bcftools call -mv` F-measure 0.885, `freebayes` 0.888).
#
# Calls both callers on the bundled BAM, then evaluates each call set against GIAB v3.3.2 in the
# same region three ways:
#   default            hap.py-style counting: per allele, MNPs split into SNPs (genodose's CSV)
#   records            the same matching, counted per VCF record as vcfeval counts
#   --atomic-records   every record matched whole and counted per record: vcfeval's semantics
# and once more inside the 9 kb NIST confident BED. Prints Markdown tables and every command.
# Usage: benchmarks/evaluate/validate-against-published.sh [GENODOSE]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
GENODOSE=$(realpath "${1:-$top/build/genodose}")
DATA=$(realpath "${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
REGION=chr20:10000000-10100000
commands=()
step() {  # step 'COMMAND': runs it and keeps it, verbatim, for the listing at the end
  commands+=("$1")
  eval "$1"
}

# The two callers (freebayes needs an uncompressed FASTA).
step 'bcftools mpileup -f "$DATA/chr20_windows.fa.gz" -r $REGION "$DATA/NA12878_S1.chr20.10_10p1mb.bam" 2>/dev/null | bcftools call -mv -Oz -o "$TMP/bcftools.vcf.gz" 2>/dev/null'
step 'tabix -p vcf "$TMP/bcftools.vcf.gz"'
step 'gzip -dc "$DATA/chr20_windows.fa.gz" > "$TMP/ref.fa" && samtools faidx "$TMP/ref.fa"'
step 'freebayes -f "$TMP/ref.fa" -r $REGION "$DATA/NA12878_S1.chr20.10_10p1mb.bam" | bgzip > "$TMP/freebayes.vcf.gz"'
step 'tabix -p vcf "$TMP/freebayes.vcf.gz"'

for caller in bcftools freebayes; do
  for mode in default atomic nist; do
    case $mode in
      default) extra="" ;;
      atomic) extra=" --atomic-records" ;;
      nist) extra=' --regions "$DATA/test_nist.b37_chr20_100kbp_at_10mb.bed"' ;;
    esac
    start=$(date +%s.%N)
    step '"$GENODOSE" evaluate --truth "$DATA/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz" --query "$TMP/'$caller'.vcf.gz" --ref "$DATA/chr20_windows.fa.gz" --target-regions $REGION -o "$TMP/'$caller.$mode'"'"$extra"' > "$TMP/'$caller.$mode'.stdout" 2> "$TMP/'$caller.$mode'.stderr"'
    end=$(date +%s.%N)
    echo "$start $end" > "$TMP/$caller.$mode.wall"
  done
done

python3 - "$TMP" <<'PY'
import json, re, sys
scratch = sys.argv[1]
published = {"bcftools": 0.885, "freebayes": 0.888}

def load(caller, name):
    m = json.load(open(f"{scratch}/{caller}.{name}.metrics.json"))
    start, end = map(float, open(f"{scratch}/{caller}.{name}.wall").read().split())
    inner = re.search(r"in ([0-9.]+) s", open(f"{scratch}/{caller}.{name}.stderr").read())
    return m, end - start, float(inner.group(1)) if inner else float("nan")

def row(label, r):
    f = lambda x: "n/a" if x is None else f"{x:.4f}"
    return (f"| {label} | {r['TRUTH.TOTAL']} | {r['TRUTH.TP']} | {r['TRUTH.FN']} | {r['QUERY.TOTAL']} | {r['QUERY.TP']} | "
            f"{r['QUERY.FP']} | {r['QUERY.UNK']} | {r['FP.gt']} | {f(r['METRIC.Recall'])} | {f(r['METRIC.Precision'])} | "
            f"{f(r['METRIC.F1_Score'])} |")

header = ("| caller / counting | TRUTH.TOTAL | TRUTH.TP | TRUTH.FN | QUERY.TOTAL | QUERY.TP | QUERY.FP | QUERY.UNK | FP.gt "
          "| Recall | Precision | F1 |\n|---|---|---|---|---|---|---|---|---|---|---|---|")
print(f"## Whole region, no confident BED (SNP+INDEL, ALL calls)\n\n{header}")
timing = []
for caller in ("bcftools", "freebayes"):
    default, wall, inner = load(caller, "default")
    atomic, wall_a, inner_a = load(caller, "atomic")
    timing += [(caller, "default", wall, inner), (caller, "atomic", wall_a, inner_a)]
    print(row(f"{caller}: per allele (hap.py style, default)", default["overall"][0]))
    print(row(f"{caller}: per record, default matching", default["record_level"][0]))
    print(row(f"{caller}: per record, --atomic-records (vcfeval semantics)", atomic["record_level"][0]))
    print(f"| {caller}: RTG vcfeval, published | | | | | | | | | | | {published[caller]:.3f} |")

print(f"\n## Inside the NIST confident BED (8,999 bp, 49 truth records; SNP+INDEL, ALL calls)\n\n{header}")
for caller in ("bcftools", "freebayes"):
    nist, wall, inner = load(caller, "nist")
    timing.append((caller, "nist", wall, inner))
    print(row(f"{caller}: per allele (hap.py style)", nist["overall"][0]))
    print(row(f"{caller}: per record", nist["record_level"][0]))

print("\n## hap.py-style summary rows (whole region, default)\n")
print("| caller | Type | TRUTH.TOTAL | TRUTH.TP | TRUTH.FN | QUERY.TOTAL | QUERY.FP | FP.gt | Recall | Precision | F1 |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for caller in ("bcftools", "freebayes"):
    m, _, _ = load(caller, "default")
    for r in m["summary"]:
        if r["Filter"] != "ALL":
            continue
        print(f"| {caller} | {r['Type']} | {r['TRUTH.TOTAL']} | {r['TRUTH.TP']} | {r['TRUTH.FN']} | {r['QUERY.TOTAL']} | "
              f"{r['QUERY.FP']} | {r['FP.gt']} | {r['METRIC.Recall']:.4f} | {r['METRIC.Precision']:.4f} | {r['METRIC.F1_Score']:.4f} |")

print("\n## Time\n\n| caller | run | wall seconds (whole process) | seconds inside evaluate (log) |\n|---|---|---|---|")
for caller, name, wall, inner in timing:
    print(f"| {caller} | {name} | {wall:.2f} | {inner:.3f} |")
PY

echo
echo "## Commands"
echo
echo "With GENODOSE=$GENODOSE, DATA=$DATA, TMP a scratch folder, REGION=$REGION:"
echo
echo '```'
printf '%s\n' "${commands[@]}"
echo '```'
