"""Trade-statistics figures: points of comparable series on one axis (evsupply.analysis.trade.statistics)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go


def series_figure(points: pd.DataFrame, labels: dict[str, str], y_title: str, title: str = "") -> go.Figure:
    """One line per series of `points` (columns of `on_one_axis`: series_id, period_start, value), named by
    `labels`; the caller has checked that the series may share the axis."""
    fig = go.Figure()
    for series_id, rows in points.groupby("series_id", sort=False):
        fig.add_trace(
            go.Scatter(
                x=[f"{d:%Y-%m-%d}" for d in rows["period_start"]],
                y=rows["value"].astype(float).tolist(),
                name=labels.get(str(series_id), str(series_id)),
                mode="lines+markers",
                hovertemplate="%{x|%B %Y}: %{y:,.0f}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(title=title, yaxis_title=y_title, xaxis={"type": "date", "tickformat": "%b %Y"})
    return fig
