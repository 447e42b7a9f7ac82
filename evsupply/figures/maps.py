"""World maps that draw offline anywhere: a base map of countries carried as a trace, and the plants-and-ports map.

plotly.js fetches its base map (`world_110m.json`) from a CDN whenever a geo subplot shows one of its own base
layers (coastlines, land, ocean, lakes, rivers, countries, subunits) or a trace places data by `locationmode`. So
evsupply's maps turn every such layer off and draw the countries themselves, as the first trace: the Natural Earth
1:110m shapes the package ships (core/assets/topojson), simplified. The figure then needs nothing but plotly.js,
in JupyterLab, VS Code, nbconvert or a report, with no network and no setting.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from evsupply.core.paths import WORLD_TOPOJSON
from evsupply.data.metadata.labels import code_words
from evsupply.figures.text import inert_inputs

PLANT_COLOUR = "#c0392b"
PORT_COLOUR = "#1f5f8b"
LAND_COLOUR = "#f2efe9"
BORDER_COLOUR = "#9a9a9a"
OCEAN_COLOUR = "#e3eef6"

# plotly.js's own base layers: each one, when shown, makes plotly.js fetch its topojson.
BASE_LAYERS = ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
OCEAN_NAME = "Ocean"
BASE_MAP_NAME = "Countries (Natural Earth 1:110m)"
# Simplification of the shipped shapes: at most 0.5° off (a pixel or two on a world map), islands under one
# square degree left out, coordinates to 0.1°; about 37 KB of figure JSON for the whole world.
TOLERANCE_DEG = 0.5
MIN_AREA_SQ_DEG = 1.0


def _arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """The topology's arcs as lon/lat arrays (TopoJSON arcs are quantised and delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        q = np.cumsum(np.asarray(arc, dtype=float), axis=0)
        out.append(np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty]))
    return out


def _exterior_rings(geometries: list[dict[str, Any]]) -> list[list[int]]:
    """The arc indices of every polygon's exterior ring (enclaves such as Lesotho are countries of their own)."""
    rings = []
    for geometry in geometries:
        polygons = {"Polygon": [geometry.get("arcs")], "MultiPolygon": geometry.get("arcs")}.get(geometry["type"], [])
        rings += [polygon[0] for polygon in polygons or [] if polygon]
    return rings


@cache
def country_outlines() -> tuple[tuple[float | None, ...], tuple[float | None, ...]]:
    """Longitudes and latitudes of every country's outline, rings separated by None, in the winding plotly.js
    (d3-geo) fills as the country's inside. Shared borders are simplified once, so neighbours still meet."""
    topology = json.loads(WORLD_TOPOJSON.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    simplified: dict[int, np.ndarray] = {}

    def arc(index: int) -> np.ndarray:
        # A negative index ~i is arc i reversed (TopoJSON); an arc's simplification keeps its two ends.
        i = index if index >= 0 else ~index
        if i not in simplified:
            simplified[i] = shapely.get_coordinates(shapely.simplify(shapely.LineString(arcs[i]), TOLERANCE_DEG))
        return simplified[i] if index >= 0 else simplified[i][::-1]

    lons: list[float | None] = []
    lats: list[float | None] = []
    for ring in _exterior_rings(topology["objects"]["countries"]["geometries"]):
        points = np.concatenate([arc(i)[:-1] for i in ring] + [arc(ring[-1])[-1:]])
        if abs(shapely.Polygon(points).area) < MIN_AREA_SQ_DEG:
            continue
        points = np.round(points, 1)
        points = points[np.r_[True, np.any(np.diff(points, axis=0) != 0, axis=1)]]
        if len(points) < 4:
            continue
        for values, out in ((points[:, 0], lons), (points[:, 1], lats)):
            out += [int(v) if v.is_integer() else float(v) for v in values]
            out.append(None)
    return tuple(lons), tuple(lats)


def _ocean_outline() -> tuple[list[float | None], list[float | None]]:
    """The whole sphere as three lunes 120° wide (d3-geo fills a polygon smaller than a hemisphere as its inside)."""
    lats = list(range(-90, 91, 10))
    lons: list[float | None] = []
    out_lats: list[float | None] = []
    for west in (-180, -60, 60):
        lons += [west] * len(lats) + [west + 120] * len(lats) + [None]
        out_lats += lats + lats[::-1] + [None]
    return lons, out_lats


def outlines_within(
    lon_range: tuple[float, float], lat_range: tuple[float, float], margin_deg: float = 10.0
) -> tuple[list[float | None], list[float | None]]:
    """The country outlines (as `country_outlines`) of the rings that reach into a lon/lat box widened by
    `margin_deg`: all a regional map shows, without drawing the rest of the world off its edges."""
    lons, lats = country_outlines()
    (west, east), (south, north) = lon_range, lat_range
    out_lons: list[float | None] = []
    out_lats: list[float | None] = []
    start = 0
    for end, value in enumerate(lons):
        if value is not None:
            continue
        ring_lons, ring_lats = lons[start:end], lats[start:end]
        if (
            min(ring_lons) <= east + margin_deg  # type: ignore[type-var, operator]
            and max(ring_lons) >= west - margin_deg  # type: ignore[type-var, operator]
            and min(ring_lats) <= north + margin_deg  # type: ignore[type-var, operator]
            and max(ring_lats) >= south - margin_deg  # type: ignore[type-var, operator]
        ):
            out_lons += [*ring_lons, None]
            out_lats += [*ring_lats, None]
        start = end + 1
    return out_lons, out_lats


def base_map_traces(
    lon_range: tuple[float, float] | None = None, lat_range: tuple[float, float] | None = None
) -> list[go.Scattergeo]:
    """The base map of every evsupply map, to draw before the data: the ocean, then the countries (filled and
    outlined; for a regional map given its lon/lat ranges, only those that reach into it). Neither has hover text
    or a legend entry."""
    ocean_lons, ocean_lats = _ocean_outline()
    if lon_range is None or lat_range is None:
        lons, lats = country_outlines()
    else:
        lons, lats = outlines_within(lon_range, lat_range)
    common = {"mode": "lines", "fill": "toself", "hoverinfo": "skip", "showlegend": False}
    return [
        go.Scattergeo(
            name=OCEAN_NAME, lon=ocean_lons, lat=ocean_lats, fillcolor=OCEAN_COLOUR, line={"width": 0}, **common
        ),
        go.Scattergeo(
            name=BASE_MAP_NAME,
            lon=list(lons),
            lat=list(lats),
            fillcolor=LAND_COLOUR,
            line={"color": BORDER_COLOUR, "width": 0.5},
            **common,
        ),
    ]


def map_figure() -> go.Figure:
    """An empty map whose first traces are the base map; add the data's traces after them."""
    return go.Figure(base_map_traces())


def base_geo_layout(**overrides: Any) -> dict[str, Any]:
    """Geo layout with every plotly.js base layer off (so nothing is fetched): the base map is a trace instead."""
    geo: dict[str, Any] = {f"show{layer}": False for layer in BASE_LAYERS}
    geo.update(
        {
            "resolution": 110,
            "projection": {"type": "natural earth"},
            "showframe": True,
            "framecolor": "#c8ced4",
            "framewidth": 1,
            "bgcolor": "white",
        }
    )
    geo.update(overrides)
    return geo


def fitted_geo_layout(lons: list[float], lats: list[float], pad_deg: float = 8.0, **overrides: Any) -> dict[str, Any]:
    """`base_geo_layout` framed on the given points (plotly's `fitbounds` would frame the whole base map)."""
    lon = np.asarray([x for x in lons if pd.notna(x)], dtype=float)
    lat = np.asarray([y for y in lats if pd.notna(y)], dtype=float)
    if not len(lon):
        return base_geo_layout(**overrides)
    lat_range = [max(-90.0, float(lat.min()) - pad_deg), min(90.0, float(lat.max()) + pad_deg)]
    ranges: dict[str, Any] = {"lataxis": {"range": [round(v, 2) for v in lat_range]}}
    west, east = float(lon.min()) - pad_deg, float(lon.max()) + pad_deg
    if east - west < 300:  # else the whole world's width: leave the longitudes alone
        ranges["lonaxis"] = {"range": [round(max(-180.0, west), 2), round(min(180.0, east), 2)]}
    return base_geo_layout(**ranges, **overrides)


def _hover(df: pd.DataFrame, name_col: str, lines: list[str]) -> list[str]:
    """Hover lines from a frame's columns, coded columns in words ('under construction', 'Country unknown')."""
    out = []
    for _, row in df.iterrows():
        words = {k: code_words(str(k), v) if isinstance(v, str) else v for k, v in row.items()}
        out.append("<br>".join([f"<b>{row[name_col]}</b>", *(line.format(**words) for line in lines)]))
    return out


@inert_inputs
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


@inert_inputs
def plants_ports_map(plants: pd.DataFrame, ports: pd.DataFrame, title: str = "Plants and ports") -> go.Figure:
    """Map of vehicle plants and seaports, with hover text naming each location's basis and source."""
    fig = map_figure()
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
        geo=fitted_geo_layout([*plants["longitude"], *ports["longitude"]], [*plants["latitude"], *ports["latitude"]]),
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={"orientation": "h", "y": -0.02},
    )
    return fig
