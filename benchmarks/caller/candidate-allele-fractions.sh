#!/usr/bin/env bash
# Histogram of the allele fraction of genodose's candidate sites (every VCF row, RefCall
# included; the largest ALT fraction of FORMAT/AD), by SNP / indel, in tenths. Used on the HG002
# reads (no truth; not evaluation data) to see where real artifact candidates lie: hets at
# ~30x are binomial around 0.5, so candidates below 0.3 are mostly artifacts.
# Usage: benchmarks/caller/candidate-allele-fractions.sh GENODOSE REF.fa BAM REGION
set -euo pipefail
genodose=${1:?usage: candidate-allele-fractions.sh GENODOSE REF.fa BAM REGION}
ref=${2:?}; bam=${3:?}; region=${4:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$genodose" --quiet call --threads 2 --ref "$ref" --reads "$bam" --regions "$region" --output "$work/calls.vcf.gz"
echo "| type | 0-0.1 | 0.1-0.2 | 0.2-0.3 | 0.3-0.4 | 0.4-0.5 | 0.5-0.6 | 0.6-0.7 | 0.7-0.8 | 0.8-0.9 | 0.9-1 |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
bcftools query -f '%TYPE\t[%AD]\n' "$work/calls.vcf.gz" | python3 -c '
import collections, sys
counts = collections.Counter()
for line in sys.stdin:
    kind, ad = line.split()
    depths = [int(x) for x in ad.split(",") if x != "."]
    if len(depths) < 2 or sum(depths) == 0:
        continue
    counts[(kind == "SNP", min(int(10 * max(depths[1:]) / sum(depths)), 9))] += 1
for snp in (True, False):
    print("| " + ("SNP" if snp else "indel") + " | " + " | ".join(str(counts[(snp, b)]) for b in range(10)) + " |")
'
