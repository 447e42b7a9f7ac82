"""The batteries report: each case followed from the car to its cells (pack, cell maker, cell plant, country), with
the evidence of each claim, the duty on imported cells, the market rules left undecided by an unknown origin, and how
the cells travel to the car plant (or why that leg cannot be drawn)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from evsupply.analysis.batteries.cells import battery_table, undecided_conditions
from evsupply.analysis.batteries.upstream import cell_legs
from evsupply.core import claims, evidence
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.tables import Tables
from evsupply.data.names import names_by_id
from evsupply.figures.bars import Series, grouped_bars
from evsupply.figures.flows import cell_leg_map
from evsupply.findings.batteries import battery_findings
from evsupply.pages.common import show_chart
from evsupply.pages.html import Column, Html, table
from evsupply.pages.spec import Param, Params, ReportSpec

SPEC = ReportSpec(
    "batteries.ipynb",
    {
        "on_date": Param("date", "2026-12-03", "The day (YYYY-MM-DD) on which the cell-supply claims are read."),
        "cases": Param("str_list", [], "Cases to show (`case_id`s); `[]` for every case.", ids("cases", "case_id")),
    },
)
ORIGIN_WORDS = {True: "cells from China", False: "cells from elsewhere"}


def _no_origin(supply_id: object) -> str:
    """Why a model's cell origin is not known: looked for (an `unknown` claim), or no claim recorded."""
    return "looked for, none found" if isinstance(supply_id, str) else "no claim recorded"


@dataclass
class BatteriesReport:
    """Everything the batteries report shows, computed once."""

    tables: Tables
    p: Params
    chains: pd.DataFrame
    conditions: pd.DataFrame
    plants: pd.DataFrame
    legs: gpd.GeoDataFrame
    key_findings: list[Finding]

    @property
    def source_ids(self) -> list[str]:
        """Every source the report's rows rest on."""
        found = [s for ids_ in self.chains["source_ids"] for s in ids_]
        found += [s for ids_ in self.conditions["source_ids"] for s in ids_]
        found += [s for ids_ in self.legs["source_ids"] for s in ids_]
        found += list(self.plants["source_id"]) + list(self.plants["capacity_source_id"].dropna())
        return list(dict.fromkeys(str(s) for s in found))


def _cell_plants(tables: Tables, day: pd.Timestamp) -> pd.DataFrame:
    """Battery plants with their operator and the latest preferred capacity claim known on the day."""
    plants = tables["battery_plants"].copy()
    names = names_by_id(tables, "company_id")
    plants["operator_name"] = plants["operator_id"].map(names)
    cap = tables["battery_plant_capacity"]
    cap = claims.latest(cap[cap["is_preferred"]], ["battery_plant_id"], day)
    cap = cap.rename(columns={"source_id": "capacity_source_id", "basis": "capacity_basis"})
    cols = ["battery_plant_id", "as_of_date", "capacity_gwh_per_year", "capacity_basis", "capacity_source_id"]
    return plants.merge(cap[cols], on="battery_plant_id", how="left", validate="1:1")


def build(tables: Tables, p: Params) -> BatteriesReport:
    """The chain of every case's models, the market rules that turn on origin, and the cell plants."""
    table = battery_table(tables, p.on_date)
    chains = table[table["case_id"].isin(p.cases)] if p.cases else table
    places = names_by_id(tables, "market_id")
    companies = names_by_id(tables, "company_id")
    cell_plants = names_by_id(tables, "battery_plant_id")
    chains = chains.assign(
        origin=chains["is_cells_from_china"].map(ORIGIN_WORDS).fillna(chains["supply_id"].map(_no_origin)),
        evidence_word=chains["evidence"].map(lambda c: evidence.word(c) if isinstance(c, str) else None),
        claim_word=chains["supply_evidence"].str.replace("_", " "),
        cell_country_name=chains["cell_country_code"].map(places).fillna(chains["cell_country_code"]),
        pack_country_name=chains["pack_country_code"].map(places).fillna(chains["pack_country_code"]),
        pack_maker_name=chains["pack_maker_id"].map(companies),
        battery_plant_name=chains["battery_plant_id"].map(cell_plants),
    )
    cols = ["case_name", "model_name", "market_id", "rule_name", "decides", "why", "source_ids"]
    conditions = undecided_conditions(tables, p.on_date, p.cases or None)[cols]
    legs = cell_legs(tables, p.on_date, p.cases or None)
    legs["evidence_word"] = legs["evidence"].map(evidence.word)
    return BatteriesReport(
        tables,
        p,
        chains.reset_index(drop=True),
        conditions,
        _cell_plants(tables, p.on_date),
        legs.reset_index(drop=True),
        battery_findings(tables, p.on_date, p.cases or None, table=table),
    )


def findings(r: BatteriesReport) -> list[Finding]:
    """Key findings, written by (evsupply.findings.batteries.battery_findings), in its order."""
    return r.key_findings


CHAIN_COLUMNS = {
    "case_name": "Case",
    "model_name": "Model",
    "plant_name": "Car plant",
    "pack_maker_name": "Pack maker",
    "pack_country_name": "Pack from",
    "cell_maker_name": "Cell maker",
    "battery_plant_name": "Cell plant",
    "cell_country_name": "Cells from",
    "chemistry": "Chemistry",
    "claim_word": "What the claim rests on",
    "evidence_word": "Evidence",
    "cell_duty_pct": Column("Duty on the imported cells (%)", "float1"),
    "supply_source_ids": Column("Sources", "sources"),
}
CONDITION_COLUMNS = {
    "case_name": "Case",
    "model_name": "Model",
    "market_id": "Market",
    "rule_name": "Rule",
    "decides": "What it decides",
    "why": "Why undecided",
    "source_ids": Column("Sources", "sources"),
}
PLANT_COLUMNS = {
    "battery_plant_name": "Battery plant",
    "operator_name": "Operator",
    "country_code": "Country",
    "battery_plant_kind": "Makes",
    "chemistry": "Chemistry",
    "plant_status": "Status",
    "capacity_gwh_per_year": Column("Capacity (GWh a year)", "float1"),
    "capacity_basis": "Capacity basis",
    "source_id": Column("Source", "sources"),
}
LEG_COLUMNS = {
    "case_name": "Case",
    "model_name": "Model",
    "plant_name": "Car plant",
    "battery_plant_name": "Cell plant",
    "leg_text": "How the cells travel, or why no leg is drawn",
    "total_distance_km": Column("Distance (km)", "int"),
    "sea_transit_days": Column("Days at sea", "float1"),
    "evidence_word": "Evidence",
    "source_ids": Column("Sources", "sources"),
}
# What the map's download holds: the drawn legs' ids, distances, days and evidence.
LEG_MAP_DATA = [
    "case_id",
    "model_id",
    "plant_id",
    "battery_plant_id",
    "leg_kind",
    "origin_port_id",
    "dest_port_id",
    "land_origin_km",
    "sea_distance_km",
    "land_destination_km",
    "total_distance_km",
    "sea_transit_days",
    "evidence",
]
CAVEATS = [
    "Battery sourcing is rarely disclosed per plant: each row is a claim of its kind (stated by the maker, trade "
    "press, a recall filing, or inferred from kit assembly). An inference is shown as our estimate, never as a "
    "report; where no supplier was found the row says so and nothing is guessed.",
    "Cells come from the named cell plant's country, else from the country a source gives; a Chinese cell maker "
    "alone does not place its cells in China (CATL also makes cells in Germany and Hungary).",
    "The duty on imported cells is the market's battery rate stacked by the same engine as the car duties; it is "
    "a cost of building the car in that market, not a duty on the car.",
    "Rules of origin (USMCA, KORUS, the Korea–Canada FTA) turn on the value of the battery and other parts, which "
    "the tables do not hold: they are named as undecided, never given a rate.",
    "A cell leg is drawn only from a cell plant a claim names, with the ports linked to it and to the car plant; "
    "the car plant's inbound port is the port its cars leave from (an assumption), sea distances follow searoute's "
    "network and road distances are 1.3 times the straight line (our estimates). Where the plant is not named no "
    "plant, port or route is guessed: the row says what is known.",
    "From 2027-02-18 the EU battery passport (Regulation 2023/1542, Article 77) makes each EV battery's maker and "
    "chemistry public: the best future source for this table.",
]


def chain_block(r: BatteriesReport) -> Html:
    """The chain car -> pack -> cell -> cell plant -> country, per case and model."""
    shown = r.chains[r.chains["supply_id"].notna()]
    missing = int((r.chains["model_id"].notna() & r.chains["supply_id"].isna()).sum())
    note = f"{missing} more case models have no cell-supply claim recorded yet." if missing else ""
    return table(
        shown,
        CHAIN_COLUMNS,
        "battery_chain",
        caption="From the car to the cell, per case and model",
        note=note,
        empty="No cell-supply claim is recorded for the chosen cases' models.",
    )


def conditions_block(r: BatteriesReport) -> Html:
    """The market rules each case model leaves undecided because its cells' origin is not known."""
    return table(
        r.conditions,
        CONDITION_COLUMNS,
        "undecided_rules",
        caption="Rules left undecided by the cells",
        empty="No market rule of the tables is left undecided for the chosen cases.",
    )


def plants_block(r: BatteriesReport) -> Html:
    """The cell and pack plants outside China recorded, with their latest capacity claim."""
    return table(r.plants, PLANT_COLUMNS, "battery_plants", caption="Cell and pack plants outside China")


def show_origin_chart(r: BatteriesReport) -> Html | None:
    """Case models by where their cells come from (a count per category)."""
    rows = r.chains[r.chains["model_id"].notna()]
    if rows.empty:
        return None
    counts = (
        rows["origin"]
        .value_counts()
        .reindex([*ORIGIN_WORDS.values(), "looked for, none found", "no claim recorded"], fill_value=0)
    )
    data = pd.DataFrame({"cell_origin": counts.index, "case_models_count": counts.to_numpy()})
    china = int(counts["cells from China"])
    fig = grouped_bars(
        list(data["cell_origin"]),
        [Series("Case models", list(data["case_models_count"]), "#1f5f8b", "%{y}: %{x} models<extra></extra>")],
        title=f"{china} of {len(rows)} case models built outside China have cells from China",
        x_title="Case models",
        row_px=40,
        legend_y=-0.3,
    )
    show_chart(fig, data, "cell_origin_chart", r.source_ids, "Inferred origins (kit assembly) count as from China.")
    return None


def legs_block(r: BatteriesReport) -> Html:
    """The cells' leg of each case model with a cell-supply claim: cell plant → port → sea → port → car plant, or
    why it cannot be drawn (`evsupply.analysis.batteries.upstream.cell_legs`)."""
    shown = r.legs[r.legs["supply_id"].notna()]
    missing = int((r.legs["supply_id"].isna()).sum())
    drawn = int((shown["leg_kind"] != "none").sum())
    note = f"A leg is drawn for {drawn} of {len(shown)} case models with a cell-supply claim."
    if missing:
        note += f" {missing} more case models have no cell-supply claim recorded: no leg."
    return table(
        pd.DataFrame(shown.drop(columns="geometry")),
        LEG_COLUMNS,
        "cell_legs",
        caption="How the cells travel to the car plant, per case and model",
        note=note,
        empty="No cell-supply claim is recorded for the chosen cases' models: no leg can be drawn.",
    )


def show_leg_map(r: BatteriesReport) -> None:
    """The map of the cell legs, or one sentence saying why there is none (never a point for an unknown input)."""
    drawn = r.legs[r.legs.geometry.notna()]
    data = pd.DataFrame(drawn.drop(columns="geometry"))[LEG_MAP_DATA]
    show_chart(
        cell_leg_map(r.legs, r.tables) if len(drawn) else None,
        data,
        "cell_legs_map",
        [s for ids_ in drawn["source_ids"] for s in ids_],
        "Sea distances follow searoute's network; road legs are 1.3 times the straight line (our estimates).",
        empty="No map: no case model's cell plant is named (with its port), so no leg of the cells can be drawn.",
    )
