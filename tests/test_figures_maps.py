"""The plants-and-ports map and the offline base map in JupyterLab."""

from __future__ import annotations

import plotly.io as pio
import pytest

import evsupply
from evsupply.figures.maps import LOCAL_TOPOJSON_ENV, plants_ports_map, use_local_base_map


def test_plants_and_ports_map() -> None:
    tables = evsupply.load()
    fig = plants_ports_map(tables.plants, tables.ports).to_dict()
    plants, ports = fig["data"]
    assert list(plants["customdata"]) == list(tables.plants["plant_id"])
    assert list(ports["customdata"]) == list(tables.ports["port_id"])
    busan = list(plants["customdata"]).index("renault_korea_busan")
    assert "estimated" in plants["text"][busan] and "source: " in plants["text"][busan]
    assert fig["layout"]["geo"]["resolution"] == 110 and fig["layout"]["geo"]["showcountries"]


@pytest.fixture
def mimetype_renderer():
    """The plotly_mimetype renderer as the default, restored afterwards."""
    default, renderer = pio.renderers.default, pio.renderers["plotly_mimetype"]
    config = dict(renderer.config or {})
    pio.renderers.default = "plotly_mimetype"
    yield renderer
    pio.renderers.default, renderer.config = default, config


def test_lab_kernels_load_the_base_map_from_the_jupyter_server(monkeypatch, mimetype_renderer) -> None:
    monkeypatch.delenv(LOCAL_TOPOJSON_ENV, raising=False)
    use_local_base_map()
    assert "topojsonURL" not in (mimetype_renderer.config or {})  # reports and papermill: left alone
    monkeypatch.setenv(LOCAL_TOPOJSON_ENV, "/static/")  # as `make lab` sets it
    use_local_base_map()
    assert mimetype_renderer.config["topojsonURL"] == "/static/"
