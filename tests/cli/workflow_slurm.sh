# pipelines/snakemake on a real scheduler: starts a private one-node SLURM (munged, slurmctld,
# slurmd; scripts/lib/local_slurm.sh), runs the shipped example cohort (pipelines/snakemake/
# samples.tsv: EXAMPLE-001's reads in 4 shards, two VCF samples; dose and report on) through
# Snakemake's --slurm executor with the workflow's SLURM profile, then the same workflow locally,
# and checks that
#   - every non-local job went through sbatch (a SLURM log per job) with the rule's threads,
#     mem_mb and runtime from config.yaml;
#   - a job that fails is retried with twice the memory and runtime (the dose of EXAMPLE-002
#     fails once on purpose);
#   - every output equals the local run's (time stamps and report ids aside).
# The daemons are stopped at exit, also on failure; each also runs under `timeout`, so none
# outlives a killed test. Exit 77 (ctest: skipped, with the reason printed) where SLURM cannot
# start: not root, or slurm-wlm/munge not installed.
source "$(dirname "$0")/common.sh"
source "$SOURCE_DIR/scripts/lib/local_slurm.sh"
SNAKEFILE=$SOURCE_DIR/pipelines/snakemake/Snakefile
REF=$SOURCE_DIR/data/reference/example_genome/GRCh38_warfarin_genes.fa.gz
if why=$(local_slurm_unavailable); then
  echo "SKIP: no SLURM test: a local SLURM cannot start here: $why"
  exit 77
fi
command -v snakemake >/dev/null || { fail "snakemake is not installed (scripts/install-deps.sh installs Debian's)"; finish; exit 1; }
export USER=${USER:-$(id -un)}  # Snakemake's SLURM executor reads it
PY=$(head -1 "$(command -v snakemake)" | sed 's/^#! *//')  # snakemake's Python (it has yaml)
trap 'stop_local_slurm; rm -rf "$SCRATCH"' EXIT
trap 'exit 130' INT TERM

if ! start_local_slurm "$SCRATCH/slurm" 600; then
  fail "a local SLURM did not start although this machine should run one (daemon logs above)"; finish; exit 1
fi
pass

# The same genodose for both runs; it fails the first dose command of EXAMPLE-002, as a job killed
# for memory would, so that the SLURM run must retry it.
mkdir -p "$SCRATCH/bin"
cat > "$SCRATCH/bin/genodose" <<EOF
#!/usr/bin/env bash
if [ "\$1" = dose ] && [[ "\$*" == *EXAMPLE-002* ]] && mkdir "$SCRATCH/dose-failed-once" 2>/dev/null; then
  echo "test: EXAMPLE-002's first dose attempt fails on purpose" >&2; exit 1
fi
exec "$GENODOSE" "\$@"
EOF
chmod +x "$SCRATCH/bin/genodose"
config=(genodose="$SCRATCH/bin/genodose" samples="$SOURCE_DIR/pipelines/snakemake/samples.tsv" reference="$REF")

# ---- under SLURM ------------------------------------------------------------------------------
SL=$SCRATCH/slurm_run
status=0
timeout 300 snakemake -s "$SNAKEFILE" -d "$SL" --profile "$SOURCE_DIR/pipelines/snakemake/profiles/slurm" \
  --default-resources slurm_partition="$LOCAL_SLURM_PARTITION" --latency-wait 10 --verbose \
  --config "${config[@]}" > "$SCRATCH/slurm.log" 2>&1 || status=$?
if [ "$status" -eq 0 ]; then pass; else
  fail "snakemake --slurm exited with $status$([ "$status" = 124 ] && echo ' (timed out after 300 s)')"
  grep -B2 -A12 "^Error in rule\|WorkflowError" "$SCRATCH/slurm.log" | head -40 | sed 's/^/  snakemake: /' >&2
  tail -5 "$SCRATCH/slurm/log/slurmctld.log" | sed 's/^/  slurmctld: /' >&2
fi

# Each job of a non-local rule was submitted with sbatch and ran as a SLURM job (its log in
# .snakemake/slurm_logs/rule_<rule>/<jobid>.log), with the rule's resources from config.yaml.
grep "sbatch call: " "$SCRATCH/slurm.log" > "$SCRATCH/sbatch.txt" || true
submitted() { grep -c "slurm_logs/rule_$1/" "$SCRATCH/sbatch.txt" || true; }
for rule_jobs in call_shard:4 gather_calls:1 genotype:3 dose:4 report:3; do
  rule=${rule_jobs%%:*} jobs=${rule_jobs##*:}
  [ "$(submitted "$rule")" = "$jobs" ] && pass || fail "$rule: $(submitted "$rule") sbatch submissions, expected $jobs"
  logs=$(find "$SL/.snakemake/slurm_logs/rule_$rule" -name '*.log' 2>/dev/null | wc -l)
  [ "$logs" = "$jobs" ] && pass || fail "$rule: $logs SLURM job logs, expected $jobs"
done
for rule in shard_beds sample_summary cohort versions; do
  [ "$(submitted "$rule")" = 0 ] && pass || fail "local rule $rule was submitted to SLURM"
done
resource() {  # resource STEP KEY: the value in the workflow's config.yaml
  "$PY" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))["resources"][sys.argv[2]][sys.argv[3]])' \
    "$SOURCE_DIR/pipelines/snakemake/config.yaml" "$1" "$2"
}
expect_submission() {  # expect_submission RULE TEXT: some sbatch call of RULE has TEXT
  if grep "slurm_logs/rule_$1/" "$SCRATCH/sbatch.txt" | grep -F -- "$2" > /dev/null; then pass
  else fail "no sbatch call of $1 with '$2'"; grep "slurm_logs/rule_$1/" "$SCRATCH/sbatch.txt" | head -2 | sed 's/^/  /' >&2; fi
}
for step_rule in call:call_shard gather:gather_calls genotype:genotype dose:dose report:report; do
  step=${step_rule%%:*} rule=${step_rule##*:}
  expect_submission "$rule" " -t $(resource "$step" runtime) "
  expect_submission "$rule" " --mem $(resource "$step" mem_mb) "
  expect_submission "$rule" " --cpus-per-task=$(resource "$step" threads) "
done
expect_submission dose " --mem $(( 2 * $(resource dose mem_mb) )) "
expect_submission dose " -t $(( 2 * $(resource dose runtime) )) "
[ -d "$SCRATCH/dose-failed-once" ] && pass || fail "the dose of EXAMPLE-002 did not fail once"

# ---- the same workflow locally, then every output compared ----------------------------------
LO=$SCRATCH/local_run
expect_exit 0 -- timeout 150 snakemake -s "$SNAKEFILE" -d "$LO" --cores 2 --quiet --config "${config[@]}"
# normalise FILE: its text with the run's time stamps and report ids replaced (bgzip files
# decompressed), and SHA-256 digests: the report's digest of the gathered gVCF changes with the
# date bcftools concat writes into its header (the gVCFs themselves are compared, normalised).
# The PDF's bytes carry its creation time, so only its presence is compared.
normalise() {
  case $1 in *.gz) gzip -dc "$1" ;; *) cat "$1" ;; esac | sed -E \
    -e 's/; Date=.*$//' \
    -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9:]+)?/TIME/g' \
    -e 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/UUID/g' \
    -e 's/[0-9a-f]{64}/SHA256/g'
}
(cd "$LO/results" && find . -type f ! -path './logs/*' ! -path './benchmarks/*' | sort) > "$SCRATCH/local_files.txt"
(cd "$SL/results" && find . -type f ! -path './logs/*' ! -path './benchmarks/*' | sort) > "$SCRATCH/slurm_files.txt"
cmp -s "$SCRATCH/local_files.txt" "$SCRATCH/slurm_files.txt" && pass \
  || fail "the SLURM and local runs wrote different files: $(diff "$SCRATCH/local_files.txt" "$SCRATCH/slurm_files.txt" | grep '^[<>]' | head -5 | paste -sd' ')"
compared=0
while read -r f; do
  case $f in *.tbi|*.pdf) continue ;; esac
  [ -f "$SL/results/$f" ] || continue
  compared=$((compared + 1))
  cmp -s <(normalise "$LO/results/$f") <(normalise "$SL/results/$f") && pass \
    || fail "$f differs between the SLURM and the local run: $(diff <(normalise "$LO/results/$f") <(normalise "$SL/results/$f") | head -3 | paste -sd' ')"
done < "$SCRATCH/local_files.txt"
[ "$compared" -ge 20 ] && pass || fail "only $compared outputs compared"
[ "$(cut -f1 "$SL/results/cohort.tsv" 2>/dev/null | paste -sd,)" = "sample,EXAMPLE-001,EXAMPLE-002,EXAMPLE-003" ] && pass \
  || fail "SLURM cohort.tsv rows: $(cut -f1 "$SL/results/cohort.tsv" 2>/dev/null | paste -sd,)"

finish
