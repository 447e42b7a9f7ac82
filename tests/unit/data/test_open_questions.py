"""Open questions: what was looked for and not found. `evsupply validate` warns once a look-again date has passed
(an error under --strict, judged on --today); a row reference must name real rows; reports that cite a row an open
question would change say so. Checked on hand-made data folders (tests/kit) and on the real tables."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
from kit import ROWS, open_question, write_data

import evsupply
from evsupply.cli import main
from evsupply.data import freshness
from evsupply.data.validate import validate
from evsupply.pages.common import freshness_note


def folder_with(tmp_path: Path, *questions: dict[str, str]) -> Path:
    rows = copy.deepcopy(ROWS)
    rows["open_questions"] = list(questions)
    return write_data(tmp_path / "data", rows)


def test_a_passed_look_again_date_is_a_warning_judged_on_today(tmp_path: Path) -> None:
    data = folder_with(tmp_path, open_question(look_again_date="2027-01-15"))
    before = validate(data, today=dt.date(2027, 1, 15))
    assert not [p for p in before if p.rule == "look again"]  # due on the day itself: not yet passed
    after = [p for p in validate(data, today=dt.date(2027, 1, 16)) if p.rule == "look again"]
    assert len(after) == 1
    warning = after[0]
    assert warning.level == "warning" and Path(warning.file).name == "open_questions.csv"
    assert (warning.line, warning.column, warning.value) == (2, "look_again_date", "2027-01-15")
    assert "where_is_the_count" in warning.message


def test_strict_fails_on_a_passed_look_again_date_and_passes_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(folder_with(tmp_path, open_question(look_again_date="2027-01-15")))
    assert main(["validate", "--data-dir", data, "--today", "2027-01-16"]) == 0  # a warning only
    assert "look again" in capsys.readouterr().err
    assert main(["validate", "--data-dir", data, "--today", "2027-01-16", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "--strict" in err and "where_is_the_count" in err
    assert main(["validate", "--data-dir", data, "--today", "2027-01-14", "--strict"]) == 0


@pytest.mark.parametrize(
    "rows_affected, message",
    [
        ("volume_scenarios:nope/renault_korea_busan", "no row of volume_scenarios has this key"),
        ("vessels:carrier_15", "does not name a table and its key columns"),
        ("volume_scenarios:default", "does not name a table and its key columns"),  # one key column short
    ],
)
def test_a_row_reference_must_name_real_rows(tmp_path: Path, rows_affected: str, message: str) -> None:
    data = folder_with(tmp_path, open_question(rows_affected=rows_affected, look_again_date="2100-01-01"))
    found = [p for p in validate(data) if p.rule == "row reference"]
    assert len(found) == 1 and message in found[0].message
    assert (found[0].level, found[0].line, found[0].column) == ("error", 2, "rows_affected")


def test_look_again_before_looked_on_is_an_error(tmp_path: Path) -> None:
    data = folder_with(tmp_path, open_question(looked_on_date="2026-12-01", look_again_date="2026-11-30"))
    assert [p.rule for p in validate(data) if p.level == "error"] == ["period order"]


def test_questions_for_the_sources_a_report_cites(tmp_path: Path) -> None:
    tables = evsupply.load(folder_with(tmp_path, open_question(look_again_date="2100-01-01")))
    # The fixture plan row (volume_scenarios default, Busan) rests on fixture_plan.
    hit = freshness.open_questions_for(tables, ["fixture_plan"])
    assert list(hit["question_id"]) == ["where_is_the_count"]
    assert hit.iloc[0]["rows"] == "volume_scenarios:default/renault_korea_busan"
    assert freshness.open_questions_for(tables, ["fixture_source"]).empty
    note = freshness_note(tables, ["fixture_plan"])
    assert "open question" in note and "(looked for, not found" in note and "How many cars were shipped?" in note
    assert "open questions" not in freshness_note(tables, ["fixture_source"])
