"""fr.load(), the reports (flights, legs, stops, gaps), diagnostics, strict mode and options."""
import csv
import datetime as dt
import json
import warnings

import numpy as np
import pytest

from conftest import SAMPLES, TEST_DATA

BAD_LAT = TEST_DATA / "invalid" / "fr24" / "lat_out_of_range.csv"


def test_flights_have_the_cli_info_json_content(replay, cli):
    # The same document as `info --json` on the same files, parsed.
    expected = json.loads(cli("info", "--json", SAMPLES).stdout)
    assert replay.to_dict() == expected
    assert [f.to_dict() for f in replay.flights] == expected["flights"]
    assert replay.to_json() == cli("info", "--json", SAMPLES).stdout


def test_the_zkpy_stop_is_one_flight_across_both_files(replay):
    # The sample is two FR24 files (outbound and return): one merged flight, two legs, and the
    # stop at Pyongyang between them.
    assert len(replay.flights) == 1
    f = replay.flights[0]
    assert f.name == "RFF7203"
    assert f.provenance == "reconstructed"
    assert len(f.sources) == 2 and len(f.legs) == 2
    stop = f.stops[0]
    assert stop.airport.icao == "ZKPY"
    # The stop lies between the outbound touchdown and the return take-off (its end is the
    # start of the take-off roll, so a few minutes before the take-off itself).
    assert f.legs[0].arrival.time <= stop.start < stop.end <= f.legs[1].departure.time
    assert stop.start - f.legs[0].arrival.time < dt.timedelta(minutes=10)
    assert f.legs[1].departure.time - stop.end < dt.timedelta(minutes=10)
    assert stop.duration == stop.end - stop.start
    assert stop.duration == dt.timedelta(seconds=stop.to_dict()["duration_s"])
    # "about 36 h": between 35 and 37 hours.
    assert dt.timedelta(hours=35) < stop.duration < dt.timedelta(hours=37)
    assert stop.start.tzinfo is not None and stop.start.utcoffset() == dt.timedelta(0)


def test_legs_gaps_and_airports(replay):
    f = replay.flights[0]
    out, back = f.legs
    assert (out.departure.airport.icao, out.arrival.airport.icao) == ("UUMU", "ZKPY")
    assert (back.departure.airport.icao, back.arrival.airport.icao) == ("ZKPY", "UUMU")
    assert f.gaps == out.gaps + back.gaps and len(f.gaps) >= 1
    for g in f.gaps:
        assert g.end - g.start == g.duration
    assert "ZKPY" in repr(f.stops[0]) and "UUMU" in repr(out)
    assert "RFF7203" in replay.info()
    with pytest.raises(AttributeError):
        f.no_such_field


def test_loading_directories_and_files_agree(fr, replay):
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix == ".csv")
    by_file = fr.load(files)
    assert by_file.to_dict()["flights"][0]["stops"] == replay.to_dict()["flights"][0]["stops"]
    assert sorted(map(str, by_file.files)) == sorted(map(str, files))
    assert replay.rows[0] > 1000 and replay.rows[1] == 0


def test_diagnostics_are_a_list_and_python_warnings(fr, cli):
    with pytest.warns(fr.DataWarning) as caught:
        r = fr.load(BAD_LAT)
    assert len(r.diagnostics) == 1
    d = r.diagnostics[0]
    assert (d.file, d.line, d.column) == (str(BAD_LAT), 2, 4)
    assert "out of range" in d.message and d.severity == "warning"
    # Word for word what the command line prints.
    cli_err = cli("info", BAD_LAT).stderr
    assert str(d) in cli_err.splitlines()
    assert [str(w.message) for w in caught] == [str(d)]
    assert r.rows == (2, 1)


def test_repeated_warnings_fold_as_on_the_command_line(fr, cli, tmp_path):
    # Ten rows, six with an impossible latitude: the same problem six times in one file.
    path = tmp_path / "repeats.csv"
    rows = ["Timestamp,UTC,Callsign,Position,Altitude,Speed,Direction"]
    for i in range(10):
        lat = 95.0 if i % 10 in (1, 2, 3, 5, 6, 8) else 50.0 + i * 0.01
        t = 1690815600 + 60 * i
        rows.append(f'{t},2023-07-31T15:{i:02d}:00Z,TEST1,"{lat},8.5",35000,450,90')
    path.write_text("\n".join(rows) + "\n")
    with pytest.warns(fr.DataWarning) as folded:
        r = fr.load(path)
    assert len(r.diagnostics) == 6  # the list keeps every one
    cli_lines = [l for l in cli("info", path).stderr.splitlines() if "row(s) skipped" not in l]
    assert [str(w.message) for w in folded] == cli_lines
    assert len(cli_lines) < 6
    with pytest.warns(fr.DataWarning) as every:
        fr.load(path, verbose=True)
    assert [str(w.message) for w in every] == [str(d) for d in r.diagnostics]


def test_strict_raises_with_file_line_and_column(fr, cli):
    with pytest.raises(fr.StrictError) as info:
        fr.load(BAD_LAT, strict=True)
    e = info.value
    assert (e.file, e.line, e.column) == (str(BAD_LAT), 2, 4)
    assert "out of range" in e.message
    cli_err = cli("info", "--strict", BAD_LAT, check=False)
    assert cli_err.returncode == 1
    assert str(e) in cli_err.stderr  # the same message as the command line's
    assert isinstance(e, fr.DataError)


def test_missing_file_is_a_data_error(fr, tmp_path):
    with pytest.raises(fr.DataError, match="nope.csv"):
        fr.load(tmp_path / "nope.csv")


def test_options_are_validated_as_on_the_command_line(fr, cli):
    # The message is the command line's (which exits 2 for it).
    with pytest.raises(fr.UsageError) as info:
        fr.load(SAMPLES, format="nonsense")
    r = cli("info", "--format", "nonsense", SAMPLES, check=False)
    assert r.returncode == 2 and str(info.value) in r.stderr
    assert isinstance(info.value, ValueError)
    with pytest.raises(fr.UsageError, match="--projection"):
        fr.load(SAMPLES, projection="flat-earth")
    with pytest.raises(fr.UsageError, match="--fps"):
        fr.load(SAMPLES, fps=0)
    with pytest.raises(fr.UsageError, match="--trail-minutes"):
        fr.load(SAMPLES, trail_minutes=-5)
    with pytest.raises(fr.UsageError, match="--labels must be True or False"):
        fr.load(SAMPLES, labels="yes")
    with pytest.raises(fr.UsageError, match="--fps must be an integer"):
        fr.load(SAMPLES, fps=29.97)
    with pytest.raises(fr.UsageError, match="--hold must be a number"):
        fr.load(SAMPLES, hold="2")
    # NumPy scalars are numbers.
    assert "fps = 25" in fr.load(SAMPLES, fps=np.int64(25), hold=np.float32(1.5)).scene()
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        fr.load(SAMPLES, colour="red")
    with pytest.raises(fr.UsageError, match="no aircraft matches"):
        fr.load(SAMPLES, aircraft="NOPE123")
    with pytest.raises(fr.UsageError, match="no input files"):
        fr.load([])


def test_aircraft_filter_and_option_names(fr):
    r = fr.load(SAMPLES, aircraft=["rff7203"])
    assert len(r.flights) == 1
    names = fr.option_names()
    assert "trail_minutes" in names and "title_card" in names and "output" not in names


def test_points_view_the_loaded_records(replay):
    pts = replay.points(replay.flights[0])
    assert pts.dtype.itemsize == 40
    assert pts.dtype.names == ("time", "lat", "lon", "altitude_m", "ground_speed_mps", "track_deg", "flags")
    assert pts.dtype["time"] == np.dtype("datetime64[ms]")
    # Every data row of both files (no duplicates in the sample), counted independently.
    rows = sum(sum(1 for line in open(p) if line.strip() and not line.startswith("#")) - 1
               for p in SAMPLES.glob("*.csv"))
    assert len(pts) == rows
    assert np.all(np.diff(pts["time"].astype("int64")) > 0)
    # No copy: two calls view the same memory, and the view cannot be written.
    again = replay.points(0)
    assert np.shares_memory(pts, again)
    assert pts.__array_interface__["data"][0] == again.__array_interface__["data"][0]
    assert not pts.flags.writeable
    with pytest.raises(ValueError):
        pts["lat"][0] = 0.0
    # By callsign too.
    assert np.shares_memory(replay.points("RFF7203"), pts)
    with pytest.raises(KeyError):
        replay.points("NOPE")


def test_points_match_the_csv(replay):
    # First row of the outbound file, read independently: FR24 CSV units are feet and knots.
    path = sorted(SAMPLES.glob("*UUMU-ZKPY*.csv"))[0]
    rows = [r for r in csv.reader(line for line in open(path) if not line.startswith("#"))]
    header, first = rows[0], rows[1]
    rec = dict(zip(header, first))
    lat, lon = map(float, rec["Position"].split(","))
    pts = replay.points(0)
    p = pts[0]
    assert p["time"] == np.datetime64(int(rec["Timestamp"]) * 1000, "ms")
    assert abs(p["lat"] - lat) < 1e-9 and abs(p["lon"] - lon) < 1e-9  # degrees
    assert abs(p["altitude_m"] - float(rec["Altitude"]) * 0.3048) < 0.01  # metres (float32)
    assert abs(p["ground_speed_mps"] - float(rec["Speed"]) * 1852 / 3600) < 0.01  # m/s
    assert abs(p["track_deg"] - float(rec["Direction"])) < 1e-4  # degrees


def test_numpy_is_imported_on_first_use(fr):
    import subprocess
    import sys
    code = ("import sys, flightreplay as fr\nassert 'numpy' not in sys.modules\n"
            "pts = fr.load(sys.argv[1]).points(0)\nassert 'numpy' in sys.modules and isinstance(pts, fr.Points)\n"
            "print(type(pts).__name__, len(pts))")
    r = subprocess.run([sys.executable, "-c", code, str(SAMPLES)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[0] == "Points"


def test_on_ground_is_computed_from_flags(replay):
    pts = replay.points(0)
    og = pts["on_ground"]
    assert og.dtype == bool and og.shape == pts.shape
    assert np.array_equal(og, (pts["flags"] & 3) == 2)
    assert np.array_equal(pts.on_ground, og)
    # On the ground at the start (UUMU) and the end (UUMU), airborne in cruise.
    cruise = pts["altitude_m"] > 9000
    assert cruise.any() and not og[cruise].any()
    assert og[0] and og[-1]
    # Slices keep the column.
    assert np.array_equal(pts[10:20]["on_ground"], og[10:20])


def test_points_outlive_the_replay(fr):
    pts = fr.load(SAMPLES).points(0)  # the Replay object is gone; the array keeps the data
    import gc
    gc.collect()
    assert len(pts) > 1000 and np.isfinite(pts["lat"]).all()
