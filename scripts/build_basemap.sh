#!/bin/sh
# Builds assets/basemap/naturalearth_{50m,110m}.gpkg from the npm package world-atlas
# (TopoJSON of Natural Earth, public domain). Run once; the outputs are committed.
#
#   npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz   # -> ./package
#   scripts/build_basemap.sh ./package
#
# Needs GDAL >= 3.1 with GEOS (ogr2ogr -makevalid) and /usr/bin/python3 (stdlib only).
# Layers: land, countries (name, id), borders (left, right), coastline (name).
# See scripts/build_basemap.py for how borders/coastline come from the shared arcs and how
# the antimeridian is handled; see assets/SOURCES.md.
set -eu

PKG=${1:?usage: build_basemap.sh WORLD_ATLAS_PACKAGE_DIR [OUT_DIR]}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${2:-$HERE/../assets/basemap}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Pin the timestamps GDAL writes into gpkg_contents so a rebuild gives the same bytes.
PIN="--config OGR_CURRENT_DATE 2020-01-01T00:00:00.000Z"

mkdir -p "$OUT"
for RES in 50m 110m; do
    DST="$OUT/naturalearth_$RES.gpkg"
    rm -f "$DST"
    /usr/bin/python3 "$HERE/build_basemap.py" "$PKG/countries-$RES.json" "$TMP/$RES"
    for L in countries land; do
        # 1. cut rings that were unwrapped past +180 at the antimeridian and shift them back;
        ogr2ogr $PIN -f GPKG "$TMP/${RES}_$L.gpkg" "$TMP/$RES/$L.geojson" -nln "$L" \
            -s_srs EPSG:4326 -t_srs EPSG:4326 -wrapdateline -datelineoffset 0 -nlt MULTIPOLYGON
        # 2. then make every polygon valid (a separate pass so it runs after the cut).
        UPD=""; [ -f "$DST" ] && UPD="-update"
        ogr2ogr $PIN -f GPKG $UPD "$DST" "$TMP/${RES}_$L.gpkg" "$L" -nln "$L" \
            -makevalid -nlt MULTIPOLYGON
    done
    for L in borders coastline; do
        ogr2ogr $PIN -f GPKG -update "$DST" "$TMP/$RES/$L.geojson" -nln "$L" \
            -a_srs EPSG:4326 -nlt MULTILINESTRING
    done
    # Checks: extents inside [-180, 180], every polygon valid, Russia present.
    for L in land countries borders coastline; do
        ogrinfo -so "$DST" "$L" | grep -E '^(Feature Count|Extent)' | sed "s/^/$RES $L: /"
        ogrinfo -so "$DST" "$L" | grep '^Extent' | tr -d '()' | tr ',' ' ' | awk \
            '{ if ($2 < -180 || $5 > 180 || $3 < -90 || $6 > 90) { print "extent out of range"; exit 1 } }'
    done
    for L in land countries; do
        N=$(ogrinfo -q -sql "SELECT COUNT(*) AS n FROM $L WHERE NOT ST_IsValid(geom)" "$DST" | awk '/n \(Integer\)/ {print $4}')
        [ "$N" = 0 ] || { echo "$RES $L: $N invalid geometries" >&2; exit 1; }
    done
    R=$(ogrinfo -q -sql "SELECT COUNT(*) AS n FROM countries WHERE name = 'Russia' AND ST_IsValid(geom)" "$DST" | awk '/n \(Integer\)/ {print $4}')
    [ "$R" = 1 ] || { echo "$RES: Russia missing or invalid" >&2; exit 1; }
    ls -l "$DST"
done
