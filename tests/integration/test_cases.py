"""Cases of China-linked production outside China, on the real tables: stakes, status and duty avoided, by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import evsupply
from evsupply.analysis.cases.atlas import case_status, case_table, duty_comparison
from evsupply.analysis.ownership import look_through


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def case(t: evsupply.Tables, case_id: str) -> pd.Series:
    cases = t["cases"]
    return cases[cases["case_id"] == case_id].iloc[0]


def status(t: evsupply.Tables, case_id: str, day: str) -> dict[str, object]:
    return case_status(t, case(t, case_id), pd.Timestamp(day).date())


# --- look-through stakes ---


def test_chery_in_the_ebro_joint_venture(t: evsupply.Tables) -> None:
    # EV Motors holds 60% (collector_ebro_chery_60pct); Chery, the only other partner, 100 - 60 = 40%: one link.
    assert look_through(t, "chery", "chery_ebro_jv", "2025-06-01") == pytest.approx(40.0)
    row = case_table(t, "2025-06-01", ["chery_ebro_barcelona_case"]).iloc[0]
    assert row["operator_id"] == "chery_ebro_jv"
    assert row["look_through_stake_pct"] == pytest.approx(40.0)


def test_leapmotor_international(t: evsupply.Tables) -> None:
    # Leapmotor 49% (electrive_2025_03_25), Stellantis 51% (businesstimes_reuters_2024_03_22).
    assert look_through(t, "leapmotor", "leapmotor_international", "2025-06-01") == pytest.approx(49.0)
    # Stellantis also holds 21% of Leapmotor (businesstimes_reuters_2024_03_22): 51 + 21% x 49 = 51 + 10.29 = 61.29.
    assert look_through(t, "stellantis", "leapmotor_international", "2025-06-01") == pytest.approx(61.29)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Zhejiang Geely Holding -> Geely Auto 46% until 2025-02-17 (papmediaroom_geely_2018_02_26), 39% from 2025-02-18
        # (bambooworks_2025_02_geely_brazil) -> Centurion 100% (bnnbloomberg_2022_05_10) -> Renault Korea 34.02%
        # (automotiveworld_geely_rkm_2022_05_10).
        ("2024-06-01", 0.46 * 34.02),  # 15.6492
        ("2025-06-01", 0.39 * 34.02),  # 13.2678
    ],
)
def test_geely_in_renault_korea(t: evsupply.Tables, day: str, expected: float) -> None:
    row = case_table(t, day, ["busan_polestar_4"]).iloc[0]
    assert (row["china_link_id"], row["operator_id"]) == ("zhejiang_geely_holding", "renault_korea")
    assert row["look_through_stake_pct"] == pytest.approx(expected)


def test_geely_in_renault_do_brasil(t: evsupply.Tables) -> None:
    # From 2025-11-03 (gasgoo_metal_2025_06_geely_brazil): GA (SGP) 21.29%, held 100% by Geely Auto, 39% Geely Holding;
    # GH (SGP) 5.11%, held 100% by Geely Holding. 0.39 x 21.29 + 5.11 = 8.3031 + 5.11 = 13.4131.
    row = case_table(t, "2026-02-01", ["ayrton_senna_geely"]).iloc[0]
    assert row["look_through_stake_pct"] == pytest.approx(13.4131)
    # Before the deal closed: nothing.
    assert case_table(t, "2025-11-02", ["ayrton_senna_geely"]).iloc[0]["look_through_stake_pct"] == 0.0


# --- status on a day (claims known on that day only) ---


def test_leapmotor_tychy_status(t: evsupply.Tables) -> None:
    # Announced 2024-03-22 (businesstimes_reuters_2024_03_22); observed in production from 2024-06-01, reported
    # 2024-06-17 (sweetplay_reuters_2024_06_17); ended 2025-03-29, reported 2025-04-08 (timeslive_reuters_2025_04_08).
    assert status(t, "leapmotor_tychy_case", "2024-06-16")["status"] == "announced"
    producing = status(t, "leapmotor_tychy_case", "2024-09-01")
    assert producing["status"] == "producing"  # Poland is in the EU: its EU cars are not exports
    assert producing["production_start"] == pd.Timestamp("2024-06-01")
    # No look-ahead: the end is known from the report of 2025-04-08, not from the day production stopped.
    assert status(t, "leapmotor_tychy_case", "2025-04-07")["status"] == "producing"
    stopped = status(t, "leapmotor_tychy_case", "2025-04-08")
    assert stopped["status"] == "stopped"
    assert stopped["production_end"] == pd.Timestamp("2025-03-29")
    assert "timeslive_reuters_2025_04_08" in stopped["status_source_ids"]


def test_ghent_ex30_announced_before_its_first_observed_claim(t: evsupply.Tables) -> None:
    # Announced for 2025 on 2023-10-27 (expressandstar_2023_10_27); built from April 2025 (reported 2025-04-28,
    # automotiveworld_2025_04_28_ex30_ghent).
    before = status(t, "ghent_volvo_ex30", "2024-06-01")
    assert before["status"] == "announced"
    assert before["planned_start"] == pd.Timestamp("2025-01-01")
    assert before["first_announced"] == pd.Timestamp("2023-10-27")
    after = status(t, "ghent_volvo_ex30", "2025-04-28")
    assert after["status"] == "producing"
    assert after["production_start"] == pd.Timestamp("2025-04-01")


def test_byd_szeged_announced_until_trial_production(t: evsupply.Tables) -> None:
    # Only announcements until trial production was reported on 2026-01-29 (vezess_2026_01_29).
    assert status(t, "byd_szeged_case", "2026-01-28")["status"] == "announced"
    assert status(t, "byd_szeged_case", "2026-01-29")["status"] == "producing"


def test_busan_polestar_4_exports(t: evsupply.Tables) -> None:
    # Pilot production for the USA and Canada observed (koreabizwire_2025_11_21) and 304 cars shipped to Canada in
    # November 2025 (donga_2025_12_01): exporting.
    s = status(t, "busan_polestar_4", "2025-12-01")
    assert s["status"] == "exporting"
    assert s["first_announced"] == pd.Timestamp("2023-11-09")  # polestar_sec_ex991_2023_11_09
    assert "donga_2025_12_01" in s["status_source_ids"]


def test_busan_polestar_4_only_announced_in_2024(t: evsupply.Tables) -> None:
    # Known on 2024-06-01: the confirmation of 2023-11-09 (polestar_sec_ex991_2023_11_09) and the announcement of
    # 2023-11-10 (founding_article_econotimes_2023); the first observed claim is of 2025-11-21.
    assert status(t, "busan_polestar_4", "2024-06-01")["status"] == "announced"


# --- duty avoided ---


def test_duty_comparison_ghent_ex30(t: evsupply.Tables) -> None:
    row = duty_comparison(t, "2025-06-01", ["ghent_volvo_ex30"]).set_index("market_id").loc["EUU"]
    # China-built at Zhangjiakou: 10% (autospies_2018_06_eu_car_tariff) + Geely group 18.8%
    # (wisetechacademy_eu_bev_cvd_2024) = 28.8%. Ghent-built: Belgium is in the EU (countries_worldwide_eu27): 0%.
    assert row["china_duty_pct"] == pytest.approx(28.8)
    assert row["local_duty_pct"] == pytest.approx(0.0)
    assert row["duty_avoided_pct"] == pytest.approx(28.8 - 0.0)
    # EUR 36,590 list price (edison_ex30_price): 36,590 x 28.8 / 100 = EUR 10,537.92 a car.
    assert (row["price_amount"], row["currency_code"]) == (36590.0, "EUR")
    assert row["duty_avoided_per_car"] == pytest.approx(10537.92)
    assert {"autospies_2018_06_eu_car_tariff", "wisetechacademy_eu_bev_cvd_2024", "edison_ex30_price"} <= set(
        row["source_ids"]
    )


def test_duty_comparison_xpeng_graz(t: evsupply.Tables) -> None:
    # China-built G6: 10% + 20.7% (wisetechacademy_eu_bev_cvd_2024) = 30.7%; Graz (Austria, EU) 0%.
    # EUR 43,600 (freiefahrt_xpeng_austria) x 30.7 / 100 = EUR 13,385.20.
    row = duty_comparison(t, "2026-02-01", ["xpeng_graz_case"]).set_index("market_id").loc["EUU"]
    assert row["model_id"] == "xpeng_g6"
    assert (row["china_duty_pct"], row["local_duty_pct"]) == (pytest.approx(30.7), pytest.approx(0.0))
    assert row["duty_avoided_per_car"] == pytest.approx(13385.20)


# --- what a case is ---


def test_every_case_plant_is_outside_china_and_its_comparator_inside(t: evsupply.Tables) -> None:
    country = t["plants"].set_index("plant_id")["country_code"]
    cases = t["cases"]
    assert len(cases) > 0
    assert not (cases["plant_id"].map(country) == "CHN").any()
    compared = cases[cases["comparator_plant_id"].notna()]
    assert (compared["comparator_plant_id"].map(country) == "CHN").all()
    # The Brazil Geely case lacks a comparator: its Chinese plant is not sourced (its comparator_method); so do the
    # cases added in data 0.4.0 other than GAC at Graz, whose Chinese plants no source read names (their notes).
    without = {
        "ayrton_senna_geely",
        "sgmw_cikarang_case",
        "xpeng_handal_purwakarta_case",
        "chery_handal_bekasi_case",
        "geely_handal_purwakarta_case",
        "haval_kaluga_case",
        "avtotor_kaliningrad_chery_case",
        "avtotor_kaliningrad_changan_case",
        "belgee_borisov_case",
        "caoa_chery_anapolis_case",
        "byd_sihanoukville_case",
        "byd_pakistan_case",
        "byd_tanjung_malim_case",
        "zeekr_tanjung_malim_case",
        "xpeng_epmb_melaka_case",
        "mg_epmb_melaka_case",
        "chery_rosslyn_case",
        "chery_thai_binh_case",
    }
    assert set(cases.loc[cases["comparator_plant_id"].isna(), "case_id"]) == without
