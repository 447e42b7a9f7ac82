"""The state of play of a case on a day, on the real tables (each expected value names its source) and on the
kit's hand-made ownership."""

from __future__ import annotations

import pytest

import evsupply
from evsupply.analysis.cases.state import state_of_play
from evsupply.findings.brief import state_line, state_lines


@pytest.fixture(scope="module")
def tables():
    return evsupply.load()


def lines_of(tables, case_id, day):
    """The five lines of a case's state of play on a day, as the brief writes them."""
    return state_lines(state_of_play(tables, case_id, day), tables)


def line_of(tables, case_id, day, kind):
    return state_line(lines_of(tables, case_id, day), kind)


def test_busan_on_2026_11_27_five_lines(tables):
    s = state_of_play(tables, "busan_polestar_4", "2026-11-27")
    lines = state_lines(s, tables)
    assert [f.key.split(":")[0] for f in lines] == [
        "state_sale",
        "state_duty",
        "state_counted",
        "state_controller",
        "state_plant",
    ]
    # Polestar was refused a US authorisation on 2026-06-25 (rbtfl_2026_polestar_us_ban) under the rule that binds
    # from model year 2027 (us_cv_china_nexus_my2027): barred in the US, not in Canada.
    assert s.barred_markets == ("USA",)
    usa = s.market("USA")
    assert usa.barred_from_model_year == 2027 and usa.is_allowed  # model year 2026 may still be sold
    sale = state_line(lines, "sale")
    assert "may not be sold in the United States from model year 2027" in sale.text
    assert "rbtfl_2026_polestar_us_ban" in sale.source_ids
    assert sale.numbers["barred_from_model_year_USA"] == 2027
    # The reason follows the ban in words, not as brackets inside brackets: "...from model year 2027: authorisation
    # refused to Polestar (...)".
    assert "from model year 2027: authorisation refused to Polestar" in sale.text
    depth = deepest = 0
    for char in sale.text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    assert deepest == 1 and depth == 0, sale.text


def test_busan_count_shows_its_age(tables):
    # asiae_en_2026_02_11 (data 0.3.0): 776 exported in December 2025, after 304 in November (donga_2025_12_01):
    # 304 + 776 = 1,080 in 2025, a sum (derived), the latest exact count. December 2025 to November 2026: 11 months.
    counted = line_of(tables, "busan_polestar_4", "2026-11-27", "counted")
    assert counted.text == (
        "Latest count: 1,080 Polestar 4 exported from Renault Korea Busan plant in 2025, 11 months before 2026-11-27."
    )
    assert counted.evidence == "derived"
    assert counted.source_ids == ("asiae_en_2026_02_11",)
    assert dict(counted.numbers) == {"vehicles_count": 1080, "age_months": 11}


def test_a_duty_stacked_from_assumed_measures_is_not_reported_and_names_its_assumptions(tables):
    duty = line_of(tables, "busan_polestar_4", "2026-11-27", "duty")
    assert duty.evidence in ("derived", "estimated")
    assert duty.evidence == "estimated"  # the US and Canadian MFN rows are `assumed` in trade_measures
    assert any("assumed" in a for a in duty.assumptions)
    # ghy_2025_korea_15pct: 15% on Korean cars; Hangzhou Bay: 2.5% MFN + 100% section 301 + 25% section 232 = 127.5%
    assert duty.numbers["duty_pct_USA"] == 15.0 and duty.numbers["china_duty_pct_USA"] == 127.5
    # The ban in the sale line's terms: MY2026 may still be sold on 2026-11-27 (issue 25, "no disagreement").
    assert "(112.5 points less) (model year 2026 may be sold, barred from model year 2027)" in duty.text


def test_no_count_is_none_found_never_observed(tables):
    # BYD Szeged: trial production only by 2026-11-27, no count of its cars found (open question).
    counted = line_of(tables, "byd_szeged_case", "2026-11-27", "counted")
    assert counted.evidence == "none_found"
    assert counted.numbers["vehicles_count"] is None


def test_controller_look_through_is_a_bound(tables):
    c = line_of(tables, "busan_polestar_4", "2026-11-27", "controller")
    # PSD Investment (Li's vehicle) and Geely Sweden Holdings hold Polestar as `control` rows without a stake.
    # Li Shufu 90% of Zhejiang Geely Holding (svwiki_zhejiang_geely_holding) x its 78.7% of Volvo Cars
    # (yicai_2023_11_20) x Volvo Cars' 11.2% of Polestar from 2026-02-05 (pubt_ttm_2026_02_02_polestar_equity)
    # = 0.90 x 0.787 x 11.2 = 7.93%.
    assert "at least 7.93%, plus 2 holdings of unknown size" in c.text
    assert c.numbers["stake_pct_max"] is None and c.numbers["unknown_holdings"] == 2
    assert c.evidence == "derived" and c.assumptions


def test_unknown_case_is_a_parameter_error(tables):
    with pytest.raises(evsupply.ParameterError, match="case_id"):
        state_of_play(tables, "nope", "2026-11-27")


def test_market_access_findings_never_call_a_stacked_duty_reported(tables):
    from evsupply.analysis.trade.policy import access_table, market_access
    from evsupply.findings.market_access import access_findings

    day = "2026-03-01"
    last = [market_access(tables, "polestar_4", "geely_hangzhou_bay", "USA", day)]
    grid = access_table(tables, "polestar_4", ["geely_hangzhou_bay"], ["USA"], ["2024-06-01", day])
    found = {f.key.split(":")[0]: f for f in access_findings(tables, "polestar_4", last, grid)}
    usa = found["access"]
    # 2.5% MFN (assumed in trade_measures) + 100% section 301 + 25% section 232 (livingston_2024_section301,
    # omnitrans_2025_section232): several measures, one assumed, so our estimate, never reported.
    assert usa.evidence == "estimated"
    assert any("assumed" in a for a in usa.assumptions)
    assert "barred_from" in found  # Polestar: barred from model year 2027 (rbtfl_2026_polestar_us_ban)
    assert found["barred_from"].numbers["barred_from_model_year"] == 2027
