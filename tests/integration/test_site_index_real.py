"""What the index and report titles say to a reader: human titles for matrix reports, the case briefs first, and
the evidence words of the reports (no words of its own)."""

from __future__ import annotations

from evsupply.core.paths import NOTEBOOKS_DIR
from evsupply.render import load_manifest


def test_matrix_reports_are_titled_with_names_not_ids() -> None:
    # main: "Who controls the builders of a case (company=byd)" (issue 15).
    titles = {r.name: r.title for r in load_manifest(NOTEBOOKS_DIR / "reports.yml")}
    # data/companies.csv: byd is "BYD Company Limited"; data/models.csv: volvo_ex30 is "Volvo EX30".
    assert titles["ownership_case-byd"] == "Who controls the builders of a case: BYD Company Limited"
    assert titles["market_access_case-volvo_ex30"].endswith(": Volvo EX30")
    assert not [t for t in titles.values() if "=" in t]
