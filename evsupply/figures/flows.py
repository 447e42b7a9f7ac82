"""Flow figures: a map of lanes (plants, ports, sea routes weighted by volume) and a Sankey plant → port → market."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from evsupply.core.tables import Tables, is_missing
from evsupply.data.metadata.labels import code_words
from evsupply.figures.bars import Series, grouped_bars
from evsupply.figures.maps import (
    PLANT_COLOUR,
    PORT_COLOUR,
    base_geo_layout,
    fitted_geo_layout,
    map_figure,
    points_trace,
)
from evsupply.figures.text import inert_inputs

# Height of every report map: at plotly's default (450 px) a world map is too small to tell nearby plants apart.
MAP_HEIGHT_PX = 640

ROUTE_COLOUR = "#2a7f62"
COUNTERFACTUAL_COLOUR = "#d68910"
LAND_COLOUR = "#7f7f7f"
MIN_WIDTH, MAX_WIDTH = 1.5, 9.0


def _fmt(value: Any, fmt: str = "{:,.0f}", missing: str = "n/a") -> str:
    return missing if value is None or pd.isna(value) else fmt.format(value)


def _name(lane: Any, id_col: str) -> str:
    """The human name of a lane's id column when the frame carries it (`plant_name` beside `plant_id`), else the id."""
    name_col = id_col[:-3] + "_name"
    value = lane.get(name_col) if hasattr(lane, "get") else getattr(lane, name_col, None)
    if is_missing(value):
        value = lane.get(id_col) if hasattr(lane, "get") else getattr(lane, id_col)
    return str(value)


def lane_label(lane: Any) -> str:
    """A lane in words: 'Renault Korea Busan plant → Canada'."""
    return f"{_name(lane, 'plant_id')} → {_name(lane, 'market_id')}"


def lane_labels(frame: pd.DataFrame) -> pd.Series:
    """`lane_label` of every row of `frame`, on its index."""
    return pd.Series([lane_label(row) for _, row in frame.iterrows()], index=frame.index, dtype=object)


def lane_hover(lane: pd.Series) -> str:
    """Hover text of one lane: the route, its numbers in words (CO2e as its range) and the sources behind them."""
    ports = (
        "by land"
        if lane["is_domestic"]
        else f"{_name(lane, 'export_port_id')} ({lane['export_port_id']}) → {_name(lane, 'import_port_id')} "
        f"({lane['import_port_id']})"
    )
    lines = [
        f"<b>{lane_label(lane)}</b>",
        ports,
        f"volume: {_fmt(lane['volume_units_per_year'])} cars/yr ({code_words('volume_basis', lane['volume_basis'])}"
        + (f", source {lane['volume_source_id']}" if pd.notna(lane["volume_source_id"]) else "")
        + ")",
        f"sea: {_fmt(lane['sea_distance_km'])} km = {_fmt(lane['sea_distance_nm'])} nm, "
        f"{_fmt(lane['sea_transit_days'], '{:.1f}')} days at {_fmt(lane['speed_knots'], '{:.0f}')} kn"
        + (f", via {lane['passages']}" if lane["passages"] else ""),
        f"land: {_fmt(lane['land_origin_km'])} km + {_fmt(lane['land_destination_km'])} km (estimated road)",
        f"sea-leg CO2e: {_fmt(lane.get('co2e_kg_per_vehicle_low'))} to {_fmt(lane.get('co2e_kg_per_vehicle_high'))} kg"
        f" per car (low and high cited factors; {_fmt(lane['co2e_kg_per_vehicle'])} with the default), "
        f"{_fmt(lane['co2e_t_per_year'])} t a year",
        f"sources: mass {lane['mass_source_id']}, factor {lane['emission_factor_source_id']}, "
        f"speed {lane['speed_source_id']}",
    ]
    if lane["is_counterfactual"]:
        lines.insert(1, "<i>counterfactual: no production claim for this lane in the year</i>")
    return "<br>".join(lines)


def _line_lonlat(geometry: Any) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of a (multi)line for plotly: parts split at the antimeridian are joined again
    (plotly draws geodesic segments and wraps them itself), other gaps are broken with None."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for part in shapely.get_parts(geometry):
        coords = shapely.get_coordinates(part)
        joins = bool(lons) and lons[-1] is not None and abs(float(lons[-1])) == 180 and abs(coords[0, 0]) == 180
        if lons and not joins:
            lons.append(None)
            lats.append(None)
        lons += coords[:, 0].round(4).tolist()
        lats += coords[:, 1].round(4).tolist()
    return lons, lats


def _widths(volumes: pd.Series) -> np.ndarray:
    v = volumes.astype(float).to_numpy()
    top = np.nanmax(v) if np.isfinite(v).any() and np.nanmax(v) > 0 else 1.0
    return np.where(np.isfinite(v), MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * np.nan_to_num(v) / top, MIN_WIDTH)


@inert_inputs
def flow_map(
    lanes: pd.DataFrame, plants: pd.DataFrame, ports: pd.DataFrame, title: str = "Flows: plants, ports and sea routes"
) -> go.Figure:
    """Map of the lanes: sea routes (width ∝ volume), land legs, plants and the ports used; hover gives the numbers."""
    fig = map_figure()
    widths = _widths(lanes["volume_units_per_year"])
    plant_xy = plants.set_index("plant_id")[["longitude", "latitude"]]
    port_xy = ports.set_index("port_id")[["longitude", "latitude"]]
    for (_, lane), width in zip(lanes.iterrows(), widths, strict=True):
        text = lane_hover(lane)
        colour = COUNTERFACTUAL_COLOUR if lane["is_counterfactual"] else ROUTE_COLOUR
        if not lane["is_domestic"]:
            # The land leg to the export port, then the sea route.
            p, e = plant_xy.loc[lane["plant_id"]], port_xy.loc[lane["export_port_id"]]
            fig.add_trace(
                go.Scattergeo(
                    lon=[p["longitude"], e["longitude"]],
                    lat=[p["latitude"], e["latitude"]],
                    mode="lines",
                    line={"width": 1.5, "color": LAND_COLOUR, "dash": "dot"},
                    hoverinfo="skip",
                    showlegend=False,
                    name="Road to the export port",
                )
            )
        lons, lats = _line_lonlat(lane["geometry"])
        fig.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                name=lane_label(lane),
                legendgroup="lanes",
                line={"width": float(width), "color": colour, "dash": "dot" if lane["is_domestic"] else "solid"},
                text=[text] * len(lons),
                hoverinfo="text",
                opacity=0.85,
                customdata=[lane["lane_id"]] * len(lons),
            )
        )
    used_plants = plants[plants["plant_id"].isin(lanes["plant_id"])]
    fig.add_trace(
        points_trace(
            used_plants,
            "Vehicle plants",
            "plant_id",
            "plant_name",
            ["id {plant_id}", "source: {source_id}"],
            {"size": 11, "color": PLANT_COLOUR, "symbol": "square"},
        )
    )
    used = pd.concat([lanes["export_port_id"], lanes["import_port_id"]]).dropna().unique()
    used_ports = ports[ports["port_id"].isin(used)]
    fig.add_trace(
        points_trace(
            used_ports,
            "Ports",
            "port_id",
            "port_name",
            ["UN/LOCODE {port_id}", "source: {source_id}"],
            {"size": 9, "color": PORT_COLOUR, "symbol": "circle"},
        )
    )
    centre = _centre_longitude([*used_plants["longitude"], *used_ports["longitude"]])
    # Centred on the flows' own mean longitude, so a trans-Pacific route is drawn whole, not cut at the map's edge.
    geo = base_geo_layout(projection={"type": "natural earth", "rotation": {"lon": centre}})
    fig.update_layout(
        title=title, geo=geo, margin={"l": 0, "r": 0, "t": 40, "b": 0}, legend={"orientation": "h", "y": -0.02}
    )
    fig.update_layout(height=MAP_HEIGHT_PX)
    return fig


def _centre_longitude(lons: list[float]) -> float:
    """Circular mean of longitudes (degrees), so points on both sides of the antimeridian average over the Pacific."""
    if not lons:
        return 0.0
    rad = np.radians(np.asarray(lons, dtype=float))
    return round(float(np.degrees(np.arctan2(np.sin(rad).mean(), np.cos(rad).mean()))), 2)


@inert_inputs
def flow_sankey(
    lanes: pd.DataFrame,
    title: str = "Vehicles a year: plant → export port → import port → market",
) -> go.Figure:
    """Sankey of yearly volumes: plant → export port → import port → market (domestic lanes: plant → market)."""
    shown = lanes[lanes["volume_units_per_year"].fillna(0) > 0]
    labels: list[str] = []
    index: dict[tuple[str, str], int] = {}

    ids_of: list[str] = []

    def node(kind: str, key: str, label: str) -> int:
        if (kind, key) not in index:
            index[(kind, key)] = len(labels)
            labels.append(label)
            ids_of.append(f"{kind}: {key}")
        return index[(kind, key)]

    flows: dict[tuple[int, int], float] = {}
    for _, lane in shown.iterrows():
        steps = [("plant", lane["plant_id"], _name(lane, "plant_id"))]
        if not lane["is_domestic"]:
            steps += [
                ("export port", lane["export_port_id"], _name(lane, "export_port_id")),
                ("import port", lane["import_port_id"], _name(lane, "import_port_id")),
            ]
        steps.append(("market", lane["market_id"], _name(lane, "market_id")))
        ids = [node(kind, str(key), label) for kind, key, label in steps]
        for a, b in itertools.pairwise(ids):
            flows[(a, b)] = flows.get((a, b), 0.0) + float(lane.volume_units_per_year)
    links = sorted(flows.items())
    if not links:  # plotly.js cannot lay out a Sankey without links: say why the diagram is empty instead
        fig = go.Figure()
        fig.add_annotation(
            text="No lane has a volume: no sourced volume for these plants and markets "
            "(pass `volumes` to draw a scenario).",
            showarrow=False,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
        fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False}, height=200)
        return fig
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": labels,
                "pad": 18,
                "thickness": 16,
                "customdata": ids_of,
                "hovertemplate": "%{label}<br>%{customdata}<extra></extra>",
            },
            link={
                "source": [a for (a, _), _ in links],
                "target": [b for (_, b), _ in links],
                "value": [round(v, 1) for _, v in links],
                "hovertemplate": "%{value:,.0f} cars a year<extra></extra>",
            },
        )
    )
    fig.update_layout(title=title, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


PLAN_COLOUR = "#9aa5b1"
OBSERVED_COLOUR = "#1f5f8b"


@inert_inputs
def plan_vs_observed_figure(table: pd.DataFrame, title: str = "Announced against observed, per lane") -> go.Figure:
    """Bars per lane: the announced plan (cars a year) beside the headline observation (cars in its period)."""
    labels = lane_labels(table).tolist()
    plan_text = ["no plan volume" if pd.isna(v) else f"plan {v:,.0f}/yr" for v in table["planned_units_per_year"]]
    observed = table["observed_vehicles"].astype("Float64")
    obs_text = table["observed_text"].tolist()
    return grouped_bars(
        labels,
        [
            Series(
                "Announced plan (a year)",
                table["planned_units_per_year"].fillna(0).tolist(),
                PLAN_COLOUR,
                "%{y}<br>%{text}<extra>announced</extra>",
                plan_text,
            ),
            Series(
                "Observed (in its period)",
                observed.fillna(0).astype(float).tolist(),
                OBSERVED_COLOUR,
                "%{y}<br>%{text}<extra>observed</extra>",
                obs_text,
            ),
        ],
        title=title,
        x_title="vehicles",
        row_px=70,
        legend_y=-0.2,
    )


def _leg_hover(leg: pd.Series) -> str:
    """Hover text of one cell leg (data text arrives escaped: `evsupply.figures.text`)."""
    lines = [
        f"<b>{leg['model_name']!s} at {leg['plant_name']!s}</b>",
        str(leg["leg_text"]),
        f"evidence: {leg['evidence_word']!s}",
        f"sources: {', '.join(leg['source_ids'])}",
    ]
    return "<br>".join(lines)


@inert_inputs
def cell_leg_map(legs: pd.DataFrame, tables: Tables) -> go.Figure:
    """Map of the drawn cell legs of `cell_legs` (with `evidence_word`): the line cell plant → port → sea → port →
    car plant, the plants and the ports; offline (the base map is a trace)."""
    drawn = legs[legs.geometry.notna()]
    fig = map_figure()
    for _, leg in drawn.iterrows():
        lons, lats = _line_lonlat(leg["geometry"])
        text = _leg_hover(leg)
        fig.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                name=f"{leg['model_name']} at {leg['plant_name']}",
                line={"width": 2.5, "color": ROUTE_COLOUR if leg["leg_kind"] == "sea" else LAND_COLOUR},
                text=[text] * len(lons),
                hoverinfo="text",
            )
        )
    cells = tables["battery_plants"]
    cells = cells[cells["battery_plant_id"].isin(drawn["battery_plant_id"])]
    cars = tables["plants"]
    cars = cars[cars["plant_id"].isin(drawn["plant_id"])]
    ports = tables["ports"]
    ports = ports[ports["port_id"].isin(pd.concat([drawn["origin_port_id"], drawn["dest_port_id"]]).dropna())]
    for frame, name, label, style in (
        (cells, "Cell plants", "battery_plant_name", {"size": 10, "color": "#7d3c98", "symbol": "diamond"}),
        (cars, "Car plants", "plant_name", {"size": 11, "color": PLANT_COLOUR, "symbol": "square"}),
        (ports, "Ports", "port_name", {"size": 9, "color": PORT_COLOUR, "symbol": "circle"}),
    ):
        fig.add_trace(
            go.Scattergeo(
                lon=frame["longitude"],
                lat=frame["latitude"],
                mode="markers",
                name=name,
                marker={**style, "line": {"width": 1, "color": "white"}},
                text=[str(v) for v in frame[label]],
                hoverinfo="text",
            )
        )
    lons = [*cells["longitude"], *cars["longitude"], *ports["longitude"]]
    lats = [*cells["latitude"], *cars["latitude"], *ports["latitude"]]
    fig.update_layout(
        title="How the cells travel: cell plant → port → sea → port → car plant",
        geo=fitted_geo_layout(lons, lats),
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={"orientation": "h", "y": -0.02},
        height=MAP_HEIGHT_PX,
    )
    return fig
