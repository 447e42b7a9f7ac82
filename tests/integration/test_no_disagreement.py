"""No disagreement, by construction (issue 25 item 10): each disagreement the UX study (2026-12, §2.2 rows 1, 2, 4,
15, 27) found between two pages, checked on the real data at the function every page reads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import evsupply
from evsupply.analysis.cases.atlas import case_table
from evsupply.analysis.cases.state import state_of_play
from evsupply.analysis.counts.observed import plan_vs_observed
from evsupply.analysis.shipping.flows import build_flows
from evsupply.analysis.trade.policy import market_access
from evsupply.findings.brief import duty_line, sale_line
from evsupply.pages import atlas

DAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def tables():
    return evsupply.load()


def _segment(text: str, market_name: str) -> str:
    """The part of a five-line sentence about one market (parts are joined by '; ')."""
    return next(part for part in text.split("; ") if market_name in part)


def test_the_brief_does_not_call_the_us_duty_barred_on_a_day_model_year_2026_may_be_sold(tables):
    # Study row 1: market access says the MY2026 Polestar 4 from Busan may be sold in the US on 2026-11-27 (the BIS
    # refusal bars model year 2027 on); the brief's duty line said "(barred)" beside the duty.
    access = market_access(tables, "polestar_4", "renault_korea_busan", "USA", DAY)
    assert access.is_allowed and access.model_year == 2026
    state = state_of_play(tables, "busan_polestar_4", DAY)
    us = _segment(duty_line(state, tables).text, "United States")
    assert "(barred)" not in us
    assert "model year 2027" in us  # the ban is named with the model year it starts from
    # The sale line, read from the same state, says the same thing.
    sale = sale_line(state).text
    assert "model year 2026 may still be sold" in sale and "from model year 2027" in sale


def test_the_atlas_does_not_say_production_ended_at_busan_while_the_plant_exports(tables):
    # Study row 2: only the US lane ended (2026-06-29); Busan still builds and exports the Polestar 4 for Canada.
    row = case_table(tables, DAY, ["busan_polestar_4"]).iloc[0]
    assert row["status"] == "exporting"
    assert pd.isna(row["production_end"])  # the plant did not stop
    assert dict(row["ended_lanes"]) == {"USA": pd.Timestamp("2026-06-29")}
    state = state_of_play(tables, "busan_polestar_4", DAY)
    assert state.plant_status == row["status"]


def test_the_atlas_duty_chart_does_not_headline_a_barred_route(tables, monkeypatch):
    # Study row 27: the chart title said "Up to 127.5 points of duty avoided (Polestar 3 at ... Ridgeville ... into
    # United States)" while the same page's finding says that route is barred, so no duty is avoided there.
    p = atlas.SPEC.check({"on_date": str(DAY), "cases": []}, tables)
    r = atlas.build(tables, p)
    shown = {}
    monkeypatch.setattr(atlas, "show_chart", lambda fig, *a, **k: shown.setdefault("title", fig.layout.title.text))
    atlas.show_duty_avoided(r)
    barred = [f for f in atlas.findings(r) if f.key.startswith("atlas_barred:ridgeville_polestar_3:USA")]
    assert barred, "the Ridgeville → US route is barred from model year 2027 on this day"
    largest = next(f for f in atlas.findings(r) if f.key.startswith("atlas_largest_duty_avoided:"))
    assert "Ridgeville" not in shown["title"] or "United States" not in shown["title"]
    # The chart's headline is the finding's route and points.
    assert f"{largest.numbers['duty_avoided_pct']:g} points" in shown["title"]


def test_the_ghent_brief_count_is_of_the_case_not_every_volvo_built_there_in_2021(tables):
    # Study row 4: the "latest count" was 183,000 Volvo cars of every model built at Ghent in 2021, years before the
    # EX30 (the case's model) was built there from 2025-04; the flows page it links to says no count was found.
    state = state_of_play(tables, "ghent_volvo_ex30", DAY)
    assert state.count is None or pd.Timestamp(state.count["period_end"]) >= pd.Timestamp("2025-04-01")
    # The flows page's count of the lanes (plan_vs_observed) agrees where the brief's count is a lane's (cars that
    # reached a market): none on either page, or a count on both. A count of the plant's output (the 21,845 EX30
    # built in 2025, data 0.4.0) is the plant's, not a lane's, and the flows page does not list it.
    lanes = build_flows(tables, origin="volvo_ghent", markets=[], year=2026)
    counted = plan_vs_observed(tables, lanes)["observed_vehicles"].notna().any()
    if state.count is None or state.count["quantity"] != "production":
        assert (state.count is not None) == bool(counted)
    else:
        assert state.count["model_id"] == "volvo_ex30"


def test_flows_give_the_us_lane_no_full_year_of_the_plan_in_2026_after_the_us_exit(tables):
    # Study row 15: the US lane ended 2026-06-29 (Polestar's retreat), yet flows drew 5,000 planned US cars for 2026
    # (the 10,000 plan split equally over CAN and USA, for the whole year). The lane was open January to June: 5,000
    # x 6/12 = 2,500; Canada keeps its 5,000; from 2027 the US gets none (volume_scenarios.csv's note).
    lanes = build_flows(tables, origin="renault_korea_busan", markets=[], year=2026)
    planned = lanes[lanes["volume_basis"] == "scenario"].set_index("market_id")["volume_units_per_year"]
    assert planned.to_dict() == {"CAN": 5000.0, "USA": 2500.0}
    later = build_flows(tables, origin="renault_korea_busan", markets=[], year=2027)
    assert list(later["market_id"]) == ["CAN"]
