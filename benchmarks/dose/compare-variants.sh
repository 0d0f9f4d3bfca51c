#!/usr/bin/env bash
# Which training choices help which patients? Runs the nested cross-validation of
# `genodose dose train` for a list of search-grid variants (the shipped full search, and single
# grid points that change one setting of the selected point) over several seeds, and prints per
# variant and race group the model's MAE and % within 20% beside the IWPC pharmacogenetic
# equation on the same patients, averaged over the seeds (one seed is one split into folds;
# the smallest group, 355 Black patients, moves by ~0.1 mg/week and ~1 point between splits).
#
# Usage: benchmarks/dose/compare-variants.sh GENODOSE [OUT_DIR] [SEEDS...]
#   defaults: OUT_DIR a new folder under /tmp; SEEDS 1 2 3 4 5.
# Environment: THREADS (default 2); VARIANTS (space-separated names from the list below, default
# all). Time on 2 cores: ~80 s per seed for "full" and "search_race_balance" (the full search
# with race balance 0 or 0.5 and always a linear base), ~4 s per seed for each single point.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
command_line="benchmarks/dose/compare-variants.sh $*"
genodose=${1:?usage: compare-variants.sh GENODOSE [OUT_DIR] [SEEDS...]}
out=${2:-$(mktemp -d /tmp/genodose-dose-variants.XXXXXX)}
shift $(( $# >= 2 ? 2 : 1 ))
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3 4 5)
iwpc=$top/../shared/data/iwpc/iwpc_dev.csv
phenotypes=$top/../shared/data/pgx/phenotype/CYP2C9.json
mkdir -p "$out"

# The point the full search selects (models/warfarin_dose.md), then one change at a time.
point='"feature_sets":["extended"],"transforms":["sqrt"],"max_depths":[3],"objectives":["reg:pseudohubererror"],"linear_base":[true]'
declare -A grids=(
  [full]='{}'
  [point]="{$point}"
  [no_linear_base]='{"feature_sets":["extended"],"transforms":["sqrt"],"max_depths":[3],"objectives":["reg:pseudohubererror"],"linear_base":[false]}'
  [linear_base_only]="{$point,\"learning_rate\":0.00001,\"max_rounds\":25}"
  [standard_features]='{"feature_sets":["standard"],"transforms":["sqrt"],"max_depths":[3],"objectives":["reg:pseudohubererror"],"linear_base":[true]}'
  [log_target]='{"feature_sets":["extended"],"transforms":["log"],"max_depths":[3],"objectives":["reg:pseudohubererror"],"linear_base":[true]}'
  [squared_error]='{"feature_sets":["extended"],"transforms":["sqrt"],"max_depths":[3],"objectives":["reg:squarederror"],"linear_base":[true]}'
  [absolute_error]='{"feature_sets":["extended"],"transforms":["sqrt"],"max_depths":[3],"objectives":["reg:absoluteerror"],"linear_base":[true]}'
  [depth_2]='{"feature_sets":["extended"],"transforms":["sqrt"],"max_depths":[2],"objectives":["reg:pseudohubererror"],"linear_base":[true]}'
  [min_child_weight_50]="{$point,\"min_child_weights\":[50]}"
  [eta_0.02]="{$point,\"learning_rate\":0.02,\"max_rounds\":1500,\"round_step\":50}"
  [colsample_1]="{$point,\"colsample_bytree\":1.0}"
  [race_balance_0.5]="{$point,\"race_balance\":[0.5]}"
  [race_balance_1]="{$point,\"race_balance\":[1.0]}"
  [monotone]="{$point,\"monotone\":[true]}"
  [search_race_balance]='{"race_balance":[0,0.5],"linear_base":[true]}'
)
order=(full point no_linear_base linear_base_only standard_features log_target squared_error absolute_error
       depth_2 min_child_weight_50 eta_0.02 colsample_1 race_balance_0.5 race_balance_1 monotone
       search_race_balance)
read -r -a variants <<< "${VARIANTS:-${order[*]}}"
for variant in "${variants[@]}"; do
  [ -n "${grids[$variant]+x}" ] || { echo "compare-variants.sh: unknown variant '$variant'" >&2; exit 2; }
  printf '%s\n' "${grids[$variant]}" > "$out/$variant.grid.json"
  for seed in "${seeds[@]}"; do
    "$genodose" -q --threads "${THREADS:-2}" dose train --iwpc "$iwpc" --cyp2c9-phenotypes "$phenotypes" \
      --folds 5 --seed "$seed" --grid "$out/$variant.grid.json" --output "$out/$variant.seed$seed.json" \
      --cv-predictions "$out/$variant.seed$seed.tsv" > /dev/null
  done
done
echo "genodose: $genodose ($("$genodose" --version 2>/dev/null | head -1)); seeds: ${seeds[*]}"
echo "command: ${VARIANTS:+VARIANTS=\"$VARIANTS\" }$command_line (grids in $out/*.grid.json)"
echo
python3 "$here/compare_variants.py" "$out" "${seeds[*]}" "${variants[@]}"
