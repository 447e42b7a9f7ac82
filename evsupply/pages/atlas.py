"""The atlas report: every case of China-linked production outside China, side by side."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.cases.atlas import capacity_of, case_table, duty_comparison, shipping_comparison
from evsupply.core import evidence
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.tables import Tables, is_missing
from evsupply.data.metadata.labels import RELATIONSHIP_WORDS
from evsupply.data.names import names_by_id
from evsupply.figures.atlas import atlas_map, duty_avoided_figure
from evsupply.figures.flows import MAP_HEIGHT_PX
from evsupply.findings.atlas import atlas_findings, duty_chart_title
from evsupply.findings.batteries import cells_words
from evsupply.pages.common import name_of, show_chart, with_names
from evsupply.pages.html import Column, Html, paragraph
from evsupply.pages.spec import Param, Params, ReportSpec

SPEC = ReportSpec(
    "atlas.ipynb",
    {
        "on_date": Param("date", "2026-11-27", "The day on which status, ownership and duties are read (YYYY-MM-DD)."),
        "cases": Param("str_list", [], "Cases to show (`case_id`s); `[]` for every case.", ids("cases", "case_id")),
    },
)


@dataclass
class AtlasReport:
    """Everything the atlas shows, computed once."""

    tables: Tables
    p: Params
    cases: pd.DataFrame
    duties: pd.DataFrame
    shipping: pd.DataFrame

    @property
    def source_ids(self) -> list[str]:
        """Every source behind the cases, statuses, ownership, duties and distances."""
        found = list(self.cases["case_source_id"])
        for frame, col in (
            (self.cases, "status_source_ids"),
            (self.cases, "control_source_ids"),
            (self.cases, "cells_source_ids"),
            (self.duties, "source_ids"),
            (self.shipping, "source_ids"),
        ):
            found += [s for cell in frame[col] for s in cell]
        plants = self.tables["plants"]
        found += list(plants.loc[plants["plant_id"].isin(self.cases["plant_id"]), "source_id"])
        return list(dict.fromkeys(str(s) for s in found))


def build(tables: Tables, p: Params) -> AtlasReport:
    """The case table with plant locations and capacity, the duty comparison and the shipping comparison."""
    cases = case_table(tables, p.on_date, p.cases)
    plants = tables["plants"].set_index("plant_id")
    cases["longitude"] = cases["plant_id"].map(plants["longitude"])
    cases["latitude"] = cases["plant_id"].map(plants["latitude"])
    cases["capacity_units"] = [capacity_of(tables, plant, p.on_date) for plant in cases["plant_id"]]
    cases["relationship_words"] = cases["relationship"].map(RELATIONSHIP_WORDS)
    markets = names_by_id(tables, "market_id")
    cases["lanes_ended_words"] = [
        "; ".join(f"{markets.get(m, m)} {pd.Timestamp(d):%Y-%m-%d}" for m, d in lanes) for lanes in cases["ended_lanes"]
    ]
    cells = [
        cells_words(tables, _model(m), plant, p.on_date)
        for m, plant in zip(cases["model_id"], cases["plant_id"], strict=True)
    ]
    cases["cells_from"] = [f"{c.text} ({evidence.word(c.evidence)})" for c in cells]
    cases["cells_source_ids"] = [c.source_ids for c in cells]
    cases = with_names(cases, tables)
    names = cases.set_index("case_id")["case_name"]
    duties = with_names(duty_comparison(tables, p.on_date, p.cases), tables)
    duties["case_name"] = duties["case_id"].map(names)
    duties["per_car_text"] = [
        _money(v, c) for v, c in zip(duties["duty_avoided_per_car"], duties["currency_code"], strict=True)
    ]
    shipping = with_names(shipping_comparison(tables, p.on_date.year, p.cases), tables)
    shipping["case_name"] = shipping["case_id"].map(names)
    return AtlasReport(tables, p, cases, duties, shipping)


def _model(value: object) -> str | None:
    return None if is_missing(value) else str(value)


def _money(value: float, currency: object) -> str:
    return "no published price" if pd.isna(value) else f"{currency} {value:,.0f}"


def findings(r: AtlasReport) -> list[Finding]:
    """Key findings, written by (evsupply.findings.atlas.atlas_findings), in its order."""
    return atlas_findings(r.tables, r.p.on_date, r.cases, r.duties, r.shipping)


CASE_COLUMNS = {
    "case_name": "Case",
    "country_code": "Country",
    "brand_name": "Brand",
    "relationship_words": "Relationship",
    "china_link_name": "China link",
    "controller_name": "Brand's ultimate controller",
    "look_through_stake_pct": Column("China link's look-through stake in the operator (%)", "float1"),
    "model_name": "Model",
    "status": "Status",
    "first_announced": Column("First announced", "date"),
    "production_start": Column("Production started", "date"),
    "planned_start": Column("Planned start", "date"),
    "production_end": Column("Production ended", "date"),
    "lanes_ended_words": "Lanes ended (market, last day)",
    "capacity_units": Column("Capacity (a year)", "int"),
    "cells_from": "Cells from",
    "cells_source_ids": Column("Cells source", "sources"),
    "case_source_id": Column("Source", "sources"),
}
DUTY_COLUMNS = {
    "case_name": "Case",
    "market_name": "Market",
    "model_name": "Model",
    "china_duty_pct": Column("Duty if built in China (%)", "pct"),
    "local_duty_pct": Column("Duty if built at the plant (%)", "pct"),
    "duty_avoided_pct": Column("Duty avoided (points)", "float1"),
    "local_barred_from_model_year": Column("Sale barred from model year", "text"),
    "per_car_text": "Avoided per car (on the price)",
    "source_ids": Column("Sources", "sources"),
}
SHIPPING_COLUMNS = {
    "case_name": "Case",
    "market_name": "Market",
    "model_name": "Model",
    "local_sea_km": Column("Sea km from the plant", "int"),
    "local_road_km": Column("Road km from the plant (land lanes)", "int"),
    "china_sea_km": Column("Sea km from China", "int"),
    "sea_km_difference": Column("Difference (km)", "int"),
    "local_co2e_kg_per_vehicle": Column("Sea CO2e from the plant (kg/car)", "int"),
    "china_co2e_kg_per_vehicle": Column("Sea CO2e from China (kg/car)", "int"),
    "co2e_kg_difference": Column("Difference (kg/car)", "int"),
    "source_ids": Column("Sources", "sources"),
}
CAVEATS = [
    "A case's status comes from the latest production claim known on the date for its brand at its plant: "
    "'announced' (no car reported built), 'producing' (cars reported built), 'exporting' (counted exports, or an "
    "observed claim for a market outside the plant's country or customs union), 'stopped' (production ended or "
    "cancelled).",
    "The duty comparison prices the case's model as if built at the comparator plant in China: the same model "
    "where one is built there, otherwise the nearest (see each case's comparator basis). Duties follow the "
    "stacking rules and the maker-specific EU countervailing duties; per-car amounts apply the avoided points to a "
    "published retail price, an upper-end figure.",
    "Distances and CO2e are our route estimates (searoute, 15 knots, GLEC factor), for the case model's mass on "
    "both legs; many models have no sourced mass, so their CO2e is left empty. Inside a market (or customs union) "
    "there is no sea leg.",
    "Look-through stakes multiply reported stakes along each chain; the manufacturing relationship (who builds "
    "the cars) is kept apart from equity. The stake shown is in the plant's operator: where a joint venture sells "
    "the cars but a partner runs the plant (Leapmotor International, a joint venture of Stellantis and Leapmotor, at "
    "Stellantis' plants), it is 0 and the joint venture's stakes are in the ownership report.",
    "'–' as the brand's ultimate controller means no holder controls it (no chain of control interests or of "
    "stakes over 50%) on the date.",
]


def case_name(tables: Tables, case_id: str) -> str:
    """The human name of a case."""
    names = names_by_id(tables, "case_id")
    return str(names.get(case_id, case_id))


__all__ = ["SPEC", "AtlasReport", "build", "case_name", "findings", "name_of"]


def show_map(r: AtlasReport) -> None:
    """The cases' plants on a map, titled with the largest published capacity."""
    sized = r.cases.dropna(subset=["capacity_units"]).sort_values("capacity_units")
    title = f"{len(r.cases)} China-linked plants outside China"
    if len(sized):
        title += f"; the largest published: {sized.iloc[-1]['plant_name']}"
    show_chart(
        atlas_map(r.cases, title=title).update_layout(height=MAP_HEIGHT_PX),
        r.cases[
            [
                "case_id",
                "case_name",
                "plant_name",
                "country_code",
                "relationship",
                "capacity_units",
                "status",
                "longitude",
                "latitude",
            ]
        ],
        "atlas_plants",
        r.cases["case_source_id"],
        "Hover over a plant for its case, status and capacity.",
    )


def show_duty_avoided(r: AtlasReport) -> Html | None:
    """The duty avoided per case and market, or a line saying no comparison could be made."""
    d = r.duties.dropna(subset=["duty_avoided_pct"])
    if d.empty:
        return paragraph("No case has a duty on both the China-built and the locally built car on this date.")
    show_chart(
        duty_avoided_figure(d, title=duty_chart_title(r.duties)),
        d[["case_name", "market_name", "china_duty_pct", "local_duty_pct", "duty_avoided_pct"]],
        "duty_avoided_chart",
        [s for cell in d["source_ids"] for s in cell],
        "Red: built in China; blue: built at the case's plant.",
    )
    return None
