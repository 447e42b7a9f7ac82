"""Capacity against output on the real Busan plant (the hand-made rows are in tests/unit/analysis)."""

from __future__ import annotations

from pathlib import Path

import evsupply
from evsupply.analysis.counts.capacity import utilisation

BUSAN = "renault_korea_busan"


def test_real_busan_capacity() -> None:
    t = evsupply.load()
    u = utilisation(t, BUSAN)
    # Korea Herald 2023-11-10 (koreaherald_2023_11_10): capacity 300,000 a year.
    assert (u["capacity_units_per_year"] == 300_000).all()
    assert (u["utilisation_pct"] <= 100).all()
    assert Path(t.data_dir).name == "data"
