"""Strict parameters: for notebooks (papermill) and for the package's public functions."""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from evsupply.errors import ParameterError

# Names IPython and the notebook itself put in a kernel's namespace.
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}

Choices = Sequence[Any] | Callable[[Any], Sequence[Any]] | None


def ids(table: str, column: str) -> Callable[[Any], list[str]]:
    """Choices for a Param: the distinct values of `table.column` in the loaded tables, sorted."""

    def listed(tables: Any) -> list[str]:
        return sorted(set(tables[table][column].dropna().astype(str)))

    listed.__name__ = f"{table}.{column}"
    return listed


@dataclass(frozen=True)
class Param:
    """A notebook parameter: its kind and, for ids, where its valid choices come from.

    kind is one of: "str", "int", "float", "bool", "date" (an ISO 'YYYY-MM-DD' string),
    "str_list" (a list of strings), "mapping" (a dict). `choices` is a list or a function of the
    loaded tables returning one; for "str_list" every item must be a choice.
    """

    kind: str
    description: str
    choices: Choices = None
    extra_choices: tuple[Any, ...] = field(default=())

    def valid_choices(self, tables: Any) -> list[Any] | None:
        """The allowed values, or None when any value of the kind is allowed."""
        if self.choices is None:
            return None
        listed = self.choices(tables) if callable(self.choices) else self.choices
        return [*self.extra_choices, *listed]


def check(namespace: Mapping[str, Any], spec: Mapping[str, Param], tables: Any = None) -> dict[str, Any]:
    """Check a notebook's parameters in its namespace against `spec`; return them, normalised.

    Call it in the cell after the papermill `parameters` cell as `check(globals(), SPEC, tables)`,
    where `tables = evsupply.load()` (the tables and the spec are not taken for parameters).
    """
    ignored = (tables, spec)
    unknown = [
        n for n, v in namespace.items() if _is_user_value(n, v) and not any(v is x for x in ignored) and n not in spec
    ]
    if unknown:
        raise ParameterError(unknown[0], "unknown parameter name", choices=list(spec))
    out: dict[str, Any] = {}
    for name, param in spec.items():
        if name not in namespace:
            raise ParameterError(name, "missing (the notebook's parameters cell must define it)", choices=list(spec))
        out[name] = check_value(name, namespace[name], param, tables)
    return out


def _is_user_value(name: str, value: Any) -> bool:
    """True for a name the parameters cells defined (not IPython's, not an import or a function)."""
    if name.startswith("_") or name in _KERNEL_NAMES:
        return False
    return not isinstance(value, types.ModuleType | types.FunctionType | types.BuiltinFunctionType | type)


def check_value(name: str, value: Any, param: Param, tables: Any = None) -> Any:
    """Check one value against its Param; return it normalised (dates as datetime.date)."""
    value = _check_kind(name, value, param.kind)
    choices = param.valid_choices(tables)
    if choices is not None:
        items = value if param.kind == "str_list" else [value]
        for item in items:
            check_choice(name, item, choices)
    return value


def check_choice(name: str, value: Any, choices: Collection[Any]) -> Any:
    """Return `value` if it is one of `choices`, else raise ParameterError listing them."""
    if value not in choices:
        raise ParameterError(name, f"{value!r} is not a valid choice", choices=sorted(choices, key=str))
    return value


def check_date(name: str, value: Any) -> dt.date:
    """Parse an ISO date (string, date or datetime), or raise ParameterError."""
    return _check_kind(name, value, "date")


def _check_kind(name: str, value: Any, kind: str) -> Any:
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
            return value.to_pydatetime().date()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ParameterError(name, f"{value!r} is not a date; write it as 'YYYY-MM-DD' (e.g. '2025-12-01')")
    if kind == "str_list":
        if (
            isinstance(value, str | bytes)
            or not isinstance(value, list | tuple)
            or not all(isinstance(v, str) for v in value)
        ):
            raise ParameterError(name, f"{value!r} is not a list of strings (write e.g. ['USA', 'CAN'])")
        return list(value)
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
    return float(value) if kind == "float" else value
