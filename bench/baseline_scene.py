"""The scene `flightreplay render assets/samples -o X.mp4 --frames N --fps 30` draws, rebuilt in
plain Python for the baseline benchmarks (bench/vs_matplotlib.sh, bench/vs_gmt.sh).

Mirrors, in simplified form, what flightreplay does (src/geo/view.cpp, src/core/timeline.hpp):
- the FR24 CSV files in the sample directory (Timestamp,UTC,Callsign,Position,Altitude,Speed,
  Direction; lines starting with '#' are comments), one polyline per file (one flight each);
- the automatic projection: Lambert conformal conic with standard parallels at 1/6 and 5/6 of the
  data's latitude range, centred on the middle of its bounding box (WGS84);
- the extent: the projected fixes, padded by 12% of the larger side, widened to the output's
  aspect ratio (flightreplay also densifies coverage gaps by great circle and adds the airports;
  both lie inside this box here);
- the frame clock: ground stops (zero speed, over 2 h) and gaps between fixes over 2 h are
  compressed to 2 s of video each, the last 1 s shows the final state, the rest plays at a
  constant speed; frame i shows video time i / fps.
Positions between fixes are interpolated linearly in lon/lat (flightreplay uses geodesics).

Run as a script it prints the scene for shell scripts (bench/vs_gmt.sh):
  baseline_scene.py SAMPLES_DIR OUT_DIR [--frames M] [--timeline-frames N] [--fps F] [--size WxH]
writes OUT_DIR/scene.sh (shell variables), OUT_DIR/track.txt (lon lat epoch, one '>' segment per
flight) and OUT_DIR/frames.txt (epoch lon lat heading clock-text, one line per frame).
Needs Debian's python3-pyproj (a dependency of python3-cartopy).
"""
import argparse
import bisect
import csv
import datetime as dt
import glob
import math
import os

HOLD_S = 2.0        # video seconds per compressed ground stop / long gap (flightreplay --hold)
END_S = 1.0         # video seconds showing the final state
LONG_S = 2 * 3600   # stops and gaps longer than this are compressed
MARGIN = 0.12       # fraction of the larger side added around the data


class Flight:
    def __init__(self, name):
        self.name = name
        self.t, self.lat, self.lon, self.speed, self.heading = [], [], [], [], []


def read_fr24_csv(path):
    """One FR24 CSV file -> Flight, parsed with the csv module."""
    f = Flight(os.path.basename(path))
    with open(path, newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for r in rows:
            lat, lon = (float(v) for v in r["Position"].split(","))
            f.t.append(int(r["Timestamp"]))
            f.lat.append(lat)
            f.lon.append(lon)
            f.speed.append(float(r["Speed"]))
            f.heading.append(float(r["Direction"]))
    order = sorted(range(len(f.t)), key=f.t.__getitem__)
    for k in ("t", "lat", "lon", "speed", "heading"):
        v = getattr(f, k)
        setattr(f, k, [v[i] for i in order])
    return f


def load_flights(samples_dir):
    files = sorted(glob.glob(os.path.join(samples_dir, "*.csv")))
    if not files:
        raise SystemExit(f"no *.csv in {samples_dir}")
    return [read_fr24_csv(p) for p in files]


def find_holds(flights):
    """Replay intervals compressed into HOLD_S of video: stationary runs and gaps over LONG_S."""
    pts = sorted((t, la, lo, s) for f in flights for t, la, lo, s in zip(f.t, f.lat, f.lon, f.speed))
    holds = []
    i = 0
    while i < len(pts):
        j = i
        if pts[i][3] == 0:
            while j + 1 < len(pts) and pts[j + 1][3] == 0 and pts[j + 1][1:3] == pts[i][1:3]:
                j += 1
        if pts[j][0] - pts[i][0] > LONG_S:
            holds.append((pts[i][0], pts[j][0]))
        elif j + 1 < len(pts) and pts[j + 1][0] - pts[j][0] > LONG_S:
            holds.append((pts[j][0], pts[j + 1][0]))
        i = j + 1
    return pts[0][0], pts[-1][0], holds


class Timeline:
    """Video seconds -> replay time (epoch seconds), like fr::Timeline::fit."""

    def __init__(self, start, end, holds, video_s):
        play_video = video_s - HOLD_S * len(holds) - END_S
        play_replay = (end - start) - sum(b - a for a, b in holds)
        if play_video <= 0:
            raise SystemExit(f"timeline: {video_s} s of video is too short for {len(holds)} holds")
        self.speed = play_replay / play_video
        self.segs = []  # (video_start, video_end, replay_start, replay_end)
        v, r = 0.0, start
        for a, b in holds:
            dv = (a - r) / self.speed
            self.segs.append((v, v + dv, r, a))
            self.segs.append((v + dv, v + dv + HOLD_S, a, b))
            v, r = v + dv + HOLD_S, b
        dv = (end - r) / self.speed
        self.segs.append((v, v + dv, r, end))
        self.end = end

    def replay_time(self, v):
        for v0, v1, r0, r1 in self.segs:
            if v < v1:
                return r0 + (r1 - r0) * max(0.0, v - v0) / (v1 - v0)
        return self.end


def state_at(f, t):
    """(index of the last fix at or before t, lon, lat, heading) or None before/after the flight."""
    if t < f.t[0] or t > f.t[-1]:
        return None
    i = bisect.bisect_right(f.t, t) - 1
    if i + 1 < len(f.t) and f.t[i + 1] > f.t[i]:
        w = (t - f.t[i]) / (f.t[i + 1] - f.t[i])
        return i, f.lon[i] + w * (f.lon[i + 1] - f.lon[i]), f.lat[i] + w * (f.lat[i + 1] - f.lat[i]), f.heading[i]
    return i, f.lon[i], f.lat[i], f.heading[i]


def position_at(flights, t):
    """(lon, lat, heading) of the aircraft at t: interpolated in the flight under way, else where
    the last finished flight ended (on the ground between flights), else the first fix."""
    for f in flights:
        st = state_at(f, t)
        if st:
            return st[1:]
    done = [f for f in flights if f.t[-1] <= t]
    f = max(done, key=lambda f: f.t[-1]) if done else min(flights, key=lambda f: f.t[0])
    i = -1 if done else 0
    return f.lon[i], f.lat[i], f.heading[i]


def clock_text(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


class Scene:
    def __init__(self, samples_dir, width=1920, height=1080, fps=30, timeline_frames=300):
        self.flights = load_flights(samples_dir)
        self.width, self.height, self.fps = width, height, fps
        self.timeline_frames = timeline_frames
        lats = [v for f in self.flights for v in f.lat]
        lons = [v for f in self.flights for v in f.lon]
        lat_min, lat_max, lon_min, lon_max = min(lats), max(lats), min(lons), max(lons)
        span = lat_max - lat_min
        self.lat1 = lat_min + span / 6
        self.lat2 = lat_max - span / 6
        if abs(self.lat2 - self.lat1) < 0.5:
            self.lat2 = self.lat1 + 0.5
        self.lat0 = (lat_min + lat_max) / 2
        self.lon0 = (lon_min + lon_max) / 2
        self.proj4 = (f"+proj=lcc +lat_1={self.lat1:.6f} +lat_2={self.lat2:.6f} +lat_0={self.lat0:.6f} "
                      f"+lon_0={self.lon0:.6f} +datum=WGS84 +units=m +no_defs")
        import pyproj
        self.to_xy = pyproj.Transformer.from_crs("EPSG:4326", self.proj4, always_xy=True)
        xs, ys = self.to_xy.transform(lons, lats)
        xmin, xmax, ymin, ymax = min(xs), max(xs), min(ys), max(ys)
        pad = max(xmax - xmin, ymax - ymin) * MARGIN
        xmin, xmax, ymin, ymax = xmin - pad, xmax + pad, ymin - pad, ymax + pad
        aspect = width / height
        if (xmax - xmin) / (ymax - ymin) < aspect:
            w, c = (ymax - ymin) * aspect, (xmin + xmax) / 2
            xmin, xmax = c - w / 2, c + w / 2
        else:
            h, c = (xmax - xmin) / aspect, (ymin + ymax) / 2
            ymin, ymax = c - h / 2, c + h / 2
        self.extent = (xmin, xmax, ymin, ymax)
        start, end, holds = find_holds(self.flights)
        self.timeline = Timeline(start, end, holds, timeline_frames / fps)

    def frame_indices(self, frames):
        """`frames` frames spread evenly over the timeline's `timeline_frames` (all of them when equal)."""
        n = self.timeline_frames
        if frames >= n:
            return list(range(n))
        return [round(k * (n - 1) / (frames - 1)) if frames > 1 else 0 for k in range(frames)]

    def frame_time(self, index):
        return self.timeline.replay_time(index / self.fps)

    def lonlat_corners(self):
        """(lon_ll, lat_ll, lon_ur, lat_ur) of the extent."""
        import pyproj
        inv = pyproj.Transformer.from_crs(self.proj4, "EPSG:4326", always_xy=True)
        xmin, xmax, ymin, ymax = self.extent
        lon_ll, lat_ll = inv.transform(xmin, ymin)
        lon_ur, lat_ur = inv.transform(xmax, ymax)
        return lon_ll, lat_ll, lon_ur, lat_ur


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("samples")
    ap.add_argument("out_dir")
    ap.add_argument("--frames", type=int, default=30)
    ap.add_argument("--timeline-frames", type=int, default=300)
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--size", default="1920x1080")
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.split("x"))
    s = Scene(a.samples, w, h, a.fps, a.timeline_frames)
    lon_ll, lat_ll, lon_ur, lat_ur = s.lonlat_corners()
    with open(os.path.join(a.out_dir, "scene.sh"), "w") as fh:
        fh.write(f"LON0={s.lon0:.6f}\nLAT0={s.lat0:.6f}\nLAT1={s.lat1:.6f}\nLAT2={s.lat2:.6f}\n")
        fh.write(f"CORNERS={lon_ll:.6f}/{lat_ll:.6f}/{lon_ur:.6f}/{lat_ur:.6f}\n")
    with open(os.path.join(a.out_dir, "track.txt"), "w") as fh:
        for f in s.flights:
            fh.write(f"> {f.name}\n")
            for t, la, lo in zip(f.t, f.lat, f.lon):
                fh.write(f"{lo:.6f} {la:.6f} {t}\n")
    with open(os.path.join(a.out_dir, "frames.txt"), "w") as fh:
        for i in s.frame_indices(a.frames):
            t = s.frame_time(i)
            lo, la, hd = position_at(s.flights, t)
            fh.write(f"{t:.3f} {lo:.6f} {la:.6f} {hd:.1f} {clock_text(t)}\n")


if __name__ == "__main__":
    main()
