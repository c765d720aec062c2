#!/usr/bin/python3
"""Builds a GSHHG GeoPackage (land, lakes, islands in lakes, rivers) from GMT's dump.

Usage: scripts/build_gshhg.py RES OUT.gpkg   (RES: c crude, l low, i intermediate, h high, f full)
Called by scripts/build_gshhg.sh, which says where the data come from. Needs `gmt` (Debian gmt
with gmt-gshhg-*) and GDAL's Python bindings (python3-gdal; GEOS does the polygonising).

GMT keeps GSHHG in binned netCDF that GDAL cannot read. `gmt coast -M` dumps the shorelines
as pieces cut at the bin edges; this script
  1. reads the pieces of each level (1 land, 2 lake, 3 island in a lake);
  2. closes the pieces left open at the edge of the world: on each of the meridians +-180
     the open ends are sorted by latitude and joined in pairs along the meridian, except the
     southernmost pair (Antarctica), which is joined through the south pole (lat -90);
  3. nodes the pieces (a GEOS union), polygonises them (OGR Geometry.Polygonize) and makes
     them valid;
  4. writes EPSG:4326 layers `land`, `lakes`, `lake_islands` (polygons, field `level`) and
     `rivers` (lines, field `class`: 1 major permanent, 2 additional major) to a GeoPackage
     with R-tree spatial indexes. GDAL's timestamps are pinned so a rebuild gives the same bytes.
"""
import os
import subprocess
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
EPS = 1e-7  # degrees: an end "on" the meridian +-180 (GMT writes 180 exactly)


def dump(args):
    out = subprocess.run(["gmt", "coast", "-Rd", "-M"] + args, check=True, capture_output=True, text=True).stdout
    segs, cur = [], None
    for line in out.splitlines():
        if line.startswith(">"):
            cur = []
            segs.append((line, cur))
        elif line.strip():
            x, y = line.split()[:2]
            cur.append((float(x), float(y)))
    return [(h, s) for h, s in segs if len(s) >= 2]


def level_pieces(res, level):
    return [s for _, s in dump([f"-D{res}", "-W", f"-A0/{level}/{level}"])]


def close_at_edges(pieces):
    """Adds joining lines along lon = +-180 (and through the south pole) for open ends."""
    ends = {}  # (meridian) -> list of latitudes of open ends
    count = {}
    for p in pieces:
        for q in (p[0], p[-1]):
            count[q] = count.get(q, 0) + 1
    for q, n in count.items():
        if n % 2 == 1 and abs(abs(q[0]) - 180) < EPS:
            ends.setdefault(180.0 if q[0] > 0 else -180.0, []).append(q[1])
    extra = []
    south = {}
    for lon, lats in ends.items():
        lats.sort()
        if len(lats) % 2 == 1:  # Antarctica's coast reaches the meridian once on each side
            south[lon] = lats.pop(0)
        for a, b in zip(lats[0::2], lats[1::2]):
            extra.append([(lon, a), (lon, b)])
    if len(south) == 2:
        extra.append([(180.0, south[180.0]), (180.0, -90.0), (-180.0, -90.0), (-180.0, south[-180.0])])
    elif south:
        raise SystemExit(f"unpaired open end at the antimeridian: {south}")
    return extra


def polygons(pieces):
    ml = ogr.Geometry(ogr.wkbMultiLineString)
    for p in pieces + close_at_edges(pieces):
        ls = ogr.Geometry(ogr.wkbLineString)
        for x, y in p:
            ls.AddPoint_2D(x, y)
        ml.AddGeometry(ls)
    # GMT's pieces meet at shared ends but a few also touch or cross between vertices; GEOS
    # polygonises only fully noded linework (without this, Eurasia was dropped), so node it
    # first with a union.
    polys = ml.Union(ml.GetGeometryRef(0)).Polygonize()
    out = []
    if polys is None:
        return out
    for i in range(polys.GetGeometryCount()):
        g = polys.GetGeometryRef(i).Clone()
        if not g.IsValid():
            g = g.MakeValid()
        out.append(g)
    return out


def main():
    res, path = sys.argv[1], sys.argv[2]
    os.environ.setdefault("OGR_CURRENT_DATE", "2000-01-01T00:00:00Z")
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00Z")
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    total = {}
    for name, level in (("land", 1), ("lakes", 2), ("lake_islands", 3)):
        lyr = ds.CreateLayer(name, srs, ogr.wkbMultiPolygon, ["SPATIAL_INDEX=YES"])
        lyr.CreateField(ogr.FieldDefn("level", ogr.OFTInteger))
        ds.StartTransaction()
        n = 0
        for g in polygons(level_pieces(res, level)):
            mp = ogr.ForceToMultiPolygon(g)
            if mp.IsEmpty():
                continue
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("level", level)
            f.SetGeometry(mp)
            lyr.CreateFeature(f)
            n += 1
        ds.CommitTransaction()
        total[name] = n
    lyr = ds.CreateLayer("rivers", srs, ogr.wkbLineString, ["SPATIAL_INDEX=YES"])
    lyr.CreateField(ogr.FieldDefn("class", ogr.OFTInteger))
    ds.StartTransaction()
    n = 0
    for cls in (1, 2):
        for _, s in dump([f"-D{res}", f"-I{cls}"]):
            ls = ogr.Geometry(ogr.wkbLineString)
            for x, y in s:
                ls.AddPoint_2D(x, y)
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetField("class", cls)
            f.SetGeometry(ls)
            lyr.CreateFeature(f)
            n += 1
    ds.CommitTransaction()
    total["rivers"] = n
    ds = None
    print(f"{path}: " + ", ".join(f"{k} {v}" for k, v in total.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
