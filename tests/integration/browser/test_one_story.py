"""No disagreement, read from the rendered pages (issue 25 item 10): every page that states from which model year the
Busan-built Polestar 4 is barred in the United States states the same year, and the atlas's row for Busan gives the
status the brief gives, with no end of production while the plant exports (only the US lane ended)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

PAGES = ("brief-busan_polestar_4.html", "market_access.html", "flows_busan.html", "atlas.html")


class Text(HTMLParser):
    """A page's visible text, and its tables' rows as lists of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.rows: list[list[str]] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.parts.append(data)
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += data


def read(path: Path) -> Text:
    text = Text()
    text.feed(path.read_text(encoding="utf-8"))
    return text


def busan_us_ban_years(text: str) -> set[str]:
    """The model years from which a sentence about Busan and the United States says the car is barred."""
    years: set[str] = set()
    for sentence in re.split(r"(?<=\.)\s", text):
        if "Busan" in sentence and "United States" in sentence:
            years |= set(re.findall(r"from model year (\d{4})", sentence))
    return years


def test_every_page_gives_the_same_model_year_for_the_busan_us_ban(project_site: Path):
    found = {name: busan_us_ban_years(" ".join(read(project_site / name).parts)) for name in PAGES}
    stated = {name: years for name, years in found.items() if years}
    assert len(stated) >= 3, found  # the brief, market access and flows_busan at least
    assert {y for years in stated.values() for y in years} == {"2027"}, stated


def test_the_atlas_row_for_busan_agrees_with_the_brief_on_the_status(project_site: Path):
    brief = " ".join(read(project_site / "brief-busan_polestar_4.html").parts)
    status = re.search(r"Renault Korea Busan plant: (\w+) on \d{4}-\d{2}-\d{2}", brief)
    assert status, "the brief states the plant's status"
    atlas = read(project_site / "atlas.html")
    header = next(r for r in atlas.rows if "Case" in r and "Status" in r)
    row = next(r for r in atlas.rows if r and r[0].startswith("Polestar 4 at Renault Korea, Busan"))
    cells = dict(zip(header, row, strict=False))
    assert cells["Status"] == status.group(1) == "exporting"
    assert cells["Production ended"] == "–"  # only the US lane ended
    assert "United States" in cells["Lanes ended (market, last day)"]
