"""The column-wise schema judge (`evsupply.data.vectorised`) agrees with Frictionless on the bad-input corpus of
the validation tests and the 2026-12 reliability round: it passes a table only when Frictionless (with the ASCII
number check) finds nothing, and every table Frictionless faults it hands on. Cells that Frictionless reads but
the judge calls doubtful (`+5`, `2020-12-1`, `1.0e2` in an integer) are listed: they go to Frictionless, whose
verdict stands."""

from __future__ import annotations

import csv
import io

import pytest

from evsupply.core.paths import DATA_DIR
from evsupply.data import schema, vectorised
from evsupply.data.validate import check_number_text, check_table_schema

# (table, row, column, value): the mutations of tests/test_validate_rules.py, tests/test_hostile_text.py and the
# reliability round's data attacks that the schema stage decides.
CORPUS = [
    ("shareholders", 4, "valid_from", "2026-02-30"),
    ("shareholders", 1, "valid_from", "20201231"),
    ("shareholders", 1, "valid_from", "2020-12-31 "),
    ("shareholders", 1, "stake_pct", "100.0001"),
    ("shareholders", 1, "stake_pct", "NaN"),
    ("shareholders", 1, "stake_pct", "Infinity"),
    ("shareholders", 1, "stake_pct", "-1"),
    ("shareholders", 1, "is_preferred", "yes"),
    ("shareholders", 1, "interest_type", "sharehold"),
    ("shareholders", 1, "owner_id", "Renault_group"),
    ("shareholders", 1, "owner_id", "renault_group "),
    ("shareholders", 1, "owner_id", "../../x"),
    ("shareholders", 1, "owner_id", ""),
    ("model_prices", 1, "price_amount", "Infinity"),
    ("model_prices", 1, "price_amount", "1e400"),
    ("model_prices", 1, "price_amount", "49_900"),
    ("model_prices", 1, "price_amount", "NaN"),
    ("plants", 1, "latitude", "３５.０８３"),
    ("plants", 1, "latitude", "91"),
    ("plant_capacity", 1, "capacity_units_per_year", "２５００００"),
    ("plant_capacity", 1, "capacity_units_per_year", "300_000"),
    ("plant_capacity", 1, "capacity_units_per_year", "99999999999999999999"),
    ("plant_capacity", 1, "capacity_units_per_year", "300000.0"),
    ("plant_capacity", 1, "capacity_units_per_year", "abc"),
    ("observations", 1, "vehicles_count", "9223372036854775807"),
    ("companies", 1, "company_id", "Geely"),
    ("plants", 1, "plant_status", "dreaming"),
]
DOUBTFUL = [  # Frictionless reads these; the judge leaves them to it
    ("shareholders", 1, "valid_from", "2020-12-1"),
    ("plant_capacity", 1, "capacity_units_per_year", "+300000"),
    ("shareholders", 1, "is_preferred", "1"),  # true to both; the judge passes it
]


def _mutated(table: str, row: int, column: str, value: str) -> bytes:
    rows = list(csv.reader(io.StringIO((DATA_DIR / f"{table}.csv").read_text(encoding="utf-8"), newline="")))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _judges(table_name: str, data: bytes) -> tuple[bool, list]:
    table = schema.tables()[table_name]
    frictionless = check_table_schema(table_name, data, table) or check_number_text(table_name, data, table)
    text = vectorised.text_frame(data, table)
    return text is not None and vectorised.sound(text, table), frictionless


@pytest.mark.parametrize("name", list(schema.tables()))
def test_both_pass_every_real_table(name: str) -> None:
    data = (DATA_DIR / schema.tables()[name].path).read_bytes()
    assert _judges(name, data) == (True, [])


@pytest.mark.parametrize(("table", "row", "column", "value"), CORPUS)
def test_both_fault_the_bad_inputs(table: str, row: int, column: str, value: str) -> None:
    passed, found = _judges(table, _mutated(table, row, column, value))
    assert found, "Frictionless (with the ASCII number check) finds a problem"
    assert not passed, "the column-wise judge hands the table on"


def test_a_duplicated_key_and_a_ragged_row_are_handed_on() -> None:
    lines = (DATA_DIR / "shareholders.csv").read_bytes().splitlines(keepends=True)
    short = lines[1].rsplit(b",", 1)[0] + b"\n"  # the last cell (an optional note) left out
    extra = lines[2].rstrip(b"\n") + b",extra\n"
    for data in (
        b"".join([*lines, lines[1]]),  # a duplicated key
        b"".join([*lines, b"a,b\n"]),
        b"".join([lines[0], b"\n", *lines[1:]]),  # a blank line
        b"".join([lines[0], short, *lines[2:]]),  # a short row, all of whose missing cells are optional
        b"".join([*lines[:2], extra, *lines[3:]]),  # one cell too many, mid-table
        b"".join([lines[0], extra, *lines[1:]]),  # one cell too many on the first row (pandas would take an index)
    ):
        passed, found = _judges("shareholders", data)
        assert found and not passed


@pytest.mark.parametrize(("table", "row", "column", "value"), DOUBTFUL)
def test_the_judge_never_passes_what_frictionless_faults(table: str, row: int, column: str, value: str) -> None:
    passed, found = _judges(table, _mutated(table, row, column, value))
    assert not (passed and found)
