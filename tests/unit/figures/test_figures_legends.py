"""What an analyst reads off a chart's legend: country names (never `ZZZ`), and the periods in which a car is
barred shaded on the duty charts, with a legend entry."""

from __future__ import annotations

import pandas as pd

from evsupply.figures.policy import BARRED_NAME, barred_periods, duty_timeline_figure


def _timeline() -> pd.DataFrame:
    # Hand-made: the US route is barred from 2027-01-01 (to the timeline's end, 2027-12-31); Canada never.
    return pd.DataFrame(
        {
            "plant_id": ["p"] * 5,
            "market_id": ["USA", "USA", "USA", "CAN", "CAN"],
            "plant_name": ["Plant"] * 5,
            "market_name": ["United States"] * 3 + ["Canada"] * 2,
            "on_date": pd.to_datetime(["2026-01-01", "2027-01-01", "2027-06-01", "2026-01-01", "2027-12-31"]),
            "total_duty_pct": [15.0, 15.0, 25.0, 0.0, 0.0],
            "is_allowed": [True, False, False, True, True],
            "measure_ids": [[]] * 5,
        }
    )


def test_barred_periods_are_shaded_with_a_legend_entry() -> None:
    timeline = _timeline()
    assert barred_periods(timeline) == [(pd.Timestamp("2027-01-01"), pd.Timestamp("2027-12-31"))]
    fig = duty_timeline_figure(timeline).to_dict()
    shapes = fig["layout"]["shapes"]
    assert [(s["x0"], s["x1"]) for s in shapes] == [("2027-01-01", "2027-12-31")]
    assert shapes[0]["showlegend"] is True and shapes[0]["name"] == BARRED_NAME


def test_nothing_is_shaded_when_the_car_may_always_be_sold() -> None:
    timeline = _timeline().assign(is_allowed=True)
    assert barred_periods(timeline) == []
    assert not duty_timeline_figure(timeline).to_dict()["layout"].get("shapes")
