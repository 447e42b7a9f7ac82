"""Dated, sourced claims: which rows hold on a day, which were known on a day, the latest claim per key.

The one rule for time, used everywhere in evsupply:

- **Periods** (`valid_from` .. `valid_to`, `start_date` .. `end_date`) include both ends. An empty start means
  "since before the table's coverage"; an empty end means "still holds".
- **Claims** (rows with an `as_of_date`, a `decision_date`, a `year`...) are known from their date on. For a day,
  only claims made on or before it are used: **no look-ahead**. A caller that wants the best figure for a day
  that no claim reaches yet must ask for it (`allow_later=True`): it then gets the earliest later claim, and the
  row's date shows that it was made afterwards.
- **Ties**: of the claims for one key made on the same date, the row with `is_preferred` true wins (when the table
  has that column); among the rest, the row further down the file wins (a later row is a later correction).

Explanations carry their sources as data: `Cited(text, source_ids)`, never ids written into prose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from evsupply.core.tables import is_missing

Day = dt.date | str | pd.Timestamp


def holds_on(df: pd.DataFrame, day: Day, start: str = "valid_from", end: str = "valid_to") -> pd.DataFrame:
    """Rows whose period [start, end] (both inclusive; empty = open) contains `day`."""
    ts = pd.Timestamp(day)
    began = df[start].isna() | (df[start] <= ts)
    not_ended = df[end].isna() | (df[end] >= ts)
    return df[(began & not_ended).astype(bool)]


def known_on(df: pd.DataFrame, day: Day | None, date_col: str = "as_of_date") -> pd.DataFrame:
    """Rows claimed on or before `day` (every row when `day` is None)."""
    if day is None:
        return df
    return df[df[date_col] <= pd.Timestamp(day)]


def _winners_first(df: pd.DataFrame, date_col: str, earliest: bool = False) -> pd.DataFrame:
    """Rows ordered so that, per key, the winning claim comes first: newest (or earliest) date, then the
    preferred row, then the row further down the file."""
    order = pd.DataFrame({"date": df[date_col], "pos": range(len(df))}, index=df.index)
    order["preferred"] = df["is_preferred"] if "is_preferred" in df else False
    ranked = order.sort_values(["date", "preferred", "pos"], ascending=[earliest, False, False], kind="stable")
    return df.loc[ranked.index]


def latest(
    df: pd.DataFrame,
    keys: Sequence[str],
    day: Day | None = None,
    date_col: str = "as_of_date",
    allow_later: bool = False,
) -> pd.DataFrame:
    """For each key, the one claim that holds for `day` by the module's rule (see the docstring); file order kept."""
    keys = list(keys)
    picked = _winners_first(known_on(df, day, date_col), date_col).drop_duplicates(keys)
    if allow_later and day is not None:
        later = df[df[date_col] > pd.Timestamp(day)]
        have = pd.MultiIndex.from_frame(picked[keys])
        later = later[~pd.MultiIndex.from_frame(later[keys]).isin(have)]
        picked = pd.concat([picked, _winners_first(later, date_col, earliest=True).drop_duplicates(keys)])
    return df.loc[df.index.isin(picked.index)]


def latest_row(
    df: pd.DataFrame, day: Day | None = None, date_col: str = "as_of_date", allow_later: bool = False
) -> pd.Series | None:
    """The single claim of `df` (all rows share one key) that holds for `day`, or None."""
    picked = latest(df.assign(_key=0), ["_key"], day, date_col, allow_later)
    return None if picked.empty else picked.drop(columns="_key").iloc[0]


@dataclass(frozen=True)
class Cited:
    """A sentence of explanation and the sources it rests on (ids of `sources`)."""

    text: str
    source_ids: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return self.text


def mid_year(year: int) -> dt.date:
    """The one year rule: a calendar year is read on its 1 July. A yearly analysis (the flows and the shipping of a
    year) asks which claims hold on that day, so a claim that starts or ends within the year counts by its midpoint."""
    return dt.date(int(year), 7, 1)


def cite(text: str, *source_ids: object) -> Cited:
    """A Cited line; empty and missing ids are dropped, duplicates kept once."""
    ids = [str(s) for s in source_ids if not is_missing(s) and str(s)]
    return Cited(text, tuple(dict.fromkeys(ids)))


def source_ids_of(items: Iterable[object]) -> list[str]:
    """The source ids of Cited lines, objects with `source_ids`, frames' `source_id`/`*_source_id(s)` columns, and
    ids given as strings (in any nesting of lists)."""
    found: dict[str, None] = {}
    for item in items:
        if isinstance(item, str):
            if item:
                found[item] = None
        elif isinstance(item, pd.DataFrame):
            for col in item.columns:
                if col == "source_id" or col.endswith("_source_id"):
                    found.update(dict.fromkeys(str(v) for v in item[col].dropna()))
                elif col.endswith("source_ids"):
                    for cell in item[col].dropna():
                        found.update(dict.fromkeys(str(v) for v in cell))
        elif hasattr(item, "source_ids"):
            found.update(dict.fromkeys(str(v) for v in item.source_ids))  # type: ignore[attr-defined]
        elif isinstance(item, Iterable):
            found.update(dict.fromkeys(source_ids_of(item)))
    return list(found)
