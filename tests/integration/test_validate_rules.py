"""The domain rules of data 0.2, each broken in a copy of the real data: the problem is found and located
(file, line, column, rule); freshness gives warnings, not errors; the CLI's --strict turns them into a failure."""

from __future__ import annotations

import csv
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kit import cell, read_rows, set_cell, write_rows

import evsupply
from evsupply.core.paths import data_dir
from evsupply.data.validate import validate
from evsupply.errors import Problem


def _newest_checked_on() -> dt.date:
    """The latest `checked_on` in the repository's data: a `today` on which no row is checked in the future."""
    days = []
    for file in data_dir().glob("*.csv"):
        with file.open(encoding="utf-8", newline="") as handle:
            days += [row["checked_on"] for row in csv.DictReader(handle) if row.get("checked_on")]
    return dt.date.fromisoformat(max(days))


TODAY = _newest_checked_on()


def errors_of(folder: Path, **options: object) -> list[Problem]:
    return [p for p in validate(folder, **({"today": TODAY} | options)) if p.level == "error"]


def only(folder: Path, rule: str) -> Problem:
    """The one error found, which must be of `rule`."""
    found = errors_of(folder)
    assert [p.rule for p in found] == [rule], [str(p) for p in found]
    return found[0]


def where(p: Problem) -> tuple[str, int | None, str | None, str]:
    return Path(p.file).name, p.line, p.column, p.rule


def row_of(file: Path, column: str, value: str) -> int:
    """The data row (1 = first data row, as set_cell counts) whose `column` is `value`."""
    rows = read_rows(file)
    k = rows[0].index(column)
    return next(i for i, r in enumerate(rows[1:], start=1) if r[k] == value)


def line_of(file: Path, column: str, value: str) -> int:
    """The file line (header = line 1) of that row."""
    return row_of(file, column, value) + 1


def append_copy(file: Path, key: str, value: str, **changes: str) -> int:
    """Append a copy of the row whose `key` is `value`, with `changes`; return the new row's file line."""
    rows = read_rows(file)
    header = rows[0]
    new = dict(zip(header, rows[row_of(file, key, value)], strict=True)) | changes
    write_rows(file, [*rows, [new[h] for h in header]])
    return len(rows) + 1


# --- one default ---


def test_two_default_ports_for_one_market(data_copy: Path) -> None:
    file = data_copy / "market_ports.csv"
    set_cell(file, row_of(file, "port_id", "USLAX"), "is_default", "true")
    p = only(data_copy, "one default")
    assert (p.column, p.value) == ("is_default", "USA")
    # Located on a default row of the market: USNTD (true in the data) or USLAX (made true here).
    assert Path(p.file).name == "market_ports.csv"
    assert p.line in {line_of(file, "port_id", "USNTD"), line_of(file, "port_id", "USLAX")}
    assert "2 default" in p.message


def test_no_default_port_for_a_market_that_lists_ports(data_copy: Path) -> None:
    file = data_copy / "market_ports.csv"
    set_cell(file, row_of(file, "port_id", "CAVAN"), "is_default", "false")  # Canada's only port
    p = only(data_copy, "one default")
    assert where(p) == ("market_ports.csv", line_of(file, "port_id", "CAVAN"), "is_default", "one default")
    assert p.value == "CAN" and "0 default" in p.message


@pytest.mark.parametrize("table", ["emission_factors", "vessel_speeds"])
def test_no_default_factor_or_speed(data_copy: Path, table: str) -> None:
    set_cell(data_copy / f"{table}.csv", 1, "is_default", "false")  # the one default row
    p = only(data_copy, "one default")
    assert (Path(p.file).name, p.column, p.value) == (f"{table}.csv", "is_default", "0")


ID_COLUMN = {"emission_factors": "emission_factor_id", "vessel_speeds": "speed_id"}


@pytest.mark.parametrize("table", ["emission_factors", "vessel_speeds"])
def test_two_default_factors_or_speeds(data_copy: Path, table: str) -> None:
    file = data_copy / f"{table}.csv"
    first = cell(file, 1, ID_COLUMN[table])
    append_copy(file, ID_COLUMN[table], first, **{ID_COLUMN[table]: "second_default"})
    p = only(data_copy, "one default")
    assert (Path(p.file).name, p.column, p.value) == (f"{table}.csv", "is_default", "2")


@pytest.mark.parametrize("table", ["emission_factors", "vessel_speeds"])
def test_two_default_factors_or_speeds_are_located(data_copy: Path, table: str) -> None:
    file = data_copy / f"{table}.csv"
    first = cell(file, 1, ID_COLUMN[table])
    added = append_copy(file, ID_COLUMN[table], first, **{ID_COLUMN[table]: "second_default"})
    assert only(data_copy, "one default").line in {2, added}


# --- trade measures ---

TM = "trade_measures.csv"


@pytest.mark.parametrize(
    ("measure", "target"),
    [
        ("eu_tur_customs_union", "us_mfn_passenger_cars"),  # a 'replaces' row naming a US measure
        ("tur_igv_china_ev_40_byd_exempt", "eu_cvd_bev_china_byd"),  # an 'all_in' row naming an EU measure
    ],
)
def test_replaced_measure_of_another_market(data_copy: Path, measure: str, target: str) -> None:
    file = data_copy / TM
    set_cell(file, row_of(file, "measure_id", measure), "replaces_measure_id", target)
    p = only(data_copy, "replaced measure")
    assert where(p) == (TM, line_of(file, "measure_id", measure), "replaces_measure_id", "replaced measure")
    assert p.value == target


def test_replaces_row_without_its_target(data_copy: Path) -> None:
    file = data_copy / TM
    set_cell(file, row_of(file, "measure_id", "bra_ev_2024_01"), "replaces_measure_id", "")
    p = only(data_copy, "replaced measure")
    assert where(p) == (TM, line_of(file, "measure_id", "bra_ev_2024_01"), "replaces_measure_id", "replaced measure")


def test_additive_row_must_not_replace(data_copy: Path) -> None:
    file = data_copy / TM
    set_cell(file, row_of(file, "measure_id", "eu_cvd_bev_china_byd"), "replaces_measure_id", "eu_mfn_passenger_cars")
    p = only(data_copy, "replaced measure")
    assert where(p) == (
        TM,
        line_of(file, "measure_id", "eu_cvd_bev_china_byd"),
        "replaces_measure_id",
        "replaced measure",
    )
    assert p.value == "eu_mfn_passenger_cars"


def test_named_manufacturer_row_needs_its_manufacturer(data_copy: Path) -> None:
    file = data_copy / TM
    set_cell(file, row_of(file, "measure_id", "eu_cvd_bev_china_byd"), "manufacturer_id", "")
    p = only(data_copy, "manufacturer")
    assert where(p) == (TM, line_of(file, "measure_id", "eu_cvd_bev_china_byd"), "manufacturer_id", "manufacturer")


def test_other_rows_name_no_manufacturer(data_copy: Path) -> None:
    file = data_copy / TM
    set_cell(file, row_of(file, "measure_id", "eu_cvd_bev_china_noncooperating"), "manufacturer_id", "byd")
    p = only(data_copy, "manufacturer")
    assert where(p) == (
        TM,
        line_of(file, "measure_id", "eu_cvd_bev_china_noncooperating"),
        "manufacturer_id",
        "manufacturer",
    )
    assert p.value == "byd"


def test_two_overlapping_base_rates(data_copy: Path) -> None:
    added = append_copy(data_copy / TM, "measure_id", "eu_mfn_passenger_cars", measure_id="eu_mfn_copy")
    p = only(data_copy, "one base rate")
    assert where(p) == (TM, added, "stacking", "one base rate")
    assert p.value == "eu_mfn_copy" and "eu_mfn_passenger_cars" in p.message


# --- markets ---


def test_member_row_for_a_market_that_is_not_a_customs_union(data_copy: Path) -> None:
    set_cell(data_copy / "market_members.csv", 1, "market_id", "TUR")  # Türkiye is a country market
    p = only(data_copy, "customs union")
    assert where(p) == ("market_members.csv", 2, "market_id", "customs union")
    assert p.value == "TUR"


def test_customs_union_without_members(data_copy: Path) -> None:
    file = data_copy / "market_members.csv"
    write_rows(file, read_rows(file)[:1])  # header only
    p = only(data_copy, "customs union")
    assert where(p) == (
        "markets.csv",
        line_of(data_copy / "markets.csv", "market_id", "EUU"),
        "market_type",
        "customs union",
    )


def test_unknown_country_in_market_members(data_copy: Path) -> None:
    set_cell(data_copy / "market_members.csv", 1, "country_code", "XYZ")
    p = only(data_copy, "unknown country")
    assert where(p) == ("market_members.csv", 2, "country_code", "unknown country")
    assert p.value == "XYZ"


# --- evidence ---


def test_observed_claim_with_an_announcement_status(data_copy: Path) -> None:
    file = data_copy / "production.csv"
    assert (cell(file, 1, "production_status"), cell(file, 1, "evidence")) == ("announced", "announced")
    set_cell(file, 1, "evidence", "observed")
    p = only(data_copy, "evidence")
    assert where(p) == ("production.csv", 2, "evidence", "evidence")


def test_observation_plant_in_another_country(data_copy: Path) -> None:
    file = data_copy / "observations.csv"
    assert (cell(file, 1, "plant_id"), cell(file, 1, "origin_country_code")) == ("renault_korea_busan", "KOR")
    set_cell(file, 1, "origin_country_code", "CHN")
    p = only(data_copy, "origin")
    assert where(p) == ("observations.csv", 2, "origin_country_code", "origin")
    assert p.value == "CHN"


# --- cases ---


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("plant_id", "geely_luqiao"),  # a plant in China
        ("comparator_plant_id", "volvo_ghent"),  # a comparator outside China (Belgium)
        ("comparator_basis", ""),  # a comparator without its basis
        ("china_link_id", "volvo_cars"),  # a China link that is Swedish
    ],
)
def test_case_rules(data_copy: Path, column: str, value: str) -> None:
    file = data_copy / "cases.csv"
    row = row_of(file, "case_id", "busan_polestar_4")
    set_cell(file, row, column, value)
    p = only(data_copy, "case")
    assert where(p) == ("cases.csv", row + 1, column, "case")


def test_case_basis_without_comparator(data_copy: Path) -> None:
    file = data_copy / "cases.csv"
    row = row_of(file, "case_id", "ayrton_senna_geely")  # no comparator plant in the data
    assert cell(file, row, "comparator_plant_id") == ""
    set_cell(file, row, "comparator_basis", "same_model")
    assert where(only(data_copy, "case")) == ("cases.csv", row + 1, "comparator_basis", "case")


def test_case_missing_basis_value_is_empty(data_copy: Path) -> None:
    file = data_copy / "cases.csv"
    set_cell(file, row_of(file, "case_id", "busan_polestar_4"), "comparator_basis", "")
    assert only(data_copy, "case").value == ""


# --- checked dates ---


def test_checked_on_after_today(data_copy: Path) -> None:
    later = TODAY + dt.timedelta(days=1)
    set_cell(data_copy / "production.csv", 1, "checked_on", later.isoformat())
    p = only(data_copy, "checked date")
    assert where(p) == ("production.csv", 2, "checked_on", "checked date")
    assert p.value == later.isoformat()


def test_checked_on_before_the_claim(data_copy: Path) -> None:
    file = data_copy / "production.csv"
    claimed = dt.date.fromisoformat(cell(file, 1, "as_of_date"))
    set_cell(file, 1, "checked_on", (claimed - dt.timedelta(days=1)).isoformat())
    p = only(data_copy, "checked date")
    assert where(p) == ("production.csv", 2, "checked_on", "checked date")
    assert "as_of_date" in p.message


# --- url pattern ---


@pytest.mark.parametrize(
    "url", ['https://example.org/a"b', "https://example.org/a b", "javascript:alert(1)", "https://example.org/<script>"]
)
def test_url_pattern(data_copy: Path, url: str) -> None:
    set_cell(data_copy / "sources.csv", 1, "url", url)
    p = only(data_copy, "constraint")
    assert where(p) == ("sources.csv", 2, "url", "constraint")
    assert p.value == url


def test_url_with_a_trailing_newline(data_copy: Path) -> None:
    # The schema's pattern cannot see a trailing line break (a regex's $ matches before it): a domain rule does.
    set_cell(data_copy / "sources.csv", 1, "url", "https://example.org/a\n")
    assert where(only(data_copy, "url")) == ("sources.csv", 2, "url", "url")


# --- files ---


def test_stray_csv_folder_is_a_warning(data_copy: Path) -> None:
    (data_copy / "old.csv").mkdir()
    problems = validate(data_copy, today=TODAY)
    assert [(Path(p.file).name, p.rule, p.level) for p in problems] == [("old.csv", "not a table", "warning")]
    assert len(evsupply.load(data_copy)["plants"]) > 0  # the data is still usable


def test_dangling_symlink_is_a_missing_file(data_copy: Path) -> None:
    (data_copy / "models.csv").unlink()
    (data_copy / "models.csv").symlink_to(data_copy / "nowhere.csv")
    p = only(data_copy, "missing file")
    assert Path(p.file).name == "models.csv" and "nowhere.csv" in p.message


def test_table_file_that_is_a_folder(data_copy: Path) -> None:
    (data_copy / "models.csv").unlink()
    (data_copy / "models.csv").mkdir()
    assert Path(only(data_copy, "not a file").file).name == "models.csv"


def test_unreadable_table_file(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = data_copy / "models.csv"
    real_open = os.open

    def refuse(path, flags, *args, **kwargs):
        if Path(path) == file:  # as a file with mode 000 does for anyone but root
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    problem = only(data_copy, "unreadable file")
    assert Path(problem.file).name == "models.csv"
    assert "Permission denied" in problem.message


# --- stakes ---


def test_stakes_of_200_owners_over_100_percent(data_copy: Path) -> None:
    companies = read_rows(data_copy / "companies.csv")
    header = companies[0]
    template = dict(zip(header, companies[1], strict=True)) | {
        "entity_type": "company",
        "country_code": "SWE",
        "description": "",
        "note": "",
    }
    ids = [f"test_owner_{i:03d}" for i in range(1, 201)]
    new = [template | {"company_id": c, "company_name": c} for c in [*ids, "test_target"]]
    write_rows(data_copy / "companies.csv", [*companies, *([r[h] for h in header] for r in new)])
    stakes = read_rows(data_copy / "shareholders.csv")
    sh_header = stakes[0]
    base = dict(zip(sh_header, stakes[1], strict=True)) | {
        "owned_id": "test_target",
        "interest_type": "shareholding",
        "stake_pct": "0.6",
        "valid_to": "",
        "is_preferred": "true",
        "basis": "reported",
        "method": "",
        "checked_on": TODAY.isoformat(),
        "note": "",
    }
    start = dt.date(2020, 1, 1)
    rows = [
        base | {"owner_id": c, "valid_from": (start + dt.timedelta(days=i)).isoformat()}
        for i, c in enumerate(ids, start=1)
    ]
    write_rows(data_copy / "shareholders.csv", [*stakes, *([r[h] for h in sh_header] for r in rows)])
    p = only(data_copy, "stakes over 100%")
    # Owner i starts on day i. 166 x 0.6 = 99.6 <= 100; 167 x 0.6 = 100.2 > 100: the sum first exceeds 100% when
    # owner 167 comes in, on 2020-01-01 + 167 days = 2020-06-16 (2020 is a leap year: 31+29+31+30+31 = 152 days
    # to 2020-06-01, + 15). It is located on owner 167's row, the 167th appended line.
    assert where(p) == ("shareholders.csv", len(stakes) + 167, "stake_pct", "stakes over 100%")
    assert p.value == "100.20"
    assert "test_target" in p.message and "2020-06-16" in p.message


# --- freshness ---

LATER = TODAY + dt.timedelta(days=200)


def test_rows_not_checked_for_200_days_are_stale_warnings(data_copy: Path) -> None:
    # Open questions' look-again dates have passed by then too: those warnings are tested in test_open_questions.py.
    problems = [p for p in validate(data_copy, today=LATER) if p.rule != "look again"]
    assert problems and all(p.level == "warning" and p.rule == "stale" for p in problems), {
        (p.rule, p.level) for p in problems
    }
    located = {(Path(p.file).name, p.line, p.column) for p in problems}
    shareholders = read_rows(data_copy / "shareholders.csv")
    h = shareholders[0]

    def stake_line(owner: str, owned: str, pct: str) -> int:
        return next(
            i + 1
            for i, r in enumerate(shareholders[1:], start=1)
            if (r[h.index("owner_id")], r[h.index("owned_id")], r[h.index("stake_pct")]) == (owner, owned, pct)
        )

    # An open stake describes the present: stale. A closed one (Renault's 80.04% until 2022-05-09) does not.
    assert ("shareholders.csv", stake_line("zhejiang_geely_holding", "volvo_cars", "78.7"), "checked_on") in located
    assert ("shareholders.csv", stake_line("renault_group", "renault_korea", "80.04"), "checked_on") not in located
    # An ended production claim (Leapmotor T03 at Tychy, ended 2025-03-29) is not a current fact either.
    ended = line_of(data_copy / "production.csv", "production_status", "ended")
    assert ("production.csv", ended, "checked_on") not in located


def test_no_stale_warning_within_the_threshold(data_copy: Path) -> None:
    assert [p for p in validate(data_copy, today=LATER, stale_days=300) if p.rule != "look again"] == []


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evsupply.cli", *args], capture_output=True, text=True, check=False)


def test_cli_strict_turns_stale_warnings_into_a_failure(data_copy: Path) -> None:
    args = ("validate", "--data-dir", str(data_copy), "--today", LATER.isoformat())
    relaxed = run_cli(*args)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "stale" in relaxed.stderr and "warnings" in relaxed.stdout
    strict = run_cli(*args, "--strict")
    assert strict.returncode == 1
    assert "--strict" in strict.stderr and "Traceback" not in strict.stderr
