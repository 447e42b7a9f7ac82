"""Trade-policy figures: total duty and landed cost over time, per plant and market."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from evsupply.figures.text import inert_inputs

PLANT_DASH = ("solid", "dash", "dot", "dashdot")
BARRED_FILL = "#c0392b"
BARRED_NAME = "Shaded: the car may not be sold (on at least one route)"
MARKET_COLOURS = {
    "USA": "#1f5f8b",
    "CAN": "#c0392b",
    "KOR": "#117a65",
    "CHN": "#d4ac0d",
    "EUU": "#6c3483",
    "TUR": "#ca6f1e",
    "BRA": "#1e8449",
}


def _step_traces(fig: go.Figure, timeline: pd.DataFrame, column: str, unit: str) -> None:
    plants = list(dict.fromkeys(timeline["plant_id"]))
    for (plant, market), rows in timeline.groupby(["plant_id", "market_id"], sort=False):
        rows = rows.sort_values("on_date")
        status = ["may be sold" if ok else "may NOT be sold" for ok in rows["is_allowed"]]
        plant_name = rows["plant_name"].iloc[0] if "plant_name" in rows else plant
        market_name = rows["market_name"].iloc[0] if "market_name" in rows else market
        measures = [", ".join(m) if isinstance(m, list | tuple) else str(m) for m in rows["measure_ids"]]
        fig.add_trace(
            go.Scatter(
                x=[d.date().isoformat() for d in rows["on_date"]],
                y=rows[column].tolist(),
                mode="lines+markers",
                line={
                    "shape": "hv",
                    "color": MARKET_COLOURS.get(market, "#7f8c8d"),
                    "dash": PLANT_DASH[plants.index(plant) % len(PLANT_DASH)],
                },
                marker={"symbol": ["circle" if ok else "x" for ok in rows["is_allowed"]], "size": 7},
                name=f"{plant_name} → {market_name}",
                customdata=list(zip(status, measures, strict=True)),
                hovertemplate=f"%{{x}}: %{{y:,.1f}}{unit}<br>%{{customdata[0]}}<br>%{{customdata[1]}}<extra></extra>",
            )
        )


def barred_periods(timeline: pd.DataFrame) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The date ranges in which the car may not be sold on at least one route, merged and in order.

    A route's row holds from its `on_date` to the route's next date; its last row holds to the timeline's last
    date (a one-day range when it is that date)."""
    last = pd.Timestamp(timeline["on_date"].max())
    spans = []
    for _, rows in timeline.groupby(["plant_id", "market_id"], sort=False):
        rows = rows.sort_values("on_date")
        days = [pd.Timestamp(d) for d in rows["on_date"]]
        for i, allowed in enumerate(rows["is_allowed"]):
            if pd.isna(allowed) or bool(allowed):
                continue
            end = days[i + 1] if i + 1 < len(days) else max(last, days[i] + pd.Timedelta(days=1))
            spans.append((days[i], end))
    merged: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _shade_barred(fig: go.Figure, timeline: pd.DataFrame) -> None:
    """Shade the barred periods, with one legend entry for them all."""
    for i, (start, end) in enumerate(barred_periods(timeline)):
        fig.add_vrect(
            x0=start.date().isoformat(),
            x1=end.date().isoformat(),
            fillcolor=BARRED_FILL,
            opacity=0.12,
            line_width=0,
            layer="below",
            name=BARRED_NAME,
            legendgroup="barred",
            showlegend=i == 0,
        )


@inert_inputs
def duty_timeline_figure(timeline: pd.DataFrame, title: str = "Total import duty over time") -> go.Figure:
    """Step lines of total duty (percent of customs value) per plant and market; an x marks a day the car is barred
    and the periods in which it is barred on a route are shaded (with a legend entry)."""
    fig = go.Figure()
    _step_traces(fig, timeline, "total_duty_pct", "%")
    _shade_barred(fig, timeline)
    fig.update_layout(title=title, yaxis_title="duty, % of customs value", xaxis_title="date", hovermode="closest")
    return fig


@inert_inputs
def landed_cost_figure(timeline: pd.DataFrame, title: str = "Landed cost per car over time") -> go.Figure:
    """Step lines of landed cost (customs value + freight + duty, US$) per plant and market."""
    fig = go.Figure()
    _step_traces(fig, timeline, "landed_cost_usd", " US$")
    _shade_barred(fig, timeline)
    fig.update_layout(title=title, yaxis_title="US$ per car", xaxis_title="date", hovermode="closest")
    return fig
