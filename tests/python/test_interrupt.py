"""Ctrl-C during a long render: KeyboardInterrupt in Python, nothing left on disk."""
import os
import signal
import subprocess
import sys
import textwrap
import time

from conftest import SAMPLES

CHILD = textwrap.dedent("""
    import os, sys, time
    import flightreplay as fr
    out = sys.argv[1]
    r = fr.load(sys.argv[2])
    started = []
    def progress(done, total, stage):
        if not started and done >= 2:
            started.append(True)
            print("STARTED", total, flush=True)
    t0 = None
    try:
        # About 2 minutes of 720p frames: far longer than the test waits.
        r.video(out, duration=120, fps=30, size=(1280, 720), progress=progress)
    except KeyboardInterrupt:
        print("INTERRUPTED", flush=True)
        sys.exit(0)
    print("FINISHED", flush=True)
    sys.exit(3)
""")


def run_and_interrupt(tmp_path, name):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen([sys.executable, str(script), str(out_dir / name), str(SAMPLES)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline()
        assert line.startswith("STARTED"), (line, child.stderr.read() if child.poll() is not None else "")
        total = int(line.split()[1])
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
        latency = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return child.returncode, out, err, latency, total, out_dir


def test_sigint_stops_a_video_render(tmp_path):
    rc, out, err, latency, total, out_dir = run_and_interrupt(tmp_path, "long.mp4")
    assert total == 3600
    assert rc == 0 and "INTERRUPTED" in out, (rc, out, err)
    assert "FINISHED" not in out
    # No output, no temporary file beside it.
    assert sorted(os.listdir(out_dir)) == []
    # Stops within a frame or two, not at the end of the video (one 720p frame << 5 s).
    assert latency < 5.0, latency


def test_sigint_stops_a_gif_render(tmp_path):
    rc, out, err, latency, total, out_dir = run_and_interrupt(tmp_path, "long.gif")
    assert rc == 0 and "INTERRUPTED" in out, (rc, out, err)
    assert sorted(os.listdir(out_dir)) == []
    assert latency < 5.0, latency
