"""F17: look-alike text is refused or flagged: a name padded with a space or a zero-width space (two
`company_names` rows that look the same passed the primary-key check), a zero-width space inside a name, and a bidi
override in any text column (the reports quote `source_quote`). Hand-made frames."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evsupply.data.rules import RULES, Context


def _text_problems(frame: pd.DataFrame) -> list[tuple[str, int, str, str]]:
    context = Context({"company_names": frame}, {"company_names": "company_names.csv"}, today=dt.date(2026, 12, 8))
    return [(p.rule, p.line, p.column, p.level) for p in RULES["text"].check(context)]


def test_lookalike_names_and_hidden_direction_marks() -> None:
    frame = pd.DataFrame(
        {
            "company_id": ["geely"] * 5,
            "company_name": ["Geely Auto", "Geely Auto ", "Geely Auto\u200b", "Gee\u200bly Auto", "Geely Auto"],
            "source_quote": ["as published", "as published", "as published", "as published", "cost \u202e0.1"],
        }
    ).astype("string")
    assert _text_problems(frame) == [
        ("padded name", 3, "company_name", "error"),  # line 3: the second data row
        ("padded name", 4, "company_name", "error"),
        ("invisible character", 4, "company_name", "warning"),  # the trailing zero-width space is both
        ("invisible character", 5, "company_name", "warning"),
        ("bidi override", 6, "source_quote", "warning"),  # outside a name column too
    ]


def test_ordinary_names_pass() -> None:
    frame = pd.DataFrame({"company_name": ["Renault Korea", "Zhejiang Geely Holding Group"]}).astype("string")
    assert _text_problems(frame) == []
