#!/usr/bin/env bash
# Candidate generation on the bundled real NA12878 reads (chr20:10,000,001-10,100,000):
# candidate sensitivity against GIAB v3.3.2 (share of truth SNVs/indels that became candidates),
# candidates per truth variant, and make-examples throughput, for 1 and 2 threads.
# Usage: benchmarks/caller/candidates.sh [GENODOSE]        (prints a Markdown table)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
genodose=${1:-$top/build/genodose}
data=${GENODOSE_GIAB_CHR20:-$top/../shared/data/giab_chr20}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

echo "| threads | truth SNVs | SNV sensitivity | truth indels | indel sensitivity | candidate sites | candidates / truth variant | examples | seconds (in-process) | examples/s |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for threads in 1 2; do
  "$genodose" --quiet make-examples --threads "$threads" --ref "$data/chr20_windows.fa.gz" \
    --reads "$data/NA12878_S1.chr20.10_10p1mb.bam" --truth "$data/HG001_GIAB_v3.3.2_chr20_windows.vcf.gz" \
    --regions chr20:10000001-10100000 --output "$scratch/t$threads"
  python3 - "$scratch/t$threads/summary.json" "$threads" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
t, m = s["truth"], s["missed_by_candidates"]
sens = s["candidate_sensitivity"]
print(f"| {sys.argv[2]} | {t['snvs']} | {sens['snv']:.4f} | {t['indels']} | {sens['indel']:.4f} | "
      f"{s['candidate_sites']} | {s['candidates_per_truth_variant']:.2f} | {s['examples']} | "
      f"{s['seconds']:.2f} | {s['examples'] / s['seconds']:.0f} |")
PY
done
if cmp -s <(cat "$scratch"/t1/examples-*.gdx.gz | gzip -dc) <(cat "$scratch"/t2/examples-*.gdx.gz | gzip -dc); then
  echo; echo "Examples are identical for --threads 1 and 2."
else
  echo; echo "WARNING: examples differ between --threads 1 and 2" >&2; exit 1
fi
echo
echo "Missed truth alleles (1 thread): $(python3 -c "import json;print(', '.join(json.load(open('$scratch/t1/summary.json'))['missed_by_candidates']['alleles']))")"
echo
echo "Command: benchmarks/caller/candidates.sh"
