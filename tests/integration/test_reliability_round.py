"""The 2026-12 reliability round's reproducers (F4, F8-F12, F14) on copies of the real data: each ends in a located
one-line problem, never a traceback, a hang or a number that is not one."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

import evsupply
from evsupply.analysis.batteries.cells import battery_table, case_models, undecided_conditions
from evsupply.data.validate import validate
from evsupply.errors import DataError
from evsupply.findings.batteries import battery_findings
from evsupply.render.manifest import ManifestError, load_manifest, with_overrides


@pytest.fixture(autouse=True)
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(folder))
    return folder


def _set(folder: Path, table: str, column: str, value: str, row: int = 1) -> None:
    path = folder / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[row][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _errors(folder: Path) -> list[tuple[str, str | None, str | None]]:
    return [(p.rule, p.column, p.value) for p in validate(folder) if p.level == "error"]


@pytest.mark.parametrize(
    ("table", "column", "value", "rule"),
    [
        ("model_prices", "price_amount", "Infinity", "constraint"),  # F4: was valid, read as inf
        ("model_prices", "price_amount", "1e400", "constraint"),  # F4: Decimal takes it, float is inf
        ("model_prices", "price_amount", "2e9", "constraint"),  # F4: above the 10^9 maximum for amounts
        ("observations", "vehicles_count", "9223372036854775807", "constraint"),  # F4: summed to -9.2e18
        ("plant_capacity", "capacity_units_per_year", "300_000", "number"),  # F8: a traceback from pandas
        ("plant_capacity", "capacity_units_per_year", "２５００００", "number"),  # F8: full-width digits (CJK IME)
        ("model_prices", "price_amount", "49_900", "number"),  # F8
        ("plants", "latitude", "３５.０８３", "number"),  # F8
        ("plant_capacity", "capacity_units_per_year", "99999999999999999999", "constraint"),  # F8: OverflowError
    ],
)
def test_numbers_are_finite_ascii_and_bounded(data_copy: Path, table: str, column: str, value: str, rule: str) -> None:
    _set(data_copy, table, column, value)
    assert (rule, column, value) in _errors(data_copy)
    with pytest.raises(DataError):
        evsupply.load(data_copy)


def test_cr_only_line_endings_are_one_located_problem(data_copy: Path) -> None:  # F9
    path = data_copy / "plants.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r").writerows(rows)
    assert [e for e in _errors(data_copy) if e[0] == "line endings"] == [("line endings", "(whole file)", None)]


def test_a_long_cell_validates_the_same_with_and_without_the_cache(data_copy: Path) -> None:  # F10
    _set(data_copy, "companies", "note", "x" * 200_000)
    assert _errors(data_copy) == []
    assert _errors(data_copy) == []  # second run: table verdicts cached, Frictionless never imported before
    assert len(evsupply.load(data_copy).companies) > 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_descriptor_is_refused_without_hanging(data_copy: Path) -> None:  # F11
    (data_copy / "datapackage.json").unlink()
    os.mkfifo(data_copy / "datapackage.json")
    found = _errors(data_copy)
    assert found and found[0][0] == "descriptor"


def test_an_endless_or_nested_descriptor_is_refused(data_copy: Path) -> None:  # F11
    descriptor = data_copy / "datapackage.json"
    descriptor.unlink()
    descriptor.symlink_to("/dev/zero")
    assert [e[0] for e in _errors(data_copy)][:1] == ["descriptor"]
    descriptor.unlink()
    descriptor.write_text("[" * 100_000, encoding="utf-8")
    assert [e[0] for e in _errors(data_copy)][:1] == ["descriptor"]


def test_a_header_only_speeds_table_has_no_default(data_copy: Path) -> None:  # F12
    path = data_copy / "vessel_speeds.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert ("one default", "is_default", "0") in _errors(data_copy)


def test_yaml_aliases_are_refused_in_parameters() -> None:  # F14: a 299-byte alias bomb spun for minutes
    report = next(r for r in load_manifest(Path(evsupply.__file__).parents[1] / "notebooks" / "reports.yml"))
    levels = ["a: &a [1,2,3,4,5,6,7,8,9,10]"] + [
        f"{n}: &{n} [{', '.join(['*' + p] * 10)}]" for p, n in zip("abcdefg", "bcdefgh", strict=True)
    ]
    with pytest.raises(ManifestError, match="aliases"):
        with_overrides(report, ["scenarios={" + ", ".join(levels) + "}"])


def test_header_only_origin_rules_leave_no_rule_undecided(data_copy: Path) -> None:
    # F12: origin_rules.csv with only its header is valid; the batteries analyses then read no rule, not a KeyError.
    rules = data_copy / "origin_rules.csv"
    rules.write_text(rules.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    questions = data_copy / "open_questions.csv"
    rows = list(csv.DictReader(questions.open(encoding="utf-8")))
    kept = [r for r in rows if "origin_rules:" not in r["rows_affected"]]  # questions naming a rule go with it
    with questions.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    t = evsupply.load(data_copy)
    assert undecided_conditions(t, "2026-12-08").empty
    assert len(battery_table(t, "2026-12-08")) == len(case_models(t))
    assert not any(f.key.startswith("undecided") for f in battery_findings(t, "2026-12-08"))
