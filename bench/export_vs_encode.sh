#!/usr/bin/env bash
# export_vs_encode: wall time of `flightreplay render` to MP4 (1920x1080, 300 frames, 30 fps,
# libx264 veryfast crf 23) divided by the wall time of the ffmpeg command line encoding the same
# 300 frames from raw yuv420p in RAM (/dev/shm) with the same settings. Target <= 1.15.
# The raw frames are our own output decoded once (not timed). Best of N runs each, interleaved.
#   bench/export_vs_encode.sh [BUILD_DIR] [RUNS]      (default build/release, 3 runs)
# Prints the ratio last.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
runs=${2:-3}
exe=$build/src/app/flightreplay
[ -x "$exe" ] || { echo "no $exe: build the flightreplay target first" >&2; exit 1; }
command -v ffmpeg >/dev/null || { echo "ffmpeg (the CLI) is needed for the baseline" >&2; exit 1; }
work=$(mktemp -d /dev/shm/fr_bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
now() { date +%s.%N; }
render_cmd=("$exe" render "$root/assets/samples" -o "$work/ours.mp4" --size 1920x1080 --frames 300 --fps 30
            --crf 23 --preset veryfast -q)
render() { "${render_cmd[@]}"; }
render
ffmpeg -v error -y -i "$work/ours.mp4" -f rawvideo -pix_fmt yuv420p "$work/frames.yuv"
encode_cmd=(ffmpeg -v error -y -f rawvideo -pix_fmt yuv420p -s 1920x1080 -r 30 -i "$work/frames.yuv"
            -c:v libx264 -preset veryfast -crf 23 "$work/ffmpeg.mp4")
encode() { "${encode_cmd[@]}"; }
best_ours=999999 best_ff=999999
for ((i = 0; i < runs; i++)); do
  t0=$(now); render; t1=$(now); encode; t2=$(now)
  o=$(echo "$t1 - $t0" | bc -l); f=$(echo "$t2 - $t1" | bc -l)
  printf 'run %d: flightreplay render %.3f s, ffmpeg encode %.3f s\n' "$i" "$o" "$f"
  best_ours=$(echo "if ($o < $best_ours) $o else $best_ours" | bc -l)
  best_ff=$(echo "if ($f < $best_ff) $f else $best_ff" | bc -l)
done
# CPU seconds (user + system) of one run each: on a machine the encoder alone keeps busy, the
# wall-time ratio follows this ratio.
cpu() { /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" >/dev/null 2>&1; awk '{printf "%.2f", $1 + $2}' "$work/cpu"; }
printf 'CPU seconds: flightreplay %s, ffmpeg %s\n' "$(cpu "${render_cmd[@]}")" "$(cpu "${encode_cmd[@]}")"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'best: flightreplay %.3f s (%.1f fps), ffmpeg %.3f s (%.1f fps)\n' "$best_ours" "$(echo "300 / $best_ours" | bc -l)" \
  "$best_ff" "$(echo "300 / $best_ff" | bc -l)"
printf 'export_vs_encode: %.3f\n' "$(echo "$best_ours / $best_ff" | bc -l)"
