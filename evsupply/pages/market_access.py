"""The market-access report: the duty on a model from each plant into each market over time, and sales bans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.shipping.lanes import LIVE_STATUSES
from evsupply.analysis.trade.landed import TIMELINE_COLUMNS, landed_cost_timeline
from evsupply.analysis.trade.policy import Access, access_table, market_access
from evsupply.core import claims
from evsupply.core.claims import cite
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import the
from evsupply.errors import ParameterError
from evsupply.figures.flows import lane_labels
from evsupply.figures.policy import duty_timeline_figure, landed_cost_figure
from evsupply.findings.market_access import access_findings, access_summary
from evsupply.pages.common import name_of, show_chart, with_names
from evsupply.pages.html import Column, Html, bullet_list, paragraph, table
from evsupply.pages.pickers import bars_svg, picker_block
from evsupply.pages.spec import Param, Params, ReportSpec

QUOTA = {"auto": None, "within": True, "outside": False}
SPEC = ReportSpec(
    "market_access.ipynb",
    {
        "model": Param("str", "polestar_4", "The model (a `model_id`).", ids("models", "model_id")),
        "plants": Param(
            "str_list",
            ["renault_korea_busan", "geely_hangzhou_bay"],
            "Plants to compare (`plant_id`s); "
            "`[]` for every plant with a production claim for the model, and the Chinese plant each case "
            "compares it with.",
            ids("plants", "plant_id"),
        ),
        "markets": Param(
            "str_list",
            ["USA", "CAN", "KOR"],
            "Importing markets (`market_id`s); `[]` for every market of the model's production claims.",
            ids("markets", "market_id"),
        ),
        "dates": Param(
            "date_list",
            ["2024-06-01", "2024-10-01", "2025-05-01", "2025-12-01", "2026-02-23", "2026-03-01", "2027-01-01"],
            "Days (YYYY-MM-DD) on which access is shown.",
        ),
        "start": Param("date", "2023-01-01", "First day of the landed-cost timeline."),
        "end": Param("date", "2027-12-31", "Last day of the landed-cost timeline."),
        "customs_value_usd": Param(
            "float",
            0.0,
            "Customs value per car, US$; 0 uses the latest published US starting "
            "price, an assumption (the importer's real customs value is lower and not published).",
        ),
        "freight_usd": Param(
            "float", 0.0, "Sea freight per car, US$ (0: not included; the tables hold no sourced freight rate)."
        ),
        "in_quota": Param(
            "str",
            "auto",
            "Whether cars fall within an import quota where one applies: `within`, "
            "`outside`, or `auto` (within a quota counted in vehicles, outside one counted in money).",
            ["auto", "within", "outside"],
        ),
    },
)


@dataclass
class MarketAccessReport:
    """Everything the market-access report shows, computed once."""

    tables: Tables
    p: Params
    plants: list[str]
    markets: list[str]
    access: pd.DataFrame
    last: list[Access]
    model_years: pd.DataFrame
    timeline: pd.DataFrame
    notes: list
    view: pd.DataFrame | None = None  # the picker's variants, once picker_view has shown them

    @property
    def source_ids(self) -> list[str]:
        """Every source behind the duties, decisions and prices shown (the picker's views included)."""
        shown = [self.access, self.timeline, self.last, self.notes, self.model_years]
        return claims.source_ids_of(shown + ([] if self.view is None else [self.view]))


def plants_and_markets(tables: Tables, model: str) -> tuple[list[str], list[str]]:
    """The plants with a production claim for `model` (and the Chinese plant of each case among them) and the
    markets of those claims that put cars on a lane."""
    claims = tables["production"]
    claims = claims[claims["model_id"] == model]
    plants = list(dict.fromkeys(claims["plant_id"]))
    cases = tables["cases"]
    plants += [c for c in cases.loc[cases["plant_id"].isin(plants), "comparator_plant_id"].dropna() if c not in plants]
    live = claims[claims["production_status"].isin(LIVE_STATUSES)]
    return plants, sorted(set(live["market_id"]))


def build(tables: Tables, p: Params) -> MarketAccessReport:
    """Compute access on each date, the explanation on the last date, the model-year rule and landed cost."""
    quota = QUOTA[p.in_quota]
    found_plants, found_markets = plants_and_markets(tables, p.model)
    plants, markets = p.plants or found_plants, p.markets or found_markets
    if not plants or not markets:
        raise ParameterError(
            "plants" if not plants else "markets",
            f"no production claim for {p.model!r} gives plants or markets to show: name them",
        )
    access = with_names(access_table(tables, p.model, plants, markets, p.dates, in_quota=quota), tables)
    last_day = max(p.dates)
    last = [
        market_access(tables, p.model, plant, market, last_day, in_quota=quota)
        for plant in plants
        for market in markets
    ]
    years = []  # the US bans by model year, when the US is one of the markets shown
    for plant in plants if "USA" in markets else []:
        for year in range(last_day.year - 1, last_day.year + 4):
            a = market_access(tables, p.model, plant, "USA", p.end, model_year=year, in_quota=quota)
            years.append(
                {"plant_id": plant, "model_year": year, "is_allowed": a.is_allowed, "source_ids": a.source_ids}
            )
    try:
        timeline, notes = landed_cost_timeline(
            tables,
            p.model,
            plants,
            markets,
            p.start,
            p.end,
            customs_value_usd=p.customs_value_usd or None,
            freight_usd=p.freight_usd,
            in_quota=quota,
        )
    except ParameterError as exc:
        if p.customs_value_usd:
            raise
        timeline = pd.DataFrame(columns=TIMELINE_COLUMNS)
        notes = [cite(f"No landed cost: {exc.problem}. Set customs_value_usd to compute one.")]
    years_frame = pd.DataFrame(years, columns=["plant_id", "model_year", "is_allowed", "source_ids"])
    return MarketAccessReport(
        tables, p, plants, markets, access, last, with_names(years_frame, tables), with_names(timeline, tables), notes
    )


def duty_words(a: Access) -> str:
    """'15% and may be sold' / '15%, but barred from sale'."""
    duty = "an unknown duty" if a.total_duty_pct is None else f"{a.total_duty_pct:g}%"
    return duty + ("" if a.is_allowed else ", but the sale is barred")


def findings(r: MarketAccessReport) -> list[Finding]:
    """Key findings, written by (evsupply.findings.market_access.access_findings), in its order."""
    return access_findings(r.tables, r.p.model, r.last, r.access)


def access_grid(r: MarketAccessReport) -> pd.DataFrame:
    """One row per route, one column per date: the duty, and 'barred' where the car may not be sold."""
    a = r.access.assign(
        route=lane_labels(r.access),
        cell=[
            ("–" if pd.isna(d) else f"{d:g}%") + ("" if ok else " · barred")
            for d, ok in zip(r.access["total_duty_pct"], r.access["is_allowed"], strict=True)
        ],
    )
    grid = a.pivot(index="route", columns="on_date", values="cell")
    grid.columns = [f"{d:%Y-%m-%d}" for d in grid.columns]
    order = list(dict.fromkeys(a["route"]))
    return grid.loc[order].reset_index()


def measures_on_last_date(r: MarketAccessReport) -> pd.DataFrame:
    """The measures applied on the last date, per route, with their applied rate and source."""
    rows = []
    for a in r.last:
        for m in a.measures.itertuples():
            rows.append(
                {
                    "route": f"{name_of(r.tables, 'plant_id', a.plant_id)} → "
                    f"{name_of(r.tables, 'market_id', a.market_id)}",
                    "measure": m.measure_name,
                    "stacking": m.stacking,
                    "applied_pct": m.applied_pct,
                    "since": m.valid_from,
                    "source_id": m.source_id,
                }
            )
    return pd.DataFrame(rows, columns=["route", "measure", "stacking", "applied_pct", "since", "source_id"])


MEASURE_COLUMNS = {
    "route": "Route",
    "measure": "Measure",
    "stacking": "How it stacks",
    "applied_pct": Column("Applied (% of customs value)", "pct"),
    "since": Column("In force since", "date"),
    "source_id": Column("Source", "sources"),
}
LANDED_COLUMNS = {
    "on_date": Column("From", "date"),
    "plant_name": "Plant",
    "market_name": "Market",
    "total_duty_pct": Column("Duty (%)", "pct"),
    "customs_value_usd": Column("Customs value (US$)", "int"),
    "duty_usd": Column("Duty (US$)", "int"),
    "landed_cost_usd": Column("Landed cost (US$)", "int"),
    "is_allowed": Column("May be sold", "bool"),
    "source_ids": Column("Sources", "sources"),
}
CAVEATS = [
    "The default customs value is a published US retail starting price used as an assumption: the importer's "
    "transaction value is lower and not published, so duties in dollars are upper-end figures; percentages do not "
    "depend on it.",
    "Freight is a parameter: no sourced freight rate is in the tables. Whether freight is dutiable differs by "
    "country and is not modelled.",
    "FTA and customs-union preferences assume the car meets the rules of origin; quota rates assume the car is "
    "within the quota (`in_quota`). The Busan Polestar 4 has much Chinese content: its origin is not checked.",
    "Not modelled: harbour and processing fees, sales taxes, EV purchase subsidies, per-car minimum duties (noted "
    "in the measures' method where sourced).",
    "The connected-vehicle rule's China-nexus test is broader than our ownership test; authorisation decisions come "
    "from secondary reports (see their confidence). The model year is taken as the calendar year of each date.",
    "IEEPA duties were not collected for entries from 2026-02-24 (Supreme Court, 2026-02-20); duties paid before "
    "may be refunded. The Section 122 surcharge that followed exempted passenger cars.",
]


NO_TIMELINE = "No landed cost timeline (see the note above)."


def last_day(r: MarketAccessReport) -> dt.date:
    """The last date of the access table."""
    return max(r.p.dates)


def show_duty_chart(r: MarketAccessReport) -> None:
    """The duty over time per route, titled with the highest duty on the last date."""
    last = r.access[r.access["on_date"] == r.access["on_date"].max()].sort_values("total_duty_pct")
    worst = last.iloc[-1]
    title = (
        f"Highest duty on {max(r.p.dates)}: {worst['plant_name']} → {worst['market_name']}, "
        f"{worst['total_duty_pct']:g}%"
    )
    timeline = r.timeline if len(r.timeline) else r.access
    show_chart(
        duty_timeline_figure(timeline, title=title),
        timeline[["on_date", "plant_name", "market_name", "total_duty_pct", "is_allowed"]],
        "duty_timeline",
        r.source_ids,
        "Steps on every day a measure starts or ends; an x marks a day the car may not be sold.",
    )


def show_landed_cost_chart(r: MarketAccessReport) -> Html | None:
    """The landed cost over time per route, or a line saying why there is none."""
    if r.timeline.empty:
        return paragraph(NO_TIMELINE)
    end = r.timeline[r.timeline["on_date"] == r.timeline["on_date"].max()]
    title = (
        f"Landed cost on {end['on_date'].max():%Y-%m-%d}: from US${end['landed_cost_usd'].min():,.0f} to "
        f"US${end['landed_cost_usd'].max():,.0f} a car"
    )
    show_chart(
        landed_cost_figure(r.timeline, title=title),
        r.timeline[["on_date", "plant_name", "market_name", "landed_cost_usd", "is_allowed"]],
        "landed_cost",
        r.source_ids,
        "Customs value + freight + duty, US$ per car.",
    )
    return None


def explanations(r: MarketAccessReport) -> Html:
    """Why each route pays what it pays on the last date: the cited lines of market_access."""
    return bullet_list(
        [(f"{access_summary(r.tables, a)}: " + " ".join(line.text for line in a.lines), a.source_ids) for a in r.last]
    )


def landed_block(r: MarketAccessReport) -> Html:
    """The landed-cost table, or a line saying why there is none."""
    return table(
        r.timeline,
        LANDED_COLUMNS,
        "landed_cost_table",
        caption="Landed cost per car",
        empty=NO_TIMELINE,
    )


def grid_block(r: MarketAccessReport) -> Html:
    """The total duty by route (rows) and date (columns)."""
    grid = access_grid(r)
    cols = ["on_date", "plant_id", "plant_name", "market_id", "market_name", "total_duty_pct", "is_allowed"]
    return table(
        grid,
        {c: c for c in grid.columns} | {"route": "Route"},
        "duty_by_date",
        caption="Total duty (% of customs value) by route and date",
        data=r.access[[*cols, "source_ids"]],
    )


def notes_block(r: MarketAccessReport) -> Html:
    """Why a landed cost is missing or limited, one line per note (cited)."""
    if not r.notes:
        return paragraph("No notes: every route has a price, a customs value and a freight rate.")
    return bullet_list([(note.text, note.source_ids) for note in r.notes])


def picker_days(p: Params, today: dt.date | None = None) -> list[dt.date]:
    """The days a reader may pick: the report's dates and today (the render day), in order."""
    return sorted({*p.dates, today or dt.date.today()})


def ban_model_years(r: MarketAccessReport, days: list[dt.date]) -> dict[int, list[str]]:
    """The model years (up to the year after the last pickable day) from which a sales ban of the markets shown bars
    cars, each with the markets whose ban starts then: the only picks of a model year that change the answer."""
    measures = r.tables["trade_measures"]
    bans = measures[measures["market_id"].isin(r.markets) & measures["stacking"].eq("prohibition")]
    bans = bans.dropna(subset=["model_year_from"])
    bans = bans[bans["model_year_from"].astype(int) <= max(days).year + 1]
    return {int(y): sorted(set(g["market_id"])) for y, g in bans.groupby(bans["model_year_from"].astype(int))}


def view_frame(r: MarketAccessReport, days: list[dt.date]) -> pd.DataFrame:
    """Access from each plant into each market on each pickable day, for the day's own model year ('auto') and for
    each model year a ban starts from (the picker's variants), with names. The report's own dates are read from
    its access table; only the new days and the picked model years are computed again."""
    quota = QUOTA[r.p.in_quota]
    new_days = [d for d in days if d not in r.p.dates]
    auto = r.access
    if new_days:
        more = access_table(r.tables, r.p.model, r.plants, r.markets, new_days, in_quota=quota)
        auto = pd.concat([auto, with_names(more, r.tables)], ignore_index=True)
    frames = [auto.assign(model_year_pick="auto")]
    for year in ban_model_years(r, days):
        picked = access_table(r.tables, r.p.model, r.plants, r.markets, days, model_year=year, in_quota=quota)
        frames.append(with_names(picked, r.tables).assign(model_year_pick=str(year)))
    return pd.concat(frames, ignore_index=True)


VIEW_COLUMNS = {
    "plant_name": "Built at",
    "model_year": "Model year",
    "total_duty_pct": Column("Duty (% of customs value)", "pct"),
    "is_allowed": Column("May be sold", "bool"),
    "source_ids": Column("Sources", "sources"),
}


def picker_view(r: MarketAccessReport, today: dt.date | None = None) -> Html:
    """Pick a market, a day and a model year: the duty from each plant and whether the car may be sold, as a chart
    and a table whose download is that view; the choice is kept in the URL (#date=...&market=...&model_year=...)."""
    days = picker_days(r.p, today)
    frame = view_frame(r, days)
    r.view = frame  # its sources join the report's references
    markets = names_by_id_frame(frame, "market_id", "market_name")
    today_day = today or dt.date.today()
    day_choices = [(f"{d}", f"{d}" + (" (today)" if d == today_day else "")) for d in days]

    def variant(choice: dict[str, str]) -> Html:
        rows = frame[
            (frame["market_id"] == choice["market"])
            & (frame["on_date"] == pd.Timestamp(choice["date"]))
            & (frame["model_year_pick"] == choice["model_year"])
        ]
        market = the(markets[choice["market"]])
        bars = [
            (
                str(row.plant_name),
                None if pd.isna(row.total_duty_pct) else float(row.total_duty_pct),
                "" if row.is_allowed else f"may not be sold (model year {row.model_year})",
            )
            for row in rows.itertuples()
        ]
        year = "" if choice["model_year"] == "auto" else f", model year {choice['model_year']}"
        title = f"Duty into {market} on {choice['date']}{year}, by plant"
        chart = Html(f'<figure class="evsupply-picker-figure">{bars_svg(bars, title)}</figure>', title)
        return chart + table(
            rows,
            VIEW_COLUMNS,
            f"market_access_view_{choice['market']}_{choice['date']}_{choice['model_year']}",
            caption=f"{r.tables['models'].set_index('model_id').loc[r.p.model, 'model_name']} into {market} on "
            f"{choice['date']}",
        )

    return picker_block(
        "market_access_view",
        {
            "market": ("Market", [(m, markets[m]) for m in r.markets], r.markets[0]),
            "date": ("Day", day_choices, f"{today_day}" if today_day in days else f"{days[-1]}"),
            "model_year": (
                "Model year",
                [("auto", "the day's (its calendar year)"), *[(str(y), str(y)) for y in ban_model_years(r, days)]],
                "auto",
            ),
        },
        variant,
        caption="Pick a market and a day",
    )


def names_by_id_frame(frame: pd.DataFrame, id_col: str, name_col: str) -> dict[str, str]:
    """Names by id from a frame that carries both columns."""
    return dict(zip(frame[id_col].astype(str), frame[name_col].astype(str), strict=True))
