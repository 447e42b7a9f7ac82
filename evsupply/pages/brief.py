"""The case brief: one case on one day in five lines (sale, duty, counted, controller, plant), each linked to the
report that gives the detail, the way an analyst's note opens. The lines are the state of play (evsupply.analysis.cases.state)."""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from evsupply.analysis.batteries.cells import cells_from
from evsupply.analysis.cases.state import StateOfPlay, state_of_play
from evsupply.core import evidence
from evsupply.core.finding import Finding
from evsupply.core.parameters import ids
from evsupply.core.paths import NOTEBOOKS_DIR, data_dir
from evsupply.core.tables import Tables
from evsupply.pages.html import Html, cite_html, cite_text, esc
from evsupply.pages.spec import Param, Params, ReportSpec

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


def _slug(value: Any) -> str:
    # The manifest's rule for a matrix report's name suffix (evsupply.render.manifest; a test keeps them equal).
    return re.sub(r"[^a-z0-9_]+", "-", str(value).lower()).strip("-") or "x"


def _column_values(table: str, column: str) -> list[str]:
    """Every distinct value of a column of data/<table>.csv in file order (the manifest's rule for a matrix
    `{from: TABLE, column: COLUMN}`, evsupply.render.manifest.column_values; a test keeps them equal)."""
    try:
        with (data_dir() / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
            return list(dict.fromkeys(row[column] for row in csv.DictReader(handle) if row.get(column)))
    except (OSError, KeyError, csv.Error):
        return []


def manifest_reports(path: Path | None = None) -> list[ManifestReport]:
    """The reports of the manifest (matrices expanded), for linking; an absent manifest gives none."""
    path = path or NOTEBOOKS_DIR / "reports.yml"
    if not path.is_file():
        return []
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("reports") or []
    out = []
    for entry in entries:
        params = dict(entry.get("parameters") or {})
        matrix = dict(entry.get("matrix") or {})
        combos: list[dict[str, Any]] = [{}]
        for key, values in matrix.items():
            if isinstance(values, Mapping):  # {from: TABLE, column: COLUMN}: every value of a data column
                values = _column_values(str(values.get("from")), str(values.get("column")))
            combos = [{**c, key: v} for c in combos for v in values]
        for chosen in combos:
            suffix = "".join("-" + _slug(v) for v in chosen.values())
            out.append(ManifestReport(entry["name"] + suffix, Path(entry["notebook"]).stem, {**params, **chosen}))
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
        return list(dict.fromkeys([*own, *self.state.source_ids, *self.cells.source_ids]))


def build(tables: Tables, p: Params, reports: Sequence[ManifestReport] | None = None) -> BriefReport:
    """The state of play of the case on the date, and the detail report each line links to."""
    state = state_of_play(tables, p.case, p.on_date)
    links = detail_links(state, manifest_reports() if reports is None else reports)
    return BriefReport(tables, p, state, links, cells_from(tables, state.model_id, state.plant_id, p.on_date))


def findings(r: BriefReport) -> list[Finding]:
    """The brief's findings: the five lines of the state of play, in their order."""
    return list(r.state.lines)


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
    for f in r.state.lines:
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
            for f in r.state.lines
        ],
        "meta": checked,
    }
    text = "State of play" + (f" ({checked})" if checked else "") + "\n" + "\n".join(lines)
    return Html(markup, text, {"evsupply": summary})
