"""Select the rows of dated tables that hold on a given day."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def valid_on(
    df: pd.DataFrame, day: dt.date | str | pd.Timestamp, start: str = "valid_from", end: str = "valid_to"
) -> pd.DataFrame:
    """Rows whose [start, end] period (both inclusive; empty end = still holds) contains `day`."""
    ts = pd.Timestamp(day)
    began = df[start].isna() | (df[start] <= ts)
    not_ended = df[end].isna() | (df[end] >= ts)
    return df[began & not_ended]


def latest_claims(
    df: pd.DataFrame, keys: list[str], day: dt.date | str | pd.Timestamp | None = None, date_col: str = "as_of_date"
) -> pd.DataFrame:
    """For each key, the most recent claims made on or before `day` (all claims when None); ties are all kept."""
    known = df if day is None else df[df[date_col] <= pd.Timestamp(day)]
    newest = known.groupby(keys)[date_col].transform("max")
    return known[known[date_col] == newest]
