"""The data layer: the tables in `data/`, described, checked and loaded.

Takes the CSV files and `datapackage.json` of a data folder; gives the one schema (`metadata/`: every field once,
with its label and unit, and every table's keys; `schema` writes `datapackage.json` from it), located problems
(`validate`, its verdict cache `verdicts`), typed frames (`load`), country shapes (`geo`), the age of time-sensitive
rows (`freshness`), the rows changed between two commits (`changes`) and a dated release of it all in CSV, SQLite
and Parquet (`release`). Imports only `core`.
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.lazy import submodule


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
