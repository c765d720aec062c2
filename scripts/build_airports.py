#!/usr/bin/python3
"""Builds assets/airports/airports.csv from the OurAirports airports.csv (public domain).

Usage (standard library only; Debian's /usr/bin/python3):
    scripts/build_airports.py [SOURCE.csv[.gz]] [OUT.csv]
Defaults: ../shared/data/airports/ourairports_airports_2020-10-21.csv.gz -> assets/airports/airports.csv

Selection (docs/decisions.md, "Airports"): every medium_airport and large_airport
row, NOT filtered on scheduled_service (Moscow Chkalovsky, UUMU, a military field, has none),
plus the small airports named in EXTRA_IDENTS if a test ever needs one (none today).
Coordinates are copied as the source text (unrounded). Output columns, RFC 4180 quoting:
    icao,iata,name,city,country,lat,lon,elevation_ft,type,scheduled,military
  icao      the OurAirports `ident` when it is a 4-letter ICAO-style code, else `gps_code` when
            that is one, else empty (e.g. some airports only have a local/FAA code)
  type      small / medium / large
  scheduled 1 when scheduled_service is "yes"
  military  1 when the name or keywords mention air base/airbase/military/AFB/"Air Force"
Rows are sorted by icao then ident so the output is stable.
"""
import csv
import gzip
import io
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SRC = HERE.parent.parent / "shared/data/airports/ourairports_airports_2020-10-21.csv.gz"
DEFAULT_OUT = HERE.parent / "assets/airports/airports.csv"
KEEP_TYPES = {"medium_airport": "medium", "large_airport": "large"}
EXTRA_IDENTS = set()  # small airports a test needs, by ident
REQUIRED = ["UUMU", "ZKPY", "KGEG", "KMSP", "KSFF"]
ICAO_RE = re.compile(r"^[A-Z]{4}$")
MILITARY_RE = re.compile(r"air\s*base|military|\bAFB\b|air\s+force", re.IGNORECASE)
HEADER = ["icao", "iata", "name", "city", "country", "lat", "lon", "elevation_ft", "type", "scheduled", "military"]


def open_text(path):
    if str(path).endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def icao_of(row):
    for key in ("ident", "gps_code"):
        v = (row.get(key) or "").strip()
        if ICAO_RE.match(v):
            return v
    return ""


def main():
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SRC
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUT
    rows = []
    with open_text(src) as f:
        for r in csv.DictReader(f):
            t = r["type"]
            if t in KEEP_TYPES:
                size = KEEP_TYPES[t]
            elif r["ident"] in EXTRA_IDENTS and t == "small_airport":
                size = "small"
            else:
                continue
            military = 1 if MILITARY_RE.search(r["name"] + " | " + (r.get("keywords") or "")) else 0
            rows.append((icao_of(r), r["ident"], [
                icao_of(r), r["iata_code"].strip(), r["name"].strip(), r["municipality"].strip(),
                r["iso_country"].strip(), r["latitude_deg"].strip(), r["longitude_deg"].strip(),
                r["elevation_ft"].strip(), size, "1" if r["scheduled_service"] == "yes" else "0",
                str(military)]))
    rows.sort(key=lambda x: (x[0] == "", x[0], x[1]))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(HEADER)
        for _, _, row in rows:
            w.writerow(row)
    have = {r[0] for r in rows}
    missing = [c for c in REQUIRED if c not in have]
    if missing:
        sys.exit(f"required airports missing: {missing}")
    print(f"{out}: {len(rows)} airports ({sum(1 for r in rows if not r[0])} without an ICAO code, "
          f"{sum(1 for r in rows if r[2][10] == '1')} military)")


if __name__ == "__main__":
    main()
