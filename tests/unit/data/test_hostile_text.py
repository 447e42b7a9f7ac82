"""Hostile text stays inert: CSV downloads carry no formula a spreadsheet would run (the OWASP rule), and validation
refuses control characters and blank-only names and flags bidi overrides in names, each located."""

from __future__ import annotations

import csv
import io
import urllib.parse

import pandas as pd
import pytest

from evsupply.core.io import spreadsheet_safe, spreadsheet_safe_text
from evsupply.pages.html import Column, chart_note, table

# The OWASP "CSV injection" rule: a cell starting with =, +, -, @, tab or carriage return gets a leading quote.
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]
# Text a spreadsheet reads as a number (or plain text): left as it is.
NUMBERS = ["-12", "-1,234", "-0.5", "+3%", "-1.5e3", "12", "Busan", "-", "–"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_a_leading_quote(text: str) -> None:
    assert spreadsheet_safe_text(text) == "'" + text


@pytest.mark.parametrize("text", NUMBERS)
def test_numbers_and_plain_text_stay(text: str) -> None:
    assert spreadsheet_safe_text(text) == text


def test_frame_keeps_real_numbers_numeric() -> None:
    frame = pd.DataFrame(
        {
            "name": pd.array(["=1+2", "Busan", None], dtype="string"),
            "duty_pct": [-2.5, 10.0, float("nan")],
            "=header": ["@x", "-7", "ok"],
        }
    )
    safe = spreadsheet_safe(frame)
    assert list(safe.columns) == ["name", "duty_pct", "'=header"]
    assert safe["name"].tolist()[:2] == ["'=1+2", "Busan"] and pd.isna(safe["name"].iloc[2])
    assert safe["duty_pct"].dtype == float and safe["duty_pct"].iloc[0] == -2.5
    assert safe["'=header"].tolist() == ["'@x", "-7", "ok"]
    assert frame["name"].iloc[0] == "=1+2"  # the caller's frame is untouched


def download_rows(markup: str) -> list[list[str]]:
    """The CSV a report's download link carries."""
    start = markup.index("data:text/csv;charset=utf-8,") + len("data:text/csv;charset=utf-8,")
    href = markup[start : markup.index('"', start)]
    text = urllib.parse.unquote(href)
    assert text.startswith("\ufeff")  # a byte-order mark, so a spreadsheet reads UTF-8 (issue 25)
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_report_table_download_is_spreadsheet_safe() -> None:
    formulas = FORMULAS[:-1]  # a carriage return cannot reach a table: validation refuses control characters
    frame = pd.DataFrame({"plant_name": [*formulas, "Busan"], "saved_usd": [-1234.0, 5, 6, 7, 8, 9]})
    block = table(frame, {"plant_name": "Plant", "saved_usd": Column("Saved (US$)", "int", numeric=True)}, "t")
    rows = download_rows(block.markup)
    # The download holds the data under its column names (units in the names), not the display text.
    assert rows[0] == ["plant_name", "saved_usd"]
    assert [r[0] for r in rows[1:]] == ["'" + f for f in formulas] + ["Busan"]
    assert float(rows[1][1]) == -1234.0  # a negative number is still a number, not neutralised


def test_chart_download_is_spreadsheet_safe() -> None:
    data = pd.DataFrame({"market": ["=cmd()", "USA"], "duty_pct": [-5.0, 100.0]})
    rows = download_rows(chart_note(data, "c", []).markup)
    # Numbers rounded to their precision: a whole 100.0 is written 100 (issue 25), -5.0 as -5.
    assert rows[1:] == [["'=cmd()", "-5"], ["USA", "100"]]


# One broken copy per rule (validation of the whole data takes seconds): each case in its own cell.
CONTROL_CASES = {
    "NUL": ("plants.csv", 1, "plant_name", "Busan\x00plant"),
    "escape": ("companies.csv", 1, "company_name", "Renault\x1b[2J Korea"),  # a terminal escape: clears the screen
    "tab": ("sources.csv", 1, "title", "A\ttitle"),
    "newline": ("sources.csv", 2, "title", "two\nlines"),
    "DEL": ("ports.csv", 1, "port_name", "Busan\x7f"),
    "C1": ("ports.csv", 2, "source_quote", "quote\x85"),  # C1 "next line"
}


BLANKS = ["   ", "\u00a0", "\u200b"]  # spaces, a no-break space, a zero-width space


BIDI = ["\u202e", "\u202a", "\u2066", "\u2069"]
