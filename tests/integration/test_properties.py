"""Property-based: any random corruption of a valid table gives a located DataError, never another exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kit import read_rows, write_rows

import evsupply
from evsupply.core.paths import data_dir
from evsupply.data.schema import tables as schema_tables
from evsupply.errors import DataError

TABLES = sorted(schema_tables())
NASTY = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "-1",
            "1e309",
            "NaN",
            "101",
            "2025-13-45",
            "true",
            "null",
            ",",
            '"',
            "\n",
            "\ufeff",
            "x" * 500,
            "KRPUS",
            "renault_korea",
            "9999-12-31",
        ]
    ),
    st.integers(-(10**12), 10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)


@st.composite
def corruption(draw: st.DrawFn) -> tuple[str, str, int, int, str]:
    """A table, an operation and its target."""
    table = draw(st.sampled_from(TABLES))
    op = draw(st.sampled_from(["cell", "cell", "cell", "drop_column", "dup_row", "truncate_row", "raw_bytes"]))
    return table, op, draw(st.integers(0, 10_000)), draw(st.integers(0, 10_000)), draw(NASTY)


def apply(folder: Path, table: str, op: str, i: int, j: int, value: str) -> None:
    file = folder / f"{table}.csv"
    rows = read_rows(file)
    r = 1 + i % max(len(rows) - 1, 1)
    c = j % len(rows[0])
    if op == "cell" and len(rows) > 1:
        rows[r][c] = value
    elif op == "drop_column":
        rows = [row[:c] + row[c + 1 :] for row in rows]
    elif op == "dup_row" and len(rows) > 1:
        rows.append(list(rows[r]))
    elif op == "truncate_row" and len(rows) > 1:
        rows[r] = rows[r][:c]
    elif op == "raw_bytes":
        data = file.read_bytes()
        k = i % max(len(data), 1)
        file.write_bytes(data[:k] + bytes([0x80 + j % 0x40]) + value.encode("utf-8", "replace") + data[k:])
        return
    write_rows(file, rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruption())
def test_corruption_is_located_or_harmless(case: tuple[str, str, int, int, str]) -> None:
    table, op, i, j, value = case
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        shutil.copytree(data_dir(), folder)
        apply(folder, table, op, i, j, value)
        try:
            tables = evsupply.load(folder)
        except DataError as exc:
            assert exc.problems
            for p in exc.problems:
                assert (Path(p.file).parent == folder and Path(p.file).exists()) or p.rule == "missing file"
                assert p.line is not None and p.line >= 1, str(p)
                assert p.column is not None, str(p)
        else:
            assert set(tables) == set(TABLES)  # a harmless edit (e.g. a note) still loads every table
