"""Landed cost over time: customs value + freight + duties, from each plant into each market, on every change day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from evsupply import claims
from evsupply.claims import Cited, cite
from evsupply.errors import ParameterError
from evsupply.parameters import (
    check_choice,
    check_date,
    check_date_range,
    check_number,
    check_str_list,
    check_unique,
    ids,
)
from evsupply.policy import market_access
from evsupply.tables import Tables

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
    first, last = check_date("start", start), check_date("end", end)
    if last < first:
        raise ParameterError("end", f"{last} is before start {first}")
    m = tables["trade_measures"]
    m = m[m["market_id"].isin(markets)]
    days = {first, *(dt.date(y, 1, 1) for y in range(first.year + 1, last.year + 1))}
    days |= {d.date() for d in m["valid_from"].dropna()}
    days |= {(d + pd.Timedelta(days=1)).date() for d in m["valid_to"].dropna()}
    if "trade_authorisations" in tables:
        days |= {d.date() for d in tables["trade_authorisations"]["decision_date"].dropna()}
    return sorted(d for d in days if first <= d <= last)


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
    rows = []
    for day in change_dates(tables, markets, start, end):
        for plant in plants:
            for market in markets:
                a = market_access(tables, model_id, plant, market, day, in_quota=in_quota)
                duty = None if a.total_duty_pct is None else value.value_usd * a.total_duty_pct / 100.0
                freight = 0.0 if a.is_domestic else float(freight_usd)
                rows.append(
                    {
                        "on_date": pd.Timestamp(day),
                        "plant_id": plant,
                        "origin_country_code": a.origin_country_code,
                        "market_id": market,
                        "model_year": a.model_year,
                        "is_domestic": a.is_domestic,
                        "customs_value_usd": value.value_usd,
                        "freight_usd": freight,
                        "total_duty_pct": a.total_duty_pct,
                        "duty_usd": duty,
                        "landed_cost_usd": None if duty is None else value.value_usd + freight + duty,
                        "is_allowed": a.is_allowed,
                        "measure_ids": tuple(a.measures["measure_id"]),
                        "source_ids": a.source_ids,
                    }
                )
    frame = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    for col in ("total_duty_pct", "duty_usd", "landed_cost_usd"):
        frame[col] = frame[col].astype("float64")
    return frame, [value.line, freight_line, cite("Model year: the calendar year of each day (an assumption).")]
