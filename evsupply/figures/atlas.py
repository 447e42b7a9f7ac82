"""The atlas map: plants outside China with a Chinese link, sized by capacity and coloured by relationship."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from evsupply.figures.bars import Series, grouped_bars
from evsupply.figures.maps import fitted_geo_layout, map_figure

RELATIONSHIP_COLOURS = {
    "own_plant": "#c0392b",
    "joint_venture": "#d68910",
    "minority_partner": "#7d3c98",
    "contract_manufacturing": "#1f5f8b",
}
RELATIONSHIP_LABELS = {
    "own_plant": "Own plant",
    "joint_venture": "Joint venture",
    "minority_partner": "Minority partner",
    "contract_manufacturing": "Contract manufacturing",
}


def atlas_map(cases: pd.DataFrame, title: str = "China-linked plants outside China") -> go.Figure:
    """Markers at each case's plant (columns of evsupply.cases.case_table plus longitude, latitude, capacity_units,
    plant_name, brand_name): size by capacity (a small ring when none is published), colour by relationship."""
    fig = map_figure()
    cap = cases["capacity_units"].astype(float)
    top = float(np.nanmax(cap)) if cap.notna().any() else 1.0
    for rel, rows in cases.groupby("relationship", sort=True):
        size = [8.0 if pd.isna(c) else 10.0 + 30.0 * (c / top) ** 0.5 for c in rows["capacity_units"]]
        hover = [
            f"<b>{r.case_name}</b><br>{r.plant_name}<br>{RELATIONSHIP_LABELS.get(r.relationship)}; "
            f"status {r.status}<br>capacity: "
            + ("not published" if pd.isna(r.capacity_units) else f"{r.capacity_units:,.0f} a year")
            + f"<br>id {r.case_id}"
            for r in rows.itertuples()
        ]
        fig.add_trace(
            go.Scattergeo(
                lon=rows["longitude"],
                lat=rows["latitude"],
                mode="markers",
                name=RELATIONSHIP_LABELS.get(rel, rel),
                marker={
                    "size": size,
                    "color": RELATIONSHIP_COLOURS.get(rel, "#7f8c8d"),
                    "opacity": 0.8,
                    "line": {"width": 1, "color": "white"},
                },
                text=hover,
                hoverinfo="text",
                customdata=rows["case_id"],
            )
        )
    fig.update_layout(
        title=title,
        geo=fitted_geo_layout(cases["longitude"].tolist(), cases["latitude"].tolist()),
        margin={"l": 0, "r": 0, "t": 40, "b": 0},
        legend={"title": {"text": "Relationship (size: capacity)"}, "orientation": "h", "y": -0.02},
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
