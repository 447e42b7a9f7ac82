"""Words, not codes (issue 25 item 6): no rendered page shows a schema code where a reader looks: its text, its table
cells, its tooltips and its charts' titles, labels and hover text. The codes are listed from the schema (every enum
value written with an underscore, and the unknown-country code), not typed here."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from evsupply.data.metadata.fields import FIELDS
from evsupply.data.metadata.labels import COUNTRY_WORDS

# Codes a reader would read as codes: an enum value with an underscore (in_production, all_in, investment_vehicle),
# and ZZZ. One-word codes (announced, exact) read as English and are allowed.
CODES = sorted(
    {str(v) for f in FIELDS.values() for v in f.constraints.get("enum", []) if "_" in str(v)} | set(COUNTRY_WORDS)
)
CODE_RE = re.compile(r"(?<![\w./#-])(" + "|".join(map(re.escape, CODES)) + r")(?![\w.-])")
# Plotly keys whose strings a reader sees (titles, axis and legend labels, hover text).
SEEN_KEYS = {"text", "hovertext", "name", "title", "label", "labels", "ticktext", "hovertemplate"}


class Seen(HTMLParser):
    """The text a reader sees on a page (not scripts or styles), and its tooltips other than a citation's."""

    def __init__(self, literal: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.literal = ("script", "style", *literal)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.literal:
            self.skip += 1
        found = dict(attrs)
        # A citation's tooltip is its source id, by design (the label is the publisher and year).
        if found.get("title") and "evsupply-cite" not in (found.get("class") or ""):
            self.parts.append(str(found["title"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.literal:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _seen_strings(node: object, key: str = "") -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _seen_strings(v, k)]
    if isinstance(node, list):
        return [s for v in node for s in _seen_strings(v, key)]
    return [node] if isinstance(node, str) and key in SEEN_KEYS else []


def chart_strings(html: str) -> list[str]:
    """The strings of every plotly figure on the page that a reader sees."""
    out = []
    for m in re.finditer(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        try:
            out += _seen_strings(json.loads(m.group(1)))
        except json.JSONDecodeError:
            continue
    for m in re.finditer(r"Plotly\.newPlot\(\s*['\"][^'\"]+['\"],\s*(\[.*?\]),\s*(\{.*?\})\s*,\s*\{", html, re.S):
        for part in m.groups():
            try:
                out += _seen_strings(json.loads(part))
            except json.JSONDecodeError:
                continue
    return out


def leaks(html: str, literal: tuple[str, ...] = ()) -> list[str]:
    """Every code a reader sees on a page, with a few words around it (not inside the `literal` elements)."""
    seen = Seen(literal)
    seen.feed(html)
    found = []
    for text in [*seen.parts, *chart_strings(html)]:
        for m in CODE_RE.finditer(text):
            found.append(text[max(0, m.start() - 40) : m.end() + 40].strip())
    return found


def test_the_code_list_comes_from_the_schema():
    assert {"in_production", "all_in", "investment_vehicle", "ZZZ"} <= set(CODES)


def test_a_leak_is_found_where_a_reader_looks_and_only_there():
    page = (
        '<p>Latest production claim: in_production</p><td title="stacking all_in">x</td>'
        '<a class="evsupply-cite" title="some_source_id">Dong-A Ilbo, 2025</a>'
        '<script>var x = "in_production";</script><a href="#ref-in_production">ok</a>'
    )
    assert len(leaks(page)) == 2
    assert leaks("<p>in production, Country unknown</p>") == []


def test_no_page_shows_a_schema_code(project_site: Path):
    found = {}
    for page in sorted(project_site.glob("*.html")):
        html = page.read_text(encoding="utf-8")
        if page.name == "changes.html":
            # The changes page quotes data/CHANGELOG.md, whose code spans (`...`) name rows and values by their codes
            # on purpose; its prose outside them is held to the rule.
            html = re.sub(r"`[^`<>]*`", "", html)
        bad = leaks(html, ("code",) if page.name == "changes.html" else ())
        if bad:
            found[page.name] = bad[:5]
    assert found == {}
