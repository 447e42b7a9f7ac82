"""One day (issue 25, item 1): every report of a manifest is read on the edition's day, the render day by default,
and a matrix can run over every id of a data table (a case added to cases.csv gets its page)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pytest

from evsupply.core.paths import NOTEBOOKS_DIR, data_dir
from evsupply.render.manifest import ManifestError, load_manifest

PARAMETERS = "on_date = '2026-11-27'\nas_of = '2026-11-27'\ndates = ['2024-06-01']\ncase = 'x'\n"


def _notebook(folder: Path, source: str = PARAMETERS) -> Path:
    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["parameters"]},
        "source": source,
        "outputs": [],
        "execution_count": None,
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = folder / "day.ipynb"
    path.write_text(json.dumps(nb))
    return path


def _manifest(folder: Path, reports: list[dict], **top: object) -> Path:
    _notebook(folder)
    path = folder / "reports.yml"
    path.write_text(json.dumps({**top, "reports": reports}))
    return path


def test_the_default_day_is_the_render_day(tmp_path: Path) -> None:
    path = _manifest(
        tmp_path, [{"name": "a", "notebook": "day.ipynb", "parameters": {"dates": ["2024-06-01", "{on_date}"]}}]
    )
    (report,) = load_manifest(path)
    today = dt.date.today().isoformat()
    assert report.day == today
    assert report.parameters == {"dates": ["2024-06-01", today], "on_date": today, "as_of": today}


def test_an_archived_edition_names_its_day_and_the_command_line_wins(tmp_path: Path) -> None:
    path = _manifest(tmp_path, [{"name": "a", "notebook": "day.ipynb"}], on_date="2026-07-01")
    (report,) = load_manifest(path)
    assert (report.day, report.parameters["on_date"], report.parameters["as_of"]) == ("2026-07-01",) * 3
    (report,) = load_manifest(path, on_date="2025-01-31")
    assert report.parameters["on_date"] == "2025-01-31"


def test_a_report_that_sets_its_own_day_keeps_it_and_a_notebook_without_one_gets_none(tmp_path: Path) -> None:
    path = _manifest(tmp_path, [{"name": "a", "notebook": "day.ipynb", "parameters": {"as_of": "2020-01-01"}}])
    (report,) = load_manifest(path, on_date="2026-07-01")
    assert report.parameters == {"as_of": "2020-01-01", "on_date": "2026-07-01"}
    _notebook(tmp_path, "case = 'x'\n")
    (report,) = load_manifest(path, on_date="2026-07-01")
    assert report.parameters == {"as_of": "2020-01-01"}


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "2026-7-1"])
def test_a_day_that_is_not_a_day_is_refused(tmp_path: Path, bad: str) -> None:
    path = _manifest(tmp_path, [{"name": "a", "notebook": "day.ipynb"}], on_date=bad)
    with pytest.raises(ManifestError, match="on_date"):
        load_manifest(path)


def test_a_matrix_from_a_data_table_covers_every_case_in_cases_csv(tmp_path: Path) -> None:
    path = _manifest(
        tmp_path, [{"name": "b", "notebook": "day.ipynb", "matrix": {"case": {"from": "cases", "column": "case_id"}}}]
    )
    with (data_dir() / "cases.csv").open(encoding="utf-8", newline="") as handle:
        case_ids = [row["case_id"] for row in csv.DictReader(handle)]
    reports = load_manifest(path)
    assert [r.parameters["case"] for r in reports] == case_ids
    assert [r.name for r in reports] == [f"b-{c}" for c in case_ids]


def test_a_matrix_from_a_missing_column_is_refused(tmp_path: Path) -> None:
    path = _manifest(
        tmp_path, [{"name": "b", "notebook": "day.ipynb", "matrix": {"case": {"from": "cases", "column": "nope"}}}]
    )
    with pytest.raises(ManifestError, match="no column 'nope'"):
        load_manifest(path)


def test_the_shipped_manifest_sets_no_day_of_its_own_and_briefs_every_case() -> None:
    reports = load_manifest(NOTEBOOKS_DIR / "reports.yml", on_date="2026-12-08")
    days = {r.parameters[k] for r in reports for k in ("on_date", "as_of") if k in r.parameters}
    assert days == {"2026-12-08"}
    assert {max(r.parameters["dates"]) for r in reports if "dates" in r.parameters} == {"2026-12-08"}
    with (data_dir() / "cases.csv").open(encoding="utf-8", newline="") as handle:
        case_ids = {row["case_id"] for row in csv.DictReader(handle)}
    assert {r.parameters["case"] for r in reports if r.notebook.name == "brief.ipynb"} == case_ids
