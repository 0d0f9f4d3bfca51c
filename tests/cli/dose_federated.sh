# `genodose dose train --federated`: three site workers on localhost (the small IWPC fixture
# split by project site) with scripts/federated-tracker.py. Without row subsampling the trees
# equal those of the same procedure on the pooled rows; a worker that disconnects mid-training
# stops the others with a clear error and no model; bad input fails before joining.
source "$(dirname "$0")/common.sh"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import xgboost.tracker' 2>/dev/null \
  || { echo "FAIL: python3-xgboost is not installed (scripts/install-deps.sh)" >&2; exit 1; }
data="$SOURCE_DIR/tests/data/dosing"
phenotypes="$data/cyp2c9_activity_values.json"
tracker_script="$SOURCE_DIR/scripts/federated-tracker.py"
/usr/bin/python3 - "$data/iwpc_subset.csv" "$SCRATCH" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
i = rows[0].index("Project Site")
groups = [set(map(str, range(1, 8))), set(map(str, range(8, 15))), set(map(str, range(15, 22)))]
for g, sites in enumerate(groups):
    csv.writer(open(f"{sys.argv[2]}/site{g}.csv", "w", newline="")).writerows([rows[0]] + [r for r in rows[1:] if r[i] in sites])
csv.writer(open(f"{sys.argv[2]}/pooled.csv", "w", newline="")).writerows(
    [rows[0]] + [r for sites in groups for r in rows[1:] if r[i] in sites])
PY
cat > "$SCRATCH/point.json" <<'JSON'
{"feature_sets": ["standard"], "transforms": ["sqrt"], "max_depths": [2], "min_child_weights": [5],
 "objectives": ["reg:squarederror"], "linear_base": [true], "max_rounds": 30, "subsample": 1.0}
JSON
train() {  # train OUTPUT ARGS...
  local out=$1; shift
  "$GENODOSE" -q dose train --federated --cyp2c9-phenotypes "$phenotypes" --grid "$SCRATCH/point.json" \
    --timeout 20 --output "$out" "$@"
}
start_tracker() {  # start_tracker TAG: sets $tracker (HOST:PORT) and $tracker_pid
  /usr/bin/python3 "$tracker_script" --workers 3 --port 0 --timeout 60 >"$SCRATCH/tracker_$1.out" 2>&1 &
  tracker_pid=$!
  for _ in $(seq 100); do grep -q '^tracker ' "$SCRATCH/tracker_$1.out" && break; sleep 0.1; done
  tracker=$(sed -n 's/^tracker //p' "$SCRATCH/tracker_$1.out")
}
trees() { /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["xgboost_model"]["learner"]["gradient_booster"]["model"]["trees"]))' "$1"; }

# The pooled reference: the same procedure in one process on all rows.
expect_exit 0 -- train "$SCRATCH/pooled.json" --site-data "$SCRATCH/pooled.csv"

# Three sites.
start_tracker ok
[ -n "$tracker" ] && pass || fail "the tracker did not start"
workers=()
for r in 0 1 2; do
  (status=0; train "$SCRATCH/fed$r.json" --tracker "$tracker" --workers 3 --rank $r --site-data "$SCRATCH/site$r.csv" \
     >"$SCRATCH/w$r.log" 2>&1 || status=$?; echo $status >"$SCRATCH/w$r.rc") &
  workers+=($!)
done
wait "${workers[@]}"
wait "$tracker_pid" && pass || fail "tracker did not finish cleanly"
for r in 0 1 2; do [ "$(cat "$SCRATCH/w$r.rc")" = 0 ] && pass || fail "worker $r failed: $(tail -2 "$SCRATCH/w$r.log")"; done
trees "$SCRATCH/pooled.json" >"$SCRATCH/trees_pooled"
for r in 0 1 2; do
  trees "$SCRATCH/fed$r.json" >"$SCRATCH/trees_$r"
  cmp -s "$SCRATCH/trees_pooled" "$SCRATCH/trees_$r" && pass || fail "site $r's trees differ from the pooled ones"
  # Each worker read only its own file.
  grep -qF "\"data_sha256\": \"$(sha256sum "$SCRATCH/site$r.csv" | cut -d' ' -f1)\"" "$SCRATCH/fed$r.json" \
    && pass || fail "site $r's model does not name its own file"
done
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/pooled.json" --input "$SCRATCH/pooled.csv" --output "$SCRATCH/p.tsv"
expect_exit 0 -- "$GENODOSE" dose predict --model "$SCRATCH/fed1.json" --input "$SCRATCH/pooled.csv" --output "$SCRATCH/f.tsv"
cmp -s "$SCRATCH/p.tsv" "$SCRATCH/f.tsv" && pass || fail "federated and pooled predictions differ"

# A site that disconnects after round 5: the others stop with a clear error and write nothing.
start_tracker lost
(GENODOSE_TEST_FEDERATED_EXIT_AFTER_ROUND=5 train "$SCRATCH/lost0.json" --tracker "$tracker" --workers 3 --rank 0 \
   --site-data "$SCRATCH/site0.csv" >/dev/null 2>&1 || true) &
workers=($!)
for r in 1 2; do
  (status=0; train "$SCRATCH/lost$r.json" --tracker "$tracker" --workers 3 --rank $r --site-data "$SCRATCH/site$r.csv" \
     >"$SCRATCH/lost$r.log" 2>&1 || status=$?; echo $status >"$SCRATCH/lost$r.rc") &
  workers+=($!)
done
wait "${workers[@]}"
kill "$tracker_pid" 2>/dev/null || true  # it waits for the lost site until its timeout
wait "$tracker_pid" 2>/dev/null || true
for r in 1 2; do
  [ "$(cat "$SCRATCH/lost$r.rc")" = 70 ] && pass || fail "worker $r: exit $(cat "$SCRATCH/lost$r.rc"), expected 70"
  expect_contains "$SCRATCH/lost$r.log" "federated training stopped at round 6 of 30 (a site disconnected?)"
  expect_contains "$SCRATCH/lost$r.log" "no model written"
done
for r in 0 1 2; do expect_no_file "$SCRATCH/lost$r.json"; done

# A site that fails before joining: the others wait until the tracker gives up, then stop
# (exit 3, "cannot join the tracker") with no model.
/usr/bin/python3 "$tracker_script" --workers 3 --port 0 --timeout 5 >"$SCRATCH/tracker_early.out" 2>&1 &
tracker_pid=$!
for _ in $(seq 100); do grep -q '^tracker ' "$SCRATCH/tracker_early.out" && break; sleep 0.1; done
tracker=$(sed -n 's/^tracker //p' "$SCRATCH/tracker_early.out")
printf 'a,b\n1,2\n' >"$SCRATCH/not_iwpc.csv"
workers=()
for r in 0 1; do
  (status=0; train "$SCRATCH/early$r.json" --tracker "$tracker" --workers 3 --rank $r --site-data "$SCRATCH/site$r.csv" \
     >"$SCRATCH/early$r.log" 2>&1 || status=$?; echo $status >"$SCRATCH/early$r.rc") &
  workers+=($!)
done
expect_exit 3 -- train "$SCRATCH/early2.json" --tracker "$tracker" --workers 3 --rank 2 --site-data "$SCRATCH/not_iwpc.csv"
wait "${workers[@]}"
wait "$tracker_pid" 2>/dev/null && fail "the tracker should report the missing site" || pass
for r in 0 1; do
  [ "$(cat "$SCRATCH/early$r.rc")" = 3 ] && pass || fail "early worker $r: exit $(cat "$SCRATCH/early$r.rc"), expected 3"
  expect_contains "$SCRATCH/early$r.log" "cannot join the tracker"
done
for r in 0 1 2; do expect_no_file "$SCRATCH/early$r.json"; done

# Bad input fails before joining (no tracker needed): a site file with other columns, a grid
# with a search, --iwpc instead of --site-data, a rank out of range.
printf 'patient,site,dose\nP1,3,35\n' >"$SCRATCH/other_columns.csv"
expect_exit 3 -- train "$SCRATCH/x.json" --tracker 127.0.0.1:9 --workers 3 --rank 1 --site-data "$SCRATCH/other_columns.csv"
expect_contains "$SCRATCH/stderr" "other_columns.csv: missing column"
expect_no_file "$SCRATCH/x.json"
expect_exit 2 -- "$GENODOSE" dose train --federated --cyp2c9-phenotypes "$phenotypes" --grid full --site-data "$SCRATCH/site0.csv" \
  --output "$SCRATCH/x.json"
expect_contains "$SCRATCH/stderr" "exactly one point"
printf '{"max_depths": [2, 3]}' >"$SCRATCH/two.json"
expect_exit 2 -- "$GENODOSE" dose train --federated --cyp2c9-phenotypes "$phenotypes" --grid "$SCRATCH/two.json" \
  --site-data "$SCRATCH/site0.csv" --output "$SCRATCH/x.json"
expect_exit 2 -- "$GENODOSE" dose train --federated --iwpc "$SCRATCH/site0.csv" --cyp2c9-phenotypes "$phenotypes" \
  --grid "$SCRATCH/point.json" --output "$SCRATCH/x.json"
expect_exit 2 -- train "$SCRATCH/x.json" --tracker 127.0.0.1:9 --workers 3 --rank 3 --site-data "$SCRATCH/site0.csv"
expect_no_file "$SCRATCH/x.json"
finish
