#!/usr/bin/env bash
# time_to_first_frame: wall time from starting `flightreplay render` to a finished one-frame
# 1920x1080 MP4 of the bundled sample (load, analyse, project, draw the static layer, open the
# encoder, draw, convert, encode, flush, mux), best of N runs; PNG-still figure beside it.
#   bench/time_to_first_frame.sh [BUILD_DIR] [RUNS]     (default build/release, 5 runs)
# Prints the MP4 figure last.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
runs=${2:-5}
exe=$build/src/app/flightreplay
[ -x "$exe" ] || { echo "no $exe: build the flightreplay target first" >&2; exit 1; }
work=$(mktemp -d /dev/shm/fr_ttff.XXXXXX)
trap 'rm -rf "$work"' EXIT
best() {  # best wall time of "$@" over $runs runs
  local b=999999 t0 t1 d
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N)
    d=$(echo "$t1 - $t0" | bc -l); b=$(echo "if ($d < $b) $d else $b" | bc -l)
  done
  printf '%.3f' "$b"
}
png=$(best "$exe" render "$root/assets/samples" -o "$work/still.png" --size 1920x1080 -q)
mp4=$(best "$exe" render "$root/assets/samples" -o "$work/one.mp4" --size 1920x1080 --frames 1 -q)
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "PNG still 1920x1080: $png s"
echo "time_to_first_frame (one-frame MP4, 1920x1080): $mp4 s"
