"""The project's reports as an analyst meets them, in headless Chromium with the network blocked: findings before
the first chart, real tables whose CSV download holds the table, no internal id as a legend or axis label, every
source link landing on its reference; and no script from the data or the manifest ever runs (an injection
corpus over every free-text column a report shows)."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from test_bundle import assert_site_in_bundle

import evsupply
from evsupply.core.paths import DATA_DIR, NOTEBOOKS_DIR
from evsupply.data import schema
from evsupply.render import load_manifest, render
from evsupply.render.manifest import RESERVED_NAMES

from .test_offline import CHROMIUM, FLAGS, browser

PAGE_PROBE = """() => {
  const first = (sel) => document.querySelector(sel);
  const findings = first('#key-findings');
  const chart = first('.evsupply-plotly-figure');
  const labels = Array.from(document.querySelectorAll(
      '.legendtext, .g-xtitle, .g-ytitle, .sankey .node-label, .ytick text, .xtick text'))
    .map(e => e.textContent.trim()).filter(t => t);
  const cites = Array.from(document.querySelectorAll('a.evsupply-cite')).map(a => a.getAttribute('href'));
  const missing = cites.filter(h => !h.startsWith('#') || !document.getElementById(h.slice(1)));
  const tables = Array.from(document.querySelectorAll('figure.evsupply-table-block')).map(f => ({
    header: Array.from(f.querySelectorAll('thead th')).map(th => th.innerText.trim()),
    rows: Array.from(f.querySelectorAll('tbody tr')).map(tr => Array.from(tr.cells).map(td => td.innerText.trim())),
  }));
  return {
    findingsFirst: !!findings && (!chart ||
      !!(findings.compareDocumentPosition(chart) & Node.DOCUMENT_POSITION_FOLLOWING)),
    findings: findings ? findings.querySelectorAll('li').length : 0,
    labels: labels, cites: cites.length, missing: missing, tables: tables,
    javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
  };
}"""


def internal_ids() -> set[str]:
    """Ids of the tables that a reader should never see as a label (names stand for them)."""
    t = evsupply.load()
    found: set[str] = set()
    for table, column in (
        ("plants", "plant_id"),
        ("companies", "company_id"),
        ("models", "model_id"),
        ("cases", "case_id"),
        ("ports", "port_id"),
    ):
        found |= set(t[table][column].astype(str))
    return found


def open_pages(playwright, pages: list[Path], downloads: bool = False):
    """An offline Chromium context (file:// only) and a page on it; console errors are collected."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    context = chromium.new_context(offline=True, accept_downloads=downloads)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return chromium, page, errors


def load(page, path: Path) -> None:
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    if page.locator(".evsupply-plotly-figure").count():
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.evsupply-plotly-figure'))"
            ".every(d => d.hasAttribute('data-drawn'))",
            timeout=120_000,  # generous: a busy machine is slow, not wrong
        )


def test_every_figure_of_the_site_is_in_its_plotly_bundle(project_site: Path) -> None:
    # The partial plotly.js draws only the trace types it registers: every figure of every report must use those.
    assert_site_in_bundle(project_site)


def test_every_report_reads_as_a_brief(project_site: Path) -> None:
    ids = internal_ids()
    lane_id = re.compile(r"^[a-z0-9_]+:[a-z0-9_]+:[A-Z]{3}$")
    own = {f"{name}.html" for name in RESERVED_NAMES}  # the site's own pages (index, sources, changes)
    pages = sorted(p for p in project_site.glob("*.html") if p.name not in own)
    assert len(pages) >= 10
    with browser() as playwright:
        chromium, page, errors = open_pages(playwright, pages, downloads=True)
        try:
            for path in pages:
                load(page, path)
                seen = page.evaluate(PAGE_PROBE)
                name = path.name
                assert (seen["findingsFirst"] and 3 <= seen["findings"] <= 5) or (
                    seen["findingsFirst"] and seen["findings"] >= 1
                ), name
                assert seen["tables"], f"{name}: no HTML table"
                shown_ids = [label for label in seen["labels"] if label in ids or lane_id.match(label)]
                assert not shown_ids, f"{name}: internal ids as labels: {shown_ids}"
                assert seen["cites"] > 0 and seen["missing"] == [], (
                    f"{name}: links without a reference: {seen['missing']}"
                )
                assert seen["javascriptLinks"] == 0, name
                # The CSV download of the first table saves a file with one row per row of the table (its data;
                # a grid shown wide may save its long form: at least as many rows).
                link = page.locator("figure.evsupply-table-block a.evsupply-download").first
                with page.expect_download() as download:
                    link.click()
                rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
                table = seen["tables"][0]
                assert len(rows) - 1 >= len(table["rows"]) > 0, name
                assert len(rows[0]) >= len(table["header"]) or len(rows) - 1 > len(table["rows"]), name
        finally:
            chromium.close()
    assert errors == [], errors


def test_the_index_shows_findings_and_previews_by_question(project_site: Path) -> None:
    with browser() as playwright:
        chromium, page, errors = open_pages(playwright, [project_site / "index.html"])
        try:
            page.goto((project_site / "index.html").as_uri())
            page.wait_for_load_state("load")
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.card .preview'))"
                ".every(d => d.hasAttribute('data-drawn'))",
                timeout=120_000,  # generous: a busy machine is slow, not wrong
            )
            questions = page.locator(".question h2").all_inner_texts()
            headlines = page.locator(".card:not(.brief) .headline").count()
            drawn = page.locator(".card .preview[data-drawn='true']").count()
            cards = page.locator(".card:not(.brief)").count()
            briefs = page.locator(".card.brief").count()
            brief_lines = page.locator(".card.brief .state-of-play li").count()
        finally:
            chromium.close()
    manifest = yaml.safe_load((NOTEBOOKS_DIR / "reports.yml").read_text(encoding="utf-8"))
    assert questions == list(dict.fromkeys(r["question"] for r in manifest["reports"]))
    assert headlines == cards and drawn >= cards // 2
    # The case briefs lead, each with its state of play in five lines.
    assert questions[0] == "Case briefs" and briefs > 0 and brief_lines == 5 * briefs
    assert errors == []


# --- nothing from the data or the manifest may run as script ----------------------------------------------------

PAYLOADS = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '"><svg onload="window.__pwned = 3">',
    "[click](javascript:window.__pwned=4)",
]


def free_text_columns() -> dict[str, list[str]]:
    """Per table, the string columns a contributor writes freely (no id pattern, no enum, not a key)."""
    out = {}
    for table in schema.tables().values():
        cols = [
            f["name"]
            for f in table.fields
            if f["type"] == "string"
            and not {"pattern", "enum"} & set(f.get("constraints", {}))
            and f["name"] not in table.primary_key
            and f["name"] != "model_scope"
        ]
        if cols:
            out[table.name] = cols
    return out


def poisoned_data(folder: Path) -> Path:
    """A valid copy of data/ whose every free-text cell carries a payload."""
    shutil.copytree(DATA_DIR, folder)
    for name, cols in free_text_columns().items():
        path = folder / schema.tables()[name].path
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows, header = list(reader), list(reader.fieldnames or [])
        for i, row in enumerate(rows):
            for col in cols:
                payload = PAYLOADS[i % len(PAYLOADS)]
                room = (400 if col == "source_quote" else 10_000) - len(payload) - 1
                row[col] = f"{(row[col] or 'x')[:room]} {payload}"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")  # a table may have no rows yet
            writer.writeheader()
            writer.writerows(rows)
    return folder


def test_injected_text_never_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = poisoned_data(tmp_path / "data")
    assert [p for p in evsupply.data.validate.validate(data) if p.level == "error"] == []
    monkeypatch.setenv("EVSUPPLY_DATA_DIR", str(data))
    manifest = yaml.safe_load((NOTEBOOKS_DIR / "reports.yml").read_text(encoding="utf-8"))
    for i, entry in enumerate(manifest["reports"]):
        entry["notebook"] = str(NOTEBOOKS_DIR / entry["notebook"])
        entry["title"] = f"{entry['title']} {PAYLOADS[i % len(PAYLOADS)]}"
        entry["question"] = f"{entry['question']} {PAYLOADS[(i + 1) % len(PAYLOADS)]}"
    (tmp_path / "reports.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    reports = load_manifest(tmp_path / "reports.yml")
    results = render(reports, site=tmp_path / "site", state=tmp_path / "state", progress=False)
    assert {r.name: r.error for r in results if r.status != "ok"} == {}
    pages = [tmp_path / "site" / "index.html", *sorted((tmp_path / "site").glob("*.html"))]
    with browser() as playwright:
        chromium, page, _ = open_pages(playwright, pages)  # console errors are not the point here
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        try:
            for path in pages:
                load(page, path)
                page.mouse.move(200, 200)
                assert page.evaluate("() => window.__pwned === undefined"), f"a payload ran in {path.name}"
                assert page.evaluate("() => document.querySelectorAll('a[href^=\"javascript:\" i]').length") == 0
                if path.name != "changes.html":  # its text is data/CHANGELOG.md, which carries no payload
                    assert "__pwned" in page.content()  # the payloads are shown, as text
        finally:
            chromium.close()
    assert dialogs == []
