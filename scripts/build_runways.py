#!/usr/bin/python3
"""Builds assets/airports/runways.csv from the OurAirports runways.csv (public domain).

Usage (standard library only; Debian's /usr/bin/python3):
    scripts/build_runways.py RUNWAYS.csv[.gz] [AIRPORTS.csv] [OUT.csv]
Defaults: AIRPORTS.csv = assets/airports/airports.csv, OUT = assets/airports/runways.csv.

Keeps the runways of the bundled airports (matched on the airport's ICAO code), leaves out
closed runways and helipads (designators starting with H). Rows without end coordinates are
kept (the renderer does not draw them, but they document that the airport has runways).
Output columns, RFC 4180 quoting, sorted by icao then le_ident:
    icao,le_ident,he_ident,le_lat,le_lon,he_lat,he_lon,le_heading_deg,length_ft,width_ft,surface
Coordinates and headings are copied as the source text (unrounded); empty when unknown.
"""
import csv
import gzip
import io
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = ["icao", "le_ident", "he_ident", "le_lat", "le_lon", "he_lat", "he_lon", "le_heading_deg", "length_ft", "width_ft", "surface"]


def open_text(path):
    if str(path).endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: build_runways.py RUNWAYS.csv[.gz] [AIRPORTS.csv] [OUT.csv]")
    src = Path(sys.argv[1])
    airports = Path(sys.argv[2]) if len(sys.argv) > 2 else HERE.parent / "assets/airports/airports.csv"
    out = Path(sys.argv[3]) if len(sys.argv) > 3 else HERE.parent / "assets/airports/runways.csv"
    with open_text(airports) as f:
        wanted = {r["icao"] for r in csv.DictReader(f) if r["icao"]}
    rows = []
    with open_text(src) as f:
        for r in csv.DictReader(f):
            icao = r["airport_ident"].strip()
            if icao not in wanted or r["closed"] == "1" or r["le_ident"].upper().startswith("H"):
                continue
            rows.append([icao, r["le_ident"], r["he_ident"], r["le_latitude_deg"], r["le_longitude_deg"], r["he_latitude_deg"],
                         r["he_longitude_deg"], r["le_heading_degT"], r["length_ft"], r["width_ft"], r["surface"]])
    rows.sort(key=lambda x: (x[0], x[1], x[2]))
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    drawable = sum(1 for x in rows if all(x[3:7]))
    print(f"{out}: {len(rows)} runways of {len({x[0] for x in rows})} airports, {drawable} with both end coordinates", file=sys.stderr)


if __name__ == "__main__":
    main()
