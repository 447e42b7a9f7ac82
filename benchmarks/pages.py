"""Benchmark the weight of the report pages and how soon their first figure appears, on this machine, in this run.

    python benchmarks/pages.py [--site DIR] [--manifest notebooks/reports.yml] [--runs 5] [--smoke]

Renders the manifest with `evsupply render` into a fresh folder (or takes the evsupply site given by --site), then
prints each report page's weight (the page plus every asset file it loads) and their median, against the target
of 2.0 MB. In headless Chromium (file://, network blocked, a fresh profile per load), it then times the first
figure of the median-weight report page and of the heaviest one, each load interleaved with a blank page that loads
plotly's full plotly.min.js and draws one scatter, and prints the ratio of the medians (target <= 0.5).

--smoke builds a one-page site from a synthetic executed notebook (no kernel), weighs it and times its first figure
once, without the blank page: a check that the benchmark runs, quick enough for the test suite, not a measurement.
Without Chromium (`apt-get install chromium`, or EVSUPPLY_CHROMIUM) the timing is skipped and says so.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evsupply.render.manifest import RESERVED_NAMES

TARGET_MEDIAN_BYTES = 2_000_000
KEY_OUTPUT = r"(?m)^median report page: +\d+\.\d+ MB"  # what tests/integration/test_benchmarks.py looks for
TARGET_FIRST_FIGURE_RATIO = 0.5
CHROMIUM = os.environ.get("EVSUPPLY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
LINKED = re.compile(r'<(?:script[^>]*\bsrc|link[^>]*\bhref)="([^"#?:]+)"')
# Set on every page before its scripts run: the time (ms since navigation) a figure is first drawn.
FIRST_FIGURE_PROBE = """
window.__firstFigure = null;
new MutationObserver(function (changes, observer) {
  for (const c of changes) {
    if (c.target.getAttribute && c.target.getAttribute('data-drawn') === 'true') {
      window.__firstFigure = performance.now();
      observer.disconnect();
      return;
    }
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-drawn']});
"""
BLANK_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>blank</title><script src="plotly.min.js"></script></head>
<body><div id="figure" style="width:100%;height:450px"></div>
<script>
var div = document.getElementById("figure");
Plotly.newPlot(div, [{type: "scatter", x: [1, 2, 3, 4], y: [1, 3, 2, 4]}]).then(function () {
  div.setAttribute("data-drawn", "true");
});
</script></body></html>
"""


def page_weight(page: Path) -> int:
    """Bytes of a page and of every local file it loads (each once)."""
    text = page.read_text(encoding="utf-8")
    linked = {page.parent / src for src in LINKED.findall(text.split("<body", 1)[0] + text[-2000:])}
    return page.stat().st_size + sum(p.stat().st_size for p in linked if p.is_file())


def render_site(manifest: Path, out: Path) -> float:
    """Wall time of `evsupply render` of the manifest into `out`."""
    cmd = [sys.executable, "-m", "evsupply.cli", "render", "--manifest", str(manifest), "--out", str(out), "--quiet"]
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def smoke_site(out: Path) -> None:
    """A one-report site from a synthetic executed notebook (a scatter and a map), through evsupply's template."""
    import nbformat
    import plotly.graph_objects as go
    import plotly.io as pio

    from evsupply.figures.maps import base_geo_layout, map_figure
    from evsupply.render.assets import write_assets
    from evsupply.render.convert import PLOTLY_MIME, to_html
    from evsupply.render.manifest import Report

    scatter = go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 1, 3]))
    geo = map_figure().add_trace(go.Scattergeo(lon=[129.0, -118.3], lat=[35.1, 33.7], mode="lines"))
    geo.update_layout(geo=base_geo_layout())
    cells = [nbformat.v4.new_markdown_cell("# Smoke\nA synthetic report.")]
    for fig in (scatter, geo):
        cell = nbformat.v4.new_code_cell("fig.show()")
        cell.outputs = [nbformat.v4.new_output("display_data", data={PLOTLY_MIME: json.loads(pio.to_json(fig))})]
        cells.append(cell)
    report = Report(name="smoke", notebook=out / "smoke.ipynb", title="Smoke")
    out.mkdir(parents=True, exist_ok=True)
    write_assets(out)
    page = to_html(
        nbformat.v4.new_notebook(cells=cells), report, data_version="smoke", rendered_at="now", standalone=False
    )
    (out / report.page).write_text(page, encoding="utf-8")


def first_figure_ms(playwright, page: Path) -> float | None:
    """Milliseconds from navigation to the first figure drawn, in a fresh offline Chromium profile."""
    with tempfile.TemporaryDirectory(prefix="evsupply-chromium-") as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            offline=True,
            viewport={"width": 1200, "height": 900},
        )
        try:
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
            context.add_init_script(FIRST_FIGURE_PROBE)
            tab = context.new_page()
            tab.goto(page.as_uri())
            tab.wait_for_function("() => window.__firstFigure !== null", timeout=60_000)
            return float(tab.evaluate("() => window.__firstFigure"))
        finally:
            context.close()


def time_pages(pages: list[Path], blank: Path | None, runs: int) -> dict[str, tuple[float, float]]:
    """Per page: median first-figure ms of the page and of the blank page (nan without one), loads interleaved."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as playwright:
        for page in pages:
            mine, theirs = [], []
            for _ in range(runs):
                theirs.append(first_figure_ms(playwright, blank) if blank else float("nan"))
                mine.append(first_figure_ms(playwright, page))
            out[page.name] = (statistics.median(mine), statistics.median(theirs))
    return out


def verdict(ok: bool) -> str:
    """'meets' or 'MISSES'."""
    return "meets" if ok else "MISSES"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", help="an evsupply site to measure instead of rendering one")
    parser.add_argument("--manifest", default="notebooks/reports.yml")
    parser.add_argument("--runs", type=int, default=5, help="loads of each page and of the blank page (default 5)")
    parser.add_argument("--smoke", action="store_true", help="a synthetic one-page site, one load each: quick")
    args = parser.parse_args(argv)
    runs = 1 if args.smoke else max(1, args.runs)
    with tempfile.TemporaryDirectory(prefix="evsupply-bench-pages-") as tmp:
        tmpdir = Path(tmp)
        if args.site:
            site = Path(args.site)
        elif args.smoke:
            site = tmpdir / "site"
            smoke_site(site)
        else:
            site = tmpdir / "site"
            seconds = render_site(Path(args.manifest).resolve(), site)
            print(f"rendered {args.manifest} into a fresh site in {seconds:.1f} s")
        own = {f"{name}.html" for name in RESERVED_NAMES}  # the site's own pages (index, sources, changes)
        pages = sorted(p for p in site.glob("*.html") if p.name not in own)
        if not pages:
            print(f"no report page in {site}")
            return 1
        weights = {p: page_weight(p) for p in pages}
        for page, weight in sorted(weights.items(), key=lambda kv: kv[1]):
            print(f"  {weight / 1e6:6.3f} MB  {page.name} (page {page.stat().st_size / 1e6:.3f} MB + assets)")
        median = statistics.median(weights.values())
        print(
            f"median report page: {median / 1e6:.3f} MB with its assets ({len(pages)} pages)  "
            f"target <= {TARGET_MEDIAN_BYTES / 1e6:.1f} MB: {verdict(median <= TARGET_MEDIAN_BYTES)}"
        )
        if not Path(CHROMIUM).exists():
            print(f"first figure: skipped, no Chromium at {CHROMIUM} (apt-get install chromium, or EVSUPPLY_CHROMIUM)")
            return 0
        from evsupply.render.assets import FULL_PLOTLY_JS

        blank = tmpdir / "blank" / "blank.html"
        blank.parent.mkdir()
        shutil.copy(FULL_PLOTLY_JS, blank.parent / "plotly.min.js")
        blank.write_text(BLANK_PAGE, encoding="utf-8")
        # The first figure is timed on pages that have one (a case brief has none yet).
        with_figure = [p for p in pages if "evsupply-plotly-figure" in p.read_text(encoding="utf-8")] or pages
        by_weight = sorted(with_figure, key=lambda p: weights[p])
        timed = list(dict.fromkeys([by_weight[(len(by_weight) - 1) // 2], by_weight[-1]]))
        if args.smoke:  # exercise the timing on the smoke page alone: the full plotly.js takes seconds to load
            print(f"first figure of {timed[0].name}: {time_pages(timed[:1], None, 1)[timed[0].name][0]:.0f} ms (smoke)")
            return 0
        results = time_pages(timed, blank, runs)
        print(f"first figure (median of {runs} loads each, interleaved, fresh profile per load):")
        for i, (name, (mine, theirs)) in enumerate(results.items()):
            ratio = mine / theirs
            meets = verdict(ratio <= TARGET_FIRST_FIGURE_RATIO)
            label = "median-weight page" if i == 0 else "heaviest page"
            print(
                f"  {label} {name}: {mine:7.0f} ms   blank page, full plotly.js + 1 scatter: {theirs:7.0f} ms   "
                f"ratio {ratio:.2f}  target <= {TARGET_FIRST_FIGURE_RATIO}: {meets}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
