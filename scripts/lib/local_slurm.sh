# Sourced by tests/cli/workflow_slurm.sh and pipelines/measure-steps.sh: a private one-node SLURM
# (munged, slurmctld, slurmd of Debian's munge and slurm-wlm) in a folder of its own, with its
# own munge key and socket, free TCP ports and SLURM_CONF pointing at its slurm.conf, so it
# touches no system configuration and no other SLURM on the machine.
#
# local_slurm_unavailable: prints why a local SLURM cannot start here (not root, a program
#   missing) and returns 0, or prints nothing and returns 1.
# start_local_slurm DIR LIFETIME_S: starts the daemons (state, logs, sockets in DIR) and waits
#   until the node takes jobs (srun works); exports SLURM_CONF and LOCAL_SLURM_PARTITION. Every
#   daemon runs under `timeout LIFETIME_S`, so none outlives a caller that is killed before it
#   could stop them. Returns 1, with the daemons' log tails on stderr, if it does not come up
#   within 60 s.
# stop_local_slurm: stops the daemons start_local_slurm started (by their process ids) and
#   waits for them to exit. Safe to call more than once, and when nothing was started.
LOCAL_SLURM_PIDS=()

local_slurm_unavailable() {
  if [ "$(id -u)" != 0 ]; then
    echo "not root (slurmd and munged must run as root)"; return 0
  fi
  local program
  for program in munged slurmctld slurmd sbatch srun scontrol sinfo timeout; do
    if ! command -v "$program" >/dev/null 2>&1; then
      echo "'$program' is not installed (scripts/install-deps.sh installs slurm-wlm and munge)"; return 0
    fi
  done
  return 1
}

_local_slurm_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_local_slurm() {
  local dir=$1 lifetime=$2
  mkdir -p "$dir"/{munge,state,spool,log}
  chmod 0700 "$dir/munge"
  head -c 1024 /dev/urandom > "$dir/munge/munge.key"
  chmod 0600 "$dir/munge/munge.key"
  local node memory_mb ctld_port slurmd_port
  node=$(hostname -s)
  memory_mb=$(awk '/^MemTotal/ {printf "%d", $2 / 1024 * 0.8}' /proc/meminfo)
  ctld_port=$(_local_slurm_free_port)
  slurmd_port=$(_local_slurm_free_port)
  while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(_local_slurm_free_port); done
  cat > "$dir/slurm.conf" <<EOF
# A one-node SLURM for tests, written by scripts/lib/local_slurm.sh
ClusterName=genodose-local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
ReturnToService=2
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$memory_mb State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF=$dir/slurm.conf
  export LOCAL_SLURM_PARTITION=local
  timeout "$lifetime" munged -F --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed" \
    > "$dir/log/munged.out" 2>&1 &
  LOCAL_SLURM_PIDS+=($!)
  local i
  for i in $(seq 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.2; done
  timeout "$lifetime" slurmctld -D -i > "$dir/log/slurmctld.out" 2>&1 &
  LOCAL_SLURM_PIDS+=($!)
  timeout "$lifetime" slurmd -D -N "$node" > "$dir/log/slurmd.out" 2>&1 &
  LOCAL_SLURM_PIDS+=($!)
  for i in $(seq 60); do
    if [ "$(timeout 5 sinfo -h -o %t 2>/dev/null)" = idle ] &&
       timeout 20 srun -N1 -n1 -t 1 true > /dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  echo "local SLURM did not come up within 60 s; daemon logs:" >&2
  tail -n 5 "$dir"/log/*.log "$dir"/log/*.out >&2 2>/dev/null || true
  return 1
}

stop_local_slurm() {
  local pid
  # Jobs still running (a caller that failed half-way) end first: their slurmstepd would
  # otherwise outlive slurmd.
  if [ ${#LOCAL_SLURM_PIDS[@]} -gt 0 ]; then
    timeout 10 scancel --full --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 20); do [ -z "$(timeout 5 squeue -h 2>/dev/null)" ] && break; sleep 0.5; done
  fi
  for pid in "${LOCAL_SLURM_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${LOCAL_SLURM_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  LOCAL_SLURM_PIDS=()
}
