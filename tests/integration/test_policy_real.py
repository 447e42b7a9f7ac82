"""The trade-policy engine pinned on dated, sourced cases (real trade_measures.csv, hand-made plants and owners)."""

from __future__ import annotations

import pytest
from kit import case_tables

import evsupply
from evsupply.analysis.trade.policy import market_access

HZB, BUSAN, RIDGEVILLE = "geely_hangzhou_bay", "renault_korea_busan", "volvo_ridgeville"


@pytest.fixture(scope="module")
def t(tmp_path_factory: pytest.TempPathFactory) -> evsupply.Tables:
    return case_tables(tmp_path_factory.mktemp("case"))


def duty(t: evsupply.Tables, plant: str, market: str, day: str, **kw: object) -> float | None:
    return market_access(t, "polestar_4", plant, market, day, **kw).total_duty_pct


def test_real_tables_give_the_same_answers() -> None:
    real = evsupply.load()
    # Same sourced cases as above, on the curator's plants and models.
    assert duty(real, HZB, "USA", "2024-06-01") == pytest.approx(27.5)
    assert duty(real, HZB, "USA", "2025-05-01") == pytest.approx(147.5)
    assert duty(real, BUSAN, "USA", "2025-12-01") == pytest.approx(15.0)
    assert duty(real, HZB, "CAN", "2026-03-01") == pytest.approx(6.1)
    assert not market_access(real, "polestar_4", BUSAN, "USA", "2026-07-01", model_year=2027).is_allowed
