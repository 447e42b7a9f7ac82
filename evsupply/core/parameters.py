"""Argument checks for the package's public functions: ids that exist, dates, lists; errors list the choices."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np
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
    try:
        found = value in choices
    except TypeError:  # unhashable (a list, a dict): not an id
        found = False
    if not found:
        raise ParameterError(name, f"{value!r} is not a valid choice", choices=sorted(choices, key=str))
    return value


def check_date(name: str, value: Any) -> dt.date:
    """Parse an ISO date (string, date, datetime or Timestamp), or raise ParameterError."""
    if value is pd.NaT:  # pandas' missing time is a datetime subclass, but no day
        raise ParameterError(name, "NaT (a missing date) is not a date; write it as 'YYYY-MM-DD' (e.g. '2025-12-01')")
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


def check_case_ids(tables: Any, value: Any) -> list[str]:
    """Case ids: one id or a list of them, each a case of `tables`, none given twice (an empty list is none)."""
    return check_unique("cases", check_str_list("cases", value, ids("cases", "case_id")(tables)))


def check_number(
    name: str,
    value: Any,
    minimum: float | None = None,
    integer: bool = False,
    maximum: float | None = None,
) -> float | int:
    """A finite number (not a bool, not NaN or infinite), within [`minimum`, `maximum`] when given; an int when
    `integer`. numpy numbers count as numbers."""
    kinds = numbers.Integral if integer else numbers.Real
    ok = isinstance(value, kinds) and not isinstance(value, bool | np.bool_)
    if ok:
        try:
            ok = math.isfinite(float(value))
        except OverflowError:  # an int too large for a float
            ok = False
    if ok and minimum is not None:
        ok = value >= minimum
    if ok and maximum is not None:
        ok = value <= maximum
    if not ok:
        bounds = []
        if minimum is not None:
            bounds.append(f">= {minimum:g}")
        if maximum is not None:
            bounds.append(f"<= {maximum:g}")
        bound = (" " + " and ".join(bounds)) if bounds else ""
        raise ParameterError(name, f"{value!r} is not a finite {'whole number' if integer else 'number'}{bound}")
    return int(value) if integer else float(value)


# Years the tables can speak of: before the first electric-vehicle trade measure of the data and past any plan.
FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_SPAN_YEARS = 50


def check_year(name: str, value: Any) -> int:
    """A calendar year between FIRST_YEAR and LAST_YEAR (a whole number)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_):
        if FIRST_YEAR <= int(value) <= LAST_YEAR:
            return int(value)
    raise ParameterError(name, f"{value!r} is not a calendar year from {FIRST_YEAR} to {LAST_YEAR} (e.g. 2026)")


def check_date_range(start_name: str, start: Any, end_name: str, end: Any) -> tuple[dt.date, dt.date]:
    """Two dates, `start` not after `end`, both from FIRST_YEAR to LAST_YEAR and at most MAX_SPAN_YEARS apart."""
    first, last = check_date(start_name, start), check_date(end_name, end)
    for name, day in ((start_name, first), (end_name, last)):
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ParameterError(name, f"{day.isoformat()} is not a day from {FIRST_YEAR} to {LAST_YEAR}")
    if last < first:
        raise ParameterError(end_name, f"{last.isoformat()} is before {start_name} {first.isoformat()}")
    if last.year - first.year > MAX_SPAN_YEARS:
        raise ParameterError(
            end_name, f"{first.isoformat()} to {last.isoformat()} spans more than {MAX_SPAN_YEARS} years"
        )
    return first, last


def check_unique(name: str, items: Sequence[Any]) -> list[Any]:
    """`items` as a list, or ParameterError naming the values given more than once."""
    seen: set[Any] = set()
    twice = []
    for item in items:
        if item in seen and item not in twice:
            twice.append(item)
        seen.add(item)
    if twice:
        listed = ", ".join(repr(v) for v in twice)
        raise ParameterError(name, f"{listed} given more than once; name each only once")
    return list(items)


def check_bool(name: str, value: Any, allow_none: bool = False) -> bool | None:
    """True or False (or None when `allow_none`)."""
    if value is None and allow_none:
        return None
    if not isinstance(value, bool | np.bool_):
        allowed = "True, False or None" if allow_none else "True or False"
        raise ParameterError(name, f"{value!r} is not {allowed}")
    return bool(value)


def check_frame(name: str, value: Any, columns: Collection[str]) -> pd.DataFrame:
    """A DataFrame that has `columns` (e.g. the lanes `build_flows` returns)."""
    if not isinstance(value, pd.DataFrame):
        raise ParameterError(name, f"a {type(value).__name__} is not a table (pass the frame build_flows returns)")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ParameterError(name, f"the table lacks the columns {', '.join(missing)} (pass what build_flows returns)")
    return value
