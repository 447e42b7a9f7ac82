"""The one schema: read `datapackage.json` and describe its tables and fields."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from evsupply.errors import DataError, Problem
from evsupply.paths import data_dir

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Table:
    """One resource of the data package: its file, fields and keys."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[dict[str, Any], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]

    @property
    def field_names(self) -> list[str]:
        """Column names in schema order."""
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        """The schema entry of one column."""
        return next(f for f in self.fields if f["name"] == name)


def descriptor_path(path: str | Path | None = None) -> Path:
    """Path of `datapackage.json` in the data folder."""
    return data_dir(path) / DESCRIPTOR


def read_descriptor(path: str | Path | None = None) -> dict[str, Any]:
    """Parse the data package descriptor, or raise DataError naming the file."""
    file = descriptor_path(path)
    return _read_descriptor(str(file), file.stat().st_mtime_ns if file.exists() else 0)


@cache
def _read_descriptor(file: str, _mtime: int) -> dict[str, Any]:
    try:
        with open(file, encoding="utf-8") as handle:
            descriptor = json.load(handle)
    except FileNotFoundError:
        raise DataError([Problem(file, "descriptor", "the data package descriptor is missing")]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise DataError([Problem(file, "descriptor", f"not valid UTF-8 JSON: {exc}", line=line)]) from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError([Problem(file, "descriptor", "expected an object with a 'resources' list")])
    return descriptor


def tables(path: str | Path | None = None) -> dict[str, Table]:
    """Every table the schema declares, by name, in declaration order."""
    out: dict[str, Table] = {}
    for res in read_descriptor(path)["resources"]:
        schema = res.get("schema", {})
        out[res["name"]] = Table(
            name=res["name"],
            path=res["path"],
            title=res.get("title", res["name"]),
            description=res.get("description", ""),
            fields=tuple(schema.get("fields", [])),
            primary_key=tuple(schema.get("primaryKey", [])),
            foreign_keys=tuple(schema.get("foreignKeys", [])),
        )
    return out


def data_dictionary(path: str | Path | None = None) -> str:
    """Render the data dictionary (every table and column) as Markdown."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `data/datapackage.json` by `evsupply dictionary`; do not edit by hand.",
        "",
    ]
    for table in tables(path).values():
        lines += [f"## `{table.name}`: {table.title}", "", table.description, ""]
        lines.append(f"File `data/{table.path}`; primary key ({', '.join(table.primary_key)}).")
        for fk in table.foreign_keys:
            ref = fk["reference"]
            lines.append(f"`{', '.join(fk['fields'])}` → `{ref['resource']}.{', '.join(ref['fields'])}`.")
        lines += ["", "| column | type | required | constraints | description |", "|---|---|---|---|---|"]
        for field in table.fields:
            cons = dict(field.get("constraints", {}))
            required = "yes" if cons.pop("required", False) else ""
            shown = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in cons.items())
            desc = field.get("description", "").replace("|", "\\|")
            shown = shown.replace("|", "\\|")
            lines.append(f"| `{field['name']}` | {field['type']} | {required} | {shown} | {desc} |")
        lines.append("")
    return "\n".join(lines)
