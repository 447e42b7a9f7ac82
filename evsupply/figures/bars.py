"""Grouped horizontal bars: one group per row label, one bar per series."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from evsupply.figures.text import inert_inputs


@dataclass(frozen=True)
class Series:
    """One bar per row: its legend name, values, colour, hover template and optional text on the bar."""

    name: str
    values: Sequence[float]
    colour: str
    hover: str
    text: Sequence[str] | None = None

    DATA_TEXT = ("name", "text")  # escaped by `inert_inputs`; `hover` is a template, the caller's markup


@inert_inputs
def grouped_bars(
    labels: Sequence[str], series: Sequence[Series], *, title: str, x_title: str, row_px: int, legend_y: float
) -> go.Figure:
    """Horizontal grouped bars, the first label at the top, the legend below."""
    fig = go.Figure()
    for s in series:
        fig.add_trace(
            go.Bar(
                y=list(labels),
                x=list(s.values),
                orientation="h",
                name=s.name,
                marker_color=s.colour,
                text=None if s.text is None else list(s.text),
                textposition=None if s.text is None else "auto",
                hovertemplate=s.hover,
            )
        )
    fig.update_layout(
        title=title,
        barmode="group",
        xaxis_title=x_title,
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": legend_y},
        height=160 + row_px * len(labels),
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
    )
    fig.update_yaxes(automargin=True)
    return fig
