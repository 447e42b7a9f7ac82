"""Check a data folder: its files, then the schema (Frictionless), then the domain rules; collect every problem.

A pure checker: it reads the folder and returns problems (errors, and warnings such as stale rows) with the typed
frames of the tables that passed the schema checks. It never caches and never raises on bad data; `evsupply.load`
decides what to do with the verdict. Every data rule of evsupply lives here.
"""

from __future__ import annotations

import codecs
import copy
import csv
import datetime as dt
import io
import json
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from evsupply.core.lazy import lazy_module
from evsupply.data import freshness, rules, schema, snapshot, vectorised, verdicts
from evsupply.errors import Problem

frictionless = lazy_module("frictionless")
# A free-text cell may be long (a quote, a note); the csv module's default limit (131,072 characters) is set here,
# not left to whichever library is imported first, so that a cached run and a fresh one agree (issue 26, F10).
csv.field_size_limit(2**31 - 1)  # slow to import; only needed when a folder is (re)validated

Frames = Mapping[str, pd.DataFrame]
Files = Mapping[str, str]

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


def check(
    path: str | Path | None = None,
    *,
    today: dt.date | None = None,
    stale_days: int = freshness.STALE_DAYS,
    snap: snapshot.Snapshot | None = None,
) -> tuple[list[Problem], dict[str, pd.DataFrame]]:
    """Every problem in the data folder (errors, then warnings) and the typed frames of the schema-valid tables.

    Everything is judged on one read of the folder (`snap`, taken here when not given): the bytes a caller hashed
    are the bytes checked and parsed.
    """
    snap = snap if snap is not None else snapshot.take(path)
    folder = snap.folder
    if not folder.is_dir():
        return [Problem(str(folder), "missing folder", "the data folder does not exist")], {}
    problems = check_descriptor(folder, snap.get(schema.DESCRIPTOR)) + check_stray_files(folder)
    by_table, texts = _check_schema(snap)
    problems += [p for found in by_table.values() for p in found]
    clean = [name for name, found in by_table.items() if not found]
    tables = schema.tables()
    frames = {
        name: vectorised.typed(texts.pop(name), tables[name])
        if name in texts
        else schema.parse_table(snap.get(tables[name].path).data or b"", tables[name])
        for name in clean
    }
    texts.clear()
    files = {name: str(folder / tables[name].path) for name in clean}
    problems += check_domain(frames, files, today=today, stale_days=stale_days)
    problems.sort(key=lambda p: p.level != "error")
    return problems, frames


def validate(path: str | Path | None = None, **options: Any) -> list[Problem]:
    """Every problem in the data folder, errors first (empty when the data is valid and fresh)."""
    return check(path, **options)[0]


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that make the data unusable (not the warnings)."""
    return [p for p in problems if p.level == "error"]


# --- files -----------------------------------------------------------------------------------------------------


def check_descriptor(folder: Path, entry: snapshot.Entry | None = None) -> list[Problem]:
    """The folder's datapackage.json is a regular file of sane size, is JSON, and declares evsupply's tables."""
    file = folder / schema.DESCRIPTOR
    where = str(file)
    entry = entry if entry is not None else snapshot.read_bytes(file, snapshot.MAX_DESCRIPTOR_BYTES)
    if entry.problem == "missing":
        return [Problem(where, "descriptor", "the data package descriptor is missing (run `make schema`)")]
    if entry.data is None:
        return [Problem(where, "descriptor", f"cannot read it: {entry.problem} (expected a regular JSON file)")]
    try:
        published = json.loads(entry.data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        return [Problem(where, "descriptor", f"cannot read it as UTF-8 JSON: {exc}", line=line)]
    except RecursionError:
        return [Problem(where, "descriptor", "cannot read it as JSON: nested too deeply")]
    if not isinstance(published, dict) or not isinstance(published.get("resources"), list):
        return [Problem(where, "descriptor", "expected an object with a 'resources' list")]
    expected = {r["name"]: r["schema"] for r in schema.descriptor()["resources"]}
    found = {r.get("name"): r.get("schema") for r in published["resources"] if isinstance(r, dict)}
    differs = sorted(n for n in expected.keys() | found.keys() if expected.get(n) != found.get(n))
    if differs:
        return [
            Problem(
                where,
                "descriptor",
                "the published schema differs from evsupply's for table(s) "
                f"{', '.join(str(n) for n in differs)} (regenerate it with `make schema`)",
                column="resources",
                value=", ".join(str(n) for n in differs),
            )
        ]
    return []


def check_stray_files(folder: Path) -> list[Problem]:
    """CSV entries in the folder that are not tables of the schema: ignored, and reported as warnings."""
    if not folder.is_dir():
        return []
    declared = {t.path for t in schema.tables().values()}
    return [
        Problem(
            str(entry),
            "not a table",
            "this .csv entry is not a table of the schema and is ignored (remove it, "
            "or add the table to evsupply/metadata)",
            level="warning",
        )
        for entry in sorted(folder.glob("*.csv"))
        if entry.name not in declared
    ]


def check_schema(snap: snapshot.Snapshot) -> dict[str, list[Problem]]:
    """Problems against the Table Schema (file, encoding, columns, types, constraints, keys), by table."""
    return _check_schema(snap)[0]


def _check_schema(snap: snapshot.Snapshot) -> tuple[dict[str, list[Problem]], dict[str, pd.DataFrame]]:
    """`check_schema`'s problems, and the text frames of the tables that could be read as text."""
    tables = schema.tables()
    folder = snap.folder
    entries = {name: snap.get(table.path) for name, table in tables.items()}
    found = {name: check_file(folder / table.path, table, entries[name]) for name, table in tables.items()}
    broken = {name for name, problems in found.items() if problems}
    # Each structurally sound table is read once as text and judged over whole columns (`evsupply.data.vectorised`);
    # one it cannot pass, and that changed since it last passed (a signed verdict per table content,
    # `evsupply.data.verdicts`), goes to Frictionless, without its foreign keys (Frictionless would re-read every
    # referenced table once per key): `check_foreign_keys` checks every table's. Verdicts name the hash of the bytes
    # that were checked.
    sound = [name for name in tables if name not in broken]
    every = {name: entries[name].digest for name in sound}
    known = verdicts.tables_known_sound(every)
    texts: dict[str, pd.DataFrame] = {}
    for name in sound:
        data, table = entries[name].data or b"", tables[name]
        text = vectorised.text_frame(data, table)
        if text is not None:
            texts[name] = text
        if name in known:
            continue
        if text is None or not vectorised.sound(text, table):
            found[name] += check_table_schema(str(folder / table.path), data, table)
        if not found[name]:
            verdicts.remember_sound({name: every[name]})
        if text is not None and not found[name]:
            snap.release(table.path)  # parsed and sound: the text frame is all that is needed from here
            entries[name] = snap.get(table.path)
        del data
    raw = {n: entries[n].data or b"" for n in sound if n not in texts}
    for name, problems in check_foreign_keys(folder, raw, texts).items():
        found[name] = sorted([*found[name], *problems], key=lambda p: p.line or 0)
    return found, texts


def check_table_schema(where: str, data: bytes, table: schema.Table) -> list[Problem]:
    """Frictionless's problems with one table's bytes against its Table Schema (its foreign keys aside)."""
    descriptor = copy.deepcopy(table.resource()["schema"])
    descriptor["foreignKeys"] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        resource = frictionless.Resource(
            data,
            name=table.name,
            format="csv",
            encoding="utf-8",
            schema=frictionless.Schema.from_descriptor(descriptor),
        )
        report = resource.validate(limit_errors=100_000)
    located = [_problem(where, err, table) for task in report.tasks for err in task.errors]
    located += [Problem(where, "unreadable file", err.message) for err in report.errors]
    if not located:  # Python's int() and Decimal() accept what pandas cannot read: `300_000`, `２５００００`, `1e400`
        located = check_number_text(where, data, table)
    # Per line, a row-shape problem (extra or missing cell) first: it explains the others.
    return sorted(located, key=lambda p: (p.line or 0, p.rule not in {"extra cell", "missing cell"}))


# Numbers as a spreadsheet or pandas reads them: ASCII digits, an optional sign, decimal point and exponent.
_INTEGER_TEXT = r"-?[0-9]+"
_NUMBER_TEXT = r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"


def check_number_text(where: str, data: bytes, table: schema.Table) -> list[Problem]:
    """Every integer and number cell is written in ASCII digits (no `_`, no full-width or Arabic-Indic digits, no
    `Infinity`) and is finite: what Frictionless's Python casts accept but pandas, a spreadsheet or a sum cannot."""
    numeric = {f["name"]: f["type"] for f in table.fields if f["type"] in ("integer", "number")}
    if not numeric:
        return []
    text = pd.read_csv(io.BytesIO(data), dtype=str, usecols=list(numeric), keep_default_na=False, encoding="utf-8")
    out = []
    for column, kind in numeric.items():
        cells = text[column]
        cells = cells[cells != ""]
        shaped = cells.str.fullmatch(_INTEGER_TEXT if kind == "integer" else _NUMBER_TEXT)
        finite = pd.to_numeric(cells.where(shaped), errors="coerce").abs() < float("inf")
        for index in cells.index[~(shaped & finite)]:
            out.append(
                Problem(
                    where,
                    "number",
                    f"not a finite {kind} written in ASCII digits (e.g. {'300000' if kind == 'integer' else '35.08'})",
                    line=line_of(index),
                    column=column,
                    value=str(cells[index]),
                )
            )
    return sorted(out, key=lambda p: p.line or 0)


def check_foreign_keys(
    folder: Path, sound: Mapping[str, bytes], texts: Mapping[str, pd.DataFrame] | None = None
) -> dict[str, list[Problem]]:
    """Dangling references of the sound tables (readable, right header; given as text frames in `texts`, else as
    their bytes in `sound`) into sound tables, by table: a non-empty cell whose value is no key of the referenced
    table (keys into a broken table cannot be checked)."""
    tables = schema.tables()
    columns = {name: _text_columns(data) for name, data in sound.items()}
    columns.update({name: (frame.index + 2, frame) for name, frame in (texts or {}).items()})
    found: dict[str, list[Problem]] = {name: [] for name in columns}
    for name, (lines, cells) in columns.items():
        table = tables[name]
        for fk in table.foreign_keys:
            (field,), (target_field,) = fk["fields"], fk["reference"]["fields"]  # the schema has single-field keys
            target = fk["reference"]["resource"] or name
            if target not in columns or field not in cells or target_field not in columns[target][1]:
                continue
            keys = columns[target][1][target_field]
            values = cells[field].fillna("")
            dangling = (values != "") & ~values.isin(set(keys.dropna()))
            for line, value in zip(lines[dangling.to_numpy()], values[dangling], strict=True):
                found[name].append(
                    Problem(
                        str(folder / table.path),
                        _RULES["foreign-key"],
                        f"dangling reference: {field} {value!r} is no {target_field} of {target}.csv",
                        line=int(line),
                        column=field,
                        value=value,
                    )
                )
    return found


def _text_columns(data: bytes) -> tuple[pd.Index, pd.DataFrame]:
    """(file line of each data row, cells by column as text) of a table Frictionless must judge (a ragged one)."""
    rows = _raw_rows(data)
    lines = pd.Index([n for n, _ in rows])
    return lines, pd.DataFrame([cells for _, cells in rows], index=range(len(rows)), dtype=object)


def _raw_rows(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(row number, cells by column) of a CSV file's data rows, as text; the header is row 1, blank rows skipped."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = next(reader, [])
    return [(n, dict(zip(header, cells, strict=False))) for n, cells in enumerate(reader, start=2) if cells]


def check_file(file: Path, table: schema.Table, entry: snapshot.Entry | None = None) -> list[Problem]:
    """Problems that stop a table being read at all: missing, not a file, unreadable, empty, not UTF-8, bad header."""
    where = str(file)
    entry = entry if entry is not None else snapshot.read_bytes(file, snapshot.MAX_TABLE_BYTES)
    if entry.problem == "missing" or (entry.problem == "not a file" and file.is_symlink() and not file.exists()):
        if file.is_symlink() and not file.exists():
            return [Problem(where, "missing file", f"a symbolic link to {os.readlink(file)!r}, which does not exist")]
        return [Problem(where, "missing file", "the table's file does not exist")]
    if entry.problem == "not a file":
        return [Problem(where, "not a file", "expected a CSV file, found a folder or a special file")]
    if entry.data is None:
        return [Problem(where, "unreadable file", f"cannot read the file: {entry.problem}")]
    raw = entry.data
    if not raw or raw.isspace():
        return [
            Problem(
                where,
                "empty file",
                "the file is empty (expected a header row and data rows)",
                line=1,
                column="(header)",
            )
        ]
    if not _is_utf8(raw):
        return [_encoding_problem(where, raw)]
    if b"\r" in raw and b"\n" not in raw:
        return [
            Problem(
                where,
                "line endings",
                'the lines end with a carriage return only (Excel\'s "CSV (Macintosh)"); save it as "CSV UTF-8"',
                line=1,
                column="(whole file)",
            )
        ]
    end = raw.find(b"\n")
    first = (raw if end < 0 else raw[: end + 1]).decode("utf-8")  # the header row (a table's is one line)
    header = next(csv.reader(io.StringIO(first.lstrip("\ufeff"), newline="")), [])
    return _header_problems(where, header, table.field_names)


def _is_utf8(raw: bytes, chunk: int = 1 << 22) -> bool:
    """True if `raw` is valid UTF-8, decoded a few MB at a time (a whole large table decoded at once would hold up to
    four times its size: Korean or Chinese text makes every character four bytes wide)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(raw), chunk):
            decoder.decode(raw[start : start + chunk])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _encoding_problem(where: str, raw: bytes) -> Problem:
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            bad = line[exc.start : exc.end]
            return Problem(
                where,
                "encoding",
                f"the file is not valid UTF-8 (byte {bad!r}); save it as UTF-8",
                line=number,
                column=_column_of_bad_byte(raw, line),
                value=line.decode("utf-8", "replace"),
            )
    return Problem(where, "encoding", "the file is not valid UTF-8; save it as UTF-8")


def _header_problems(where: str, header: list[str], expected: list[str]) -> list[Problem]:
    if header == expected:
        return []
    listed = ", ".join(expected)
    problems = [
        Problem(where, "missing column", f"the header lacks column '{name}' (expected: {listed})", line=1, column=name)
        for name in expected
        if name not in header
    ]
    problems += [
        Problem(
            where,
            "unexpected column",
            f"column '{name}' is not in the schema (expected: {listed})",
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
                f"columns are {', '.join(header)}; the schema expects {listed}",
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


def _problem(file: str, err: Any, table: schema.Table) -> Problem:
    """Translate one frictionless error into a located Problem."""
    kind = err.type
    line = getattr(err, "row_number", None)
    column = getattr(err, "field_name", None) or getattr(err, "label", None)
    value = getattr(err, "cell", None)
    note = getattr(err, "note", "") or ""
    if kind == "primary-key":
        column = ", ".join(table.primary_key)
        message = "duplicate primary key: the same key appears on an earlier row"
        cells = getattr(err, "cells", None) or []
        names = table.field_names
        picked = [cells[names.index(k)] for k in table.primary_key if names.index(k) < len(cells)]
        value = ", ".join(map(str, picked)) if picked else None
    elif kind == "foreign-key":
        fields = getattr(err, "field_names", None) or []
        column = ", ".join(fields) if fields else note.split('"')[1] if '"' in note else None
        message = f"dangling reference: {note}" if note else "refers to a row that does not exist"
        value = ", ".join(str(c) for c in getattr(err, "field_cells", None) or []) or None
    elif kind == "constraint-error":
        message = f"breaks a constraint: {note}"
    elif kind == "type-error":
        message = f"not a valid value of its type ({note})" if note else "not a valid value of its type"
    elif kind in {"missing-label", "incorrect-label", "extra-label", "blank-label", "duplicate-label"}:
        message = f"{err.message}; the schema expects the columns {', '.join(table.field_names)}"
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


# --- domain rules (evsupply.data.rules: one registry, today-dependent rules included) ----------------------------

line_of = rules.line_of
DOMAIN_RULES = rules.RULES


def check_domain(
    frames: Frames, files: Files, today: dt.date | None = None, stale_days: int = freshness.STALE_DAYS
) -> list[Problem]:
    """Problems against the rules a Table Schema cannot state (errors and warnings); each rule skips tables that
    failed the schema."""
    return rules.check_rules(rules.Context(frames, files, today or dt.date.today(), stale_days))
