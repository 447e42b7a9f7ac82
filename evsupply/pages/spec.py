"""Report parameters, each described once: kind, default, meaning and valid choices.

The notebook's `parameters` cell, its parameter table, the tables of docs/parameters.md and the strict check in the
notebook's first cell all come from one `ReportSpec`.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evsupply.core.parameters import check_choice, check_date
from evsupply.core.paths import data_dir
from evsupply.errors import ParameterError

# Names IPython puts in a kernel's namespace.
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}
# Values a parameters cell can hold: a name bound to one of these that no spec declares is a misspelled parameter.
PARAMETER_TYPES = (str, int, float, bool, list, tuple, dict, type(None), dt.date)

Choices = Sequence[Any] | Callable[[Any], Sequence[Any]] | None
KINDS = ("str", "int", "float", "bool", "date", "str_list", "date_list", "mapping")


@dataclass(frozen=True)
class Param:
    """One report parameter.

    kind: "str", "int", "float", "bool", "date" (an ISO 'YYYY-MM-DD' string), "str_list" (a list of strings; one
    string is taken as a list of one), "date_list", or "mapping" (a dict). `choices` is a list or a function of the
    loaded tables; for "str_list" every item must be a choice. `extra_choices` are allowed besides them.
    """

    kind: str
    default: Any
    description: str
    choices: Choices = None
    extra_choices: tuple[Any, ...] = field(default=())

    def valid_choices(self, tables: Any) -> list[Any] | None:
        """The allowed values, or None when any value of the kind is allowed."""
        if self.choices is None:
            return None
        listed = self.choices(tables) if callable(self.choices) else self.choices
        return [*self.extra_choices, *listed]

    def check(self, name: str, value: Any, tables: Any = None) -> Any:
        """The value, normalised (dates as datetime.date, lists as lists), or ParameterError."""
        value = _check_kind(name, value, self.kind)
        choices = self.valid_choices(tables)
        if choices is not None:
            for item in value if self.kind == "str_list" else [value]:
                check_choice(name, item, choices)
        return value


class Params(Mapping[str, Any]):
    """Checked parameter values, by name or as attributes (`p.origin`); not a dict, so a notebook run twice in
    one kernel does not take it for a misspelled parameter."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Params({self._values!r})"


@dataclass(frozen=True)
class ReportSpec:
    """A report notebook's parameters, in the order of its `parameters` cell."""

    notebook: str
    params: dict[str, Param]

    def defaults(self) -> dict[str, Any]:
        """Each parameter's default value."""
        return {name: p.default for name, p in self.params.items()}

    def parameters_cell(self) -> str:
        """The source of the notebook's papermill `parameters` cell (plain `name = literal` lines)."""
        return "\n".join(f"{name} = {p.default!r}" for name, p in self.params.items())

    def check(self, namespace: Mapping[str, Any], tables: Any = None) -> Params:
        """Check the parameters in a notebook's namespace; return them normalised.

        An unknown name (a value a parameters cell could hold, bound to a name no parameter has), a missing
        parameter, a value of the wrong kind or an id not in the tables raises ParameterError naming it.
        """
        unknown = [n for n, v in namespace.items() if _looks_like_parameter(n, v) and n not in self.params]
        if unknown:
            raise ParameterError(unknown[0], "unknown parameter name", choices=list(self.params))
        values = {}
        for name, param in self.params.items():
            if name not in namespace:
                raise ParameterError(
                    name, "missing (the notebook's parameters cell must define it)", choices=list(self.params)
                )
            values[name] = param.check(name, namespace[name], tables)
        return Params(values)

    def markdown(self) -> str:
        """The parameters as a Markdown table: name, default, meaning (and where the valid ids come from)."""
        rows = ["| parameter | default | meaning |", "|---|---|---|"]
        for name, p in self.params.items():
            where = ""
            if callable(p.choices):
                where = f" Valid values: the ids of `{p.choices.__name__}`"
                where += f" (or {', '.join(repr(x) for x in p.extra_choices)})." if p.extra_choices else "."
            elif p.choices is not None:
                where = f" One of {', '.join(repr(x) for x in p.choices)}."
            rows.append(f"| `{name}` | `{p.default!r}` | {p.description}{where} |".replace("\n", " "))
        return "\n".join(rows)


def _looks_like_parameter(name: str, value: Any) -> bool:
    if name.startswith("_") or name in _KERNEL_NAMES:
        return False
    if isinstance(value, types.ModuleType | types.FunctionType | types.BuiltinFunctionType | type):
        return False
    return isinstance(value, PARAMETER_TYPES)


def _check_kind(name: str, value: Any, kind: str) -> Any:
    if kind == "date":
        return check_date(name, value)
    if kind in ("str_list", "date_list"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ParameterError(name, f"{value!r} is not a list (write e.g. {_example(kind)})")
        if kind == "date_list":
            return [check_date(name, v) for v in items]
        if not all(isinstance(v, str) for v in items):
            raise ParameterError(name, f"{value!r} is not a list of strings (write e.g. {_example(kind)})")
        return list(items)
    expected: dict[str, type | tuple[type, ...]] = {
        "str": str,
        "int": int,
        "float": (int, float),
        "bool": bool,
        "mapping": dict,
    }
    if kind not in expected:
        raise ValueError(f"unknown parameter kind {kind!r}")
    wrong_bool = isinstance(value, bool) and kind in {"int", "float"}
    if wrong_bool or not isinstance(value, expected[kind]):
        raise ParameterError(name, f"{value!r} is a {type(value).__name__}, expected {kind}")
    if kind == "float":
        value = float(value)
        if value != value:  # NaN
            raise ParameterError(name, "NaN is not a number (give a value)")
    if kind == "mapping":
        for key, item in value.items():
            if isinstance(item, float) and item != item:
                raise ParameterError(name, f"{key!r}: NaN is not a number (give a value)")
    return value


def _example(kind: str) -> str:
    return "['2025-12-01']" if kind == "date_list" else "['USA', 'CAN']"


def matrix_slug(value: Any) -> str:
    """A matrix value as a page-name suffix: lower case, runs of other characters as one '-' ('x' when empty)."""
    return re.sub(r"[^a-z0-9_]+", "-", str(value).lower()).strip("-") or "x"


def matrix_variants(name: str, matrix: Mapping[str, Sequence[Any]]) -> list[tuple[str, dict[str, Any]]]:
    """The reports a manifest entry's `matrix` expands into: each page name (`name` plus one `-<slug>` per value)
    with its chosen values, every combination, the first key outermost; one (`name`, {}) without a matrix."""
    combos = itertools.product(*matrix.values()) if matrix else [()]
    return [
        (name + "".join("-" + matrix_slug(v) for v in combo), dict(zip(matrix, combo, strict=True))) for combo in combos
    ]


def data_column_values(table: str, column: str) -> list[str] | None:
    """Every distinct non-empty value of a column of data/<table>.csv, in file order: what a manifest matrix
    `{from: TABLE, column: COLUMN}` expands over (one report per case of cases.csv); None when the table cannot be
    read or has no such column."""
    try:
        with (data_dir() / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if column not in (reader.fieldnames or []):
                return None
            return list(dict.fromkeys(row[column] for row in reader if row.get(column)))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
