"""F5: `battery_duty` refuses a cell country it cannot know: a lower-case, unknown or missing code matched no
origin-specific measure and so priced Chinese cells at the non-Chinese rate (3.4% instead of 28.4% into the USA)."""

from __future__ import annotations

import pytest

import evsupply
from evsupply.analysis.batteries.cells import battery_duty
from evsupply.errors import ParameterError


@pytest.fixture(scope="module")
def tables():
    return evsupply.load()


@pytest.mark.parametrize("country", ["chn", "XYZ", "ZZZ", None, "", 5, ["CHN"], "CHN "])
def test_an_unknown_cell_country_is_refused(tables, country) -> None:
    with pytest.raises(ParameterError, match="cell_country"):
        battery_duty(tables, country, "USA", "2026-11-27")


def test_a_known_cell_country_is_priced(tables) -> None:
    chinese = battery_duty(tables, "CHN", "USA", "2026-11-27").total_duty_pct
    korean = battery_duty(tables, "KOR", "USA", "2026-11-27").total_duty_pct
    assert chinese > korean  # Section 301 adds a duty on Chinese lithium-ion batteries only
