#!/usr/bin/env bash
# Renders one video as a Slurm job array of shards on the 5 s keyframe grid and joins them with
# `flightreplay concat` (docs/scale-out.md explains why grid-aligned shards join into the single
# render's file byte for byte).
#
#   scripts/slurm_render.sh print  [options] -- INPUT... [render options]   # the job script, on stdout
#   scripts/slurm_render.sh submit [options] -- INPUT... [render options]   # submit, wait, check, join
#
# Options:
#   -o, --output FILE       joined video (.mp4, .webm, .mkv); required for submit
#   --duration S --fps F    video length in seconds and frame rate (integers); required
#   --shards K              number of array tasks (default 4; at most one per 5 s GOP)
#   --max-parallel P        at most P tasks at once (sbatch --array=...%P); default: no limit
#   --dir DIR               shard directory, on storage every node sees (default OUTPUT.shards)
#   --flightreplay PATH     the executable the tasks run (default: `flightreplay` on PATH)
#   --sbatch ARG            one extra sbatch argument (repeatable), e.g. --sbatch --partition=render
#
# Every shard runs with `--threads 1` and the same options apart from --frames and -o. `submit`
# waits for the array by polling squeue and never trusts Slurm's word that a task succeeded (a
# task can fail while its state says COMPLETED): it checks that every shard file exists before
# joining, and names the missing ones otherwise.
# Exit status: 0 joined, 1 a shard or the join failed, 2 usage.
set -euo pipefail

usage() { echo "slurm_render.sh: $1 (see the comment at the top of ${BASH_SOURCE[0]})" >&2; exit 2; }

(($# >= 1)) || usage "no verb: print or submit"
verb=$1; shift
[[ $verb == print || $verb == submit ]] || usage "unknown verb '$verb': print or submit"

output="" duration="" fps="" shards=4 max_parallel="" dir="" exe=flightreplay
sbatch_args=()
while (($#)); do
  case $1 in
    -o|--output) output=${2-}; shift 2 ;;
    --duration) duration=${2-}; shift 2 ;;
    --fps) fps=${2-}; shift 2 ;;
    --shards) shards=${2-}; shift 2 ;;
    --max-parallel) max_parallel=${2-}; shift 2 ;;
    --dir) dir=${2-}; shift 2 ;;
    --flightreplay) exe=${2-}; shift 2 ;;
    --sbatch) sbatch_args+=("${2-}"); shift 2 ;;
    --) shift; break ;;
    *) usage "unknown option '$1' (render's own options go after --)" ;;
  esac
done
render_args=("$@")
((${#render_args[@]})) || usage "no input after --"
is_int() { [[ $1 =~ ^[0-9]+$ ]] && (($1 > 0)); }
is_int "$duration" || usage "--duration must be a positive whole number of seconds, got '$duration'"
is_int "$fps" || usage "--fps must be a positive whole number, got '$fps'"
is_int "$shards" || usage "--shards must be a positive whole number, got '$shards'"
[[ -z $max_parallel ]] || is_int "$max_parallel" || usage "--max-parallel must be a positive whole number, got '$max_parallel'"
[[ $verb == print || -n $output ]] || usage "submit needs -o OUTPUT"
for a in "${render_args[@]}"; do
  case $a in
    -o|--output|--frames|--threads|--duration|--fps) usage "'$a' is set by the script; leave it out of the render options" ;;
  esac
done

frames=$((duration * fps))  # N
gop=$((5 * fps))            # G: keyframes every 5 s of video
gops=$(((frames + gop - 1) / gop))  # M
((shards <= gops)) || shards=$gops
[[ -n $dir ]] || dir="${output:-replay.mp4}.shards"
if [[ $verb == submit ]]; then
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  exe_path=$(command -v "$exe") || usage "cannot find the executable '$exe'"
  exe=$(cd "$(dirname "$exe_path")" && pwd)/$(basename "$exe_path")
fi

# The job script: shard i renders GOPs i*M/K .. (i+1)*M/K - 1, i.e. frames A..B-1.
job_script() {
  local array="0-$((shards - 1))"
  [[ -z $max_parallel ]] || array+="%$max_parallel"
  printf '#!/bin/bash\n'
  printf '#SBATCH --job-name=fr-shards\n#SBATCH --array=%s\n#SBATCH --cpus-per-task=1\n#SBATCH --ntasks=1\n' "$array"
  printf '#SBATCH --output=%q/slurm-%%a.log\n' "$dir"
  printf 'set -eu\n'
  printf 'K=%d N=%d G=%d M=%d i=$SLURM_ARRAY_TASK_ID\n' "$shards" "$frames" "$gop" "$gops"
  printf 'a=$(( i * M / K * G )) b=$(( (i + 1) * M / K * G )); [ "$b" -gt "$N" ] && b=$N\n'
  printf 'exec %q render' "$exe"
  printf ' %q' "${render_args[@]}"
  printf ' --duration %d --fps %d --frames "$a:$b" --threads 1 -o %q/"$(printf %%03d "$i")".mp4\n' "$duration" "$fps" "$dir"
}

if [[ $verb == print ]]; then
  job_script
  exit 0
fi

job="$dir/render-shards.sbatch"
job_script > "$job"
for ((i = 0; i < shards; i++)); do rm -f "$dir/$(printf %03d "$i").mp4"; done
# Submit, then poll the array's tasks once a second until none is pending or running (sbatch
# --wait polls at growing intervals, up to ~30 s late here). sbatch's exit status is not
# trusted either way: the shard files are checked below.
jid=$(sbatch --parsable "${sbatch_args[@]}" "$job") || { echo "slurm_render.sh: sbatch failed" >&2; exit 1; }
jid=${jid%%;*}
echo "slurm_render.sh: job array $jid, $shards shard(s) in $dir" >&2
errors=0
while :; do
  if out=$(squeue -h -j "$jid" -o %T 2>&1); then
    errors=0
    grep -qvE '^(COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE|PREEMPTED|SPECIAL_EXIT)|^$' <<<"$out" || break
  elif grep -qi 'invalid job id' <<<"$out"; then
    break  # finished and already purged from the controller
  elif ((++errors >= 120)); then
    echo "slurm_render.sh: squeue failing for 2 minutes: $out" >&2
    exit 1
  fi
  sleep 1
done
missing=() inputs=()
for ((i = 0; i < shards; i++)); do
  f="$dir/$(printf %03d "$i").mp4"
  if [[ -s $f ]]; then inputs+=("$f"); else missing+=("$f (log: $dir/slurm-$i.log)"); fi
done
if ((${#missing[@]})); then
  printf 'slurm_render.sh: shard missing after the job array ended: %s\n' "${missing[@]}" >&2
  exit 1
fi
"$exe" concat "${inputs[@]}" -o "$output" -q
