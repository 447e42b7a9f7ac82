"""On every page of the project's site, in headless Chromium offline: the evidence words are those of
`core.evidence`, the same on the index as on the reports; every download is data (it parses with pandas, numeric
columns are numbers, no number is display text) and its data package names the data version, content hash, as-of
date, licence and sources; the index fits a 390 px screen."""

from __future__ import annotations

import io
import json
import re
import urllib.parse
from pathlib import Path

import pandas as pd

import evsupply
from evsupply.core import evidence

from .test_offline import browser
from .test_reports import load, open_pages

WORDS = {evidence.word(code) for code in evidence.CODES}
# A number written for people ("200,000", "15%", "15% · barred") inside a download is display text, not data.
DISPLAY_NUMBER = re.compile(r"^[-–]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-–]?\d+(\.\d+)?\s?%|·")

PROBE = """() => ({
  words: Array.from(document.querySelectorAll('.evsupply-basis, .basis')).map(e => e.textContent.trim()),
  findings: Array.from(document.querySelectorAll('#key-findings li'))
    .map(li => (li.querySelector('.evsupply-basis') || {textContent: ''}).textContent.trim()),
  links: Array.from(document.querySelectorAll('a.evsupply-download, a.evsupply-metadata'))
    .map(a => ({file: a.getAttribute('download'), href: a.getAttribute('href')})),
})"""

INDEX_PROBE = """() => ({
  width: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
  cards: Array.from(document.querySelectorAll('.card')).map(c => ({
    href: (c.querySelector('h3 a') || {getAttribute: () => null}).getAttribute('href'),
    words: Array.from(c.querySelectorAll('.headline .basis, .state-of-play .basis')).map(e => e.textContent.trim()),
  })),
  words: Array.from(document.querySelectorAll('.basis')).map(e => e.textContent.trim()),
  briefsFirst: (() => {
    const first = document.querySelector('section.question');
    return !document.querySelector('#case-briefs') || first === document.querySelector('#case-briefs');
  })(),
})"""


def decode(href: str) -> str:
    """The content of a `data:` link."""
    return urllib.parse.unquote(href.split(",", 1)[1])


def check_download(name: str, files: dict[str, str], tables: evsupply.Tables) -> None:
    """One table's or chart's CSV and its data package, as an analyst loads them."""
    for csv_name, text in files.items():
        if not csv_name.endswith(".csv"):
            continue
        stem = csv_name[: -len(".csv")]
        package = json.loads(files[f"{stem}.datapackage.json"])
        where = f"{name}: {csv_name}"
        assert package["version"] == tables.data_version, where
        assert package["evsupply_content_hash"] == tables.version, where
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", package["as_of_date"]), where
        assert package["licenses"][0]["name"] == "CC-BY-4.0", where
        assert package["resources"][0]["path"] == csv_name, where
        data = pd.read_csv(io.StringIO(text))
        fields = {f["name"]: f["type"] for f in package["resources"][0]["schema"]["fields"]}
        assert list(data.columns) == list(fields), where
        for column, kind in fields.items():
            if kind in ("integer", "number"):
                assert pd.api.types.is_numeric_dtype(data[column]), f"{where}: {column} is not numeric"
            elif data[column].dtype == object:
                shown = [v for v in data[column].dropna().astype(str) if DISPLAY_NUMBER.search(v)]
                assert not shown or column.endswith(("_text", "_name", "note", "value", "input")), (
                    f"{where}: {column} holds numbers as display text: {shown[:3]}"
                )
        cited = {s["source_id"] for s in package["sources"]}
        assert cited <= set(tables["sources"]["source_id"]), where


def test_every_page_uses_the_vocabulary_and_every_download_is_data(project_site: Path) -> None:
    tables = evsupply.load()
    pages = sorted(p for p in project_site.glob("*.html") if p.name != "index.html")
    report_words: dict[str, list[str]] = {}
    downloads = 0
    with browser() as playwright:
        chromium, page, errors = open_pages(playwright, pages)
        try:
            for path in pages:
                load(page, path)
                seen = page.evaluate(PROBE)
                assert set(seen["words"]) <= WORDS, f"{path.name}: words outside the vocabulary: {seen['words']}"
                report_words[path.name] = seen["findings"]
                files = {link["file"]: decode(link["href"]) for link in seen["links"]}
                assert sum(f.endswith(".csv") for f in files) == sum(f.endswith(".datapackage.json") for f in files)
                check_download(path.name, files, tables)
                downloads += len(files) // 2
            page.set_viewport_size({"width": 390, "height": 844})
            load(page, project_site / "index.html")
            index = page.evaluate(INDEX_PROBE)
        finally:
            chromium.close()
    assert downloads > 0 and errors == [], errors
    assert set(index["words"]) <= WORDS, f"index: words outside the vocabulary: {index['words']}"
    assert index["briefsFirst"]
    # A report's headline (a brief's five lines) on the index carries the words its own page gives those findings.
    compared = [card for card in index["cards"] if card["words"] and card["href"] in report_words]
    assert compared
    for card in compared:
        assert card["words"] == report_words[card["href"]][: len(card["words"])], card
    scroll_width, client_width = index["width"]
    assert scroll_width <= client_width, f"the index is {scroll_width} px wide on a 390 px screen"
