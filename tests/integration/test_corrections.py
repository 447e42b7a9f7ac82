"""The 2026-11 audit's corrections, pinned on the real tables: each expected value is the source's figure (or
arithmetic on the source's figures, written here), with the source id that supports it."""

from __future__ import annotations

import pandas as pd
import pytest
from kit import one_row as row

import evsupply
from evsupply.analysis.ownership import direct_stakes
from evsupply.analysis.trade.policy import market_access
from evsupply.core.claims import latest

HZB, BUSAN = "geely_hangzhou_bay", "renault_korea_busan"


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


# --- ports: UN/LOCODE ---


def test_brunswick_is_ussi_not_bunkie(t: evsupply.Tables) -> None:
    # UNECE: US SSI = Brunswick, GA, a port (function 1); US BQK = Bunkie, LA (geoapify_unlocode_us).
    ports = t.ports.set_index("port_id")
    assert "USBQK" not in ports.index
    assert "Brunswick" in ports.loc["USSSI", "port_name"]
    assert "geoapify_unlocode_us" in ports.loc["USSSI", "note"]
    assert ("USA", "USSSI") in set(zip(t.market_ports["market_id"], t.market_ports["port_id"], strict=True))


@pytest.mark.parametrize("port, unece_port", [("CNNGB", "CNNBO"), ("CNSHA", "CNSGH")])
def test_chinese_carrier_codes_say_what_unece_calls_them(t: evsupply.Tables, port: str, unece_port: str) -> None:
    # UNECE lists CNNGB and CNSHA as airports; its port entries are CNNBO and CNSGH (geoapify_unlocode_cn).
    note = t.ports.set_index("port_id").loc[port, "note"]
    assert unece_port in note and "geoapify_unlocode_cn" in note


# --- production: what Busan builds, for whom, from when ---


def test_busan_exports_to_canada_began_in_november_2025(t: evsupply.Tables) -> None:
    # donga_2025_12_01: November's exports "included 304 Polestar 4 for Canada for the first time".
    claim = latest(t.production, ["model_id", "plant_id", "market_id"], "2026-11-27").set_index(
        ["model_id", "plant_id", "market_id"]
    )
    canada = claim.loc[("polestar_4", BUSAN, "CAN")]
    assert (canada["production_status"], canada["evidence"]) == ("in_production", "observed")
    assert canada["start_date"] == pd.Timestamp("2025-11-01") and canada["start_precision"] == "month"
    assert canada["source_id"] == "donga_2025_12_01"
    obs = row(t.observations, plant_id=BUSAN, market_id="CAN", quantity="exports")
    assert obs["vehicles_count"] == 304 and obs["bound"] == "exact" and obs["source_id"] == "donga_2025_12_01"


def test_busan_pilot_production_from_september_2025(t: evsupply.Tables) -> None:
    # wowtv_hankyung_2025_11_21: Polestar has built the North American SUV at Busan "since September".
    pilot = row(t.production, plant_id=BUSAN, market_id="USA", source_id="wowtv_hankyung_2025_11_21")
    assert pilot["production_status"] == "pilot" and pilot["start_date"] == pd.Timestamp("2025-09-01")


def test_busan_builds_nothing_for_korea_as_far_as_anyone_said(t: evsupply.Tables) -> None:
    # koreabizwire_2025_11_21: the Polestar CEO "declined to confirm" Busan-built cars for Korea; on 2026-02-11 still
    # "no specific plan has been decided yet" (asiae_en_2026_02_11, the latest claim since the 2026-12-08 audit).
    keys = ["model_id", "plant_id", "market_id"]
    korea = row(latest(t.production, keys, "2026-02-10"), model_id="polestar_4", plant_id=BUSAN, market_id="KOR")
    assert (korea["production_status"], korea["evidence"]) == ("unconfirmed", "announced")
    assert korea["source_id"] == "koreabizwire_2025_11_21"
    korea = row(latest(t.production, keys, "2026-11-27"), model_id="polestar_4", plant_id=BUSAN, market_id="KOR")
    assert (korea["production_status"], korea["source_id"]) == ("unconfirmed", "asiae_en_2026_02_11")
    assert not ((t.production["plant_id"] == BUSAN) & (t.production["market_id"] == "KOR")
                & (t.production["evidence"] == "observed")).any()  # fmt: skip


def test_korea_is_served_from_china(t: evsupply.Tables) -> None:
    # China-built (asiae_2025_09_09); 2,611 registered in 2025 (newswa_2026_01_18). Superseded by the 2026-12 audit:
    # the start is October 2024, when deliveries began (newspic_autotribune_2024_11_12), not the 2024-08-13 unveiling.
    hzb = row(t.production, model_id="polestar_4", plant_id=HZB, market_id="KOR")
    assert hzb["evidence"] == "observed" and hzb["start_date"] == pd.Timestamp("2024-10-01")
    regs = row(t.observations, market_id="KOR", quantity="registrations", source_id="newswa_2026_01_18")
    assert regs["vehicles_count"] == 2611 and regs["origin_country_code"] == "CHN"


# --- US duties after the Supreme Court's IEEPA ruling ---


def test_us_duty_on_a_china_built_polestar_4_the_day_before_ieepa_ended(t: evsupply.Tables) -> None:
    # 2.5% MFN + 100% Section 301 + 25% Section 232 + 10% IEEPA (collected until 2026-02-23: mondaq_2026_03_06).
    a = market_access(t, "polestar_4", HZB, "USA", "2026-02-23")
    assert a.total_duty_pct == pytest.approx(2.5 + 100 + 25 + 10)
    assert "us_ieepa_china_10_nov2025" in set(a.measures["measure_id"])


def test_us_duty_on_a_china_built_polestar_4_after_ieepa(t: evsupply.Tables) -> None:
    # From 2026-02-24 no IEEPA duty; the Section 122 surcharge exempts passenger vehicles (ghy_2026_02_24_section122).
    a = market_access(t, "polestar_4", HZB, "USA", "2026-03-01")
    assert a.total_duty_pct == pytest.approx(2.5 + 100 + 25)
    assert "ieepa" not in set(a.measures["measure_type"])
    s122 = row(t.trade_measures, measure_id="us_s122_surcharge_2026")
    assert s122["tariff_rate_pct"] == 0 and s122["valid_from"] == pd.Timestamp("2026-02-24")
    assert s122["valid_to"] == pd.Timestamp("2026-07-23")  # 150 days, ending 12:01 a.m. on 2026-07-24
    assert row(t.trade_measures, measure_id="us_ieepa_china_10_nov2025")["valid_to"] == pd.Timestamp("2026-02-23")


def test_us_duty_on_a_busan_built_polestar_4_is_unchanged_by_the_ruling(t: evsupply.Tables) -> None:
    # Korean cars pay 15% all-in from 2025-11-01 (ghy_2025_korea_15pct), an arrangement outside IEEPA's end.
    assert market_access(t, "polestar_4", BUSAN, "USA", "2026-02-23").total_duty_pct == pytest.approx(15.0)
    assert market_access(t, "polestar_4", BUSAN, "USA", "2026-03-01").total_duty_pct == pytest.approx(15.0)


# --- Polestar's owners, dated by when each step took effect ---


def preferred_stakes(t: evsupply.Tables, owned: str, day: str) -> dict[str, float]:
    s = direct_stakes(t, day)
    s = s[(s["owned_id"] == owned) & (s["interest_type"] == "shareholding")]
    return dict(zip(s["owner_id"], s["stake_pct"].astype(float), strict=True))


def test_volvo_distribution_took_effect_in_may_2024(t: evsupply.Tables) -> None:
    # 48.3% until the distribution (insidermonkey_13da_2023_11_29); 18% "as of May 8, 2024" (bors360_volvo_car).
    assert preferred_stakes(t, "polestar", "2024-05-07")["volvo_cars"] == pytest.approx(48.3)
    assert preferred_stakes(t, "polestar", "2024-05-08")["volvo_cars"] == pytest.approx(18.0)
    assert (
        row(t.shareholders, owner_id="volvo_cars", owned_id="polestar", valid_from=pd.Timestamp("2024-05-08"))[
            "source_id"
        ]
        == "bors360_volvo_car"
    )


def test_the_2025_pipe_counts_from_its_closing(t: evsupply.Tables) -> None:
    # The PIPE closed on 2025-07-23 (sec_polestar_6k_h1_2025_equity). electrive_2025_06_17's rounded 44% and 16% are
    # superseded (2026-12 audit) by the 13D/A of 2025-12-19: PSD 44.1%, Volvo 16.5% (stocktitan_13da_2025_12_19_psny).
    assert preferred_stakes(t, "polestar", "2025-07-22")["volvo_cars"] == pytest.approx(18.0)
    after = preferred_stakes(t, "polestar", "2025-07-23")
    assert (after["psd_investment"], after["volvo_cars"]) == (pytest.approx(44.1), pytest.approx(16.5))


def test_2026_dilution_is_an_estimate_with_its_arithmetic(t: evsupply.Tables) -> None:
    # Superseded in 2026-12: the exact ADS holdings of the 13D/A (stocktitan_13da_2025_12_19_psny) over the ADS count of
    # 2025-12-23 (92,504,141, stocktitan_13da_2025_12_23_psny) plus 20,682,523 from the SMBC/StanChart issue closing
    # 2026-02-05 (US$400m at US$19.34, pubt_ttm_2026_02_02_polestar_equity), instead of the rounded 2025 stakes.
    n2 = 92_504_141 + 20_682_523
    stakes = preferred_stakes(t, "polestar", "2026-11-27")
    for owner, held in (
        ("psd_investment", 33_949_660),
        ("volvo_cars", 12_677_431),
        ("geely_sweden_holdings", 17_204_885),
    ):
        assert stakes[owner] == pytest.approx(round(100 * held / n2, 1))
    rows = t.shareholders[(t.shareholders["owned_id"] == "polestar") & (t.shareholders["valid_from"] == "2026-02-05")]
    assert set(rows["basis"]) == {"estimated"} and rows["method"].notna().all()


def test_li_shufu_controls_geely_holding_and_its_46_percent_of_geely_auto(t: evsupply.Tables) -> None:
    # papmediaroom_geely_2018_02_26: Li Shufu is "chairman and owner" of Zhejiang Geely Holding, which held 46%
    # of Geely Automobile; the sv.wiki 51% is kept as a non-preferred claim.
    control = row(t.shareholders, owner_id="li_shufu", owned_id="zhejiang_geely_holding", interest_type="control")
    assert control["source_id"] == "papmediaroom_geely_2018_02_26"
    assert preferred_stakes(t, "geely_automobile_holdings", "2024-01-01") == {"zhejiang_geely_holding": 46.0}
    wiki = row(t.shareholders, owner_id="li_shufu", owned_id="geely_automobile_holdings")
    assert not wiki["is_preferred"]


# --- dated decisions and claims ---


@pytest.mark.parametrize(
    "company, decision, day, source",
    [
        ("volvo_cars", "granted", "2026-05-26", "thecommitlog_2026_volvo_authorised"),
        ("polestar", "refused", "2026-06-25", "rbtfl_2026_polestar_us_ban"),
    ],
)
def test_connected_vehicle_decisions_on_their_day(
    t: evsupply.Tables, company: str, decision: str, day: str, source: str
) -> None:
    r = row(t.trade_authorisations, company_id=company)
    assert (r["decision"], r["decision_date"], r["date_precision"]) == (decision, pd.Timestamp(day), "day")
    assert r["source_id"] == source


def test_renault_capacity_page_dated_when_written_not_when_read(t: evsupply.Tables) -> None:
    # The page speaks of the 2012 Rogue plan in the future tense: written 2012-2014, dated 2013-01-01.
    r = row(t.plant_capacity, source_id="renault_group_busan_plant_page")
    assert r["as_of_date"] == pd.Timestamp("2013-01-01") and r["capacity_units_per_year"] == 300_000


def test_us_price_dated_to_the_opening_of_orders(t: evsupply.Tables) -> None:
    # MY2026 orders opened "on Tuesday" 2025-06-03 at US$56,400 (electricvehicles_2025_polestar4_us).
    r = row(t.model_prices, source_id="electricvehicles_2025_polestar4_us", model_year=2026)
    assert r["as_of_date"] == pd.Timestamp("2025-06-03") and r["price_amount"] == 56_400
