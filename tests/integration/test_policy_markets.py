"""Duties on China-built cars in the 0.2 markets (EU, Türkiye, Brazil), pinned on the real tables and their sources.

Every expected rate is the sourced figure of a `trade_measures` row (its source id in the comment), added up by hand
with the stacking rules: `additive` adds its rate, `all_in` caps base + it at its rate, `replaces` takes the place of
the row it names. Hand-made rows (a maker with no named rate, a plant the data lacks) are test data, said so where
they are made.
"""

from __future__ import annotations

import pandas as pd
import pytest

import evsupply
from evsupply.analysis.trade.policy import Access, market_access
from evsupply.core.claims import Cited

CHANGSHA, SZEGED, MANISA = "byd_changsha", "byd_szeged", "byd_manisa"
ZHANGJIAKOU, LUQIAO, GUANGZHOU, WUHU = "geely_zhangjiakou", "geely_luqiao", "xpeng_guangzhou", "chery_wuhu"


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def access(t: evsupply.Tables, model: str, plant: str, market: str, day: str, **kw: object) -> Access:
    a = market_access(t, model, plant, market, day, **kw)
    check_citations(t, a)
    return a


def duty(t: evsupply.Tables, model: str, plant: str, market: str, day: str, **kw: object) -> float | None:
    return access(t, model, plant, market, day, **kw).total_duty_pct


def check_citations(t: evsupply.Tables, a: Access) -> None:
    """Every line is a Cited with known sources; every line stating a rate cites one; every applied measure's
    source is among the access's sources."""
    known = set(t["sources"]["source_id"])
    for line in a.lines:
        assert isinstance(line, Cited)
        assert set(line.source_ids) <= known, line
        if "%" in line.text and not line.text.startswith("Total duty"):
            assert line.source_ids, line
    assert set(a.measures["source_id"]) <= set(a.source_ids)


def with_rows(t: evsupply.Tables, **extra: list[dict[str, object]]) -> evsupply.Tables:
    """The real tables plus hand-made rows (test data) appended to the named tables."""
    frames = {
        name: (pd.concat([t[name], pd.DataFrame(extra[name])], ignore_index=True) if name in extra else t[name])
        for name in t
    }
    return evsupply.Tables(frames, t.data_dir, "test")


def plant_row(plant_id: str, operator_id: str, country: str = "CHN") -> dict[str, object]:
    return {
        "plant_id": plant_id,
        "plant_name": plant_id,
        "operator_id": operator_id,
        "country_code": country,
        "source_id": "test_source",
        "source_quote": "test row",
    }


def model_row(model_id: str, brand_id: str, powertrain: str = "BEV") -> dict[str, object]:
    return {
        "model_id": model_id,
        "model_name": model_id,
        "brand_id": brand_id,
        "powertrain": powertrain,
        "source_id": "test_source",
        "source_quote": "test row",
    }


# --- European Union (EUU) ---

# The EU's provisional duties of 2024-07-05 to 2024-10-29 are not recorded (trade_measures notes), so "before" is
# taken on 2024-07-04, when only the ordinary 10% applied.
EU_BEFORE, EU_FROM = "2024-07-04", "2024-10-30"


def test_eu_byd_before_and_after_the_countervailing_duty(t: evsupply.Tables) -> None:
    # 10% ordinary duty (autospies_2018_06_eu_car_tariff); BYD Group 17.0% from 30 October 2024
    # (wisetechacademy_eu_bev_cvd_2024: "BYD Group: 17.0%."): 10 + 17 = 27.
    assert duty(t, "byd_dolphin_surf", CHANGSHA, "EUU", EU_BEFORE) == pytest.approx(10.0)
    a = access(t, "byd_dolphin_surf", CHANGSHA, "EUU", EU_FROM)
    assert a.total_duty_pct == pytest.approx(27.0)
    assert set(a.measures["measure_id"]) == {"eu_mfn_passenger_cars", "eu_cvd_bev_china_byd"}
    assert {"autospies_2018_06_eu_car_tariff", "wisetechacademy_eu_bev_cvd_2024"} <= set(a.source_ids)
    # A named rate keeps the residual rate away.
    assert "eu_cvd_bev_china_noncooperating" not in set(a.measures["measure_id"])


def test_eu_geely_group_rate(t: evsupply.Tables) -> None:
    # Geely Group 18.8% (wisetechacademy_eu_bev_cvd_2024) on top of the 10%: 28.8, as the China-built EX30 paid
    # (electrive_2025_08_04_ex30_ghent, cited in the row's note).
    assert duty(t, "volvo_ex30", ZHANGJIAKOU, "EUU", EU_BEFORE) == pytest.approx(10.0)
    a = access(t, "volvo_ex30", ZHANGJIAKOU, "EUU", EU_FROM)
    assert a.total_duty_pct == pytest.approx(28.8)
    assert "eu_cvd_bev_china_geely" in set(a.measures["measure_id"])


def test_eu_geely_rate_reaches_a_car_through_control(t: evsupply.Tables) -> None:
    # Polestar 2 at Luqiao: neither the brand (Polestar) nor the plant operator (Volvo Cars) is named; Volvo Cars is
    # 78.7% Zhejiang Geely Holding (yicai_2023_11_20, from 2023-11-20), so the Geely rate applies: 10 + 18.8 = 28.8.
    a = access(t, "polestar_2", LUQIAO, "EUU", "2025-06-01")
    assert a.total_duty_pct == pytest.approx(28.8)
    assert "eu_cvd_bev_china_geely" in set(a.measures["measure_id"])


@pytest.mark.parametrize(
    ("model", "plant", "measure"),
    [
        ("xpeng_g6", GUANGZHOU, "eu_cvd_bev_china_xpeng"),
        ("leapmotor_t03", "leapmotor_jinhua", "eu_cvd_bev_china_leapmotor"),
        ("omoda_5", WUHU, "eu_cvd_bev_china_chery"),
    ],
)
def test_eu_other_cooperating_companies(t: evsupply.Tables, model: str, plant: str, measure: str) -> None:
    # "All other cooperating companies: 20.7%." (wisetechacademy_eu_bev_cvd_2024) + 10% = 30.7.
    assert duty(t, model, plant, "EUU", EU_BEFORE) == pytest.approx(10.0)
    a = access(t, model, plant, "EUU", EU_FROM)
    assert a.total_duty_pct == pytest.approx(30.7)
    assert measure in set(a.measures["measure_id"])


def test_eu_residual_rate_for_a_maker_with_no_named_rate(t: evsupply.Tables) -> None:
    # Test data: a Chinese maker with no row of its own. "All other non-cooperating companies: 35.3%."
    # (wisetechacademy_eu_bev_cvd_2024) + 10% = 45.3.
    made = with_rows(
        t,
        companies=[
            {
                "company_id": "test_maker",
                "company_name": "Test Maker",
                "entity_type": "company",
                "country_code": "CHN",
                "source_id": "test_source",
                "source_quote": "test row",
            }
        ],
        plants=[plant_row("test_maker_cn", "test_maker")],
        models=[model_row("test_bev", "test_maker")],
    )
    assert duty(made, "test_bev", "test_maker_cn", "EUU", EU_BEFORE) == pytest.approx(10.0)
    a = access(made, "test_bev", "test_maker_cn", "EUU", EU_FROM)
    assert a.total_duty_pct == pytest.approx(45.3)
    assert set(a.measures["measure_id"]) == {"eu_mfn_passenger_cars", "eu_cvd_bev_china_noncooperating"}


def test_eu_duties_are_for_battery_electric_cars_only(t: evsupply.Tables) -> None:
    # The Ebro s700 is a petrol car (models.csv): the countervailing duties cover BEVs only, so 10%.
    assert duty(t, "ebro_s700", WUHU, "EUU", "2025-06-01") == pytest.approx(10.0)


def test_turkiye_built_car_into_the_eu(t: evsupply.Tables) -> None:
    # EU–Türkiye customs union: no customs duty on cars (mayainvest_turkey_eu_customs_union); the countervailing
    # duties target China-origin cars only. Not domestic: Türkiye is not an EU member.
    for day in (EU_BEFORE, EU_FROM, "2026-06-01"):
        a = access(t, "byd_atto_3", MANISA, "EUU", day)
        assert a.total_duty_pct == pytest.approx(0.0)
        assert not a.is_domestic
        assert list(a.measures["measure_id"]) == ["eu_tur_customs_union"]
        assert "mayainvest_turkey_eu_customs_union" in a.source_ids


def test_eu_built_car_is_domestic(t: evsupply.Tables) -> None:
    # Hungary is an EU member since 2004-05-01 (ec_enlargement_together_eu): no import duty, before and after.
    for day in (EU_BEFORE, EU_FROM):
        a = access(t, "byd_dolphin_surf", SZEGED, "EUU", day)
        assert a.is_domestic and a.total_duty_pct == 0.0 and a.is_allowed
        assert a.measures.empty


def test_eu_domestic_line_cites_the_membership_source(t: evsupply.Tables) -> None:
    # Hungary's membership row cites its accession day, 2004-05-01 (ec_enlargement_together_eu).
    a = market_access(t, "byd_dolphin_surf", SZEGED, "EUU", EU_FROM)
    assert "ec_enlargement_together_eu" in a.source_ids


def test_polestar_gets_the_geely_rate_whoever_runs_the_plant(t: evsupply.Tables) -> None:
    # Test data: a China plant run by Polestar itself. 10% + Geely Group 18.8% (wisetechacademy_eu_bev_cvd_2024).
    made = with_rows(t, plants=[plant_row("test_polestar_cn", "polestar")])
    assert duty(made, "polestar_4", "test_polestar_cn", "EUU", "2025-06-01") == pytest.approx(28.8)


def test_vw_anhui_rate_before_the_undertaking(t: evsupply.Tables) -> None:
    # Test data: a VW-group BEV from a VW plant in China. "Cupra's rate stands at 20.7%"
    # (cnevpost_2026_02_11_cupra_undertaking) + 10% = 30.7.
    made = with_rows(
        t, plants=[plant_row("test_vw_cn", "volkswagen_group")], models=[model_row("test_vw_bev", "volkswagen_group")]
    )
    assert duty(made, "test_vw_bev", "test_vw_cn", "EUU", "2025-06-01") == pytest.approx(30.7)


def test_vw_undertaking_is_for_the_tavascan_only(t: evsupply.Tables) -> None:
    # Test data: a VW-group BEV that is not a Tavascan keeps the 20.7% (cnevpost_2026_02_11_cupra_undertaking) + 10%.
    made = with_rows(
        t, plants=[plant_row("test_vw_cn", "volkswagen_group")], models=[model_row("test_vw_bev", "volkswagen_group")]
    )
    assert duty(made, "test_vw_bev", "test_vw_cn", "EUU", "2026-03-01") == pytest.approx(30.7)


# --- Türkiye (TUR) ---


def test_turkiye_china_bev_before_and_after_the_2023_additional_duty(t: evsupply.Tables) -> None:
    # 10% CET (chathamhouse_2018_12_eu_turkey_cu). An earlier additional duty (from 2022-08-12, decision 5902) is not
    # recorded and its coverage of China is not established, so "before" is 2022-08-11.
    assert duty(t, "xpeng_g6", GUANGZHOU, "TUR", "2022-08-11") == pytest.approx(10.0)
    # +40% on China-origin BEVs, in force on publication, 2023-03-03 (dailysabah_2023_03_03_turkey_ev_china): 50.
    a = access(t, "xpeng_g6", GUANGZHOU, "TUR", "2023-03-03")
    assert a.total_duty_pct == pytest.approx(50.0)
    assert {"chathamhouse_2018_12_eu_turkey_cu", "dailysabah_2023_03_03_turkey_ev_china"} <= set(a.source_ids)


def test_turkiye_china_bev_before_and_after_the_2025_obligation(t: evsupply.Tables) -> None:
    # +30% additional financial obligation from the sixtieth day after 2025-09-22 (yenicag_2025_09_22_turkey_emy,
    # aksehirtso_2025_09_22_decree_10436), replacing the China-specific 40% (mondaq_2025_turkey_decree_10436; the
    # 2026-12 correction, pinned in test_policy_markets_2026_12.py). Onedio gives 22 November for the first day, so
    # the days either side are pinned: 10 + 40 = 50, then 10 + 30 = 40.
    assert duty(t, "xpeng_g6", GUANGZHOU, "TUR", "2025-11-20") == pytest.approx(50.0)
    a = access(t, "xpeng_g6", GUANGZHOU, "TUR", "2025-11-22")
    assert a.total_duty_pct == pytest.approx(40.0)
    assert set(a.measures["measure_id"]) == {"tur_cet_passenger_cars", "tur_emy_ev_2025"}
    assert "yenicag_2025_09_22_turkey_emy" in a.source_ids


def test_turkiye_byd_exemption(t: evsupply.Tables) -> None:
    # Before the Manisa investment agreement of 2024-07-08, a China-built BYD pays 10 + 40 = 50.
    assert duty(t, "byd_atto_3", CHANGSHA, "TUR", "2024-07-07") == pytest.approx(50.0)
    # From it, "exemption from the 40% additional import duty" (paturkey_2025_byd_tax_breaks): the 10% regular duty
    # alone (turkiyetoday_2024_07_byd_plant, cited in the row's method).
    a = access(t, "byd_atto_3", CHANGSHA, "TUR", "2024-07-08")
    assert a.total_duty_pct == pytest.approx(10.0)
    assert "paturkey_2025_byd_tax_breaks" in a.source_ids
    assert "tur_igv_china_ev_40" not in set(a.measures["measure_id"])
    # The 2025 obligation does not touch imports under investment incentive certificates
    # (mondaq_2025_turkey_decree_10436; BYD named by cumhuriyet_2025_09_22_turkey_duties): still 10.
    b = access(t, "byd_atto_3", CHANGSHA, "TUR", "2025-11-22")
    assert b.total_duty_pct == pytest.approx(10.0)
    assert "mondaq_2025_turkey_decree_10436" in b.source_ids


def test_turkiye_plug_in_hybrid_from_china_before_july_2024(t: evsupply.Tables) -> None:
    # The 2023 duty covers "motor vehicles with only electric motors" (dailysabah_2023_03_03_turkey_ev_china), so a
    # plug-in hybrid pays the 10% CET alone until the 2024 duty on hybrids (from 2024-07-08, tur_igv_china_phev_2024).
    assert duty(t, "byd_seal_u_dmi", CHANGSHA, "TUR", "2024-01-01") == pytest.approx(10.0)


# --- Brazil (BRA) ---

# (day, duty outside the quota, duty within it). mdic_2023_11_23_ev_import_tax: "10% (janeiro de 2024), 18% (julho de
# 2024), 25% (julho de 2025) e 35% (julho de 2026)", first day of each month; duty-free quotas until July 2024,
# 2025 and 2026 (valor_2023_11_10_ev_import_quotas); exempt until then "desde 2015" (valor_2023_06_14_anfavea_ev_tax).
BRAZIL_BEV = [
    ("2023-12-31", 0.0, 0.0),
    ("2024-01-01", 10.0, 0.0),
    ("2024-06-30", 10.0, 0.0),
    ("2024-07-01", 18.0, 0.0),
    ("2025-06-30", 18.0, 0.0),
    ("2025-07-01", 25.0, 0.0),
    ("2026-06-30", 25.0, 0.0),
    ("2026-07-01", 35.0, 35.0),  # no quota after July 2026
]


@pytest.mark.parametrize(("day", "outside", "within"), BRAZIL_BEV)
def test_brazil_china_bev_schedule(t: evsupply.Tables, day: str, outside: float, within: float) -> None:
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", day, in_quota=False) == pytest.approx(outside)
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", day, in_quota=True) == pytest.approx(within)


def test_brazil_sources_follow_the_step_that_applies(t: evsupply.Tables) -> None:
    out = access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2024-07-01", in_quota=False)
    assert list(out.measures["measure_id"]) == ["bra_ev_2024_07"]
    assert "mdic_2023_11_23_ev_import_tax" in out.source_ids
    within = access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2024-07-01", in_quota=True)
    assert list(within.measures["measure_id"]) == ["bra_ev_quota_2024_25"]
    assert "valor_2023_11_10_ev_import_quotas" in within.source_ids
    before = access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2023-12-31")
    assert "valor_2023_06_14_anfavea_ev_tax" in before.source_ids


@pytest.mark.parametrize("day", ["2023-12-31", "2024-01-01", "2024-07-01", "2025-07-01", "2026-07-01"])
def test_brazil_petrol_car_pays_the_general_rate(t: evsupply.Tables, day: str) -> None:
    # 35% for cars from outside Brazil's agreements (valor_2023_06_14_anfavea_ev_tax); the EV schedule is for BEVs.
    a = access(t, "ebro_s700", WUHU, "BRA", day)
    assert a.total_duty_pct == pytest.approx(35.0)
    assert list(a.measures["measure_id"]) == ["bra_mfn_passenger_cars"]


def test_brazil_marginal_car_is_outside_the_value_quota_by_default(t: evsupply.Tables) -> None:
    # 18% from July 2024 (mdic_2023_11_23_ev_import_tax) for a car outside the US$226 million quota.
    assert market_access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2025-01-01").total_duty_pct == pytest.approx(18.0)


def test_eu_built_car_into_the_us_under_the_framework_deal(t: evsupply.Tables) -> None:
    # 2.5% MFN (btlaw_2025_auto_tariffs) + 25% Section 232 from 2025-04-03 (omnitrans_2025_section232); EU-origin
    # cars capped at 15% including MFN from entries of 2025-08-01 (butzel_2025_09_26_us_eu_autos): the origin EUU
    # covers Belgium (market_members, illinois_eu_accession_years: since 1958).
    assert market_access(t, "volvo_ex30", "volvo_ghent", "USA", "2025-07-31").total_duty_pct == pytest.approx(27.5)
    a = market_access(t, "volvo_ex30", "volvo_ghent", "USA", "2025-08-01")
    assert a.total_duty_pct == pytest.approx(15.0)
    assert "butzel_2025_09_26_us_eu_autos" in a.source_ids
    # A Korea-built car is not of EU origin: it keeps the Korea deal's 15% (ghy_2025_korea_15pct) from 2025-11-01.
    assert market_access(t, "polestar_4", "renault_korea_busan", "USA", "2025-08-01").total_duty_pct == pytest.approx(
        25.0
    )
