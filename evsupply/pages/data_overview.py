"""The data-overview report: what the tables hold, one plant's facts, and the claims that stood on a date."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.counts.overview import plant_observations, plant_profile, production_on, table_summary
from evsupply.analysis.ownership import direct_stakes
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.tables import Tables
from evsupply.figures.flows import MAP_HEIGHT_PX
from evsupply.figures.maps import plants_ports_map
from evsupply.findings.data_overview import overview_findings
from evsupply.pages.common import BOUND_COLUMN, show_chart, with_names
from evsupply.pages.html import Column
from evsupply.pages.spec import Param, Params, ReportSpec

SPEC = ReportSpec(
    "data_overview.ipynb",
    {
        "as_of": Param("date", "2026-11-27", "Date at which ownership and production claims are read (YYYY-MM-DD)."),
        "plant": Param(
            "str",
            "renault_korea_busan",
            "Plant whose capacity, workforce and output are listed.",
            ids("plants", "plant_id"),
        ),
    },
)


@dataclass
class OverviewReport:
    """Everything the data overview shows, computed once."""

    tables: Tables
    p: Params
    summary: pd.DataFrame
    profile: pd.DataFrame
    stakes: pd.DataFrame
    production: pd.DataFrame
    observations: pd.DataFrame

    @property
    def source_ids(self) -> list[str]:
        """The sources of the rows shown."""
        found = [
            *self.profile["source_id"],
            *self.stakes["source_id"],
            *self.production["source_id"],
            *self.observations["source_id"],
        ]
        t = self.tables
        found += [*t.plants["source_id"], *t.ports["source_id"]]
        return list(dict.fromkeys(str(s) for s in found))


def build(tables: Tables, p: Params) -> OverviewReport:
    """Table sizes, the plant's facts, stakes and production claims on `as_of`, and the counts for the plant."""
    mine = plant_observations(tables, p.plant)
    return OverviewReport(
        tables,
        p,
        table_summary(tables),
        plant_profile(tables, p.plant),
        with_names(direct_stakes(tables, p.as_of), tables),
        with_names(production_on(tables, p.as_of), tables),
        with_names(mine, tables),
    )


def findings(r: OverviewReport) -> list[Finding]:
    """Key findings, written by (evsupply.findings.data_overview.overview_findings), in its order."""
    return overview_findings(r.tables, r.p.plant, r.p.as_of)


SUMMARY_COLUMNS = {
    "table": "Table",
    "rows": Column("Rows", "int"),
    "columns": Column("Columns", "int"),
    "sources_cited": Column("Sources cited", "int"),
}
PROFILE_COLUMNS = {
    "fact": "Fact",
    "period": "Date or year",
    "value": Column("Value", "int"),
    "bound": BOUND_COLUMN,
    "preferred": Column("Preferred claim", "bool"),
    "basis": "Basis",
    "source_id": Column("Source", "sources"),
}
STAKE_COLUMNS = {
    "owned_name": "Company held",
    "owner_name": "Holder",
    "interest_type": "Interest",
    "stake_pct": Column("Stake (%)", "pct"),
    "valid_from": Column("Since", "date"),
    "basis": "Basis",
    "source_id": Column("Source", "sources"),
}
PRODUCTION_COLUMNS = {
    "model_name": "Model",
    "plant_name": "Plant",
    "market_name": "Market",
    "production_status": "Status",
    "evidence": "Announced or observed",
    "start_date": Column("Start", "date"),
    "start_precision": "Start known to the",
    "as_of_date": Column("Claim of", "date"),
    "source_id": Column("Source", "sources"),
}
OBSERVATION_COLUMNS = {
    "quantity": "Counted",
    "maker_name": "Maker",
    "model_name": "Model",
    "market_name": "Market",
    "period_start": Column("From", "date"),
    "period_end": Column("To", "date"),
    "vehicles_count": Column("Vehicles", "int"),
    "bound": BOUND_COLUMN,
    "basis": "Basis",
    "source_id": Column("Source", "sources"),
}
CAVEATS = [
    "Coordinates marked 'estimated' were placed by us from a described location (the method is in the table); good "
    "to a few kilometres, enough for maps and sea routes, not for site work.",
    "Production claims are what sources said on their dates; `evidence` says whether a claim announces a plan or "
    "reports cars built, shipped or sold. Counted quantities are in the observations table.",
    "Ownership rows record what sources reported on their dates; some are estimates of dilution (method given).",
    "Import ports are rarely published: the tables mark them as assumptions where no source names them.",
]


def show_map(r: OverviewReport) -> None:
    """Every plant and port in the tables on one map."""
    plants, ports = r.tables["plants"], r.tables["ports"]
    show_chart(
        plants_ports_map(
            plants, ports, title=f"{len(plants)} plants and {len(ports)} ports in the tables"
        ).update_layout(height=MAP_HEIGHT_PX),
        plants.drop(columns="geometry")[
            ["plant_id", "plant_name", "country_code", "latitude", "longitude", "location_basis", "source_id"]
        ],
        "plants",
        plants["source_id"],
        "Hover over a point for its location basis and source.",
    )
