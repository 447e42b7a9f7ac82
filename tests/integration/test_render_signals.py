"""A render stopped from outside: Ctrl-C, SIGTERM, kill -9. It stops promptly, keeps what finished, leaves no
partial file and no process, and the next render runs.

No test sleeps and hopes: each waits (with generous deadlines, for a busy machine) until the fixture notebook
says its cell is running, then signals; only the time the render takes to stop is held to the issue's bound.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from kit.render import GOOD, run_render, slow, start_render, tagged, temp_files, wait_for, write_manifest

from evsupply.render.site import read_records

START_S = 180  # a render's start-up and first reports on a machine whose cores are busy
STOP_S = 10  # the bound: Ctrl-C with queued reports exits within 10 s


def _queued_render(tmp_path: Path, *args: str):
    """A render of one quick report and three slow ones on 2 workers; returns once two slow cells are running
    (the third queued) and the quick report is written."""
    started = [tmp_path / f"started-{i}" for i in range(3)]
    manifest = write_manifest(tmp_path, [dict(GOOD[0]), *(slow(f"slow-{i}", started[i]) for i in range(3))])
    proc, tag = start_render(manifest, tmp_path / "site", "--jobs", "2", *args)
    try:
        wait_for(lambda: (tmp_path / "site" / "scatter.html").exists(), START_S, "the quick report is written")
        wait_for(
            lambda: sum(p.exists() for p in started) >= 2 or proc.poll() is not None,
            START_S,
            "two slow reports are running",
        )
        assert proc.poll() is None, proc.communicate()
    except BaseException:
        proc.kill()
        raise
    return proc, tag, manifest, started


def _stop(proc, signum: int, group: bool) -> tuple[float, str]:
    sent = time.monotonic()
    if group:
        os.killpg(proc.pid, signum)  # what Ctrl-C in a terminal does: the foreground process group
    else:
        os.kill(proc.pid, signum)
    try:
        _, stderr = proc.communicate(timeout=60)
    except BaseException:
        proc.kill()
        raise
    return time.monotonic() - sent, stderr


@pytest.mark.parametrize("signum, status, group", [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)])
def test_stop_with_queued_reports(tmp_path: Path, signum: int, status: int, group: bool) -> None:
    proc, tag, _, started = _queued_render(tmp_path)
    took, stderr = _stop(proc, signum, group)
    assert proc.returncode == status, stderr
    assert took < STOP_S, f"the render took {took:.1f} s to stop"
    assert "Traceback" not in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert stderr.startswith("render interrupted") and "1 finished report(s) kept, 3 not rendered" in stderr
    wait_for(lambda: not tagged(tag), 30, "every process of the render has ended")
    site = tmp_path / "site"
    assert sorted(p.name for p in site.glob("*.html")) == ["index.html", "scatter.html"]
    assert set(read_records(site)) == {"scatter"}  # the stopped reports are not recorded as failures
    index = (site / "index.html").read_text()
    assert 'id="report-slow-2" data-status="missing"' in index and 'data-status="ok"' in index
    assert not started[2].exists()  # the queued report never ran
    assert temp_files(tmp_path) == []
    assert not (tmp_path / ".render" / "failed").exists() or not list((tmp_path / ".render" / "failed").iterdir())


@pytest.mark.parametrize("fork", [True, False], ids=["fork", "no-fork"])
def test_kill_9_leaves_no_process_and_the_next_render_runs(tmp_path: Path, fork: bool) -> None:
    args = () if fork else ("--no-fork",)
    proc, tag, manifest, _ = _queued_render(tmp_path, *args)
    assert len(tagged(tag)) >= 3  # the render and two kernels (and the zygote)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    wait_for(lambda: not tagged(tag), 30, "the render's kernels and zygote die with it")
    result = run_render(manifest, tmp_path / "site", "--only", "scatter")
    record = read_records(tmp_path / "site")["scatter"]
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{record.get('error')}"
    assert record["status"] == "ok"


def test_a_busy_site_names_the_render_holding_it(tmp_path: Path) -> None:
    started = tmp_path / "started"
    manifest = write_manifest(tmp_path, [slow("slow", started)])
    proc, tag = start_render(manifest, tmp_path / "site", "--state", str(tmp_path / "state-a"))
    try:
        wait_for(lambda: started.exists() or proc.poll() is not None, START_S, "the first render is running")
        second = run_render(manifest, tmp_path / "site", "--state", str(tmp_path / "state-b"))
        assert second.returncode == 1
        assert second.stderr.strip() == (
            f"error: another render (pid {proc.pid}, started "
            f"{json.loads((tmp_path / 'site' / '.evsupply' / 'lock').read_text())['started']}) is writing "
            f"{tmp_path / 'site'}; wait for it to finish or stop it"
        )
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=60)
    wait_for(lambda: not tagged(tag), 30, "every process of the render has ended")


def test_a_stale_lock_is_taken_over(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path, [dict(GOOD[0])])
    meta = tmp_path / "site" / ".evsupply"
    meta.mkdir(parents=True)
    (meta / "site.json").write_text('{"evsupply_site": 1}\n')
    ended = subprocess.Popen(["true"])
    ended.wait()
    dead = ended.pid
    (meta / "lock").write_text(json.dumps({"pid": dead, "started": "2026-01-01T00:00:00+00:00"}))
    result = run_render(manifest, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert json.loads((meta / "lock").read_text())["pid"] != dead
