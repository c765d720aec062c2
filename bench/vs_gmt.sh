#!/usr/bin/env bash
# vs_gmt: per-frame wall time of `gmt movie` drawing the sample scene (GSHHG low-resolution
# coastlines, lakes and borders in the same Lambert conformal conic and extent, each flight's trail
# up to the current time, the aircraft as a vector along its heading with its callsign, the UTC
# clock in a box; 1920x1080 canvas, -Fmp4 with libx264 veryfast crf 23 yuv420p) divided by the
# per-frame wall time of
#   flightreplay render assets/samples -o X.mp4 --size 1920x1080 --frames FRAMES --fps 30 --crf 23 --preset veryfast -q
# Issue 8 quotes ~500 ms a frame for `gmt movie`.
#   bench/vs_gmt.sh [BUILD_DIR] [FRAMES] [GMT_FRAMES]   (default build/release, 300, 30)
# flightreplay: whole process / FRAMES, best of 3. GMT: the whole `gmt movie` run (background
# layer drawn once with -Sb, GMT_FRAMES frames built 2 at a time with -x2, ffmpeg at the end)
# / GMT_FRAMES, one run; the frames are spread evenly over the same FRAMES-frame clock. The scene
# (projection, extent, frame times) comes from bench/baseline_scene.py, run before the timing.
# FR_BENCH_KEEP=DIR keeps the videos there (to look at them). Prints the ratio last.
set -euo pipefail
shopt -s inherit_errexit
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build/release}
frames=${2:-300}
gmt_frames=${3:-30}
exe=$build/src/app/flightreplay
py=/usr/bin/python3   # Debian's interpreter, the one with the python3-* packages
[ -x "$exe" ] || { echo "no $exe: build the flightreplay target first" >&2; exit 1; }
work=$(mktemp -d /tmp/fr_vs_gmt.XXXXXX)
trap 'rm -rf "$work"' EXIT
if ! command -v gmt >/dev/null || ! command -v gs >/dev/null || ! command -v ffmpeg >/dev/null ||
   ! (cd "$work" && gmt coast -R0/10/40/50 -Dl -W -M >/dev/null 2>&1) ||
   ! "$py" -c 'import pyproj' 2>/dev/null; then
  echo "the GMT baseline needs Debian packages (bench only, not in scripts/setup.sh):" >&2
  echo "  apt-get install -y gmt gmt-gshhg-low gmt-dcw ghostscript ffmpeg python3-pyproj" >&2
  exit 1
fi

"$py" "$root/bench/baseline_scene.py" "$root/assets/samples" "$work" --frames "$gmt_frames" --timeline-frames "$frames"
# shellcheck disable=SC1091
. "$work/scene.sh"
# Pens and fonts: flightreplay's light theme sizes in pixels at 1080 lines, converted to points
# on GMT's 1080p canvas (24 cm at 80 dots/cm: 1 px = 72 / 203.2 pt).
cat >"$work/include.sh" <<EOF
REG=-R${CORNERS}+r
PROJ=-JL${LON0}/${LAT0}/${LAT1}/${LAT2}/24c
TRACK=$work/track.txt
EOF
cat >"$work/background.sh" <<'EOF'
gmt begin
  gmt coast $REG $PROJ -Dl -A500+l -G245/243/237 -S218/231/240 -W0.32p,120/140/158 -N1/0.28p,158/153/148 -X0 -Y0
gmt end
EOF
# The trail: fixes up to the frame's time plus the interpolated position, one segment per flight.
cat >"$work/main.sh" <<'EOF'
gmt begin
  gmt basemap $REG $PROJ -B+n -X0 -Y0
  awk -v t="$MOVIE_COL0" -v lon="$MOVIE_COL1" -v lat="$MOVIE_COL2" '
    /^>/ { seg_done = 0; prev_in = 0; print; next }
    seg_done { next }
    $3 <= t { print $1, $2; prev_in = 1; next }
    { if (prev_in) print lon, lat; seg_done = 1 }' "$TRACK" | gmt plot -W1.06p,217/71/15
  echo "$MOVIE_COL1 $MOVIE_COL2 $MOVIE_COL3 0.3c" | gmt plot -SV0.25c+e+h0 -W1.06p,217/71/15 -G217/71/15
  echo "$MOVIE_COL1 $MOVIE_COL2 RFF7203" | gmt text -F+f6.7p,Helvetica-Bold,26/26/31+jTL -D0.15c/-0.15c
  date -u -d "@${MOVIE_COL0%.*}" '+%Y-%m-%d %H:%M:%S UTC' |
    gmt text -F+cTL+f9.2p,Helvetica-Bold,26/26/31 -D0.3c/-0.3c -Gwhite -W0.3p,89/89/102 -C25%/25%
gmt end
EOF

ours() {  # -> wall seconds; appends CPU seconds (user + system) to $work/ours_cpu
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$exe" render "$root/assets/samples" -o "$work/ours.mp4" --size 1920x1080 --frames "$frames" --fps 30 \
    --crf 23 --preset veryfast -q
  awk '{print $2 + $3 >> "'"$work/ours_cpu"'"; print $1}' "$work/time"
}
gmt_movie() {  # -> wall seconds
  rm -rf "$work/movie" "$work/movie.mp4"
  (cd "$work" && /usr/bin/time -f '%e' -o "$work/time" gmt movie main.sh -Sbbackground.sh -Iinclude.sh -C1080p -Nmovie -Tframes.txt -D30 \
     -Fmp4+o"-preset veryfast -crf 23" -x2 -Ve -Z) 2>"$work/gmt.log" || { cat "$work/gmt.log" >&2; exit 1; }
  cat "$work/time"
}
best=999999
o=$(ours); printf 'flightreplay run 0: %.3f s for %d frames\n' "$o" "$frames"; best=$(echo "if ($o < $best) $o else $best" | bc -l)
g=$(gmt_movie); printf 'gmt movie: %.3f s for %d frames\n' "$g" "$gmt_frames"
for i in 1 2; do
  o=$(ours); printf 'flightreplay run %d: %.3f s for %d frames\n' "$i" "$o" "$frames"
  best=$(echo "if ($o < $best) $o else $best" | bc -l)
done
for f in "$work/movie.mp4" "$work/ours.mp4"; do
  printf '%s: %s\n' "$(basename "$f")" "$(ffprobe -v error -select_streams v:0 -count_frames \
    -show_entries stream=codec_name,width,height,pix_fmt,nb_read_frames -of csv=p=0 "$f")"
done
if [ -n "${FR_BENCH_KEEP:-}" ]; then mkdir -p "$FR_BENCH_KEEP"; cp "$work/movie.mp4" "$work/ours.mp4" "$FR_BENCH_KEEP/"; fi
ours_ms=$(echo "1000 * $best / $frames" | bc -l)
ours_cpu_ms=$(sort -g "$work/ours_cpu" | head -n1 | awk -v n="$frames" '{printf "%.2f", 1000 * $1 / n}')
gmt_ms=$(echo "1000 * $g / $gmt_frames" | bc -l)
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'per frame: flightreplay %.2f ms (%d frames, whole process, best of 3); gmt movie %.2f ms (%d frames, whole run)\n' \
  "$ours_ms" "$frames" "$gmt_ms" "$gmt_frames"
# gmt movie's frame jobs run detached from it, so /usr/bin/time cannot count their CPU: ours only.
printf 'CPU per frame (user + system, encoder included): flightreplay %s ms\n' "$ours_cpu_ms"
printf 'vs_gmt (gmt movie / flightreplay, per frame): %.2f\n' "$(echo "$gmt_ms / $ours_ms" | bc -l)"
