"""Helpers of the render tests: manifests of fixture notebooks, the render command, the processes it leaves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures"
NOTEBOOKS = FIXTURES / "notebooks"
TAG = "EVSUPPLY_TEST_TAG"  # set in a render's environment; every process it starts inherits it

GOOD = [
    {"name": "scatter", "notebook": "scatter.ipynb", "title": "Scatter", "parameters": {"n": 5, "title": "Five"}},
    {"name": "map", "notebook": "geo.ipynb", "title": "Map", "parameters": {"port": "KRPUS"}},
]


def write_manifest(folder: Path, reports: list[dict], **top: object) -> Path:
    """A manifest in `folder` whose notebook paths point at the fixture notebooks."""
    path = folder / "reports.yml"
    reports = [dict(r, notebook=str(NOTEBOOKS / r["notebook"])) for r in reports]
    path.write_text(json.dumps({"reports": reports, **top}))  # JSON is YAML
    return path


def slow(name: str, started: Path, seconds: int = 120) -> dict:
    """A report that writes `started` when its cell runs, then sleeps."""
    return {"name": name, "notebook": "slow.ipynb", "parameters": {"seconds": seconds, "started": str(started)}}


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    """Poll `condition` until it holds; fail after `timeout` seconds, saying what did not happen."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.05)


def tagged(tag: str) -> list[int]:
    """The live processes whose environment carries `tag` (the render and all it started)."""
    needle = f"{TAG}={tag}".encode()
    pids = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if needle in (proc / "environ").read_bytes().split(b"\0"):
                state = (proc / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]
                if state != b"Z":
                    pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def start_render(
    manifest: Path, out: Path, *args: str, tag: str | None = None, new_session: bool = True
) -> tuple[subprocess.Popen, str]:
    """`evsupply render` in a process of its own (its own session, as a shell job); returns it and its tag."""
    tag = tag or uuid.uuid4().hex
    env = dict(os.environ, **{TAG: tag})
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "evsupply.cli",
            "render",
            "--manifest",
            str(manifest),
            "--out",
            str(out),
            "--quiet",
            *args,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=new_session,
        text=True,
    )
    return proc, tag


def run_render(manifest: Path, out: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`evsupply render` to completion; returns its exit status and output."""
    proc, tag = start_render(manifest, out, *args)
    stdout, stderr = proc.communicate(timeout=timeout)
    wait_for(lambda: not tagged(tag), 30, f"processes of the render left: {tagged(tag)}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def temp_files(folder: Path) -> list[Path]:
    """Temporary files of evsupply's atomic writes under `folder`."""
    return [p for p in folder.rglob("*") if "evsupply-tmp" in p.name]
