#!/usr/bin/python3
"""Loading through Python vs the command line's `info` on the same files (target: within 10%).

    PYTHONPATH=build/release/python /usr/bin/python3 bench/python_vs_cli_load.py [BUILD] [RUNS] [FILES...]

BUILD defaults to build/release, RUNS to 5, FILES to the bundled sample plus, when present, the
real recordings named by $FLIGHTREPLAY_RECORDINGS (the readsb trace and the 842-aircraft OpenSky
day). Alternates the two RUNS times each in one session and prints medians:
  cli     wall time of `flightreplay info FILES > /dev/null` (process start to exit)
  python  wall time of a fresh `/usr/bin/python3` doing `flightreplay.load(FILES)` (process start
          to exit: interpreter, NumPy and module import included)
  load    time of the `flightreplay.load(FILES)` call alone, inside that process
  import  time of `import flightreplay` inside that process (NumPy is imported on first use)
The figure printed last is load / cli (and python / cli beside it).
"""
import os
import pathlib
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def main():
    build = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "release"
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    files = [pathlib.Path(f) for f in sys.argv[3:]]
    if not files:
        files = [ROOT / "assets" / "samples"]
        rec = os.environ.get("FLIGHTREPLAY_RECORDINGS")
        if rec:
            for rel in ("xoolive-traffic/readsb/trace_full_ac671b.json",
                        "xoolive-traffic/opensky_traffic_json/switzerland.json.gz"):
                if (pathlib.Path(rec) / rel).exists():
                    files.append(pathlib.Path(rec) / rel)
    exe = build / "src" / "app" / "flightreplay"
    env = dict(os.environ, PYTHONPATH=str(build / "python"))
    child = ("import sys, time\nt0 = time.perf_counter()\nimport flightreplay as fr\nimport warnings\n"
             "warnings.simplefilter('ignore')\nt = time.perf_counter(); r = fr.load(sys.argv[1:]); d = time.perf_counter() - t\n"
             "print(d, len(r.flights), t - t0)")
    cli, py, load, imp = [], [], [], []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([str(exe), "info", *map(str, files)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        cli.append(time.perf_counter() - t)
        t = time.perf_counter()
        out = subprocess.run(["/usr/bin/python3", "-c", child, *map(str, files)], env=env, capture_output=True, text=True,
                             check=True).stdout.split()
        py.append(time.perf_counter() - t)
        load.append(float(out[0]))
        imp.append(float(out[2]))
    c, p, l = statistics.median(cli), statistics.median(py), statistics.median(load)
    print(f"files: {', '.join(f.name for f in files)}; {out[1]} flight(s); runs: {runs}; load average: {os.getloadavg()[0]:.2f}")
    print(f"cli info (whole process): median {c * 1000:.1f} ms  (all: {', '.join(f'{x * 1000:.0f}' for x in cli)})")
    print(f"python (whole process):   median {p * 1000:.1f} ms  (all: {', '.join(f'{x * 1000:.0f}' for x in py)})")
    print(f"fr.load() call alone:     median {l * 1000:.1f} ms  (all: {', '.join(f'{x * 1000:.0f}' for x in load)})")
    print(f"import flightreplay:      median {statistics.median(imp) * 1000:.1f} ms (loads the shared libraries the CLI loads at start)")
    print(f"load / cli = {l / c:.3f}   (python process / cli = {p / c:.3f})")


if __name__ == "__main__":
    main()
