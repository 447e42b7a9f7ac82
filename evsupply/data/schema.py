"""The one schema, built from `evsupply.data.metadata`: tables, the Frictionless descriptor, typing, the dictionary."""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from evsupply.data.metadata import FIELDS, PACKAGE, RESOURCES, Resource

DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class Table:
    """One table of the data package: its file, fields (Table Schema dicts) and keys."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[dict[str, Any], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[dict[str, Any], ...]

    @property
    def field_names(self) -> list[str]:
        """Column names in file order."""
        return [f["name"] for f in self.fields]

    def field(self, name: str) -> dict[str, Any]:
        """The schema entry of one column."""
        return next(f for f in self.fields if f["name"] == name)

    def resource(self) -> dict[str, Any]:
        """This table as a Frictionless tabular data resource."""
        return {
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": self.title,
            "description": self.description,
            "schema": {
                "fields": list(self.fields),
                "primaryKey": list(self.primary_key),
                "foreignKeys": list(self.foreign_keys),
            },
        }


def _field_entry(name: str, required: bool) -> dict[str, Any]:
    spec = FIELDS[name]
    constraints = {"required": True, **spec.constraints} if required else dict(spec.constraints)
    entry: dict[str, Any] = {"name": name, "type": spec.type, "description": spec.description}
    if constraints:
        entry["constraints"] = constraints
    return entry


def _table(res: Resource) -> Table:
    return Table(
        name=res.name,
        path=res.path,
        title=res.title,
        description=res.description,
        fields=tuple(_field_entry(n, n in res.required) for n in res.fields),
        primary_key=res.primary_key,
        foreign_keys=tuple(
            {"fields": [col], "reference": {"resource": table, "fields": [ref]}} for col, table, ref in res.foreign_keys
        ),
    )


@cache
def tables() -> dict[str, Table]:
    """Every table of the schema, by name, in declaration order."""
    return {res.name: _table(res) for res in RESOURCES}


def descriptor() -> dict[str, Any]:
    """The Frictionless data package descriptor (what `data/datapackage.json` holds)."""
    return {**PACKAGE, "resources": [t.resource() for t in tables().values()]}


def descriptor_text() -> str:
    """`descriptor()` as the text of `datapackage.json`."""
    return json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n"


def data_version() -> str:
    """The semantic version of the curated data (changes with the data; see data/CHANGELOG.md)."""
    return str(PACKAGE["version"])


# Table Schema type -> the pandas dtype a validated column is read as (dates are parsed after reading).
_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean", "date": "string"}


def column_dtype(field: Mapping[str, Any]) -> str:
    """The pandas dtype a validated column is read as: Int64, float64, string, boolean, or bool for a required flag
    (dates are parsed to datetime64 after reading)."""
    if field["type"] == "boolean" and field.get("constraints", {}).get("required"):
        return "bool"
    return _DTYPES[field["type"]]


def read_table(folder: Path, table: Table) -> pd.DataFrame:
    """The typed frame of one (schema-valid) table file: Int64, float64, boolean (bool when required), datetime64
    and string columns."""
    return parse_table((folder / table.path).read_bytes(), table)


def parse_table(data: bytes, table: Table) -> pd.DataFrame:
    """The typed frame of one (schema-valid) table from its bytes (`read_table` without reading a file)."""
    dtypes = {f["name"]: _DTYPES[f["type"]] for f in table.fields}
    frame = pd.read_csv(io.BytesIO(data), dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8")
    for f in table.fields:
        if f["type"] == "date":
            frame[f["name"]] = pd.to_datetime(frame[f["name"]], format="%Y-%m-%d")
        elif f["type"] == "boolean" and f.get("constraints", {}).get("required") and not frame[f["name"]].isna().any():
            frame[f["name"]] = frame[f["name"]].astype(bool)  # a required flag is a plain bool: no NA to fill
    return frame[[f["name"] for f in table.fields]]


def data_dictionary() -> str:
    """The data dictionary (every table and column) as Markdown."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `evsupply/metadata/` by `make schema`; do not edit by hand.",
        f"Data package version {data_version()}.",
        "",
    ]
    for table in tables().values():
        lines += [f"## `{table.name}`: {table.title}", "", table.description, ""]
        lines.append(f"File `data/{table.path}`; primary key ({', '.join(table.primary_key)}).")
        for fk in table.foreign_keys:
            ref = fk["reference"]
            target = ref["resource"] or table.name
            lines.append(f"`{', '.join(fk['fields'])}` → `{target}.{', '.join(ref['fields'])}`.")
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
