"""Landed cost over time: customs value + freight + duties, from each plant into each market, on every change day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.trade.policy import access_table
from evsupply.core import claims
from evsupply.core.claims import Cited, cite
from evsupply.core.parameters import (
    check_choice,
    check_date,
    check_date_range,
    check_number,
    check_str_list,
    check_unique,
    ids,
)
from evsupply.core.tables import Tables
from evsupply.errors import ParameterError

TIMELINE_COLUMNS = [
    "on_date",
    "plant_id",
    "origin_country_code",
    "market_id",
    "model_year",
    "is_domestic",
    "customs_value_usd",
    "freight_usd",
    "total_duty_pct",
    "duty_usd",
    "landed_cost_usd",
    "is_allowed",
    "measure_ids",
    "source_ids",
]


@dataclass(frozen=True)
class CustomsValue:
    """A customs value and where it comes from: a published price used as an assumption, or the user's figure."""

    value_usd: float
    basis: str
    line: Cited


def default_customs_value(
    tables: Tables, model_id: str, market: str = "USA", on_date: dt.date | str | None = None
) -> CustomsValue:
    """The latest published US-dollar price of `model_id` in `market` on `on_date` (else the earliest later one), as
    an assumed customs value. The real customs value (the importer's transaction value) is lower and unpublished."""
    check_choice("model_id", model_id, ids("models", "model_id")(tables))
    check_choice("market", market, ids("markets", "market_id")(tables))
    prices = tables["model_prices"]
    mine = prices[
        (prices["model_id"] == model_id) & (prices["market_id"] == market) & (prices["currency_code"] == "USD")
    ]
    day = None if on_date is None else check_date("on_date", on_date)
    row = claims.latest_row(mine, day, allow_later=True)
    if row is None:
        raise ParameterError("customs_value_usd", f"no published US$ price of {model_id!r} in {market}: give a value")
    year = f" MY{int(row['model_year'])}" if pd.notna(row["model_year"]) else ""
    line = cite(
        f"Customs value: US${row['price_amount']:,.0f}, the published{year} starting price of {model_id} in "
        f"{market} ({row['as_of_date']:%Y-%m-%d}), used as an ASSUMPTION: the import value is lower and not "
        "published.",
        row["source_id"],
    )
    return CustomsValue(float(row["price_amount"]), "assumed", line)


def change_dates(tables: Tables, markets: Sequence[str], start: dt.date | str, end: dt.date | str) -> list[dt.date]:
    """`start`, every 1 January and every day a measure or authorisation of `markets` starts or ends, up to `end`."""
    first, last = check_date_range("start", start, "end", end)
    m = tables["trade_measures"]
    days = {first, *(dt.date(y, 1, 1) for y in range(first.year + 1, last.year + 1))}
    days |= _period_edges(m[m["market_id"].isin(markets)])
    if "trade_authorisations" in tables:
        days |= {d.date() for d in tables["trade_authorisations"]["decision_date"].dropna()}
    return sorted(d for d in days if first <= d <= last)


def input_change_dates(
    tables: Tables,
    markets: Sequence[str],
    start: dt.date | str,
    end: dt.date | str,
    companies: Collection[str] | None = None,
) -> list[dt.date]:
    """Every day from `start` to `end` on which `market_access` into `markets` can change: the `change_dates`, and
    every day a customs union gains or loses a member or a shareholding starts or ends (ownership decides
    manufacturer-specific rates and China-nexus bans): only shareholdings in `companies` when given (see
    `companies_behind`). Between two of these days every input is the same."""
    first, last = check_date_range("start", start, "end", end)
    days = set(change_dates(tables, markets, first, last))
    if "market_members" in tables:
        days |= _period_edges(tables["market_members"])
    if "shareholders" in tables:
        holdings = tables["shareholders"]
        days |= _period_edges(holdings if companies is None else holdings[holdings["owned_id"].isin(list(companies))])
    return sorted(d for d in days if first <= d <= last)


def companies_behind(tables: Tables, model_id: str, plants: Sequence[str], markets: Sequence[str]) -> set[str]:
    """The companies whose ownership `market_access` reads for these routes: the model's brand owner, the plants'
    operators, the manufacturers the markets' measures name, and every company holding any of them, on any day
    (control is decided from the holdings in a company and in those above it, never below)."""
    found = set(tables["models"].loc[tables["models"]["model_id"] == model_id, "brand_id"].dropna().astype(str))
    plant_rows = tables["plants"]
    found |= set(plant_rows.loc[plant_rows["plant_id"].isin(list(plants)), "operator_id"].dropna().astype(str))
    measures = tables["trade_measures"]
    found |= set(measures.loc[measures["market_id"].isin(list(markets)), "manufacturer_id"].dropna().astype(str))
    holdings = tables["shareholders"] if "shareholders" in tables else pd.DataFrame(columns=["owner_id", "owned_id"])
    # A dict of sets, not `.agg(set)`: with pyarrow installed pandas gives each group's set back as a list.
    owners = {owned: set(v.astype(str)) for owned, v in holdings.groupby(holdings["owned_id"].astype(str))["owner_id"]}
    todo = list(found)
    while todo:
        for owner in owners.get(todo.pop(), set()) - found:
            found.add(owner)
            todo.append(owner)
    return found


def _period_edges(rows: pd.DataFrame, begin: str = "valid_from", until: str = "valid_to") -> set[dt.date]:
    """The days the rows' periods start holding, and the days after they end (periods include both ends, as in
    evsupply.core.claims)."""
    days = {d.date() for d in rows[begin].dropna()}
    return days | {(d + pd.Timedelta(days=1)).date() for d in rows[until].dropna()}


def access_timeline(
    tables: Tables,
    model_id: str,
    plants: Sequence[str] | str,
    markets: Sequence[str] | str,
    start: dt.date | str,
    end: dt.date | str,
    model_year: int | None = None,
    in_quota: bool | None = None,
) -> pd.DataFrame:
    """`access_table` for every day from `start` to `end`: computed once per `input_change_dates` day and held until
    the next one (the same answers as asking `market_access` day by day, at a fraction of the cost)."""
    plants = check_str_list("plants", plants, ids("plants", "plant_id")(tables))
    markets = check_str_list("markets", markets, ids("markets", "market_id")(tables))
    first, last = check_date_range("start", start, "end", end)
    change_days = input_change_dates(tables, markets, first, last, companies_behind(tables, model_id, plants, markets))
    steps = access_table(tables, model_id, plants, markets, change_days, model_year, in_quota)
    days = pd.DataFrame({"on_date": pd.date_range(first, last, freq="D").astype(steps["on_date"].dtype)})
    parts = [
        pd.merge_asof(
            days,
            rows.drop(columns="on_date").assign(_from=rows["on_date"]),
            left_on="on_date",
            right_on="_from",
            direction="backward",
        )
        for _, rows in steps.groupby(["plant_id", "market_id"], sort=False)
    ]
    out = pd.concat(parts, ignore_index=True) if parts else steps.iloc[0:0]
    return out[steps.columns].reset_index(drop=True)


MAX_USD = 1e9  # a car's customs value or freight: far above any car's price


def landed_cost_timeline(
    tables: Tables,
    model_id: str,
    plants: Sequence[str] | str,
    markets: Sequence[str] | str,
    start: dt.date | str,
    end: dt.date | str,
    customs_value_usd: float | None = None,
    freight_usd: float = 0.0,
    in_quota: bool | None = None,
) -> tuple[pd.DataFrame, list[Cited]]:
    """Landed cost per plant and market on every change day from `start` to `end`, and the assumption lines.

    Duty is charged on the customs value only (whether freight is dutiable differs by country: not modelled); the
    model year is the calendar year of each day. A car that may not be sold keeps its duty figures but is flagged.
    """
    start, end = check_date_range("start", start, "end", end)  # a span the tables can speak of, not 1000-2999
    check_number("freight_usd", freight_usd, minimum=0, maximum=MAX_USD)
    if customs_value_usd is not None:
        check_number("customs_value_usd", customs_value_usd, minimum=0, maximum=MAX_USD)
    check_unique("plants", check_str_list("plants", plants))
    check_unique("markets", check_str_list("markets", markets))
    if customs_value_usd is None:
        value = default_customs_value(tables, model_id, "USA", end)
    else:
        if customs_value_usd <= 0:
            raise ParameterError("customs_value_usd", f"{customs_value_usd!r} is not a positive number of dollars")
        value = CustomsValue(
            float(customs_value_usd),
            "parameter",
            cite(f"Customs value: US${customs_value_usd:,.0f}, given as a parameter."),
        )
    plants = check_str_list("plants", plants, ids("plants", "plant_id")(tables))
    markets = check_str_list("markets", markets, ids("markets", "market_id")(tables))
    freight_line = cite(
        f"Freight: US${freight_usd:,.0f} a car, given as a parameter."
        if freight_usd
        else "Freight: not included (no sourced freight rate; set freight_usd to add one)."
    )
    # Access once per day an input changes; a row per `change_dates` day, and per other day where a route changed.
    days = input_change_dates(tables, markets, start, end, companies_behind(tables, model_id, plants, markets))
    steps = access_table(tables, model_id, plants, markets, days, in_quota=in_quota)
    steps = steps.sort_values("on_date", kind="stable")  # day by day; plants, then markets, in the order given
    shown = {pd.Timestamp(d) for d in change_dates(tables, markets, start, end)} | _days_with_a_change(steps)
    rows = []
    for a in steps[steps["on_date"].isin(shown)].itertuples(index=False):
        duty = None if pd.isna(a.total_duty_pct) else value.value_usd * a.total_duty_pct / 100.0
        freight = 0.0 if a.is_domestic else float(freight_usd)
        rows.append(
            {
                "on_date": a.on_date,
                "plant_id": a.plant_id,
                "origin_country_code": a.origin_country_code,
                "market_id": a.market_id,
                "model_year": a.model_year,
                "is_domestic": a.is_domestic,
                "customs_value_usd": value.value_usd,
                "freight_usd": freight,
                "total_duty_pct": None if duty is None else a.total_duty_pct,
                "duty_usd": duty,
                "landed_cost_usd": None if duty is None else value.value_usd + freight + duty,
                "is_allowed": a.is_allowed,
                "measure_ids": a.measure_ids,
                "source_ids": a.source_ids,
            }
        )
    frame = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    for col in ("total_duty_pct", "duty_usd", "landed_cost_usd"):
        frame[col] = frame[col].astype("float64")
    return frame, [value.line, freight_line, cite("Model year: the calendar year of each day (an assumption).")]


def _days_with_a_change(steps: pd.DataFrame) -> set[pd.Timestamp]:
    """The days of `steps` (an access_table) on which some route's access differs from its previous day."""
    cols = ["is_domestic", "total_duty_pct", "is_allowed", "measure_ids", "source_ids", "model_year"]
    keys = steps[cols].astype(object).where(steps[cols].notna(), None)
    signature = pd.Series(list(map(tuple, keys.to_numpy())), index=steps.index)
    previous = signature.groupby([steps["plant_id"], steps["market_id"]], sort=False).shift()
    changed = [p is not None and p == p and s != p for s, p in zip(signature, previous, strict=True)]
    return set(steps.loc[changed, "on_date"])
