#!/usr/bin/env bash
# Renders the bundled samples as a Slurm job array (scripts/slurm_render.sh) on a single-node
# Slurm this script starts, and checks that the joined video is the single `--threads 1` render
# byte for byte. Installs nothing: needs root and Debian's slurm-wlm (slurmctld, slurmd, sbatch).
#   slurm_render_test.sh FLIGHTREPLAY [WORKERS]     (WORKERS: array tasks at once, default 2)
# For timings, FR_SLURM_SIZE, FR_SLURM_DURATION (s), FR_SLURM_FPS and FR_SLURM_SHARDS replace the
# small default video (480x270, 15 s at 10 fps, 3 shards of one 5 s GOP each).
# Exit 0 passed, 1 failed, 77 skipped (not root, Slurm not installed, daemons not up in 30 s).
# The private slurm.conf avoids every cgroup plugin: here they fail silently (the job reports
# COMPLETED with no output and the node drains while `sbatch --wait` exits 0), so the test
# never trusts sbatch's exit status and checks each shard and the node's state itself.
set -uo pipefail

exe=$(realpath "${1:?usage: slurm_render_test.sh FLIGHTREPLAY [WORKERS]}")
workers=${2:-2}
[[ -x $exe ]] || { echo "FAIL: '$1' is not an executable" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

skip() { echo "SKIP: $*" >&2; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }

(($(id -u) == 0)) || skip "needs root to start slurmctld and slurmd (SlurmUser=root)"
for c in slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$c" >/dev/null || skip "'$c' not found (Debian package slurm-wlm)"
done

dir=$(mktemp -d "${TMPDIR:-/tmp}/fr-slurm.XXXXXX")
ctld_pid="" slurmd_pid=""
cleanup() {
  for p in $slurmd_pid $ctld_pid; do kill "$p" 2>/dev/null; done
  for p in $slurmd_pid $ctld_pid; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  if [[ ${keep:-0} == 1 ]]; then echo "kept $dir" >&2; else rm -rf "$dir"; fi
}
trap cleanup EXIT

# Two free TCP ports (bound, then released: a small race, acceptable for a test).
read -r ctld_port slurmd_port < <(python3 -c '
import socket
s=[socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1",0))
print(*[x.getsockname()[1] for x in s])')
node=$(hostname -s)
mkdir -p "$dir/state" "$dir/spool" "$dir/shards"
cat > "$dir/slurm.conf" <<EOF
ClusterName=frtest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$dir/slurm.conf

slurmctld -D -i -f "$SLURM_CONF" > "$dir/slurmctld.out" 2>&1 &
ctld_pid=$!
slurmd -D -f "$SLURM_CONF" -N "$node" > "$dir/slurmd.out" 2>&1 &
slurmd_pid=$!
state=""
for _ in $(seq 60); do
  state=$(sinfo -h -n "$node" -o %T 2>/dev/null | head -1)
  [[ $state == idle ]] && break
  sleep 0.5
done
if [[ $state != idle ]]; then
  tail -n 5 "$dir/slurmctld.log" "$dir/slurmd.log" "$dir/slurmctld.out" "$dir/slurmd.out" >&2 2>/dev/null
  skip "single-node Slurm not up in 30 s (node state '${state:-none}')"
fi
echo "slurm: node $node idle (slurmctld pid $ctld_pid, slurmd pid $slurmd_pid, ports $ctld_port/$slurmd_port)" >&2

# Default: 15 s at 10 fps, 150 frames, three 5 s GOPs, three shards.
size=${FR_SLURM_SIZE:-480x270} duration=${FR_SLURM_DURATION:-15} fps=${FR_SLURM_FPS:-10} shards=${FR_SLURM_SHARDS:-3}
render=("$repo/assets/samples" --size "$size")
t0=$(date +%s.%N)
"$exe" render "${render[@]}" --duration "$duration" --fps "$fps" --threads 1 -q -o "$dir/single.mp4" || fail "single render failed"
t1=$(date +%s.%N)

start=$(date +%s.%N)
"$repo/scripts/slurm_render.sh" submit --flightreplay "$exe" --duration "$duration" --fps "$fps" --shards "$shards" \
  --max-parallel "$workers" --dir "$dir/shards" -o "$dir/joined.mp4" -- "${render[@]}"
rc=$?
end=$(date +%s.%N)
# Makespan: submission to the last shard written (sbatch --wait itself polls every few seconds).
last=$(stat -c %.9Y "$dir"/shards/*.mp4 2>/dev/null | sort -n | tail -1)
echo "slurm: $size, $duration s at $fps fps, load average $(cut -d' ' -f1-3 /proc/loadavg): single render $(python3 -c "print(f'{$t1 - $t0:.2f}')") s; $shards shards, at most $workers at once: last shard written $(python3 -c "print(f'{${last:-$end} - $start:.2f}')") s after submission, joined $(python3 -c "print(f'{$end - $start:.1f}')") s after; slurm_render.sh exit $rc" >&2

ok=1
for ((i = 0; i < shards; i++)); do
  f="$dir/shards/$(printf %03d $i).mp4"
  [[ -s $f ]] || { echo "FAIL: shard $f missing; its log:" >&2; cat "$dir/shards/slurm-$i.log" >&2 2>/dev/null; ok=0; }
done
state=$(sinfo -h -n "$node" -o %T 2>/dev/null | head -1)
[[ $state == drain* || $state == drng* || $state == down* || -z $state ]] && { echo "FAIL: node state '$state' after the job array" >&2; ok=0; }
((ok)) || { keep=1; fail "job array did not produce every shard"; }
((rc == 0)) || fail "slurm_render.sh exited $rc"
cmp "$dir/joined.mp4" "$dir/single.mp4" || fail "joined video differs from the single --threads 1 render"

# A task that fails (an input that does not exist) must fail the whole run, naming the shard,
# even though sbatch accepted the array.
"$repo/scripts/slurm_render.sh" submit --flightreplay "$exe" --duration 10 --fps 10 --shards 2 \
  --dir "$dir/bad" -o "$dir/bad.mp4" -- "$dir/no-such-input" 2> "$dir/bad.err"
rc=$?
((rc == 1)) || { cat "$dir/bad.err" >&2; fail "slurm_render.sh exited $rc with a failing task, expected 1"; }
grep -q "shard missing.*000.mp4" "$dir/bad.err" || { cat "$dir/bad.err" >&2; fail "the failing shard is not named"; }
[[ ! -e $dir/bad.mp4 ]] || fail "a join was written although shards were missing"
echo "PASS: $shards Slurm array shards joined into the single render, byte for byte ($(stat -c %s "$dir/joined.mp4") bytes)"
