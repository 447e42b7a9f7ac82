"""The Table Schema checked over whole columns: a fast first judge of a table's bytes, Frictionless the second.

Frictionless checks a table row by row (a 1,000,000-row table took 104 s). Here the same descriptor (the one
schema, `evsupply.data.schema`) is applied to columns at once: the row shape, then each field's type and
constraints, then the primary key. This judge is strict: it passes a table only when each check certainly holds
(a cell Frictionless might read, such as `+5` or `2020-12-1`, counts as doubtful), and a table it does not pass is
handed to Frictionless, whose located problems are the ones reported. So the problems found are Frictionless's, and
a clean table is read once, as text, then typed column by column (`typed`) without a second parse.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pandas as pd

from evsupply.data import schema

# What each type's cells must look like to pass here (stricter than, or as strict as, Frictionless's casts).
INTEGER_TEXT = r"-?[0-9]+"
NUMBER_TEXT = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
DATE_TEXT = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TRUE, FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")


def text_frame(data: bytes, table: schema.Table) -> pd.DataFrame | None:
    """The table's cells as text (`""` for an empty cell), indexed by data row; None when a row has more or fewer
    cells than the header, or is blank (Frictionless locates those)."""
    # pandas fills a short row with empty cells and takes a row with one cell too many as an index: the shape is
    # checked on the bytes, as the delimiters outside quoted cells (every row has exactly one fewer than its cells)
    delimiters = data.count(b",") - sum(data.count(b",", m.start(), m.end()) for m in _QUOTED.finditer(data))
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            encoding="utf-8",  # the C parser reads the bytes itself (and drops a BOM); "utf-8-sig" decodes in Python
        )
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError):
        return None
    if list(frame.columns) != table.field_names or not isinstance(frame.index, pd.RangeIndex):
        return None
    if delimiters != (len(frame) + 1) * (len(table.field_names) - 1):
        return None
    return frame


_QUOTED = re.compile(rb'"[^"]*(?:""[^"]*)*"')  # a quoted cell ("" inside it is a quote)


def _column_sound(cells: pd.Series, field: dict[str, Any], required: bool) -> bool:
    """True if every cell of one column certainly passes the field's type and constraints."""
    constraints = field.get("constraints", {})
    empty = cells == ""
    if required and empty.any():
        return False
    present = cells[~empty]
    if present.empty:
        return True
    kind = field["type"]
    # Each column's distinct values once: ids, codes and dates repeat down a long table
    values = pd.Series(present.unique())
    if kind == "string":
        if "pattern" in constraints and not values.str.fullmatch(constraints["pattern"]).all():
            return False
        if "enum" in constraints and not values.isin(constraints["enum"]).all():
            return False
        lengths = values.str.len()
        if "minLength" in constraints and (lengths < constraints["minLength"]).any():
            return False
        return not ("maxLength" in constraints and (lengths > constraints["maxLength"]).any())
    if kind == "boolean":
        return bool(values.isin(TRUE + FALSE).all())
    if kind == "date":
        if not values.str.fullmatch(DATE_TEXT).all():
            return False
        return bool(pd.to_datetime(values, format="%Y-%m-%d", errors="coerce").notna().all())
    if kind in ("integer", "number"):
        if not values.str.fullmatch(INTEGER_TEXT if kind == "integer" else NUMBER_TEXT).all():
            return False
        numbers = pd.to_numeric(values, errors="coerce").astype(float)
        if numbers.isna().any() or (numbers.abs() == float("inf")).any():
            return False
        if "minimum" in constraints and (numbers < constraints["minimum"]).any():
            return False
        if "maximum" in constraints and (numbers > constraints["maximum"]).any():
            return False
        # an integer too long for float comparison near the bound: leave it to Frictionless
        return not (kind == "integer" and (values.str.lstrip("-").str.len() > 15).any())
    return False  # a type this judge does not know


def sound(text: pd.DataFrame, table: schema.Table) -> bool:
    """True if the table's text certainly passes its Table Schema (types, constraints, a unique primary key)."""
    required = {f["name"] for f in table.fields if f.get("constraints", {}).get("required")}
    for field in table.fields:
        if not _column_sound(text[field["name"]], field, field["name"] in required):
            return False
    key = list(table.primary_key)
    if key:
        if (text[key] == "").any(axis=None):
            return False
        if text.duplicated(subset=key).any():
            return False
    return True


def typed(text: pd.DataFrame, table: schema.Table) -> pd.DataFrame:
    """The typed frame (as `schema.parse_table` gives it) of a table's sound text, converting one column at a time
    so that no second copy of the whole table is held."""
    out = pd.DataFrame(index=text.index)
    for field in table.fields:
        name, kind = field["name"], field["type"]
        cells = text.pop(name)
        empty = cells == ""
        if kind == "string":
            column = cells.mask(empty).astype("string")
        elif kind == "integer":
            column = pd.to_numeric(cells.where(~empty), errors="raise").astype("Int64")
        elif kind == "number":
            column = pd.to_numeric(cells.where(~empty), errors="raise").astype("float64")
        elif kind == "boolean":
            column = cells.map({**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False), "": pd.NA}).astype(
                "boolean"
            )
            if schema.column_dtype(field) == "bool" and not column.isna().any():
                column = column.astype(bool)  # as schema.parse_table types it: the cache must not change a dtype
        elif kind == "date":
            column = pd.to_datetime(cells.where(~empty), format="%Y-%m-%d")
        else:
            raise ValueError(f"unknown type {kind!r} of {table.name}.{name}")
        out[name] = column
        del cells
    return out
