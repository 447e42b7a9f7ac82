"""Check the tables against the schema and the domain rules; collect every problem."""

from __future__ import annotations

import copy
import csv
import io
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from evsupply import schema
from evsupply.errors import DataError, Problem
from evsupply.paths import data_dir

# Frictionless error types and the rule name we report for each.
_RULES = {
    "type-error": "type",
    "constraint-error": "constraint",
    "primary-key": "unique key",
    "unique-error": "unique",
    "foreign-key": "foreign key",
    "missing-label": "missing column",
    "extra-label": "unexpected column",
    "incorrect-label": "column name",
    "blank-label": "column name",
    "duplicate-label": "column name",
    "extra-cell": "extra cell",
    "missing-cell": "missing cell",
    "blank-row": "blank row",
    "encoding-error": "encoding",
    "source-error": "unreadable file",
    "format-error": "format",
}


def check_schema(path: str | Path | None = None) -> dict[str, list[Problem]]:
    """Problems against the Table Schema (file, encoding, columns, types, constraints, keys), by table."""
    import frictionless  # imported here: it is slow to import and only needed to validate

    folder = data_dir(path)
    descriptor = schema.read_descriptor(folder)
    found = {res["name"]: _check_structure(folder / res["path"], res) for res in descriptor["resources"]}
    broken = {name for name, problems in found.items() if problems}
    # Frictionless reads only the structurally sound tables; keys into a broken table cannot be checked.
    sound = copy.deepcopy(descriptor)
    sound["resources"] = [r for r in sound["resources"] if r["name"] not in broken]
    for res in sound["resources"]:
        keys = res.get("schema", {}).get("foreignKeys", [])
        res["schema"]["foreignKeys"] = [fk for fk in keys if fk["reference"]["resource"] not in broken]
    if not sound["resources"]:
        return found
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            report = frictionless.Package(sound, basepath=str(folder)).validate(limit_errors=10_000)
        except frictionless.FrictionlessException as exc:  # the descriptor itself is not a valid data package
            found["datapackage"] = [Problem(str(schema.descriptor_path(folder)), "descriptor", str(exc))]
            return found
    for task in report.tasks:
        located = [_problem(str(folder / Path(task.place).name), err, task.name, descriptor) for err in task.errors]
        # Per line, a row-shape problem (extra or missing cell) first: it explains the others.
        found[task.name] += sorted(located, key=lambda p: (p.line or 0, p.rule not in {"extra cell", "missing cell"}))
    for err in report.errors:  # package-level errors (a broken descriptor)
        found.setdefault("datapackage", []).append(
            Problem(str(schema.descriptor_path(folder)), "descriptor", err.message)
        )
    return found


def _check_structure(file: Path, resource: dict[str, Any]) -> list[Problem]:
    """Problems that stop a table being read at all: missing, empty, not UTF-8, wrong header."""
    where = str(file)
    if not file.is_file():
        return [Problem(where, "missing file", "the table's file does not exist")]
    raw = file.read_bytes()
    if not raw.strip():
        return [
            Problem(
                where,
                "empty file",
                "the file is empty (expected a header row and data rows)",
                line=1,
                column="(header)",
            )
        ]
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = line[exc.start : exc.end]
            return [
                Problem(
                    where,
                    "encoding",
                    f"the file is not valid UTF-8 (byte {bad!r}); save it as UTF-8",
                    line=number,
                    column=_column_of_bad_byte(raw, line),
                    value=line.decode("utf-8", "replace"),
                )
            ]
    header = next(csv.reader(io.StringIO(raw.decode("utf-8").lstrip("\ufeff"))), [])
    expected = [f["name"] for f in resource.get("schema", {}).get("fields", [])]
    if header == expected:
        return []
    problems = [
        Problem(
            where,
            "missing column",
            f"the header lacks column '{name}' (expected: {', '.join(expected)})",
            line=1,
            column=name,
        )
        for name in expected
        if name not in header
    ]
    problems += [
        Problem(
            where,
            "unexpected column",
            f"column '{name}' is not in the schema (expected: {', '.join(expected)})",
            line=1,
            column=name,
            value=name,
        )
        for name in header
        if name not in expected
    ]
    if not problems:
        problems.append(
            Problem(
                where,
                "column order",
                f"columns are {', '.join(header)}; the schema expects {', '.join(expected)}",
                line=1,
                column=", ".join(header),
            )
        )
    return problems


def _column_of_bad_byte(raw: bytes, line: bytes) -> str | None:
    """Name of the column holding the first undecodable byte of `line`."""
    text = raw.decode("utf-8", "replace").splitlines()
    header = next(csv.reader(text[:1]), [])
    cells = next(csv.reader([line.decode("utf-8", "replace")]), [])
    index = next((i for i, cell in enumerate(cells) if "\ufffd" in cell), None)
    if index is None:
        return None
    return header[index] if index < len(header) else f"(extra cell {index + 1})"


def _problem(file: str, err: Any, table: str, descriptor: dict[str, Any]) -> Problem:
    """Translate one frictionless error into a located Problem."""
    kind = err.type
    line = getattr(err, "row_number", None)
    column = getattr(err, "field_name", None) or getattr(err, "label", None)
    value = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    if kind in {"primary-key", "foreign-key"}:
        res = next(r for r in descriptor["resources"] if r["name"] == table)
        cells = getattr(err, "cells", None) or []
        if kind == "primary-key":
            column = ", ".join(res["schema"]["primaryKey"])
            message = "duplicate primary key: the same key appears on an earlier row"
            names = [f["name"] for f in res["schema"]["fields"]]
            picked = [cells[names.index(k)] for k in res["schema"]["primaryKey"] if names.index(k) < len(cells)]
            value = ", ".join(map(str, picked)) if picked else None
        else:
            fields = getattr(err, "field_names", None) or []
            column = ", ".join(fields) if fields else note.split('"')[1] if '"' in note else None
            message = f"dangling reference: {note}" if note else "refers to a row that does not exist"
            value = ", ".join(str(c) for c in getattr(err, "field_cells", None) or []) or None
    elif kind == "constraint-error":
        message = f"breaks a constraint: {note}"
    elif kind == "type-error":
        message = f"not a valid value of its type ({note})" if note else "not a valid value of its type"
    elif kind in {"missing-label", "incorrect-label", "extra-label", "blank-label", "duplicate-label"}:
        expected = [f["name"] for r in descriptor["resources"] if r["name"] == table for f in r["schema"]["fields"]]
        message = f"{err.message}; the schema expects the columns {', '.join(expected)}"
        line = 1
    elif kind == "extra-cell":
        message = "the row has more cells than the header (a stray delimiter or an unquoted comma?)"
        column = column or f"(extra cell {getattr(err, 'field_number', '?')})"
    elif kind == "blank-row":
        message, column = "the row is blank", "(whole row)"
    elif kind == "missing-cell":
        message = "the row has fewer cells than the header"
    else:
        message = err.message
    return Problem(
        file, _RULES.get(kind, kind), message, line=line, column=column, value=None if value is None else str(value)
    )


def check_domain(frames: dict[str, pd.DataFrame], files: dict[str, str]) -> list[Problem]:
    """Problems against the rules a Table Schema cannot state (dates, methods, stakes, coordinates)."""
    from evsupply import geo  # geopandas is only needed here

    problems: list[Problem] = []
    for name, df in frames.items():
        problems += _check_method_given(df, files[name])
        problems += _check_period_order(df, files[name])
    if "shareholders" in frames:
        problems += _check_self_ownership(frames["shareholders"], files["shareholders"])
        problems += _check_stake_given(frames["shareholders"], files["shareholders"])
        problems += _check_stake_sums(frames["shareholders"], files["shareholders"])
    for name in ("plants", "ports"):
        if name in frames:
            problems += geo.check_points_in_country(frames[name], files[name])
    if "markets" in frames:
        problems += geo.check_country_codes(frames["markets"], "market_id", files["markets"])
    return problems


def line_of(index: int) -> int:
    """File line of a frame row (the header is line 1)."""
    return int(index) + 2


def _check_method_given(df: pd.DataFrame, file: str) -> list[Problem]:
    out = []
    for basis, method, plain in (("basis", "method", "reported"), ("location_basis", "location_method", "reported")):
        if basis in df and method in df:
            missing = df[(df[basis] != plain) & df[method].isna()]
            out += [
                Problem(
                    file,
                    "method required",
                    f"{basis} is '{row[basis]}', so {method} must say how the value was obtained",
                    line=line_of(i),
                    column=method,
                    value="",
                )
                for i, row in missing.iterrows()
            ]
    return out


def _check_period_order(df: pd.DataFrame, file: str) -> list[Problem]:
    out = []
    for start, end in (("valid_from", "valid_to"), ("start_date", "end_date")):
        if start in df and end in df:
            bad = df[df[start].notna() & df[end].notna() & (df[start] > df[end])]
            out += [
                Problem(
                    file,
                    "period order",
                    f"{end} ({row[end]:%Y-%m-%d}) is before {start} ({row[start]:%Y-%m-%d})",
                    line=line_of(i),
                    column=end,
                    value=f"{row[end]:%Y-%m-%d}",
                )
                for i, row in bad.iterrows()
            ]
    return out


def _check_self_ownership(df: pd.DataFrame, file: str) -> list[Problem]:
    """An ownership edge joins two different entities."""
    loops = df[df["owner_id"] == df["owned_id"]]
    return [
        Problem(
            file,
            "self ownership",
            "a company cannot hold a stake in itself (owner_id equals owned_id)",
            line=line_of(i),
            column="owner_id",
            value=str(row["owner_id"]),
        )
        for i, row in loops.iterrows()
    ]


def _check_stake_given(df: pd.DataFrame, file: str) -> list[Problem]:
    """A shareholding states its stake; a control interest has none to state."""
    out = []
    for i, row in df.iterrows():
        if row["interest_type"] == "shareholding" and pd.isna(row["stake_pct"]):
            out.append(
                Problem(
                    file,
                    "stake required",
                    "a shareholding needs its stake_pct (use interest_type 'control' when only control is reported)",
                    line=line_of(i),
                    column="stake_pct",
                    value="",
                )
            )
        elif row["interest_type"] == "control" and pd.notna(row["stake_pct"]):
            out.append(
                Problem(
                    file,
                    "stake with control",
                    "a control interest has no stake_pct; record a published stake as a shareholding",
                    line=line_of(i),
                    column="stake_pct",
                    value=f"{row['stake_pct']:g}",
                )
            )
    return out


def _check_stake_sums(df: pd.DataFrame, file: str) -> list[Problem]:
    """Preferred stakes in one company must not add up to more than 100% on any day."""
    out = []
    pref = df[df["is_preferred"].fillna(False).astype(bool)]
    for owned, rows in pref.groupby("owned_id"):
        # The total only changes on a start day or on the day after an end: check those days.
        days = set(rows["valid_from"]) | {d + pd.Timedelta(days=1) for d in rows["valid_to"].dropna()}
        for day in sorted(days):
            live = rows[(rows["valid_from"] <= day) & (rows["valid_to"].isna() | (rows["valid_to"] >= day))]
            total = float(live["stake_pct"].sum())
            if total > 100 + 1e-6:
                lines = ", ".join(str(line_of(i)) for i in live.index)
                out.append(
                    Problem(
                        file,
                        "stakes over 100%",
                        f"preferred stakes in '{owned}' add up to {total:.2f}% on {day:%Y-%m-%d} (lines {lines})",
                        line=line_of(live.index[-1]),
                        column="stake_pct",
                        value=f"{total:.2f}",
                    )
                )
                break  # one report per company is enough to locate it
    return out


def check(path: str | Path | None = None) -> tuple[list[Problem], dict[str, pd.DataFrame]]:
    """Every problem in the data folder, and the typed frames of the tables that passed the schema checks."""
    from evsupply.load import read_tables

    try:
        by_table = check_schema(path)
    except DataError as exc:
        return list(exc.problems), {}
    problems = [p for found in by_table.values() for p in found]
    clean = [name for name, found in by_table.items() if not found]
    frames, files = read_tables(path, only=clean)
    return problems + check_domain(frames, files), frames


def validate(path: str | Path | None = None) -> list[Problem]:
    """Every problem in the data folder (empty when the data is valid)."""
    return check(path)[0]


# (folder, content hash) pairs already found valid in this process: validity is a pure function of the files'
# content, so a folder whose hash is unchanged need not be checked again (a forked report kernel inherits this).
_VALID: set[tuple[str, str]] = set()


def checked_tables(path: str | Path | None = None) -> tuple[dict[str, pd.DataFrame], str]:
    """The typed tables of a valid data folder and its content hash; raise DataError listing every problem."""
    from evsupply.load import read_tables
    from evsupply.paths import data_version

    version = data_version(path)
    key = (str(data_dir(path)), version)
    if key in _VALID:
        return read_tables(path)[0], version
    problems, frames = check(path)
    if problems:
        raise DataError(problems)
    _VALID.add(key)
    return frames, version


def assert_valid(path: str | Path | None = None) -> None:
    """Raise DataError listing every problem, unless the data is valid."""
    checked_tables(path)
