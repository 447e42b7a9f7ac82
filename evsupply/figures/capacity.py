"""Capacity figures: a plant's output against its capacity by year, and utilisation under volume scenarios."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

BOUND_LABEL = {"exact": "", "approximate": "≈", "upper_bound": "<", "lower_bound": "≥"}


def utilisation_figure(util: pd.DataFrame, title: str = "Output against capacity") -> go.Figure:
    """Bars of output per year (labelled with their bound) and a line of capacity (`utilisation`)."""
    years = [int(y) for y in util["year"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=years,
            y=util["output_units"].astype(float).tolist(),
            name="output",
            text=[
                f"{BOUND_LABEL.get(b, '')}{int(v):,}" for b, v in zip(util["bound"], util["output_units"], strict=True)
            ],
            customdata=util["output_note"].tolist(),
            hovertemplate="%{x}: %{text}<br>%{customdata}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=years,
            y=util["capacity_units_per_year"].astype(float).tolist(),
            name="capacity",
            mode="lines+markers",
            line={"color": "#c0392b"},
        )
    )
    fig.update_layout(title=title, yaxis_title="vehicles a year", xaxis={"dtick": 1}, barmode="overlay")
    return fig


def scenario_figure(scenarios: pd.DataFrame, title: str = "Utilisation under volume scenarios") -> go.Figure:
    """Bars of utilisation (percent of capacity) per scenario (analysis.counts.capacity.scenario_utilisation)."""
    fig = go.Figure(
        go.Bar(
            x=scenarios["scenario"].tolist(),
            y=scenarios["utilisation_pct"].astype(float).round(1).tolist(),
            text=[f"{u:.1f}%" for u in scenarios["utilisation_pct"]],
            customdata=list(zip(scenarios["added_units_per_year"], scenarios["total_units"], strict=True)),
            hovertemplate="%{x}: %{y:.1f}%<br>added %{customdata[0]:,}; total %{customdata[1]:,}<extra></extra>",
        )
    )
    fig.add_hline(y=100, line_dash="dash", line_color="#c0392b")
    fig.update_layout(title=title, yaxis_title="% of capacity", xaxis_title="scenario")
    return fig
