#!/bin/sh
# Builds GSHHG GeoPackages (land, lakes, islands in lakes, rivers) from Debian's GMT data.
#
#   scripts/build_gshhg.sh                 crude and low  -> assets/basemap/gshhg_{c,l}.gpkg (committed)
#   scripts/build_gshhg.sh DIR i h [f]     other resolutions -> DIR/gshhg_{i,h,f}.gpkg (set-up, build tree)
#
# Source: GSHHG 2.3.7 (Wessel and Smith, LGPL-3), as binned netCDF in Debian's gmt-gshhg-low
# (crude, low), gmt-gshhg-high (intermediate, high) and gmt-gshhg-full (full). GDAL cannot
# read GMT's binned files, so `gmt coast -M` dumps them and scripts/build_gshhg.py chains,
# polygonises (GEOS) and writes them. Needs: gmt, gmt-gshhg-*, python3-gdal.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v gmt >/dev/null || { echo "build_gshhg.sh: gmt not found (apt-get install gmt gmt-gshhg-low gmt-gshhg-high)" >&2; exit 1; }
if [ $# -eq 0 ]; then
    out="$here/../assets/basemap"
    set -- c l
else
    out=$1
    shift
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"  # gmt writes gmt.history in the working directory
for r in "$@"; do
    /usr/bin/python3 "$here/build_gshhg.py" "$r" "$work/gshhg_$r.gpkg"
    mv "$work/gshhg_$r.gpkg" "$out/gshhg_$r.gpkg"
done
