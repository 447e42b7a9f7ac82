"""Shared fixtures: a private copy of data/ that a test may break."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from evsupply.paths import data_dir

# Notebooks under tests/fixtures are inputs of the render tests, not notebooks for nbval to check.
collect_ignore = ["fixtures"]


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A fresh copy of the repository's data/ folder."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def read_rows(file: Path) -> list[list[str]]:
    """The CSV rows of a file, header first."""
    with file.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(file: Path, rows: list[list[str]]) -> None:
    """Write rows back as CSV."""
    with file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def set_cell(file: Path, row: int, column: str, value: str) -> None:
    """Set one cell (row 1 = the first data row) of a CSV file."""
    rows = read_rows(file)
    rows[row][rows[0].index(column)] = value
    write_rows(file, rows)


def cell(file: Path, row: int, column: str) -> str:
    """Read one cell (row 1 = the first data row) of a CSV file."""
    rows = read_rows(file)
    return rows[row][rows[0].index(column)]
