"""Flow figures, tested on their data (`fig.to_dict()`)."""

from __future__ import annotations

import pytest
from kit import load_tables

from evsupply.analysis.shipping.flows import build_flows
from evsupply.analysis.shipping.routes import RouteCache
from evsupply.figures.flows import flow_map, flow_sankey
from evsupply.pages.common import with_names


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("figures")
    tables = load_tables(folder / "data")
    lanes = build_flows(tables, cache=RouteCache(folder=folder / "routes"))
    return tables, lanes


def test_flow_map(data) -> None:
    tables, lanes = data
    fig = flow_map(lanes, tables.plants, tables.ports).to_dict()
    traces = {t["name"]: t for t in fig["data"]}
    assert fig["layout"]["geo"]["resolution"] == 110
    usa = traces["renault_korea_busan → USA"]
    # The trans-Pacific route is one unbroken line (its antimeridian split is joined for drawing), on a map
    # centred over the Pacific rather than cut at the map's edge.
    assert None not in usa["lon"] and any(x == 180 for x in usa["lon"]) and any(x == -180 for x in usa["lon"])
    assert all(-180 <= x <= 180 for x in usa["lon"])
    assert abs(fig["layout"]["geo"]["projection"]["rotation"]["lon"]) > 150
    assert "5,000 cars/yr" in usa["text"][0] and "fixture_plan" in usa["text"][0] and "kg per car" in usa["text"][0]
    china = traces["geely_hangzhou_bay → CHN"]
    assert china["line"]["dash"] == "dot" and "n/a cars/yr" in china["text"][0]
    assert usa["line"]["width"] > china["line"]["width"]  # weighted by volume
    assert set(traces["Vehicle plants"]["customdata"]) == {"renault_korea_busan", "geely_hangzhou_bay"}
    assert set(traces["Ports"]["customdata"]) == {"KRPUS", "USLAX", "CAVAN"}


def test_flow_sankey(data) -> None:
    _, lanes = data
    sankey = flow_sankey(lanes).to_dict()["data"][0]
    labels = sankey["node"]["label"]
    # Lanes without name columns are labelled by id; the ids also travel in the hover data.
    assert labels == ["renault_korea_busan", "KRPUS", "CAVAN", "CAN", "USLAX", "USA"]
    assert sankey["node"]["customdata"][3] == "market: CAN"
    links = {
        (labels[s], labels[t]): v
        for s, t, v in zip(sankey["link"]["source"], sankey["link"]["target"], sankey["link"]["value"], strict=True)
    }
    assert links[("renault_korea_busan", "KRPUS")] == 10000
    assert links[("USLAX", "USA")] == 5000
    assert not any("CHN" in label for label in labels)  # no volume, no flow


def test_flow_figures_use_human_names(data) -> None:
    tables, lanes = data
    named = with_names(lanes, tables)
    labels = flow_sankey(named).to_dict()["data"][0]["node"]["label"]
    # Names from the fixture tables (kit.ROWS): plant "Busan plant", ports "Busan", "Vancouver", "Los Angeles".
    assert labels == ["Busan plant", "Busan", "Vancouver", "Canada", "Los Angeles", "United States"]
    names = {t["name"] for t in flow_map(named, tables.plants, tables.ports).to_dict()["data"]}
    assert "Busan plant → United States" in names and not any("renault_korea_busan" in n for n in names)


def test_flow_sankey_without_volume_says_so(data) -> None:
    _, lanes = data
    fig = flow_sankey(lanes.assign(volume_units_per_year=0.0)).to_dict()
    assert fig["data"] == []  # an empty Sankey would make plotly.js throw in the report
    assert "No lane has a volume" in fig["layout"]["annotations"][0]["text"]
