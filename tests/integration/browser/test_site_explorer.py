"""The site as its readers meet it (issue 25, items 2, 3 and 5), in Chromium with the network blocked, at 1280 px
and 390 px: the index opens on the map, every case of cases.csv has a page reachable from it (table and map), a
case's detail pages link back to it, and the search finds a case by its maker and a source by its publisher."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evsupply.core.paths import DATA_DIR

from .test_offline import CHROMIUM, FLAGS, browser

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}


def _rows(table: str) -> list[dict[str, str]]:
    with (DATA_DIR / f"{table}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _open(playwright, width: int, height: int):
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    context = chromium.new_context(offline=True, viewport={"width": width, "height": height})
    outside, errors = [], []

    def route(r) -> None:
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
    return chromium, page, outside, errors


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_index_opens_on_the_map_and_links_every_case(project_site: Path, viewport: str) -> None:
    width, height = VIEWPORTS[viewport]
    cases = {r["case_id"] for r in _rows("cases")}
    with browser() as playwright:
        chromium, page, outside, errors = _open(playwright, width, height)
        try:
            page.goto((project_site / "index.html").as_uri())
            page.wait_for_selector("#atlas-map[data-drawn]", timeout=120_000)
            drawn = page.get_attribute("#atlas-map", "data-drawn")
            box = page.locator("#atlas-map").bounding_box()
            markers = page.locator("#atlas-map .scattergeo .point").count()
            table_top = page.locator("#cases-table").bounding_box()["y"]
            links = page.eval_on_selector_all(
                "#cases-table tbody tr",
                "rows => rows.map(r => [r.dataset.case, r.querySelector('a')?.getAttribute('href')])",
            )
            on_map = page.evaluate(
                "() => [...new Set(JSON.parse(document.getElementById('evsupply-atlas').textContent).data"
                ".flatMap(t => t.customdata || []))]"
            )
            about_hidden = not page.locator("details.about").evaluate("d => d.open")
        finally:
            chromium.close()
    assert drawn == "true" and markers >= len(cases)
    # Above the fold: the map begins on the first screen and fills at least a third of it.
    assert box["y"] < height / 2 and min(box["y"] + box["height"], height) - box["y"] > height / 3
    assert table_top > box["y"]  # the picture first, then the table
    assert about_hidden  # metadata and open questions wait behind a toggle
    hrefs = dict(links)
    assert set(hrefs) == cases  # every case of cases.csv has a row
    assert all(hrefs[c] == f"brief-{c}.html" and (project_site / hrefs[c]).is_file() for c in cases), hrefs
    assert set(on_map) == cases  # and a marker, which opens the same page (index.js: plotly_click)
    assert outside == [] and errors == []


def test_a_map_marker_opens_its_case_and_the_case_links_its_pages(project_site: Path) -> None:
    with browser() as playwright:
        chromium, page, outside, errors = _open(playwright, 1280, 800)
        try:
            page.goto((project_site / "index.html").as_uri())
            page.wait_for_selector("#atlas-map[data-drawn]", timeout=120_000)
            # A real click on a marker: plotly hands its customdata (the case id) to index.js, which opens it.
            point = page.locator("#atlas-map .scattergeo .point").first.bounding_box()
            page.mouse.click(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
            page.wait_for_url("**/brief-*.html")
            opened = page.url.rsplit("/", 1)[1]
            related = page.locator(".evsupply-related").inner_text()
            page.goto((project_site / "flows_case-volvo_ghent.html").as_uri())
            page.wait_for_selector(".evsupply-related")
            back = page.get_attribute(".evsupply-related a.evsupply-case-link", "href")
            others = page.eval_on_selector_all(
                ".evsupply-related a.evsupply-related-link", "as => as.map(a => a.getAttribute('href'))"
            )
        finally:
            chromium.close()
    assert opened.startswith("brief-") and "This case" in related
    assert back == "brief-ghent_volvo_ex30.html"  # a detail page links back to its case
    assert "market_access_case-volvo_ex30.html" in others  # and to the case's other detail pages
    assert outside == [] and errors == []


def test_the_search_finds_a_case_by_maker_and_a_source_by_publisher(project_site: Path) -> None:
    companies = {r["company_id"]: r["company_name"] for r in _rows("companies")}
    case = next(r for r in _rows("cases") if r["case_id"] == "gwm_tula_case")
    maker = companies[case["brand_id"]]
    source = next(r for r in _rows("sources") if r["source_id"] == "rkm_release_2023_11_10")
    with browser() as playwright:
        chromium, page, outside, errors = _open(playwright, 390, 844)
        try:
            page.goto((project_site / "index.html").as_uri())
            page.fill("#site-search", maker)
            found_cases = page.eval_on_selector_all(
                "#site-search-results li[data-kind='case'] a",
                "as => as.map(a => [a.textContent, a.getAttribute('href')])",
            )
            page.fill("#site-search", source["publisher"])
            found_sources = page.eval_on_selector_all(
                "#site-search-results li[data-kind='source'] a", "as => as.map(a => a.getAttribute('href'))"
            )
            page.locator(f"#site-search-results a[href='sources.html#src-{source['source_id']}']").click()
            page.wait_for_url("**/sources.html#*")
            entry = page.locator(f"#src-{source['source_id']}").inner_text()
            listed = page.locator("#sources-list > li").count()
        finally:
            chromium.close()
    assert [case["case_name"], "brief-gwm_tula_case.html"] in [list(f) for f in found_cases]
    assert f"sources.html#src-{source['source_id']}" in found_sources
    assert source["publisher"] in entry and source["url"] in entry and "Cited by" in entry
    assert listed == len(_rows("sources"))  # the sources page lists every source
    assert outside == [] and errors == []


def test_the_site_says_its_one_day_and_offers_its_data(project_site: Path) -> None:
    index = (project_site / "index.html").read_text(encoding="utf-8")
    day = index.split('data-day="', 1)[1].split('"', 1)[0]
    records = json.loads((project_site / ".evsupply" / "records.json").read_text(encoding="utf-8"))["records"]
    days = {r["parameters"][k] for r in records.values() for k in ("on_date", "as_of") if k in r["parameters"]}
    assert days == {day}  # every report is read on the edition's day
    brief = (project_site / "brief-busan_polestar_4.html").read_text(encoding="utf-8")
    assert brief.count('class="evsupply-day"') == 1 and f'data-day="{day}"' in brief
    bundles = sorted((project_site / "data" / "brief-busan_polestar_4").glob("*.zip"))
    assert len(bundles) == 1 and bundles[0].name.startswith("brief-busan_polestar_4-data-")
    assert (project_site / "data" / "sources.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "What changed" in (project_site / "changes.html").read_text(encoding="utf-8")
