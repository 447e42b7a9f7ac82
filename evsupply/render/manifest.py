"""The report manifest (`notebooks/reports.yml`): which notebooks to render, with which parameters.

Format (YAML)::

    defaults:                      # optional; every report starts from these keys
      show_code: false
    reports:
      - name: data_overview        # unique; the report is written to <out>/<name>.html
        notebook: data_overview.ipynb   # relative to the manifest's folder
        title: Data overview       # shown in the report list (default: the name)
        parameters:                # papermill parameters; names must exist in the notebook's parameters cell
          as_of: "2025-12-01"
        show_code: false           # optional: include the code cells in the HTML (default false)
        timeout: 600               # optional: seconds a cell may run (default: no limit)
      - name: flows                # `matrix` expands into one report per combination of values:
        notebook: flows.ipynb      # flows-krpus-usa, flows-krpus-can, ... (values joined to the name)
        parameters: {year: 2025}
        matrix:
          origin_port: [KRPUS, CNNGB]
          market: [USA, CAN]

Names are lower-case letters, digits, '-' and '_'. Parameter values are YAML values, so lists and
mappings pass through with their types (unlike `papermill -p`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evsupply.errors import EvsupplyError

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
REPORT_KEYS = {"name", "notebook", "title", "parameters", "show_code", "timeout", "matrix"}


class ManifestError(EvsupplyError, ValueError):
    """The report manifest is malformed; the message names the file, the report and the key."""


@dataclass(frozen=True)
class Report:
    """One report to render: a notebook with one parameter set."""

    name: str
    notebook: Path
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)
    show_code: bool = False
    timeout: int | None = None


def load_manifest(path: str | Path) -> list[Report]:
    """Read and check a manifest; return its reports in order (matrices expanded)."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ManifestError(f"{path}: cannot read the manifest: {exc}") from exc
    if not isinstance(raw, Mapping) or not isinstance(raw.get("reports"), list):
        raise ManifestError(f"{path}: expected a mapping with a 'reports' list")
    unknown_top = set(raw) - {"defaults", "reports"}
    if unknown_top:
        raise ManifestError(f"{path}: unknown top-level key(s) {sorted(unknown_top)}; expected 'defaults', 'reports'")
    defaults = raw.get("defaults") or {}
    reports: list[Report] = []
    for i, entry in enumerate(raw["reports"]):
        if not isinstance(entry, Mapping):
            raise ManifestError(f"{path}: reports[{i}] is not a mapping")
        reports.extend(_expand(path, i, {**defaults, **entry}))
    seen: set[str] = set()
    for report in reports:
        if report.name in seen:
            raise ManifestError(f"{path}: report name {report.name!r} is used twice")
        seen.add(report.name)
    return reports


def _expand(path: Path, i: int, entry: dict[str, Any]) -> list[Report]:
    where = f"{path}: reports[{i}] ({entry.get('name', '?')})"
    unknown = set(entry) - REPORT_KEYS
    if unknown:
        raise ManifestError(f"{where}: unknown key(s) {sorted(unknown)}; expected some of {sorted(REPORT_KEYS)}")
    for key in ("name", "notebook"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ManifestError(f"{where}: '{key}' is required and must be a string")
    if not NAME_RE.match(entry["name"]):
        raise ManifestError(f"{where}: name must match {NAME_RE.pattern}")
    parameters = entry.get("parameters") or {}
    matrix = entry.get("matrix") or {}
    if not isinstance(parameters, Mapping) or not isinstance(matrix, Mapping):
        raise ManifestError(f"{where}: 'parameters' and 'matrix' must be mappings")
    if not all(isinstance(v, list) and v for v in matrix.values()):
        raise ManifestError(f"{where}: every 'matrix' entry must be a non-empty list of values")
    timeout = entry.get("timeout")
    if timeout is not None and (not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0):
        raise ManifestError(f"{where}: 'timeout' must be a positive number of seconds")
    notebook = (path.parent / entry["notebook"]).resolve()
    if not notebook.is_file():
        raise ManifestError(f"{where}: notebook {entry['notebook']!r} not found (looked for {notebook})")
    base_title = str(entry.get("title") or entry["name"])
    combos = list(itertools.product(*matrix.values())) if matrix else [()]
    out = []
    for combo in combos:
        chosen = dict(zip(matrix, combo, strict=True))
        suffix = "".join("-" + _slug(v) for v in combo)
        title = base_title + (" (" + ", ".join(f"{k}={v}" for k, v in chosen.items()) + ")" if chosen else "")
        out.append(
            Report(
                name=entry["name"] + suffix,
                notebook=notebook,
                title=title,
                parameters={**parameters, **chosen},
                show_code=bool(entry.get("show_code", False)),
                timeout=timeout,
            )
        )
    return out


def _slug(value: Any) -> str:
    return re.sub(r"[^a-z0-9_]+", "-", str(value).lower()).strip("-") or "x"
