"""The trade-policy engine pinned on dated, sourced cases (real trade_measures.csv, hand-made plants and owners)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from kit import CASE_STAKES, case_tables, stake

import evsupply
from evsupply.analysis.trade.landed import change_dates, default_customs_value, landed_cost_timeline
from evsupply.analysis.trade.policy import access_table, market_access
from evsupply.errors import ParameterError

HZB, BUSAN, RIDGEVILLE = "geely_hangzhou_bay", "renault_korea_busan", "volvo_ridgeville"


@pytest.fixture(scope="module")
def t(tmp_path_factory: pytest.TempPathFactory) -> evsupply.Tables:
    return case_tables(tmp_path_factory.mktemp("case"))


def duty(t: evsupply.Tables, plant: str, market: str, day: str, **kw: object) -> float | None:
    return market_access(t, "polestar_4", plant, market, day, **kw).total_duty_pct


# --- China-built BEV into the United States ---


def test_china_into_us_2024_06_01(t: evsupply.Tables) -> None:
    # 2.5% MFN (btlaw_2025_auto_tariffs) + 25% Section 301 before the increase (policyriskreport_2024_section301).
    a = market_access(t, "polestar_4", HZB, "USA", "2024-06-01")
    assert a.total_duty_pct == pytest.approx(27.5)
    assert a.is_allowed
    assert {"btlaw_2025_auto_tariffs", "policyriskreport_2024_section301"} <= set(a.source_ids)


def test_china_into_us_2024_10_01(t: evsupply.Tables) -> None:
    # Section 301 on EVs 100% for entries from 2024-09-27 (livingston_2024_section301) + 2.5% MFN.
    assert duty(t, HZB, "USA", "2024-10-01") == pytest.approx(102.5)
    # Boundary: the from-date is inclusive, the day before still pays 25%.
    assert duty(t, HZB, "USA", "2024-09-27") == pytest.approx(102.5)
    assert duty(t, HZB, "USA", "2024-09-26") == pytest.approx(27.5)


def test_china_into_us_2025_05_01(t: evsupply.Tables) -> None:
    # 2.5% MFN + 100% Section 301 + 25% Section 232 from 2025-04-03 (omnitrans_2025_section232)
    # + 20% IEEPA on China from 2025-03-04 (gohnm_2025_fentanyl_eo), which stacks (mondaq_2025_ieepa_stacking).
    a = market_access(t, "polestar_4", HZB, "USA", "2025-05-01")
    assert a.total_duty_pct == pytest.approx(147.5)
    assert set(a.measures["measure_type"]) == {"mfn", "section_301", "section_232", "ieepa"}
    # IEEPA cut to 10% from 2025-11-10 (strtrade_2025_china_fentanyl_cut).
    assert duty(t, HZB, "USA", "2025-11-10") == pytest.approx(137.5)
    assert duty(t, HZB, "USA", "2025-11-09") == pytest.approx(147.5)
    # Section 232 from 2025-04-03 inclusive.
    assert duty(t, HZB, "USA", "2025-04-02") == pytest.approx(122.5)


# --- Korea-built BEV into the United States ---


def test_korea_into_us_2025_05_01(t: evsupply.Tables) -> None:
    # KORUS 0% (ustr_korus_auto_provisions) + Section 232 25%, which applies even to FTA cars
    # (strtrade_2025_section232_fta).
    a = market_access(t, "polestar_4", BUSAN, "USA", "2025-05-01")
    assert a.total_duty_pct == pytest.approx(25.0)
    assert "us_mfn_passenger_cars" not in set(a.measures["measure_id"])  # KORUS replaces MFN
    assert duty(t, BUSAN, "USA", "2025-04-02") == pytest.approx(0.0)


def test_korea_into_us_2025_12_01(t: evsupply.Tables) -> None:
    # Korean cars 15% all-in from 2025-11-01 (ghy_2025_korea_15pct; FR Doc 2025-21940): base 0% + 15%.
    a = market_access(t, "polestar_4", BUSAN, "USA", "2025-12-01")
    assert a.total_duty_pct == pytest.approx(15.0)
    assert "us_s232_autos_25" not in set(a.measures["measure_id"])
    assert duty(t, BUSAN, "USA", "2025-10-31") == pytest.approx(25.0)
    assert duty(t, BUSAN, "USA", "2025-11-01") == pytest.approx(15.0)


def test_korea_all_in_cap_against_a_non_originating_car(t: evsupply.Tables) -> None:
    # Without KORUS the base is the 2.5% MFN; the 15% cap then adds 12.5% (ghy_2025_korea_15pct).
    assert duty(t, BUSAN, "USA", "2025-12-01", originating=False) == pytest.approx(15.0)
    assert duty(t, BUSAN, "USA", "2025-05-01", originating=False) == pytest.approx(27.5)


# --- Canada ---


def test_canada_before_and_after_the_surtax(t: evsupply.Tables) -> None:
    # 6.1% MFN (huffpost_2014_ckfta_autos); 100% surtax on China-made EVs from 2024-10-01 on top of it
    # (canadianautodealer_2024_surtax).
    assert duty(t, HZB, "CAN", "2024-09-30") == pytest.approx(6.1)
    assert duty(t, HZB, "CAN", "2024-10-01") == pytest.approx(106.1)


def test_canada_under_the_2026_quota(t: evsupply.Tables) -> None:
    # From 2026-03-01, 49,000 China-made EVs a year at the 6.1% MFN rate (gac_2026_ev_quota,
    # citynews_2026_canada_china_deal); over-quota cars still pay the surtax.
    a = market_access(t, "polestar_4", HZB, "CAN", "2026-03-01")
    assert a.total_duty_pct == pytest.approx(6.1)
    assert any("49,000" in line.text for line in a.lines)
    assert duty(t, HZB, "CAN", "2026-03-01", in_quota=False) == pytest.approx(106.1)
    assert duty(t, HZB, "CAN", "2026-02-28") == pytest.approx(106.1)
    # Year 2 quota, derived as 49,000 x 1.065 (gac_2026_ev_quota).
    assert any("52,185" in line.text for line in market_access(t, "polestar_4", HZB, "CAN", "2027-03-01").lines)


def test_korea_into_canada_is_duty_free(t: evsupply.Tables) -> None:
    # CKFTA: 6.1% phased out in three annual cuts from 2015 (huffpost_2014_ckfta_autos, gac_ckfta_in_force).
    assert duty(t, BUSAN, "CAN", "2025-12-01") == pytest.approx(0.0)


# --- Korea as a market ---


def test_korea_market(t: evsupply.Tables) -> None:
    a = market_access(t, "polestar_4", BUSAN, "KOR", "2025-12-01")
    assert a.is_domestic and a.total_duty_pct == 0.0 and a.is_allowed
    # China-built into Korea: the 8% MFN, an assumption carried from 2014 (huffpost_2014_ckfta_autos); the
    # Korea–China FTA excludes passenger cars (piie_korea_china_fta_autos).
    b = market_access(t, "polestar_4", HZB, "KOR", "2025-12-01")
    assert b.total_duty_pct == pytest.approx(8.0)
    assert b.measures.iloc[0]["basis"] == "assumed"


# --- The connected-vehicle rule ---


def test_connected_vehicle_rule_by_model_year(t: evsupply.Tables) -> None:
    # In force 2025-03-17 (thompsonhine_2025_connected_vehicles); China-nexus manufacturers barred from model year
    # 2027 (mayerbrown_2025_connected_vehicles, bakermckenzie_2025_connected_vehicles); Polestar refused on
    # 2026-06-25 (rbtfl_2026_polestar_us_ban, an aggregator: medium confidence; benchmark_2026_polestar_refused
    # confirms the refusal without a day).
    assert market_access(t, "polestar_4", BUSAN, "USA", "2026-07-01", model_year=2026).is_allowed
    barred = market_access(t, "polestar_4", BUSAN, "USA", "2026-07-01", model_year=2027)
    assert not barred.is_allowed
    assert "rbtfl_2026_polestar_us_ban" in barred.source_ids
    assert any("medium confidence" in line.text for line in barred.lines)
    # Before the refusal the car is barred too (China nexus by ownership), after it by the decision.
    assert not market_access(t, "polestar_4", BUSAN, "USA", "2026-06-24", model_year=2027).is_allowed
    assert barred.total_duty_pct == pytest.approx(15.0)  # the duty is still reported
    # Hardware prohibition from model year 2030 shows up too.
    late = market_access(t, "polestar_4", BUSAN, "USA", "2030-01-01", model_year=2030)
    assert {"us_cv_china_nexus_my2027", "us_cv_hardware_my2030"} <= set(late.measures["measure_id"])
    # Not in force before 2025-03-17 whatever the model year.
    assert market_access(t, "polestar_4", BUSAN, "USA", "2025-03-16", model_year=2027).is_allowed


def test_connected_vehicle_rule_uses_ownership_before_a_decision(t: evsupply.Tables) -> None:
    # Before the June 2026 refusal, Polestar is covered because Li Shufu (CHN) controls it (hand-made stakes).
    a = market_access(t, "polestar_4", BUSAN, "USA", "2026-05-15", model_year=2027)
    assert not a.is_allowed
    assert any("Ultimate controller" in line.text and "Li Shufu" in line.text for line in a.lines)


def test_connected_vehicle_rule_without_china_control(tmp_path: Path) -> None:
    # Same car, but Polestar held by non-Chinese owners and no decision yet: the rule does not bar it.
    stakes = [s for s in CASE_STAKES if s["owned_id"] != "polestar"] + [stake("renault_group", "polestar", 60)]
    t = case_tables(tmp_path, stakes)
    assert market_access(t, "polestar_4", BUSAN, "USA", "2026-05-15", model_year=2027).is_allowed


def test_volvo_authorisation_granted(t: evsupply.Tables) -> None:
    # Volvo Cars authorised on 2026-05-26 (thecommitlog_2026_volvo_authorised, medium confidence).
    assert not market_access(t, "volvo_ex_test", RIDGEVILLE, "USA", "2026-05-25", model_year=2027).is_allowed
    a = market_access(t, "volvo_ex_test", RIDGEVILLE, "USA", "2026-05-26", model_year=2027)
    assert a.is_allowed and a.is_domestic and a.total_duty_pct == 0.0


def test_product_scope_and_parameters(t: evsupply.Tables) -> None:
    # A petrol car from China pays no EV-only Section 301 or surtax.
    assert market_access(t, "petrol_test", HZB, "CAN", "2025-01-01").total_duty_pct == pytest.approx(6.1)
    with pytest.raises(ParameterError, match="market"):
        market_access(t, "polestar_4", HZB, "FRA", "2025-01-01")
    with pytest.raises(ParameterError, match="on_date"):
        market_access(t, "polestar_4", HZB, "USA", "2025-13-01")
    a = market_access(t, "polestar_4", HZB, "USA", "2025-01-01")
    assert a.model_year == 2025 and "assumption" in a.lines[0].text
    # Sources travel as data beside the text, never inside it.
    assert not any("[" in line.text for line in a.lines)
    assert all(line.source_ids for line in a.lines if "%" in line.text and "Total" not in line.text)


def test_every_line_with_a_rate_cites_a_known_source(t: evsupply.Tables) -> None:
    known = set(t["sources"]["source_id"])
    table = access_table(t, "polestar_4", [HZB, BUSAN], ["USA", "CAN", "KOR"], ["2024-06-01", "2025-12-01"])
    assert len(table) == 12
    for cell in table["source_ids"]:
        assert set(cell) <= known


# --- Landed cost ---


def test_landed_cost_timeline(t: evsupply.Tables) -> None:
    frame, notes = landed_cost_timeline(
        t,
        "polestar_4",
        [BUSAN, HZB],
        ["USA", "CAN", "KOR"],
        "2023-01-01",
        "2027-12-31",
        customs_value_usd=50_000,
        freight_usd=1_000,
    )
    row = frame[
        (frame["on_date"] == pd.Timestamp("2025-11-01")) & (frame["plant_id"] == BUSAN) & (frame["market_id"] == "USA")
    ].iloc[0]
    assert row["duty_usd"] == pytest.approx(7_500) and row["landed_cost_usd"] == pytest.approx(58_500)
    dom = frame[(frame["plant_id"] == BUSAN) & (frame["market_id"] == "KOR")]
    assert (dom["landed_cost_usd"] == 50_000).all()  # domestic: no duty, no sea freight
    assert frame["on_date"].min() == pd.Timestamp("2023-01-01")
    # Polestar barred in the US from 2027 (model year = calendar year).
    us27 = frame[(frame["market_id"] == "USA") & (frame["on_date"] >= pd.Timestamp("2027-01-01"))]
    assert not us27["is_allowed"].any()
    assert "parameter" in notes[0].text


def test_default_customs_value_is_a_sourced_assumption(t: evsupply.Tables) -> None:
    # US$56,400 MY2026 starting price announced 2025-06-03 (electricvehicles_2025_polestar4_us), an assumption; from
    # December 2025 the temporary US$47,800 (brivo_2025_polestar4_us_deliveries, added by the 2026-12 audit).
    v = default_customs_value(t, "polestar_4", "USA", "2025-11-30")
    assert v.value_usd == 56_400 and v.basis == "assumed" and "ASSUMPTION" in v.line.text
    assert v.line.source_ids == ("electricvehicles_2025_polestar4_us",)
    assert default_customs_value(t, "polestar_4", "USA", "2026-01-01").value_usd == 47_800
    assert default_customs_value(t, "polestar_4", "USA", "2025-06-02").value_usd == 54_900
    assert default_customs_value(t, "polestar_4", "USA", "2024-06-01").value_usd == 54_900
    with pytest.raises(ParameterError, match="customs_value_usd"):
        landed_cost_timeline(t, "polestar_4", [BUSAN], ["USA"], "2025-01-01", "2025-12-31", customs_value_usd=-5)
    with pytest.raises(ParameterError, match="end"):
        change_dates(t, ["USA"], "2025-01-01", "2024-01-01")


# --- The data behind the engine ---


def test_trade_measures_are_well_formed(t: evsupply.Tables) -> None:
    m = t["trade_measures"]
    bans = m["stacking"] == "prohibition"
    assert m.loc[bans, "tariff_rate_pct"].isna().all() and m.loc[~bans, "tariff_rate_pct"].notna().all()
    assert (m.loc[bans, "measure_type"] == "sales_ban").all()
    needs_target = m["stacking"].isin(["replaces", "all_in"])
    assert m.loc[needs_target, "replaces_measure_id"].notna().all()
    assert m.loc[~needs_target, "replaces_measure_id"].isna().all()
    # An in-quota rate states its quota: in vehicles, or (Brazil's) in US dollars, said in its method or note.
    quotas = m[m["measure_type"] == "in_quota_rate"]
    said = quotas["method"].fillna("") + " " + quotas["note"].fillna("")
    assert (quotas["quota_units_per_year"].notna() | said.str.contains("US\\$", regex=True)).all()
    known = set(t["sources"]["source_id"])
    for name in ("trade_measures", "trade_authorisations", "model_prices"):
        frame = t[name]
        assert set(frame["source_id"]) <= known, name
        # Short verbatim quotes: at most 25 words, besides a [bracketed] translation.
        verbatim = frame["source_quote"].str.replace(r"\[[^\]]*\]", "", regex=True)
        assert (verbatim.str.split().str.len() <= 25).all(), name
        assert (frame.loc[frame["basis"] != "reported", "method"].notna()).all(), name
