"""Executes a notebook headless and checks its outputs (ctest `python_notebook`).

    /usr/bin/python3 tests/python/run_notebook.py NOTEBOOK.ipynb OUT_DIR

The kernel is this interpreter (a private kernelspec, whatever `python3` means elsewhere);
each cell has 300 s. Fails (exit 1) on any error output, or when a cell tagged `png` has no
image/png output. Exits 77 (skipped) when a cell printed a line starting with "SKIPPED:" and
nothing failed. The executed notebook is written to OUT_DIR for inspection.
"""
import json
import os
import pathlib
import sys
import tempfile

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

CELL_TIMEOUT_S = 300


def main():
    src, out_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out_dir.mkdir(parents=True, exist_ok=True)
    nb = nbformat.read(src, as_version=4)
    with tempfile.TemporaryDirectory(prefix="fr-kernel-") as kdir:
        spec = pathlib.Path(kdir) / "kernels" / "fr-python3"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            # -Xfrozen_modules=off: quiets the debugger warning ipykernel prints on Python 3.11.
            "argv": [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "flightreplay test kernel", "language": "python"}))
        # The kernel runs in OUT_DIR: a relative PYTHONPATH (build/release/python) must not break.
        if os.environ.get("PYTHONPATH"):
            os.environ["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in os.environ["PYTHONPATH"].split(os.pathsep) if p)
        os.environ["JUPYTER_PATH"] = kdir + os.pathsep + os.environ.get("JUPYTER_PATH", "")
        client = NotebookClient(nb, timeout=CELL_TIMEOUT_S, kernel_name="fr-python3",
                                resources={"metadata": {"path": str(out_dir)}})
        failed = []
        try:
            client.execute()
        except CellExecutionError as e:
            failed.append(f"cell raised: {str(e)[:2000]}")
        finally:
            nbformat.write(nb, out_dir / src.name)
    skipped = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        outputs = cell.get("outputs", [])
        for o in outputs:
            if o.get("output_type") == "error":
                failed.append(f"cell {i}: {o.get('ename')}: {o.get('evalue')}")
            text = o.get("text", "") if o.get("output_type") == "stream" else ""
            skipped += [line for line in text.splitlines() if line.startswith("SKIPPED:")]
        if "png" in cell.get("metadata", {}).get("tags", []):
            if not any("image/png" in o.get("data", {}) for o in outputs):
                failed.append(f"cell {i} (tagged png) has no image/png output")
    for f in failed:
        print("FAIL:", f)
    for s in skipped:
        print(s)
    print(f"executed {src} -> {out_dir / src.name}")
    if failed:
        return 1
    return 77 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
