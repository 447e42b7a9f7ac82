"""The contract of `evsupply.render.kernels.Kernels`: a forked kernel is a stand-in for a fresh one, and every
kernel and the zygote end when they should, leaving nothing behind."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from kit.render import GOOD, wait_for, write_manifest
from nbformat.v4 import new_code_cell, new_notebook

from evsupply.core.lazy import lazy_module, unloaded_set_aside
from evsupply.render import Kernels, load_manifest
from evsupply.render.errors import KernelStartError
from evsupply.render.job import execute
from evsupply.render.kernels import _alive

KERNEL_METADATA = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def _outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_forked_kernel_gives_the_same_outputs_as_a_fresh_one(tmp_path: Path) -> None:
    """The contract: whatever a notebook prints or shows is the same in a forked kernel and a fresh one."""
    report = load_manifest(write_manifest(tmp_path, [dict(GOOD[0])]))[0]
    outputs = {}
    for fork in (True, False):
        with Kernels(fork) as kernels:
            outputs[fork] = _outputs(execute(report, tmp_path / f"fork-{fork}.ipynb", kernels))
    assert outputs[True] == outputs[False]
    assert "application/vnd.plotly.v1+json" in outputs[True][1]["data"]
    assert outputs[True][2]["text"] == "points: 5\n"


def _children(pid: int) -> list[int]:
    """The child processes of `pid` (made by any of its threads)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _zygote_dirs() -> set[str]:
    return {p for p in os.listdir(tempfile.gettempdir()) if p.startswith("evsupply-kernels-")}


def test_one_zygote_and_no_folder_per_render(tmp_path: Path) -> None:
    before_dirs = _zygote_dirs()
    before = set(_children(os.getpid()))
    report = load_manifest(write_manifest(tmp_path, [dict(GOOD[0])]))[0]
    with Kernels(fork=True) as kernels:
        kernels.start()
        for i in range(2):
            execute(report, tmp_path / f"run-{i}.ipynb", kernels)
        started = [p for p in _children(os.getpid()) if p not in before and _alive(p)]
        assert len(started) == 1, started  # the zygote; each report's kernel was already shut down
        zygote = started[0]
        wait_for(lambda: not [p for p in _children(zygote) if _alive(p)], 30, "each kernel ends with its report")
    wait_for(lambda: not _alive(zygote), 30, "the zygote ends with its Kernels")
    assert _zygote_dirs() == before_dirs


def test_no_fork_starts_no_zygote(tmp_path: Path) -> None:
    before = set(_children(os.getpid()))
    with Kernels(fork=False) as kernels:
        kernels.start()
        assert [p for p in _children(os.getpid()) if p not in before and _alive(p)] == []


def test_kill_all_kills_running_kernels_and_refuses_new_ones(tmp_path: Path) -> None:
    import asyncio

    with Kernels(fork=True) as kernels:
        manager = kernels.manager_class(kernel_name="python3")
        asyncio.run(manager.start_kernel())
        pid = manager.provisioner.pid
        assert _alive(pid)
        kernels.kill_all()
        wait_for(lambda: not _alive(pid), 30, "the kernel is killed")
        with pytest.raises(KernelStartError):
            kernels.check_open()


def test_kernels_die_with_the_zygote(tmp_path: Path) -> None:
    """kill -9 of the zygote: its kernels ask Linux to kill them when it dies (PR_SET_PDEATHSIG)."""
    import asyncio

    kernels = Kernels(fork=True).start()
    try:
        manager = kernels.manager_class(kernel_name="python3")
        asyncio.run(manager.start_kernel())
        pid = manager.provisioner.pid
        os.kill(kernels.zygote().pid, signal.SIGKILL)
        wait_for(lambda: not _alive(pid), 30, "the kernel dies with its zygote")
    finally:
        kernels.close()


def test_lazy_modules_not_loaded_yet_are_set_aside_and_put_back() -> None:
    name = "colorsys"  # a small library nothing in the suite imports
    sys.modules.pop(name, None)
    module = lazy_module(name)
    with unloaded_set_aside() as aside:
        assert name in aside and name not in sys.modules
        for m in list(sys.modules.values()):  # what ipykernel does at start
            hasattr(m, "__file__")
    assert sys.modules[name] is module
    assert isinstance(module, importlib.util._LazyModule)  # still not loaded
    assert module.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)  # and it loads when used


def test_a_forked_kernel_starts_without_loading_the_lazy_libraries(tmp_path: Path) -> None:
    """A report kernel does not pay for the libraries evsupply imports lazily (searoute, loaded only to compute a
    route) just by starting: ipykernel's start-up walk of sys.modules used to load them in every kernel."""
    cells = [
        "import importlib.util, sys\nprint(isinstance(sys.modules.get('searoute'), importlib.util._LazyModule))",
        "from evsupply.analysis.shipping import routes\nprint(callable(routes.searoute.searoute))",
    ]
    notebook = tmp_path / "lazy.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells], metadata=KERNEL_METADATA), notebook)
    manifest = tmp_path / "reports.yml"
    manifest.write_text(json.dumps({"reports": [{"name": "lazy", "notebook": str(notebook), "title": "Lazy"}]}))
    report = load_manifest(manifest)[0]
    with Kernels(fork=True) as kernels:
        kernels.start()
        outputs = _outputs(execute(report, tmp_path / "run.ipynb", kernels))
    assert [o["text"] for o in outputs] == ["True\n", "True\n"]
