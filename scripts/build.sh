#!/usr/bin/env bash
# Installs missing dependencies (Debian 12, as root), configures and builds genodose.
# Usage: scripts/build.sh [BUILD_DIR]          (default: build)
# Environment: GENODOSE_SANITIZE=ON builds with ASan+UBSan; GENODOSE_WERROR=ON fails the build on
# any compiler warning (CI sets it); JOBS sets parallel compile jobs.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${1:-$top/build}
"$top/scripts/install-deps.sh"
cmake -S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release \
  -DGENODOSE_SANITIZE="${GENODOSE_SANITIZE:-OFF}" -DGENODOSE_WERROR="${GENODOSE_WERROR:-OFF}" >/dev/null
cmake --build "$build_dir" -j"${JOBS:-$(nproc)}"
echo "build: $build_dir/genodose" >&2
