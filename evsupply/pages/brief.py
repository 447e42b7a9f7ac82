"""The case brief: one case on one day in five lines (sale, duty, counted, controller, plant), each linked to the
report that gives the detail, the way an analyst's note opens. The lines are the state of play (`state_of_play`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from evsupply.analysis.cases.state import StateOfPlay, state_of_play
from evsupply.core import evidence
from evsupply.core.finding import Finding, sources_of
from evsupply.core.parameters import ids
from evsupply.core.paths import NOTEBOOKS_DIR
from evsupply.core.tables import Tables
from evsupply.findings.batteries import cells_from
from evsupply.findings.brief import state_lines
from evsupply.pages.html import Html, cite_html, cite_text, esc, provenance
from evsupply.pages.spec import Param, Params, ReportSpec, data_column_values, matrix_variants

SPEC = ReportSpec(
    "brief.ipynb",
    {
        "case": Param("str", "busan_polestar_4", "The case (a `case_id`).", ids("cases", "case_id")),
        "on_date": Param("date", "2026-11-27", "The day (YYYY-MM-DD) on which the state of play is read."),
    },
)
# Which detail report each line of the brief links to.
LINE_REPORTS = {
    "sale": "market_access",
    "duty": "market_access",
    "counted": "flows",
    "controller": "ownership",
    "plant": "atlas",
}
LINE_TITLES = {
    "sale": "May it be sold?",
    "duty": "Duty",
    "counted": "Counted",
    "controller": "Who controls the maker",
    "plant": "The plant",
}
REPORT_WORDS = {"flows": "flows", "market_access": "market access", "ownership": "ownership", "atlas": "atlas"}
CAVEATS = [
    "Each line is read on the brief's date from the same function (evsupply.state.state_of_play) that the flows, "
    "market-access and atlas reports use, so they cannot disagree.",
    "'May be sold' follows the policy engine: a sales ban in force on the date bars the model years it names, "
    "unless the brand's authorisation decision lifts it; a case is marked barred when the ban reaches the current "
    "or the next model year (the next is on sale within the year).",
    "A look-through stake through a holding reported as control without a published stake is a lower bound.",
]


@dataclass(frozen=True)
class ManifestReport:
    """A report of the manifest as the brief needs it: its page name, notebook stem and parameters."""

    name: str
    notebook: str
    parameters: Mapping[str, Any]


def manifest_reports(path: Path | None = None) -> list[ManifestReport]:
    """The reports of the manifest (matrices expanded), for linking; an absent manifest gives none."""
    path = path or NOTEBOOKS_DIR / "reports.yml"
    if not path.is_file():
        return []
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("reports") or []
    out = []
    for entry in entries:
        params = dict(entry.get("parameters") or {})
        matrix = {
            key: (data_column_values(str(v.get("from")), str(v.get("column"))) or []) if isinstance(v, Mapping) else v
            for key, v in dict(entry.get("matrix") or {}).items()
        }  # {from: TABLE, column: COLUMN}: every value of a data column (the manifest's rule)
        for name, chosen in matrix_variants(entry["name"], matrix):
            out.append(ManifestReport(name, Path(entry["notebook"]).stem, {**params, **chosen}))
    return out


def detail_links(state: StateOfPlay, reports: Sequence[ManifestReport]) -> dict[str, str]:
    """The page name of the detail report for each kind of line: the manifest's report about this case's plant
    (flows), model (market access) and brand (ownership); the atlas where none exists."""

    def first(notebook: str, key: str, value: Any, default_value: Any = None) -> str | None:
        for r in reports:
            if r.notebook != notebook:
                continue
            if r.parameters.get(key, default_value) == value and not r.parameters.get("compare_with"):
                return r.name
        return None

    atlas = next((r.name for r in reports if r.notebook == "atlas"), "atlas")
    found = {
        "flows": first("flows", "origin", state.plant_id),
        "market_access": first("market_access", "model", state.model_id, "polestar_4"),
        "ownership": first("ownership", "company", state.brand_id, "polestar"),
    }
    return {kind: found.get(LINE_REPORTS[kind]) or atlas for kind in LINE_REPORTS}


@dataclass
class BriefReport:
    """Everything the brief shows, computed once."""

    tables: Tables
    p: Params
    state: StateOfPlay
    links: dict[str, str]
    cells: Finding
    lines: tuple[Finding, ...]

    @property
    def case_source_id(self) -> str | None:
        """The source that defines the case (its row of cases.csv)."""
        cases = self.tables["cases"].set_index("case_id")["source_id"]
        value = cases.get(self.state.case_id)
        return None if value is None or pd.isna(value) else str(value)

    @property
    def source_ids(self) -> list[str]:
        """The case's own source, then every source of the five lines and of the cells line."""
        own = [self.case_source_id] if self.case_source_id else []
        return list(dict.fromkeys([*own, *sources_of(self.lines), *self.cells.source_ids]))


def build(tables: Tables, p: Params, reports: Sequence[ManifestReport] | None = None) -> BriefReport:
    """The state of play of the case on the date, and the detail report each line links to."""
    state = state_of_play(tables, p.case, p.on_date)
    links = detail_links(state, manifest_reports() if reports is None else reports)
    cells = cells_from(tables, state.model_id, state.plant_id, p.on_date)
    return BriefReport(tables, p, state, links, cells, state_lines(state, tables))


def findings(r: BriefReport) -> list[Finding]:
    """The brief's findings: the five lines of the state of play, in their order."""
    return list(r.lines)


def title(r: BriefReport) -> Html:
    """The brief's heading: the case and the day."""
    text = f"{r.state.case_name}, on {r.state.on_date}"
    # The case's own source (what makes it a case), so a brief whose five lines found nothing still cites one.
    cited = cite_html([r.case_source_id]) if r.case_source_id else ""
    return Html(f"<h2>{esc(text)} {cited}</h2>", text)


def brief_block(r: BriefReport, checked: str = "") -> Html:
    """The five lines, each with its evidence word, sources and a link to its detail report; the render reads them
    as the report's findings (the first is the index's headline)."""
    items, lines = [], []
    for f in r.lines:
        kind = f.key.split(":")[0].removeprefix("state_")
        target = r.links[kind]
        word = evidence.word(f.evidence)
        badge = (
            f'<span class="evsupply-basis evsupply-basis-{esc(f.evidence)}" '
            f'title="{esc(evidence.meaning(f.evidence))}">{esc(word)}</span>'
        )
        # The link says which kind of report it opens (a matrix report's name is no word for readers).
        word_of_target = next((w for k, w in REPORT_WORDS.items() if target == k or target.startswith(k)), "detail")
        link = f'<a class="evsupply-detail" href="{esc(target)}.html">{esc(word_of_target)} →</a>'
        items.append(
            f"<li><strong>{esc(LINE_TITLES[kind])}</strong> {badge} {esc(f.text)} {cite_html(f.source_ids)} {link}</li>"
        )
        lines.append(f"- {LINE_TITLES[kind]} ({word}) {f.text}{cite_text(f.source_ids)} → {target}")
    c = r.cells
    cells_badge = (
        f'<span class="evsupply-basis evsupply-basis-{esc(c.evidence)}">{esc(evidence.word(c.evidence))}</span>'
    )
    markup = (
        '<section class="evsupply-findings evsupply-brief" id="key-findings"><h2>State of play</h2>'
        + (f'<p class="evsupply-findings-meta">{esc(checked)}</p>' if checked else "")
        + f"<ol>{''.join(items)}</ol>"
        + f'<p class="evsupply-brief-cells">{cells_badge} {esc(c.text)} {cite_html(c.source_ids)} '
        + '<a class="evsupply-detail" href="batteries.html">batteries →</a></p></section>'
    )
    lines.append(f"{c.text} ({evidence.word(c.evidence)}){cite_text(c.source_ids)} → batteries")
    summary = {
        "findings": [
            {
                "key": f.key,
                "text": f.text,
                "evidence": f.evidence,
                "word": evidence.word(f.evidence),
                "basis": f.evidence,
            }
            for f in r.lines
        ],
        "meta": checked,
        "content": provenance().content_hash,  # the data this report's kernel loaded (the render labels it so)
        "release": provenance().data_version,
    }
    text = "State of play" + (f" ({checked})" if checked else "") + "\n" + "\n".join(lines)
    return Html(markup, text, {"evsupply": summary})
