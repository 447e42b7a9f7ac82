"""The flows findings on the real tables: the defects of issue 15, each with its source (the sentences on hand-made
tables are in tests/unit/findings)."""

from __future__ import annotations

import pytest

import evsupply
from evsupply.analysis.counts.observed import plan_vs_observed
from evsupply.analysis.shipping.flows import build_flows
from evsupply.findings.flows import lane_findings


def run(tables, **kw):
    lanes = build_flows(tables, **kw)
    return {f.key: f for f in lane_findings(tables, lanes, plan_vs_observed(tables, lanes), kw["year"], "default")}


@pytest.fixture(scope="module")
def real():
    return evsupply.load()


def test_a_flows_run_for_a_barred_year_says_so(real):
    # Polestar was refused a US authorisation on 2026-06-25 (rbtfl_2026_polestar_us_ban) under the connected-vehicle
    # rule binding from model year 2027 (us_cv_china_nexus_my2027, mayerbrown_2025_connected_vehicles).
    found = run(real, origin="renault_korea_busan", markets=["USA"], year=2027)
    barred = found["lane_barred:polestar_4:renault_korea_busan:USA"]
    assert barred.text.startswith(
        "Barred in 2027: Renault Korea Busan plant → United States may not be sold from model year 2027"
    )
    # The Busan → US lane ended on 2026-06-29 (datacore 0.3.0), so 2027 plans no cars on it: nothing "shown" to bar.
    assert "cannot be sold there" not in barred.text
    assert {"rbtfl_2026_polestar_us_ban", "mayerbrown_2025_connected_vehicles"} <= set(barred.source_ids)
    assert next(iter(found)) == barred.key  # the analysis puts it first


def test_the_counterfactual_lane_is_not_an_announced_plan_on_the_real_tables(real):
    lanes = build_flows(real, origin="geely_hangzhou_bay", markets=["USA", "CAN"], year=2026)
    other = build_flows(real, origin="renault_korea_busan", markets=["USA", "CAN"], year=2026)
    found = lane_findings(real, lanes, plan_vs_observed(real, lanes), 2026, "default", other)
    assert not any(f.evidence == "planned" for f in found)
    assert {f.evidence for f in found if f.key.startswith("what_if:")} == {"what_if"}
    # Busan → Korea counted nothing is none_found, never observed (flows_busan).
    busan = build_flows(real, origin="renault_korea_busan", markets=["KOR"], year=2026)
    kor = {f.key: f for f in lane_findings(real, busan, plan_vs_observed(real, busan), 2026, "default")}
    assert kor["lane_count:polestar_4:renault_korea_busan:KOR"].evidence == "none_found"


def test_a_comparison_states_its_differences(real):
    lanes = build_flows(real, origin="geely_hangzhou_bay", markets=["USA"], year=2026)
    other = build_flows(real, origin="renault_korea_busan", markets=["USA"], year=2026)
    found = lane_findings(real, lanes, plan_vs_observed(real, lanes), 2026, "default", other)
    cmp = next(f for f in found if f.key.startswith("compare:"))
    a, b = lanes.iloc[0], other.iloc[0]
    assert cmp.numbers["sea_km_difference"] == pytest.approx(a["sea_distance_km"] - b["sea_distance_km"])
    assert cmp.numbers["sea_days_difference"] == pytest.approx(a["sea_transit_days"] - b["sea_transit_days"])
    # 2.5% MFN + 100% section 301 + 25% section 232 = 127.5% from China against 15% on Korean cars
    # (btlaw_2025_auto_tariffs, livingston_2024_section301, ghy_2025_korea_15pct): 112.5 points.
    assert cmp.numbers["duty_pct_difference"] == pytest.approx(112.5)
    assert "112.5 more duty points" in cmp.text and "km at sea" in cmp.text and "kg CO2e" in cmp.text
