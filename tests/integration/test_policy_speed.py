"""Access over a date range, computed once per change day, gives exactly what asking `market_access` day by day
gives (the per-day way is the reference, kept here and in benchmarks/policy.py, not in the package)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import evsupply
from evsupply.analysis.trade.landed import (
    access_timeline,
    change_dates,
    companies_behind,
    input_change_dates,
    landed_cost_timeline,
)
from evsupply.analysis.trade.policy import market_access

HZB, BUSAN = "geely_hangzhou_bay", "renault_korea_busan"
COMPARED = ["model_year", "is_domestic", "total_duty_pct", "is_allowed", "measure_ids", "source_ids"]


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def answer(a) -> tuple:
    """The fields of an Access that a timeline row carries (a missing duty as None)."""
    duty = a.total_duty_pct
    return (a.model_year, a.is_domestic, duty, a.is_allowed, tuple(a.measures["measure_id"]), a.source_ids)


def row_answer(row: pd.Series) -> tuple:
    duty = None if pd.isna(row["total_duty_pct"]) else float(row["total_duty_pct"])
    return (int(row["model_year"]), bool(row["is_domestic"]), duty, bool(row["is_allowed"]), *row[COMPARED[-2:]])


@pytest.mark.parametrize(
    ("plant", "first", "last"),
    [
        # China into the US through 2025: the fentanyl IEEPA steps, Section 232, the November cut.
        (HZB, dt.date(2025, 2, 1), dt.date(2025, 11, 30)),
        # Korea into the US in 2026: IEEPA ends (2026-02-24), both authorisation decisions (2026-05-26, 2026-06-25).
        (BUSAN, dt.date(2026, 2, 1), dt.date(2026, 7, 31)),
    ],
)
def test_timeline_equals_the_per_day_way_on_the_real_tables(
    t: evsupply.Tables, plant: str, first: dt.date, last: dt.date
) -> None:
    timeline = access_timeline(t, "polestar_4", [plant], ["USA"], first, last)
    days = pd.date_range(first, last, freq="D")
    assert list(timeline["on_date"]) == list(days)
    differ = [
        day.date()
        for day, (_, row) in zip(days, timeline.iterrows(), strict=True)
        if row_answer(row) != answer(market_access(t, "polestar_4", plant, "USA", day.date()))
    ]
    assert differ == []


def test_timeline_holds_each_answer_until_the_next_change_day(t: evsupply.Tables) -> None:
    timeline = access_timeline(t, "polestar_4", [HZB], ["USA", "KOR"], "2024-06-01", "2025-06-30")
    changes = set(pd.to_datetime(input_change_dates(t, ["USA", "KOR"], "2024-06-01", "2025-06-30")))
    for _, rows in timeline.groupby("market_id"):
        signature = rows[COMPARED].astype(str).agg("|".join, axis=1)
        moved = rows.loc[signature.ne(signature.shift()), "on_date"]
        assert set(moved) <= changes  # an answer changes only on a change day
    # 2024-09-27: the Section 301 rate on Chinese EVs went to 100% (livingston_2024_section301): 27.5% -> 102.5%.
    us = timeline[timeline["market_id"] == "USA"].set_index("on_date")["total_duty_pct"]
    assert us[pd.Timestamp("2024-09-26")] == pytest.approx(27.5) and us[pd.Timestamp("2024-09-27")] == pytest.approx(
        102.5
    )


def test_change_days_include_ownership_and_membership_steps(t: evsupply.Tables) -> None:
    days = set(input_change_dates(t, ["USA"], "2016-01-01", "2027-12-31"))
    assert set(change_dates(t, ["USA"], "2016-01-01", "2027-12-31")) <= days
    holdings = t["shareholders"]
    # A shareholding that ends on valid_to stops holding the day after (periods include both ends).
    ended = holdings["valid_to"].dropna()
    ended = ended[(ended >= pd.Timestamp("2016-01-01")) & (ended < pd.Timestamp("2027-12-31"))]
    assert len(ended) and {(d + pd.Timedelta(days=1)).date() for d in ended} <= days
    started = holdings["valid_from"].dropna()
    assert {d.date() for d in started if dt.date(2016, 1, 1) <= d.date() <= dt.date(2027, 12, 31)} <= days


def test_only_holdings_in_the_companies_behind_a_route_count(t: evsupply.Tables) -> None:
    found = companies_behind(t, "polestar_4", [BUSAN], ["KOR"])
    # The brand owner (polestar) and the plant's operator (renault_korea), and those above them: Renault Group
    # above Renault Korea, Li Shufu at the top of Polestar's chain (via Zhejiang Geely Holding).
    assert {"polestar", "renault_korea", "renault_group", "zhejiang_geely_holding", "li_shufu"} <= found
    assert not {"byd", "stellantis", "magna_steyr"} & found  # nothing below or beside them
    days = set(input_change_dates(t, ["KOR"], "2016-01-01", "2027-12-31", found))
    assert days <= set(input_change_dates(t, ["KOR"], "2016-01-01", "2027-12-31"))
    holdings = t["shareholders"]
    theirs = holdings[holdings["owned_id"].isin(found) & holdings["valid_from"].notna()]
    assert {d.date() for d in theirs["valid_from"] if d.year >= 2016} <= days


def test_landed_cost_shows_every_day_a_route_changes(t: evsupply.Tables) -> None:
    markets = ["USA", "CAN"]
    frame, _ = landed_cost_timeline(t, "polestar_4", [HZB], markets, "2024-07-01", "2026-06-30")
    daily = access_timeline(t, "polestar_4", [HZB], markets, "2024-07-01", "2026-06-30")
    shown = set(frame["on_date"])
    for _, rows in daily.groupby(["plant_id", "market_id"]):
        signature = rows[COMPARED].astype(str).agg("|".join, axis=1)
        assert set(rows.loc[signature.ne(signature.shift()), "on_date"]) <= shown
    # On the days it shows, the landed-cost table gives the daily answers.
    merged = frame.merge(daily, on=["plant_id", "market_id", "on_date"], suffixes=("", "_daily"), validate="1:1")
    assert len(merged) == len(frame)
    assert (merged["is_allowed"] == merged["is_allowed_daily"]).all()
    assert (merged["measure_ids"] == merged["measure_ids_daily"]).all()
    # The assumed customs value is the latest US price known at the timeline's end: US$47,800 from 2025-12-01
    # (brivo_2025_polestar4_us_deliveries); x 102.5% (2.5% MFN + 100% Section 301 from 2024-09-27) = US$48,995 duty.
    hzb_us = frame[(frame["plant_id"] == HZB) & (frame["market_id"] == "USA")].set_index("on_date")
    assert hzb_us.loc[pd.Timestamp("2024-09-27"), "duty_usd"] == pytest.approx(48_995)


def test_timeline_checks_its_range(t: evsupply.Tables) -> None:
    with pytest.raises(evsupply.ParameterError, match="end"):
        access_timeline(t, "polestar_4", [HZB], ["USA"], "2025-01-02", "2025-01-01")
    with pytest.raises(evsupply.ParameterError, match="plants"):
        access_timeline(t, "polestar_4", ["no_such_plant"], ["USA"], "2025-01-01", "2025-01-02")
