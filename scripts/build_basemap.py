#!/usr/bin/python3
"""Decode a world-atlas TopoJSON (Natural Earth) into antimeridian-safe GeoJSON layers.

Used by scripts/build_basemap.sh; standard library only (Debian's /usr/bin/python3).

Writes four GeoJSON files into OUT_DIR:
  countries.geojson  polygons with `name` and `id` (ISO 3166-1 numeric as in world-atlas)
  land.geojson       polygons
  borders.geojson    lines: arcs shared by two *different* countries, each arc once,
                     with `left`/`right` country names
  coastline.geojson  lines: arcs used by exactly one country (land/sea edge), with `name`

Antimeridian: world-atlas stitches rings across +-180 (Chukotka, Fiji, Antarctica), so a ring
may jump from +179.9 to -180. Here
  * lines are split at 180 degrees (latitude of the crossing linearly interpolated in lon/lat
    over the one short segment that crosses; segments are ~0.2 degrees long at 50m),
  * closed rings that cross are unwrapped (made continuous, lon may exceed 180) and left for
    `ogr2ogr -wrapdateline` to cut at 180 and shift back,
  * rings that wind once around a pole (Antarctica's coast, net 360 degrees of longitude) are
    turned into a planar ring closed along the pole (lat -90 or 90), and the pole-edge ring that
    world-atlas adds at lat -89.999 is dropped (it is not a coastline either).
"""
import json
import sys
from pathlib import Path

POLE_EDGE_LAT = 89.99  # world-atlas draws the south pole edge at -89.999 degrees


def decode_arcs(topo):
    tr = topo.get("transform")
    arcs = []
    for a in topo["arcs"]:
        pts = []
        if tr:
            sx, sy = tr["scale"]
            tx, ty = tr["translate"]
            x = y = 0
            for dx, dy in a:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [tuple(p[:2]) for p in a]
        arcs.append(pts)
    return arcs


def arc_points(arcs, i):
    return arcs[i] if i >= 0 else arcs[~i][::-1]


def ring_points(arcs, ring):
    out = []
    for i in ring:
        p = arc_points(arcs, i)
        out.extend(p if not out else p[1:])
    return out


def crossing_lat(a, b):
    """Latitude where segment a->b (which jumps across +-180) meets the antimeridian."""
    ax, ay = a
    bx, by = b
    if bx < ax:
        bx += 360.0  # eastward across 180
        t = (180.0 - ax) / (bx - ax) if bx != ax else 0.0
    else:
        bx -= 360.0  # westward across -180
        t = (-180.0 - ax) / (bx - ax) if bx != ax else 0.0
    return ay + t * (by - ay)


def split_line(pts):
    """Splits a lon/lat polyline wherever it jumps across the antimeridian."""
    parts = [[pts[0]]]
    for a, b in zip(pts, pts[1:]):
        if abs(b[0] - a[0]) > 180.0:
            lat = crossing_lat(a, b)
            east = b[0] < a[0]  # a near +180, b near -180
            if abs(a[0]) != 180.0:
                parts[-1].append((180.0 if east else -180.0, lat))
            parts.append([] if abs(b[0]) == 180.0 else [(-180.0 if east else 180.0, lat)])
        parts[-1].append(b)
    return [p for p in parts if len(p) >= 2]


def net_lon(pts):
    tot = 0.0
    for a, b in zip(pts, pts[1:]):
        d = b[0] - a[0]
        if d > 180.0:
            d -= 360.0
        elif d < -180.0:
            d += 360.0
        tot += d
    return tot


def unwrap(pts):
    out = [pts[0]]
    for b in pts[1:]:
        x = b[0]
        px = out[-1][0]
        while x - px > 180.0:
            x -= 360.0
        while x - px < -180.0:
            x += 360.0
        out.append((x, b[1]))
    return out


def fix_ring(pts):
    """Returns a planar ring (list of (lon, lat)) or None to drop the ring."""
    crosses = any(abs(b[0] - a[0]) > 180.0 for a, b in zip(pts, pts[1:]))
    if not crosses:
        return pts
    net = net_lon(pts)
    if abs(net) < 1.0:
        u = unwrap(pts)
        lo = min(p[0] for p in u)
        if lo >= 180.0:
            u = [(x - 360.0, y) for x, y in u]
        elif lo < -180.0:
            u = [(x + 360.0, y) for x, y in u]
        return u  # may extend past +180: ogr2ogr -wrapdateline cuts it
    # Winds once around a pole.
    if all(abs(p[1]) > POLE_EDGE_LAT for p in pts):
        return None  # the artificial pole edge
    k = next(i for i, (a, b) in enumerate(zip(pts, pts[1:])) if abs(b[0] - a[0]) > 180.0)
    seq = pts[k + 1:] + pts[1:k + 1]  # ring without its closing duplicate, starting after the jump
    lat = crossing_lat(pts[k], pts[k + 1])
    east = net > 0
    start = -180.0 if east else 180.0
    u = unwrap([(start, lat)] + [p for p in seq if abs(p[0]) != 180.0] + [(start + (360.0 if east else -360.0), lat)])
    # u runs from -180 to 180 (eastward) or 180 to -180 (westward); close it along the pole.
    # Eastward along a coast encloses what lies south of it (Antarctica), westward what lies north.
    pole = -90.0 if east else 90.0
    end = u[-1][0]
    u.append((end, pole))
    # Walk back along the pole in 10-degree steps so no single segment spans the map (a
    # renderer that looks for jumps of more than 180 degrees must not see one here).
    step = -10.0 if east else 10.0
    x = end + step
    while (x > start) if east else (x < start):
        u.append((x, pole))
        x += step
    u += [(start, pole), u[0]]
    return u


def geometry_rings(g):
    if g["type"] == "Polygon":
        return [g["arcs"]]
    if g["type"] == "MultiPolygon":
        return g["arcs"]
    return []


def polygon_feature(arcs, g, props):
    polys = []
    for poly in geometry_rings(g):
        rings = []
        for ring in poly:
            r = fix_ring(ring_points(arcs, ring))
            if r is not None and len(r) >= 4:
                rings.append(r)
        if rings:
            polys.append(rings)
    if not polys:
        return None
    # A dropped pole-edge exterior leaves the coastline (a former hole) as the exterior: fine.
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "MultiPolygon",
                         "coordinates": [[[[round(x, 7), round(y, 7)] for x, y in r] for r in p] for p in polys]}}


def line_features(arcs, arc_ids, props_of):
    feats = []
    for i in arc_ids:
        pts = arcs[i]
        if all(abs(p[1]) > POLE_EDGE_LAT for p in pts):
            continue
        parts = split_line(pts)
        if not parts:
            continue
        feats.append({"type": "Feature", "properties": props_of(i),
                      "geometry": {"type": "MultiLineString",
                                   "coordinates": [[[round(x, 7), round(y, 7)] for x, y in p] for p in parts]}})
    return feats


def arc_refs(g):
    out = []

    def walk(x):
        if isinstance(x, int):
            out.append(x if x >= 0 else ~x)
        else:
            for y in x:
                walk(y)
    walk(g.get("arcs", []))
    return out


def write(path, feats):
    with open(path, "w") as f:
        json.dump({"type": "FeatureCollection", "features": feats}, f, separators=(",", ":"))


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: build_basemap.py countries-XXm.json OUT_DIR")
    topo = json.load(open(sys.argv[1]))
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    arcs = decode_arcs(topo)
    countries = topo["objects"]["countries"]["geometries"]

    feats = []
    users = {}  # arc index -> list of country indices referencing it (one entry per reference)
    for ci, g in enumerate(countries):
        name = g.get("properties", {}).get("name", "")
        f = polygon_feature(arcs, g, {"name": name, "id": g.get("id", "")})
        if f:
            feats.append(f)
        for a in arc_refs(g):
            users.setdefault(a, []).append(ci)
    write(out / "countries.geojson", feats)

    land = []
    for g in topo["objects"]["land"]["geometries"]:
        f = polygon_feature(arcs, g, {})
        if f:
            land.append(f)
    write(out / "land.geojson", land)

    def cname(ci):
        return countries[ci].get("properties", {}).get("name", "")

    border_ids = sorted(a for a, u in users.items() if len(set(u)) == 2)
    coast_ids = sorted(a for a, u in users.items() if len(u) == 1)
    write(out / "borders.geojson", line_features(
        arcs, border_ids, lambda a: {"left": cname(sorted(set(users[a]))[0]), "right": cname(sorted(set(users[a]))[1])}))
    write(out / "coastline.geojson", line_features(arcs, coast_ids, lambda a: {"name": cname(users[a][0])}))
    odd = sum(1 for u in users.values() if len(set(u)) > 2)
    print(f"arcs={len(arcs)} borders={len(border_ids)} coastline={len(coast_ids)} "
          f"same-country-twice={sum(1 for u in users.values() if len(u) == 2 and len(set(u)) == 1)} more-than-two={odd}")


if __name__ == "__main__":
    main()
