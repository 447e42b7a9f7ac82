"""F2 in the browser: a report rendered from data whose plant, company and model names carry plotly markup
(`<span style="fill:url(https://…)">`, `<a href="https://…">`) opens in Chromium with the network blocked and makes
no request and shows no link from the data (the 2026-12 reliability round found both)."""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from evsupply.core.paths import NOTEBOOKS_DIR, data_dir
from evsupply.render import load_manifest, render

CHROMIUM = os.environ.get("EVSUPPLY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--no-first-run"]
BEACON = "https://evil.example/beacon.svg"
LINK = "https://evil.example/login"
PAYLOAD = f' <span style="fill:url({BEACON}#a)">.</span><a href="{LINK}">here</a>'
POISONED = {"plants.csv": "plant_name", "companies.csv": "company_name", "models.csv": "model_name"}
# Every element and attribute of the page (SVG included) that points outside: links and style urls.
OUTSIDE = """() => Array.from(document.querySelectorAll('*')).flatMap(el => Array.from(el.attributes)
  .filter(a => /^(href|xlink:href|src|style)$/.test(a.name) && /evil\\.example/.test(a.value))
  .filter(a => !a.value.startsWith('data:'))
  .map(a => el.tagName + ' ' + a.name + '=' + a.value))"""


def _poison(folder: Path) -> None:
    for name, column in POISONED.items():
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        i = rows[0].index(column)
        for row in rows[1:]:
            row[i] += PAYLOAD
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)


def test_a_poisoned_report_is_inert_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    data = tmp_path / "data"
    shutil.copytree(data_dir(), data)
    _poison(data)
    monkeypatch.setenv("EVSUPPLY_DATA_DIR", str(data))
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(tmp_path / "cache"))
    reports = [r for r in load_manifest(NOTEBOOKS_DIR / "reports.yml") if r.name == "capacity"]
    results = render(reports, site=tmp_path / "site", state=tmp_path / "state", jobs=1, progress=False)
    assert [r.status for r in results] == ["ok"], [r.error for r in results]
    page_file = tmp_path / "site" / "capacity.html"
    assert "evil.example" in page_file.read_text(encoding="utf-8")  # the payload is in the page, as text
    outside: list[str] = []
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = chromium.new_context(offline=True)

        def route(r) -> None:
            if r.request.url.startswith(("file://", "data:", "blob:", "about:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        try:
            for target in (page_file, tmp_path / "site" / "index.html"):
                page.goto(target.as_uri())
                page.wait_for_load_state("load")
                page.wait_for_function(
                    "() => Array.from(document.querySelectorAll('.evsupply-plotly-figure'))"
                    ".every(d => d.hasAttribute('data-drawn'))",
                    timeout=120_000,
                )
                page.wait_for_timeout(1500)  # a style's url() is fetched once the text is laid out
                for box in page.locator(".evsupply-plotly-figure .main-svg").all()[:4]:
                    box.hover(force=True)
                links = page.evaluate(OUTSIDE)
                assert links == []  # no link and no style url from the data, in HTML or SVG
                assert page.locator("svg a").count() == 0
        finally:
            chromium.close()
    assert outside == []
