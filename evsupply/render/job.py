"""The one render path: a report in, a result record out. Local processes and Dask workers both run this."""

from __future__ import annotations

import datetime as dt
import os
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

from evsupply.errors import ParameterError
from evsupply.io import move_atomic, temp_path, write_atomic
from evsupply.paths import data_version
from evsupply.render.convert import to_html
from evsupply.render.kernels import ReportKernelManager, SubprocessKernelManager
from evsupply.render.manifest import Report

FAILED_DIR = "failed"


@dataclass(frozen=True)
class Job:
    """What a worker needs to render one report (picklable)."""

    report: Report
    site: Path
    state: Path
    standalone: bool = False
    fork: bool = True


@dataclass
class Result:
    """The record of one render, as listed in the index."""

    name: str
    title: str
    notebook: str
    parameters: dict[str, Any]
    status: str  # "ok" or "failed"
    error: str | None = None
    rendered_at: str = ""
    duration_s: float = 0.0
    cells_s: float = 0.0
    convert_s: float = 0.0
    data_version: str = ""
    html: str | None = None
    failed_notebook: str | None = None
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-able data."""
        return asdict(self)


def check_parameter_names(report: Report) -> None:
    """Raise ParameterError if the manifest passes a name the notebook's parameters cell does not define."""
    declared = papermill.inspect_notebook(str(report.notebook))
    for name in report.parameters:
        if name not in declared:
            raise ParameterError(name, f"unknown parameter name for {report.notebook.name}", choices=list(declared))


def first_line(exc: BaseException) -> str:
    """`Type: message`, first line only: what the index shows."""
    if isinstance(exc, PapermillExecutionError):
        text = f"{exc.ename}: {exc.evalue}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def execute(report: Report, output: Path, fork: bool) -> nbformat.NotebookNode:
    """Run the notebook with papermill in a fresh kernel; the executed notebook is saved to `output`."""
    nb = nbformat.read(report.notebook, as_version=4)
    return papermill.execute_notebook(
        nb,
        str(output),
        parameters=report.parameters,
        progress_bar=False,
        request_save_on_cell_execute=False,
        execution_timeout=report.timeout,
        kernel_manager_class=ReportKernelManager if fork else SubprocessKernelManager,
        shutdown_kernel="immediate",
        # The kernel's cwd is the notebook's folder, set per kernel: papermill's cwd= would chdir this
        # whole process, which is unsafe when a Dask worker runs renders in threads.
        resources={"metadata": {"path": str(report.notebook.parent)}},
    )


def cells_seconds(nb: nbformat.NotebookNode) -> float:
    """Time spent running the notebook's cells, from papermill's per-cell metadata."""
    return sum(float(c.metadata.get("papermill", {}).get("duration") or 0) for c in nb.cells)


def render_one(job: Job) -> Result:
    """Execute one report and write its HTML; on failure keep the previous HTML and save the failed notebook."""
    report = job.report
    started = time.perf_counter()
    result = Result(
        name=report.name,
        title=report.title,
        notebook=report.notebook.name,
        parameters=dict(report.parameters),
        status="failed",
        rendered_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        data_version=data_version(),
    )
    executed = temp_path(job.state / FAILED_DIR / f"{report.name}.ipynb")
    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        try:
            check_parameter_names(report)
            nb = execute(report, executed, job.fork)
            result.cells_s = round(cells_seconds(nb), 3)
            converting = time.perf_counter()
            page = to_html(nb, report, data_version=result.data_version, rendered_at=result.rendered_at,
                           standalone=job.standalone)
            write_atomic(job.site / f"{report.name}.html", page)
            result.convert_s = round(time.perf_counter() - converting, 3)
        except Exception as exc:  # any failure is this report's, recorded; KeyboardInterrupt goes up
            result.error = first_line(exc)
            if executed.exists():
                failed = job.state / FAILED_DIR / f"{report.name}.ipynb"
                move_atomic(executed, failed)
                result.failed_notebook = str(failed)
                result.cells_s = round(cells_seconds(nbformat.read(failed, as_version=4)), 3)
            return result
        result.status, result.html = "ok", f"{report.name}.html"
        (job.state / FAILED_DIR / f"{report.name}.ipynb").unlink(missing_ok=True)  # no longer the latest failure
        return result
    finally:
        executed.unlink(missing_ok=True)
        result.duration_s = round(time.perf_counter() - started, 3)
