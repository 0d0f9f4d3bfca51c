#!/usr/bin/env bash
# The README's main command: installs dependencies, builds, and runs the main job on the
# bundled example. Until the end-to-end report lands (issue #8), the main job is variant calling
# on the bundled real NA12878 reads (chr20:10.0-10.1 Mb, from ../shared/data).
# Usage: scripts/run-example.sh [OUTPUT_DIR]      (default: example-output/)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/example-output}
"$top/scripts/build.sh" >/dev/null
data=${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}
mkdir -p "$out"
"$top/build/genodose" call --threads "$(nproc)" --ref "$data/chr20_windows.fa.gz" \
  --reads "$data/NA12878_S1.chr20.10_10p1mb.bam" --regions chr20:10,000,001-10,100,000 \
  --output "$out/NA12878.chr20_10Mb.vcf.gz" --gvcf "$out/NA12878.chr20_10Mb.g.vcf.gz"
echo "calls: $out/NA12878.chr20_10Mb.vcf.gz (gVCF: $out/NA12878.chr20_10Mb.g.vcf.gz)"
