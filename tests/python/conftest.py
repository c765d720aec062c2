"""Shared fixtures of the Python module's tests (run by ctest: tests/python/CMakeLists.txt).

ctest sets FLIGHTREPLAY_EXE (the command-line binary built beside the module), FR_SHARED_DATA
(real recordings kept outside the repository) and PYTHONPATH (the build tree's package).
A run with any skipped test and no failure exits 77, which ctest reports as skipped
(SKIP_RETURN_CODE 77): a skip is never a silent pass.
"""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "assets" / "samples"
TEST_DATA = ROOT / "tests" / "data"


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus != 0:
        return
    if reporter.stats.get("skipped"):
        session.exitstatus = 77


@pytest.fixture(scope="session")
def fr():
    import flightreplay
    return flightreplay


@pytest.fixture(scope="session")
def exe():
    path = os.environ.get("FLIGHTREPLAY_EXE")
    if not path or not os.path.exists(path):
        pytest.fail("FLIGHTREPLAY_EXE must name the flightreplay binary (ctest sets it)")
    return path


@pytest.fixture(scope="session")
def samples():
    return SAMPLES


@pytest.fixture(scope="session")
def replay(fr):
    return fr.load(SAMPLES)


def run_cli(exe, *args, check=True):
    r = subprocess.run([exe, *map(str, args)], capture_output=True, text=True, timeout=300)
    if check and r.returncode != 0:
        raise AssertionError(f"flightreplay {' '.join(map(str, args))} exited {r.returncode}: {r.stderr}")
    return r


@pytest.fixture(scope="session")
def cli(exe):
    return lambda *args, check=True: run_cli(exe, *args, check=check)
