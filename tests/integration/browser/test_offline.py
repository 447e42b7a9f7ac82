"""Open the rendered site in headless Chromium with the network blocked: every figure and map must draw.

Needs Debian's `chromium` (`apt-get install -y chromium`; `.ci/run` does it). Without it the test is
skipped locally, and fails under CI (CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import plotly.graph_objects as go
import pytest

import evsupply
from evsupply.analysis.shipping.flows import build_flows
from evsupply.figures.flows import flow_map
from evsupply.figures.maps import BASE_MAP_NAME
from evsupply.render import load_manifest, render

FIXTURES = Path(__file__).parents[2] / "fixtures"
CHROMIUM = os.environ.get("EVSUPPLY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-gpu",
]
HOW = "install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), or set EVSUPPLY_CHROMIUM"

REPORTS = [
    {"name": "scatter", "notebook": "scatter.ipynb", "title": "Scatter", "parameters": {"n": 5}},
    {"name": "map", "notebook": "geo.ipynb", "title": "Map", "parameters": {"port": "CNNGB"}},
    {"name": "raises", "notebook": "fails.ipynb", "title": "Raises"},
]

# What each figure looks like once drawn: its state, plotly's svg, and the length of the countries outline, drawn
# either by evsupply's base-map trace (evsupply.figures.maps) or by plotly.js's own countries layer.
PROBE = """([selector, baseMap]) => Array.from(document.querySelectorAll(selector)).map(div => {
  const traces = Array.from(div.querySelectorAll('.geo .scatterlayer .trace'));
  const index = (div.data || []).findIndex(t => t.name === baseMap);
  const line = index >= 0 && traces[index] ? traces[index].querySelector('path.js-line') : null;
  const own = Array.from(div.querySelectorAll('.geo .countries path'));
  return {
    drawn: div.getAttribute('data-drawn'),
    svg: div.querySelectorAll('.main-svg').length,
    geo: div.querySelectorAll('.geo').length,
    countries: (line ? (line.getAttribute('d') || '').length : 0)
      + own.reduce((n, p) => n + (p.getAttribute('d') || '').length, 0),
  };
})"""
FIGURES = ".evsupply-plotly-figure"


def browser():
    """A Playwright Chromium, or skip (fail under CI) when there is none."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: {HOW}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    sync_api = pytest.importorskip("playwright.sync_api")
    return sync_api.sync_playwright()


def write_manifest(folder: Path) -> Path:
    """The browser test's manifest, pointing at the fixture notebooks."""
    reports = [dict(r, notebook=str(FIXTURES / "notebooks" / r["notebook"])) for r in REPORTS]
    path = folder / "reports.yml"
    path.write_text(json.dumps({"reports": reports}))
    return path


def visit(playwright, pages: list[Path]) -> dict:
    """Open each page offline; return the requests made, the non-file ones, console errors and figure probes."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    context = chromium.new_context(offline=True)
    requests, outside, errors, figures = [], [], [], {}

    def route(r) -> None:
        requests.append(r.request.url)
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    try:
        for path in pages:
            page.goto(path.as_uri())
            page.wait_for_load_state("load")
            if page.locator(".evsupply-plotly-figure").count():
                page.wait_for_function(
                    "() => Array.from(document.querySelectorAll('.evsupply-plotly-figure'))"
                    ".every(d => d.hasAttribute('data-drawn'))",
                    timeout=120_000,  # generous: a busy machine is slow, not wrong
                )
                page.wait_for_timeout(300)  # a map's base layer is drawn just after the promise
            figures[path.name] = page.evaluate(PROBE, [FIGURES, BASE_MAP_NAME])
    finally:
        chromium.close()
    return {"requests": requests, "outside": outside, "errors": errors, "figures": figures}


def assert_all_drawn(seen: dict, maps: set[str]) -> None:
    """No request left the machine, no console error, every figure drawn, maps with country outlines."""
    assert seen["outside"] == [], f"requests left the machine: {seen['outside']}"
    assert seen["errors"] == [], f"console errors: {seen['errors']}"
    for name, figures in seen["figures"].items():
        for fig in figures:
            assert fig["drawn"] == "true" and fig["svg"] > 0, f"{name}: figure not drawn: {fig}"
            if fig["geo"]:
                assert fig["countries"] > 10_000, f"{name}: map without country outlines: {fig}"
        if name in maps:
            assert any(fig["geo"] for fig in figures), f"{name}: the map is missing: {figures}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture reports rendered as a linked site, plus a standalone copy of the map."""
    root = tmp_path_factory.mktemp("browser")
    reports = load_manifest(write_manifest(root))
    render(reports, site=root / "site", state=root / "state", jobs=2, progress=False)
    render(
        [r for r in reports if r.name == "map"],
        site=root / "standalone",
        state=root / "state2",
        standalone=True,
        jobs=1,
        progress=False,
    )
    return root


def test_site_is_complete_offline(site: Path) -> None:
    with browser() as playwright:
        pages = [site / "site" / n for n in ("index.html", "scatter.html", "map.html")]
        seen = visit(playwright, [*pages, site / "standalone" / "map.html"])
    assert_all_drawn(seen, maps={"map.html"})
    assert len(seen["figures"]["scatter.html"]) == 1 and len(seen["figures"]["map.html"]) == 1
    assert not any("standalone" in u and "assets/" in u for u in seen["requests"])  # standalone needs no file


def exported(folder: Path, figure, plotly_js: Path) -> Path:
    """`figure` as plain plotly exports it (`fig.write_html`), loading plotly.js from a local file."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(plotly_js, folder / "plotly.js")
    path = folder / "figure.html"
    figure.write_html(path, include_plotlyjs="plotly.js", div_id="figure")
    return path


def probe_exported(playwright, path: Path) -> dict:
    """Open a `write_html` page offline: requests that left the machine, and the figure's probe."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    context = chromium.new_context(offline=True)
    outside: list[str] = []
    context.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith("file://") else (outside.append(r.request.url), r.abort()),
    )
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("() => document.querySelector('#figure .main-svg')", timeout=15000)
        page.wait_for_timeout(1000)  # plotly.js would fetch a base map now
        figures = page.evaluate(PROBE, ["#figure", BASE_MAP_NAME])
    finally:
        chromium.close()
    return {"figures": figures, "outside": outside}


def test_an_evsupply_map_exported_by_plain_plotly_draws_offline(site: Path, tmp_path: Path) -> None:
    # The map as a notebook in JupyterLab, VS Code or nbconvert shows it: plotly.js and the figure, nothing else.
    tables = evsupply.load()
    lanes = build_flows(tables, origin="renault_korea_busan", markets=["USA", "CAN"])
    page = exported(tmp_path, flow_map(lanes, tables.plants, tables.ports), site / "site" / "assets" / "plotly.min.js")
    with browser() as playwright:
        seen = probe_exported(playwright, page)
    assert seen["outside"] == []
    [figure] = seen["figures"]
    assert figure["geo"] == 1 and figure["countries"] > 10_000, figure


def test_the_check_catches_a_map_that_needs_plotlys_base_map(site: Path, tmp_path: Path) -> None:
    # Plotly's own base layers (here its countries) fetch world_110m.json from a CDN: offline, no countries.
    figure = go.Figure(go.Scattergeo(lon=[129.0, -118.3], lat=[35.1, 33.7], mode="lines"))
    figure.update_geos(showcountries=True)
    page = exported(tmp_path, figure, site / "site" / "assets" / "plotly.min.js")
    with browser() as playwright:
        seen = probe_exported(playwright, page)
    assert any("topojson" in u or "cdn.plot.ly" in u or "world_110m" in u for u in seen["outside"]), seen["outside"]
    assert seen["figures"][0]["countries"] < 10_000


def test_project_reports_are_complete_offline(project_site: Path) -> None:
    """Every report of notebooks/reports.yml, rendered afresh, drawn offline with its maps."""
    reports = load_manifest(Path(__file__).parents[3] / "notebooks" / "reports.yml")
    with browser() as playwright:
        seen = visit(playwright, [project_site / "index.html", *(project_site / f"{r.name}.html" for r in reports)])
    # The notebooks that draw a map must show one, with its country outlines.
    maps = {f"{r.name}.html" for r in reports if r.notebook.name in {"data_overview.ipynb", "flows.ipynb"}}
    assert len(maps) >= 4
    assert_all_drawn(seen, maps=maps)
    # Every report but the one-page case briefs (sentences only) draws a figure.
    charted = [r for r in reports if r.notebook.name != "brief.ipynb"]
    assert all(seen["figures"][f"{r.name}.html"] for r in charted), "a report without any figure"
