"""Caveats that change a number sit beside it (issue 25 item 7), on the real data: Canada's in-quota rate with the
rate outside the quota, and whose price a customs value is."""

from __future__ import annotations

import pytest

import evsupply
from evsupply.analysis.cases.state import state_of_play
from evsupply.analysis.trade.landed import default_customs_value
from evsupply.analysis.trade.policy import market_access, outside_quota
from evsupply.findings.brief import duty_line
from evsupply.findings.market_access import access_summary


@pytest.fixture(scope="module")
def tables():
    return evsupply.load()


def test_canadas_rate_on_the_china_built_car_says_it_holds_inside_the_quota_and_gives_the_rate_outside(tables):
    # Canada on China-built EVs from 2026: 6.1% MFN inside the 49,000-vehicle quota; outside it the 100% surtax is
    # added to the 6.1% MFN: 6.1 + 100 = 106.1% (the study checked both in the notebook).
    inside = market_access(tables, "polestar_4", "geely_hangzhou_bay", "CAN", "2027-01-01")
    outside = outside_quota(tables, inside)
    assert inside.total_duty_pct == pytest.approx(6.1)
    assert outside is not None and outside.total_duty_pct == pytest.approx(106.1)
    assert "inside the import quota (106.1% outside it)" in access_summary(tables, inside)
    state = state_of_play(tables, "busan_polestar_4", "2026-12-08")
    assert (
        "6.1% if built at Geely Hangzhou Bay plant inside the import quota, 106.1% outside it"
        in duty_line(state, tables).text
    )
    # A duty that no quota decides carries no quota words.
    us = market_access(tables, "polestar_4", "geely_hangzhou_bay", "USA", "2026-12-08")
    assert outside_quota(tables, us) is None


def test_a_us_price_used_as_customs_value_says_it_is_a_price_for_us_buyers_used_everywhere(tables):
    line = default_customs_value(tables, "polestar_4", "USA", "2026-12-08").line.text
    assert "starting price of the Polestar 4 in the United States" in line
    assert (
        "a price for buyers in the United States, used as an ASSUMPTION for the customs value in every market" in line
    )
    assert "polestar_4" not in line
