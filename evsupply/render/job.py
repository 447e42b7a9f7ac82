"""The one render path: a report in, a result record out. Local threads and Dask workers both run this."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import papermill
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError

from evsupply.core.io import move_atomic, temp_path, write_atomic
from evsupply.core.paths import data_release
from evsupply.core.paths import data_version as hash_data
from evsupply.errors import ParameterError
from evsupply.render.convert import PLOTLY_MIME, to_html
from evsupply.render.errors import RenderError
from evsupply.render.kernels import Kernels, process_kernels
from evsupply.render.manifest import Report
from evsupply.render.site import write_report_data

FAILED_DIR = "failed"
ENGINE = "evsupply"


class ReportCancelled(RenderError):
    """The render was stopped while this report ran; it is not recorded."""


@dataclass(frozen=True)
class Job:
    """What a worker needs to render one report (picklable)."""

    report: Report
    site: Path
    state: Path
    standalone: bool = False
    fork: bool = True
    data_version: str = ""  # a hash of data/, computed once per render ("" = compute it here)


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
    question: str = ""
    varies: str = ""  # the manifest report a `-p` variant varies
    day: str = ""  # the edition's day the report is read on
    findings: list[dict[str, Any]] = field(default_factory=list)  # the report's key findings (text and basis)
    facts: str = ""  # the data version and the date the facts were checked, as the report states them
    preview: dict[str, Any] | None = None  # the report's first chart, small enough to draw on the index
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")

    def to_dict(self) -> dict[str, Any]:
        """The record as plain JSON-able data."""
        return asdict(self)


class _KeepingEngine(NBClientEngine):
    """papermill's nbclient engine, which also saves the notebook as far as it ran when execution stops early.

    Only a failed report's notebook is saved (to `keep_as`), as far as it ran: when a cell raised, when the kernel
    died or a cell timed out. A good report's notebook is never written, which saves a write per report.
    """

    @classmethod
    def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, keep_as: str | None = None, **kwargs: Any) -> Any:
        try:
            result = super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        except Exception:
            _keep(nb_man.nb, keep_as)
            raise
        if any(o.get("output_type") == "error" for c in nb_man.nb.cells for o in c.get("outputs", ())):
            _keep(nb_man.nb, keep_as)  # papermill raises for it once the engine returns
        return result


def _keep(nb: nbformat.NotebookNode, keep_as: str | None) -> None:
    if keep_as:
        try:
            write_atomic(Path(keep_as), nbformat.writes(nb))
        except Exception:  # the report's own error is the one to report
            pass


papermill_engines.register(ENGINE, _KeepingEngine)


def check_parameter_names(report: Report) -> None:
    """Raise ParameterError if the manifest passes a name the notebook's parameters cell does not define."""
    declared = papermill.inspect_notebook(str(report.notebook))
    for name in report.parameters:
        if name not in declared:
            raise ParameterError(name, f"unknown parameter name for {report.notebook.name}", choices=list(declared))


def first_line(exc: BaseException) -> str:
    """`Type: message`, on one line: what the index shows.

    A message that introduces a list (a DataError: "3 data problems found:") keeps its first item too.
    """
    if isinstance(exc, PapermillExecutionError):
        name, text = exc.ename, str(exc.evalue)
    else:
        name, text = type(exc).__name__, str(exc)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return name
    line = lines[0]
    if line.endswith(":") and len(lines) > 1:
        line = f"{line} {lines[1].lstrip('- ')}" + (f" (and {len(lines) - 2} more)" if len(lines) > 2 else "")
    return f"{name}: {line}"


def execute(report: Report, keep_as: Path, kernels: Kernels) -> nbformat.NotebookNode:
    """Run the notebook with papermill in a kernel of its own; if it fails, the executed notebook (as far as it
    ran) is saved to `keep_as`."""
    nb = nbformat.read(report.notebook, as_version=4)
    return papermill.execute_notebook(
        nb,
        None,  # papermill writes nothing; the engine keeps a failed notebook
        engine_name=ENGINE,
        keep_as=str(keep_as),
        parameters=report.parameters,
        progress_bar=False,
        request_save_on_cell_execute=False,
        execution_timeout=report.timeout,
        kernel_manager_class=kernels.manager_class,
        shutdown_kernel="immediate",
        # The kernel's cwd is the notebook's folder, set per kernel: papermill's cwd= would chdir this
        # whole process, which is unsafe when several renders run in threads.
        resources={"metadata": {"path": str(report.notebook.parent)}},
    )


# A chart's JSON above this size is not copied to the index page (a map with long routes, say).
PREVIEW_MAX_BYTES = 60_000


def report_summary(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """What the index shows of a report: its findings (from the findings block's output metadata), the facts'
    version and check date, and its first chart as a preview."""
    out: dict[str, Any] = {"findings": [], "facts": "", "preview": None, "content": "", "release": ""}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("text/html", {}).get("evsupply")
            if meta and not out["findings"]:
                out["findings"], out["facts"] = list(meta.get("findings", [])), str(meta.get("meta", ""))
                # The content hash of the data the kernel loaded (`evsupply.load`'s `Tables.version`)
                out["content"], out["release"] = str(meta.get("content") or ""), str(meta.get("release") or "")
            figure = output.get("data", {}).get(PLOTLY_MIME)
            if figure is not None and out["preview"] is None:
                text = json.dumps(figure, separators=(",", ":"))
                if len(text) <= PREVIEW_MAX_BYTES:
                    out["preview"] = {"data": figure.get("data", []), "layout": figure.get("layout", {})}
    return out


def cells_seconds(nb: nbformat.NotebookNode) -> float:
    """Time spent running the notebook's cells, from papermill's per-cell metadata."""
    return sum(float(c.metadata.get("papermill", {}).get("duration") or 0) for c in nb.cells)


def render_one(job: Job, kernels: Kernels | None = None) -> Result:
    """Execute one report and write its HTML; on failure keep the previous HTML and save the failed notebook.

    `kernels` defaults to this process's shared ones (a Dask worker's). Raises ReportCancelled when the kernels
    were stopped (Ctrl-C) before the report finished: nothing of it is written or recorded.
    """
    kernels = kernels or process_kernels(job.fork)
    report = job.report
    started = time.perf_counter()
    result = Result(
        name=report.name,
        title=report.title,
        notebook=report.notebook.name,
        parameters=dict(report.parameters),
        question=report.question,
        varies=report.varies,
        day=report.day,
        status="failed",
        rendered_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        data_version=job.data_version or hash_data(),
    )
    failed = job.state / FAILED_DIR / f"{report.name}.ipynb"
    executed = temp_path(failed)
    try:
        try:
            kernels.check_open()
            executed.parent.mkdir(parents=True, exist_ok=True)
            check_parameter_names(report)
            nb = execute(report, executed, kernels)
            result.cells_s = round(cells_seconds(nb), 3)
            converting = time.perf_counter()
            summary = report_summary(nb)
            # Labelled with the data the kernel loaded, not the folder's hash when the render started: data
            # edited during a render gives reports that say which content each was computed from.
            release = summary["release"] or data_release()
            result.data_version = summary["content"] or result.data_version
            shown = f"{release} (content {result.data_version})" if release else result.data_version
            page = to_html(
                nb,
                report,
                data_version=shown,
                rendered_at=result.rendered_at,
                standalone=job.standalone,
                release=release or result.data_version,
            )
            result.findings, result.facts, result.preview = summary["findings"], summary["facts"], summary["preview"]
            # The data package first: a failure to write it (a full disk) keeps the old page and package together
            write_report_data(job.site, report.name, page, report.title, report.day, release or "")
            write_atomic(job.site / report.executed, nbformat.writes(nb))
            write_atomic(job.site / report.page, page)
            result.convert_s = round(time.perf_counter() - converting, 3)
        except Exception as exc:  # any failure is this report's, recorded; KeyboardInterrupt goes up
            if kernels.stopped:
                raise ReportCancelled(report.name) from None
            result.error = first_line(exc)
            if executed.exists():
                move_atomic(executed, failed)
                result.failed_notebook = str(failed)
                result.cells_s = round(cells_seconds(nbformat.read(failed, as_version=4)), 3)
            return result
        result.status, result.html = "ok", report.page
        failed.unlink(missing_ok=True)  # no longer the latest failure
        return result
    finally:
        executed.unlink(missing_ok=True)
        result.duration_s = round(time.perf_counter() - started, 3)
