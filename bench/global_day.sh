#!/usr/bin/env bash
# A SYNTHETIC day of the world's traffic (tools/make_global_day.cpp: 50,000 aircraft, about 100 M
# fixes, readsb globe-history layout), packed as the published day archives are (one tar split
# into 2 GB parts, named "...-synthetic.tar.aa"), then measured on it:
#   1. info over the whole day: wall and CPU time, peak RSS, bytes per fix;
#   2. a 60 s 1080p time-lapse in the density style (--style density), with a frame every 10 s
#      extracted as PNG to look at;
#   3. stills of the track style at 06:00, 12:00 and 18:00 UTC.
# Usage: bench/global_day.sh [BUILD_DIR] [WORK_DIR] [AIRCRAFT]
# Needs ~12 GB free in WORK_DIR while the tree is packed. The time-lapse of the full day needs more
# than 24 GB of memory today (bench/README.md); a smaller AIRCRAFT count measures the same steps.
set -euo pipefail
build=${1:-build/release}
work=${2:-/tmp/fr-global-day}
aircraft=${3:-50000}
fr=$build/src/app/flightreplay
gen=$build/tools/fr_make_global_day
[ -x "$fr" ] && [ -x "$gen" ] || { echo "build flightreplay and fr_make_global_day first" >&2; exit 2; }
mkdir -p "$work"
name=v2025.02.05-planes-readsb-synthetic.tar
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ ! -e "$work/$name.aa" ]; then
    rm -rf "$work/tree-synthetic"
    /usr/bin/time -f "generate: %e s wall, %U s user" "$gen" "$work/tree-synthetic" --aircraft "$aircraft" | tee "$work/generated.txt"
    tar -cf "$work/$name" -C "$work/tree-synthetic" README-SYNTHETIC.txt traces
    rm -rf "$work/tree-synthetic"
    (cd "$work" && split -b 2000M "$name" "$name." && rm "$name")
fi
fixes=$(sed -n 's/.* legs, \([0-9]*\) fixes.*/\1/p' "$work/generated.txt")
ls -l "$work"/$name.a?
echo "fixes in the archive: $fixes"

measure() {  # label, command...: prints wall, CPU, peak RSS and bytes per fix
    local label=$1
    shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" || echo "$label: FAILED (exit status $?; killed when out of memory)" >&2
    read -r wall user sys kb < <(tail -1 "$work/time.txt")
    awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v k="$kb" -v n="$fixes" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
        printf "%s: %.1f s wall, %.1f s CPU (%.2f cores busy), peak RSS %.2f GB = %.1f bytes per fix (load %s)\n",
               l, w, u + s, (u + s) / w, k * 1024 / 1e9, k * 1024 / n, load }' >&2
}

measure "info" "$fr" info "$work/$name.aa" > "$work/info.txt"
grep -c '^Aircraft' "$work/info.txt" | sed 's/^/aircraft in info: /'
grep -c '^  Leg' "$work/info.txt" | sed 's/^/legs in info: /'
measure "density time-lapse 60 s 1080p" "$fr" render "$work/$name.aa" --style density --duration 60 --size 1920x1080 \
    -o "$work/day_density.mp4" -q
mkdir -p "$work/frames"
ffmpeg -loglevel error -y -i "$work/day_density.mp4" -vf fps=1/10 "$work/frames/density_%02d.png"
for at in 06 12 18; do
    measure "track-style still at ${at}:00Z" "$fr" render "$work/$name.aa" --at "2025-02-05T${at}:00:00Z" --size 1920x1080 \
        -o "$work/frames/tracks_${at}h.png" -q
done
ls "$work/frames"
