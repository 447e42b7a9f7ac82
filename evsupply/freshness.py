"""How fresh the facts are: which rows describe the present, and which of those were not checked for a while."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from evsupply import claims

STALE_DAYS = 180
# Time-sensitive tables: the columns that say which rows still describe the present.
#   ("period", end column): rows whose period has no end;  ("claims", keys, date column): the latest claim per key.
CURRENT: dict[str, tuple] = {
    "shareholders": ("period", "valid_to"),
    "trade_measures": ("period", "valid_to"),
    "market_members": ("period", "valid_to"),
    "production": ("claims", ["model_id", "plant_id", "market_id"], "as_of_date"),
    "trade_authorisations": ("claims", ["company_id", "measure_id"], "decision_date"),
    "model_prices": ("claims", ["model_id", "market_id", "currency_code"], "as_of_date"),
    "plant_capacity": ("claims", ["plant_id"], "as_of_date"),
    "cases": ("all",),
    "battery_supply": ("claims", ["model_id", "plant_id"], "as_of_date"),
    "battery_plant_capacity": ("claims", ["battery_plant_id"], "as_of_date"),
    "origin_rules": ("period", "valid_to"),
}
KEY_COLUMNS = {
    "shareholders": ["owner_id", "owned_id"],
    "trade_measures": ["measure_id"],
    "market_members": ["market_id", "country_code"],
    "production": ["model_id", "plant_id", "market_id"],
    "trade_authorisations": ["company_id", "measure_id"],
    "model_prices": ["model_id", "market_id"],
    "plant_capacity": ["plant_id"],
    "cases": ["case_id"],
    "battery_supply": ["model_id", "plant_id"],
    "battery_plant_capacity": ["battery_plant_id"],
    "origin_rules": ["rule_id"],
}
ENDED = ("ended", "cancelled")


def current_rows(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """The rows of a time-sensitive table that describe the present (empty for other tables)."""
    rule = CURRENT.get(name)
    if rule is None or df.empty:
        return df.iloc[0:0]
    if rule[0] == "period":
        return df[df[rule[1]].isna()]
    if rule[0] == "claims":
        rows = df
        if name == "plant_capacity":
            rows = rows[rows["is_preferred"].fillna(False).astype(bool)]
        rows = claims.latest(rows, rule[1], date_col=rule[2])
        if name == "production":
            rows = rows[~rows["production_status"].isin(ENDED)]
        return rows
    return df


def stale_rows(
    frames: Mapping[str, pd.DataFrame], today: dt.date | None = None, stale_days: int = STALE_DAYS
) -> pd.DataFrame:
    """Rows that describe the present but were last checked more than `stale_days` before `today`."""
    today = today or dt.date.today()
    limit = pd.Timestamp(today) - pd.Timedelta(days=stale_days)
    out = []
    for name, df in frames.items():
        if "checked_on" not in df:
            continue
        rows = current_rows(name, df)
        old = rows[rows["checked_on"] < limit]
        for i, row in old.iterrows():
            key = ", ".join(str(row[c]) for c in KEY_COLUMNS.get(name, []))
            out.append(
                {
                    "table": name,
                    "line": int(i) + 2,
                    "key": key,
                    "checked_on": row["checked_on"],
                    "source_id": row.get("source_id"),
                }
            )
    return pd.DataFrame(out, columns=["table", "line", "key", "checked_on", "source_id"])


def checked_span(frames: Mapping[str, pd.DataFrame]) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The oldest and newest `checked_on` among the rows that describe the present."""
    days = [current_rows(n, df)["checked_on"] for n, df in frames.items() if "checked_on" in df]
    days = [d for d in days if len(d)]
    if not days:
        return None, None
    every = pd.concat(days)
    return every.min(), every.max()
