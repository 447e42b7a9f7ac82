"""What the index and report titles say to a reader: human titles for matrix reports, the case briefs first, and
the evidence words of the reports (no words of its own)."""

from __future__ import annotations

import re
from pathlib import Path

from evsupply.core import evidence
from evsupply.render import load_manifest
from evsupply.render.manifest import Report, matrix_title
from evsupply.render.site import index_html
from tests.kit.render import write_manifest


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


def _record(name: str, findings: list[dict]) -> dict:
    return {"name": name, "status": "ok", "html": f"{name}.html", "findings": findings, "rendered_at": "2026-12-03"}


def test_the_index_leads_with_the_case_briefs_in_the_reports_evidence_words() -> None:
    folder = Path("/nonexistent")
    brief = Report("brief-busan", folder / "brief.ipynb", "Case brief: Busan", question="Case briefs")
    flows = Report("flows_busan", folder / "flows.ipynb", "Busan flows", question="What was announced?")
    lines = [
        {"text": f"Line {i}.", "evidence": code}
        for i, code in enumerate(["observed", "planned", "derived", "what_if", "none_found", "reported"])
    ]
    # A record written before the vocabulary: its `basis` is a data code ("announced").
    old = [{"text": "10,000 a year planned.", "basis": "announced"}]
    page = index_html(
        [flows, brief], {"brief-busan": _record("brief-busan", lines), "flows_busan": _record("x", old)}, "h"
    )
    briefs_at, flows_at = page.index('id="case-briefs"'), page.index('id="report-flows_busan"')
    assert briefs_at < flows_at  # the briefs come first, whatever the manifest's order
    state = page[briefs_at:flows_at]
    assert state.count("<li>") == 5 and "Line 5." not in state  # five lines of the state of play
    assert 'href="brief-busan.html"' in state
    badges = re.findall(r'<span class="basis basis-([a-z_]+)"[^>]*>([^<]+)</span>', page)
    shown = {word for _, word in badges}
    assert shown <= {evidence.word(code) for code in evidence.CODES}
    # main showed the data code itself ("announced"); the reports say "announced plan".
    assert ("planned", "announced plan") in badges and "announced</span>" not in page
    # The vocabulary is explained on the index with the same words.
    assert all(evidence.word(code) in page for code in evidence.CODES)
