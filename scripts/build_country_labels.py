#!/usr/bin/python3
"""Builds assets/places/countries.csv: one label point per country of the bundled basemap.

Usage: scripts/build_country_labels.py [BASEMAP.gpkg] [OUT.csv]
Defaults: assets/basemap/naturalearth_50m.gpkg -> assets/places/countries.csv. Needs python3-gdal.

For each feature of the `countries` layer (Natural Earth names): the largest polygon part
(France's label belongs in Europe, not French Guiana), a point inside it (GEOS point on
surface) and that part's area in km^2 (square degrees x cos(latitude) x 111.195^2, about 1%
for labelling). Columns name,lon,lat,area_km2, sorted by area (largest first), then name.
"""
import csv
import math
import sys
from pathlib import Path

from osgeo import ogr

HERE = Path(__file__).resolve().parent


def main():
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "assets/basemap/naturalearth_50m.gpkg"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "assets/places/countries.csv"
    ds = ogr.Open(str(src))
    rows = []
    for f in ds.GetLayerByName("countries"):
        g = f.GetGeometryRef()
        name = f.GetField("name")
        if g is None or not name:
            continue
        parts = [g.GetGeometryRef(i) for i in range(g.GetGeometryCount())] if g.GetGeometryType() == ogr.wkbMultiPolygon else [g]
        best = max(parts, key=lambda p: p.GetArea())
        pt = best.PointOnSurface()
        lon, lat = pt.GetX(), pt.GetY()
        area = best.GetArea() * 111.195 ** 2 * math.cos(math.radians(lat))
        rows.append((name, round(lon, 4), round(lat, 4), round(area)))
    rows.sort(key=lambda r: (-r[3], r[0]))
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "lon", "lat", "area_km2"])
        w.writerows(rows)
    print(f"{out}: {len(rows)} countries", file=sys.stderr)


if __name__ == "__main__":
    main()
