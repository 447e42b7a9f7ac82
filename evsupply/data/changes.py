"""What a data update changed: the rows added, changed and removed since a git revision, by primary key.

A change is one row of a frame with the columns `COLUMNS`:

- `table`, `change` ("added", "removed" or "changed"), then what changed, from the widest to the narrowest:
  the whole table (`key` and `column` empty), a whole column (`key` empty), a whole row (`column` empty) or one
  cell (`key`, `column`, `old`, `new`: the text of the CSV cells; "" is an empty cell).
- `key` is the row's primary key (the columns of the table's key now, joined by "|").
- A column the old file lacks has its non-empty cells of kept rows reported as changed from `NEW_COLUMN`;
  a removed (or renamed: the two look alike) column is reported once, not cell by cell.
- In a table of vintaged figures (`REVISION_KEYS`: `trade_statistics`), a new row for a series and period that
  the old table already had is not a new fact: it is "revised" (one change per figure that differs, `old` being
  the figure of the latest earlier release) or, when no figure differs, "restated".
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from evsupply.core.io import spreadsheet_safe
from evsupply.core.paths import data_dir as resolve_data_dir
from evsupply.data.schema import tables as schema_tables
from evsupply.errors import EvsupplyError, ParameterError

COLUMNS = ["table", "change", "key", "column", "old", "new"]
NEW_COLUMN = "(new column)"
KEY_SEPARATOR = "|"
NO_VERSION = "(none)"
# Tables whose rows are vintages of one figure: the columns naming the figure, the release date, the figures.
REVISION_KEYS = {"trade_statistics": ("series_id", "period_start", "period_end")}
RELEASE_COLUMN = "release_date"
FIGURE_COLUMNS = ("vehicles_count", "trade_value_amount", "share_pct")


class ChangesError(EvsupplyError):
    """The data cannot be compared with a revision: not in a git repository, unknown revision, unreadable table."""


# --- git ---------------------------------------------------------------------------------------------------


class _GitFailed(ChangesError):
    pass


def _git(folder: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise ChangesError("git not found: comparing with a revision needs git on the PATH") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _GitFailed(lines[-1] if lines else f"git {args[0]} failed")
    return done.stdout


def resolve(folder: Path, since: str) -> str:
    """The commit `since` names in the git repository holding `folder` (a ChangesError says why if none)."""
    if not folder.is_dir():
        raise ChangesError(f"data folder not found: {folder}")
    try:
        _git(folder, "rev-parse", "--show-prefix")
    except _GitFailed:
        raise ChangesError(f"{folder} is not inside a git repository: nothing to compare with") from None
    try:
        named = _git(folder, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{since}^{{commit}}")
    except _GitFailed:
        raise ChangesError(f"unknown revision {since!r} in the git repository of {folder}") from None
    return named.decode().strip()


def _files_at(folder: Path, commit: str) -> set[str]:
    """The names of the files directly in `folder` at `commit`."""
    listing = _git(folder, "ls-tree", "-z", "--name-only", commit, "--", ".").decode("utf-8", "replace")
    return {Path(name).name for name in listing.split("\0") if name}


def _show(folder: Path, commit: str, name: str) -> str:
    return _git(folder, "show", f"{commit}:./{name}").decode("utf-8", "replace")


# --- compare -----------------------------------------------------------------------------------------------


def read_text_table(text: str, where: str) -> pd.DataFrame:
    """A CSV text as a frame of text cells ("" for an empty cell)."""
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except pd.errors.ParserError as exc:
        raise ChangesError(f"{where}: not a readable CSV file ({' '.join(str(exc).split())})") from None


def _read_now(file: Path) -> pd.DataFrame | None:
    """The table file as it is now, None if there is none."""
    if not file.is_file():
        return None
    try:
        return read_text_table(file.read_text(encoding="utf-8"), str(file))
    except (OSError, UnicodeDecodeError) as exc:
        raise ChangesError(f"{file}: cannot be read ({exc})") from None


def _keyed(frame: pd.DataFrame, key: Sequence[str], where: str) -> pd.DataFrame:
    """`frame` indexed by its primary key as text; a missing key column counts as empty; a repeated key fails."""
    parts = [frame[c].astype(str) if c in frame.columns else pd.Series("", index=frame.index) for c in key]
    index = parts[0].str.cat(parts[1:], sep=KEY_SEPARATOR) if parts else frame.index.astype(str)
    keyed = frame.set_axis(pd.Index(index, dtype=str, name="key"), axis=0)
    repeated = keyed.index[keyed.index.duplicated()].unique().tolist()
    if repeated:
        raise ChangesError(
            f"{where}: primary key ({', '.join(key)}) repeats {', '.join(map(repr, repeated[:5]))}"
            f"{' ...' if len(repeated) > 5 else ''}; rows cannot be matched"
        )
    return keyed


def compare_table(
    name: str, old: pd.DataFrame | None, new: pd.DataFrame | None, key: Sequence[str], since: str = "the revision"
) -> pd.DataFrame:
    """The changes (see the module docstring) from `old` to `new` text frames of one table; None = no such table."""
    rows: list[tuple[str, str, str, str, str, str]] = []
    if old is None and new is None:
        return pd.DataFrame(rows, columns=COLUMNS)
    if old is None or new is None:
        change, frame, where = ("added", new, f"{name} now") if old is None else ("removed", old, f"{name} at {since}")
        rows.append((name, change, "", "", "", ""))
        rows += [(name, change, k, "", "", "") for k in _keyed(frame, key, where).index]
        return pd.DataFrame(rows, columns=COLUMNS)

    before, after = _keyed(old, key, f"{name} at {since}"), _keyed(new, key, f"{name} now")
    new_columns = [c for c in after.columns if c not in before.columns]
    rows += [(name, "added", "", c, "", "") for c in new_columns]
    rows += [(name, "removed", "", c, "", "") for c in before.columns if c not in after.columns]
    rows += [(name, "added", k, "", "", "") for k in after.index.difference(before.index, sort=False)]
    rows += [(name, "removed", k, "", "", "") for k in before.index.difference(after.index, sort=False)]

    kept = after.index.intersection(before.index, sort=False)
    now = after.loc[kept]
    then = before.loc[kept].reindex(columns=now.columns, fill_value=NEW_COLUMN)
    differs = then.ne(now) & ~(then.eq(NEW_COLUMN) & now.eq(""))  # an empty cell of a new column is no news
    for i, j in zip(*differs.to_numpy().nonzero(), strict=True):
        rows.append((name, "changed", kept[i], now.columns[j], then.iat[i, j], now.iat[i, j]))
    if name in REVISION_KEYS:
        rows = _revisions(rows, before, after, REVISION_KEYS[name])
    return pd.DataFrame(rows, columns=COLUMNS)


def _revisions(rows: list[tuple[str, ...]], before: pd.DataFrame, after: pd.DataFrame, point: Sequence[str]) -> list:
    """`rows` with each added row that is a later vintage of a figure the old table had turned into "revised"
    changes (one per figure that differs from the latest earlier release) or one "restated" change."""
    if any(c not in before.columns or c not in after.columns for c in point):
        return rows
    parts = [before[c].astype(str) for c in point]
    earlier = before.assign(_point=parts[0].str.cat(parts[1:], sep=KEY_SEPARATOR))
    out = []
    for row in rows:
        name, change, key, column = row[:4]
        if change != "added" or not key or column:
            out.append(row)
            continue
        new = after.loc[key]
        olds = earlier[earlier["_point"] == KEY_SEPARATOR.join(str(new[c]) for c in point)]
        if olds.empty:
            out.append(row)
            continue
        old = olds.sort_values(RELEASE_COLUMN, kind="stable").iloc[-1] if RELEASE_COLUMN in olds else olds.iloc[-1]
        figures = [c for c in FIGURE_COLUMNS if c in after.columns and c in olds and old[c] != new[c]]
        out += [(name, "revised", key, c, old[c], new[c]) for c in figures] or [(name, "restated", key, "", "", "")]
    return out


def _old_keys(folder: Path, commit: str, files: set[str]) -> tuple[dict[str, tuple[str, ...]], str]:
    """The tables at `commit` (name -> primary key, from its datapackage.json; else every `*.csv`, key unknown)
    and the data version it declares."""
    if "datapackage.json" not in files:
        return {Path(f).stem: () for f in files if f.endswith(".csv")}, NO_VERSION
    try:
        package = json.loads(_show(folder, commit, "datapackage.json"))
        keys = {r["name"]: tuple(r.get("schema", {}).get("primaryKey") or ()) for r in package.get("resources", [])}
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ChangesError(f"datapackage.json at {commit[:12]}: not a readable data package") from None
    return keys, str(package.get("version", NO_VERSION))


def data_versions(data_dir: str | Path | None, since: str) -> tuple[str, str]:
    """The data version declared in `datapackage.json` at `since` and now ("(none)" where there is none)."""
    folder = resolve_data_dir(data_dir)
    commit = resolve(folder, since)
    _, then = _old_keys(folder, commit, _files_at(folder, commit))
    try:
        now = str(json.loads((folder / "datapackage.json").read_text(encoding="utf-8")).get("version", NO_VERSION))
    except (OSError, ValueError, AttributeError):
        now = NO_VERSION
    return then, now


def changes(since: str, data_dir: str | Path | None = None, tables: Sequence[str] | None = None) -> pd.DataFrame:
    """Every change (see the module docstring) to the tables of `data_dir` since the git revision `since`."""
    # Load inputs: the tables now (the schema's) and at the revision (its datapackage.json's)
    folder = resolve_data_dir(data_dir)
    commit = resolve(folder, since)
    files = _files_at(folder, commit)
    old_keys, _ = _old_keys(folder, commit, files)
    keys = {t.name: t.primary_key for t in schema_tables().values()}
    keys.update({n: k for n, k in old_keys.items() if n not in keys})
    chosen = list(keys) if tables is None else list(tables)
    unknown = [n for n in chosen if n not in keys]
    if unknown:
        raise ParameterError("--table", f"no table named {', '.join(unknown)} now or at {since}", sorted(keys))

    # Process data: compare each table's text cells, row by primary key
    found = []
    for name in chosen:
        file = f"{name}.csv"
        new = _read_now(folder / file)
        old = read_text_table(_show(folder, commit, file), f"{file} at {since}") if file in files else None
        either = new if new is not None else old
        if either is not None:
            key = keys[name] or tuple(either.columns[:1])  # a table only an old folder without a schema had
            found.append(compare_table(name, old, new, key, since))
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=COLUMNS)


# --- report ------------------------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def format_text(
    found: pd.DataFrame, since: str, versions: tuple[str, str] | None = None, compared: Sequence[str] = ()
) -> str:
    """The changes as text: the data versions, a header per changed table (counts), then one line per row added
    or removed and per cell changed (`key: column: 'old' -> 'new'`); last, the `compared` tables left unchanged."""
    lines = [f"changes since {since}" + (f" (data version {versions[0]} then, {versions[1]} now)" if versions else "")]
    for name, table in found.groupby("table", sort=False):
        whole = table[table["key"].eq("") & table["column"].eq("")]
        columns = table[table["key"].eq("") & table["column"].ne("")]
        rows = table[table["key"].ne("") & table["column"].eq("")]
        cells = table[table["change"].eq("changed")]
        revised = table[table["change"].isin(["revised", "restated"])]
        added, removed = rows[rows["change"].eq("added")], rows[rows["change"].eq("removed")]
        status = "" if whole.empty else {"added": "new table: ", "removed": "removed table: "}[whole["change"].iloc[0]]
        lines += [
            "",
            f"{name}: {status}{_plural(len(added), 'row')} added, {len(removed)} removed, "
            f"{cells['key'].nunique()} changed ({_plural(len(cells), 'cell')})"
            + (
                f", {revised['key'].nunique()} revised or restated (new vintages of known figures)"
                if len(revised)
                else ""
            ),
        ]
        for change, label in (("added", "new columns"), ("removed", "removed or renamed columns")):
            listed = columns.loc[columns["change"].eq(change), "column"].tolist()
            if listed:
                lines.append(f"  {label}: {', '.join(listed)}")
        lines += [f"  added {k}" for k in added["key"]] + [f"  removed {k}" for k in removed["key"]]
        lines += [
            f"  {r.key}: {r.column}: {r.old if r.old == NEW_COLUMN else repr(r.old)} -> {r.new!r}"
            for r in cells.itertuples()
        ]
        lines += [
            f"  revised {r.key}: {r.column}: {r.old!r} -> {r.new!r}" if r.change == "revised" else f"  restated {r.key}"
            for r in revised.itertuples()
        ]
    unchanged = [n for n in compared if n not in set(found["table"])]
    if unchanged:
        lines += ["", f"unchanged: {', '.join(unchanged)}"]
    return "\n".join(lines) + "\n"


# --- command line ------------------------------------------------------------------------------------------


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `changes` to the `evsupply` command's subparsers."""
    p = subparsers.add_parser("changes", help="list the rows added, changed and removed since a git revision")
    p.add_argument("--since", required=True, metavar="REV", help="git revision to compare with (commit, tag...)")
    p.add_argument("--data-dir", help="data folder, inside a git repository (default: the repository's data/)")
    p.add_argument("--table", nargs="+", metavar="NAME", help="compare only these tables (default: all)")
    p.add_argument(
        "--format",
        choices=("text", "csv"),
        default="text",
        help="text (default) or csv: one row per change (table, change, key, column, old, new)",
    )
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run `evsupply changes`: print the changes; exit status 1 (one-line error) if they cannot be computed."""
    try:
        found = changes(args.since, args.data_dir, args.table)
        if args.format == "csv":
            sys.stdout.write(spreadsheet_safe(found).to_csv(index=False, lineterminator="\n"))
        else:
            compared = args.table or list(dict.fromkeys([*schema_tables(), *found["table"]]))
            sys.stdout.write(format_text(found, args.since, data_versions(args.data_dir, args.since), compared))
    except EvsupplyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """`evsupply changes` on its own: parse `argv` (without the subcommand name) and run."""
    parser = argparse.ArgumentParser(prog="evsupply")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(["changes", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    sys.exit(main())
