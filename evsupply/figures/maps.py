"""Offline world maps: a base geo layout and the plants-and-ports map."""

from __future__ import annotations

import os
from typing import Any

import pandas as pd
import plotly.graph_objects as go

PLANT_COLOUR = "#c0392b"
PORT_COLOUR = "#1f5f8b"


# Set by `make lab`: the URL at which the Jupyter server serves evsupply/assets/topojson/ (see the Makefile).
LOCAL_TOPOJSON_ENV = "EVSUPPLY_TOPOJSON_URL"


def use_local_base_map() -> None:
    """In a kernel started by `make lab`, make plotly's notebook renderer load the base map from the Jupyter
    server instead of plotly's CDN (the rendered reports carry their base map themselves)."""
    url = os.environ.get(LOCAL_TOPOJSON_ENV)
    if not url:
        return
    import plotly.io as pio  # here, not at import: the renderer must be chosen in the kernel itself

    for name in str(pio.renderers.default).split("+"):
        renderer = pio.renderers[name]
        if hasattr(renderer, "config"):
            renderer.config = {**(renderer.config or {}), "topojsonURL": url}


def base_geo_layout(**overrides: Any) -> dict[str, Any]:
    """Geo layout drawn from the 1:110m world base map (shipped with the reports, no CDN)."""
    use_local_base_map()
    geo = {
        "resolution": 110,
        "projection": {"type": "natural earth"},
        "showcountries": True,
        "countrycolor": "#8a8a8a",
        "showland": True,
        "landcolor": "#f2efe9",
        "showocean": True,
        "oceancolor": "#e3eef6",
        "showcoastlines": True,
        "coastlinecolor": "#8a8a8a",
        "showframe": False,
        "fitbounds": "locations",
    }
    geo.update(overrides)
    return geo


def _hover(df: pd.DataFrame, name_col: str, lines: list[str]) -> list[str]:
    return [
        "<br>".join([f"<b>{row[name_col]}</b>", *(line.format(**row) for line in lines)]) for _, row in df.iterrows()
    ]


def points_trace(
    df: pd.DataFrame, name: str, id_col: str, name_col: str, lines: list[str], style: dict[str, Any]
) -> go.Scattergeo:
    """Markers for a table of locations, with hover lines formatted from its columns."""
    return go.Scattergeo(
        name=name,
        lon=df["longitude"],
        lat=df["latitude"],
        mode="markers",
        marker={**style, "line": {"width": 1, "color": "white"}},
        text=_hover(df, name_col, lines),
        hoverinfo="text",
        customdata=df[id_col],
    )


def plants_ports_map(plants: pd.DataFrame, ports: pd.DataFrame, title: str = "Plants and ports") -> go.Figure:
    """Map of vehicle plants and seaports, with hover text naming each location's basis and source."""
    fig = go.Figure()
    fig.add_trace(
        points_trace(
            plants,
            "Vehicle plants",
            "plant_id",
            "plant_name",
            [
                "{city_name}, {country_code}",
                "status: {plant_status}",
                "location: {location_basis}",
                "source: {source_id}",
            ],
            {"size": 11, "color": PLANT_COLOUR, "symbol": "square"},
        )
    )
    fig.add_trace(
        points_trace(
            ports,
            "Seaports",
            "port_id",
            "port_name",
            ["{port_id} ({country_code})", "role: {port_role}", "location: {location_basis}", "source: {source_id}"],
            {"size": 9, "color": PORT_COLOUR, "symbol": "circle"},
        )
    )
    fig.update_layout(
        title=title,
        geo=base_geo_layout(),
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={"orientation": "h", "y": -0.02},
    )
    return fig
