"""The ownership report: who holds a company on a day, look-through stakes, the ultimate controller, history."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.ownership import (
    Control,
    look_through,
    look_through_table,
    shareholder_history,
    stakes_above,
    ultimate_controller,
)
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.tables import Tables
from evsupply.figures.ownership import ownership_graph_figure, shareholder_timeline_figure
from evsupply.findings.ownership import control_findings
from evsupply.pages.common import name_of, show_chart, with_names
from evsupply.pages.html import Column, Html, bullet_list, paragraph, table
from evsupply.pages.spec import Param, Params, ReportSpec

SPEC = ReportSpec(
    "ownership.ipynb",
    {
        "company": Param(
            "str", "polestar", "The company whose owners are traced (a `company_id`).", ids("companies", "company_id")
        ),
        "as_of": Param("date", "2026-11-27", "The day (YYYY-MM-DD) the stakes are read; periods include both ends."),
        "history": Param(
            "str_list",
            ["renault_korea", "polestar"],
            "Companies whose shareholders are drawn over time.",
            ids("companies", "company_id"),
        ),
    },
)


@dataclass
class OwnershipReport:
    """Everything the ownership report shows, computed once."""

    tables: Tables
    p: Params
    edges: pd.DataFrame
    look_through: pd.DataFrame
    control: Control
    controller_share_pct: float | None
    histories: dict[str, pd.DataFrame]

    @property
    def source_ids(self) -> list[str]:
        """The sources of every stake shown."""
        found = list(self.edges["source_id"]) + list(self.control.source_ids)
        for hist in self.histories.values():
            found += list(hist["source_id"])
        return list(dict.fromkeys(str(s) for s in found))


def build(tables: Tables, p: Params) -> OwnershipReport:
    """Direct stakes above the company, look-through stakes, the controller and the history of the listed companies."""
    edges = with_names(stakes_above(tables, p.company, p.as_of), tables)
    lt = look_through_table(tables, p.company, p.as_of)
    control = ultimate_controller(tables, p.company, p.as_of)
    share = look_through(tables, control.controller_id, p.company, p.as_of) if control.controller_id else None
    histories = {c: shareholder_history(tables, c) for c in p.history}
    return OwnershipReport(tables, p, edges, lt, control, share, histories)


def findings(r: OwnershipReport) -> list[Finding]:
    """Key findings, written by (evsupply.findings.ownership.control_findings), in its order."""
    return control_findings(r.tables, r.p.company, r.p.as_of, r.p.history)


EDGE_COLUMNS = {
    "owner_name": "Holder",
    "owned_name": "Company held",
    "interest_type": "Interest",
    "stake_pct": Column("Stake (%)", "pct"),
    "valid_from": Column("Since", "date"),
    "basis": "Basis",
    "source_id": Column("Source", "sources"),
}
LOOK_THROUGH_COLUMNS = {
    "owner_name": "Holder",
    "entity_type": "Kind",
    "country_code": "Country",
    "direct_stake_pct": Column("Direct stake (%)", "float2"),
    "look_through_min_pct": Column("Look-through stake, at least (%)", "float2"),
    "unknown_holdings": Column("Holdings of unknown size on the way", "int"),
    "look_through_text": "Look-through stake",
}
HISTORY_COLUMNS = {
    "owner_name": "Holder",
    "stake_pct": Column("Stake (%)", "pct"),
    "valid_from": Column("From", "date"),
    "valid_to": Column("To", "date"),
    "basis": "Basis",
    "source_id": Column("Source", "sources"),
}
CAVEATS = [
    "Control here is a simple majority test on reported equity stakes, plus control that a source reports without "
    "a percentage (e.g. Li Shufu's control of PSD Investment). Voting rights, share classes, shareholder agreements "
    "and board control are not modelled; legal tests such as the US connected-vehicle rule's are broader.",
    "Stakes are what sources reported on their dates; some are estimates of dilution (their method shows the "
    "arithmetic). Between two reports a stake is carried forward, and such rows say so.",
    "Look-through stakes need an acyclic graph: a cross-holding cycle on the chosen day stops the report with an "
    "error naming the companies in it.",
]


def control_block(r: OwnershipReport) -> Html:
    """The chain of control, one cited line per holding."""
    return bullet_list([(line.text, line.source_ids) for line in r.control.lines])


def show_graph(r: OwnershipReport) -> None:
    """The graph of stakes, titled with the company and its ultimate controller."""
    boss = name_of(r.tables, "company_id", r.control.controller_id) if r.control.controller_id else "no one"
    title = f"{name_of(r.tables, 'company_id', r.p.company)} on {r.p.as_of}: controlled by {boss}"
    show_chart(
        ownership_graph_figure(r.edges, r.tables["companies"], title=title),
        r.edges[["owner_name", "owned_name", "interest_type", "stake_pct", "source_id"]],
        "stakes_graph",
        r.edges["source_id"],
        "Arrows run from holder to held; labels are stakes.",
    )


def show_histories(r: OwnershipReport) -> None:
    """One timeline of recorded stakes per company in `history_of`."""
    for cid, hist in r.histories.items():
        name = name_of(r.tables, "company_id", cid)
        show_chart(
            shareholder_timeline_figure(
                hist, r.p.as_of, title=f"{name}: {len(hist)} recorded stakes since {hist['valid_from'].min():%Y}"
            ),
            hist[["owner_name", "stake_pct", "valid_from", "valid_to", "basis", "source_id"]],
            f"history_{cid}",
            hist["source_id"],
            f"Shareholders of {name}.",
        )


def history_tables(r: OwnershipReport) -> Html:
    """One table of recorded stakes per company in `history_of`."""
    blocks = [
        table(
            hist,
            HISTORY_COLUMNS,
            f"history_table_{cid}",
            caption=f"Shareholders of {name_of(r.tables, 'company_id', cid)}",
        )
        for cid, hist in r.histories.items()
    ]
    return sum(blocks[1:], blocks[0]) if blocks else paragraph("No company listed in history_of.")
