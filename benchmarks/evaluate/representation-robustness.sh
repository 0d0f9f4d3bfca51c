#!/usr/bin/env bash
# Representation independence of `genodose evaluate` on real data: the GIAB v3.3.2 chr20 truth
# set (3,223 records) against rewritten copies of itself.
#   rewritten  indels moved to the right end of their repeat and padded with an extra base, and
#              phased neighbours (same haplotype, <= 10 bp apart) merged into one complex record:
#              same haplotypes, different VCF text -> every record must be TP.
#   genotypes  every 25th heterozygous record turned hom-alt -> exactly those must become
#              FN + FP (and FP.gt), nothing else: the comparison can fail.
# Usage: benchmarks/evaluate/representation-robustness.sh [GENODOSE]   (prints a Markdown table)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
GENODOSE=$(realpath "${1:-$top/build/genodose}")
DATA=$(realpath "${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
truth=$DATA/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz

gzip -dc "$DATA/chr20_windows.fa.gz" > "$TMP/ref.fa"
python3 - "$TMP/ref.fa" "$truth" "$TMP" <<'PY'
import gzip, sys
ref_path, vcf_path, out = sys.argv[1:]
seq, name = {}, None
for line in open(ref_path):
    if line.startswith(">"):
        name = line[1:].split()[0]; seq[name] = []
    else:
        seq[name].append(line.strip().upper())
seq = {k: "".join(v) for k, v in seq.items()}
header, records = [], []
for line in gzip.open(vcf_path, "rt"):
    (header if line.startswith("#") else records).append(line.rstrip("\n").split("\t") if not line.startswith("#") else line.rstrip("\n"))

def right_align(s, pos, ref, alt):
    """pos 1-based with an anchor base; returns the right-most equivalent placement."""
    if len(ref) == 1 and len(alt) > 1 and alt[0] == ref:          # insertion of alt[1:]
        ins, p = alt[1:], pos
        while s[p] == ins[0]:
            ins, p = ins[1:] + ins[0], p + 1
        return p, s[p - 1], s[p - 1] + ins
    if len(alt) == 1 and len(ref) > 1 and ref[0] == alt:          # deletion of ref[1:]
        start, end = pos, pos + len(ref) - 1
        while end < len(s) and s[start] == s[end]:
            start, end = start + 1, end + 1
        return start, s[start - 1:end], s[start - 1]
    return pos, ref, alt

rewritten, merged, moved = [], 0, 0
i = 0
while i < len(records):
    f = records[i][:]
    chrom, pos, ref, alts, gt = f[0], int(f[1]), f[3], f[4].split(","), f[9].split(":")[0]
    s = seq[chrom]
    nxt = records[i + 1] if i + 1 < len(records) else None
    end1 = pos + len(ref) - 1
    if (len(alts) == 1 and gt in ("0|1", "1|0", "1|1") and nxt and nxt[0] == chrom and "," not in nxt[4]
            and nxt[9].split(":")[0] == gt and end1 < int(nxt[1]) <= end1 + 10):
        p2, ref2, alt2 = int(nxt[1]), nxt[3], nxt[4]
        f[3], f[4] = s[pos - 1:p2 - 1 + len(ref2)], alts[0] + s[end1:p2 - 1] + alt2
        merged += 1
        i += 2
    else:
        if len(alts) == 1 and len(ref) != len(alts[0]):
            p, r, a = right_align(s, pos, ref, alts[0])
            moved += p != pos
            f[1], f[3], f[4] = str(p), r + s[p - 1 + len(r)], a + s[p - 1 + len(r)]
        i += 1
    rewritten.append(f)
rewritten.sort(key=lambda f: int(f[1]))
with open(f"{out}/rewritten.vcf", "w") as o:
    o.write("\n".join(header + ["\t".join(f) for f in rewritten]) + "\n")

flipped = 0
with open(f"{out}/genotypes.vcf", "w") as o:
    hets = 0
    lines = []
    for f in records:
        f = f[:]
        gt = f[9].split(":")[0]
        if gt in ("0|1", "1|0", "0/1"):
            hets += 1
            if hets % 25 == 0:
                f[9] = "1|1" + f[9][len(gt):]
                flipped += 1
        lines.append("\t".join(f))
    o.write("\n".join(header + lines) + "\n")
open(f"{out}/stats", "w").write(f"{len(records)} {len(rewritten)} {merged} {moved} {flipped}\n")
PY
read -r n_truth n_rewritten n_merged n_moved n_flipped < "$TMP/stats"
for name in rewritten genotypes; do
  bgzip -f "$TMP/$name.vcf" && tabix -p vcf "$TMP/$name.vcf.gz"
  "$GENODOSE" --quiet evaluate --truth "$truth" --query "$TMP/$name.vcf.gz" --ref "$DATA/chr20_windows.fa.gz" \
    -o "$TMP/$name" > /dev/null
done
echo "Truth: $n_truth records. Rewritten copy: $n_rewritten records ($n_merged pairs merged into one record, $n_moved indels moved right). Genotype copy: $n_flipped het records made hom-alt."
echo
echo "| query | unit | TRUTH.TOTAL | TRUTH.TP | TRUTH.FN | QUERY.TOTAL | QUERY.TP | QUERY.FP | FP.gt | F1 |"
echo "|---|---|---|---|---|---|---|---|---|---|"
python3 - "$TMP" <<'PY'
import json, sys
for name in ("rewritten", "genotypes"):
    m = json.load(open(f"{sys.argv[1]}/{name}.metrics.json"))
    for unit, r in (("allele", m["overall"][0]), ("record", m["record_level"][0])):
        print(f"| {name} | {unit} | {r['TRUTH.TOTAL']} | {r['TRUTH.TP']} | {r['TRUTH.FN']} | {r['QUERY.TOTAL']} | "
              f"{r['QUERY.TP']} | {r['QUERY.FP']} | {r['FP.gt']} | {r['METRIC.F1_Score']:.4f} |")
PY
echo
echo "Command: benchmarks/evaluate/representation-robustness.sh"
