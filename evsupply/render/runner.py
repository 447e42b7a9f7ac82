"""Render many reports: map `render_one` over a local process pool or a Dask cluster, then write the index."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from evsupply.errors import EvsupplyError
from evsupply.io import sweep_temps
from evsupply.paths import data_version
from evsupply.render.assets import write_assets
from evsupply.render.convert import warm_up as convert_warm_up
from evsupply.render.job import Job, Result, render_one
from evsupply.render.kernels import start_zygote, stop_zygote
from evsupply.render.manifest import Report
from evsupply.render.site import write_index


class RenderBusyError(EvsupplyError, RuntimeError):
    """Another render is writing the same site."""


@contextmanager
def _lock(state: Path) -> Iterator[None]:
    state.mkdir(parents=True, exist_ok=True)
    with open(state / "lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise RenderBusyError(f"another render holds {state / 'lock'}; wait for it to finish") from exc
        yield


def _lost(job: Job, exc: BaseException) -> Result:
    """The record of a report whose worker failed outside render_one (killed worker, lost connection)."""
    r = job.report
    return Result(name=r.name, title=r.title, notebook=r.notebook.name, parameters=dict(r.parameters),
                  status="failed", error=f"worker lost: {type(exc).__name__}: {exc}".splitlines()[0],
                  data_version=data_version())


def _run_local(jobs: list[Job], workers: int) -> Iterator[Result]:
    # fork: workers inherit the imported papermill/nbconvert and the connection details of the zygote.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        convert_warm_up()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method))
    try:
        futures = {pool.submit(render_one, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # BrokenProcessPool: a worker was killed
                yield _lost(futures[future], exc)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(jobs: list[Job], scheduler: Any) -> Iterator[Result]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        futures = client.map(render_one, jobs, pure=False, key=[f"render-{j.report.name}" for j in jobs])
        by_key = {f.key: job for f, job in zip(futures, jobs, strict=True)}
        for future in dask_completed(futures):
            try:
                yield future.result()
            except Exception as exc:
                yield _lost(by_key[future.key], exc)
    finally:
        if client is not scheduler:
            client.close()


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
) -> list[Result]:
    """Render `reports` into `site` and update its index (which lists `listed`, default: `reports`)."""
    site, state = Path(site).resolve(), Path(state).resolve()
    site.mkdir(parents=True, exist_ok=True)
    todo = [Job(report=r, site=site, state=state, standalone=standalone, fork=fork) for r in reports]
    results: list[Result] = []
    with _lock(state):
        if fork and scheduler is None:
            start_zygote()  # shared by the local workers; Dask workers start their own
        sweep_temps(site, state)
        if not standalone:
            write_assets(site)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
        runs = _run_dask(todo, scheduler) if scheduler is not None else _run_local(todo, workers)
        bar = tqdm(total=len(todo), unit="report", file=stream or sys.stderr, disable=not progress,
                   dynamic_ncols=True)
        try:
            for result in runs:
                results.append(result)
                bar.set_postfix_str(f"{result.name}: {result.status}", refresh=False)
                bar.update()
        finally:
            bar.close()
            write_index(site, list(listed or reports), [r.to_dict() for r in results], data_version())
            sweep_temps(site, state)
            stop_zygote()
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
    lines.append(f"{len(results)} report(s): {len(results) - failed} ok, {failed} failed; "
                 f"index: {Path(site) / 'index.html'}")
    return "\n".join(lines)
