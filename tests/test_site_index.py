"""What the index and report titles say to a reader: human titles for matrix reports, the case briefs first, and
the evidence words of the reports (no words of its own)."""

from __future__ import annotations

from pathlib import Path

from evsupply.paths import NOTEBOOKS_DIR
from evsupply.render import load_manifest
from evsupply.render.manifest import matrix_title
from tests.kit.render import write_manifest


def test_matrix_reports_are_titled_with_names_not_ids() -> None:
    # main: "Who controls the builders of a case (company=byd)" (issue 15).
    titles = {r.name: r.title for r in load_manifest(NOTEBOOKS_DIR / "reports.yml")}
    # data/companies.csv: byd is "BYD Company Limited"; data/models.csv: volvo_ex30 is "Volvo EX30".
    assert titles["ownership_case-byd"] == "Who controls the builders of a case: BYD Company Limited"
    assert titles["market_access_case-volvo_ex30"].endswith(": Volvo EX30")
    assert not [t for t in titles.values() if "=" in t]


def test_a_title_placeholder_takes_the_names(tmp_path: Path) -> None:
    manifest = write_manifest(
        tmp_path,
        [
            {
                "name": "scatter",
                "notebook": "scatter.ipynb",
                "title": "Points for {name}",
                "matrix": {"title": ["polestar", "no_such_company"]},
            },
            {"name": "owner", "notebook": "scatter.ipynb", "title": "Owner {name}", "matrix": {"n": [3]}},
        ],
    )
    titles = [r.title for r in load_manifest(manifest)]
    # `title` is not an id parameter: its values stay as they are; `n` neither.
    assert titles == ["Points for polestar", "Points for no_such_company", "Owner 3"]


def test_ids_in_titles_are_named_from_the_data() -> None:
    # data/companies.csv names polestar "Polestar (Polestar Automotive Holding UK PLC)"; data/plants.csv names
    # renault_korea_busan "Renault Korea Busan plant"; an unknown id stays as it is.
    assert matrix_title("Case brief: {name}", {"company": "polestar"}) == (
        "Case brief: Polestar (Polestar Automotive Holding UK PLC)"
    )
    assert matrix_title("Flows", {"origin": "renault_korea_busan", "markets": ["KOR", "nowhere"]}) == (
        "Flows: Renault Korea Busan plant, South Korea, nowhere"
    )
