"""Open questions: what was looked for and not found. `evsupply validate` warns once a look-again date has passed
(an error under --strict, judged on --today); a row reference must name real rows; reports that cite a row an open
question would change say so. Checked on hand-made data folders (tests/kit) and on the real tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import evsupply
from evsupply.data import freshness
from evsupply.pages.common import freshness_note

# --- the real tables ---


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def test_the_real_questions_name_real_rows_and_are_not_yet_due(t: evsupply.Tables) -> None:
    # Looked for on 2026-12-03 (the 2026-12 audit's "not found" list) or again on 2026-12-08 (data-audit-2026-12b.md);
    # every look-again date is after the later day.
    q = t.open_questions
    assert len(q) >= 15 and q["looked_on_date"].isin([pd.Timestamp("2026-12-03"), pd.Timestamp("2026-12-08")]).all()
    assert freshness.overdue_questions(t, dt.date(2026, 12, 8)).empty
    for text in q["rows_affected"]:
        for table, key in freshness.parse_rows_affected(text):
            rows = freshness.matching_rows(t, table, key)
            assert rows is not None and len(rows), f"{table}:{key}"


def test_a_report_on_the_busan_lane_says_it_rests_on_open_questions(t: evsupply.Tables) -> None:
    # The ended Busan → US claim cites benchmark_2026_polestar_refused; its last shipment is an open question.
    hit = freshness.open_questions_for(t, ["benchmark_2026_polestar_refused"])
    assert "busan_last_us_shipment" in set(hit["question_id"])
    assert "last US-bound Polestar 4" in freshness_note(t, ["benchmark_2026_polestar_refused"])
