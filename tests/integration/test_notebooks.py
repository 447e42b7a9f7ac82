"""The notebooks as their users meet them: parameters from one spec, and a second run in the same kernel (the
JupyterLab edit-and-re-run loop) giving the same outputs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from evsupply.core.paths import NOTEBOOKS_DIR
from evsupply.pages import NOTEBOOK_REPORTS, report_module
from evsupply.render import Kernels


def parameters_cell(notebook: Path) -> str:
    """The source of the notebook's papermill `parameters` cell."""
    nb = nbformat.read(notebook, as_version=4)
    return next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))


@pytest.mark.parametrize("name", NOTEBOOK_REPORTS)
def test_parameters_cell_is_the_spec(name: str) -> None:
    spec = report_module(name).SPEC
    assert parameters_cell(NOTEBOOKS_DIR / spec.notebook) == spec.parameters_cell(), "run `make notebooks`"


def _texts(nb: nbformat.NotebookNode) -> list[list[str]]:
    """Per code cell, the plain text of each output (figures by their JSON, which has no random ids)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream":
                texts.append(o["text"])
            elif o.get("output_type") == "error":
                texts.append(f"{o['ename']}: {o['evalue']}")
            else:
                data = o.get("data", {})
                texts.append(str(data.get("application/vnd.plotly.v1+json") or data.get("text/plain")))
        out.append(texts)
    return out


@pytest.fixture(scope="module")
def kernels() -> Iterator[Kernels]:
    """Kernels forked from one process that imported the libraries once (a fresh kernel's stand-in: see
    test_render_kernels.py), so each notebook below pays for its cells, not for importing pandas again."""
    with Kernels(fork=True) as started:
        started.start()
        yield started


@pytest.mark.parametrize("name", ["flows", "market_access", "atlas"])
def test_running_all_cells_twice_in_one_kernel_gives_the_same_outputs(name: str, kernels: Kernels) -> None:
    path = NOTEBOOKS_DIR / report_module(name).SPEC.notebook
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        kernel_manager_class=kernels.manager_class,
        resources={"metadata": {"path": str(path.parent)}},
    )
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
        first = _texts(nb)
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
        second = _texts(nb)
    assert not any(t.startswith(("ParameterError", "NameError")) for cell in second for t in cell)
    assert second == first
