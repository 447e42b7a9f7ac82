"""The site's own data (evsupply.render.explorer): the headline line is counted from the case rows, the search
folds accents, the sources page finds the rows that cite a source, the changelog is read as sections, and text
from the data is escaped on the index."""

from __future__ import annotations

from pathlib import Path

import evsupply
from evsupply.render.explorer import Explorer, changelog_sections, citing_rows, fold, headline
from evsupply.render.manifest import Report
from evsupply.render.site import index_html


def _row(country: str, status: str, avoided: list[float], name: str = "A case") -> dict:
    return {"country": country, "status": status, "duty_avoided": avoided, "case_id": name.lower(), "case_name": name}


def test_the_headline_is_counted_from_the_rows() -> None:
    rows = [
        _row("South Korea", "exporting", [6.1, 112.5]),
        _row("Spain", "producing", [0.0]),
        _row("Spain", "producing", [10]),
    ]
    # by hand: 3 rows, 2 countries, 1 exporting and 2 producing; 4 markets compared, 3 with a cut, 6.1 to 112.5 points
    assert headline(rows) == (
        "3 China-linked car plants outside China in 2 countries (1 exporting, 2 producing); building there instead "
        "of in China lowers the import duty in 3 of the 4 markets compared, by 6.1 to 112.5 points."
    )
    assert (
        headline([_row("Spain", "announced", [])])
        == "1 China-linked car plant outside China in 1 country (1 announced)."
    )


def test_search_text_drops_accents_and_case() -> None:
    assert fold("Camaçari, Košice, Türkiye, İzmir") == "camacari, kosice, turkiye, izmir"


def test_a_source_named_only_in_a_note_is_cited_by_that_row() -> None:
    cited = citing_rows(evsupply.load())
    # data/production.csv: the Leapmotor B10 row at Zaragoza (source elespanol_2025_12_16) names the 32CARS report in
    # its note; its key is model, plant, market, as-of date and source.
    assert (
        "production: leapmotor_b10 | stellantis_zaragoza | EUU | 2025-12-16 | elespanol_2025_12_16"
        in cited["32cars_2025_12_19_leapmotor_b10"]
    )
    assert "cases: busan_polestar_4" in cited["polestar_sec_ex991_2023_11_09"]  # a source column


def test_the_changelog_is_read_as_sections() -> None:
    text = (
        "# Changelog\n\nIntro.\n\n## 0.2.0 (2026-11-01)\n\nA paragraph\non two lines.\n\nLayout\n- one\n  more\n- two\n"
    )
    (section,) = changelog_sections(text)
    assert section["title"] == "0.2.0 (2026-11-01)"
    assert section["blocks"] == [
        {"kind": "p", "items": ["A paragraph on two lines."]},
        {"kind": "p", "items": ["Layout"]},
        {"kind": "ul", "items": ["one more", "two"]},
    ]


def test_text_from_the_data_is_escaped_on_the_index() -> None:
    payload = '<img src=x onerror="alert(1)">'
    row = {
        **_row("Spain", "producing", [], name=payload),
        "href": "brief-x.html",
        "maker": payload,
        "relationship": "own plant",
        "sold": payload,
        "duty": "–",
        "count": "none found",
        "count_sort": -1,
        "cells": payload,
        "status_sort": 1,
    }
    site = Explorer(
        day="2026-12-08",
        headline=payload,
        cases=[row],
        map_figure=None,
        search=[{"kind": "case", "label": payload, "detail": "", "href": "x", "text": "x</script><script>alert(1)"}],
        sources=[],
        changes={},
        nav={},
    )
    brief = Report("brief-x", Path("/nonexistent/brief.ipynb"), "Brief", day="2026-12-08")
    page = index_html([brief], {}, "h", previews=True, explorer=site)
    assert payload not in page and "&lt;img src=x" in page
    assert "</script><script>alert(1)" not in page  # the inlined search index cannot close its script element
    assert "8 December 2026" in page  # the day, said once at the top
