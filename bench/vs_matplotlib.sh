#!/usr/bin/env bash
# vs_matplotlib: per-frame wall time of a matplotlib + cartopy animation of the sample scene
# (bench/matplotlib_cartopy.py: same 1920x1080 size, Natural Earth 50m basemap, Lambert conformal
# conic and extent, trails, marker, UTC clock; H.264 through matplotlib's FFMpegWriter, libx264
# veryfast crf 23 yuv420p) divided by the per-frame wall time of
#   flightreplay render assets/samples -o X.mp4 --size 1920x1080 --frames FRAMES --fps 30 --crf 23 --preset veryfast -q
# Issue 8's target: >= 12.
#   bench/vs_matplotlib.sh [BUILD_DIR] [FRAMES] [MPL_FRAMES]   (default build/release, 300, 60)
# flightreplay: whole process (start, load, analyse, draw, encode, flush) / FRAMES, best of 3.
# matplotlib: MPL_FRAMES frames spread evenly over the same FRAMES-frame clock, setup (reading
# the basemap, first draw, projecting it) NOT counted, one run per mode: "blit" (static map
# drawn once, animated artists re-drawn over it: the fast way) and "funcanimation"
# (FuncAnimation.save: the documented way; every frame redraws the figure). The figure printed
# last uses the faster of the two. Prints the ratio last.
set -euo pipefail
shopt -s inherit_errexit
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
frames=${2:-300}
mpl_frames=${3:-60}
exe=$build/src/app/flightreplay
py=/usr/bin/python3   # Debian's interpreter, the one with the python3-* packages
[ -x "$exe" ] || { echo "no $exe: build the flightreplay target first" >&2; exit 1; }
if ! command -v ffmpeg >/dev/null || ! "$py" -c 'import matplotlib, cartopy, shapely, pyproj, numpy; from osgeo import ogr' 2>/dev/null; then
  echo "the matplotlib + cartopy baseline needs Debian packages (bench only, not in scripts/setup.sh):" >&2
  echo "  apt-get install -y python3-matplotlib python3-cartopy python3-gdal ffmpeg" >&2
  exit 1
fi
work=$(mktemp -d /tmp/fr_vs_mpl.XXXXXX)
trap 'rm -rf "$work"' EXIT
ours() {  # -> wall seconds; appends CPU seconds (user + system) to $work/ours_cpu
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$exe" render "$root/assets/samples" -o "$work/ours.mp4" --size 1920x1080 --frames "$frames" --fps 30 \
    --crf 23 --preset veryfast -q
  awk '{print $2 + $3 >> "'"$work/ours_cpu"'"; print $1}' "$work/time"
}
mpl() {  # mode -> frame_ms; writes cpu_frame_ms to $work/cpu_<mode>
  local line
  line=$("$py" "$root/bench/matplotlib_cartopy.py" "$root/assets/samples" -o "$work/mpl_$1.mp4" \
    --basemap "$root/assets/basemap/naturalearth_50m.gpkg" --frames "$mpl_frames" --timeline-frames "$frames" \
    --fps 30 --size 1920x1080 --mode "$1" | tail -n1)
  echo "matplotlib --mode $1: $line" >&2
  local cpu=${line#*cpu_frame_ms=}
  echo "${cpu%% *}" >"$work/cpu_$1"
  echo "${line##* frame_ms=}"
}
best=999999
o=$(ours); printf 'flightreplay run 0: %.3f s for %d frames\n' "$o" "$frames"; best=$(echo "if ($o < $best) $o else $best" | bc -l)
blit_ms=$(mpl blit)
fa_ms=$(mpl funcanimation)
for i in 1 2; do
  o=$(ours); printf 'flightreplay run %d: %.3f s for %d frames\n' "$i" "$o" "$frames"
  best=$(echo "if ($o < $best) $o else $best" | bc -l)
done
for f in "$work"/mpl_*.mp4 "$work/ours.mp4"; do
  printf '%s: %s\n' "$(basename "$f")" "$(ffprobe -v error -select_streams v:0 -count_frames \
    -show_entries stream=codec_name,width,height,pix_fmt,nb_read_frames -of csv=p=0 "$f")"
done
if [ -n "${FR_BENCH_KEEP:-}" ]; then mkdir -p "$FR_BENCH_KEEP"; cp "$work"/mpl_*.mp4 "$work/ours.mp4" "$FR_BENCH_KEEP/"; fi
ours_ms=$(echo "1000 * $best / $frames" | bc -l)
ours_cpu_ms=$(sort -g "$work/ours_cpu" | head -n1 | awk -v n="$frames" '{printf "%.2f", 1000 * $1 / n}')
mpl_ms=$(echo "if ($blit_ms < $fa_ms) $blit_ms else $fa_ms" | bc -l)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'per frame: flightreplay %.2f ms (%d frames, whole process, best of 3); matplotlib+cartopy blit %.2f ms, funcanimation %.2f ms (%d frames, setup excluded)\n' \
  "$ours_ms" "$frames" "$blit_ms" "$fa_ms" "$mpl_frames"
printf 'CPU per frame (user + system, encoder included): flightreplay %s ms, matplotlib blit %s ms, funcanimation %s ms\n' \
  "$ours_cpu_ms" "$(cat "$work/cpu_blit")" "$(cat "$work/cpu_funcanimation")"
printf 'funcanimation / flightreplay: %.2f\n' "$(echo "$fa_ms / $ours_ms" | bc -l)"
printf 'vs_matplotlib (faster matplotlib mode / flightreplay, per frame): %.2f\n' "$(echo "$mpl_ms / $ours_ms" | bc -l)"
