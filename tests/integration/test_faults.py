"""Faults: a full disk during export or render is one line and leaves no partial file; `--state` under a file is
refused before anything is written; kernel connection files (with their keys) do not outlive a killed render; a
hung cell fails its report, not the render."""

from __future__ import annotations

import errno
import json
import os
import signal
from pathlib import Path

import pyogrio
import pytest
from kit import write_data
from kit.render import GOOD, run_render, slow, start_render, tagged, temp_files, wait_for, write_manifest
from pyogrio.errors import DataLayerError

from evsupply.cli import main
from evsupply.render.manifest import DEFAULT_TIMEOUT_S, load_manifest
from evsupply.render.site import read_records

START_S = 180  # a render's start-up on a machine whose cores are busy
FULL = os.strerror(errno.ENOSPC)  # "No space left on device"


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# --- a full disk ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [OSError(errno.ENOSPC, FULL), DataLayerError(f"sqlite3_exec(COMMIT) failed: {FULL}")],
    ids=["OSError", "GDAL error"],
)
def test_full_disk_during_export_is_one_line_and_leaves_nothing(tmp_path: Path, monkeypatch, capsys, error) -> None:
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(tmp_path / "cache"))
    data = write_data(tmp_path / "data")
    real = pyogrio.write_dataframe
    calls: list[str] = []

    def filling(df, path, **kwargs):  # the first layer fits, the second fills the disk half-way
        calls.append(str(path))
        if len(calls) == 1:
            return real(df, path, **kwargs)
        with open(path, "ab") as handle:
            handle.write(b"\0" * 4096)
        raise error

    monkeypatch.setattr(pyogrio, "write_dataframe", filling)
    target = tmp_path / "out" / "flows.gpkg"
    status = main(["export", "--gpkg", str(target), "--data-dir", str(data), "--origin", "geely_hangzhou_bay"])
    line = one_line(capsys.readouterr().err)
    assert status == 1 and FULL in line and str(target) in line
    assert len(calls) == 2
    assert not target.exists() and temp_files(tmp_path / "out") == []  # the half-written GeoPackage is gone


def test_full_disk_during_render_is_one_line_and_leaves_nothing(tmp_path: Path, monkeypatch, capsys) -> None:
    site = tmp_path / "site"
    manifest = write_manifest(tmp_path, [GOOD[0]])
    real_fsync = os.fsync

    def full_under_site(fd: int) -> None:  # the site's disk is full: every file written there fails at fsync
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(site)):
            raise OSError(errno.ENOSPC, FULL)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_under_site)
    status = main(["render", "--quiet", "--manifest", str(manifest), "--out", str(site), "--no-fork"])
    line = one_line(capsys.readouterr().err)
    assert status == 1 and FULL in line
    assert temp_files(site) == []
    assert not (site / "scatter.html").exists()


# --- --state ---------------------------------------------------------------------------------------------------


def test_state_under_a_file_is_refused_before_anything_is_written(tmp_path: Path, capsys) -> None:
    (tmp_path / "a-file").write_text("x")
    manifest = write_manifest(tmp_path, [GOOD[0]])
    site = tmp_path / "site"
    status = main(
        [
            "render",
            "--quiet",
            "--manifest",
            str(manifest),
            "--out",
            str(site),
            "--state",
            str(tmp_path / "a-file" / "s"),
        ]
    )
    line = one_line(capsys.readouterr().err)
    assert status == 1 and "state folder" in line and "a-file" in line and "not a folder" in line
    assert not site.exists()
    assert (tmp_path / "a-file").read_text() == "x"


# --- time limits -------------------------------------------------------------------------------------------------


def test_reports_have_a_default_time_limit(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path, [GOOD[0], dict(GOOD[1], timeout=5)])
    first, second = load_manifest(manifest)
    assert (first.timeout, second.timeout) == (DEFAULT_TIMEOUT_S, 5)
    assert DEFAULT_TIMEOUT_S == 600


@pytest.mark.parametrize("timeout", [0, -1, 1.5, True, None, 10**20])
def test_a_bad_time_limit_is_refused(tmp_path: Path, timeout) -> None:
    from evsupply.render.manifest import ManifestError

    manifest = write_manifest(tmp_path, [dict(GOOD[0], timeout=timeout)])
    with pytest.raises(ManifestError, match="'timeout' must be a whole number of seconds"):
        load_manifest(manifest)


def test_a_hung_cell_fails_its_report_not_the_render(tmp_path: Path) -> None:
    started = tmp_path / "started"
    hung = dict(slow("hung", started, seconds=3600), timeout=3)  # sleeps an hour; the manifest allows 3 s a cell
    manifest = write_manifest(tmp_path, [GOOD[0], hung])
    result = run_render(manifest, tmp_path / "site", "--jobs", "2")
    assert result.returncode == 1, result.stderr
    records = read_records(tmp_path / "site")
    assert records["scatter"]["status"] == "ok"
    assert records["hung"]["status"] == "failed" and "timed out" in records["hung"]["error"].lower()
    assert started.exists()  # the cell did start: it was stopped, not skipped


# --- kernel connection files ---------------------------------------------------------------------------------------


def connection_files(tmp: Path) -> list[Path]:
    """Every kernel connection file (JSON holding a `key`) under `tmp`."""
    found = []
    for path in tmp.rglob("*.json"):
        try:
            if "key" in json.loads(path.read_text()):
                found.append(path)
        except (OSError, ValueError):
            continue
    return found


def test_kernel_connection_files_do_not_outlive_a_killed_render(tmp_path: Path, monkeypatch) -> None:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))  # the render and its kernels put their temporary files here
    started = tmp_path / "started"
    manifest = write_manifest(tmp_path, [slow("slow", started)])
    proc, tag = start_render(manifest, tmp_path / "site")
    try:
        wait_for(lambda: started.exists() or proc.poll() is not None, START_S, "the slow report's cell runs")
        assert proc.poll() is None, proc.communicate()
        files = connection_files(tmp)
        assert files, "no connection file found under $TMPDIR"
        for file in files:  # in the render's own folder, which only this user may enter
            assert file.parent.parent.name == f"evsupply-kernels-{os.geteuid()}"
            assert file.parent.name.startswith(f"{proc.pid}-")
            assert not file.parent.stat().st_mode & 0o077 and not file.stat().st_mode & 0o077
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    wait_for(lambda: not tagged(tag), 30, "the render's kernels and zygote die with it")
    result = run_render(write_manifest(tmp_path, [GOOD[0]]), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert connection_files(tmp) == [], "a killed render's kernel keys are still on disk after the next render"
