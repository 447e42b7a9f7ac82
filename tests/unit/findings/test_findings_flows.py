"""The flows findings (findings.flows.lane_findings): on the kit's hand-made tables, sentences and numbers written
by hand; on the real tables, the defects of issue 15 (each names its source)."""

from __future__ import annotations

import pytest

import evsupply
from evsupply.analysis.counts.observed import plan_vs_observed
from evsupply.analysis.shipping.flows import build_flows
from evsupply.findings.flows import lane_findings
from tests import kit

CAN_COUNT = {
    "observation_id": "busan_can_2025_11",
    "quantity": "exports",
    "maker_id": "polestar",
    "model_id": "polestar_4",
    "vehicle_scope": "electric_vehicles",
    "plant_id": "renault_korea_busan",
    "origin_country_code": "KOR",
    "market_id": "CAN",
    "period_start": "2025-11-01",
    "period_end": "2025-11-30",
    "vehicles_count": "300",
    "bound": "exact",
    "basis": "reported",
    "source_id": "fixture_source",
    "source_quote": "fixture quote",
    "checked_on": "2026-11-27",
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    rows = {**kit.ROWS, "observations": [CAN_COUNT]}
    return evsupply.load(kit.write_data(tmp_path_factory.mktemp("flows_findings"), rows))


def run(tables, **kw):
    lanes = build_flows(tables, **kw)
    return {f.key: f for f in lane_findings(tables, lanes, plan_vs_observed(tables, lanes), kw["year"], "default")}


def test_a_count_against_a_like_period_of_the_plan(small):
    found = run(small, origin="renault_korea_busan", markets=["USA", "CAN", "KOR"], year=2026)
    can = found["lane_count:polestar_4:renault_korea_busan:CAN"]
    # The plant's 10,000 a year (fixture_plan) split over its two live lanes (USA pilot, CAN confirmed): 5,000 a
    # year on Canada; a month of it is 5,000 / 12 = 416.7.
    assert can.text == (
        "Counted on Busan plant → Canada: 300 exported in November 2025, against about 417 planned for 1 month "
        "(5,000 a year × 1/12)."
    )
    assert can.evidence == "observed"
    assert can.numbers["observed_vehicles"] == 300 and can.numbers["months"] == 1
    assert can.numbers["planned_for_period"] == pytest.approx(5000 / 12)
    assert can.source_ids == ("fixture_source", "fixture_plan")


def test_no_count_is_none_found(small):
    found = run(small, origin="renault_korea_busan", markets=["USA", "CAN", "KOR"], year=2026)
    usa = found["lane_count:polestar_4:renault_korea_busan:USA"]
    assert usa.evidence == "none_found"
    assert usa.text == (
        "No count found for Busan plant → United States (latest production claim: pilot since 2025-07, observed)."
    )
    assert usa.numbers["observed_vehicles"] is None


def test_the_plan_is_planned_and_names_its_split(small):
    plan = run(small, origin="renault_korea_busan", markets=["USA", "CAN", "KOR"], year=2026)[
        "plan:renault_korea_busan:2026"
    ]
    assert plan.evidence == "planned"
    assert plan.numbers["planned_units_per_year"] == 10_000 and plan.numbers["lanes"] == 2
    assert plan.source_ids == ("fixture_plan",)
    assert plan.assumptions


def test_a_land_lane_gives_its_road_distance_not_zero_km_at_sea(small):
    found = run(small, origin="renault_korea_busan", markets=["USA", "CAN", "KOR"], year=2026)
    road = found["road:polestar_4:renault_korea_busan:KOR"]
    assert "is a land lane: about" in road.text and "km by road" in road.text
    assert road.numbers["sea_distance_km"] is None and road.numbers["road_distance_km"] > 0
    assert "0 km at sea" not in " ".join(f.text for f in found.values())


def test_a_counterfactual_is_a_what_if_never_a_plan(small):
    found = run(small, origin="geely_hangzhou_bay", markets=["CAN"], year=2026)
    what_if = found["what_if:polestar_4:geely_hangzhou_bay:CAN"]
    assert what_if.evidence == "what_if"
    assert what_if.text.startswith("What-if: Hangzhou Bay → Canada is not a planned lane")
    assert what_if.numbers["what_if_units_per_year"] == 5000
    assert not any(f.evidence == "planned" for f in found.values())
    assert not any(f.text.startswith("Announced") for f in found.values())
