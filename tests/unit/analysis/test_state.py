"""The state of play of a case on a day, on the real tables (each expected value names its source) and on the
kit's hand-made ownership."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from evsupply.analysis.cases.state import months_between
from evsupply.analysis.ownership import look_through_bounds
from evsupply.data.metadata.labels import period_words
from tests import kit


def test_look_through_bounds_counts_control_edges_as_unknown_not_zero(tmp_path):
    # Hand-made: A holds 50% of B, B holds 40% of C, and A controls C through D (no stake published).
    t = kit.graph_tables(
        tmp_path,
        [kit.stake("a", "b", 50), kit.stake("b", "c", 40), kit.stake("a", "d", 100), kit.control("d", "c")],
    )
    lt = look_through_bounds(t, "a", "c", "2026-01-01")
    assert lt.min_pct == pytest.approx(50 * 40 / 100)  # 20%, hand calculation
    assert lt.unknown_edges == (("d", "c"),) and lt.max_pct is None
    assert lt.words() == "at least 20.00%, plus 1 holding of unknown size"
    exact = look_through_bounds(t, "a", "b", "2026-01-01")
    assert exact.is_exact and exact.max_pct == 50 and exact.words() == "50.00%"


def test_months_and_periods():
    assert months_between(dt.date(2025, 11, 30), dt.date(2026, 11, 27)) == 12
    assert period_words(pd.Timestamp("2025-11-01"), pd.Timestamp("2025-11-30")) == "November 2025"
    assert period_words(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")) == "2025"
    assert period_words(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30")) == "2025-01-01 to 2025-06-30"
