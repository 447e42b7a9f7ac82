"""The customs-figures report: what the official trade statistics say beside the counts (frames, shares,
relocation against imports, and the series looked for and not found)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.trade import statistics as st
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import TRADE_SCOPE_WORDS
from evsupply.figures.trade import series_figure
from evsupply.findings import trade_statistics as sentences
from evsupply.pages.common import show_chart
from evsupply.pages.html import Column, Html, table
from evsupply.pages.spec import Param, Params, ReportSpec

SPEC = ReportSpec(
    "trade_statistics.ipynb",
    {
        "cases": Param(
            "str_list",
            ["busan_polestar_4", "byd_szeged_case", "byd_rayong_case"],
            "The cases whose counts are set against their official frames (`case_id`s).",
            ids("cases", "case_id"),
        ),
        "series": Param(
            "str_list",
            ["motie_kor_wld_ev_units", "kcs_kor_usa_ev_units"],
            "Series of `trade_statistics` drawn on one axis by month; they must agree on every scope key "
            "(powertrain scope, valuation, partner basis) and measure, or the report stops with an error naming both.",
            ids("trade_statistics", "series_id"),
        ),
    },
)


@dataclass
class TradeStatisticsReport:
    """Everything the report shows, computed once."""

    tables: Tables
    p: Params
    frames: pd.DataFrame
    relocation: pd.DataFrame
    series: pd.DataFrame
    holes: pd.DataFrame

    @property
    def source_ids(self) -> list[str]:
        """The sources of the statistics and counts shown."""
        found = list(self.series["source_id"]) + list(self.relocation["source_id"])
        for column in ("frame_source_id", "count_source_id"):
            if column in self.frames:
                found += list(self.frames[column].dropna())
        found += list(self.holes["source_id"].dropna())
        stats = self.tables["trade_statistics"]
        found += list(stats.loc[stats["series_id"].isin(list(self.p.series)), "source_id"])  # the chart's
        return list(dict.fromkeys(str(s) for s in found))


def build(tables: Tables, p: Params) -> TradeStatisticsReport:
    """The frames of the cases' counts, relocation against imports, the series table and the holes."""
    stats = st.latest_points(tables["trade_statistics"])
    points = stats.groupby("series_id", sort=False).agg(
        reporter_code=("reporter_code", "first"),
        partner_code=("partner_code", "first"),
        flow=("flow", "first"),
        powertrain_scope=("powertrain_scope", "first"),
        publisher_name=("publisher_name", "first"),
        publisher_kind=("publisher_kind", "first"),
        points=("stat_id", "size"),
        first_period=("period_start", "min"),
        last_period=("period_end", "max"),
        source_id=("source_id", "first"),
    )
    questions = tables["open_questions"]
    holes = questions[questions["question_id"].str.startswith("ts_")]
    frames = st.case_frames(tables, p.cases)
    names = tables["cases"].set_index("case_id")["case_name"]
    frames = frames.assign(case_name=frames["case_id"].map(names)) if len(frames) else frames
    relocation = st.relocation_against_imports(tables)
    markets = tables["markets"].set_index("market_id")["market_name"]
    relocation = relocation.assign(market_name=relocation["market_id"].map(markets).fillna(relocation["market_id"]))
    return TradeStatisticsReport(tables, p, frames, relocation, points.reset_index(), holes)


def findings(r: TradeStatisticsReport) -> list[Finding]:
    """The report's findings, in order (evsupply.findings.trade_statistics.report_findings)."""
    return sentences.report_findings(r.tables, r.p.cases)


FRAME_COLUMNS = {
    "case_name": "Case",
    "observation_id": "Count",
    "count": Column("Counted (vehicles)", "int"),
    "frame_stat_id": "Official frame (trade_statistics)",
    "frame_count": Column("Frame (vehicles)", "int"),
    "share_pct": Column("Share of the frame (%)", "float2"),
    "partner_match": "Partner matched as",
    "frame_scope": "Frame's scope",
    "reason": "Frame",
    "count_source_id": Column("Count source", "sources"),
    "frame_source_id": Column("Frame source", "sources"),
}
RELOCATION_COLUMNS = {
    "market_name": "Market",
    "year": Column("Year", lambda v: "–" if pd.isna(v) else str(int(v))),
    "side": "Side",
    "what": "Series or count",
    "value": Column("Value", "int"),
    "measure": "Measure",
    "period_start": Column("From", "date"),
    "period_end": Column("To", "date"),
    "is_cumulative": Column("Year to date", "bool"),
    "scope": "Scope",
    "evidence": "Evidence",
    "source_id": Column("Source", "sources"),
}
SERIES_COLUMNS = {
    "series_id": "Series",
    "reporter_code": "Reporter",
    "partner_code": "Partner",
    "flow": "Flow",
    "powertrain_scope": "Powertrain scope",
    "publisher_name": "Publisher",
    "publisher_kind": "Kind",
    "points": Column("Points", "int"),
    "first_period": Column("From", "date"),
    "last_period": Column("To", "date"),
    "source_id": Column("A source", "sources"),
}
HOLE_COLUMNS = {
    "question_id": "Question",
    "question": "Looked for, not found",
    "why_it_matters": "Why it matters",
    "look_again_date": Column("Look again", "date"),
}
CAVEATS = [
    "The national series do not measure the same thing: MOTIE's 'EV' counts hydrogen cars, China customs' electric "
    "passenger cars include hybrids, CAAM's NEV is an industry figure, HS 8703.80 is battery-electric only. Series "
    "of different scope, valuation, partner basis or frequency are never compared, summed or drawn together.",
    "Most figures are read through press relays of the publishers' releases; where relays disagree (Korea's exports "
    "to the US: 301.5 or 310.5 hundred million dollars) both are kept and the one two relays agree on is shown.",
    "A frame bounds a count; a share of a frame that is the whole world, or a whole year, says little about the lane.",
    "Exports are valued FOB and imports CIF as a rule; the relays rarely say which, so valuation is mostly 'unknown'.",
    "Relocation against imports sets two figures side by side; it does not compute a share when their periods or "
    "scopes differ.",
]


def frames_block(r: TradeStatisticsReport) -> Html:
    """The cases' export counts beside their official frames."""
    return table(
        r.frames,
        {k: v for k, v in FRAME_COLUMNS.items() if k in r.frames},
        "frames",
        caption="Each export count of the cases' brands and the tightest official statistic that frames it",
        empty="No case selected.",
    )


def relocation_block(r: TradeStatisticsReport) -> Html:
    """Imports from China beside the counted output of the China-linked plants, by market and year."""
    return table(
        r.relocation,
        RELOCATION_COLUMNS,
        "relocation",
        caption="Relocation against imports: each market's cars from China (official) beside the cases' counts",
        empty="No market with a case has an import statistic or a count.",
    )


def series_block(r: TradeStatisticsReport) -> Html:
    """Every series of trade_statistics, with its scope and publisher."""
    return table(r.series, SERIES_COLUMNS, "series", caption="The series held (latest points)")


def holes_block(r: TradeStatisticsReport) -> Html:
    """The series looked for and not found, with the day to look again."""
    return table(r.holes, HOLE_COLUMNS, "holes", caption="Looked for and not found", empty="No open question.")


def series_label(tables: Tables, row: pd.Series) -> str:
    """A series in words for a legend: 'South Korea to the world, electric cars (...) [MOTIE]'."""
    publisher = str(row["publisher_name"]).split(" (")[0]
    return (
        f"{sentences.area_name(tables, row['reporter_code'])} {row['flow']}s to "
        f"{sentences.area_name(tables, row['partner_code'])}, {TRADE_SCOPE_WORDS[str(row['powertrain_scope'])]} "
        f"[{publisher}]"
    )


def show_series(r: TradeStatisticsReport) -> None:
    """The parameter's series on one axis, by month (an error names two series that may not share it)."""
    points = st.on_one_axis(r.tables, r.p.series, frequency="month")
    stats = r.tables["trade_statistics"]
    first = stats.drop_duplicates("series_id").set_index("series_id")
    labels = {s: series_label(r.tables, first.loc[s]) for s in r.p.series}
    measure = "vehicles" if points["stat_id"].isin(stats.loc[stats["vehicles_count"].notna(), "stat_id"]).all() else ""
    show_chart(
        series_figure(points, labels, measure or "value", title="Monthly points of the chosen series"),
        points,
        "series_chart",
        list(stats.loc[stats["stat_id"].isin(points["stat_id"]), "source_id"]),
        "Latest release of each month; years and years to date are not drawn.",
        values=["value"],
        empty="No monthly point of these series.",
    )
