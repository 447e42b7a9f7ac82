"""Re-run notebooks and store the outputs of their `nbval-check-output` cells (the ones nbval compares).

Usage: .venv/bin/python tools/store_checked_outputs.py notebooks/ownership.ipynb [more.ipynb ...]
(`make notebooks` runs it on every notebook.)

Run it after a deliberate change of the data or of a notebook's printed numbers; review the diff before committing.
Only stdout of tagged cells is kept, so the notebooks stay small and free of figures and timings.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat
import papermill

from evsupply.io import write_atomic


def store(path: Path) -> None:
    """Execute `path` in its folder and write back the stdout of its tagged cells."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        papermill.execute_notebook(str(path), str(out), cwd=str(path.parent), log_output=False, progress_bar=False)
        ran = nbformat.read(out, as_version=4)
    book = nbformat.read(path, as_version=4)
    count = 0
    for cell, done in zip(book.cells, ran.cells, strict=True):
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        cell.outputs = []
        if "nbval-check-output" in cell.metadata.get("tags", []):
            cell.outputs = [o for o in done.outputs if o.get("output_type") == "stream" and o.get("name") == "stdout"]
    write_atomic(path, nbformat.writes(book) + "\n")  # a failed run leaves the notebook as it was


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        store(Path(arg))
        print(f"stored checked outputs of {arg}")
