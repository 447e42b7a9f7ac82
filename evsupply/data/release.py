"""A dated data release users can pin, load and cite: `releases/<data version>/` built from one commit.

What a release folder holds (docs/release.md says how to read each):

    datapackage.json, <table>.csv    the Frictionless data package (`evsupply.load(data_dir=<folder>)` reads it)
    evsupply.sqlite                  one table per resource (declared types, keys) and a `metadata` table
    parquet/<table>.parquet          one file per table, typed, described by the same datapackage.json
    zip/<table>.zip                  the table's CSV, its metadata JSON and a README (citation, sources)
    evsupply-data-<version>.zip      everything above but the per-table zips, in one folder
    RELEASE_NOTES.md                 additions, corrections, revisions, removals since the previous release
    CITATION.cff, .zenodo.json       the citation and the Zenodo deposit metadata, with the data version
    COMMIT                           the commit it was built from (and whether the data differed from it)
    SHA256SUMS                       `sha256sum -c SHA256SUMS` checks every other file

A release is reproducible: the same commit gives byte-identical files (zip entries dated by the release date and
written in name order; the database built in memory and written with `VACUUM INTO`; no clock is read).
A git tag `data-v<version>` (e.g. `data-v0.4.0`) marks the commit a data version was released from; the notes of a
release compare it with the newest earlier such tag.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from evsupply.core.paths import CHECKOUT_DIR, DATA_DIR, data_digest, data_release
from evsupply.core.paths import data_dir as resolve_data_dir
from evsupply.data import schema
from evsupply.data.changes import changes as data_changes
from evsupply.data.changes import data_versions, resolve
from evsupply.data.load import load
from evsupply.data.metadata import PACKAGE
from evsupply.errors import EvsupplyError

RELEASES = "releases"  # beside data/ in a checkout; in the working folder for an installed evsupply
TAG_PREFIX = "data-v"
AUTHORS = "evsupply contributors"
SQLITE_FILE = "evsupply.sqlite"
SQLITE_PAGE_SIZE = 4096
PARQUET_DIR = "parquet"
ZIP_DIR = "zip"
NOTES_FILE = "RELEASE_NOTES.md"
COMMIT_FILE = "COMMIT"
SUMS_FILE = "SHA256SUMS"
COPIED = ("LICENSE", "CHANGELOG.md")  # the data folder's licence and changelog travel with the data
NOTE_CELL_CHARS = 300  # longer cells are cut in the notes; `evsupply changes` prints them whole
NOTE_CONTEXT = 80  # characters kept around the changed part of a long cell

# Table Schema type -> SQLite declared type, and the check a stored value passes (`{c}` is the quoted column).
SQL_TYPES = {
    "string": ("TEXT", ""),
    "integer": ("INTEGER", "typeof({c}) = 'integer'"),
    "number": ("REAL", "typeof({c}) IN ('real', 'integer')"),
    "boolean": ("BOOLEAN", "{c} IN (0, 1)"),
    "date": ("DATE", "{c} IS date({c})"),
}


class ReleaseError(EvsupplyError):
    """A release cannot be built: an unknown revision, a target that is not a release folder, a broken database."""


@dataclass(frozen=True)
class Build:
    """What a release is built from: the data folder, its version and content hash, the commit and the date."""

    data_dir: Path
    version: str
    digest: str
    commit: str
    dirty: tuple[str, ...]
    date: str
    since: str | None

    @property
    def tag(self) -> str:
        """The git tag of this data version (`data-v0.4.0`)."""
        return f"{TAG_PREFIX}{self.version}"


# --- git and dates -----------------------------------------------------------------------------------------


def _git(folder: Path, *args: str) -> str | None:
    """The output of a git command run in `folder`, None if git or the repository is missing or the command fails."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False, text=True)
    except FileNotFoundError:
        return None
    return done.stdout.rstrip("\n") if done.returncode == 0 else None


def _version_key(version: str) -> tuple[int, ...]:
    """A semantic version as numbers, for ordering (non-numeric parts count as 0)."""
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def previous_tag(folder: Path, version: str) -> str | None:
    """The newest `data-v*` tag reachable from HEAD whose version is older than `version` (None if there is none)."""
    listed = _git(folder, "tag", "--list", f"{TAG_PREFIX}*", "--merged", "HEAD") or ""
    older = [t for t in listed.split() if _version_key(t[len(TAG_PREFIX) :]) < _version_key(version)]
    return max(older, key=lambda t: _version_key(t[len(TAG_PREFIX) :]), default=None)


def changelog_date(folder: Path, version: str) -> str | None:
    """The date data/CHANGELOG.md gives the version in its heading (`## 0.3.0 (2026-12-03)`), None if none."""
    try:
        text = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    except OSError:
        return None
    found = re.search(rf"^## {re.escape(version)} \((\d{{4}}-\d{{2}}-\d{{2}})\)", text, flags=re.MULTILINE)
    return found.group(1) if found else None


def changelog_section(folder: Path, version: str) -> str:
    """The text of the version's section of data/CHANGELOG.md, without its heading ("" if none)."""
    try:
        text = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    except OSError:
        return ""
    found = re.search(rf"^## {re.escape(version)} \(.*?\)\n(.*?)(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    return found.group(1).strip() if found else ""


def build_info(data_dir: str | Path | None = None, since: str | None = None) -> Build:
    """The facts a release records: version, content hash, commit (and uncommitted data files), date, baseline."""
    folder = resolve_data_dir(data_dir)
    version = data_release(folder)
    if not version:
        raise ReleaseError(f"{folder / schema.DESCRIPTOR} declares no data version: nothing to name the release by")
    commit = _git(folder, "rev-parse", "HEAD") or "unknown (not built from a git checkout)"
    status = _git(folder, "status", "--porcelain", "--untracked-files=all", "--", ".") or ""
    dirty = tuple(sorted(line[3:] for line in status.splitlines() if line.strip()))
    date = release_date(folder, version)
    if since is not None:
        try:
            resolve(folder, since)  # an unknown revision fails before any file is written
        except EvsupplyError as exc:
            raise ReleaseError(f"release notes against {since!r}: {exc}") from None
    return Build(folder, version, data_digest(folder), commit, dirty, date, since or previous_tag(folder, version))


def release_date(folder: Path, version: str) -> str:
    """The date of a data version: its data/CHANGELOG.md heading's, else the commit's, else 1980-01-01."""
    return changelog_date(folder, version) or _git(folder, "show", "-s", "--format=%cs", "HEAD") or "1980-01-01"


# --- citation ------------------------------------------------------------------------------------------------


def citation_text(version: str, date: str) -> str:
    """How to cite the data version (APA-like, one line)."""
    return (
        f'{AUTHORS} ({date[:4]}). "{PACKAGE["title"]}", data version {version} (data set). '
        f"Released {date}; git tag {TAG_PREFIX}{version}. Licence CC BY 4.0. "
        "Cite the original sources too (sources.csv)."
    )


def citation_cff(info: Build) -> str:
    """CITATION.cff of the release: the data set, its version, date, licence and commit."""
    lines = [
        "cff-version: 1.2.0",
        'message: "If you use these tables, please cite them as below, and cite the original sources listed in '
        'sources.csv."',
        "type: dataset",
        f"title: {json.dumps(PACKAGE['title'])}",
        "authors:",
        f"  - name: {json.dumps(AUTHORS)}",
        f'version: "{info.version}"',
        f'date-released: "{info.date}"',
        "license: CC-BY-4.0",
        f'commit: "{info.commit}"',
        f"abstract: {json.dumps(PACKAGE['description'])}",
        "keywords:",
        *[f"  - {word}" for word in ("electric vehicles", "supply chains", "trade policy", "open data")],
    ]
    return "\n".join(lines) + "\n"


def zenodo_metadata(info: Build, source_count: int) -> dict[str, Any]:
    """The `.zenodo.json` deposit metadata of the release."""
    return {
        "title": f"{PACKAGE['title']} (data version {info.version})",
        "upload_type": "dataset",
        "version": info.version,
        "publication_date": info.date,
        "description": f"{PACKAGE['description']} Every fact row names one of the {source_count} sources in "
        "sources.csv. Formats: Frictionless data package (CSV), SQLite, Parquet.",
        "creators": [{"name": AUTHORS}],
        "license": "cc-by-4.0",
        "access_right": "open",
        "keywords": ["electric vehicles", "supply chains", "trade policy", "open data"],
        "notes": f"Built from git commit {info.commit} (tag {info.tag}).",
    }


# --- frames ----------------------------------------------------------------------------------------------------


def typed(frame: pd.DataFrame, table: schema.Table) -> pd.DataFrame:
    """`frame`'s schema columns cast to the dtypes `evsupply.load()` gives (`schema.column_dtype`: Int64, float64,
    boolean or bool, datetime64, string), whatever format they were read from."""
    out = {}
    for field in table.fields:
        column, kind = frame[field["name"]], field["type"]
        if kind == "date":
            out[field["name"]] = pd.to_datetime(column.astype("string"), format="%Y-%m-%d")
        else:
            out[field["name"]] = column.astype(schema.column_dtype(field))
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def plain_frames(data_dir: Path) -> dict[str, pd.DataFrame]:
    """The validated tables of `data_dir` (`evsupply.load()`), schema columns only (no geometry)."""
    tables = load(data_dir)
    return {name: typed(tables[name], table) for name, table in schema.tables().items()}


def _cell(value: Any, kind: str) -> Any:
    """One value as SQLite stores it: None for a missing value, 0/1, ISO date text, int, float or text."""
    if value is None or pd.isna(value):
        return None
    if kind == "date":
        return value.strftime("%Y-%m-%d")
    if kind == "boolean":
        return int(bool(value))
    if kind == "integer":
        return int(value)
    return float(value) if kind == "number" else str(value)


# --- SQLite ----------------------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    """An SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def create_table_sql(table: schema.Table) -> str:
    """The CREATE TABLE statement of one resource: declared types, NOT NULL, checks, primary and foreign keys."""
    lines = []
    for field in table.fields:
        sql_type, check = SQL_TYPES[field["type"]]
        column = _quote(field["name"])
        line = f"{column} {sql_type}"
        if field.get("constraints", {}).get("required"):
            line += " NOT NULL"
        if check:
            line += f" CHECK ({column} IS NULL OR {check.format(c=column)})"
        lines.append(line)
    lines.append(f"PRIMARY KEY ({', '.join(map(_quote, table.primary_key))})")
    for fk in table.foreign_keys:
        ref = fk["reference"]
        target = ref["resource"] or table.name
        lines.append(
            f"FOREIGN KEY ({', '.join(map(_quote, fk['fields']))}) "
            f"REFERENCES {_quote(target)} ({', '.join(map(_quote, ref['fields']))})"
        )
    return f"CREATE TABLE {_quote(table.name)} (\n  " + ",\n  ".join(lines) + "\n)"


def metadata_rows(info: Build, source_count: int, parquet: str) -> list[tuple[str, str]]:
    """The rows of the database's `metadata` table (key, value)."""
    return [
        ("data_version", info.version),
        ("content_hash", info.digest),
        ("commit", info.commit),
        ("release_date", info.date),
        ("git_tag", info.tag),
        ("licence", "CC-BY-4.0 (https://creativecommons.org/licenses/by/4.0/)"),
        ("citation", citation_text(info.version, info.date)),
        ("source_count", str(source_count)),
        ("parquet", parquet),
    ]


def write_sqlite(path: Path, frames: Mapping[str, pd.DataFrame], meta: Iterable[tuple[str, str]]) -> None:
    """Write the database: built in memory (fixed page size), foreign keys checked, then `VACUUM INTO` `path`."""
    db = sqlite3.connect(":memory:")
    try:
        db.execute(f"PRAGMA page_size = {SQLITE_PAGE_SIZE}")
        db.execute("CREATE TABLE metadata (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", list(meta))
        for name, table in schema.tables().items():
            db.execute(create_table_sql(table))
            kinds = [f["type"] for f in table.fields]
            rows = [
                tuple(_cell(v, k) for v, k in zip(row, kinds, strict=True)) for row in frames[name].itertuples(False)
            ]
            db.executemany(f"INSERT INTO {_quote(name)} VALUES ({', '.join('?' * len(kinds))})", rows)
        db.commit()
        dangling = db.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise ReleaseError(f"the database breaks {len(dangling)} foreign key(s), first: {dangling[0]}")
        path.unlink(missing_ok=True)
        db.execute("VACUUM INTO ?", (str(path),))
    finally:
        db.close()


def read_sqlite(path: str | Path) -> dict[str, pd.DataFrame]:
    """The tables of a release database as `evsupply.load()` types them (schema columns, file order)."""
    db = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        frames = {}
        for name, table in schema.tables().items():
            cursor = db.execute(f"SELECT * FROM {_quote(name)} ORDER BY rowid")
            columns = [d[0] for d in cursor.description]
            frames[name] = typed(pd.DataFrame(cursor.fetchall(), columns=columns, dtype=object), table)
        return frames
    finally:
        db.close()


def read_metadata(path: str | Path) -> dict[str, str]:
    """The `metadata` table of a release database as a dict."""
    db = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        return dict(db.execute("SELECT key, value FROM metadata ORDER BY rowid").fetchall())
    finally:
        db.close()


# --- Parquet ---------------------------------------------------------------------------------------------------


def parquet_missing() -> str:
    """Why Parquet files cannot be written here ("" when pyarrow is installed)."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return "left out: pyarrow is not installed (pip install 'evsupply[release]')"
    return ""


def arrow_schema(table: schema.Table) -> Any:
    """The pyarrow schema of one table: string, int64, float64, bool, date32; required columns not nullable."""
    import pyarrow as pa

    kinds = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}
    kinds["date"] = pa.date32()
    return pa.schema(
        [
            pa.field(
                f["name"],
                kinds[f["type"]],
                nullable=not f.get("constraints", {}).get("required", False),
                metadata={"description": f.get("description", "")},
            )
            for f in table.fields
        ],
        metadata={"name": table.name, "title": table.title, "primary_key": ",".join(table.primary_key)},
    )


def write_parquet(path: Path, frame: pd.DataFrame, table: schema.Table) -> None:
    """Write one table as a Parquet file with its arrow schema (no pandas metadata, no index)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = arrow_schema(table)
    arrays = []
    for field in target:
        column = frame[field.name]
        if pa.types.is_date32(field.type):
            column = column.dt.date.astype(object).where(column.notna(), None)
        arrays.append(pa.array(column, type=field.type, from_pandas=True))
    pq.write_table(pa.Table.from_arrays(arrays, schema=target), path, compression="zstd")


def read_parquet(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The Parquet files of a release folder as `evsupply.load()` types them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    mapping = {pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.string(): pd.StringDtype()}
    frames = {}
    for name, table in schema.tables().items():
        arrow = pq.read_table(Path(folder) / PARQUET_DIR / f"{name}.parquet")
        frames[name] = typed(arrow.to_pandas(types_mapper=mapping.get), table)
    return frames


# --- the data package --------------------------------------------------------------------------------------------


def release_descriptor(info: Build, parquet: str) -> dict[str, Any]:
    """The release's datapackage.json: the schema's descriptor, each resource naming its Parquet file (when
    written), and an `evsupply_release` block (version, content hash, commit, tag, what was left out)."""
    descriptor = schema.descriptor()
    if not parquet:
        for resource in descriptor["resources"]:
            resource["parquet"] = {
                "path": f"{PARQUET_DIR}/{resource['name']}.parquet",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
            }
    descriptor["evsupply_release"] = {
        "data_version": info.version,
        "content_hash": info.digest,
        "commit": info.commit,
        "git_tag": info.tag,
        "release_date": info.date,
        "sqlite": SQLITE_FILE,
        "parquet": parquet or f"{PARQUET_DIR}/<table>.parquet (the `parquet` entry of each resource)",
        "citation": citation_text(info.version, info.date),
        "uncommitted_data_files": list(info.dirty),
    }
    return descriptor


def _json(data: Any) -> str:
    """JSON text as the release writes it (indented, UTF-8, a final newline)."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- zips -------------------------------------------------------------------------------------------------------


def write_zip(path: Path, members: Iterable[tuple[str, bytes]], date: str) -> None:
    """Write a zip whose entries, in name order, all carry the release date and the same permissions."""
    stamp = (*dt.date.fromisoformat(date).timetuple()[:3], 0, 0, 0)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in sorted(members):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)


def table_sources(name: str, frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of `sources` a table's rows name (all of them for `sources` itself), in source_id order."""
    sources = frames["sources"]
    table = schema.tables()[name]
    if name == "sources":
        return sources.sort_values("source_id")
    columns = [fk["fields"][0] for fk in table.foreign_keys if fk["reference"]["resource"] == "sources"]
    used = set(pd.concat([frames[name][c] for c in columns]).dropna()) if columns else set()
    return sources[sources["source_id"].isin(used)].sort_values("source_id")


def table_metadata(name: str, info: Build, sources: pd.DataFrame) -> dict[str, Any]:
    """The metadata JSON of one table's zip: its resource descriptor, version, licence, citation and sources."""
    shown = ["source_id", "publisher", "title", "published_date", "url", "accessed_date"]
    listed = sources[shown].astype("string").astype(object).where(sources[shown].notna(), None)
    listed["published_date"] = [d.strftime("%Y-%m-%d") if pd.notna(d) else None for d in sources["published_date"]]
    listed["accessed_date"] = [d.strftime("%Y-%m-%d") for d in sources["accessed_date"]]
    return {
        **schema.tables()[name].resource(),
        "data_version": info.version,
        "content_hash": info.digest,
        "commit": info.commit,
        "licenses": PACKAGE["licenses"],
        "citation": citation_text(info.version, info.date),
        "sources": listed.to_dict(orient="records"),
    }


def _md(text: Any) -> str:
    """Text escaped for Markdown (no character of it can start markup)."""
    return re.sub(r"([\\`*_\[\]<>|~])", r"\\\1", str(text)).replace("\n", " ")


def _code(text: Any) -> str:
    """Text as a Markdown code span (its backticks cannot end it)."""
    text = str(text).replace("\n", " ")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def table_readme(name: str, info: Build, sources: pd.DataFrame, rows: int) -> str:
    """The README of one table's zip: what it holds, its columns, how to cite it, the sources it rests on."""
    table = schema.tables()[name]
    lines = [
        f"# {_md(table.title)} (`{name}`), evsupply data {info.version}",
        "",
        _md(table.description),
        "",
        f"{rows} rows; primary key ({', '.join(table.primary_key)}). Files: `{name}.csv` (UTF-8, comma-separated, "
        f"empty cell = missing) and `{name}.metadata.json` (its Table Schema, licence, citation and sources).",
        "",
        "## Columns",
        "",
        *[f"- `{f['name']}` ({f['type']}): {_md(f.get('description', ''))}" for f in table.fields],
        "",
        "## How to cite",
        "",
        _md(citation_text(info.version, info.date)),
        "",
        f"Built from git commit `{info.commit}`. Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).",
        "",
        f"## Sources ({len(sources)})",
        "",
    ]
    if sources.empty:
        lines.append("This table names no source (its rows are definitions); the tables that use it cite theirs.")
    for s in sources.itertuples():
        when = s.published_date.strftime("%Y-%m-%d") if pd.notna(s.published_date) else "undated"
        lines.append(f"- {_code(s.source_id)}: {_md(s.publisher)}, {_md(s.title)} ({when}). {s.url}")
    return "\n".join(lines) + "\n"


# --- release notes -----------------------------------------------------------------------------------------------

# What a change is, by rule (see `classify`): its heading and what it means; the notes list them in this order.
KINDS = {
    "addition": ("Additions", "New tables, columns and rows."),
    "correction": ("Corrections", "Values changed in rows kept, on the same source."),
    "revision": ("Revisions", "Values restated on another source (the row's `source_id` changed with them)."),
    "removal": ("Removals", "Tables, columns and rows taken out."),
}


def classify(found: pd.DataFrame) -> pd.Series:
    """The kind (a key of KINDS) of each change of `evsupply changes`: added -> addition, removed -> removal, a
    changed cell -> revision when its row's source_id changed too, else correction."""
    changed = found["change"].eq("changed")
    resourced = found.loc[changed & found["column"].eq("source_id"), ["table", "key"]]
    moved = set(zip(resourced["table"], resourced["key"], strict=True))
    revised = pd.Series([(t, k) in moved for t, k in zip(found["table"], found["key"], strict=True)], index=found.index)
    kinds = found["change"].map({"added": "addition", "removed": "removal", "changed": "correction"})
    return kinds.where(~(changed & revised), "revision")


def _common_start(a: str, b: str) -> int:
    """How many first characters two texts share."""
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _cut(old: str, new: str) -> tuple[str, str]:
    """Two cells for the notes: whole when short, else the part that differs with NOTE_CONTEXT characters around
    it ("…" marks what was cut), so a long note changed at its end still shows the change."""
    if max(len(old), len(new)) <= NOTE_CELL_CHARS:
        return old, new
    head = _common_start(old, new)
    tail = _common_start(old[head:][::-1], new[head:][::-1])
    start = max(0, head - NOTE_CONTEXT)

    def part(text: str) -> str:
        end = min(len(text), len(text) - tail + NOTE_CONTEXT, start + NOTE_CELL_CHARS)
        return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

    return part(old), part(new)


def _note_line(row: Any) -> str:
    """One change as a Markdown list item."""
    if row.key == "" and row.column == "":
        return f"- table `{row.table}` {row.change}"
    if row.key == "":
        return f"- column `{row.table}.{row.column}` {row.change}"
    if row.column == "":
        return f"- `{row.table}` row {_code(row.key)} {row.change}"
    old, new = _cut(row.old, row.new)
    return f"- `{row.table}` {_code(row.key)}: `{row.column}`: “{_md(old)}” → “{_md(new)}”"


def release_notes(info: Build, found: pd.DataFrame | None, versions: tuple[str, str] | None) -> str:
    """RELEASE_NOTES.md: the release, its baseline, counts by kind, then every change by kind and the changelog."""
    lines = [f"# evsupply data {info.version}: release notes", "", f"Released {info.date} from commit `{info.commit}`."]
    if found is None or info.since is None:
        lines += ["", "First release: no earlier `data-v*` tag and no baseline given, so every table is new."]
    else:
        then = f" (commit {resolve(info.data_dir, info.since)[:12]}" + (
            f", data version {versions[0]})" if versions else ")"
        )
        kinds = classify(found)
        counts = ", ".join(f"{(kinds == k).sum()} {k}{'s' if (kinds == k).sum() != 1 else ''}" for k in KINDS)
        lines += [
            "",
            f"Compared with `{_md(info.since)}`{then}: {counts} (`evsupply changes --since {info.since}`).",
            "",
        ]
        for kind, (heading, meaning) in KINDS.items():
            chosen = found[kinds == kind]
            lines += [f"## {heading} ({len(chosen)})", "", meaning, ""]
            lines += [_note_line(r) for r in chosen.itertuples()] or ["None."]
            lines.append("")
    written = changelog_section(info.data_dir, info.version)
    if written:
        lines += ["", "## What the changelog says", "", written]
    return "\n".join(lines).rstrip("\n") + "\n"


def notes_for(info: Build) -> str:
    """The release notes of `info`, comparing with its baseline revision (when it has one)."""
    if info.since is None:
        return release_notes(info, None, None)
    try:
        found = data_changes(info.since, info.data_dir)
        versions = data_versions(info.data_dir, info.since)
    except EvsupplyError as exc:
        raise ReleaseError(f"release notes against {info.since!r}: {exc}") from None
    return release_notes(info, found, versions)


# --- the release's own README ---------------------------------------------------------------------------------


def release_readme(info: Build, parquet: str) -> str:
    """README.md of the release folder: what each file is, how to load and cite it, what was left out."""
    lines = [
        f"# evsupply data {info.version} ({info.date})",
        "",
        _md(PACKAGE["description"]),
        "",
        f"Built from git commit `{info.commit}` (tag `{info.tag}`); content hash `{info.digest[:12]}`.",
        "",
        "| file | what it is |",
        "|---|---|",
        "| `datapackage.json`, `*.csv` | the Frictionless data package: one CSV per table, its Table Schema |",
        f"| `{SQLITE_FILE}` | SQLite: one table per resource (types, primary and foreign keys) and `metadata` |",
        f"| `{PARQUET_DIR}/<table>.parquet` | "
        + ("Parquet, one file per table, typed" if not parquet else f"Parquet: {_md(parquet)}")
        + " |",
        f"| `{ZIP_DIR}/<table>.zip` | one table: its CSV, `<table>.metadata.json` and a README with its sources |",
        f"| `{bundle_name(info.version)}` | all of the above but the per-table zips |",
        f"| `{NOTES_FILE}` | what changed since the previous release |",
        "| `CITATION.cff`, `.zenodo.json` | the citation and the Zenodo deposit metadata |",
        f"| `{COMMIT_FILE}` | the commit it was built from |",
        f"| `{SUMS_FILE}` | the SHA-256 of every other file: `sha256sum -c {SUMS_FILE}` checks them |",
        "",
        'Load it in Python with `evsupply.load(data_dir="<this folder>")`, or read any format directly '
        "(docs/release.md of the repository shows pandas, DuckDB, R and a spreadsheet).",
        "",
        "## How to cite",
        "",
        _md(citation_text(info.version, info.date)),
        "",
        "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); the quotes in `source_quote` are "
        "excerpts of the cited sources, for verification only.",
    ]
    return "\n".join(lines) + "\n"


# --- checksums and the commit file ---------------------------------------------------------------------------


def commit_text(info: Build) -> str:
    """The COMMIT file: the commit, the tag convention, and any data files that differed from the commit."""
    lines = [f"commit {info.commit}", f"data version {info.version}", f"tag {info.tag}", f"content hash {info.digest}"]
    if info.dirty:
        lines.append("uncommitted changes in the data folder: " + ", ".join(info.dirty))
    return "\n".join(lines) + "\n"


def sha256sums(folder: Path) -> str:
    """SHA256SUMS text (`sha256sum -c` format) of every file under `folder` but itself, in path order."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != SUMS_FILE)
    return "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}\n" for p in files)


def files_of(folder: Path) -> list[str]:
    """Every file of a release folder, relative, in path order."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- build ---------------------------------------------------------------------------------------------------------


def bundle_name(version: str) -> str:
    """The file name of the everything zip (`evsupply-data-0.4.0.zip`)."""
    return f"evsupply-data-{version}.zip"


def default_out() -> Path:
    """Where releases go by default: the checkout's releases/, or releases/ in the working folder when evsupply is
    installed (never inside the installed package)."""
    return CHECKOUT_DIR / RELEASES if DATA_DIR == CHECKOUT_DIR / "data" else Path.cwd() / RELEASES


def release_dir(version: str, out: str | Path | None = None) -> Path:
    """Where the release of `version` is written: `<out>/<version>/` (default out: `default_out()`)."""
    return Path(out or default_out()).expanduser().resolve() / version


def write_package(folder: Path, info: Build, parquet: str) -> None:
    """The data package: the table CSVs as committed (bytes), its licence and changelog, the release descriptor."""
    folder.mkdir(parents=True)
    for table in schema.tables().values():
        shutil.copyfile(info.data_dir / table.path, folder / table.path)
    for name in COPIED:
        if (info.data_dir / name).is_file():
            shutil.copyfile(info.data_dir / name, folder / name)
    (folder / schema.DESCRIPTOR).write_text(_json(release_descriptor(info, parquet)), encoding="utf-8")


def write_table_zips(folder: Path, info: Build, frames: Mapping[str, pd.DataFrame]) -> None:
    """zip/<table>.zip for every table: the CSV, `<table>.metadata.json` and README.md."""
    (folder / ZIP_DIR).mkdir()
    for name, table in schema.tables().items():
        sources = table_sources(name, frames)
        members = [
            (table.path, (folder / table.path).read_bytes()),
            (f"{name}.metadata.json", _json(table_metadata(name, info, sources)).encode()),
            ("README.md", table_readme(name, info, sources, len(frames[name])).encode()),
        ]
        write_zip(folder / ZIP_DIR / f"{name}.zip", members, info.date)


def write_bundle(folder: Path, info: Build) -> None:
    """The everything zip: every file written so far but the per-table zips, under `evsupply-data-<version>/`."""
    top = bundle_name(info.version).removesuffix(".zip")
    members = [
        (f"{top}/{name}", (folder / name).read_bytes()) for name in files_of(folder) if not name.startswith(ZIP_DIR)
    ]
    write_zip(folder / bundle_name(info.version), members, info.date)


def _replace(built: Path, target: Path) -> None:
    """Put the built folder at `target`, replacing an earlier release there (never any other folder)."""
    if target.exists():
        if not (target / COMMIT_FILE).is_file():
            raise ReleaseError(f"{target} exists and is not an evsupply release (no {COMMIT_FILE}): not replaced")
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
        built.rename(target)
        shutil.rmtree(old)
    else:
        built.rename(target)


def build(out: str | Path | None = None, data_dir: str | Path | None = None, since: str | None = None) -> Path:
    """Build the release of the data folder into `<out>/<data version>/` and return that folder.

    `since` is the revision the notes compare with (default: the newest earlier `data-v*` tag, else none)."""
    # Load inputs: the validated tables and the facts of the build
    info = build_info(data_dir, since)
    frames = plain_frames(info.data_dir)
    source_count = len(frames["sources"])
    parquet = parquet_missing()
    target = release_dir(info.version, out)
    work = target.with_name(f".{target.name}.building")
    shutil.rmtree(work, ignore_errors=True)

    # Save outputs: every format, then the zips, then the checksums of it all
    try:
        write_package(work, info, parquet)
        write_sqlite(work / SQLITE_FILE, frames, metadata_rows(info, source_count, parquet or "included"))
        if not parquet:
            (work / PARQUET_DIR).mkdir()
            for name, table in schema.tables().items():
                write_parquet(work / PARQUET_DIR / f"{name}.parquet", frames[name], table)
        (work / NOTES_FILE).write_text(notes_for(info), encoding="utf-8")
        (work / "CITATION.cff").write_text(citation_cff(info), encoding="utf-8")
        (work / ".zenodo.json").write_text(_json(zenodo_metadata(info, source_count)), encoding="utf-8")
        (work / COMMIT_FILE).write_text(commit_text(info), encoding="utf-8")
        (work / "README.md").write_text(release_readme(info, parquet), encoding="utf-8")
        write_bundle(work, info)
        write_table_zips(work, info, frames)
        (work / SUMS_FILE).write_text(sha256sums(work), encoding="utf-8")
        _replace(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def release_summary(folder: Path) -> str:
    """A few lines on a built release: its folder, its files by kind with sizes, and whether Parquet is in it."""
    sizes: dict[str, list[int]] = {}
    for name in files_of(folder):
        group = name.split("/")[0] + "/" if "/" in name else ("*.csv" if name.endswith(".csv") else name)
        sizes.setdefault(group, []).append((folder / name).stat().st_size)
    lines = [f"wrote {folder}"]
    lines += [
        f"  {group}: {len(s)} file{'s' if len(s) != 1 else ''}, {sum(s) / 1024:.0f} KiB" for group, s in sizes.items()
    ]
    note = json.loads((folder / schema.DESCRIPTOR).read_text(encoding="utf-8"))["evsupply_release"]["parquet"]
    if note.startswith("left out"):
        lines.append(f"  Parquet {note}")
    return "\n".join(lines)
