"""What an analyst reads off a chart's legend: country names (never `ZZZ`), and the periods in which a car is
barred shaded on the duty charts, with a legend entry."""

from __future__ import annotations

import pandas as pd

import evsupply
from evsupply.analysis.ownership import direct_stakes
from evsupply.figures.flows import MAP_HEIGHT_PX, flow_map
from evsupply.figures.ownership import country_name, ownership_graph_figure
from evsupply.figures.policy import BARRED_NAME, barred_periods, duty_timeline_figure


def test_the_ownership_legend_names_countries_and_never_shows_zzz() -> None:
    # main: the legend of ownership.html listed "ZZZ" (PSD Investment, data/companies.csv: country ZZZ).
    tables = evsupply.load()
    edges = direct_stakes(tables, "2026-11-27")
    edges = edges[edges["owned_id"].eq("polestar") | edges["owner_id"].eq("psd_investment")]
    fig = ownership_graph_figure(edges, tables["companies"]).to_dict()
    legend = {trace["name"] for trace in fig["data"]}
    assert "Country unknown" in legend and "ZZZ" not in legend
    assert not [name for name in legend if len(name) == 3 and name.isupper()]  # no ISO code shown as a name
    assert country_name("CHN") == "China" and country_name("ZZZ") == "Country unknown"
    assert country_name("TUR", {"TUR": "Türkiye"}) == "Türkiye" and country_name("XKX") == "XKX"


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


def test_maps_are_drawn_taller_than_plotlys_default() -> None:
    # main: maps at plotly's default 450 px, too small to tell Ghent from Graz (issue 15, item 7).
    tables = evsupply.load()
    lanes = evsupply.analysis.shipping.flows.build_flows(tables, origin="renault_korea_busan", markets=["KOR", "CAN"])
    fig = flow_map(lanes, tables["plants"], tables["ports"]).to_dict()
    assert fig["layout"]["height"] == MAP_HEIGHT_PX >= 600
