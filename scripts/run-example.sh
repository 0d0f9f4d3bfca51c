#!/usr/bin/env bash
# The README's main command: installs dependencies, builds, and runs the main job on the bundled
# example: reads of a synthetic patient (data/example/EXAMPLE-001, simulated from the real GRCh38
# sequence of CYP2C9, VKORC1 and CYP4F2 by scripts/make-example-data.sh) → variant calls in the
# pharmacogene windows → genotypes → warfarin dose → report (HTML, PDF, JSON, FHIR).
# Usage: scripts/run-example.sh [OUTPUT_DIR]      (default: example-output/)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/example-output}
"$top/scripts/build.sh" >/dev/null
"$top/build/genodose" run --threads "$(nproc)" \
  --patient "$top/data/example/EXAMPLE-001.patient.json" \
  --reads "$top/data/example/EXAMPLE-001.bam" \
  --ref "$top/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz" \
  --lab-config "$top/data/example/lab.json" \
  --output-dir "$out"
echo
echo "Report: $out/report.html (also report.pdf, report.json, report.fhir.json; calls: $out/calls.vcf.gz)"
