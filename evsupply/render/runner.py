"""Render many reports: run `render_one` in worker threads (or on a Dask cluster), then write the report list.

The heavy work of a report runs in its kernel, a process of its own; what the render process does per report
(papermill's bookkeeping, HTML conversion) is light, so threads give the same speed as worker processes with
fewer moving parts: the only processes a render starts are its kernels and the zygote they are forked from, and
all of them end with the render, however it ends (docs/render-design.md).

Ctrl-C (SIGINT) or SIGTERM while `render` runs in the main thread: queued reports are cancelled, running kernels
killed, finished reports and the report list kept, then `RenderInterrupted` is raised.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from evsupply.core.io import sweep_temps, why_not_creatable
from evsupply.core.paths import data_dir
from evsupply.core.paths import data_version as hash_data
from evsupply.render.assets import write_assets
from evsupply.render.convert import warm_up as convert_warm_up
from evsupply.render.errors import RenderBusyError, RenderError, RenderInterrupted
from evsupply.render.job import FAILED_DIR, Job, ReportCancelled, Result, render_one
from evsupply.render.kernels import Kernels
from evsupply.render.manifest import Report
from evsupply.render.site import Site, explore_early

__all__ = ["RenderBusyError", "render", "summary"]

# Their warnings (a kernel that died, an unknown parameter) would go to the terminal as stray lines; what
# matters reaches the report's record. A caller that configures logging still receives them.
# asyncio's "Task was destroyed but it is pending!" after a cell timeout (nbclient's output poller) is such a line
# too (issue 26, F19).
for _name in ("papermill", "nbclient", "traitlets", "jupyter_client", "asyncio"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

GRACE_S = 8.0  # after Ctrl-C, how long running reports get to notice their kernel is gone
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class _Stop:
    """Set by a signal handler (or by the caller): the render should stop."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signum = signal.SIGINT

    def __call__(self, signum: int, frame: Any = None) -> None:
        if not self.event.is_set():
            self.signum = signum
        self.event.set()


@contextmanager
def _catch_stop_signals(stop: _Stop) -> Iterator[None]:
    """Turn Ctrl-C and SIGTERM into `stop` while rendering (main thread only: elsewhere they cannot arrive)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, stop) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _lost(job: Job, exc: BaseException) -> Result:
    """The record of a report whose render failed outside render_one (a bug, a lost Dask worker)."""
    r = job.report
    text = f"{type(exc).__name__}: {exc}".strip().splitlines()[0]
    return Result(
        name=r.name,
        title=r.title,
        notebook=r.notebook.name,
        parameters=dict(r.parameters),
        status="failed",
        error=f"render lost: {text}",
        data_version=job.data_version,
    )


def _run_local(
    jobs: list[Job], workers: int, kernels: Kernels, stop: _Stop, done: Callable[[Result], None]
) -> list[str]:
    """Render `jobs` in `workers` threads, calling `done` in this thread; return the names not rendered."""
    todo: queue.SimpleQueue[Job] = queue.SimpleQueue()
    for job in jobs:
        todo.put(job)
    finished: queue.SimpleQueue[tuple[Job, Result | None]] = queue.SimpleQueue()

    def work() -> None:
        while not stop.event.is_set():
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            try:
                finished.put((job, render_one(job, kernels)))
            except ReportCancelled:
                finished.put((job, None))
            except Exception as exc:
                finished.put((job, _lost(job, exc)))

    # Daemon threads: a thread stuck past the grace period cannot keep the process alive.
    threads = [threading.Thread(target=work, name=f"evsupply-render-{i}", daemon=True) for i in range(workers)]
    for thread in threads:
        thread.start()
    convert_warm_up()  # while the first kernels start
    pending = {job.report.name for job in jobs}
    cancelled: list[str] = []
    deadline = None
    while pending:
        if stop.event.is_set() and deadline is None:
            kernels.kill_all()
            deadline = time.monotonic() + GRACE_S
        if deadline is not None and (time.monotonic() > deadline or not any(t.is_alive() for t in threads)):
            try:  # a result put just before its thread ended
                job, result = finished.get_nowait()
            except queue.Empty:
                break
        else:
            try:
                job, result = finished.get(timeout=0.1)
            except queue.Empty:
                continue
        pending.discard(job.report.name)
        if result is None:
            cancelled.append(job.report.name)
        else:
            done(result)
    return [job.report.name for job in jobs if job.report.name in pending or job.report.name in cancelled]


def _run_dask(jobs: list[Job], scheduler: Any, stop: _Stop, done: Callable[[Result], None]) -> list[str]:
    """Render `jobs` on a Dask cluster. On stop, queued tasks are cancelled; running ones cannot be interrupted
    there, and their results are ignored."""
    from distributed import Client, wait

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        futures = client.map(render_one, jobs, pure=False, key=[f"render-{j.report.name}" for j in jobs])
        by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
        pending = set(futures)
        while pending and not stop.event.is_set():
            try:
                finished, pending = wait(pending, timeout=0.2, return_when="FIRST_COMPLETED")
            except TimeoutError:
                continue
            for future in finished:
                try:
                    done(future.result())
                except ReportCancelled:
                    pass
                except Exception as exc:
                    done(_lost(by_key[future.key], exc))
        if pending:
            client.cancel(list(pending))
        return [by_key[f.key].report.name for f in pending]
    finally:
        if client is not scheduler:
            client.close()


def _longest_first(jobs: list[Job], records: dict[str, dict[str, Any]]) -> list[Job]:
    """Reports that took longest last time first (new ones before them, in manifest order), so that no worker
    is left with a long report at the end while the others are idle."""

    def last(job: Job) -> float:
        record = records.get(job.report.name) or {}
        return float(record.get("duration_s") or 0) if record.get("status") == "ok" else float("inf")

    return sorted(jobs, key=last, reverse=True)


def _data_version() -> str:
    try:
        return hash_data()
    except OSError as exc:
        where = exc.filename or data_dir()
        raise RenderError(f"cannot read the data folder {data_dir()}: {where}: {exc.strerror or exc}") from None


def _current_version(fallback: str) -> str:
    try:
        return hash_data()
    except OSError:
        return fallback


def _check_state(state: Path, site: Site) -> None:
    if state.exists() and not state.is_dir():
        raise RenderError(f"state folder {state} is a file, not a folder")
    reason = None if state.is_dir() else why_not_creatable(state)
    if reason:  # e.g. --state under a regular file: refused before anything is written
        raise RenderError(f"state folder {state} cannot be created: {reason}")
    if state == site.path or site.path in state.parents:
        raise RenderError(f"state folder {state} is inside the site {site}: failed notebooks would be published")


def render(
    reports: Sequence[Report],
    *,
    site: Path,
    state: Path,
    listed: Sequence[Report] | None = None,
    jobs: int | None = None,
    standalone: bool = False,
    scheduler: Any = None,
    fork: bool = True,
    progress: bool = True,
    stream: IO[str] | None = None,
    kernels: Kernels | None = None,
) -> list[Result]:
    """Render `reports` into `site` and update its report list (which lists `listed`, default: `reports`).

    Raises SiteError or RenderError (nothing written) when the site, state or data folder cannot be used,
    RenderBusyError when another render holds the site, RenderInterrupted after Ctrl-C or SIGTERM. `kernels`
    lets a caller start the kernel zygote early (the CLI does); by default the render starts its own.
    """
    the_site = Site(site)
    state = Path(state).absolute()
    the_site.check()
    _check_state(state, the_site)
    version = _data_version()
    todo = [
        Job(report=r, site=the_site.path, state=state, standalone=standalone, fork=fork, data_version=version)
        for r in reports
    ]
    the_site.create()
    todo = _longest_first(todo, the_site.records())
    results: list[Result] = []
    stop = _Stop()
    own_kernels = kernels is None and scheduler is None
    if own_kernels:
        kernels = Kernels(fork).start()
    try:
        with the_site.lock(), _catch_stop_signals(stop):
            the_site.sweep()
            sweep_temps(state / FAILED_DIR)
            if not standalone:
                write_assets(the_site.path)
            early = explore_early(list(listed or reports))  # the index's data, built while the reports render
            bar = tqdm(
                total=len(todo), unit="report", file=stream or sys.stderr, disable=not progress, dynamic_ncols=True
            )

            def done(result: Result) -> None:
                results.append(result)
                bar.set_postfix_str(f"{result.name}: {result.status}", refresh=False)
                bar.update()

            try:
                if scheduler is not None:
                    cancelled = _run_dask(todo, scheduler, stop, done)
                else:
                    assert kernels is not None
                    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
                    cancelled = _run_local(todo, workers, kernels, stop, done)
            finally:
                bar.close()
            # Each record names the content its kernel loaded; the index flags those that differ from the data
            # as it is now (data edited during the render shows as "older data", never under one label).
            the_site.update(list(listed or reports), [r.to_dict() for r in results], _current_version(version), early)
            the_site.sweep()
            sweep_temps(state / FAILED_DIR)
    finally:
        if own_kernels and kernels is not None:
            kernels.close()
    if stop.event.is_set():
        raise RenderInterrupted(stop.signum, results, cancelled)
    return results


def summary(results: Sequence[Result], site: Path) -> str:
    """A few lines for the terminal: each report's status and time, then the totals."""
    lines = []
    for r in sorted(results, key=lambda r: (r.status == "ok", r.name)):
        line = f"{'ok' if r.status == 'ok' else 'FAILED':6}  {r.name:30} {r.duration_s:6.1f} s"
        if r.status != "ok":
            line += f"  {r.error}"
            if r.failed_notebook:
                line += f"\n{'':8}executed notebook kept: {r.failed_notebook}"
        lines.append(line)
    failed = sum(r.status != "ok" for r in results)
    lines.append(
        f"{len(results)} report(s): {len(results) - failed} ok, {failed} failed; index: {Path(site) / 'index.html'}"
    )
    return "\n".join(lines)
