"""A latest count older than two years says so in the brief's counted line (issue 23 item 3); a recent one does not.

Hand-made state of play: only the fields the counted line reads."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd

from evsupply.analysis.cases.state import StateOfPlay
from evsupply.core.tables import Tables
from evsupply.findings.brief import counted_line

TABLES = Tables(
    {
        "companies": pd.DataFrame({"company_id": ["acme"], "company_name": ["Acme Motors"]}),
        "models": pd.DataFrame({"model_id": ["roadster"], "model_name": ["Roadster"]}),
        "markets": pd.DataFrame({"market_id": ["CAN"], "market_name": ["Canada"]}),
    }
)


def state(period_end: str, on_date: dt.date) -> StateOfPlay:
    count = pd.Series(
        {
            "model_id": "roadster",
            "market_id": "CAN",
            "quantity": "production",
            "bound": "exact",
            "vehicles_count": 1200,
            "period_start": pd.Timestamp("2021-01-01"),
            "period_end": pd.Timestamp(period_end),
            "basis": "reported",
            "source_id": "acme_release",
        }
    )
    end = pd.Timestamp(period_end).date()
    age = (on_date.year - end.year) * 12 + on_date.month - end.month
    fields = {f.name: None for f in dataclasses.fields(StateOfPlay)}
    fields.update(
        case_id="acme_case",
        case_name="Acme",
        on_date=on_date,
        plant_id="acme_plant",
        plant_name="Acme plant",
        brand_id="acme",
        markets=(),
        count=count,
        count_age_months=age,
        plant_status="producing",
        status={},
    )
    return StateOfPlay(**fields)


def test_a_count_of_2021_read_in_december_2026_says_it_is_old() -> None:
    # 2021-12-31 to 2026-12-08: 60 months, more than 24.
    line = counted_line(state("2021-12-31", dt.date(2026, 12, 8)), TABLES)
    assert "60 months before 2026-12-08 (over two years old: no later count was found)" in line.text


def test_a_count_of_last_year_does_not() -> None:
    # 2025-12-31 to 2026-12-08: 12 months.
    line = counted_line(state("2025-12-31", dt.date(2026, 12, 8)), TABLES)
    assert "12 months before 2026-12-08." in line.text and "over two years" not in line.text
