"""Bad input to `evsupply render`: each gets a one-line error that names it and changes nothing on disk.
Text from a manifest is escaped wherever it enters HTML; two renders of one report give the same page."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from kit.render import GOOD, NOTEBOOKS, temp_files, write_manifest

from evsupply.cli import main
from evsupply.core.paths import data_dir
from evsupply.render import load_manifest, render
from evsupply.render.site import read_records


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under `folder` with its bytes (None for a folder)."""
    return {
        str(p.relative_to(folder)): None if p.is_dir() else p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if not p.is_symlink()
    }


def cli_render(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    """Run `evsupply render --quiet ARGS` in this process; return the exit status and standard error."""
    status = main(["render", "--quiet", *args])
    return status, capsys.readouterr().err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    return lines[0]


SCATTER = f"notebook: {NOTEBOOKS / 'scatter.ipynb'}"


@pytest.mark.parametrize(
    "text, message",
    [
        (
            f"reports:\n- name: a\n  {SCATTER}\n  parameters: {{title: 2025-12-01}}\n",
            r"reports\[0\] \(a\): parameters\.title: 2025-12-01 is a YAML date, .* quote it: \"2025-12-01\"",
        ),
        (f"defaults: [1, 2]\nreports:\n- name: a\n  {SCATTER}\n", r"'defaults' must be a mapping of report keys"),
        (f"reports:\n- name: a\n  {SCATTER}\n  show_code: 'false'\n", r"'show_code' must be true or false"),
        (f"reports:\n- name: {'a' * 250}\n  {SCATTER}\n", r"name is 250 characters long; at most 100"),
        ("reports: []\n", r"'reports' is empty: there is nothing to render"),
        (f"reports:\n- name: index\n  {SCATTER}\n", r"name 'index' is taken by the site's own page"),
        (
            f"reports:\n- name: a\n  {SCATTER}\n  matrix: {{n: [1, 2]}}\n- name: a-1\n  {SCATTER}\n",
            r"report name 'a-1' is used twice",
        ),
        (f"reports:\n- name: a\n  {SCATTER}\n  parameters: {{2: x}}\n", r"parameters: 2 is not a parameter name"),
        (f"reports:\n- name: a\n  {SCATTER}\n  timeout: 1.5\n", r"'timeout' must be a whole number of seconds"),
        ("reports:\n- name: a\n  notebook: [x\n", r"reports\.yml:\d+:\d+: not valid YAML"),
        ("- just\n- a list\n", r"expected a mapping with a 'reports' list"),
    ],
)
def test_a_bad_manifest_is_one_line_and_writes_nothing(tmp_path: Path, capsys, text: str, message: str) -> None:
    (tmp_path / "reports.yml").write_text(text)
    before = snapshot(tmp_path)
    status, err = cli_render(capsys, "--manifest", str(tmp_path / "reports.yml"), "--out", str(tmp_path / "site"))
    assert status == 1
    assert re.search(message, one_error_line(err)), err
    assert snapshot(tmp_path) == before


def test_out_at_a_file_is_refused(tmp_path: Path, capsys) -> None:
    manifest = write_manifest(tmp_path, [dict(GOOD[0])])
    (tmp_path / "site").write_text("not a folder")
    before = snapshot(tmp_path)
    status, err = cli_render(capsys, "--manifest", str(manifest), "--out", str(tmp_path / "site"))
    assert status == 1 and one_error_line(err) == f"error: site folder {tmp_path / 'site'} is a file, not a folder"
    status, err = cli_render(capsys, "--manifest", str(manifest), "--out", str(tmp_path / "site" / "sub"))
    assert status == 1 and "is not a folder" in one_error_line(err)
    assert snapshot(tmp_path) == before


def test_a_foreign_folder_is_refused_and_left_alone(tmp_path: Path, capsys) -> None:
    manifest = write_manifest(tmp_path, [dict(GOOD[0])])
    foreign = tmp_path / "www"
    (foreign / "sub").mkdir(parents=True)
    (foreign / "index.html").write_text("<h1>my home page</h1>")
    (foreign / "scatter.html").write_text("my scatter page")
    (foreign / "sub" / ".page.123-0badcafe.evsupply-tmp.html").write_text("mine, whatever its name")
    before = snapshot(tmp_path)
    status, err = cli_render(capsys, "--manifest", str(manifest), "--out", str(foreign))
    assert status == 1
    assert one_error_line(err) == (
        f"error: {foreign} is not an evsupply site (no .evsupply/site.json) and not "
        "empty (index.html, scatter.html, sub); render into a new or empty folder"
    )
    assert snapshot(tmp_path) == before


def test_a_folder_holding_only_a_readme_becomes_a_site(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "README.md").write_text("Reports land here.\n")
    render(
        load_manifest(write_manifest(tmp_path, [dict(GOOD[0])])),
        site=tmp_path / "site",
        state=tmp_path / "state",
        jobs=1,
        progress=False,
    )
    assert (tmp_path / "site" / ".evsupply" / "site.json").is_file()
    assert (tmp_path / "site" / "README.md").read_text() == "Reports land here.\n"
    assert read_records(tmp_path / "site")["scatter"]["status"] == "ok"


def test_a_site_whose_marker_was_never_written_is_still_a_site(tmp_path: Path) -> None:
    (tmp_path / "site" / ".evsupply").mkdir(parents=True)  # a render killed between the folder and the marker
    render(
        load_manifest(write_manifest(tmp_path, [dict(GOOD[0])])),
        site=tmp_path / "site",
        state=tmp_path / "state",
        jobs=1,
        progress=False,
    )
    assert (tmp_path / "site" / ".evsupply" / "site.json").is_file()


def test_a_site_from_before_the_marker_is_adopted_with_its_records(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "map.html").write_text("<html>old map</html>")
    old = [
        {
            "name": "map",
            "title": "Map",
            "status": "ok",
            "html": "map.html",
            "rendered_at": "2026-01-01T00:00:00",
            "data_version": "abc",
            "parameters": {},
            "duration_s": 1.0,
        }
    ]
    (site / "index.html").write_text(
        f'<script type="application/json" id="evsupply-render-records">{__import__("json").dumps(old)}</script>'
    )
    reports = load_manifest(write_manifest(tmp_path, [dict(r) for r in GOOD]))
    render([reports[0]], site=site, state=tmp_path / "state", listed=reports, jobs=1, progress=False)
    records = read_records(site)
    assert records["map"]["rendered_at"] == "2026-01-01T00:00:00" and records["scatter"]["status"] == "ok"
    assert '<a href="map.html">Map</a>' in (site / "index.html").read_text()


def test_temp_files_are_swept_only_where_render_writes_and_only_of_dead_writers(tmp_path: Path) -> None:
    site = tmp_path / "site"
    render(
        load_manifest(write_manifest(tmp_path, [dict(GOOD[0])])),
        site=site,
        state=tmp_path / "state",
        jobs=1,
        progress=False,
    )
    (site / "sub").mkdir()
    nested = site / "sub" / ".notes.999999-0badcafe.evsupply-tmp.html"
    nested.write_text("not render's")
    left = site / ".scatter.999999-0badcafe.evsupply-tmp.html"  # pid 999999: no such process
    left.write_text("a killed render's")
    live = site / f".scatter.{os.getppid()}-0badcafe.evsupply-tmp.html"  # a live process: still being written
    live.write_text("someone's")
    render(
        load_manifest(write_manifest(tmp_path, [dict(GOOD[0])])),
        site=site,
        state=tmp_path / "state",
        jobs=1,
        progress=False,
    )
    assert nested.exists() and live.exists() and not left.exists()


def test_manifest_text_is_escaped_in_the_index_and_the_banner(tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>"
    manifest = write_manifest(
        tmp_path,
        [
            {"name": "ok", "notebook": "scatter.ipynb", "title": f"Title {evil}", "parameters": {"title": evil}},
            {"name": "bad", "notebook": "scatter.ipynb", "title": f"Bad {evil}", "parameters": {"n": evil}},
        ],
    )
    results = render(load_manifest(manifest), site=tmp_path / "site", state=tmp_path / "state", jobs=1, progress=False)
    assert {r.name: r.status for r in results} == {"ok": "ok", "bad": "failed"}
    assert evil in results[1].error  # the ParameterError quotes the value
    index = (tmp_path / "site" / "index.html").read_text()
    report = (tmp_path / "site" / "ok.html").read_text()
    assert "<script>alert" not in index
    assert index.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # two titles, parameters, the error
    banner = re.search(r'<nav class="evsupply-banner">.*?</nav>', report, re.DOTALL).group(0)
    assert "<script>" not in banner and "&lt;script&gt;" in banner
    title = re.search(r"<title>(.*?)</title>", report, re.DOTALL).group(1)
    assert "<script>" not in title


def test_stray_entries_in_the_data_folder_do_not_stop_a_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # A stray `old.csv/` folder and a dangling `gone.csv` link are no tables of the schema: validation names them
    # as warnings, loading ignores them, and a render goes on (it used to die with chained tracebacks).
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    (data / "old.csv").mkdir()
    (data / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
    monkeypatch.setenv("EVSUPPLY_DATA_DIR", str(data))
    assert main(["validate", "--data-dir", str(data)]) == 0
    err = capsys.readouterr().err
    assert "old.csv" in err and "gone.csv" in err and "[not a table]" in err
    manifest = write_manifest(tmp_path, [dict(GOOD[0])])
    status, err = cli_render(capsys, "--manifest", str(manifest), "--out", str(tmp_path / "site"))
    assert status == 0, err


@pytest.mark.parametrize(
    "args, message",
    [
        (["--jobs", "0"], "error: --jobs must be at least 1, not 0"),
        (["--only", "nope"], "error: --only: no report named nope in"),
    ],
)
def test_bad_options_are_one_line(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    manifest = write_manifest(tmp_path, [dict(GOOD[0])])
    before = snapshot(tmp_path)
    status, err = cli_render(capsys, "--manifest", str(manifest), "--out", str(tmp_path / "site"), *args)
    assert status == 1 and one_error_line(err).startswith(message)
    assert snapshot(tmp_path) == before


def test_state_at_a_file_is_refused(tmp_path: Path, capsys) -> None:
    manifest = write_manifest(tmp_path, [dict(GOOD[0])])
    (tmp_path / "state").write_text("")
    status, err = cli_render(
        capsys, "--manifest", str(manifest), "--out", str(tmp_path / "site"), "--state", str(tmp_path / "state")
    )
    assert status == 1 and one_error_line(err) == f"error: state folder {tmp_path / 'state'} is a file, not a folder"
    assert not (tmp_path / "site").exists()


def test_a_killed_kernel_keeps_its_executed_notebook(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path, [{"name": "crash", "notebook": "crash.ipynb"}])
    [result] = render(load_manifest(manifest), site=tmp_path / "site", state=tmp_path / "state", jobs=1, progress=False)
    assert result.status == "failed" and result.error == "DeadKernelError: Kernel died"
    kept = nbformat.read(tmp_path / "state" / "failed" / "crash.ipynb", as_version=4)
    outputs = [o for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert {"name": "stdout", "output_type": "stream", "text": "before the crash\n"} in outputs
    assert result.failed_notebook == str(tmp_path / "state" / "failed" / "crash.ipynb")
    assert temp_files(tmp_path) == []


def test_two_renders_of_a_report_give_the_same_page(tmp_path: Path) -> None:
    reports = load_manifest(write_manifest(tmp_path, [dict(GOOD[0])]))
    pages = []
    for i in range(2):
        render(reports, site=tmp_path / f"site-{i}", state=tmp_path / "state", jobs=1, progress=False)
        page = (tmp_path / f"site-{i}" / "scatter.html").read_text()
        pages.append(re.sub(r"<span>rendered [^<]*</span>", "", page))
    assert pages[0] == pages[1]


def test_invalid_data_fails_each_report_with_one_line(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A DataError raised by the notebook's evsupply.load() is that report's failure, shown on one line."""
    from kit import set_cell

    set_cell(data_copy / "plants.csv", 1, "latitude", "95")  # out of range
    monkeypatch.setenv("EVSUPPLY_DATA_DIR", str(data_copy))
    manifest = Path(__file__).parents[2] / "notebooks" / "reports.yml"
    reports = [r for r in load_manifest(manifest) if r.name == "ownership"]
    [result] = render(reports, site=tmp_path / "site", state=tmp_path / "state", jobs=1, progress=False)
    assert result.status == "failed"
    assert result.error.startswith(
        f"DataError: 1 data problem found: {data_copy / 'plants.csv'}:2: column 'latitude': value '95'"
    ), result.error
    assert "\n" not in result.error
    assert "DataError: 1 data problem found" in (tmp_path / "site" / "index.html").read_text()
