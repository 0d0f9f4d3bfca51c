#!/usr/bin/env bash
# conda-build script for meta.yaml (a sketch, see there): build genodose and install the same
# layout as the Dockerfile, under $PREFIX: bin/genodose, bin/genodose-torch,
# bin/genodose-sample-summary, share/genodose/{models,data} (genodose finds them beside bin/).
set -euo pipefail
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DGENODOSE_BUILD_TESTS=OFF -DCMAKE_PREFIX_PATH="$PREFIX"
cmake --build build -j"${CPU_COUNT:-2}" --target genodose genodose-torch
install -D -m 755 build/genodose "$PREFIX/bin/genodose"
install -D -m 755 build/genodose-torch "$PREFIX/bin/genodose-torch"
install -D -m 755 pipelines/bin/genodose-sample-summary "$PREFIX/bin/genodose-sample-summary"
mkdir -p "$PREFIX/share/genodose"
cp -r models data "$PREFIX/share/genodose/"
