"""How fresh the facts are: which rows describe the present, which of those were not checked for a while, and the
open questions (what was looked for and not found) that rows rest on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from evsupply.core import claims

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
            rows = rows[rows["is_preferred"].eq(True)]  # also on unvalidated data, where a flag may be empty
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


# --- open questions: what was looked for and not found, and when to look again ---

# The columns that name a row in `open_questions.rows_affected` (`table:value/value`), for tables that are not
# time-sensitive; the time-sensitive ones use KEY_COLUMNS.
ROW_KEYS: dict[str, list[str]] = {
    **KEY_COLUMNS,
    "observations": ["observation_id"],
    "volume_scenarios": ["scenario_id", "plant_id"],
    "emission_factors": ["emission_factor_id"],
    "models": ["model_id"],
    "plants": ["plant_id"],
    "companies": ["company_id"],
    "plant_output": ["plant_id", "year"],
}


def parse_rows_affected(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """`table:a/b; table:c` → [(table, (a, b)), (table, (c,))]."""
    out = []
    for entry in str(text).split(";"):
        table, _, key = entry.strip().partition(":")
        out.append((table.strip(), tuple(part.strip() for part in key.split("/"))))
    return out


def _cell(value: object) -> str:
    """A key cell as written in `rows_affected` (dates as YYYY-MM-DD, numbers without a trailing .0)."""
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def matching_rows(frames: Mapping[str, pd.DataFrame], table: str, key: tuple[str, ...]) -> pd.DataFrame | None:
    """The rows of `table` a `rows_affected` key names (None when the table is unknown or has no key columns here)."""
    columns = ROW_KEYS.get(table)
    if columns is None or table not in frames or len(key) != len(columns):
        return None
    df = frames[table]
    hit = pd.Series(True, index=df.index)
    for column, value in zip(columns, key, strict=True):
        hit &= df[column].map(_cell) == value
    return df[hit]


def open_questions_for(frames: Mapping[str, pd.DataFrame], cited: Iterable[str]) -> pd.DataFrame:
    """The open questions whose answer would change a row resting on one of the `cited` source ids (or that name
    one of them as the place looked in), with the affected rows as `table:key` text."""
    columns = ["question_id", "question", "look_again_date", "rows", "source_ids"]
    questions = frames.get("open_questions")
    cited = {str(s) for s in cited}
    if questions is None or questions.empty or not cited:
        return pd.DataFrame(columns=columns)
    out = []
    for q in questions.itertuples():
        hit_rows, hit_sources = [], set()
        for table, key in parse_rows_affected(q.rows_affected):
            rows = matching_rows(frames, table, key)
            if rows is None or "source_id" not in rows:
                continue
            used = set(rows["source_id"].dropna().astype(str)) & cited
            if used:
                hit_rows.append(f"{table}:{'/'.join(key)}")
                hit_sources |= used
        if pd.notna(q.source_id) and str(q.source_id) in cited:
            hit_sources.add(str(q.source_id))
        if hit_rows or hit_sources:
            out.append(
                {
                    "question_id": q.question_id,
                    "question": q.question,
                    "look_again_date": q.look_again_date,
                    "rows": "; ".join(hit_rows),
                    "source_ids": tuple(sorted(hit_sources)),
                }
            )
    return pd.DataFrame(out, columns=columns)


def overdue_questions(frames: Mapping[str, pd.DataFrame], today: dt.date | None = None) -> pd.DataFrame:
    """Open questions whose look-again date is before `today`."""
    questions = frames.get("open_questions")
    if questions is None or questions.empty:
        return pd.DataFrame(columns=["question_id", "line", "look_again_date"])
    today = today or dt.date.today()
    late = questions[questions["look_again_date"] < pd.Timestamp(today)]
    return pd.DataFrame(
        {
            "question_id": late["question_id"],
            "line": [int(i) + 2 for i in late.index],
            "look_again_date": late["look_again_date"],
        }
    ).reset_index(drop=True)
