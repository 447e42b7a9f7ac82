"""evsupply's maps draw offline anywhere: no plotly.js base layer is on and no trace places data by `locationmode`
(either would make plotly.js fetch world_110m.json from its CDN); the countries travel as the first traces."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

import evsupply
from evsupply.analysis.shipping.flows import build_flows
from evsupply.figures.flows import flow_map
from evsupply.figures.maps import (
    BASE_LAYERS,
    BASE_MAP_NAME,
    OCEAN_NAME,
    plants_ports_map,
)

# plotly.js 4.1 (src/plots/geo/geo.js, `needsTopojson`) fetches the topojson when any of these layout keys is true.
PLOTLY_FETCHING_LAYERS = {"showcoastlines", "showland", "showocean", "showlakes", "showrivers", "showcountries"}


def traces_by_name(fig: dict) -> dict[str, dict]:
    return {t.get("name"): t for t in fig["data"]}


def assert_draws_offline(figure: go.Figure) -> None:
    """What plotly.js sees (the figure's JSON, as a notebook stores it) asks for no base map from the network."""
    fig = json.loads(pio.to_json(figure))
    geo = fig["layout"]["geo"]
    # Explicitly off in the layout, so no template (plotly's default turns land and lakes on) can turn one on.
    assert {f"show{layer}" for layer in BASE_LAYERS} >= PLOTLY_FETCHING_LAYERS
    for layer in BASE_LAYERS:
        assert geo[f"show{layer}"] is False, layer
    for trace in fig["data"]:
        assert "locationmode" not in trace and "locations" not in trace, trace.get("name")
    names = [t.get("name") for t in fig["data"]]
    assert names[:2] == [OCEAN_NAME, BASE_MAP_NAME]  # drawn first, under the data
    for base in fig["data"][:2]:
        assert base["hoverinfo"] == "skip" and base["showlegend"] is False and base["fill"] == "toself"


@pytest.fixture(scope="module")
def tables():
    return evsupply.load()


def test_plants_and_ports_map(tables) -> None:
    figure = plants_ports_map(tables.plants, tables.ports)
    assert_draws_offline(figure)
    traces = traces_by_name(figure.to_dict())
    plants, ports = traces["Vehicle plants"], traces["Seaports"]
    assert list(plants["customdata"]) == list(tables.plants["plant_id"])
    assert list(ports["customdata"]) == list(tables.ports["port_id"])
    busan = list(plants["customdata"]).index("renault_korea_busan")
    assert "estimated" in plants["text"][busan] and "source: " in plants["text"][busan]
    # Framed on the points (plotly's fitbounds would frame the base map, the whole world): every point inside.
    geo = figure.to_dict()["layout"]["geo"]
    south, north = geo["lataxis"]["range"]
    assert south <= min(tables.plants["latitude"].min(), tables.ports["latitude"].min())
    assert north >= max(tables.plants["latitude"].max(), tables.ports["latitude"].max())


def test_flow_map_draws_offline(tables) -> None:
    lanes = build_flows(tables, origin="renault_korea_busan", markets=["USA", "CAN"])
    assert_draws_offline(flow_map(lanes, tables.plants, tables.ports))
