"""What an analyst reads off a chart's legend: country names (never `ZZZ`), and the periods in which a car is
barred shaded on the duty charts, with a legend entry."""

from __future__ import annotations

import evsupply
from evsupply.analysis.ownership import direct_stakes
from evsupply.figures.flows import MAP_HEIGHT_PX, flow_map
from evsupply.figures.ownership import country_name, ownership_graph_figure


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


def test_maps_are_drawn_taller_than_plotlys_default() -> None:
    # main: maps at plotly's default 450 px, too small to tell Ghent from Graz (issue 15, item 7).
    tables = evsupply.load()
    lanes = evsupply.analysis.shipping.flows.build_flows(tables, origin="renault_korea_busan", markets=["KOR", "CAN"])
    fig = flow_map(lanes, tables["plants"], tables["ports"]).to_dict()
    assert fig["layout"]["height"] == MAP_HEIGHT_PX >= 600
