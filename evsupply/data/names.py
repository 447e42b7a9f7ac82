"""Names by id, derived from the schema: an id column's foreign key says which table holds its name.

`plant_id`, `comparator_plant_id` and `export_port_id` name rows of `plants`, `plants` and `ports` because the schema's
foreign keys say so; the name is that table's `<stem>_name` column (`plant_name` beside `plant_id`). An id that the
table does not hold is an error that names the table and the id, never a raw id shown to a reader.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pandas as pd

from evsupply.core.paths import data_dir
from evsupply.core.tables import is_missing
from evsupply.data.metadata import RESOURCES
from evsupply.errors import DataError, Problem

MISSING_NAME = "–"  # what a missing id reads as (a lane without a port, a count without a plant)
# Id columns of the analyses' frames that are no table's column: the id column of the schema they hold.
ANALYSIS_ID_COLUMNS = {"export_port_id": "port_id", "import_port_id": "port_id", "controller_id": "company_id"}


@cache
def name_sources() -> dict[str, tuple[str, str, str]]:
    """Every id column of the schema that leads to a name: column -> (table, its key, its name column)."""
    named: dict[str, tuple[str, str, str]] = {}
    for res in RESOURCES:
        if len(res.primary_key) == 1 and res.primary_key[0].endswith("_id"):
            key = res.primary_key[0]
            name = key.removesuffix("_id") + "_name"
            if name in res.fields:
                named[key] = (res.name, key, name)
    by_table = {table: (table, key, name) for table, key, name in named.values()}
    out = dict(named)
    for res in RESOURCES:
        for column, table, ref in res.foreign_keys:
            target = by_table.get(table or res.name)
            if target is not None and target[1] == ref:
                out.setdefault(column, target)
    return out


def id_columns() -> set[str]:
    """Every column name, of the tables or of the analyses' frames, whose values are ids with names."""
    return set(name_sources()) | set(ANALYSIS_ID_COLUMNS)


def name_source(column: str) -> tuple[str, str, str]:
    """(table, key, name column) of an id column (`owner_id` -> companies, company_id, company_name)."""
    try:
        return name_sources()[ANALYSIS_ID_COLUMNS.get(column, column)]
    except KeyError:
        raise KeyError(f"{column!r} is not an id column with names; id columns: {', '.join(name_sources())}") from None


def names_by_id(tables: Any, column: str) -> pd.Series:
    """The names of an id column's rows, indexed by id (e.g. plant names by plant_id), for `.map` and lookups."""
    table, key, name = name_source(column)
    return tables[table].set_index(key)[name]


def name_of(tables: Any, column: str, value: Any) -> str:
    """The name of one id (`name_of(tables, "plant_id", "renault_korea_busan")`); '–' for a missing id; an id the
    table does not hold raises DataError naming the table and the id."""
    if is_missing(value):
        return MISSING_NAME
    found = names_by_id(tables, column)
    if value not in found.index:
        table, key, _ = name_source(column)
        raise DataError(
            [
                Problem(
                    f"{table}.csv", "known id", f"no row of {table} has {key} {value!r}", column=key, value=str(value)
                )
            ]
        )
    return str(found[value])


def names_of(tables: Any, column: str, values: pd.Series) -> pd.Series:
    """The names of a column of ids, on its index; missing ids read '–'; an unknown id raises DataError."""
    found = names_by_id(tables, column)
    unknown = sorted({str(v) for v in values if not is_missing(v) and v not in found.index})
    if unknown:
        table, key, _ = name_source(column)
        raise DataError(
            [
                Problem(f"{table}.csv", "known id", f"no row of {table} has {key} {v!r}", column=key, value=v)
                for v in unknown
            ]
        )
    return values.map(found).astype(object).where(values.notna(), MISSING_NAME)


@cache
def _source_rows() -> dict[str, tuple[str, str, str]]:
    """source_id -> (publisher, title, published date) of the package's data/sources.csv (read once, offline)."""
    path = data_dir() / "sources.csv"
    if not path.exists():
        return {}
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return {r.source_id: (r.publisher, r.title, r.published_date) for r in frame.itertuples()}


def source_label(source_id: str) -> str:
    """A source as a reader sees it in a citation: its publisher's short name and year ('Dong-A Ilbo, 2025'), from
    data/sources.csv; an id it does not hold reads as the id."""
    row = _source_rows().get(str(source_id))
    if row is None:
        return str(source_id)
    publisher, _, published = row
    short = re.split(r" \(|; |, ", publisher, maxsplit=1)[0].strip() or str(source_id)
    if len(short) > 40:
        short = short[:39].rstrip() + "…"
    return f"{short}, {published[:4]}" if published[:4].isdigit() else short
