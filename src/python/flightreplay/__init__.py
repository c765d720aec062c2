"""flightreplay: replay recorded flight tracks over a map, from Python.

The same libraries as the ``flightreplay`` command line, loaded once per :func:`load`::

    import flightreplay as fr
    r = fr.load("assets/samples")              # files or directories, CLI options as keywords
    r.flights[0].stops[0].duration             # datetime.timedelta(days=1, seconds=44103)
    pts = r.points(r.flights[0])               # NumPy structured view of the track points
    r.still(at="+13h", size=(1280, 720))        # shows inline in Jupyter; .save("x.png")
    r.video("replay.mp4", duration=10)          # MP4/WebM/GIF, progress bar, shows inline
    r.export("legs.gpkg"); r.to_geojson()       # the command line's GIS exports
    print(r.scene(title="RFF7203"))             # the TOML scene of this replay

Keyword options are the command line's long options with ``-`` written ``_`` (``--trail-minutes``
is ``trail_minutes=``); they are checked by the command line's own option table, so values,
errors and defaults are the same. See docs/python.md.
"""
from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
import pathlib as _pathlib
import sys as _sys
import tempfile as _tempfile
import warnings as _warnings

# NumPy is imported on first use (points()), not here: it is a third of `import flightreplay`.
from . import _core
from ._core import DataError, Error, StrictError, UsageError

__all__ = [
    "load", "Replay", "Still", "Flight", "Leg", "Stop", "Gap", "Airport", "Aircraft", "Points",
    "Diagnostic", "DataWarning", "Error", "DataError", "UsageError", "StrictError", "option_names",
]
__version__ = _core.__version__

# ---- options -------------------------------------------------------------------------------------

_OPTIONS = {key: (section, kind, help_, is_input, is_path)
            for key, section, kind, help_, is_input, is_path in _core.option_table()}

# Options the Python API supplies itself rather than taking as keywords.
_NOT_KEYWORDS = {"inputs", "output"}


def option_names():
    """The keyword options, as ``{python_name: help}`` (the command line's ``--name`` with ``_``)."""
    return {k.replace("-", "_"): v[2] for k, v in _OPTIONS.items() if k not in _NOT_KEYWORDS}


def _iso(t):
    """A datetime (naive: taken as UTC) or numpy datetime64 -> ISO 8601 UTC with Z."""
    np = _sys.modules.get("numpy")
    if np is not None and isinstance(t, np.datetime64):
        t = t.astype("datetime64[ms]").item()
    if t.tzinfo is not None:
        t = t.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    text = t.isoformat(timespec="milliseconds" if t.microsecond else "seconds")
    return text + "Z"


def _time_text(v):
    """--at / --time-range / keyframe times: text as is, datetimes as ISO Z, timedeltas as +offsets."""
    if isinstance(v, str):
        return v
    np = _sys.modules.get("numpy")  # a NumPy value means NumPy is imported already
    if isinstance(v, _dt.datetime) or (np is not None and isinstance(v, np.datetime64)):
        return _iso(v)
    if isinstance(v, _dt.timedelta) or (np is not None and isinstance(v, np.timedelta64)):
        seconds = round(v / np.timedelta64(1, "s")) if not isinstance(v, _dt.timedelta) else round(v.total_seconds())
        return ("+" if seconds >= 0 else "-") + f"{abs(seconds)}s"
    raise TypeError(f"expected a time (ISO 8601 text, datetime or timedelta), got {type(v).__name__}")


def _option_value(key, value):
    """A Python value -> what the option table takes (the command line's text forms)."""
    section, kind, _, _, is_path = _OPTIONS[key]
    if isinstance(value, _os.PathLike):
        value = _os.fspath(value)
    if kind == "list":
        items = [value] if isinstance(value, (str, _os.PathLike)) else list(value)
        if key == "keyframe":
            items = [",".join(_time_text(x) if i == 0 else str(x) for i, x in enumerate(k))
                     if isinstance(k, (tuple, list)) else k for k in items]
        return [_os.fspath(i) if isinstance(i, _os.PathLike) else i for i in items]
    if kind == "text" and not isinstance(value, str):
        if key == "size" and isinstance(value, (tuple, list)) and len(value) == 2:
            return f"{int(value[0])}x{int(value[1])}"
        if key == "sheet" and isinstance(value, (tuple, list)) and len(value) == 2:
            return f"{int(value[0])}x{int(value[1])}"
        if key == "at":
            if isinstance(value, (tuple, list)):
                return ",".join(_time_text(v) for v in value)
            return _time_text(value)
        if key == "time-range" and isinstance(value, (tuple, list)) and len(value) == 2:
            return f"{_time_text(value[0])},{_time_text(value[1])}"
        if key in ("bbox", "extent") and isinstance(value, (tuple, list)):
            return ",".join(repr(float(v)) for v in value)
        if key == "speed" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"{value!r}x"
        if key == "frames" and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if key == "frames" and isinstance(value, (tuple, list)) and len(value) == 2:
            return f"{int(value[0])}:{int(value[1])}"
    return value


def _options(kwargs, allow_input):
    """Keyword arguments -> [(option key, value)]; unknown names raise TypeError."""
    out = []
    for name, value in kwargs.items():
        key = name.replace("_", "-")
        if key not in _OPTIONS or key in _NOT_KEYWORDS:
            close = sorted(k.replace("-", "_") for k in _OPTIONS if k not in _NOT_KEYWORDS)
            raise TypeError(f"unexpected keyword argument '{name}' (flightreplay options: {', '.join(close)})")
        if _OPTIONS[key][3] and not allow_input:
            raise UsageError(f"{name}= is an input option: give it to flightreplay.load()")
        if value is None:
            continue
        out.append((key, _option_value(key, value)))
    return out


# ---- reports: info --json as Python objects -------------------------------------------------------

def _parse_time(text):
    return _dt.datetime.strptime(text.replace("Z", "+0000"),
                                 "%Y-%m-%dT%H:%M:%S.%f%z" if "." in text else "%Y-%m-%dT%H:%M:%S%z")


class _Record:
    """A JSON object of `info --json` with attribute access: times become aware UTC datetimes,
    ``*_s`` durations are also offered as ``timedelta`` without the suffix (``duration``),
    nested objects become records. ``to_dict()`` returns the JSON object unchanged."""

    _children = {}

    def __init__(self, d):
        self._d = d

    def to_dict(self):
        """The object exactly as in ``flightreplay info --json`` (a deep copy)."""
        return _json.loads(_json.dumps(self._d))

    def __getattr__(self, name):
        d = self.__dict__.get("_d")
        if d is None:
            raise AttributeError(name)
        if name in d:
            return self._convert(name, d[name])
        if name + "_s" in d and isinstance(d[name + "_s"], (int, float)):
            return _dt.timedelta(seconds=d[name + "_s"])
        raise AttributeError(f"{type(self).__name__} has no attribute '{name}' (fields: {', '.join(d)})")

    def _convert(self, name, v):
        cls = self._children.get(name)
        if cls is not None:
            if isinstance(v, list):
                return [cls(x) for x in v]
            return None if v is None else cls(v)
        if isinstance(v, str) and (name in ("time", "start", "end") or name.endswith("_time")):
            return _parse_time(v)
        if isinstance(v, dict):
            return _Record(v)
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            return [_Record(x) for x in v]
        return v

    def __dir__(self):
        extra = [k[:-2] for k in self._d if k.endswith("_s")]
        return sorted(set(list(self._d) + extra + ["to_dict"]))

    def __eq__(self, other):
        return type(self) is type(other) and self._d == other._d

    def __repr__(self):
        return f"{type(self).__name__}({self._d!r})"


class Airport(_Record):
    """An airport of the bundled table: ``icao``, ``iata``, ``name``."""

    def __str__(self):
        return f"{self._d.get('name', '')} ({self._d.get('icao', '')})"

    def __repr__(self):
        return f"Airport({self._d.get('icao', '')!r}, {self._d.get('name', '')!r})"


class _TimePlace(_Record):
    _children = {"airport": Airport}


class Gap(_Record):
    """A coverage gap inside a leg: ``start``, ``end``, ``duration``, ``distance_m``, ``plausible``."""

    def __repr__(self):
        return f"Gap({self.start:%Y-%m-%d %H:%M}Z, {self.duration})"


class Stop(_Record):
    """A ground stop between legs: ``airport`` (or None), ``start``, ``end``, ``duration``, ``inferred``."""
    _children = {"airport": Airport}

    def __repr__(self):
        where = self._d["airport"]["icao"] if self._d.get("airport") else "unknown airport"
        return f"Stop({where}, {self.start:%Y-%m-%d %H:%M}Z, {self.duration})"


class Leg(_Record):
    """Take-off to landing: ``departure``/``arrival`` (``time``, ``airport``), distances, ``gaps``."""
    _children = {"departure": _TimePlace, "arrival": _TimePlace, "gaps": Gap}

    def __repr__(self):
        def code(end):
            a = self._d.get(end, {}).get("airport")
            return a["icao"] if a else "?"
        return f"Leg({self._d.get('callsign', '')}, {code('departure')}->{code('arrival')}, {self.departure.time:%Y-%m-%d %H:%M}Z)"


class Aircraft(_Record):
    """Who the aircraft is: ``id`` (ICAO address), ``callsign``, ``registration``, ``type``."""

    def __str__(self):
        d = self._d
        return d.get("callsign") or d.get("registration") or d.get("id") or "unknown"


class Flight(_Record):
    """One aircraft's merged history: ``aircraft``, ``provenance``, ``sources``, ``legs``,
    ``stops`` and ``gaps`` (every leg's coverage gaps, in time order), and every other field of
    the ``info --json`` schema (``merge_notes``, ``breaks``, ``rejected_fixes``...). ``index`` is its position
    in ``Replay.flights`` (``Replay.points`` takes the flight or the index)."""
    _children = {"aircraft": Aircraft, "legs": Leg, "stops": Stop, "ground_airport": Airport}

    def __init__(self, d, index=0):
        super().__init__(d)
        self.__dict__["index"] = index

    @property
    def gaps(self):
        return [g for leg in self.legs for g in leg.gaps]

    @property
    def name(self):
        return str(self.aircraft)

    def __repr__(self):
        return (f"Flight({self.name}, {len(self._d.get('legs', []))} leg(s), "
                f"{len(self._d.get('stops', []))} stop(s), {self._d.get('provenance')})")


# ---- diagnostics ---------------------------------------------------------------------------------

class DataWarning(UserWarning):
    """A problem in an input record that was skipped (the command line prints these)."""


class Diagnostic:
    """A problem found in an input: ``file``, ``line``, ``column`` (1-based, 0 = not applicable),
    ``severity``, ``message``, ``json_path``; ``str()`` is the command line's message."""
    __slots__ = ("file", "line", "column", "severity", "message", "json_path", "_text")

    def __init__(self, file, line, column, severity, message, json_path, text):
        self.file, self.line, self.column = file, line, column
        self.severity, self.message, self.json_path, self._text = severity, message, json_path, text

    def __str__(self):
        return self._text

    def __repr__(self):
        return f"Diagnostic({self._text!r})"


# ---- points --------------------------------------------------------------------------------------

_points_class = None


def _points_type():
    """The Points class, made on first use so that importing the package does not import NumPy."""
    global _points_class
    if _points_class is None:
        import numpy as np

        class Points(np.ndarray):
            """The track points of one flight: a read-only NumPy structured array viewing the
            loaded points in place (fields ``time`` datetime64[ms] UTC, ``lat``, ``lon`` degrees,
            ``altitude_m``, ``ground_speed_mps``, ``track_deg`` (NaN where the source has none),
            ``flags``), plus ``on_ground``, computed from ``flags`` when read: True where the
            source says the aircraft was on the ground (False for airborne or not reported)."""

            def __getitem__(self, key):
                if isinstance(key, str) and key == "on_ground":
                    return self.on_ground
                return super().__getitem__(key)

            @property
            def on_ground(self):
                flags = np.ndarray.__getitem__(self.view(np.ndarray), "flags")
                return (flags & 3) == 2

        Points.__module__ = __name__
        Points.__qualname__ = "Points"
        _points_class = Points
    return _points_class


def __getattr__(name):
    if name == "Points":
        return _points_type()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---- outputs -------------------------------------------------------------------------------------

def _progress_callback(progress):
    """progress=None: a tqdm bar when tqdm imports (widgets when ipywidgets imports, else text);
    False: none; a callable: called with (done, total, pass)."""
    if callable(progress):
        return progress, None
    if progress is False:
        return None, None
    try:
        try:
            import ipywidgets  # noqa: F401
            from tqdm.auto import tqdm
        except ImportError:
            from tqdm import tqdm
    except ImportError:
        return None, None
    bars = {}

    def update(done, total, stage):
        bar = bars.get(stage)
        if bar is None:
            for b in bars.values():
                b.close()
            bar = bars[stage] = tqdm(total=total, desc=stage, unit="frame")
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    def close():
        for b in bars.values():
            b.close()
    return update, close


class Still:
    """A picture of the replay at one time. In Jupyter it shows itself (PNG, or SVG for
    ``vector=True``); ``save(path)`` writes .png (the same bytes as ``flightreplay render -o
    x.png`` with the same options), .svg or .pdf; ``to_numpy()`` gives H x W x 4 RGBA uint8."""

    def __init__(self, replay, options, request, vector):
        self._replay, self._options, self._request, self._vector = replay, options, request, vector
        self._pixels = None if vector else replay._state.still(request)
        self._png = None
        self._svg = None

    def _raster(self):
        if self._pixels is None:
            self._pixels = self._replay._state.still(self._request)
        return self._pixels

    @property
    def size(self):
        """(width, height) in pixels of the PNG (``size`` scaled by ``dpi / 96``)."""
        p = self._raster()
        return p.width, p.height

    @property
    def times(self):
        """The replay times shown (one; a contact sheet's several) as aware UTC datetimes."""
        return [_parse_time(t) for t in self._raster().times]

    def save(self, path):
        """Writes .png, .svg or .pdf (by extension) atomically; returns the path."""
        path = _pathlib.Path(path)
        if path.suffix.lower() == ".png":
            self._raster().save_png(str(path))
        else:
            self._replay._write(path, self._replay._request(self._options, output=path), progress=False)
        return path

    def to_png(self):
        """The PNG file's bytes."""
        if self._png is None:
            with _tempfile.TemporaryDirectory(prefix="flightreplay-") as d:
                p = _pathlib.Path(d) / "still.png"
                self._raster().save_png(str(p))
                self._png = p.read_bytes()
        return self._png

    def to_svg(self):
        """The picture as SVG text (Cairo's SVG surface: text is drawn as outlines)."""
        if self._svg is None:
            with _tempfile.TemporaryDirectory(prefix="flightreplay-") as d:
                p = _pathlib.Path(d) / "still.svg"
                self.save(p)
                self._svg = p.read_text(encoding="utf-8")
        return self._svg

    def to_numpy(self):
        """H x W x 4 uint8 RGBA (not premultiplied)."""
        return self._raster().rgba()

    def _repr_png_(self):
        return None if self._vector else self.to_png()

    def _repr_svg_(self):
        return self.to_svg() if self._vector else None

    def __repr__(self):
        kind = "vector " if self._vector else ""
        w, h = self._request.size
        return f"<flightreplay {kind}Still {w}x{h}>"


class VideoFile:
    """A written video when IPython is not installed, or a PNG sequence (``path`` is then the
    folder or pattern given): ``path`` (and ``str()``)."""

    def __init__(self, path):
        self.path = _pathlib.Path(path)

    def __fspath__(self):
        return str(self.path)

    def __str__(self):
        return str(self.path)

    def __repr__(self):
        return f"VideoFile({str(self.path)!r})"


_EMBED_LIMIT = 20 * 1024 * 1024  # bytes: larger videos are linked, not embedded in the notebook


def _video_display(path):
    if path.suffix.lower() not in (".mp4", ".webm", ".gif"):
        return VideoFile(path)  # a PNG sequence: nothing to play inline
    try:
        from IPython.display import Image, Video
    except ImportError:
        return VideoFile(path)
    if path.suffix.lower() == ".gif":
        shown = Image(filename=str(path))
    else:
        embed = path.stat().st_size <= _EMBED_LIMIT
        mime = "video/webm" if path.suffix.lower() == ".webm" else "video/mp4"
        shown = Video(str(path), embed=embed, mimetype=mime, html_attributes="controls loop muted")
    shown.path = path
    return shown


class Replay:
    """Loaded and analysed tracks (see :func:`load`). Immutable; every method renders or
    exports from the same loaded data, with the options given to :func:`load` as defaults."""

    def __init__(self, state, diagnostics):
        self._state = state
        self.diagnostics = diagnostics
        self._report = _json.loads(state.info_json())
        self.flights = [Flight(f, i) for i, f in enumerate(self._report.get("flights", []))]

    def __repr__(self):
        return f"<flightreplay Replay: {len(self.flights)} flight(s) from {len(self.files)} file(s)>"

    @property
    def files(self):
        """Every track file read (directories expanded)."""
        return [_pathlib.Path(f) for f in self._state.files]

    @property
    def rows(self):
        """(rows read, rows skipped with a diagnostic)."""
        return tuple(self._state.rows)

    def info(self):
        """The ``info`` table as text."""
        return self._state.info_table()

    def to_dict(self):
        """The ``info --json`` document as a dict."""
        return _json.loads(_json.dumps(self._report))

    def to_json(self):
        """The ``info --json`` text, byte for byte."""
        return self._state.info_json()

    def _index(self, flight):
        if isinstance(flight, Flight):
            return flight.index
        if isinstance(flight, int):
            if flight < 0:
                flight += len(self.flights)
            return flight
        for f in self.flights:
            if str(flight).lower() in {str(v).lower() for v in f.aircraft.to_dict().values() if v}:
                return f.index
        raise KeyError(f"no flight matches {flight!r}")

    def points(self, flight=0):
        """The points of a flight (a Flight, its index, or its callsign/registration/ICAO
        address) as a :class:`Points` view: no copy, read-only, valid while anything holds it."""
        arr = self._state.points(self._index(flight))
        return arr.view(_points_type())

    def _request(self, kwargs, output=None):
        opts = _options(kwargs, allow_input=False)
        if "quiet" not in kwargs:
            opts.append(("quiet", True))  # Python reports through return values, warnings and progress
        if output is not None:
            opts.append(("output", _os.fspath(output)))
        return self._state.derive(opts)

    def _write(self, path, request, progress=None):
        update, close = _progress_callback(progress)
        try:
            result = self._state.write(request, update)
        finally:
            if close:
                close()
        return result

    def still(self, at=None, size=None, *, vector=False, **options):
        """The replay at ``at`` (ISO 8601 text, datetime, timedelta or ``"+13h20m"`` from the
        start; default: the end) as a :class:`Still`. ``size`` is ``(w, h)`` or ``"WxH"``; other
        keywords are the command line's render options (``title``, ``projection``, ``dpi``...)."""
        options = dict(options, at=at, size=size)
        req = self._request(options, output="still.svg" if vector else "still.png")
        req.validate()
        return Still(self, options, req, vector)

    def video(self, path, *, progress=None, **options):
        """Writes an MP4, WebM, GIF or PNG sequence (by ``path``) as ``flightreplay render -o``
        does, with a progress bar (tqdm, when installed) or ``progress(done, total, pass)``.
        Ctrl-C stops it: KeyboardInterrupt, and no partial file is left. Returns an object that
        shows the video inline in Jupyter (``.path`` is the file)."""
        path = _pathlib.Path(path)
        req = self._request(options, output=path)
        req.validate()
        result = self._write(path, req, progress)
        if result == ["cancelled"]:  # only when a signal handler did not raise
            raise KeyboardInterrupt("video render cancelled")
        return _video_display(path)

    def export(self, path, **options):
        """Writes the analysed tracks (.geojson, .kml, .gpkg) or a still (.png, .svg, .pdf), as
        ``flightreplay render -o path`` does. Returns the path."""
        path = _pathlib.Path(path)
        req = self._request(options, output=path)
        req.validate()
        self._write(path, req, progress=False)
        return path

    def to_geojson(self):
        """The GeoJSON export (legs, stops, gaps as one FeatureCollection) as a dict."""
        with _tempfile.TemporaryDirectory(prefix="flightreplay-") as d:
            p = self.export(_pathlib.Path(d) / "analysis.geojson")
            return _json.loads(p.read_text(encoding="utf-8"))

    def scene(self, **options):
        """The TOML scene of this replay with these options over it (``render --dump-scene``):
        ``flightreplay render --scene FILE`` or ``flightreplay.load(scene=FILE)`` reproduce it."""
        return self._request(options).dump_scene()


def load(paths=None, *, scene=None, strict=None, **options):
    """Loads and analyses track files and directories, as ``flightreplay info`` and ``render``
    do (merging one aircraft's tracks across files).

    ``paths``: a path or a list of paths (str or PathLike); may be omitted with ``scene``.
    ``scene``: a TOML scene file (``render --dump-scene``); keywords override it.
    ``strict``: any problem in an input raises :class:`StrictError` (``.file``, ``.line``,
    ``.column``); otherwise problems are returned in ``Replay.diagnostics`` (all of them) and
    issued as :class:`DataWarning` warnings, one per line the command line prints (repeats of
    one kind folded into a count unless ``verbose=True``). Other keywords are the command line's options (``format``,
    ``aircraft``, ``csv_columns``, and render options used as the replay's defaults).
    Raises UsageError (a ValueError) for invalid options, DataError for unreadable data.
    """
    if strict is not None:
        options["strict"] = strict
    opts = _options(options, allow_input=True)
    if paths is not None:
        if isinstance(paths, (str, _os.PathLike)):
            paths = [paths]
        opts.insert(0, ("inputs", [_os.fspath(p) for p in paths]))
    request = _core.make_request(None if scene is None else _os.fspath(scene), opts)
    state = _core.load(request)
    diagnostics = [Diagnostic(*d) for d in state.diagnostics]
    # One warning per line the command line prints: repeats of one kind folded into a count
    # unless verbose=True; the list keeps every diagnostic.
    for line in state.diagnostics_text().splitlines():
        _warnings.warn(line, DataWarning, stacklevel=2)
    return Replay(state, diagnostics)
