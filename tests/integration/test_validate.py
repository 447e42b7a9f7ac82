"""Every validation rule has a fixture that breaks it; each problem is located (file, line, column)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from kit import cell, read_rows, set_cell, write_rows

import evsupply
from evsupply.data.validate import validate
from evsupply.errors import DataError, Problem


def only_problem(folder: Path, rule: str) -> Problem:
    """The problems found must all be of `rule`; return the first."""
    problems = validate(folder)
    assert problems, "the broken copy was accepted"
    assert {p.rule for p in problems} == {rule}, [str(p) for p in problems]
    return problems[0]


def test_repository_data_is_valid() -> None:
    assert validate() == []


def test_every_fact_row_names_a_dated_source_with_url() -> None:
    tables = evsupply.load()
    sources = tables.sources.set_index("source_id")
    assert sources["url"].str.match(r"https?://").all()
    assert sources["accessed_date"].notna().all()
    for name, df in tables.items():
        if name == "open_questions":  # no fact: its source_id, when given, is where the answer was looked for
            assert df["source_id"].dropna().isin(sources.index).all(), name
        elif name != "sources" and "source_id" in df:
            assert df["source_id"].isin(sources.index).all(), name
            assert df["source_quote"].str.len().ge(3).all(), name


def test_wrong_type_is_located(data_copy: Path) -> None:
    set_cell(data_copy / "plant_capacity.csv", 1, "capacity_units_per_year", "lots")
    p = only_problem(data_copy, "type")
    assert (Path(p.file).name, p.line, p.column, p.value) == (
        "plant_capacity.csv",
        2,
        "capacity_units_per_year",
        "lots",
    )


def test_out_of_range_is_located(data_copy: Path) -> None:
    set_cell(data_copy / "shareholders.csv", 2, "stake_pct", "140")
    problems = validate(data_copy)
    ranged = [p for p in problems if p.rule == "constraint"]
    assert [(Path(p.file).name, p.line, p.column) for p in ranged] == [("shareholders.csv", 3, "stake_pct")]


@pytest.mark.parametrize(("column", "value"), [("latitude", "91"), ("longitude", "-181")])
def test_coordinates_out_of_range(data_copy: Path, column: str, value: str) -> None:
    set_cell(data_copy / "ports.csv", 1, column, value)
    p = only_problem(data_copy, "constraint")
    assert (p.line, p.column, p.value) == (2, column, value)


def test_negative_capacity_rejected(data_copy: Path) -> None:
    set_cell(data_copy / "plant_capacity.csv", 1, "capacity_units_per_year", "-5")
    assert only_problem(data_copy, "constraint").column == "capacity_units_per_year"


def test_enum_rejected(data_copy: Path) -> None:
    set_cell(data_copy / "plants.csv", 1, "plant_status", "dreaming")
    p = only_problem(data_copy, "constraint")
    assert (p.column, p.value) == ("plant_status", "dreaming")


def test_required_field(data_copy: Path) -> None:
    set_cell(data_copy / "sources.csv", 1, "url", "")
    p = only_problem(data_copy, "constraint")
    assert (p.line, p.column) == (2, "url")


def test_duplicate_key_is_located(data_copy: Path) -> None:
    rows = read_rows(data_copy / "markets.csv")
    write_rows(data_copy / "markets.csv", [*rows, rows[1]])
    p = only_problem(data_copy, "unique key")
    assert (Path(p.file).name, p.line, p.column) == ("markets.csv", len(rows) + 1, "market_id")
    assert p.value == rows[1][0]


def test_dangling_reference_is_located(data_copy: Path) -> None:
    set_cell(data_copy / "production.csv", 1, "plant_id", "atlantis_plant")
    p = only_problem(data_copy, "foreign key")
    assert (Path(p.file).name, p.line, p.column) == ("production.csv", 2, "plant_id")
    assert "atlantis_plant" in p.message


def test_source_must_exist(data_copy: Path) -> None:
    set_cell(data_copy / "plants.csv", 1, "source_id", "no_such_source")
    p = only_problem(data_copy, "foreign key")
    assert (p.line, p.column) == (2, "source_id")


def test_stakes_over_100_percent(data_copy: Path) -> None:
    rows = read_rows(data_copy / "shareholders.csv")
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    owners = {r[header.index("owner_id")] for r in rows[1:] if r[header.index("owned_id")] == first["owned_id"]}
    outsider = next(
        r[0] for r in read_rows(data_copy / "companies.csv")[1:] if r[0] not in owners and r[0] != first["owned_id"]
    )
    extra = {**first, "owner_id": outsider, "stake_pct": "99", "valid_to": "", "is_preferred": "true"}
    write_rows(data_copy / "shareholders.csv", [*rows, [extra[h] for h in header]])
    p = only_problem(data_copy, "stakes over 100%")
    assert (Path(p.file).name, p.column) == ("shareholders.csv", "stake_pct")
    assert p.line is not None and first["owned_id"] in p.message


def test_alternative_claims_do_not_count_towards_100(data_copy: Path) -> None:
    rows = read_rows(data_copy / "shareholders.csv")
    header = rows[0]
    extra = dict(zip(header, rows[1], strict=True)) | {
        "stake_pct": "99",
        "is_preferred": "false",
        "source_id": cell(data_copy / "sources.csv", 1, "source_id"),
    }
    write_rows(data_copy / "shareholders.csv", [*rows, [extra[h] for h in header]])
    assert validate(data_copy) == []


def test_company_cannot_own_itself(data_copy: Path) -> None:
    owned = cell(data_copy / "shareholders.csv", 1, "owned_id")
    set_cell(data_copy / "shareholders.csv", 1, "owner_id", owned)
    p = only_problem(data_copy, "self ownership")
    assert (p.line, p.column, p.value) == (2, "owner_id", owned)


def test_coordinates_in_another_country(data_copy: Path) -> None:
    # Move the first plant to central Paris, keeping its declared country.
    country = cell(data_copy / "plants.csv", 1, "country_code")
    assert country != "FRA"
    set_cell(data_copy / "plants.csv", 1, "latitude", "48.8566")
    set_cell(data_copy / "plants.csv", 1, "longitude", "2.3522")
    p = only_problem(data_copy, "coordinates in country")
    assert (Path(p.file).name, p.line, p.column) == ("plants.csv", 2, "latitude, longitude")
    assert country in p.message


def test_unknown_country_code(data_copy: Path) -> None:
    set_cell(data_copy / "ports.csv", 1, "country_code", "XYZ")
    p = only_problem(data_copy, "unknown country")
    assert (p.line, p.column, p.value) == (2, "country_code", "XYZ")


def test_period_order(data_copy: Path) -> None:
    rows = read_rows(data_copy / "shareholders.csv")
    i = next(i for i, r in enumerate(rows[1:], start=1) if r[rows[0].index("valid_to")])
    set_cell(data_copy / "shareholders.csv", i, "valid_to", "1999-01-01")
    p = only_problem(data_copy, "period order")
    assert (p.line, p.column, p.value) == (i + 1, "valid_to", "1999-01-01")


def test_method_required_for_non_reported_values(data_copy: Path) -> None:
    rows = read_rows(data_copy / "plant_ports.csv")
    i = next(i for i, r in enumerate(rows[1:], start=1) if r[rows[0].index("basis")] != "reported")
    set_cell(data_copy / "plant_ports.csv", i, "method", "")
    p = only_problem(data_copy, "method required")
    assert (p.line, p.column) == (i + 1, "method")


def test_missing_column(data_copy: Path) -> None:
    rows = read_rows(data_copy / "ports.csv")
    k = rows[0].index("port_name")
    write_rows(data_copy / "ports.csv", [r[:k] + r[k + 1 :] for r in rows])
    p = only_problem(data_copy, "missing column")
    assert (Path(p.file).name, p.line, p.column) == ("ports.csv", 1, "port_name")


def test_unexpected_column(data_copy: Path) -> None:
    rows = read_rows(data_copy / "markets.csv")
    write_rows(data_copy / "markets.csv", [[*rows[0], "colour"], *([*r, "x"] for r in rows[1:])])
    p = only_problem(data_copy, "unexpected column")
    assert (p.line, p.column) == (1, "colour")


def test_empty_file(data_copy: Path) -> None:
    (data_copy / "ports.csv").write_bytes(b"")
    p = only_problem(data_copy, "empty file")
    assert (Path(p.file).name, p.line) == ("ports.csv", 1)


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "models.csv").unlink()
    assert Path(only_problem(data_copy, "missing file").file).name == "models.csv"


def test_non_utf8_file(data_copy: Path) -> None:
    file = data_copy / "markets.csv"
    rows = read_rows(file)
    text = file.read_text(encoding="utf-8")
    name = rows[1][rows[0].index("market_name")]
    file.write_bytes(text.replace(name, name + "\u00e9").encode("latin-1"))
    p = only_problem(data_copy, "encoding")
    assert (Path(p.file).name, p.line, p.column) == ("markets.csv", 2, "market_name")


def test_stray_delimiter(data_copy: Path) -> None:
    file = data_copy / "ports.csv"
    lines = file.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",", ",,", 1)
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = validate(data_copy)
    assert problems[0].rule == "extra cell"
    assert (Path(problems[0].file).name, problems[0].line) == ("ports.csv", 2)
    assert problems[0].column is not None


def test_every_problem_is_listed_not_only_the_first(data_copy: Path) -> None:
    set_cell(data_copy / "plants.csv", 1, "plant_status", "dreaming")
    set_cell(data_copy / "ports.csv", 1, "latitude", "north")
    (data_copy / "company_names.csv").write_bytes(b"")
    assert {p.rule for p in validate(data_copy)} == {"constraint", "type", "empty file"}


def test_load_raises_data_error_with_problems(data_copy: Path) -> None:
    set_cell(data_copy / "plants.csv", 1, "plant_status", "dreaming")
    with pytest.raises(DataError) as info:
        evsupply.load(data_copy)
    assert len(info.value.problems) == 1
    assert "plants.csv:2" in str(info.value) and "plant_status" in str(info.value)


def test_broken_descriptor_is_a_data_error(data_copy: Path) -> None:
    (data_copy / "datapackage.json").write_text("{not json", encoding="utf-8")
    problems = validate(data_copy)
    assert [p.rule for p in problems] == ["descriptor"]
    assert problems[0].file.endswith("datapackage.json") and problems[0].line == 1


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evsupply.cli", *args], capture_output=True, text=True, check=False)


def test_cli_validate_exit_codes(data_copy: Path) -> None:
    ok = run_cli("validate", "--data-dir", str(data_copy))
    assert ok.returncode == 0, ok.stderr
    set_cell(data_copy / "plants.csv", 1, "plant_status", "dreaming")
    (data_copy / "ports.csv").write_bytes(b"")
    bad = run_cli("validate", "--data-dir", str(data_copy))
    assert bad.returncode == 1
    assert "plants.csv:2: column 'plant_status'" in bad.stderr and "ports.csv:1" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_a_verdict_is_reused_only_for_unchanged_content(data_copy: Path) -> None:
    evsupply.load(data_copy)  # valid: remembered under this content hash
    set_cell(data_copy / "plants.csv", 1, "plant_status", "dreaming")
    with pytest.raises(DataError):  # changed content is checked again, not taken from the cache
        evsupply.load(data_copy)


def test_shareholding_needs_a_stake_and_control_has_none(data_copy: Path) -> None:
    rows = read_rows(data_copy / "shareholders.csv")
    header = rows[0]
    kind = header.index("interest_type")
    holding = next(i for i, r in enumerate(rows[1:], start=1) if r[kind] == "shareholding")
    controlling = next(i for i, r in enumerate(rows[1:], start=1) if r[kind] == "control")
    set_cell(data_copy / "shareholders.csv", holding, "stake_pct", "")
    set_cell(data_copy / "shareholders.csv", controlling, "stake_pct", "12")
    problems = validate(data_copy)
    assert {(p.rule, p.line, p.column) for p in problems} == {
        ("stake required", holding + 1, "stake_pct"),
        ("stake with control", controlling + 1, "stake_pct"),
    }


def test_dangling_reference_within_a_table_is_located(data_copy: Path) -> None:
    # trade_measures.replaces_measure_id refers to trade_measures.measure_id (a key into its own table)
    set_cell(data_copy / "trade_measures.csv", 3, "replaces_measure_id", "no_such_measure")
    p = only_problem(data_copy, "foreign key")
    assert (Path(p.file).name, p.line, p.column, p.value) == (
        "trade_measures.csv",
        4,
        "replaces_measure_id",
        "no_such_measure",
    )


def test_keys_into_a_broken_table_are_not_reported_as_dangling(data_copy: Path) -> None:
    rows = read_rows(data_copy / "markets.csv")
    write_rows(data_copy / "markets.csv", [[c for i, c in enumerate(r) if i != 1] for r in rows])  # drop a column
    problems = validate(data_copy)
    assert {(Path(p.file).name, p.rule) for p in problems} == {("markets.csv", "missing column")}
