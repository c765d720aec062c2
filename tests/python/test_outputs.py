"""Stills, videos, exports and scenes: each checked against what the command line writes."""
import datetime as dt
import json
import struct
import threading
import time
import zlib

import numpy as np
import pytest

from conftest import SAMPLES

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_chunks(data):
    assert data[:8] == PNG_SIGNATURE
    pos, out = 8, []
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        out.append((data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]))
        pos += 12 + n
    return out


def decode_png(data):
    """8-bit RGB/RGBA non-interlaced PNG -> H x W x 4 uint8 (the writer's only forms)."""
    chunks = png_chunks(data)
    w, h, depth, ctype = struct.unpack(">IIBB", chunks[0][1][:10])
    assert depth == 8 and ctype in (2, 6)
    ch = 3 if ctype == 2 else 4
    raw = zlib.decompress(b"".join(c for t, c in chunks if t == b"IDAT"))
    img = np.zeros((h, w, ch), np.uint8)
    prev = np.zeros(w * ch, np.int32)
    stride = w * ch + 1
    for y in range(h):
        f, line = raw[y * stride], np.frombuffer(raw[y * stride + 1:(y + 1) * stride], np.uint8).astype(np.int32)
        cur = np.zeros_like(line)
        if f == 0:
            cur = line
        elif f == 2:
            cur = (line + prev) & 255
        else:  # Sub, Average, Paeth: byte by byte
            for i in range(len(line)):
                a = cur[i - ch] if i >= ch else 0
                b, c = prev[i], (prev[i - ch] if i >= ch else 0)
                if f == 1:
                    pred = a
                elif f == 3:
                    pred = (a + b) // 2
                else:
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                cur[i] = (line[i] + pred) & 255
        img[y] = cur.reshape(w, ch)
        prev = cur
    if ch == 3:
        img = np.concatenate([img, np.full((h, w, 1), 255, np.uint8)], axis=2)
    return img


@pytest.mark.parametrize("options, cli_args", [
    ({"at": "+13h20m", "size": (640, 360)}, ["--at", "+13h20m", "--size", "640x360"]),
    ({"at": dt.datetime(2023, 8, 1, 5, 11, 31, tzinfo=dt.timezone.utc), "size": "800x450", "title": "RFF7203",
      "projection": "orthographic", "trail_minutes": 90.0, "labels": False},
     ["--at", "2023-08-01T05:11:31Z", "--size", "800x450", "--title", "RFF7203", "--projection", "orthographic",
      "--trail-minutes", "90", "--no-labels"]),
    ({"size": (480, 480), "dpi": 192, "color_by": "altitude", "profile": True},
     ["--size", "480x480", "--dpi", "192", "--color-by", "altitude", "--profile"]),
    ({"sheet": (2, 1), "size": (960, 400), "at": ["+1h", "+40h"], "theme": "dark"},
     ["--sheet", "2x1", "--size", "960x400", "--at", "+1h,+40h", "--theme", "dark"]),
])
def test_still_png_bytes_equal_the_cli(replay, cli, tmp_path, options, cli_args):
    still = replay.still(**options)
    py_png = still.save(tmp_path / "py.png").read_bytes()
    cli("render", SAMPLES, "-o", tmp_path / "cli.png", *cli_args)
    cli_png = (tmp_path / "cli.png").read_bytes()
    assert py_png == cli_png
    assert still._repr_png_() == cli_png
    assert still.to_png() == cli_png


def test_still_pixels_and_times(replay):
    still = replay.still(at="+13h20m", size=(320, 180))
    px = still.to_numpy()
    assert px.shape == (180, 320, 4) and px.dtype == np.uint8
    assert np.array_equal(px, decode_png(still.to_png()))
    assert len(np.unique(px.reshape(-1, 4), axis=0)) > 20  # a map, not a blank frame
    start = replay.points(0)["time"][0].astype("datetime64[ms]").item().replace(tzinfo=dt.timezone.utc)
    assert still.times == [start + dt.timedelta(hours=13, minutes=20)]
    assert still.size == (320, 180)
    # Default time: the end of the replay (the last fix).
    end = replay.points(0)["time"][-1].astype("datetime64[ms]").item().replace(tzinfo=dt.timezone.utc)
    assert replay.still(size=(320, 180)).times == [end]
    # Provenance in the PNG's text chunks, as the command line writes them.
    texts = [c for t, c in png_chunks(still.to_png()) if t in (b"tEXt", b"iTXt")]
    assert any(b"Provenance" in c and b"reconstructed" in c for c in texts)
    assert "320x180" in repr(still)


def test_vector_still_is_svg(replay, tmp_path, cli):
    still = replay.still(at="+2h", size=(400, 300), vector=True)
    svg = still._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert still._repr_png_() is None
    pdf = still.save(tmp_path / "s.pdf")
    cli("render", SAMPLES, "-o", tmp_path / "c.pdf", "--at", "+2h", "--size", "400x300", "-q")
    assert pdf.read_bytes() == (tmp_path / "c.pdf").read_bytes()
    assert still.to_numpy().shape == (300, 400, 4)


def test_still_errors(fr, replay):
    with pytest.raises(fr.UsageError, match="invalid (--at )?time"):
        replay.still(at="yesterday")
    with pytest.raises(fr.UsageError, match="--size"):
        replay.still(size=(8, 8))
    with pytest.raises(fr.UsageError, match="input option"):
        replay.still(aircraft="RFF7203")
    with pytest.raises(TypeError):
        replay.still(output="x.png")


def test_video_progress_and_display(replay, tmp_path):
    calls = []
    v = replay.video(tmp_path / "v.mp4", duration=2, fps=10, size=(320, 180), progress=lambda *a: calls.append(a))
    out = tmp_path / "v.mp4"
    data = out.read_bytes()
    assert data[4:8] == b"ftyp" and len(data) > 1000
    assert calls and calls[-1] == (20, 20, "render")
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    assert getattr(v, "path", None) == out
    html = v._repr_html_()
    assert "<video" in html and "base64" in html  # embedded: the notebook shows it inline


def test_video_bytes_equal_the_cli(replay, cli, tmp_path):
    replay.video(tmp_path / "py.mp4", duration=1, fps=10, size=(320, 180), threads=1, progress=False)
    cli("render", SAMPLES, "-o", tmp_path / "cli.mp4", "--duration", "1", "--fps", "10", "--size", "320x180",
        "--threads", "1", "-q")
    assert (tmp_path / "py.mp4").read_bytes() == (tmp_path / "cli.mp4").read_bytes()


def test_gif_and_errors(fr, replay, tmp_path):
    calls = []
    replay.video(tmp_path / "v.gif", duration=1, fps=5, size=(160, 90), progress=lambda *a: calls.append(a))
    assert (tmp_path / "v.gif").read_bytes()[:6] == b"GIF89a"
    # Reports are sampled every 50 ms, so a short palette pass may not show; the end always does.
    assert calls[-1] == (5, 5, "render")
    assert {c[2] for c in calls} <= {"palette", "render"}
    with pytest.raises(fr.UsageError, match="even"):
        replay.video(tmp_path / "odd.mp4", size=(321, 181), duration=1)
    assert not (tmp_path / "odd.mp4").exists()


def test_progress_callback_exception_stops_the_render(replay, tmp_path):
    def boom(done, total, stage):
        if done >= 3:
            raise RuntimeError("stop here")
    with pytest.raises(RuntimeError, match="stop here"):
        replay.video(tmp_path / "stopped.mp4", duration=20, fps=10, size=(320, 180), progress=boom)
    assert list(tmp_path.iterdir()) == []  # no partial video, no temporary file


def test_gil_is_released_while_rendering(replay, tmp_path):
    ticks = []
    done = threading.Event()

    def count():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.005)

    t = threading.Thread(target=count)
    t.start()
    t0 = time.monotonic()
    replay.video(tmp_path / "g.mp4", duration=3, fps=10, size=(640, 360), progress=False)
    elapsed = time.monotonic() - t0
    done.set()
    t.join()
    during = [x for x in ticks if t0 <= x <= t0 + elapsed]
    # With the GIL held through the render the other thread would get no tick at all; released,
    # a thread sleeping 5 ms per tick gets most of its ticks. A tenth leaves room for a machine
    # loaded by other tests.
    assert len(during) >= 0.1 * elapsed / 0.005, (len(during), elapsed)


def test_export_and_geojson_equal_the_cli(replay, cli, tmp_path):
    gj = replay.to_geojson()
    cli("render", SAMPLES, "-o", tmp_path / "cli.geojson", "-q")
    assert gj == json.loads((tmp_path / "cli.geojson").read_text())
    kinds = {f["properties"]["kind"] for f in gj["features"]}
    assert kinds == {"leg", "stop", "gap"}
    p = replay.export(tmp_path / "t.gpkg")
    assert p.read_bytes()[:16] == b"SQLite format 3\x00"
    k = replay.export(tmp_path / "t.kml")
    assert "<kml" in k.read_text()


def test_scene_round_trips(fr, replay, cli, tmp_path):
    text = replay.scene(title="RFF7203 to Pyongyang", projection="orthographic", size=(1280, 720))
    expected = cli("render", SAMPLES, "--title", "RFF7203 to Pyongyang", "--projection", "orthographic",
                   "--size", "1280x720", "-q", "--dump-scene").stdout
    assert text == expected
    scene = tmp_path / "fig.toml"
    scene.write_text(text)
    again = fr.load(scene=scene)
    assert again.scene() == text
    assert again.to_dict() == replay.to_dict()
    # Keywords override the scene, as command-line options do.
    assert 'title = "Other"' in fr.load(scene=scene, title="Other").scene()
    bad = tmp_path / "bad.toml"
    bad.write_text("[view]\nprojectoin = \"mercator\"\n")
    with pytest.raises(fr.UsageError, match=r"bad.toml:2:1: unknown key 'projectoin'"):
        fr.load(SAMPLES, scene=bad)


def test_webm_and_png_sequence(replay, tmp_path):
    replay.video(tmp_path / "v.webm", duration=1, fps=5, size=(160, 90), progress=False)
    assert (tmp_path / "v.webm").read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # EBML (Matroska/WebM)
    frames = tmp_path / "frames"
    replay.video(frames / "%03d.png", frames=4, fps=4, size=(160, 90), progress=False)
    names = sorted(p.name for p in frames.iterdir())
    assert names == ["000.png", "001.png", "002.png", "003.png"]
    assert (frames / "000.png").read_bytes()[:8] == PNG_SIGNATURE


def test_tqdm_bar_when_tqdm_imports(replay, tmp_path, monkeypatch):
    import sys
    import types
    bars = []

    class FakeTqdm:
        def __init__(self, total, desc, unit):
            self.total, self.desc, self.n, self.closed = total, desc, 0, False
            bars.append(self)

        def refresh(self):
            pass

        def close(self):
            self.closed = True

    fake = types.ModuleType("tqdm")
    fake.tqdm = FakeTqdm
    monkeypatch.setitem(sys.modules, "tqdm", fake)
    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # text bars unless ipywidgets imports
    replay.video(tmp_path / "t.mp4", duration=1, fps=10, size=(160, 90))
    assert bars and bars[-1].desc == "render" and bars[-1].total == 10 and bars[-1].n == 10
    assert all(b.closed for b in bars)
    bars.clear()
    replay.video(tmp_path / "t2.mp4", duration=1, fps=10, size=(160, 90), progress=False)
    assert bars == []


def test_video_without_ipython(fr, replay, tmp_path, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "IPython", None)
    monkeypatch.setitem(sys.modules, "IPython.display", None)
    v = replay.video(tmp_path / "n.mp4", duration=1, fps=5, size=(160, 90), progress=False)
    assert isinstance(v, fr.VideoFile) and v.path == tmp_path / "n.mp4" and v.path.exists()


def test_python_values_become_the_cli_forms(replay, cli):
    # Each natural Python value gives the scene the command line makes from the text form.
    start = dt.datetime(2023, 7, 31, 15, 0, tzinfo=dt.timezone.utc)
    text = replay.scene(
        size=(1280, 720), at=dt.timedelta(hours=13, minutes=20),
        time_range=(np.datetime64("2023-07-31T16:00:00"), start + dt.timedelta(days=2)),
        bbox=(100, 10, 250, 60), speed=600, frames=(0, 150), duration=10,
        keyframe=[("+1h", 37.5, 55.8, 800), (dt.timedelta(hours=9), 125.7, 39.2, 400)])
    expected = cli("render", SAMPLES, "-q", "--size", "1280x720", "--at", "+48000s",
                   "--time-range", "2023-07-31T16:00:00Z,2023-08-02T15:00:00Z", "--bbox", "100,10,250,60",
                   "--speed", "600x", "--frames", "0:150", "--duration", "10",
                   "--keyframe", "+1h,37.5,55.8,800", "--keyframe", "+32400s,125.7,39.2,400", "--dump-scene").stdout
    assert text == expected
    assert replay.still(at=dt.timedelta(hours=13, minutes=20), size=(160, 90)).times == \
        replay.still(at="+13h20m", size=(160, 90)).times
