"""The twelve cases added in 2026-12 (issue 16, audit B3): each loads, validates and pins one sourced number."""

from __future__ import annotations

import pandas as pd
import pytest

import evsupply
from evsupply.analysis.cases.atlas import capacity_of, case_status, case_table, duty_comparison
from evsupply.analysis.ownership import look_through
from evsupply.analysis.trade.policy import market_access
from evsupply.data.validate import errors, validate

NEW_CASES = [
    "gwm_iracemapolis_case",
    "leapmotor_goiana_case",
    "byd_rayong_case",
    "gwm_rayong_case",
    "gac_aion_rayong_case",
    "changan_rayong_case",
    "saic_cp_chonburi_case",
    "byd_subang_case",
    "byd_jizzakh_case",
    "proton_tanjung_malim_case",
    "leapmotor_gurun_case",
    "gwm_tula_case",
]


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def status(t: evsupply.Tables, case_id: str, day: str) -> dict[str, object]:
    cases = t["cases"]
    return case_status(t, cases[cases["case_id"] == case_id].iloc[0], pd.Timestamp(day).date())


def test_new_cases_load_and_the_data_validates(t: evsupply.Tables) -> None:
    assert set(NEW_CASES) <= set(t["cases"]["case_id"])
    assert errors(validate()) == []
    cases = t["cases"].set_index("case_id").loc[NEW_CASES]
    plants = t["plants"].set_index("plant_id")
    companies = t["companies"].set_index("company_id")
    # The case rule (docs/data.md, validating data): plant outside China, comparator inside, China link Chinese.
    assert (cases["plant_id"].map(plants["country_code"]) != "CHN").all()
    assert (cases["comparator_plant_id"].map(plants["country_code"]) == "CHN").all()
    assert (cases["china_link_id"].map(companies["country_code"]) == "CHN").all()
    # Every new plant has an estimated location with its method (no source gives coordinates).
    new_plants = plants.loc[cases["plant_id"].unique()]
    assert new_plants["location_method"].notna().all()


def test_the_atlas_has_at_least_20_cases(t: evsupply.Tables) -> None:
    table = case_table(t, "2026-11-27")
    assert len(table) >= 20
    assert set(NEW_CASES) <= set(table["case_id"])


def test_watch_items_stay_out(t: evsupply.Tables) -> None:
    # Audit B3: no SAIC/MG plant in Europe was built, so none is a case (MG's planned Melaka assembly, therakyatpost_
    # 2025_10_17_saic_mg_melaka, is in Asia). GAC at Magna Graz, a rumour in 0.3.0, is a case from 0.4.0: series
    # production announced 2025-11-21 (electrive_net_2025_11_21_gac_aion_graz).
    cases = t["cases"]
    country = cases["plant_id"].map(t["plants"].set_index("plant_id")["country_code"])
    eu = set(t["market_members"].loc[t["market_members"]["market_id"] == "EUU", "country_code"])
    assert not ((cases["brand_id"] == "saic_motor") & country.isin(eu)).any()
    assert ((cases["plant_id"] == "magna_steyr_graz") & (cases["brand_id"] == "gac_aion")).sum() == 1


@pytest.mark.parametrize(
    ("plant_id", "day", "expected"),
    [
        ("gwm_iracemapolis", "2025-09-01", 50_000),  # folhape_2025_08_15_gwm: "capacidade de 50 mil veículos/ano"
        ("stellantis_goiana", "2025-12-01", 280_000),  # jc_uol_2025_11_20_leapmotor_goiana: "280 mil veículos por ano"
        ("byd_rayong", "2024-08-01", 150_000),  # asiafinancial_reuters_2024_07_04_byd_rayong: 150,000 vehicles per year
        ("gwm_rayong", "2024-06-01", 120_000),  # drive_2024_01_gwm_rayong_ev: "capacity to build 120,000 vehicles"
        ("gac_aion_rayong", "2024-08-01", 50_000),  # people_cn_2024_07_18_gac_aion_thailand: 50,000 vehicles
        ("changan_rayong", "2025-06-01", 100_000),  # people_cn_2025_05_17_changan_thailand: initial 100,000
        ("saic_cp_chonburi", "2024-06-01", 100_000),  # carrushome_2024_05_13_mg_thailand: up to 100,000 units
        ("byd_subang", "2025-01-01", 150_000),  # bydtangerang_2024_05_02_subang: "hingga 150 ribu unit per tahun"
        ("byd_jizzakh", "2024-07-01", 50_000),  # newsaz_2024_06_28_byd_uzbekistan: first phase 50,000
        ("proton_tanjung_malim_ev", "2025-10-01", 20_000),  # paultan_2025_09_04_proton_ev_plant: 20,000 a year
        ("gwm_tula", "2020-01-01", 150_000),  # prnewswire_2019_06_07_gwm_tula: capacity of 150,000 units
    ],
)
def test_capacity_from_its_source(t: evsupply.Tables, plant_id: str, day: str, expected: int) -> None:
    assert capacity_of(t, plant_id, day) == expected


def test_gwm_rayong_capacity_before_the_ev_upgrade_is_unknown_as_preferred(t: evsupply.Tables) -> None:
    # The 80,000 of 2021 (fayouli_autonews_china_2021_gwm_thailand) is a non-preferred plan: no preferred figure yet.
    assert pd.isna(capacity_of(t, "gwm_rayong", "2023-06-01"))


@pytest.mark.parametrize(
    ("case_id", "day", "expected_status", "start"),
    [
        ("gwm_iracemapolis_case", "2025-09-01", "producing", "2025-08-15"),  # folhape_2025_08_15_gwm
        ("byd_rayong_case", "2024-07-04", "producing", "2024-07-04"),  # traderknows_reuters_2024_07_04_byd
        ("gwm_rayong_case", "2021-07-01", "producing", "2021-06-01"),  # fayouli_autonews_china_2021_gwm_thailand
        ("changan_rayong_case", "2025-06-01", "producing", "2025-05-16"),  # third_news_2025_05_changan_rayong
        ("saic_cp_chonburi_case", "2024-02-01", "producing", "2023-11-01"),  # electrive_2024_01_24_gwm_thailand
        ("byd_jizzakh_case", "2024-07-01", "producing", "2024-06-27"),  # newsaz_2024_06_28_byd_uzbekistan
        ("proton_tanjung_malim_case", "2025-10-01", "producing", "2025-09-01"),  # paultan_2025_09_04_proton_ev_plant
        ("gwm_tula_case", "2019-07-01", "producing", "2019-06-05"),  # prnewswire_2019_06_07_gwm_tula
    ],
)
def test_production_start_from_its_source(
    t: evsupply.Tables, case_id: str, day: str, expected_status: str, start: str
) -> None:
    s = status(t, case_id, day)
    assert s["status"] == expected_status
    assert s["production_start"] == pd.Timestamp(start)


def test_gac_aion_rayong_pilot_then_announced_series_start(t: evsupply.Tables) -> None:
    # First car (Aion V) off the line at the opening, 2024-07-17 (asiatechwire_2024_07_17_gac_aion): pilot, which
    # counts as producing; official production announced for November 2024 (nationthailand_2024_07_gac_aion_rayong).
    assert status(t, "gac_aion_rayong_case", "2024-07-16")["status"] == "announced"
    assert status(t, "gac_aion_rayong_case", "2024-07-17")["production_start"] == pd.Timestamp("2024-07-17")


def test_planned_cases_stay_announced(t: evsupply.Tables) -> None:
    # Leapmotor C10 at Gurun: planned for end-2025 (metal_gasgoo_2025_04_18_leapmotor_malaysia), no start reported.
    gurun = status(t, "leapmotor_gurun_case", "2026-11-27")
    assert (gurun["status"], gurun["planned_start"]) == ("announced", pd.Timestamp("2025-10-01"))
    # BYD Subang and Leapmotor at Goiana: no model named, so no production claim; announced, no planned date.
    for case_id in ("byd_subang_case", "leapmotor_goiana_case"):
        s = status(t, case_id, "2026-11-27")
        assert s["status"] == "announced" and pd.isna(s["planned_start"])


def test_ownership_of_the_new_cases(t: evsupply.Tables) -> None:
    # Zhejiang Geely Holding 49.9% of Proton (straitstimes_2017_06_geely_proton), DRB-Hicom 50.1%.
    assert look_through(t, "zhejiang_geely_holding", "proton", "2026-01-01") == pytest.approx(49.9)
    assert look_through(t, "drb_hicom", "proton", "2026-01-01") == pytest.approx(50.1)
    # SAIC Motor 51% of SAIC Motor-CP (justauto_saic_cp_second_plant).
    row = case_table(t, "2026-01-01", ["saic_cp_chonburi_case"]).iloc[0]
    assert (row["operator_id"], row["look_through_stake_pct"]) == ("saic_motor_cp", pytest.approx(51.0))
    # BYD Uzbekistan Factory: Uzavtosanoat 60%, BYD Europe B.V. 40% (gazeta_2024_03_19_byd_uzbekistan). BYD's own stake
    # in BYD Europe B.V. is not published (a control row without a percentage), so BYD's look-through is 0: unknown.
    assert look_through(t, "uzavtosanoat", "byd_uzbekistan_factory", "2026-01-01") == pytest.approx(60.0)
    assert look_through(t, "byd_europe_bv", "byd_uzbekistan_factory", "2026-01-01") == pytest.approx(40.0)
    assert look_through(t, "byd", "byd_uzbekistan_factory", "2026-01-01") == 0.0


def test_counts_from_their_sources(t: evsupply.Tables) -> None:
    obs = t["observations"].set_index("observation_id")
    # autocar_news_2025_haval_tula: "produced 130 thousand cars in 2024"; people_cn_2023_05_04_saic_thailand: "about
    # 32,000 whole vehicles" in 2022.
    assert obs.loc["gwm_tula_production_2024", ["vehicles_count", "bound"]].tolist() == [130_000, "approximate"]
    assert obs.loc["saic_cp_production_2022", ["vehicles_count", "bound"]].tolist() == [32_000, "approximate"]


def test_malaysia_duty_on_a_china_built_proton_emas_7(t: evsupply.Tables) -> None:
    # 2025: CBU EVs exempt until 2025-12-31 (paultan_2025_10_01_ev_tax_holiday): 0%. 2026: 30% general, 5% for
    # China under ACFTA (soyacincau_2026_cbu_ev_tax). The Tanjung Malim car pays nothing at home.
    before = duty_comparison(t, "2025-10-01", ["proton_tanjung_malim_case"]).set_index("market_id").loc["MYS"]
    after = duty_comparison(t, "2026-03-01", ["proton_tanjung_malim_case"]).set_index("market_id").loc["MYS"]
    assert (before["china_duty_pct"], before["local_duty_pct"]) == (pytest.approx(0.0), pytest.approx(0.0))
    assert (after["china_duty_pct"], after["local_duty_pct"]) == (pytest.approx(5.0), pytest.approx(0.0))
    assert "soyacincau_2026_cbu_ev_tax" in after["source_ids"]


def test_thailand_duty_on_a_china_built_byd_dolphin(t: evsupply.Tables) -> None:
    # China-built cars pay 0% under ACFTA (nationthailand_2022_01_25_ev_duties): no duty motive for Rayong.
    row = duty_comparison(t, "2025-01-01", ["byd_rayong_case"]).set_index("market_id").loc["THA"]
    assert (row["china_duty_pct"], row["duty_avoided_pct"]) == (pytest.approx(0.0), pytest.approx(0.0))


def test_indonesia_conditional_exemption_for_byd(t: evsupply.Tables) -> None:
    # A China-built BYD into Indonesia: 0% in 2025 under the CBU programme BYD joined against a 1:1 local-production
    # commitment (idn_cbu_ev_exempt_byd, cnnindonesia_2026_02_03_ev_incentives), the normal 50% once it ended on
    # 2025-12-31 (idn_cbu_ev_duty, same source: "dari seharusnya 50 persen").
    during = market_access(t, "byd_dolphin", "byd_changsha", "IDN", "2025-06-01")
    after = market_access(t, "byd_dolphin", "byd_changsha", "IDN", "2026-03-01")
    assert during.total_duty_pct == pytest.approx(0.0)
    assert after.total_duty_pct == pytest.approx(50.0)
    assert "cnnindonesia_2026_02_03_ev_incentives" in during.source_ids
