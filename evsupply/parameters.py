"""Argument checks for the package's public functions: ids that exist, dates, lists; errors list the choices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import Any

import pandas as pd

from evsupply.errors import ParameterError


def ids(table: str, column: str) -> Callable[[Any], list[str]]:
    """Choices from the tables: the distinct values of `table.column`, sorted."""

    def listed(tables: Any) -> list[str]:
        return sorted(set(tables[table][column].dropna().astype(str)))

    listed.__name__ = f"{table}.{column}"
    return listed


def check_choice(name: str, value: Any, choices: Collection[Any]) -> Any:
    """Return `value` if it is one of `choices`, else raise ParameterError listing them."""
    if value not in choices:
        raise ParameterError(name, f"{value!r} is not a valid choice", choices=sorted(choices, key=str))
    return value


def check_date(name: str, value: Any) -> dt.date:
    """Parse an ISO date (string, date, datetime or Timestamp), or raise ParameterError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ParameterError(name, f"{value!r} is not a date; write it as 'YYYY-MM-DD' (e.g. '2025-12-01')")


def check_dates(name: str, values: Any) -> list[dt.date]:
    """Parse one ISO date or a list of them (a single date is taken as a list of one)."""
    items = [values] if isinstance(values, str | dt.date | pd.Timestamp) else values
    if not isinstance(items, Sequence):
        raise ParameterError(name, f"{values!r} is not a list of dates (write e.g. ['2025-12-01'])")
    return [check_date(name, v) for v in items]


def check_str_list(name: str, value: Any, choices: Collection[str] | None = None) -> list[str]:
    """A list of strings (a single string is taken as a list of one), each a choice when `choices` is given."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(v, str) for v in items):
        raise ParameterError(name, f"{value!r} is not a list of strings (write e.g. ['USA', 'CAN'])")
    if choices is not None:
        for item in items:
            check_choice(name, item, choices)
    return list(items)


def check_number(name: str, value: Any, minimum: float | None = None, integer: bool = False) -> float | int:
    """A number (not a bool), at least `minimum` when given; an int when `integer`."""
    kinds = int if integer else int | float
    if isinstance(value, bool) or not isinstance(value, kinds) or (minimum is not None and not value >= minimum):
        bound = f" >= {minimum:g}" if minimum is not None else ""
        raise ParameterError(name, f"{value!r} is not a{'n integer' if integer else ' number'}{bound}")
    return int(value) if integer else float(value)
