"""No case leaves the atlas's shipping comparison in silence: each case is compared, or `shipping_gaps` says why."""

from __future__ import annotations

import pytest

import evsupply
from evsupply.analysis.cases.atlas import shipping_comparison, shipping_gaps


@pytest.fixture(scope="module")
def tables() -> evsupply.Tables:
    return evsupply.load()


def test_every_case_is_compared_or_has_a_reason(tables: evsupply.Tables) -> None:
    compared = set(shipping_comparison(tables, 2026)["case_id"])
    gaps = shipping_gaps(tables, 2026)
    assert (gaps["reason"].str.len() > 0).all()
    assert set(tables.cases["case_id"]) == compared | set(gaps["case_id"])


def test_a_case_without_a_comparator_says_so(tables: evsupply.Tables) -> None:
    # cases.csv names no comparator plant in China for Geely at Renault do Brasil (ayrton_senna_geely).
    gaps = shipping_gaps(tables, 2026, ["ayrton_senna_geely"])
    assert gaps["reason"].tolist() == ["no comparator plant in China is recorded"]


def test_flows_that_cannot_be_built_name_the_rule(tables: evsupply.Tables) -> None:
    # Thailand (THA) has no default import port in market_ports.csv, so no sea leg can be drawn into it.
    gaps = shipping_gaps(tables, 2026, ["byd_rayong_case"])
    assert gaps["market_id"].tolist() == ["THA"]
    assert gaps["reason"].iloc[0].startswith("the flows cannot be built: market 'THA' has no default import port")
