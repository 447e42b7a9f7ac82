"""Pickers that compose, offline (issue 25 item 4), in headless Chromium with the network blocked: on the market-access
page, choosing a market and a day changes the figure, the table and the URL; opening that URL from file:// restores
the view; the download of the view is the chosen market's and day's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .test_offline import CHROMIUM, FLAGS, browser

TODAY = dt.date.today().isoformat()  # the render day is one of the picker's days
VIEW = """() => {
  const block = document.querySelector('.evsupply-picker[data-name="market_access_view"]');
  const shown = Array.from(block.querySelectorAll('[data-variant]')).filter(v => !v.hidden);
  return {
    shown: shown.map(v => v.dataset.variant),
    title: shown.length ? shown[0].querySelector('svg').getAttribute('aria-label') : null,
    download: shown.length ? (shown[0].querySelector('a[download]') || {getAttribute: () => null})
      .getAttribute('download') : null,
    market: block.querySelector('select[data-key="market"]').value,
    date: block.querySelector('select[data-key="date"]').value,
    hash: location.hash,
  };
}"""


def test_choosing_a_market_and_a_day_changes_the_view_and_the_url_and_the_url_restores_it(project_site: Path):
    page = project_site / "market_access.html"
    with browser() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = chromium.new_context(offline=True)
        outside = []
        context.route(
            "**/*",
            lambda r: (
                r.continue_() if r.request.url.startswith("file://") else outside.append(r.request.url) or r.abort()
            ),
        )
        tab = context.new_page()
        tab.goto(page.as_uri())
        first = tab.evaluate(VIEW)
        assert first["shown"] == [f"market=USA&date={TODAY}&model_year=auto"]  # the first market, today
        assert first["title"] == f"Duty into the United States on {TODAY}, by plant"
        tab.select_option('select[data-key="market"]', "CAN")
        tab.select_option('select[data-key="date"]', "2026-03-01")
        chosen = tab.evaluate(VIEW)
        assert chosen["shown"] == ["market=CAN&date=2026-03-01&model_year=auto"]
        assert chosen["title"] == "Duty into Canada on 2026-03-01, by plant"
        assert chosen["hash"] == "#date=2026-03-01&market=CAN&model_year=auto"
        # The download follows the view; its name carries the market and the day (file-name safe: 2026_03_01).
        assert chosen["download"] and "CAN" in chosen["download"] and "2026_03_01" in chosen["download"]
        # Canada on 2026-03-01 (a day the manifest declares), China-built: 6.1% inside the quota (the report's
        # in_quota=auto); from Busan 0%.
        text = tab.text_content('.evsupply-picker [data-variant="market=CAN&date=2026-03-01&model_year=auto"] svg')
        assert "6.1%" in text and "0%" in text
        # A link to that view, opened afresh from file://, restores it.
        again = context.new_page()
        again.goto(page.as_uri() + "#date=2026-03-01&market=CAN")
        restored = again.evaluate(VIEW)
        assert restored["shown"] == ["market=CAN&date=2026-03-01&model_year=auto"]
        assert (restored["market"], restored["date"]) == ("CAN", "2026-03-01")
        # The model year composes with the others: the US, today, model year 2027 (the BIS refusal bars it).
        again.goto(page.as_uri() + f"#date={TODAY}&market=USA&model_year=2027")
        us = again.evaluate(VIEW)
        assert us["shown"] == [f"market=USA&date={TODAY}&model_year=2027"]
        assert "may not be sold (model year 2027)" in again.text_content(
            f'.evsupply-picker [data-variant="market=USA&date={TODAY}&model_year=2027"] svg'
        )
        # An unknown choice in the URL falls back to the default view, never an empty one.
        odd = context.new_page()
        odd.goto(page.as_uri() + "#date=1999-01-01&market=XXX")
        assert odd.evaluate(VIEW)["shown"] == [f"market=USA&date={TODAY}&model_year=auto"]
        chromium.close()
    assert outside == []
