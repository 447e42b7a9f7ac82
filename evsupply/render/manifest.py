"""The report manifest (`notebooks/reports.yml`): which notebooks to render, with which parameters.

Format (YAML)::

    on_date: "2026-12-08"          # optional: the edition's day (default: the day of the render, `date.today()`)
    defaults:                      # optional; every report starts from these keys
      show_code: false
    reports:
      - name: data_overview        # unique; the report is written to <out>/<name>.html
        notebook: data_overview.ipynb   # relative to the manifest's folder
        title: Data overview       # shown in the report list (default: the name)
        question: The data itself  # optional: the index groups reports under the question they answer
        parameters:                # papermill parameters; names must exist in the notebook's parameters cell
          as_of: "2025-12-01"
        show_code: false           # optional: include the code cells in the HTML (default false)
        timeout: 600               # optional: seconds a cell may run (default: DEFAULT_TIMEOUT_S, 600)
      - name: flows                # `matrix` expands into one report per combination of values:
        notebook: flows.ipynb      # flows-krpus-usa, flows-krpus-can, ... (values joined to the name)
        title: "Flows: {name}"     # {name}: the human names of the matrix values (else appended after ": ")
        parameters: {year: 2025}
        matrix:
          origin_port: [KRPUS, CNNGB]
          market: [USA, CAN]
      - name: brief                # a matrix over every id of a data table's column, in file order:
        notebook: brief.ipynb      # brief-<case_id> for each row of data/cases.csv (never a hand-kept list)
        matrix:
          case: {from: cases, column: case_id}

One day: every report is read on the edition's day. A notebook that declares a day parameter (`on_date` or
`as_of`) gets it unless the report sets that parameter itself, and the text `{on_date}` inside any string value
(e.g. one of market access's `dates`) becomes the day. The notebooks' own defaults stay fixed dates, so the stored
outputs that nbval compares do not change with the calendar; only the render passes the render day.

Names are lower-case letters, digits, '-' and '_' (at most 100 characters; `index` is the site's own page).
Parameter values are YAML values, so lists and mappings pass through with their types (unlike `papermill -p`);
they must be plain data (strings, numbers, booleans, null, lists, mappings): an unquoted date such as
`2025-12-01` is a YAML date, refused with a message saying to quote it. A matrix report's title names its values
for people: an id parameter (`company`, `origin`, `plant`, `model`, `markets`, ...) by the name the data gives it
("Who controls the builders of a case: BYD", not "(company=byd)"). Every problem is a `ManifestError`
whose one-line message names the file, the report and the key; nothing is rendered from a broken manifest.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import keyword
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from evsupply.core.paths import data_dir
from evsupply.errors import EvsupplyError
from evsupply.pages.spec import data_column_values, matrix_slug, matrix_variants

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_NAME_LENGTH = 100  # <name>.html and its temporary names must fit a file name (255 bytes)
RESERVED_NAMES = {"index", "sources", "changes"}  # the site's own pages: the report list, every source, what changed
REPORT_KEYS = {"name", "notebook", "title", "question", "parameters", "show_code", "timeout", "matrix"}
DEFAULT_KEYS = REPORT_KEYS - {"name"}
TOP_KEYS = ("on_date", "defaults", "reports")
# The parameters that name the day a report is read on; a notebook declaring one gets the edition's day.
DAY_PARAMETERS = ("on_date", "as_of")
DAY_PLACEHOLDER = "{on_date}"
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A cell that runs longer fails its report (not the render): a hung cell must not hang `make reports`. The
# slowest cell of the shipped reports takes a few seconds; the manifest's `timeout` key overrides it.
DEFAULT_TIMEOUT_S = 600
MAX_TIMEOUT_S = 7 * 24 * 3600


class ManifestError(EvsupplyError, ValueError):
    """The report manifest is malformed; the message names the file, the report and the key."""


# The site folder that holds the executed notebooks of the reports.
NOTEBOOKS_DIR = "notebooks"

# Report parameters whose values are ids: the table, id column and name column that name them in titles.
_PLANTS = ("plants", "plant_id", "plant_name")
_MARKETS = ("markets", "market_id", "market_name")
NAMED_PARAMETERS = {
    "company": ("companies", "company_id", "company_name"),
    "origin": _PLANTS,
    "plant": _PLANTS,
    "plants": _PLANTS,
    "compare_with": _PLANTS,
    "model": ("models", "model_id", "model_name"),
    "market": _MARKETS,
    "markets": _MARKETS,
    "case": ("cases", "case_id", "case_name"),
    "cases": ("cases", "case_id", "case_name"),
}


@cache
def _names(folder: Path, table: str, key: str, name: str) -> dict[str, str]:
    """Id -> name of one data table ({} when it cannot be read: a title then shows the id)."""
    try:
        with (folder / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            return {row[key]: row[name] for row in csv.DictReader(handle) if row.get(key) and row.get(name)}
    except (OSError, UnicodeDecodeError, KeyError, csv.Error):
        return {}


def human_value(parameter: str, value: Any) -> str:
    """A parameter's value as a title shows it: an id by its name in the data, a list item by item."""
    if isinstance(value, list):
        return ", ".join(human_value(parameter, v) for v in value) or "all"
    named = NAMED_PARAMETERS.get(parameter)
    if named is None or not isinstance(value, str):
        return str(value)
    return _names(data_dir(), *named).get(value, value)


def matrix_title(title: str, chosen: Mapping[str, Any]) -> str:
    """A matrix report's title: `{name}` in `title` replaced by the human names of its values, or them appended."""
    if not chosen:
        return title
    names = ", ".join(human_value(k, v) for k, v in chosen.items())
    return title.replace("{name}", names) if "{name}" in title else f"{title}: {names}"


@dataclass(frozen=True)
class Report:
    """One report to render: a notebook with one parameter set."""

    name: str
    notebook: Path
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)
    show_code: bool = False
    timeout: int = DEFAULT_TIMEOUT_S  # seconds a cell may run
    question: str = ""
    varies: str = ""  # for a report rendered with `-p` overrides: the manifest report it varies
    day: str = ""  # the edition's day (ISO), on which every report of the manifest is read

    @property
    def page(self) -> str:
        """The report's page, relative to the site folder."""
        return f"{self.name}.html"

    @property
    def executed(self) -> str:
        """The report's executed notebook, relative to the site folder (linked from its page)."""
        return f"{NOTEBOOKS_DIR}/{self.name}.ipynb"


def day_words(day: str) -> str:
    """An ISO day as a reader writes it: '8 December 2026' (the text itself when it is not a day)."""
    try:
        d = dt.date.fromisoformat(day)
    except ValueError:
        return day
    return f"{d.day} {d:%B %Y}"


def edition_day(path: Path, raw: Mapping[str, Any], on_date: str | dt.date | None) -> str:
    """The day the manifest's reports are read on: `on_date` (the CLI's --on-date), else the manifest's own
    `on_date:`, else today (the render day)."""
    if on_date is not None:
        return _check_day(f"{path}: --on-date", on_date)
    if raw.get("on_date") is not None:
        return _check_day(f"{path}: on_date", raw["on_date"])
    return dt.date.today().isoformat()


def _check_day(where: str, value: Any) -> str:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    try:
        if _DATE_RE.match(text):
            return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise ManifestError(f"{where}: {value!r} is not a day (YYYY-MM-DD)")


def load_manifest(path: str | Path, on_date: str | dt.date | None = None) -> list[Report]:
    """Read and check a manifest; return its reports in order (matrices expanded), each read on the edition's day
    (`on_date`, else the manifest's `on_date:`, else today)."""
    path = Path(path)
    raw = _read(path)
    if not isinstance(raw, Mapping) or "reports" not in raw:
        raise ManifestError(f"{path}: expected a mapping with a 'reports' list")
    unknown_top = set(raw) - set(TOP_KEYS)
    if unknown_top:
        raise ManifestError(
            f"{path}: unknown top-level key(s) {sorted(map(str, unknown_top))}; expected some of {list(TOP_KEYS)}"
        )
    day = edition_day(path, raw, on_date)
    if not isinstance(raw["reports"], list):
        raise ManifestError(f"{path}: 'reports' must be a list of reports, not {_kind(raw['reports'])}")
    if not raw["reports"]:
        raise ManifestError(f"{path}: 'reports' is empty: there is nothing to render")
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise ManifestError(f"{path}: 'defaults' must be a mapping of report keys, not {_kind(defaults)}")
    unknown = set(defaults) - DEFAULT_KEYS
    if unknown:
        raise ManifestError(
            f"{path}: defaults: unknown key(s) {sorted(map(str, unknown))}; expected some of {sorted(DEFAULT_KEYS)}"
        )
    reports: list[Report] = []
    for i, entry in enumerate(raw["reports"]):
        if not isinstance(entry, Mapping):
            raise ManifestError(f"{path}: reports[{i}] must be a mapping, not {_kind(entry)}")
        reports.extend(_expand(path, i, {**defaults, **entry}, day))
    seen: set[str] = set()
    for report in reports:
        if report.name in seen:
            raise ManifestError(f"{path}: report name {report.name!r} is used twice")
        seen.add(report.name)
    return reports


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: `*a` shares a value, and 8 levels of 10 make 10^8 leaves from 299
    bytes that every later walk (checks, papermill, records) visits (issue 26, F14). A manifest or parameter
    never needs one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "YAML aliases (*name) are not allowed: write the value out", event.start_mark
            )
        return super().compose_node(parent, index)


def safe_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, refusing aliases."""
    return yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader subclass: no arbitrary objects


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ManifestError(f"{path}: cannot read the manifest: {reason}") from exc
    try:
        return safe_yaml(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ManifestError(f"{where}: not valid YAML: {problem}") from exc


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", type(None): "empty"}.get(
        type(value), f"a YAML {type(value).__name__}"
    )


def _check_value(where: str, key: str, value: Any) -> None:
    """Raise unless `value` is plain data papermill can pass and the index can record (JSON values)."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ManifestError(f"{where}: {key}: {value} is not a finite number")
        return
    if isinstance(value, list):
        for i, item in enumerate(value):
            _check_value(where, f"{key}[{i}]", item)
        return
    if isinstance(value, Mapping):
        for k, item in value.items():
            if not isinstance(k, str):
                raise ManifestError(f"{where}: {key}: the key {k!r} must be a string (quote it)")
            _check_value(where, f"{key}.{k}", item)
        return
    if isinstance(value, dt.date):  # datetime too
        raise ManifestError(
            f"{where}: {key}: {value} is a YAML date, which a notebook parameter cannot be; "
            f'quote it: "{value.isoformat()}"'
        )
    raise ManifestError(f"{where}: {key}: {value!r} is {_kind(value)}; use a string, number, boolean, list or mapping")


def _check_names(where: str, key: str, mapping: Mapping[Any, Any]) -> None:
    for name in mapping:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise ManifestError(f"{where}: {key}: {name!r} is not a parameter name (a Python identifier)")


def _check_name(where: str, name: str) -> None:
    if not NAME_RE.match(name):
        raise ManifestError(f"{where}: name must match {NAME_RE.pattern}")
    if len(name) > MAX_NAME_LENGTH:
        raise ManifestError(f"{where}: name is {len(name)} characters long; at most {MAX_NAME_LENGTH}")
    if name in RESERVED_NAMES:
        raise ManifestError(f"{where}: name {name!r} is taken by the site's own page ({name}.html)")


def notebook_parameters(notebook: Path) -> tuple[str, ...]:
    """The names the notebook's `parameters` cell assigns (plain `name = literal` lines, as the specs write them)."""
    try:
        nb = json.loads(notebook.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return ()
    for cell in nb.get("cells", []):
        if "parameters" in (cell.get("metadata") or {}).get("tags", []):
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            return tuple(re.findall(r"^([A-Za-z_]\w*)\s*=", text, flags=re.MULTILINE))
    return ()


def with_day(parameters: Mapping[str, Any], declared: Sequence[str], day: str) -> dict[str, Any]:
    """The parameters read on `day`: the notebook's day parameters that the report leaves unset get it, and
    `{on_date}` in a string value becomes it."""

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(DAY_PLACEHOLDER, day)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, Mapping):
            return {k: fill(v) for k, v in value.items()}
        return value

    out = {k: fill(v) for k, v in parameters.items()}
    for name in DAY_PARAMETERS:
        if name in declared and name not in out:
            out[name] = day
    return out


def matrix_values(where: str, key: str, values: Any) -> list[Any]:
    """A matrix entry's values: a list as written, or `{from: TABLE, column: COLUMN}`, every value of that column
    of data/TABLE.csv in file order (so a case added to cases.csv gets its report without a manifest edit)."""
    if isinstance(values, list):
        return values
    if isinstance(values, Mapping) and set(values) == {"from", "column"}:
        table, column = str(values["from"]), str(values["column"])
        if not re.fullmatch(r"[a-z][a-z0-9_]*", table):
            raise ManifestError(f"{where}: matrix: {key}: 'from' must name a data table (e.g. cases), not {table!r}")
        found = data_column_values(table, column)
        if found is None:
            raise ManifestError(f"{where}: matrix: {key}: data/{table}.csv has no column {column!r} (or is unreadable)")
        if not found:
            raise ManifestError(f"{where}: matrix: {key}: data/{table}.csv has no {column} values")
        return found
    raise ManifestError(f"{where}: matrix: {key} must be a non-empty list of values or {{from: TABLE, column: COLUMN}}")


def _expand(path: Path, i: int, entry: dict[str, Any], day: str = "") -> list[Report]:
    where = f"{path}: reports[{i}] ({str(entry.get('name', '?'))[:MAX_NAME_LENGTH]})"
    unknown = set(entry) - REPORT_KEYS
    if unknown:
        raise ManifestError(
            f"{where}: unknown key(s) {sorted(map(str, unknown))}; expected some of {sorted(REPORT_KEYS)}"
        )
    for key in ("name", "notebook"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ManifestError(f"{where}: '{key}' is required and must be a string")
    _check_name(where, entry["name"])
    parameters = entry.get("parameters") or {}
    matrix = entry.get("matrix") or {}
    if not isinstance(parameters, Mapping) or not isinstance(matrix, Mapping):
        raise ManifestError(f"{where}: 'parameters' and 'matrix' must be mappings")
    _check_names(where, "parameters", parameters)
    _check_names(where, "matrix", matrix)
    _check_value(where, "parameters", dict(parameters))
    matrix = {k: matrix_values(where, k, v) for k, v in matrix.items()}
    if not all(isinstance(v, list) and v for v in matrix.values()):
        raise ManifestError(f"{where}: every 'matrix' entry must be a non-empty list of values")
    _check_value(where, "matrix", dict(matrix))
    show_code = entry.get("show_code", False)
    if not isinstance(show_code, bool):
        raise ManifestError(f"{where}: 'show_code' must be true or false (unquoted), not {show_code!r}")
    timeout = entry.get("timeout", DEFAULT_TIMEOUT_S)
    if not isinstance(timeout, int) or isinstance(timeout, bool) or not 0 < timeout <= MAX_TIMEOUT_S:
        raise ManifestError(
            f"{where}: 'timeout' must be a whole number of seconds from 1 to {MAX_TIMEOUT_S}, not {timeout!r}"
        )
    question = entry.get("question", "")
    if not isinstance(question, str):
        raise ManifestError(f"{where}: 'question' must be a string, not {_kind(question)}")
    title = entry.get("title")
    if title is not None and not isinstance(title, str | int | float):
        raise ManifestError(f"{where}: 'title' must be a string, not {_kind(title)}")
    notebook = (path.parent / entry["notebook"]).resolve()
    if not notebook.is_file():
        raise ManifestError(f"{where}: notebook {entry['notebook']!r} not found (looked for {notebook})")
    base_title = str(title if title is not None and title != "" else entry["name"])
    declared = notebook_parameters(notebook)
    out = []
    for name, chosen in matrix_variants(entry["name"], matrix):
        _check_name(f"{path}: reports[{i}] ({name[:MAX_NAME_LENGTH]})", name)
        title = matrix_title(base_title, chosen)
        out.append(
            Report(
                name=name,
                notebook=notebook,
                title=title,
                parameters=with_day({**parameters, **chosen}, declared, day) if day else {**parameters, **chosen},
                show_code=show_code,
                timeout=timeout,
                question=question,
                day=day,
            )
        )
    return out


def with_overrides(report: Report, overrides: Sequence[str]) -> Report:
    """`report` with parameters set from `KEY=VALUE` strings (YAML values), under a derived name and title:
    `flows_busan--year-2027` for `-p year=2027`. The manifest itself is not changed."""
    where = f"-p ({report.name})"
    values: dict[str, Any] = {}
    for item in overrides:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ManifestError(f"{where}: {item!r} is not KEY=VALUE (e.g. -p year=2027 or -p 'markets=[USA]')")
        try:
            value = safe_yaml(text) if text.strip() else ""
        except yaml.YAMLError as exc:
            raise ManifestError(f"{where}: {key}: {text!r} is not a YAML value ({str(exc).splitlines()[0]})") from None
        _check_names(where, "parameters", {key: value})
        _check_value(where, key, value)
        values[key] = value
    suffix = "--" + "-".join(f"{matrix_slug(k)}-{matrix_slug(v)}" for k, v in values.items())
    name = report.name + suffix
    _check_name(where, name)
    shown = ", ".join(f"{k}={human_value(k, v)}" for k, v in values.items())
    return replace(
        report,
        name=name,
        title=f"{report.title} ({shown})",
        parameters={**report.parameters, **values},
        varies=report.name,
    )


def check_variant_name(site: Path, report: Report) -> None:
    """Refuse a `-p` variant whose page name is already the page of a variant with other parameters: names fold
    case and punctuation (`Plan` and `plan` both give `-plan-`), and the second would silently replace the first
    (issue 26, F7)."""
    try:
        records = json.loads((Path(site) / ".evsupply" / "records.json").read_text(encoding="utf-8"))["records"]
        earlier = next((r for r in records if isinstance(r, dict) and r.get("name") == report.name), None)
    except (OSError, ValueError, KeyError, TypeError):
        return
    if earlier is None or not isinstance(earlier.get("parameters"), dict):
        return
    wanted = json.loads(json.dumps(report.parameters, default=str))
    if earlier["parameters"] != wanted:
        raise ManifestError(
            f"-p ({report.varies or report.name}): the page name {report.name!r} is taken in {site} by a variant "
            f"rendered with other parameters ({earlier['parameters']!r}); names ignore case and punctuation, so "
            "choose values that differ in letters or digits, or render into another --out"
        )


def earlier_variants(site: Path, listed: Sequence[Report], manifest: Path) -> list[Report]:
    """Reports rendered earlier into `site` with `-p` overrides (their records name a manifest report they vary),
    so the index keeps listing them beside the manifest's."""
    try:
        records = json.loads((Path(site) / ".evsupply" / "records.json").read_text(encoding="utf-8"))["records"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    by_name = {r.name: r for r in listed}
    out = []
    for name, record in records.items():
        base = by_name.get(str(record.get("varies") or ""))
        if name in by_name or base is None or not isinstance(record.get("parameters"), dict):
            continue
        out.append(
            replace(base, name=name, title=str(record.get("title") or name), parameters=dict(record["parameters"]))
        )
    return out
