"""`evsupply render --only NAME -p key=value`: one report with overridden parameters, under a derived name, without
editing the manifest; the index keeps listing it; a bad override is one line and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit.render import GOOD, write_manifest

from evsupply.cli import main
from evsupply.render.site import read_records


def cli(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str]:
    status = main(["render", "--quiet", *args])
    return status, capsys.readouterr().err


def test_a_parameter_override_renders_a_variant_beside_the_manifest_report(tmp_path: Path, capsys) -> None:
    manifest = write_manifest(tmp_path, [dict(r) for r in GOOD])
    before = manifest.read_text()
    site = tmp_path / "site"
    status, err = cli(
        capsys,
        "--manifest",
        str(manifest),
        "--out",
        str(site),
        "--only",
        "scatter",
        "-p",
        "n=7",
        "-p",
        "title=Seven points",
    )
    assert status == 0, err
    assert manifest.read_text() == before  # the manifest is not edited
    page = site / "scatter--n-7-title-seven-points.html"
    assert page.is_file() and "points: 7" in page.read_text(encoding="utf-8")
    records = read_records(site)
    assert records["scatter--n-7-title-seven-points"]["parameters"] == {"n": 7, "title": "Seven points"}
    assert records["scatter--n-7-title-seven-points"]["varies"] == "scatter"
    # A later render of the manifest keeps listing the variant in the index.
    status, err = cli(capsys, "--manifest", str(manifest), "--out", str(site), "--only", "map")
    assert status == 0, err
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'id="report-scatter--n-7-title-seven-points"' in index and "Scatter (n=7, title=Seven points)" in index


@pytest.mark.parametrize(
    "args, message",
    [
        (["-p", "n=7"], "error: -p sets the parameters of one report: name it with --only NAME"),
        (["--only", "scatter", "-p", "n"], "error: -p (scatter): 'n' is not KEY=VALUE"),
        (["--only", "scatter", "-p", "day=2025-12-01"], "quote it"),
        (["--only", "scatter", "-p", "n=[1, 2"], "is not a YAML value"),
    ],
)
def test_a_bad_override_is_one_line_and_writes_nothing(tmp_path: Path, capsys, args: list[str], message: str) -> None:
    manifest = write_manifest(tmp_path, [dict(r) for r in GOOD])
    status, err = cli(capsys, "--manifest", str(manifest), "--out", str(tmp_path / "site"), *args)
    lines = err.strip().splitlines()
    assert status == 1 and len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], err
    assert not (tmp_path / "site").exists()
