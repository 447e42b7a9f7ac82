"""The atlas map: plants outside China with a Chinese link, sized by capacity and coloured by relationship, on a
world view with regional views (Europe, Southeast Asia, Thailand's Eastern Seaboard) so nearby plants stay apart."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from evsupply.data.metadata.labels import RELATIONSHIP_LABELS
from evsupply.figures.bars import Series, grouped_bars
from evsupply.figures.maps import base_geo_layout, base_map_traces

RELATIONSHIP_COLOURS = {
    "own_plant": "#c0392b",
    "joint_venture": "#d68910",
    "minority_partner": "#7d3c98",
    "contract_manufacturing": "#1f5f8b",
}


@dataclass(frozen=True)
class MapView:
    """One geo subplot of the atlas map: its layout key, title, extent (degrees) and place on the page."""

    geo: str
    title: str
    lon_range: tuple[float, float] | None
    lat_range: tuple[float, float] | None
    x_domain: tuple[float, float]
    y_domain: tuple[float, float]
    labelled: bool

    def contains(self, lon: float, lat: float) -> bool:
        """Whether a point lies inside the view's extent (the world view holds every point)."""
        if self.lon_range is None or self.lat_range is None:
            return True
        return self.lon_range[0] <= lon <= self.lon_range[1] and self.lat_range[0] <= lat <= self.lat_range[1]


# The world on top; below it, the two crowded regions and, inside Southeast Asia, Thailand's Eastern Seaboard, where
# five plants lie within about 30 km of each other (Rayong and Chonburi).
WORLD_VIEW = MapView("geo", "World", None, None, (0.0, 0.8), (0.63, 1.0), False)
EUROPE_VIEW = MapView("geo2", "Europe and Türkiye", (-10.0, 31.0), (35.0, 56.0), (0.0, 0.49), (0.31, 0.6), True)
SOUTHEAST_ASIA_VIEW = MapView("geo3", "Southeast Asia", (92.0, 122.0), (-10.0, 22.0), (0.51, 1.0), (0.31, 0.6), True)
THAILAND_VIEW = MapView(
    "geo4", "Eastern Seaboard, Thailand", (100.95, 101.4), (12.78, 13.18), (0.2, 0.8), (0.0, 0.28), True
)
VIEWS = (WORLD_VIEW, EUROPE_VIEW, SOUTHEAST_ASIA_VIEW, THAILAND_VIEW)


def marker_size(capacity: float, top: float) -> float:
    """Marker diameter in px: its area grows with capacity (10 px plus up to 30 px at `top`); 8 px when unknown."""
    if pd.isna(capacity) or not top or top <= 0:
        return 8.0
    return 10.0 + 30.0 * math.sqrt(float(capacity) / float(top))


def map_label(case_name: str) -> str:
    """A short label for a plant marker: the case name up to ' at ' (the maker and model)."""
    return str(case_name).split(" at ", 1)[0]


def _label_positions(rows: pd.DataFrame, view: MapView, others: pd.DataFrame) -> list[str]:
    """Label positions: on the side away from the nearest other plant in the view, and towards the inside of the
    view near its sides, so that close labels do not overprint and none leaves the frame."""
    out = []
    for lon, lat in zip(rows["longitude"], rows["latitude"], strict=True):
        dx = (others["longitude"] - lon) * math.cos(math.radians(lat))
        dy = others["latitude"] - lat
        near = (dx**2 + dy**2).replace(0.0, np.inf)
        if view.lon_range is None or near.empty or not np.isfinite(near.min()):
            out.append("middle right")
            continue
        i = near.idxmin()
        vertical = "bottom" if dy[i] > 0 else "top"
        side = ("left" if dx[i] > 0 else "right") if abs(dx[i]) > abs(dy[i]) else "center"
        share = (lon - view.lon_range[0]) / (view.lon_range[1] - view.lon_range[0])
        if (side == "left" and share < 0.35) or (side == "right" and share > 0.65):
            side = "center"
        out.append(f"{vertical} center" if side == "center" else f"middle {side}")
    return out


def _hover(rows: pd.DataFrame) -> list[str]:
    return [
        f"<b>{html.escape(str(r.case_name))}</b><br>{html.escape(str(r.plant_name))}<br>"
        f"{RELATIONSHIP_LABELS.get(r.relationship, html.escape(str(r.relationship)))}; "
        f"status {html.escape(str(r.status))}"
        "<br>capacity: "
        + ("not published" if pd.isna(r.capacity_units) else f"{r.capacity_units:,.0f} a year")
        + f"<br>id {html.escape(str(r.case_id))}"
        for r in rows.itertuples()
    ]


def _view_layout(view: MapView) -> dict[str, object]:
    """The geo layout of a view, from the shared offline base map."""
    domain = {"x": list(view.x_domain), "y": list(view.y_domain)}
    if view.lon_range is None or view.lat_range is None:
        return base_geo_layout(domain=domain)
    return base_geo_layout(
        domain=domain,
        projection={"type": "mercator"},
        fitbounds=False,
        lonaxis={"range": list(view.lon_range)},
        lataxis={"range": list(view.lat_range)},
    )


def _inset_frame(view: MapView, inner: MapView, count: int) -> list[go.Scattergeo]:
    """The outline of a smaller view drawn on a larger one, with the number of plants it holds."""
    if inner.lon_range is None or inner.lat_range is None:
        raise ValueError(f"view {inner.geo} has no extent to outline")
    (w, e), (s, n) = inner.lon_range, inner.lat_range
    return [
        go.Scattergeo(
            lon=[w, e, e, w, w],
            lat=[s, s, n, n, s],
            mode="lines",
            line={"width": 1, "color": "#555555", "dash": "dot"},
            geo=view.geo,
            showlegend=False,
            hoverinfo="skip",
            name=inner.title,
        ),
        go.Scattergeo(
            lon=[e + 0.5],
            lat=[(s + n) / 2],
            mode="text",
            text=[f"{count} plants: see the {inner.title} view"],
            textposition="middle right",
            textfont={"size": 10, "color": "#555555"},
            geo=view.geo,
            showlegend=False,
            hoverinfo="skip",
            name=f"{inner.title} (frame label)",
        ),
    ]


def _size_legend(top: float) -> list[go.Scattergeo]:
    """Legend entries for marker size: three capacities and 'not published'."""
    steps = [50_000.0, 150_000.0, top] if top > 150_000 else [top / 3.0, top]
    traces = [
        go.Scattergeo(
            lon=[None],
            lat=[None],
            mode="markers",
            marker={"size": marker_size(c, top), "color": "#b0b0b0", "line": {"width": 1, "color": "white"}},
            name=f"{c:,.0f} a year",
            legendgroup="capacity",
            legendgrouptitle={"text": "Capacity (marker area)"},
            geo=WORLD_VIEW.geo,
            hoverinfo="skip",
        )
        for c in steps
    ]
    traces.append(
        go.Scattergeo(
            lon=[None],
            lat=[None],
            mode="markers",
            marker={"size": 8.0, "color": "#b0b0b0", "symbol": "circle-open"},
            name="not published",
            legendgroup="capacity",
            geo=WORLD_VIEW.geo,
            hoverinfo="skip",
        )
    )
    return traces


def atlas_map(cases: pd.DataFrame, title: str = "China-linked plants outside China") -> go.Figure:
    """Markers at each case's plant (columns of atlas.case_table plus longitude, latitude, capacity_units,
    plant_name): a world view and regional views (Europe, Southeast Asia, Thailand's Eastern Seaboard) with labels;
    area by capacity (a small ring when none is published), colour by relationship."""
    fig = go.Figure(
        [
            trace.update(geo=view.geo)
            for view in VIEWS
            for trace in base_map_traces(view.lon_range, view.lat_range)  # a regional view: its region only
        ]
    )
    cap = cases["capacity_units"].astype(float)
    top = float(np.nanmax(cap)) if cap.notna().any() else 1.0
    for view in VIEWS:
        inside = cases[
            [view.contains(lon, lat) for lon, lat in zip(cases["longitude"], cases["latitude"], strict=True)]
        ]
        for rel, group in inside.groupby("relationship", sort=True):
            # Largest first, so small markers are drawn on top and the legend shows a filled marker.
            rows = group.sort_values("capacity_units", ascending=False, na_position="last")
            # In Southeast Asia the Thai cluster is drawn unlabelled: its labels are in the Eastern Seaboard view.
            hidden = (
                [THAILAND_VIEW.contains(lon, lat) for lon, lat in zip(rows["longitude"], rows["latitude"], strict=True)]
                if view is SOUTHEAST_ASIA_VIEW
                else [False] * len(rows)
            )
            fig.add_trace(
                go.Scattergeo(
                    lon=rows["longitude"],
                    lat=rows["latitude"],
                    mode="markers+text" if view.labelled else "markers",
                    name=RELATIONSHIP_LABELS.get(rel, str(rel)),
                    legendgroup=str(rel),
                    showlegend=view is WORLD_VIEW,
                    geo=view.geo,
                    marker={
                        "size": [marker_size(c, top) for c in rows["capacity_units"]],
                        "color": RELATIONSHIP_COLOURS.get(rel, "#7f8c8d"),
                        "symbol": ["circle-open" if pd.isna(c) else "circle" for c in rows["capacity_units"]],
                        "opacity": 0.8,
                        "line": {"width": 1, "color": "white"},
                    },
                    text=[
                        "" if hide else html.escape(map_label(name))
                        for name, hide in zip(rows["case_name"], hidden, strict=True)
                    ],
                    textposition=_label_positions(rows, view, inside),
                    textfont={"size": 10},
                    hovertext=_hover(rows),
                    hoverinfo="text",
                    customdata=rows["case_id"],
                )
            )
    in_thailand = int(
        sum(THAILAND_VIEW.contains(lon, lat) for lon, lat in zip(cases["longitude"], cases["latitude"], strict=True))
    )
    if in_thailand:
        for trace in _inset_frame(SOUTHEAST_ASIA_VIEW, THAILAND_VIEW, in_thailand):
            fig.add_trace(trace)
    for trace in _size_legend(top):
        fig.add_trace(trace)
    fig.update_layout(
        title=title,
        height=1500,
        margin={"l": 0, "r": 0, "t": 60, "b": 0},
        legend={"title": {"text": "Relationship"}, "x": 0.82, "y": 1.0, "xanchor": "left", "yanchor": "top"},
        annotations=[
            {
                "text": view.title + ("" if view is WORLD_VIEW else " (estimated locations)"),
                "x": sum(view.x_domain) / 2,
                "y": view.y_domain[1],
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
            for view in VIEWS
        ],
        **{view.geo: _view_layout(view) for view in VIEWS},
    )
    return fig


def duty_avoided_figure(duties: pd.DataFrame, title: str = "Duty avoided by building outside China") -> go.Figure:
    """Bars per case and market: the duty on the China-built car and on the car built at the case's plant."""
    labels = [f"{r.case_name} → {r.market_name}" for r in duties.itertuples()]
    return grouped_bars(
        labels,
        [
            Series(
                "Built in China",
                duties["china_duty_pct"].tolist(),
                "#c0392b",
                "%{y}: %{x:g}%<extra>built in China</extra>",
            ),
            Series(
                "Built at the case's plant",
                duties["local_duty_pct"].tolist(),
                "#1f5f8b",
                "%{y}: %{x:g}%<extra>built at the plant</extra>",
            ),
        ],
        title=title,
        x_title="duty, % of customs value",
        row_px=45,
        legend_y=-0.15,
    )
