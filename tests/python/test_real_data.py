"""The module on real recordings kept outside the repository (skipped, exit 77, without them)."""
import datetime as dt
import json
import os
import pathlib

import numpy as np
import pytest

SHARED = pathlib.Path(os.environ.get("FR_SHARED_DATA", "/nonexistent"))
TRACE = SHARED / "xoolive-traffic" / "readsb" / "trace_full_ac671b.json"
SWISS = SHARED / "xoolive-traffic" / "opensky_traffic_json" / "switzerland.json.gz"

needs_trace = pytest.mark.skipif(not TRACE.exists(), reason=f"real recording not found at {TRACE}")
needs_swiss = pytest.mark.skipif(not SWISS.exists(), reason=f"real recording not found at {SWISS}")


@needs_trace
def test_readsb_trace_matches_the_cli(fr, cli, tmp_path):
    with pytest.warns(fr.DataWarning, match="repeat an earlier timestamp"):  # as `info` prints
        r = fr.load(TRACE)
    assert r.to_dict() == json.loads(cli("info", "--json", TRACE).stdout)
    f = r.flights[0]
    assert f.provenance == "recorded" and len(f.legs) == 4
    # Minneapolis, Spokane (overnight, hidden in a coverage gap: inferred), Minneapolis.
    assert [s.airport.icao for s in f.stops] == ["KMSP", "KGEG", "KMSP"]
    assert [s.inferred for s in f.stops] == [False, True, False]
    assert f.stops[1].duration > dt.timedelta(hours=6)
    pts = r.points(f)
    assert np.all(np.diff(pts["time"].astype("int64")) > 0)
    assert pts["on_ground"].any() and not pts["on_ground"].all()
    # The same PNG bytes as the command line, on real data too.
    r.still(at="+12h", size=(640, 360)).save(tmp_path / "py.png")
    cli("render", TRACE, "-o", tmp_path / "cli.png", "--at", "+12h", "--size", "640x360")
    assert (tmp_path / "py.png").read_bytes() == (tmp_path / "cli.png").read_bytes()


@needs_swiss
def test_many_aircraft_and_the_aircraft_filter(fr, cli):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fr.DataWarning)
        r = fr.load(SWISS)
        assert len(r.flights) > 800
        assert r.to_dict() == json.loads(cli("info", "--json", SWISS).stdout)
        first = r.flights[0]
        key = first.aircraft.id or first.aircraft.callsign
        one = fr.load(SWISS, aircraft=key)
    assert all(key.lower() in {str(v).lower() for v in f.aircraft.to_dict().values()} for f in one.flights)
    # Views of different flights do not overlap and keep their own points.
    a, b = r.points(0), r.points(1)
    assert not np.shares_memory(a, b)
    assert len(a) == len(r.points(r.flights[0]))


@needs_swiss
def test_sigint_during_a_long_load(tmp_path):
    # Loaders take no cancel flag: the interrupt is raised as soon as the load returns. The child
    # loads the day again and again (one load takes well under a second since the analysis got
    # faster), so the signal lands inside a load; were it lost, the loop would run to its end.
    import signal
    import subprocess
    import sys
    import time
    script = tmp_path / "child.py"
    script.write_text(
        "import sys, time, warnings\nimport flightreplay as fr\nwarnings.simplefilter('ignore')\n"
        "print('LOADING', flush=True)\nt = time.monotonic()\n"
        "try:\n    for _ in range(500):\n        fr.load(sys.argv[1])\nexcept KeyboardInterrupt:\n"
        "    print('INTERRUPTED', round(time.monotonic() - t, 2), flush=True)\n    sys.exit(0)\n"
        "print('LOADED', flush=True)\nsys.exit(3)\n")
    child = subprocess.Popen([sys.executable, str(script), str(SWISS)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "LOADING"
    time.sleep(0.5)
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0 and out.startswith("INTERRUPTED"), out
