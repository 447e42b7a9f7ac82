"""Ownership figures: the shareholder graph on a day, and a company's shareholders over time."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

COUNTRY_COLOURS = {
    "CHN": "#c0392b",
    "KOR": "#1f5f8b",
    "FRA": "#2e86c1",
    "SWE": "#d4ac0d",
    "GBR": "#7d3c98",
    "USA": "#117a65",
    "BRA": "#1e8449",
    "HKG": "#e74c3c",
    "SGP": "#af601a",
    "NLD": "#f39c12",
    "DEU": "#566573",
    "ITA": "#16a085",
    "ESP": "#884ea0",
    "CAN": "#a93226",
}
OTHER_COLOUR = "#7f8c8d"
# ISO 3166-1 short names of the countries the data's companies are in, for legends (a reader sees names, not codes).
COUNTRY_NAMES = {
    "AUT": "Austria",
    "BRA": "Brazil",
    "CAN": "Canada",
    "CHN": "China",
    "CYM": "Cayman Islands",
    "DEU": "Germany",
    "ESP": "Spain",
    "FRA": "France",
    "GBR": "United Kingdom",
    "HKG": "Hong Kong",
    "HUN": "Hungary",
    "ITA": "Italy",
    "JPN": "Japan",
    "KOR": "South Korea",
    "NLD": "Netherlands",
    "SGP": "Singapore",
    "SWE": "Sweden",
    "TUR": "Türkiye",
    "USA": "United States",
    "ZZZ": "Country unknown",  # the data's code for an unknown country
}


def country_name(code: str, names: dict[str, str] | None = None) -> str:
    """A country's name for a legend: from `names` (e.g. the markets table), else ISO's short name, else the code."""
    if code == "ZZZ" or code in ("?", ""):
        return COUNTRY_NAMES["ZZZ"]
    return (names or {}).get(code) or COUNTRY_NAMES.get(code, code)


def _layers(edges: pd.DataFrame) -> dict[str, int]:
    """Depth of each company: owners above what they own (0 = top holders)."""
    nodes = sorted(set(edges["owner_id"]) | set(edges["owned_id"]))
    depth = dict.fromkeys(nodes, 0)
    for _ in nodes:  # longest-path layering; at most len(nodes) passes on an acyclic graph
        changed = False
        for _, e in edges.iterrows():
            if depth[e["owned_id"]] < depth[e["owner_id"]] + 1:
                depth[e["owned_id"]] = depth[e["owner_id"]] + 1
                changed = True
        if not changed:
            break
    return depth


def _edge_label(edge: pd.Series) -> str:
    """A stake as a percentage, or 'control' for a control interest with no published stake."""
    return "control" if edge.get("interest_type") == "control" else f"{edge['stake_pct']:.2f}%"


def ownership_graph_figure(
    edges: pd.DataFrame,
    companies: pd.DataFrame,
    title: str = "Who owns whom",
    country_names: dict[str, str] | None = None,
) -> go.Figure:
    """Layered graph of direct stakes (columns of analysis.ownership.direct_stakes): owners above, stakes on edges,
    companies coloured by country (named in the legend: `country_names`, else ISO's short names)."""
    depth = _layers(edges)
    names = companies.set_index("company_id")["company_name"].to_dict()
    countries = companies.set_index("company_id")["country_code"].to_dict()
    pos: dict[str, tuple[float, float]] = {}
    for level in sorted(set(depth.values())):
        row = sorted(n for n, d in depth.items() if d == level)
        for i, node in enumerate(row):
            pos[node] = (i - (len(row) - 1) / 2, -float(level))
    fig = go.Figure()
    for _, e in edges.iterrows():
        (x0, y0), (x1, y1) = pos[e["owner_id"]], pos[e["owned_id"]]
        fig.add_annotation(
            x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=_edge_label(e), showarrow=False, font={"size": 11}, bgcolor="white"
        )
        fig.add_annotation(
            x=x1,
            y=y1 + 0.12,
            ax=x0,
            ay=y0,
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            text="",
            showarrow=True,
            arrowhead=2,
            arrowcolor="#b3b6b7",
            standoff=6,
        )
    order = sorted(pos)
    # One trace per country, so the colour encoding has a legend.
    for country in sorted({countries.get(n, "?") for n in order}):
        members = [n for n in order if countries.get(n, "?") == country]
        fig.add_trace(
            go.Scatter(
                x=[pos[n][0] for n in members],
                y=[pos[n][1] for n in members],
                mode="markers+text",
                name=country_name(country, country_names),
                legendgroup=country,
                text=[names.get(n, n) for n in members],
                textposition="top center",
                customdata=members,
                marker={
                    "size": 16,
                    "color": COUNTRY_COLOURS.get(country, OTHER_COLOUR),
                    "line": {"width": 1, "color": "white"},
                },
                hovertext=[f"{names.get(n, n)} ({country_name(country, country_names)}); id {n}" for n in members],
                hoverinfo="text",
            )
        )
    widest = max((abs(x) for x, _ in pos.values()), default=0.0)
    fig.update_layout(
        title=title,
        xaxis={"visible": False, "range": [-widest - 0.6, widest + 0.6]},
        yaxis={"visible": False},
        plot_bgcolor="white",
        legend={"title": {"text": "Country"}, "orientation": "h", "y": -0.05},
        height=120 + 130 * (max(depth.values(), default=0) + 1),
        margin={"l": 20, "r": 20},
    )
    return fig


def shareholder_timeline_figure(
    history: pd.DataFrame, until: dt.date | str, title: str = "Shareholders over time"
) -> go.Figure:
    """Bars from valid_from to valid_to (open periods end at `until`), one row per holder, labelled with the stake."""
    df = history.copy()
    end = pd.Timestamp(until)
    df["period_end"] = df["valid_to"].fillna(end) + pd.Timedelta(days=1)  # inclusive end: bar covers the last day
    fig = go.Figure()
    for owner, rows in df.groupby("owner_name", sort=False):
        fig.add_trace(
            go.Bar(
                name=str(owner),
                y=[owner] * len(rows),
                orientation="h",
                base=[d.isoformat() for d in rows["valid_from"]],
                x=[(e - s).total_seconds() * 1000 for s, e in zip(rows["valid_from"], rows["period_end"], strict=True)],
                text=[_edge_label(r) for _, r in rows.iterrows()],
                textposition="inside",
                customdata=list(zip(rows["source_id"], rows["basis"], strict=True)),
                hovertemplate="%{y}: %{text}<br>source %{customdata[0]} (%{customdata[1]})<extra></extra>",
            )
        )
    fig.update_layout(
        title=title,
        barmode="overlay",
        xaxis={"type": "date"},
        showlegend=False,
        height=120 + 45 * max(df["owner_name"].nunique(), 1),
    )
    return fig
