#!/usr/bin/python3
"""matplotlib + cartopy baseline for bench/vs_matplotlib.sh: the scene of
`flightreplay render assets/samples -o X.mp4 --size 1920x1080 --frames 300 --fps 30` drawn the
way a competent matplotlib user would, written to H.264 through matplotlib.animation.FFMpegWriter
(libx264 -preset veryfast -crf 23 -pix_fmt yuv420p).

What it draws (bench/baseline_scene.py builds the scene): the bundled Natural Earth 50m basemap
(assets/basemap/naturalearth_50m.gpkg: land filled over an ocean background, coastline, country
borders; read with osgeo.ogr, only features intersecting the map, added once with cartopy's
ShapelyFeature) in the same Lambert conformal conic and extent, each flight's trail up to the
current time, the aircraft marker (an arrowhead turned to the heading) with its callsign, and the
UTC clock in a box. Colours and line widths follow flightreplay's light theme.

Two ways of making the frames, both timed (per-frame wall time, setup excluded):
  --mode funcanimation  FuncAnimation(...).save(writer=FFMpegWriter): the documented way. Saving
                        ignores blit=True, so every frame redraws the whole figure (cartopy
                        caches the projected basemap geometry after the first draw).
  --mode blit           the static map drawn once and kept with canvas.copy_from_bbox; per frame
                        restore_region + draw_artist of the animated artists (trail Line2D
                        updated with set_data on pre-projected coordinates, marker, texts), and
                        the Agg buffer written to the FFMpegWriter's ffmpeg pipe (grab_frame would
                        call savefig, i.e. a full redraw).
Prints "setup_s=... frames=... cpu_frame_ms=... frame_ms=..." last (CPU: this process plus
ffmpeg, user + system, over the frame loop only).
"""
import argparse
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import baseline_scene as bs  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.animation import FFMpegWriter, FuncAnimation  # noqa: E402
from matplotlib.markers import MarkerStyle  # noqa: E402
from matplotlib.path import Path  # noqa: E402
from matplotlib.transforms import Affine2D  # noqa: E402
import numpy as np  # noqa: E402
import cartopy.crs as ccrs  # noqa: E402
from cartopy.feature import ShapelyFeature  # noqa: E402
from osgeo import ogr  # noqa: E402
from shapely import wkb  # noqa: E402

THEME = dict(ocean="#dae7f0", land="#f5f3ed", border="#9e9994", coastline="#788c9e", trail="#d9470f",
             text="#1a1a1f")

ARROW = Path([(0, 1), (0.6, -0.8), (0, -0.4), (-0.6, -0.8), (0, 1)],
             [Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY])


def read_layer(path, name, window):
    ds = ogr.Open(path)
    layer = ds.GetLayerByName(name)
    if layer is None:
        return []
    layer.SetSpatialFilterRect(*window)
    return [wkb.loads(bytes(f.GetGeometryRef().ExportToWkb())) for f in layer if f.GetGeometryRef() is not None]


def build_figure(scene, basemap, dpi):
    fig = plt.figure(figsize=(scene.width / dpi, scene.height / dpi), dpi=dpi)
    lcc = ccrs.LambertConformal(central_longitude=scene.lon0, central_latitude=scene.lat0,
                                standard_parallels=(scene.lat1, scene.lat2))
    ax = fig.add_axes([0, 0, 1, 1], projection=lcc)
    ax.set_extent(scene.extent, crs=lcc)
    ax.spines["geo"].set_visible(False)
    ax.set_facecolor(THEME["ocean"])
    # Features that intersect the map's lon/lat window (the corners plus a wide margin: the
    # cone's edges bulge outwards).
    lon_ll, lat_ll, lon_ur, lat_ur = scene.lonlat_corners()
    window = (min(lon_ll, lon_ur) - 30, max(-90, min(lat_ll, lat_ur) - 15), max(lon_ll, lon_ur) + 30, 90)
    pc = ccrs.PlateCarree()
    ax.add_feature(ShapelyFeature(read_layer(basemap, "land", window), pc, facecolor=THEME["land"], edgecolor="none"))
    ax.add_feature(ShapelyFeature(read_layer(basemap, "lakes", window), pc, facecolor=THEME["ocean"], edgecolor="none"))
    ax.add_feature(ShapelyFeature(read_layer(basemap, "coastline", window), pc, facecolor="none",
                                  edgecolor=THEME["coastline"], linewidth=0.9 * 72 / dpi))
    ax.add_feature(ShapelyFeature(read_layer(basemap, "borders", window), pc, facecolor="none",
                                  edgecolor=THEME["border"], linewidth=0.8 * 72 / dpi))
    # Trails: projected once, then set_data on a prefix (+ the interpolated position) per frame.
    px = 72 / dpi  # points per pixel
    flights = []
    for f in scene.flights:
        x, y = scene.to_xy.transform(f.lon, f.lat)
        line, = ax.plot([], [], color=THEME["trail"], linewidth=3 * px, solid_capstyle="round",
                        solid_joinstyle="round", transform=ax.transData, zorder=5)
        flights.append((f, np.asarray(x), np.asarray(y), line))
    marker, = ax.plot([], [], linestyle="none", markersize=30 * px, markerfacecolor=THEME["trail"],
                      markeredgecolor="white", markeredgewidth=1.5 * px, zorder=6)
    label = ax.text(0, 0, "RFF7203", fontsize=19 * px, fontweight="bold", color=THEME["text"], zorder=7,
                    ha="left", va="top")
    clock = ax.text(0.012, 0.975, "", transform=ax.transAxes, fontsize=26 * px, fontweight="bold",
                    color=THEME["text"], ha="left", va="top", zorder=8,
                    bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor="#595966"))
    artists = [fl[3] for fl in flights] + [marker, label, clock]

    def update(index):
        t = scene.frame_time(index)
        for f, x, y, line in flights:
            st = bs.state_at(f, t)
            if t < f.t[0]:
                line.set_data([], [])
            elif st is None:  # finished: the whole trail
                line.set_data(x, y)
            else:  # under way: the fixes so far + the interpolated position
                i, lon, lat, _ = st
                cx, cy = scene.to_xy.transform(lon, lat)
                line.set_data(np.append(x[: i + 1], cx), np.append(y[: i + 1], cy))
        lon, lat, hd = bs.position_at(scene.flights, t)
        cx, cy = scene.to_xy.transform(lon, lat)
        marker.set_data([cx], [cy])
        # An arrowhead turned to the heading (the map's north is close to up here).
        marker.set_marker(MarkerStyle(ARROW, transform=Affine2D().rotate_deg(-hd)))
        label.set_position((cx + 25_000, cy - 25_000))
        clock.set_text(bs.clock_text(t))
        return artists

    return fig, artists, update


def cpu_s():
    """User + system CPU seconds of this process and its waited-for children (ffmpeg)."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("samples")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--basemap", required=True)
    ap.add_argument("--frames", type=int, default=60, help="frames rendered, spread over the timeline")
    ap.add_argument("--timeline-frames", type=int, default=300, help="frames of the video whose clock is used")
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--size", default="1920x1080")
    ap.add_argument("--mode", choices=("funcanimation", "blit"), default="blit")
    a = ap.parse_args()
    w, h = (int(v) for v in a.size.split("x"))
    dpi = 100
    t0 = time.perf_counter()
    scene = bs.Scene(a.samples, w, h, a.fps, a.timeline_frames)
    fig, artists, update = build_figure(scene, a.basemap, dpi)
    indices = scene.frame_indices(a.frames)
    writer = FFMpegWriter(fps=a.fps, codec="libx264",
                          extra_args=["-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"])
    if a.mode == "funcanimation":
        anim = FuncAnimation(fig, update, frames=indices, blit=False, cache_frame_data=False)
        fig.canvas.draw()  # projects the basemap once (cartopy caches it): not counted per frame
        setup = time.perf_counter() - t0
        t1, c1 = time.perf_counter(), cpu_s()
        anim.save(a.output, writer=writer, dpi=dpi)
    else:
        for art in artists:
            art.set_animated(True)
        with writer.saving(fig, a.output, dpi):
            fig.canvas.draw()  # the static map, animated artists left out
            canvas = fig.canvas
            assert canvas.get_width_height() == (w, h), canvas.get_width_height()
            background = canvas.copy_from_bbox(fig.bbox)
            setup = time.perf_counter() - t0
            t1, c1 = time.perf_counter(), cpu_s()
            for i in indices:
                canvas.restore_region(background)
                for art in update(i):
                    fig.draw_artist(art)
                writer._proc.stdin.write(canvas.buffer_rgba())
    elapsed, cpu = time.perf_counter() - t1, cpu_s() - c1
    n = len(indices)
    print(f"setup_s={setup:.3f} frames={n} cpu_frame_ms={1000 * cpu / n:.2f} frame_ms={1000 * elapsed / n:.2f}")


if __name__ == "__main__":
    main()
