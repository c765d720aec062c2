#!/usr/bin/python3
"""Builds assets/airports/runways.csv from the OurAirports runways.csv (public domain).

Usage (standard library only; Debian's /usr/bin/python3):
    scripts/build_runways.py RUNWAYS.csv[.gz] [AIRPORTS.csv] [OUT.csv]
Defaults: AIRPORTS = assets/airports/airports.csv (the bundled table), OUT = assets/airports/runways.csv.
The OurAirports runways table is published at https://ourairports.com/data/ (runways.csv).

Keeps the open (not `closed`) runways of the bundled airports that have a heading: either
`le_heading_degT` or both end coordinates (the heading is then the initial geodesic bearing,
computed on the sphere, which is within 0.2 degrees of the ellipsoid at runway lengths).
Output columns, RFC 4180 quoting:
    icao,le_ident,he_ident,length_ft,width_ft,surface,heading_deg,le_lat,le_lon,he_lat,he_lon
  heading_deg  true heading of the low end (0..360), from le_heading_degT when given
  le_*/he_*    end coordinates, empty when OurAirports has none (such runways are not drawn,
               but their heading still helps to tell which airport a track leads to)
Rows are sorted by icao, then le_ident, so the output is stable.
"""
import csv
import gzip
import io
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_AIRPORTS = HERE.parent / "assets/airports/airports.csv"
DEFAULT_OUT = HERE.parent / "assets/airports/runways.csv"
HEADER = ["icao", "le_ident", "he_ident", "length_ft", "width_ft", "surface", "heading_deg",
          "le_lat", "le_lon", "he_lat", "he_lon"]


def open_text(path):
    if str(path).endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def num(s):
    try:
        v = float(s)
        return v if math.isfinite(v) else None
    except (TypeError, ValueError):
        return None


def bearing(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x)) % 360.0


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src = Path(sys.argv[1])
    airports = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_AIRPORTS
    out = Path(sys.argv[3]) if len(sys.argv) > 3 else DEFAULT_OUT
    with open_text(airports) as f:
        wanted = {r["icao"] for r in csv.DictReader(f) if r["icao"]}
    rows = []
    with open_text(src) as f:
        for r in csv.DictReader(f):
            icao = r["airport_ident"].strip()
            if icao not in wanted or r.get("closed") == "1":
                continue
            le = (num(r["le_latitude_deg"]), num(r["le_longitude_deg"]))
            he = (num(r["he_latitude_deg"]), num(r["he_longitude_deg"]))
            ends = None not in le and None not in he
            heading = num(r["le_heading_degT"])
            if heading is None and ends:
                heading = bearing(le[0], le[1], he[0], he[1])
            if heading is None:
                continue
            rows.append([icao, r["le_ident"].strip(), r["he_ident"].strip(), r["length_ft"], r["width_ft"],
                         r["surface"].strip(), "%.1f" % (heading % 360.0),
                         r["le_latitude_deg"] if ends else "", r["le_longitude_deg"] if ends else "",
                         r["he_latitude_deg"] if ends else "", r["he_longitude_deg"] if ends else ""])
    rows.sort(key=lambda x: (x[0], x[1]))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    print("%s: %d runways of %d airports" % (out, len(rows), len({r[0] for r in rows})), file=sys.stderr)


if __name__ == "__main__":
    main()
