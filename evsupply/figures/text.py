"""Text from data stays text in a chart: plotly renders its own subset of HTML in SVG (`<br>`, `<b>`, `<i>`, `<a href>`,
`<span style>`, `<sub>`, `<sup>`, entities), so every string a figure builder is given is escaped before it can
reach a label, hover text, legend, annotation, title or tick.

`inert_inputs` wraps each public figure builder: the frames, series, mappings, lists and strings it is given arrive
with `&`, `<` and `>` written as entities (plotly shows `&lt;` as `<`, so ordinary names read the same), and the
builder's own markup (`<br>` between hover lines, `<b>` for a name) is the only markup left. A builder called by
another builder is given its arguments as they are: they were escaped once, at the outer call.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import pandas as pd

F = TypeVar("F", bound=Callable[..., Any])
_inside = threading.local()


def inert(value: Any) -> Any:
    """`value` with every string in it escaped for plotly's pseudo-HTML (`&`, `<`, `>` as entities)."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, pd.DataFrame):
        return _inert_frame(value)
    if isinstance(value, pd.Series):
        return _inert_series(value)
    if isinstance(value, Mapping) and not isinstance(value, dict):
        return _InertTables(value)
    if isinstance(value, dict):
        return {inert(k): inert(v) for k, v in value.items()}
    if isinstance(value, list | tuple) and not hasattr(value, "_fields"):
        return type(value)(inert(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # Only the fields a record names as data text (`DATA_TEXT`): its others are the builder's own (a template)
        shown = getattr(value, "DATA_TEXT", ())
        return dataclasses.replace(value, **{name: inert(getattr(value, name)) for name in shown})
    return value


def _inert_series(values: pd.Series) -> pd.Series:
    if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
        return values
    return values.map(inert, na_action="ignore").astype(values.dtype)


def _inert_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for position in range(out.shape[1]):
        column = out.iloc[:, position]
        if str(column.dtype) == "geometry":
            continue
        escaped = _inert_series(column)
        if escaped is not column:
            out.isetitem(position, escaped)
    return out


class _InertTables(Mapping[str, Any]):
    """A read-only view of `evsupply.core.tables.Tables` (or any mapping of frames) whose frames come escaped."""

    def __init__(self, tables: Mapping[str, Any]) -> None:
        self._tables = tables

    def __getitem__(self, name: str) -> Any:
        return inert(self._tables[name])

    def __getattr__(self, name: str) -> Any:
        return inert(getattr(self._tables, name))

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


def inert_inputs(builder: F) -> F:
    """Decorate a figure builder so that every string reaching it from data is escaped once (see the module)."""

    @functools.wraps(builder)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if getattr(_inside, "depth", 0):
            return builder(*args, **kwargs)
        _inside.depth = 1
        try:
            return builder(*(inert(a) for a in args), **{k: inert(v) for k, v in kwargs.items()})
        finally:
            _inside.depth = 0

    return wrapper  # type: ignore[return-value]
