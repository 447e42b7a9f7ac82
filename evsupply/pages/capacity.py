"""The capacity report: a plant's observed output against its capacity, and what added volumes would do."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.counts.capacity import scenario_utilisation, utilisation
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.tables import Tables
from evsupply.figures.capacity import scenario_figure, utilisation_figure
from evsupply.findings.capacity import utilisation_findings
from evsupply.pages.common import BOUND_COLUMN, name_of, show_chart
from evsupply.pages.html import Column, Html, table
from evsupply.pages.spec import Param, Params, ReportSpec

SPEC = ReportSpec(
    "capacity.ipynb",
    {
        "plant": Param("str", "renault_korea_busan", "The plant (a `plant_id`).", ids("plants", "plant_id")),
        "scenarios": Param(
            "mapping",
            {"none": 0, "plan": 10000, "double": 20000, "high": 50000},
            "Added vehicles a year by scenario name; 10,000 is the Polestar 4 volume planned for Busan in "
            "2023, the others are illustrative, not forecasts.",
        ),
        "base_year": Param(
            "int", 0, "Year whose output is held constant under the scenarios (0: the latest year with output)."
        ),
    },
)


@dataclass
class CapacityReport:
    """Everything the capacity report shows, computed once."""

    tables: Tables
    p: Params
    util: pd.DataFrame
    scenarios: pd.DataFrame
    recorded: pd.DataFrame

    @property
    def source_ids(self) -> list[str]:
        """The sources of the output and capacity rows used."""
        found = [s for cell in self.util["output_source_ids"] for s in cell]
        found += list(self.util["capacity_source_id"].dropna())
        vs = self.tables["volume_scenarios"]
        found += list(vs.loc[vs["plant_id"] == self.p.plant, "source_id"])
        return list(dict.fromkeys(str(s) for s in found))


def build(tables: Tables, p: Params) -> CapacityReport:
    """Utilisation by year, and under the parameter's scenarios and the recorded ones."""
    util = utilisation(tables, p.plant)
    base = p.base_year or None
    scen = scenario_utilisation(tables, p.plant, base_year=base, volumes=p.scenarios) if len(util) else pd.DataFrame()
    recorded = scenario_utilisation(tables, p.plant, base_year=base) if len(util) else pd.DataFrame()
    return CapacityReport(tables, p, util, scen, recorded)


def findings(r: CapacityReport) -> list[Finding]:
    """Key findings, written by (evsupply.findings.capacity.utilisation_findings), in its order."""
    return utilisation_findings(r.tables, r.p.plant, r.p.base_year or None)


UTIL_COLUMNS = {
    "year": Column("Year", lambda v: str(int(v))),
    "output_units": Column("Output (vehicles)", "int"),
    "bound": BOUND_COLUMN,
    "output_note": "What the figure covers",
    "capacity_units_per_year": Column("Capacity (vehicles a year)", "int"),
    "capacity_as_of_date": Column("Capacity claim of", "date"),
    "utilisation_pct": Column("Utilisation (%; bound as the output)", "float1"),
    "output_source_ids": Column("Output sources", "sources"),
    "capacity_source_id": Column("Capacity source", "sources"),
}
SCENARIO_COLUMNS = {
    "scenario": "Scenario",
    "added_units_per_year": Column("Added (vehicles a year)", "int"),
    "base_year": Column("Base year", lambda v: str(int(v))),
    "base_output_units": Column("Base output", "int"),
    "total_units": Column("Total", "int"),
    "capacity_units_per_year": Column("Capacity", "int"),
    "utilisation_pct": Column("Utilisation (%; bound as the output)", "float1"),
    "base_note": "Assumption",
}
CAVEATS = [
    "Output is what the tables record for the plant: exact counts where sourced, otherwise approximate figures or "
    "bounds; a bound gives a bound of utilisation. Sales and exports (in the observations table) are not output.",
    "Published capacities disagree (250,000 to 300,000 for Busan); the preferred claim is used, and a capacity "
    "published after a year stands for that year when no earlier one exists (its date is shown).",
    "Scenarios hold the base year's other output constant: other models may grow or stop.",
    "Capacity is a nameplate figure: shifts, line changes (the 2025 EV retooling) and model mix change what a plant "
    "can really build.",
]


def show_utilisation(r: CapacityReport) -> None:
    """Output against capacity by year, titled with the year of lowest use."""
    name = name_of(r.tables, "plant_id", r.p.plant)
    low = r.util.dropna(subset=["utilisation_pct"]).sort_values("utilisation_pct")
    title = (
        f"{name}: output against capacity"
        if low.empty
        else f"{name}: lowest use {low.iloc[0]['utilisation_pct']:.0f}% of capacity in {int(low.iloc[0]['year'])}"
    )
    show_chart(
        utilisation_figure(r.util, title=title),
        r.util[["year", "output_units", "bound", "capacity_units_per_year", "utilisation_pct"]],
        "utilisation_chart",
        r.source_ids,
        "Bars: output (≈ approximate, < under, ≥ at least); line: capacity.",
        values=["output_units", "capacity_units_per_year"],
        empty=f"No chart: no output or capacity of {name} is recorded.",
    )


def scenarios_block(r: CapacityReport) -> Html:
    """The parameter's scenarios, or a line saying there is no base output."""
    return table(
        r.scenarios,
        SCENARIO_COLUMNS,
        "scenarios",
        caption="Utilisation under the parameter's scenarios",
        empty="No output recorded: no base for the scenarios.",
    )


def show_scenarios(r: CapacityReport) -> None:
    """The scenarios' utilisation, titled with the largest (nothing without a base output)."""
    if r.scenarios.empty:
        return
    top = r.scenarios.sort_values("utilisation_pct").iloc[-1]
    show_chart(
        scenario_figure(r.scenarios, title=f"Even '{top['scenario']}' uses {top['utilisation_pct']:.0f}% of capacity"),
        r.scenarios[["scenario", "added_units_per_year", "total_units", "utilisation_pct"]],
        "scenarios_chart",
        r.source_ids,
        "Scenarios are illustrations, not forecasts.",
    )


def recorded_block(r: CapacityReport) -> Html:
    """The scenarios recorded in `volume_scenarios` for the plant, or a line saying there are none."""
    return table(
        r.recorded,
        SCENARIO_COLUMNS,
        "recorded_scenarios",
        caption="Scenarios recorded in volume_scenarios",
        empty="No scenario recorded for this plant.",
    )
