"""Check a data folder: its files, then the schema (Frictionless), then the domain rules; collect every problem.

A pure checker: it reads the folder and returns problems (errors, and warnings such as stale rows) with the typed
frames of the tables that passed the schema checks. It never caches and never raises on bad data; `evsupply.load`
decides what to do with the verdict. Every data rule of evsupply lives here.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from evsupply.core.lazy import lazy_module
from evsupply.core.paths import data_dir
from evsupply.data import freshness, geo, schema, verdicts
from evsupply.data.metadata.fields import SCOPE_POWERTRAINS, VEHICLE_FORMS
from evsupply.errors import Problem

frictionless = lazy_module("frictionless")  # slow to import; only needed when a folder is (re)validated

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
    path: str | Path | None = None, *, today: dt.date | None = None, stale_days: int = freshness.STALE_DAYS
) -> tuple[list[Problem], dict[str, pd.DataFrame]]:
    """Every problem in the data folder (errors, then warnings) and the typed frames of the schema-valid tables."""
    folder = data_dir(path)
    problems = check_descriptor(folder) + check_stray_files(folder)
    if not folder.is_dir():
        return [Problem(str(folder), "missing folder", "the data folder does not exist")], {}
    by_table = check_schema(folder)
    problems += [p for found in by_table.values() for p in found]
    clean = [name for name, found in by_table.items() if not found]
    tables = schema.tables()
    frames = {name: schema.read_table(folder, tables[name]) for name in clean}
    files = {name: str(folder / tables[name].path) for name in clean}
    problems += check_domain(frames, files, today=today)
    problems += check_freshness(frames, files, today=today, stale_days=stale_days)
    problems.sort(key=lambda p: p.level != "error")
    return problems, frames


def validate(path: str | Path | None = None, **options: Any) -> list[Problem]:
    """Every problem in the data folder, errors first (empty when the data is valid and fresh)."""
    return check(path, **options)[0]


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that make the data unusable (not the warnings)."""
    return [p for p in problems if p.level == "error"]


# --- files -----------------------------------------------------------------------------------------------------


def check_descriptor(folder: Path) -> list[Problem]:
    """The folder's datapackage.json exists, is JSON, and declares the tables of evsupply's schema."""
    file = folder / schema.DESCRIPTOR
    where = str(file)
    try:
        published = json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [Problem(where, "descriptor", "the data package descriptor is missing (run `make schema`)")]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        return [Problem(where, "descriptor", f"cannot read it as UTF-8 JSON: {exc}", line=line)]
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


def check_schema(folder: Path) -> dict[str, list[Problem]]:
    """Problems against the Table Schema (file, encoding, columns, types, constraints, keys), by table."""
    tables = schema.tables()
    found = {name: check_file(folder / table.path, table) for name, table in tables.items()}
    broken = {name for name, problems in found.items() if problems}
    # Frictionless reads the structurally sound tables that changed since they last passed (a signed verdict per
    # table content, `evsupply.data.verdicts`), without their foreign keys: it would re-open every referenced table
    # once per key (most of its time); `check_foreign_keys` reads each table once, and checks every table.
    files = {name: folder / table.path for name, table in tables.items() if name not in broken}
    every = {name: verdicts.file_digest(file) for name, file in files.items()}  # each file hashed once
    known = verdicts.tables_known_sound(every)
    digests = {name: digest for name, digest in every.items() if name not in known}
    todo = copy.deepcopy(schema.descriptor())
    todo["resources"] = [r for r in todo["resources"] if r["name"] in digests]
    for res in todo["resources"]:
        res["schema"]["foreignKeys"] = []
    if todo["resources"]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = frictionless.Package(todo, basepath=str(folder)).validate(limit_errors=100_000)
        for task in report.tasks:
            located = [_problem(str(folder / Path(task.place).name), err, tables[task.name]) for err in task.errors]
            # Per line, a row-shape problem (extra or missing cell) first: it explains the others.
            found[task.name] += sorted(
                located, key=lambda p: (p.line or 0, p.rule not in {"extra cell", "missing cell"})
            )
        for err in report.errors:
            found.setdefault("datapackage", []).append(
                Problem(str(folder / schema.DESCRIPTOR), "descriptor", err.message)
            )
        if not report.errors:
            verdicts.remember_sound(files, digests, [name for name in digests if not found[name]])
    for name, problems in check_foreign_keys(folder, list(files)).items():
        found[name] = sorted([*found[name], *problems], key=lambda p: p.line or 0)
    return found


def check_foreign_keys(folder: Path, sound: list[str]) -> dict[str, list[Problem]]:
    """Dangling references of the `sound` tables (readable, right header) into sound tables, by table: a non-empty
    cell whose value is no key of the referenced table (keys into a broken table cannot be checked)."""
    tables = schema.tables()
    rows = {name: _raw_rows(folder / tables[name].path) for name in sound}
    found: dict[str, list[Problem]] = {name: [] for name in sound}
    for name in sound:
        table = tables[name]
        for fk in table.foreign_keys:
            (field,), (target_field,) = fk["fields"], fk["reference"]["fields"]  # the schema has single-field keys
            target = fk["reference"]["resource"] or name
            if target not in rows:
                continue
            keys = {row.get(target_field) for _, row in rows[target]}
            for line, row in rows[name]:
                value = row.get(field)
                if value and value not in keys:
                    found[name].append(
                        Problem(
                            str(folder / table.path),
                            _RULES["foreign-key"],
                            f"dangling reference: {field} {value!r} is no {target_field} of {target}.csv",
                            line=line,
                            column=field,
                            value=value,
                        )
                    )
    return found


def _raw_rows(file: Path) -> list[tuple[int, dict[str, str]]]:
    """(row number, cells by column) of a CSV file's data rows, as text; the header is row 1, blank rows skipped."""
    with file.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        return [(n, dict(zip(header, cells, strict=False))) for n, cells in enumerate(reader, start=2) if cells]


def check_file(file: Path, table: schema.Table) -> list[Problem]:
    """Problems that stop a table being read at all: missing, not a file, unreadable, empty, not UTF-8, bad header."""
    where = str(file)
    if file.is_symlink() and not file.exists():
        return [Problem(where, "missing file", f"a symbolic link to {os.readlink(file)!r}, which does not exist")]
    if not file.exists():
        return [Problem(where, "missing file", "the table's file does not exist")]
    if not file.is_file():
        return [Problem(where, "not a file", "expected a CSV file, found a folder or a special file")]
    try:
        raw = file.read_bytes()
    except OSError as exc:
        return [Problem(where, "unreadable file", f"cannot read the file: {exc.strerror or exc}")]
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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [_encoding_problem(where, raw)]
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff"))), [])
    return _header_problems(where, header, table.field_names)


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


# --- domain rules ----------------------------------------------------------------------------------------------


def line_of(index: Any) -> int:
    """File line of a frame row (the header is line 1)."""
    return int(index) + 2


def check_domain(frames: Frames, files: Files, today: dt.date | None = None) -> list[Problem]:
    """Problems against the rules a Table Schema cannot state; each rule skips tables that failed the schema."""
    problems: list[Problem] = []
    for rule in DOMAIN_RULES:
        problems += rule(frames, files)
    problems += _check_checked_on(frames, files, today or dt.date.today())
    return problems


def _rows(frames: Frames, *names: str) -> bool:
    return all(n in frames for n in names)


def _check_method_given(frames: Frames, files: Files) -> list[Problem]:
    """A value that is not reported says how it was obtained."""
    out = []
    for name, df in frames.items():
        for basis, method in (("basis", "method"), ("location_basis", "location_method")):
            if basis in df and method in df:
                missing = df[(df[basis] != "reported") & df[method].isna()]
                out += [
                    Problem(
                        files[name],
                        "method required",
                        f"{basis} is '{row[basis]}', so {method} must say how the value was obtained",
                        line=line_of(i),
                        column=method,
                        value="",
                    )
                    for i, row in missing.iterrows()
                ]
    return out


def _check_period_order(frames: Frames, files: Files) -> list[Problem]:
    """A period ends on or after the day it starts."""
    out = []
    for name, df in frames.items():
        for start, end in (("valid_from", "valid_to"), ("start_date", "end_date"), ("period_start", "period_end")):
            if start in df and end in df:
                bad = df[df[start].notna() & df[end].notna() & (df[start] > df[end])]
                out += [
                    Problem(
                        files[name],
                        "period order",
                        f"{end} ({row[end]:%Y-%m-%d}) is before {start} ({row[start]:%Y-%m-%d})",
                        line=line_of(i),
                        column=end,
                        value=f"{row[end]:%Y-%m-%d}",
                    )
                    for i, row in bad.iterrows()
                ]
    return out


def _check_self_ownership(frames: Frames, files: Files) -> list[Problem]:
    """An ownership edge joins two different entities."""
    if not _rows(frames, "shareholders"):
        return []
    df = frames["shareholders"]
    return [
        Problem(
            files["shareholders"],
            "self ownership",
            "a company cannot hold a stake in itself (owner_id equals owned_id)",
            line=line_of(i),
            column="owner_id",
            value=str(row["owner_id"]),
        )
        for i, row in df[df["owner_id"] == df["owned_id"]].iterrows()
    ]


def _check_stake_given(frames: Frames, files: Files) -> list[Problem]:
    """A shareholding states its stake; a control interest has none to state."""
    if not _rows(frames, "shareholders"):
        return []
    df, file = frames["shareholders"], files["shareholders"]
    missing = df[(df["interest_type"] == "shareholding") & df["stake_pct"].isna()]
    extra = df[(df["interest_type"] == "control") & df["stake_pct"].notna()]
    return [
        Problem(
            file,
            "stake required",
            "a shareholding needs its stake_pct (use interest_type 'control' when only control is reported)",
            line=line_of(i),
            column="stake_pct",
            value="",
        )
        for i in missing.index
    ] + [
        Problem(
            file,
            "stake with control",
            "a control interest has no stake_pct; record a published stake as a shareholding",
            line=line_of(i),
            column="stake_pct",
            value=f"{row['stake_pct']:g}",
        )
        for i, row in extra.iterrows()
    ]


def _check_stake_sums(frames: Frames, files: Files) -> list[Problem]:
    """Preferred stakes in one company add up to at most 100% on every day (a sweep over start and end days)."""
    if not _rows(frames, "shareholders"):
        return []
    df = frames["shareholders"]
    pref = df[df["is_preferred"].eq(True) & df["stake_pct"].notna()]
    starts = pd.DataFrame({"owned": pref["owned_id"], "day": pref["valid_from"], "delta": pref["stake_pct"]})
    ended = pref[pref["valid_to"].notna()]
    ends = pd.DataFrame(
        {"owned": ended["owned_id"], "day": ended["valid_to"] + pd.Timedelta(days=1), "delta": -ended["stake_pct"]}
    )
    events = pd.concat([starts, ends]).groupby(["owned", "day"], sort=True)["delta"].sum().reset_index()
    events["total"] = events.groupby("owned")["delta"].cumsum()
    over = events[events["total"] > 100 + 1e-6].drop_duplicates("owned")  # one report per company locates it
    out = []
    for _, hit in over.iterrows():
        rows = pref[pref["owned_id"] == hit["owned"]]
        live = rows[(rows["valid_from"] <= hit["day"]) & (rows["valid_to"].isna() | (rows["valid_to"] >= hit["day"]))]
        lines = ", ".join(str(line_of(i)) for i in live.index)
        out.append(
            Problem(
                files["shareholders"],
                "stakes over 100%",
                f"preferred stakes in '{hit['owned']}' add up to "
                f"{hit['total']:.2f}% on {hit['day']:%Y-%m-%d} (lines {lines})",
                line=line_of(live.index[-1]),
                column="stake_pct",
                value=f"{hit['total']:.2f}",
            )
        )
    return out


def _check_one_default(frames: Frames, files: Files) -> list[Problem]:
    """One default import port per market that lists ports; exactly one default emission factor and ship speed."""
    out = []
    if _rows(frames, "market_ports"):
        mp = frames["market_ports"]
        counts = mp.assign(d=mp["is_default"].eq(True).astype(int)).groupby("market_id")["d"].sum()
        for market, n in counts[counts != 1].items():
            rows = mp[mp["market_id"] == market]
            out.append(
                Problem(
                    files["market_ports"],
                    "one default",
                    f"market '{market}' has {n} default import ports (is_default true); exactly one is needed",
                    line=line_of(rows.index[0]),
                    column="is_default",
                    value=str(market),
                )
            )
    for name in ("emission_factors", "vessel_speeds"):
        if _rows(frames, name) and len(frames[name]):
            df = frames[name]
            defaults = df.index[df["is_default"].eq(True)]
            if len(defaults) != 1:
                line = line_of(defaults[1] if len(defaults) > 1 else df.index[0])
                out.append(
                    Problem(
                        files[name],
                        "one default",
                        f"{len(defaults)} rows have is_default true; exactly one is needed",
                        line=line,
                        column="is_default",
                        value=str(len(defaults)),
                    )
                )
    return out


def _check_measure_links(frames: Frames, files: Files) -> list[Problem]:
    """`replaces`/`all_in` rows name a measure of the same market; only `named_manufacturer` rows name a maker."""
    if not _rows(frames, "trade_measures"):
        return []
    tm, file = frames["trade_measures"], files["trade_measures"]
    market_of = dict(zip(tm["measure_id"], tm["market_id"], strict=True))
    out = []
    for i, row in tm.iterrows():
        needs = row["stacking"] in ("replaces", "all_in")
        target = row["replaces_measure_id"]
        if needs and pd.isna(target):
            out.append(
                Problem(
                    file,
                    "replaced measure",
                    f"a '{row['stacking']}' row must name the measure it takes the place of",
                    line=line_of(i),
                    column="replaces_measure_id",
                    value="",
                )
            )
        elif not needs and pd.notna(target):
            out.append(
                Problem(
                    file,
                    "replaced measure",
                    f"only 'replaces' and 'all_in' rows replace a measure (this row is '{row['stacking']}')",
                    line=line_of(i),
                    column="replaces_measure_id",
                    value=str(target),
                )
            )
        elif needs and market_of.get(target) not in (None, row["market_id"]):
            out.append(
                Problem(
                    file,
                    "replaced measure",
                    f"'{target}' is a measure of {market_of[target]}, not of {row['market_id']}",
                    line=line_of(i),
                    column="replaces_measure_id",
                    value=str(target),
                )
            )
        named = row["applies_to"] == "named_manufacturer"
        if named != pd.notna(row["manufacturer_id"]):
            out.append(
                Problem(
                    file,
                    "manufacturer",
                    "a 'named_manufacturer' row names its manufacturer_id, and only such rows do",
                    line=line_of(i),
                    column="manufacturer_id",
                    value="" if pd.isna(row["manufacturer_id"]) else str(row["manufacturer_id"]),
                )
            )
    return out


def _forms(value: Any) -> set[str]:
    """The vehicle forms a `vehicle_form` cell covers (empty: every form)."""
    return set(VEHICLE_FORMS) if pd.isna(value) else set(str(value).split("|"))


def _check_one_base_rate(frames: Frames, files: Files) -> list[Problem]:
    """At most one `base` rate applies to a car on any day: base rows of one market overlap in neither period,
    origin, product scope (the powertrains it covers) nor vehicle form."""
    if not _rows(frames, "trade_measures"):
        return []
    tm = frames["trade_measures"]
    base = tm[tm["stacking"] == "base"]
    out = []
    for _, rows in base.groupby("market_id"):
        items = list(rows.iterrows())
        for k, (_, a) in enumerate(items):
            for j, b in items[k + 1 :]:
                same_origin = (
                    pd.isna(a["origin_country_code"])
                    or pd.isna(b["origin_country_code"])
                    or a["origin_country_code"] == b["origin_country_code"]
                )
                same_scope = bool(
                    SCOPE_POWERTRAINS.get(a["product_scope"], frozenset())
                    & SCOPE_POWERTRAINS.get(b["product_scope"], frozenset())
                ) and bool(_forms(a["vehicle_form"]) & _forms(b["vehicle_form"]))
                overlap = (pd.isna(a["valid_to"]) or a["valid_to"] >= b["valid_from"]) and (
                    pd.isna(b["valid_to"]) or b["valid_to"] >= a["valid_from"]
                )
                if same_origin and same_scope and overlap:
                    out.append(
                        Problem(
                            files["trade_measures"],
                            "one base rate",
                            f"base rates '{a['measure_id']}' "
                            f"and '{b['measure_id']}' apply to the same cars on the same days (make one "
                            "'replaces' the other)",
                            line=line_of(j),
                            column="stacking",
                            value=str(b["measure_id"]),
                        )
                    )
    return out


def _check_markets(frames: Frames, files: Files) -> list[Problem]:
    """Country markets are known countries; a customs union lists its members, which are known countries."""
    if not _rows(frames, "markets"):
        return []
    markets, file = frames["markets"], files["markets"]
    countries = markets[markets["market_type"] == "country"]
    out = geo.check_country_codes(countries, "market_id", file, need_shape=True)
    if _rows(frames, "market_members"):
        members, mfile = frames["market_members"], files["market_members"]
        unions = set(markets.loc[markets["market_type"] == "customs_union", "market_id"])
        for i, row in members.iterrows():
            if row["market_id"] not in unions:
                out.append(
                    Problem(
                        mfile,
                        "customs union",
                        f"'{row['market_id']}' is not a customs-union market, so it has no members",
                        line=line_of(i),
                        column="market_id",
                        value=str(row["market_id"]),
                    )
                )
        out += geo.check_country_codes(members, "country_code", mfile)
        listed = set(members["market_id"])
        for i, row in markets[markets["market_id"].isin(unions - listed)].iterrows():
            out.append(
                Problem(
                    file,
                    "customs union",
                    f"customs union '{row['market_id']}' has no members in market_members",
                    line=line_of(i),
                    column="market_type",
                    value="customs_union",
                )
            )
    return out


def _check_locations(frames: Frames, files: Files) -> list[Problem]:
    """Every plant and port lies in its declared country (within the coastal tolerance)."""
    return [
        p
        for name in ("plants", "ports", "battery_plants")
        if name in frames
        for p in geo.check_points_in_country(frames[name], files[name])
    ]


def _check_evidence(frames: Frames, files: Files) -> list[Problem]:
    """An observed production claim reports cars built: its status is pilot, in production or ended."""
    if not _rows(frames, "production"):
        return []
    df = frames["production"]
    bad = df[(df["evidence"] == "observed") & ~df["production_status"].isin(["pilot", "in_production", "ended"])]
    return [
        Problem(
            files["production"],
            "evidence",
            f"a '{row['production_status']}' claim is an announcement, not an observation",
            line=line_of(i),
            column="evidence",
            value="observed",
        )
        for i, row in bad.iterrows()
    ]


def _check_observation_origin(frames: Frames, files: Files) -> list[Problem]:
    """An observation naming its plant gives that plant's country as the origin."""
    if not _rows(frames, "observations", "plants"):
        return []
    obs = frames["observations"]
    country = frames["plants"].set_index("plant_id")["country_code"]
    named = obs[obs["plant_id"].notna() & obs["plant_id"].isin(country.index)]
    bad = named[named["plant_id"].map(country) != named["origin_country_code"]]
    return [
        Problem(
            files["observations"],
            "origin",
            f"plant '{row['plant_id']}' is in {country[row['plant_id']]}, not {row['origin_country_code']}",
            line=line_of(i),
            column="origin_country_code",
            value=str(row["origin_country_code"]),
        )
        for i, row in bad.iterrows()
    ]


def _check_cases(frames: Frames, files: Files) -> list[Problem]:
    """A case is a plant outside China with a Chinese link, compared with a plant in China."""
    if not _rows(frames, "cases", "plants", "companies"):
        return []
    cases, file = frames["cases"], files["cases"]
    country = frames["plants"].set_index("plant_id")["country_code"]
    company_country = frames["companies"].set_index("company_id")["country_code"]
    out = []
    for i, row in cases.iterrows():
        if country.get(row["plant_id"]) == "CHN":
            out.append(
                Problem(
                    file,
                    "case",
                    "the case's plant must lie outside China",
                    line=line_of(i),
                    column="plant_id",
                    value=str(row["plant_id"]),
                )
            )
        comparator = row["comparator_plant_id"]
        if pd.notna(comparator) and country.get(comparator) not in (None, "CHN"):
            out.append(
                Problem(
                    file,
                    "case",
                    "the comparator plant must lie in China",
                    line=line_of(i),
                    column="comparator_plant_id",
                    value=str(comparator),
                )
            )
        if pd.notna(comparator) != pd.notna(row["comparator_basis"]):
            out.append(
                Problem(
                    file,
                    "case",
                    "a comparator plant and its comparator_basis go together",
                    line=line_of(i),
                    column="comparator_basis",
                    value="" if pd.isna(row["comparator_basis"]) else str(row["comparator_basis"]),
                )
            )
        if company_country.get(row["china_link_id"]) not in (None, "CHN"):
            out.append(
                Problem(
                    file,
                    "case",
                    "the China link must be a Chinese company or person (country_code CHN)",
                    line=line_of(i),
                    column="china_link_id",
                    value=str(row["china_link_id"]),
                )
            )
    return out


_CLAIM_DATES = {
    "production": "as_of_date",
    "plant_capacity": "as_of_date",
    "model_prices": "as_of_date",
    "trade_authorisations": "decision_date",
    "battery_plant_capacity": "as_of_date",
    "battery_supply": "as_of_date",
}


def _check_checked_on(frames: Frames, files: Files, today: dt.date) -> list[Problem]:
    """A row is checked on a day that has come, and not before the claim it checks was made."""
    out = []
    limit = pd.Timestamp(today)
    for name, df in frames.items():
        if "checked_on" not in df:
            continue
        for i, row in df[df["checked_on"] > limit].iterrows():
            out.append(
                Problem(
                    files[name],
                    "checked date",
                    f"checked_on {row['checked_on']:%Y-%m-%d} is after today ({today})",
                    line=line_of(i),
                    column="checked_on",
                    value=f"{row['checked_on']:%Y-%m-%d}",
                )
            )
        claimed = _CLAIM_DATES.get(name)
        if claimed:
            for i, row in df[df["checked_on"] < df[claimed]].iterrows():
                out.append(
                    Problem(
                        files[name],
                        "checked date",
                        f"checked_on {row['checked_on']:%Y-%m-%d} is before "
                        f"the claim's {claimed} ({row[claimed]:%Y-%m-%d})",
                        line=line_of(i),
                        column="checked_on",
                        value=f"{row['checked_on']:%Y-%m-%d}",
                    )
                )
    return out


def _check_urls(frames: Frames, files: Files) -> list[Problem]:
    """A URL has no whitespace anywhere (the schema's pattern cannot see a trailing line break)."""
    if not _rows(frames, "sources"):
        return []
    df = frames["sources"]
    bad = df[df["url"].str.contains(r"\s", regex=True, na=False)]
    return [
        Problem(
            files["sources"],
            "url",
            "a URL may not contain spaces or line breaks",
            line=line_of(i),
            column="url",
            value=str(row["url"]),
        )
        for i, row in bad.iterrows()
    ]


def _check_measure_origins(frames: Frames, files: Files) -> list[Problem]:
    """A measure's origin is a country code or a customs-union market."""
    if not _rows(frames, "trade_measures", "markets"):
        return []
    markets = frames["markets"]
    unions = set(markets.loc[markets["market_type"] == "customs_union", "market_id"])
    tm = frames["trade_measures"]
    named = tm[tm["origin_country_code"].notna() & ~tm["origin_country_code"].isin(unions)]
    return [p for p in geo.check_country_codes(named, "origin_country_code", files["trade_measures"])]


# Text that would act instead of being read: control characters (C0, DEL, C1; tab and line breaks included, a cell
# is one line of text) move terminals' cursors, end C strings and split CSV rows; bidi overrides and isolates make
# a name display other than it reads (a "Trojan Source" spelling), so names carrying them are flagged.
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_BIDI = r"[\u202a-\u202e\u2066-\u2069]"
_BLANK = r"^[\s\u200b-\u200d\u2060\ufeff]*$"


def _check_text(frames: Frames, files: Files) -> list[Problem]:
    """Text stays inert: no control characters in any text cell, no blank-only names, bidi overrides flagged."""
    control = (
        "control character",
        _CONTROL,
        "text must not hold control characters (tab, line breaks, NUL, escape...): they act on terminals and files "
        "instead of being read",
        "error",
    )
    names = [
        ("blank name", _BLANK, "a name must hold a visible character, not only spaces", "error"),
        (
            "bidi override",
            _BIDI,
            "a name holds a Unicode bidirectional override or isolate "
            "(U+202A-U+202E, U+2066-U+2069): it may display other than it reads",
            "warning",
        ),
    ]
    out = []
    for name, df in frames.items():
        columns = [c for c in df.columns if pd.api.types.is_string_dtype(df[c]) or pd.api.types.is_object_dtype(df[c])]
        if not columns:
            continue
        # Every text cell of the table at once (one regular-expression pass per rule, not per column).
        cells = df[columns].stack()
        cells = cells[cells.map(lambda v: isinstance(v, str))].astype(str)
        column_of = cells.index.get_level_values(1)
        if name == "sources":  # whitespace in a url is the url rule's: one problem per cell
            cells = cells[~((column_of == "url") & cells.str.contains(r"\s", regex=True))]
            column_of = cells.index.get_level_values(1)
        found = []
        for order, (rule, pattern, message, level) in enumerate([control, *names]):
            scope = cells if rule == "control character" else cells[column_of.str.endswith("_name")]
            hits = scope[scope.str.contains(pattern, regex=True)]
            found += [
                (
                    columns.index(column),
                    order,
                    row,
                    Problem(files[name], rule, message, line=line_of(row), column=column, value=v, level=level),
                )
                for (row, column), v in hits.items()
            ]
        out += [problem for *_, problem in sorted(found, key=lambda f: f[:3])]
    return out


def _check_open_questions(frames: Frames, files: Files) -> list[Problem]:
    """Each `rows_affected` entry of an open question names a table with row keys and at least one row of it, and
    a question is not to be looked at again before it was last looked at."""
    if not _rows(frames, "open_questions"):
        return []
    problems = []
    for i, q in frames["open_questions"].iterrows():
        for table, key in freshness.parse_rows_affected(q["rows_affected"]):
            entry = f"{table}:{'/'.join(key)}"
            if table not in frames and table in schema.tables():
                continue  # that table failed its own checks: reported there
            rows = freshness.matching_rows(frames, table, key)
            if rows is None:
                known = ", ".join(f"{t} ({'/'.join(c)})" for t, c in freshness.ROW_KEYS.items())
                message = f"'{entry}' does not name a table and its key columns; known: {known}"
            elif rows.empty:
                message = f"'{entry}': no row of {table} has this key"
            else:
                continue
            problems.append(
                Problem(files["open_questions"], "row reference", message, line_of(i), "rows_affected", entry)
            )
        if q["look_again_date"] < q["looked_on_date"]:
            problems.append(
                Problem(
                    files["open_questions"],
                    "period order",
                    f"look_again_date is before looked_on_date ({q['looked_on_date']:%Y-%m-%d})",
                    line_of(i),
                    "look_again_date",
                    f"{q['look_again_date']:%Y-%m-%d}",
                )
            )
    return problems


KNOWN_SUPPLY = ("cell_maker_id", "battery_plant_id", "cell_country_code", "pack_maker_id", "pack_country_code")


def _check_battery_supply(frames: Frames, files: Files) -> list[Problem]:
    """A cell-supply claim says something (an `unknown` one names nothing), and its cell country is its cell plant's."""
    if not _rows(frames, "battery_supply"):
        return []
    df, file, out = frames["battery_supply"], files["battery_supply"], []
    named = df[list(KNOWN_SUPPLY)].notna().any(axis=1)
    unknown = df["supply_evidence"] == "unknown"
    for i, row in df[unknown & named].iterrows():
        column = next(c for c in KNOWN_SUPPLY if pd.notna(row[c]))
        out.append(
            Problem(
                file,
                "battery supply",
                "an 'unknown' claim names no maker, plant or country (never a guess)",
                line=line_of(i),
                column=column,
                value=str(row[column]),
            )
        )
    for i, row in df[~unknown & ~named].iterrows():
        out.append(
            Problem(
                file,
                "battery supply",
                f"a '{row['supply_evidence']}' claim names a cell maker, cell plant or "
                "country; a claim that knows none of them is 'unknown'",
                line=line_of(i),
                column="supply_evidence",
                value=str(row["supply_evidence"]),
            )
        )
    if "battery_plants" in frames:
        country = frames["battery_plants"].set_index("battery_plant_id")["country_code"]
        with_plant = df[df["battery_plant_id"].notna()]
        for i, row in with_plant.iterrows():
            where = country.get(row["battery_plant_id"])
            if where is not None and pd.notna(row["cell_country_code"]) and row["cell_country_code"] != where:
                out.append(
                    Problem(
                        file,
                        "battery supply",
                        f"cell country {row['cell_country_code']} differs from the "
                        f"country of cell plant {row['battery_plant_id']} ({where})",
                        line=line_of(i),
                        column="cell_country_code",
                        value=str(row["cell_country_code"]),
                    )
                )
    return out


def _check_minimum_duty(frames: Frames, files: Files) -> list[Problem]:
    """A per-car minimum is the floor of a rate ("the rate or at least this amount"): only rows with a rate have one."""
    if not _rows(frames, "trade_measures"):
        return []
    tm = frames["trade_measures"]
    bad = tm[tm["min_duty_usd_per_unit"].notna() & tm["tariff_rate_pct"].isna()]
    return [
        Problem(
            files["trade_measures"],
            "minimum duty",
            "a per-car minimum needs the rate it is the floor of (tariff_rate_pct is empty)",
            line=line_of(i),
            column="min_duty_usd_per_unit",
            value=str(row["min_duty_usd_per_unit"]),
        )
        for i, row in bad.iterrows()
    ]


DOMAIN_RULES: tuple[Callable[[Frames, Files], list[Problem]], ...] = (
    _check_text,
    _check_open_questions,
    _check_measure_origins,
    _check_minimum_duty,
    _check_urls,
    _check_method_given,
    _check_period_order,
    _check_self_ownership,
    _check_stake_given,
    _check_stake_sums,
    _check_one_default,
    _check_measure_links,
    _check_one_base_rate,
    _check_markets,
    _check_locations,
    _check_evidence,
    _check_observation_origin,
    _check_cases,
    _check_battery_supply,
)


def check_freshness(
    frames: Frames, files: Files, today: dt.date | None = None, stale_days: int = freshness.STALE_DAYS
) -> list[Problem]:
    """Warnings for rows that describe the present but were not checked within `stale_days`, and for open
    questions whose look-again date has passed."""
    stale = freshness.stale_rows(frames, today, stale_days)
    overdue = [
        Problem(
            files["open_questions"],
            "look again",
            f"{r.question_id}: the look-again date has passed; look for the answer again, then update the row "
            "(or remove it once answered)",
            line=r.line,
            column="look_again_date",
            value=f"{r.look_again_date:%Y-%m-%d}",
            level="warning",
        )
        for r in freshness.overdue_questions(frames, today).itertuples()
    ]
    return overdue + [
        Problem(
            files[r.table],
            "stale",
            f"{r.key}: last checked {r.checked_on:%Y-%m-%d}, more than "
            f"{stale_days} days ago; confirm it against a newer source and update checked_on",
            line=r.line,
            column="checked_on",
            value=f"{r.checked_on:%Y-%m-%d}",
            level="warning",
        )
        for r in stale.itertuples()
    ]
