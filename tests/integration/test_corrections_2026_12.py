"""The 2026-12 audit's corrections (core case and atlas rows B1 6-14, 17), pinned on the real tables: each expected
value is the source's figure, or arithmetic on the sources' figures written here, with the source id that supports
it."""

from __future__ import annotations

import pandas as pd
import pytest
from kit import one_row as row

import evsupply
from evsupply.analysis.ownership import direct_stakes
from evsupply.analysis.shipping.flows import build_flows
from evsupply.analysis.shipping.lanes import live_lanes
from evsupply.analysis.trade.policy import market_access
from evsupply.core.claims import latest
from evsupply.core.paths import DATA_DIR

HZB, BUSAN = "geely_hangzhou_bay", "renault_korea_busan"
KEYS = ["model_id", "plant_id", "market_id"]


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def stakes(t: evsupply.Tables, owned: str, day: str) -> dict[str, float]:
    s = direct_stakes(t, day)
    s = s[(s["owned_id"] == owned) & (s["interest_type"] == "shareholding")]
    return dict(zip(s["owner_id"], s["stake_pct"].astype(float), strict=True))


def preferred(t: evsupply.Tables, owner: str, owned: str, day: str) -> pd.Series:
    sh = t.shareholders
    sh = sh[(sh["owner_id"] == owner) & (sh["owned_id"] == owned) & sh["is_preferred"].astype(bool)]
    sh = sh[(sh["valid_from"] <= pd.Timestamp(day)) & (sh["valid_to"].isna() | (sh["valid_to"] >= pd.Timestamp(day)))]
    assert len(sh) == 1
    return sh.iloc[0]


# --- A1 1-4: Polestar's owners from the 13D/As of December 2025 ---

ADS_1219 = 75_995_830 + 996_419  # Class A + Class B ADSs as of 2025-12-19 (stocktitan_13da_2025_12_19_psny)
ADS_1223 = 91_507_722 + 996_419  # as of 2025-12-23 (stocktitan_13da_2025_12_23_psny)
PSD, VOLVO, LI = 33_949_660, 12_677_431, 63_831_976  # ADSs held (stocktitan_13da_2025_12_19_psny)
GEELY_SWEDEN = LI - PSD - VOLVO  # Li's total less PSD and Volvo: 17,204,885


def test_from_the_pipe_to_december_the_13da_holdings(t: evsupply.Tables) -> None:
    # 44.1% and 16.5% as reported; Geely Sweden by difference, 17,204,885 / 76,992,249 = 22.35%.
    s = stakes(t, "polestar", "2025-09-01")
    assert (s["psd_investment"], s["volvo_cars"]) == (44.1, 16.5)
    assert s["geely_sweden_holdings"] == round(100 * GEELY_SWEDEN / ADS_1219, 1) == 22.3
    for owner in ("psd_investment", "volvo_cars", "geely_sweden_holdings"):
        assert preferred(t, owner, "polestar", "2025-09-01")["source_id"] == "stocktitan_13da_2025_12_19_psny"
    assert preferred(t, "volvo_cars", "polestar", "2025-09-01")["basis"] == "reported"


def test_on_2025_12_23_reported_not_estimated(t: evsupply.Tables) -> None:
    # "stakes ranging from 13.7% to 36.7%": 12,677,431 and 33,949,660 over 92,504,141; Geely Sweden 18.6 derived.
    s = stakes(t, "polestar", "2025-12-23")
    assert s["psd_investment"] == round(100 * PSD / ADS_1223, 1) == 36.7
    assert s["volvo_cars"] == round(100 * VOLVO / ADS_1223, 1) == 13.7
    assert s["geely_sweden_holdings"] == round(100 * GEELY_SWEDEN / ADS_1223, 1) == 18.6
    psd = preferred(t, "psd_investment", "polestar", "2025-12-23")
    assert (psd["basis"], psd["source_id"]) == ("reported", "stocktitan_13da_2025_12_23_psny")
    assert preferred(t, "geely_sweden_holdings", "polestar", "2025-12-23")["basis"] == "derived"
    # The earlier estimates stay, not preferred.
    old = row(
        t.shareholders,
        owner_id="volvo_cars",
        owned_id="polestar",
        valid_from=pd.Timestamp("2025-12-23"),
        stake_pct=13.3,
    )
    assert not old["is_preferred"]


def test_from_february_2026_estimates_from_the_exact_holdings(t: evsupply.Tables) -> None:
    # + 20,682,523 ADSs (US$400m at US$19.34, pubt_ttm_2026_02_02_polestar_equity) = 113,186,664.
    n2 = ADS_1223 + 20_682_523
    s = stakes(t, "polestar", "2026-12-03")
    assert (
        (s["psd_investment"], s["volvo_cars"], s["geely_sweden_holdings"])
        == tuple(round(100 * held / n2, 1) for held in (PSD, VOLVO, GEELY_SWEDEN))
        == (30.0, 11.2, 15.2)
    )
    for owner in ("psd_investment", "volvo_cars", "geely_sweden_holdings"):
        r = preferred(t, owner, "polestar", "2026-12-03")
        assert r["basis"] == "estimated" and "113,186,664" in r["method"]
        assert "sec_polestar_ex993_conversion_2025" in r["note"]  # the unclosed conversion is named


def test_the_conversion_agreement_is_recorded_and_open(t: evsupply.Tables) -> None:
    # SEC Exhibit 99.3: "CONVERSION AGREEMENT … dated as of December 19, 2025" (sec_polestar_ex993_conversion_2025).
    src = row(t.sources, source_id="sec_polestar_ex993_conversion_2025")
    assert src["source_kind"] == "primary_filing" and "sec.gov" in src["url"]
    q = row(t.open_questions, question_id="geely_conversion_closed")
    assert q["source_id"] == "sec_polestar_ex993_conversion_2025"
    assert "shareholders:geely_sweden_holdings/polestar" in q["rows_affected"]


# --- A1 5-7, 10; A2 1: the US exit and the real volumes ---


def test_the_busan_to_us_lane_on_2027_01_01(t: evsupply.Tables) -> None:
    # BIS refused Polestar for MY2027+ on 2026-06-25 (rbtfl_2026_polestar_us_ban); the exit is reported on 2026-06-29
    # (benchmark_2026_polestar_refused). The last shipment is unknown: the lane ends on the day the exit was reported.
    claim = latest(t.production, KEYS, "2027-01-01").set_index(KEYS).loc[("polestar_4", BUSAN, "USA")]
    assert claim["production_status"] == "ended" and claim["end_date"] == pd.Timestamp("2026-06-29")
    assert claim["source_id"] == "benchmark_2026_polestar_refused"
    live = live_lanes(t.production, 2027)
    assert not ((live["plant_id"] == BUSAN) & (live["market_id"] == "USA")).any()
    assert not market_access(t, "polestar_4", BUSAN, "USA", "2027-01-01").is_allowed
    assert row(t.open_questions, question_id="busan_last_us_shipment")["look_again_date"] > pd.Timestamp("2026-12-03")
    # Before the exit, the lane was in production (776 to the US and Canada in December 2025: asiae_en_2026_02_11).
    before = latest(t.production, KEYS, "2026-03-01").set_index(KEYS).loc[("polestar_4", BUSAN, "USA")]
    assert (before["production_status"], before["source_id"]) == ("in_production", "asiae_en_2026_02_11")


def test_december_2025_exports_and_the_2025_total(t: evsupply.Tables) -> None:
    # 304 to Canada in November (donga_2025_12_01) + 776 to the US and Canada in December (asiae_en_2026_02_11).
    dec = row(t.observations, observation_id="rk_busan_polestar4_exports_2025_12")
    assert (dec["vehicles_count"], dec["bound"], dec["source_id"]) == (776, "exact", "asiae_en_2026_02_11")
    year = row(t.observations, observation_id="rk_busan_polestar4_exports_2025")
    assert year["vehicles_count"] == 304 + 776 and year["basis"] == "derived"
    us = row(t.observations, observation_id="busan_polestar4_us_exports_2025_upper")
    assert (us["vehicles_count"], us["bound"], us["source_id"]) == (776, "upper_bound", "asiae_en_2026_02_11")


def test_the_observed_run_rate_beside_the_2023_plan(t: evsupply.Tables) -> None:
    # (304 + 776) in two months × 12 / 2 = 6,480 a year; the plan stays 10,000 (businesskorea_2023_11_16), planned.
    vs = t.volume_scenarios
    observed = row(vs, scenario_id="observed_2025_run_rate", plant_id=BUSAN)
    assert observed["volume_units_per_year"] == (304 + 776) * 12 // 2 and observed["basis"] == "estimated"
    plan = row(vs, scenario_id="default", plant_id=BUSAN)
    assert (plan["volume_units_per_year"], plan["basis"]) == (10_000, "planned")
    # From 2027 the US gets none of the plan: the US lane has ended, so Canada is Busan's only live lane.
    lanes = build_flows(t, origin=BUSAN, year=2027)
    assert list(lanes["market_id"]) == ["CAN"] and lanes.iloc[0]["volume_units_per_year"] == 10_000
    # In 2026 the US lane still carried cars until it ended (2026-06-29): the run rate is split over both lanes,
    # equally (the flows' stated assumption): 6,480 / 2 = 3,240 each, the US share for the six months it was open
    # (January to June): 3,240 x 6/12 = 1,620 (issue 25: no full year of plan after the US exit).
    run = build_flows(t, origin=BUSAN, year=2026, scenario="observed_2025_run_rate")
    assert sorted(run["market_id"]) == ["CAN", "USA"]
    assert list(run["volume_units_per_year"]) == [3_240, 1_620]


def test_renault_korea_2025_split_and_january_2026(t: evsupply.Tables) -> None:
    # Edaily (edaily_newspub_2026_02_18): domestic 52,271 + exports 35,773 = 88,044 (rk_sales_2025).
    dom, exp = (
        row(t.observations, observation_id="rk_domestic_2025"),
        row(t.observations, observation_id="rk_exports_2025"),
    )
    assert (dom["vehicles_count"], exp["vehicles_count"]) == (52_271, 35_773)
    assert (
        dom["vehicles_count"] + exp["vehicles_count"]
        == row(t.observations, observation_id="rk_sales_2025")["vehicles_count"]
    )
    assert {dom["source_id"], exp["source_id"]} == {"edaily_newspub_2026_02_18"}
    jan = row(t.observations, observation_id="rk_sales_2026_01")
    assert jan["vehicles_count"] == 3_732 and jan["source_id"] == "autosketchnews_2026_02_rk_january"
    assert round(100 * (3_732 / (2_601 + 1_216) - 1), 1) == -2.2  # the source's "-2.2%" against January 2025


# --- A1 8, 9: prices and the Korean start ---


def test_later_us_price_and_a_canadian_price(t: evsupply.Tables) -> None:
    # $47,800 after a temporary $10,000 cut (brivo_2025_polestar4_us_deliveries); CAD 67,600 (auto123_polestar_canada).
    us = row(t.model_prices, model_id="polestar_4", market_id="USA", price_amount=47_800)
    assert us["as_of_date"] == pd.Timestamp("2025-12-01") and us["source_id"] == "brivo_2025_polestar4_us_deliveries"
    ca = row(t.model_prices, model_id="polestar_4", market_id="CAN")
    assert (ca["price_amount"], ca["currency_code"], ca["source_id"]) == (67_600, "CAD", "auto123_polestar_canada")


def test_korean_sales_of_the_china_built_car_from_october_2024(t: evsupply.Tables) -> None:
    # "10월부터 싱글 모터 사양 출고를 시작했다" (newspic_autotribune_2024_11_12): October, not the 2024-08-13 unveiling.
    hzb = row(t.production, model_id="polestar_4", plant_id=HZB, market_id="KOR")
    assert (hzb["start_date"], hzb["start_precision"]) == (pd.Timestamp("2024-10-01"), "month")
    assert "newspic_autotribune_2024_11_12" in hzb["note"]


# --- A1 12-14: notes on US, Korean and Canadian measures ---


@pytest.mark.parametrize(
    "measure, words, source",
    [
        ("us_s122_surcharge_2026", "2026-05-07", "calcmytariff_section122"),
        ("us_s232_autos_korea_15", "25%", "jalopnik_2026_01_27_korea_25"),
        ("us_s232_autos_korea_15", "FR Doc 2025-21940", "fr_2025_21940_korea_deal"),
        ("can_quota_china_ev_y1", "24,500", "cardog_canada_quota_notice"),
        ("can_quota_china_ev_y1", "2,910", "substrate_canada_quota_2910"),
    ],
)
def test_measure_notes_record_2026_events(t: evsupply.Tables, measure: str, words: str, source: str) -> None:
    r = row(t.trade_measures, measure_id=measure)
    assert words in r["note"] and source in r["note"] and source in set(t.sources["source_id"])
    assert r["checked_on"] == pd.Timestamp("2026-12-03")


def test_the_korean_rate_is_still_15_percent_in_2026(t: evsupply.Tables) -> None:
    # The 25% announced on 2026-01-26 was not implemented (newsis_2026_02_21_korea_15): KORUS 0% + 15% all-in.
    assert market_access(t, "polestar_4", BUSAN, "USA", "2026-03-01").total_duty_pct == pytest.approx(15.0)


# --- A1 15 and the plant_ports note ---


def test_changelog_no_longer_calls_every_busan_year_exact() -> None:
    text = (DATA_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "exact yearly output for 2021–2024" not in text
    assert "## 0.3.0" in text


def test_jinhua_port_note_no_longer_contradicts_itself(t: evsupply.Tables) -> None:
    note = row(t.plant_ports, plant_id="leapmotor_jinhua")["note"]
    assert "the code is CNSGH" not in note and "Linked to CNSHA" in note


# --- B1 6-14, 17: the atlas rows of this audit ---


def test_camacari_2025_output_and_staff(t: evsupply.Tables) -> None:
    # "quase 20 mil veículos produzidos" (avozdocampo_2026_01_09_byd); "mais de 2 mil colaboradores" (candeiasmix).
    out = row(t.observations, observation_id="byd_camacari_production_2025")
    assert (out["vehicles_count"], out["bound"], out["source_id"]) == (
        20_000,
        "approximate",
        "avozdocampo_2026_01_09_byd",
    )
    staff = row(t.plant_capacity, plant_id="byd_camacari", as_of_date=pd.Timestamp("2026-01-08"))
    assert staff["employees_count"] == 2_000 and staff["source_id"] == "candeiasmix_byd_restart_2026"
    assert "almost 20,000" in row(t.cases, case_id="byd_camacari_case")["note"]


def test_ebro_60_40_from_the_november_2024_closing(t: evsupply.Tables) -> None:
    # EFE (infobae_efe_2024_11_18_ebro): 60% Ebro, 40% Chery of Hub Tech Factory, after the 2024-11-07 closing.
    assert stakes(t, "chery_ebro_jv", "2024-12-01") == {"ebro_ev_motors": 60.0, "chery": 40.0}
    assert stakes(t, "chery_ebro_jv", "2024-11-06") == {}
    chery = row(t.shareholders, owner_id="chery", owned_id="chery_ebro_jv")
    assert (chery["basis"], chery["source_id"]) == ("reported", "infobae_efe_2024_11_18_ebro")
    control = row(t.shareholders, owner_id="ebro_ev_motors", owned_id="chery_ebro_jv", interest_type="control")
    assert control["source_id"] == "elnacional_ev_motors_hub" and "hub industrial" in control["source_quote"]


@pytest.mark.parametrize(
    "base, variant, powertrains",
    [
        ("ebro_s700", "ebro_s700_phev", ("ICE", "PHEV")),
        ("ebro_s800", "ebro_s800_phev", ("ICE", "PHEV")),
        ("omoda_5", "omoda_5_ice", ("BEV", "ICE")),
        ("byd_atto_2", "byd_atto_2_phev", ("BEV", "PHEV")),
    ],
)
def test_one_models_row_per_powertrain(t: evsupply.Tables, base: str, variant: str, powertrains: tuple) -> None:
    # xinhua_yidaiyilu_2024_11_25: "Both mid-size models will feature Plug-in Hybrid (PHEV) and combustion engines";
    # gurutrade_reuters_2026_02_06: Omoda 5 "both in its EV and combustion engine versions"; origo_2025_11_20: Atto 2
    # "elektromos és plug-in".
    models = t.models.set_index("model_id")
    assert (models.loc[base, "powertrain"], models.loc[variant, "powertrain"]) == powertrains
    plants = {m: set(t.production.loc[t.production["model_id"] == m, "plant_id"]) for m in (base, variant)}
    assert plants[variant] and plants[variant] <= plants[base]


def test_case_notes_corrected(t: evsupply.Tables) -> None:
    cases = t.cases.set_index("case_id")
    assert "model year 2026 only" in cases.loc["busan_polestar_4", "note"]
    assert (
        "about 66%" not in cases.loc["ridgeville_polestar_3", "note"]
        and "56%" in cases.loc["ridgeville_polestar_3", "note"]
    )
    assert "definitive rate" in cases.loc["xpeng_graz_case", "note"]
    assert "low confidence" not in cases.loc["chery_ebro_barcelona_case", "note"]


def test_stellantis_leapmotor_stake_carries_a_caution(t: evsupply.Tables) -> None:
    r = row(t.shareholders, owner_id="stellantis", owned_id="leapmotor", stake_pct=21)
    assert "Caution" in r["note"] and "stellantis_leapmotor_stake" in set(t.open_questions["question_id"])


def test_exor_is_dutch(t: evsupply.Tables) -> None:
    # "Exor N.V. is a Dutch holding company incorporated in the Netherlands" (wikipedia_exor).
    exor = row(t.companies, company_id="exor")
    assert (exor["country_code"], exor["source_id"]) == ("NLD", "wikipedia_exor")


# --- A2 / item 4: a range for the sea-leg CO2e ---


def test_sea_co2e_has_a_cited_low_and_high(t: evsupply.Tables) -> None:
    # High: GLEC v3.0 vehicle carrier <29,999 GT, VLSFO, WTW, 0.1002 (climatiq_glec_v3_vehicle_carrier_vlsfo).
    # Low: GLEC v3.2 Ro-Ro 10,000-14,999 dwt, HFO, TTW, 0.0313 (climatiq_glec_v32_roro_10k_15k_hfo_ttw).
    ef = t.emission_factors.set_index("range_role")
    assert (ef.loc["high", "kg_co2e_per_tonne_km"], ef.loc["low", "kg_co2e_per_tonne_km"]) == (0.1002, 0.0313)
    lane = build_flows(t, origin=BUSAN, markets=["CAN"], year=2026).iloc[0]
    tonne_km = lane["curb_mass_kg"] / 1000 * lane["sea_distance_km"]
    assert lane["co2e_kg_per_vehicle"] == pytest.approx(tonne_km * 0.1002)  # the default, kept as the headline
    assert lane["co2e_kg_per_vehicle_low"] == pytest.approx(tonne_km * 0.0313)
    assert lane["co2e_kg_per_vehicle_high"] == pytest.approx(tonne_km * 0.1002)
    assert lane["emission_factor_low_source_id"] == "climatiq_glec_v32_roro_10k_15k_hfo_ttw"


def test_data_version(t: evsupply.Tables) -> None:
    # The data version is the newest section of data/CHANGELOG.md (0.4.0 since the second audit of 2026-12-08).
    text = (DATA_DIR / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = next(line for line in text.splitlines() if line.startswith("## "))
    assert newest.startswith(f"## {t.data_version} (")
    assert t.data_version == "0.4.0"
