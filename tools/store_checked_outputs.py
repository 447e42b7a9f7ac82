"""Re-run notebooks and store the outputs of their `nbval-check-output` cells (the ones nbval compares).

Usage: .venv/bin/python tools/store_checked_outputs.py notebooks/ownership.ipynb [more.ipynb ...]
(`make notebooks` runs it on every notebook.)

Run it after a deliberate change of the data or of a notebook's printed numbers; review the diff before committing.
Only the plain-text outputs of tagged cells are kept (stdout, and the text/plain rendering of displayed tables and
findings), so the notebooks stay small and free of figures and timings; nbval compares those (notebooks/conftest.py
tells it to leave the HTML rendering to the browser test).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import nbformat
import papermill

from evsupply.core.io import write_atomic
from evsupply.pages import NOTEBOOK_REPORTS, report_module


def is_text(output: nbformat.NotebookNode) -> bool:
    """Stdout, or a displayed value with a plain-text rendering."""
    if output.get("output_type") == "stream":
        return output.get("name") == "stdout"
    return output.get("output_type") in ("execute_result", "display_data") and "text/plain" in output.get("data", {})


def plain(output: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The output with only its plain-text rendering."""
    if output.get("output_type") == "stream":
        return output
    kept = nbformat.NotebookNode(output)
    kept["data"] = {"text/plain": output["data"]["text/plain"]}
    kept["metadata"] = {}
    return kept


def sync_parameters(book: nbformat.NotebookNode, path: Path) -> None:
    """Set the notebook's `parameters` cell from its report's spec (the one description of its parameters)."""
    if path.stem not in NOTEBOOK_REPORTS:
        return
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = report_module(path.stem).SPEC.parameters_cell()


def store(path: Path) -> None:
    """Set the parameters cell from the spec, execute `path` in its folder, write back its tagged cells' text."""
    book = nbformat.read(path, as_version=4)
    sync_parameters(book, path)
    write_atomic(path, nbformat.writes(book) + "\n")
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
            cell.outputs = [plain(o) for o in done.outputs if is_text(o)]
    write_atomic(path, nbformat.writes(book) + "\n")  # a failed run leaves the notebook as it was


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        store(Path(arg))
        print(f"stored checked outputs of {arg}")
