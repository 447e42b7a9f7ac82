"""The measures of the 2026-12 audit (issue 16, item 3), pinned on the real tables with their sources.

Türkiye's 2025-09-22 decrees read as a replacement of the China-specific duties; the China-origin PHEV, HEV and
combustion-car duties of 2024-25; Brazil's PHEV and HEV schedules, their quotas and the SKD/CKD kit duties and quota
(a kit is told apart from a complete car by `market_access(..., form=...)`); Mexico as a market with its 2026 duty;
dated EU membership. Every expected rate is a sourced figure (source id in the comment) added up by hand with the
stacking rules: `additive` adds its rate, `replaces` takes the place of the row it names, `all_in` caps base + it
at its rate. Hand-made rows (a hybrid model, a plant in Croatia, a model listing two powertrains) are test data and
say so where they are made.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from kit import read_rows, write_rows

import evsupply
from evsupply.analysis.markets import members
from evsupply.analysis.trade.policy import Access, market_access, unions_of
from evsupply.core.claims import Cited
from evsupply.data.validate import validate
from evsupply.errors import ParameterError, Problem

GUANGZHOU, WUHU, CHANGSHA, HANGZHOU_BAY = "xpeng_guangzhou", "chery_wuhu", "byd_changsha", "geely_hangzhou_bay"
TM = "trade_measures.csv"


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def access(t: evsupply.Tables, model: str, plant: str, market: str, day: str, **kw: object) -> Access:
    """market_access, with every explanation line a Cited whose sources are known."""
    a = market_access(t, model, plant, market, day, **kw)
    known = set(t["sources"]["source_id"])
    for line in a.lines:
        assert isinstance(line, Cited) and set(line.source_ids) <= known, line
    assert set(a.measures["source_id"]) <= set(a.source_ids)
    return a


def duty(t: evsupply.Tables, model: str, plant: str, market: str, day: str, **kw: object) -> float | None:
    return access(t, model, plant, market, day, **kw).total_duty_pct


def ids(a: Access) -> set[str]:
    return set(a.measures["measure_id"])


def with_rows(t: evsupply.Tables, **extra: list[dict[str, object]]) -> evsupply.Tables:
    """The real tables plus hand-made rows (test data) appended to the named tables."""
    frames = {
        name: (pd.concat([t[name], pd.DataFrame(extra[name])], ignore_index=True) if name in extra else t[name])
        for name in t
    }
    return evsupply.Tables(frames, t.data_dir, "test")


def model_row(model_id: str, brand_id: str, powertrain: str) -> dict[str, object]:
    return {
        "model_id": model_id,
        "model_name": model_id,
        "brand_id": brand_id,
        "powertrain": powertrain,
        "source_id": "test_source",
        "source_quote": "test row",
    }


def measure(t: evsupply.Tables, measure_id: str) -> pd.Series:
    return t["trade_measures"].set_index("measure_id").loc[measure_id]


# --- Türkiye: the 2025-09-22 restructuring (audit B1 row 1) ---

# Decree 10436 takes effect on the sixtieth day after its publication on 2025-09-22
# (aksehirtso_2025_09_22_decree_10436): 8 days to 2025-09-30 + 31 in October = 39, + 21 = 60 -> 2025-11-21.
# Onedio (onedio_2025_10_21_turkey_duties) says 22 November, so the day of doubt is avoided in the pins.
TUR_LAST_OLD, TUR_FIRST_NEW = "2025-11-20", "2025-11-21"


def test_china_bev_into_turkiye_on_2026_06_01(t: evsupply.Tables) -> None:
    # 10% CET (chathamhouse_2018_12_eu_turkey_cu) + 30% blanket obligation on electric cars
    # (yenicag_2025_09_22_turkey_emy), which replaced the China-specific 40% (mondaq_2025_turkey_decree_10436;
    # haberler_2025_09_23_turkey_duties: "yüzde 40'a çekilecek"): 10 + 30 = 40, not the 80 of stacking.
    for model, plant in (("xpeng_g6", GUANGZHOU), ("omoda_5", WUHU)):
        a = access(t, model, plant, "TUR", "2026-06-01")
        assert a.total_duty_pct == pytest.approx(40.0)
        assert ids(a) == {"tur_cet_passenger_cars", "tur_emy_ev_2025"}
        assert {"chathamhouse_2018_12_eu_turkey_cu", "yenicag_2025_09_22_turkey_emy"} <= set(a.source_ids)


def test_china_specific_duties_end_the_day_before_the_decree(t: evsupply.Tables) -> None:
    ended = [
        "tur_igv_china_ev_40",
        "tur_igv_china_ev_40_byd_exempt",
        "tur_igv_china_phev_2024",
        "tur_igv_china_phev_2024_byd_exempt",
        "tur_igv_china_ice_2025",
        "tur_igv_china_hev_2025",
    ]
    for measure_id in ended:
        assert measure(t, measure_id)["valid_to"] == pd.Timestamp(TUR_LAST_OLD), measure_id
    for measure_id in ("tur_emy_ev_2025", "tur_emy_phev_2025", "tur_emy_hev_2025", "tur_emy_ice_2025"):
        row = measure(t, measure_id)
        assert row["valid_from"] == pd.Timestamp(TUR_FIRST_NEW) and pd.isna(row["valid_to"]), measure_id
        assert row["stacking"] == "additive"
    # The day before: 10 + 40 = 50 (dailysabah_2023_03_03_turkey_ev_china).
    assert duty(t, "xpeng_g6", GUANGZHOU, "TUR", TUR_LAST_OLD) == pytest.approx(50.0)


def test_turkiye_minimum_per_car_is_recorded_not_added_to_the_percentage(t: evsupply.Tables) -> None:
    # "30% veya minimum 8.500", "%30 veya minimum 7.000", "%25 veya minimum 6.000" (aksehirtso_2025_09_22_decree_10436,
    # yenicag_2025_09_22_turkey_emy); decision 8639: "yüzde 40’ı veya 7 bin dolar" (proventus_2024_turkey_decree_8639).
    expected = {
        "tur_emy_ev_2025": 8500,
        "tur_emy_phev_2025": 7000,
        "tur_emy_hev_2025": 6000,
        "tur_emy_ice_2025": 6000,
        "tur_igv_china_ice_2024": 7000,
        "tur_igv_china_hev_2024": 7000,
        "tur_igv_china_phev_2024": 7000,
    }
    for measure_id, usd in expected.items():
        assert measure(t, measure_id)["min_duty_usd_per_unit"] == pytest.approx(usd), measure_id
    a = access(t, "xpeng_g6", GUANGZHOU, "TUR", "2026-06-01")
    assert a.total_duty_pct == pytest.approx(40.0)  # the percentage alone
    assert any("at least US$8,500 a car" in line.text for line in a.lines)
    assert a.measures.set_index("measure_id").loc["tur_emy_ev_2025", "min_duty_usd_per_unit"] == pytest.approx(8500)


def test_china_plug_in_hybrid_into_turkiye(t: evsupply.Tables) -> None:
    # Geely EX5 EM-i (PHEV, models.csv) from Hangzhou Bay; Geely has no investment incentive.
    # Before decision 8639 (from 2024-07-08, proventus_2024_turkey_decree_8639): the 10% CET alone.
    assert duty(t, "geely_ex5_em_i", HANGZHOU_BAY, "TUR", "2024-07-07") == pytest.approx(10.0)
    # 10 + 40 = 50 from 2024-07-08; plug-in hybrids stayed at 40 in 2025 (haberfokus_2025_01_02_turkey_china_50).
    assert duty(t, "geely_ex5_em_i", HANGZHOU_BAY, "TUR", "2024-07-08") == pytest.approx(50.0)
    a = access(t, "geely_ex5_em_i", HANGZHOU_BAY, "TUR", "2025-06-01")
    assert a.total_duty_pct == pytest.approx(50.0) and "tur_igv_china_phev_2024" in ids(a)
    # From the decree: 10 + 30 (PHEV obligation, aksehirtso_2025_09_22_decree_10436) = 40.
    b = access(t, "geely_ex5_em_i", HANGZHOU_BAY, "TUR", "2026-06-01")
    assert b.total_duty_pct == pytest.approx(40.0)
    assert ids(b) == {"tur_cet_passenger_cars", "tur_emy_phev_2025"}


def test_china_combustion_car_into_turkiye(t: evsupply.Tables) -> None:
    # Ebro s700 (ICE, models.csv) from Chery Wuhu. 10% CET; +40% from 2024-07-08 (proventus_2024_turkey_decree_8639);
    # +50% from 2025-01-01 (haberfokus_2025_01_02_turkey_china_50); from the decree +25%
    # (aksehirtso_2025_09_22_decree_10436): 10, 50, 60, 60, 35 - the cut Cumhuriyet reports.
    expected = [("2024-07-07", 10.0), ("2024-07-08", 50.0), ("2025-01-01", 60.0), (TUR_LAST_OLD, 60.0)]
    expected.append(("2026-06-01", 35.0))
    for day, value in expected:
        assert duty(t, "ebro_s700", WUHU, "TUR", day) == pytest.approx(value), day


def test_china_hybrid_into_turkiye(t: evsupply.Tables) -> None:
    # Test data: a Chery hybrid (HEV); no hybrid model is in the data. 10% CET; +40% from 2024-07-08
    # (proventus_2024_turkey_decree_8639); +50% from 2025-01-01 (haberfokus_2025_01_02_turkey_china_50); +25% from
    # the decree (aksehirtso_2025_09_22_decree_10436).
    made = with_rows(t, models=[model_row("test_hev", "chery", "HEV")])
    for day, value in (("2024-07-08", 50.0), ("2025-01-01", 60.0), ("2026-06-01", 35.0)):
        assert duty(made, "test_hev", WUHU, "TUR", day) == pytest.approx(value), day
    assert "tur_emy_hev_2025" in ids(access(made, "test_hev", WUHU, "TUR", "2026-06-01"))


def test_byd_plug_in_hybrid_keeps_its_investment_exemption(t: evsupply.Tables) -> None:
    # BYD Seal U DM-i (PHEV) from Changsha: imports under investment incentive certificates exempt from the 2024 duty
    # (turkiyetoday_2024_07_05_investment_exemption) and from the 2025 obligation (mondaq_2025_turkey_decree_10436;
    # BYD named by cumhuriyet_2025_09_22_turkey_duties): the 10% CET alone before and after the decree.
    a = access(t, "byd_seal_u_dmi", CHANGSHA, "TUR", "2025-06-01")
    assert a.total_duty_pct == pytest.approx(10.0)
    assert "turkiyetoday_2024_07_05_investment_exemption" in a.source_ids
    b = access(t, "byd_seal_u_dmi", CHANGSHA, "TUR", "2026-06-01")
    assert b.total_duty_pct == pytest.approx(10.0)
    assert "tur_emy_phev_2025_byd_exempt" in ids(b) and "mondaq_2025_turkey_decree_10436" in b.source_ids


def test_byd_bev_exemption_is_backed_by_the_decree_and_a_turkish_source(t: evsupply.Tables) -> None:
    row = measure(t, "tur_emy_ev_2025_byd_exempt")
    assert row["source_id"] == "mondaq_2025_turkey_decree_10436"
    assert "cumhuriyet_2025_09_22_turkey_duties" in row["method"]
    assert duty(t, "byd_atto_3", CHANGSHA, "TUR", "2026-06-01") == pytest.approx(10.0)


# --- Brazil: PHEV and HEV schedules and quotas (audit B1 row 4) ---


def test_china_plug_in_hybrid_into_brazil_2025_and_2026(t: evsupply.Tables) -> None:
    # "Para híbridos plug-in, serão 12% em janeiro, 20% em julho, 28% em 2025 e 35% em 2026."
    # (valor_2023_11_10_ev_import_quotas): 28% on 2025-08-01 outside the value quota (the default for a marginal car),
    # 35% on 2026-08-01. Before this correction a PHEV fell to the general 35%.
    for model, plant in (("byd_song_pro", CHANGSHA), ("geely_ex5_em_i", HANGZHOU_BAY)):
        a = access(t, model, plant, "BRA", "2025-08-01")
        assert a.total_duty_pct == pytest.approx(28.0)
        assert ids(a) == {"bra_phev_2025_07"} and "valor_2023_11_10_ev_import_quotas" in a.source_ids
        b = access(t, model, plant, "BRA", "2026-08-01")
        assert b.total_duty_pct == pytest.approx(35.0) and ids(b) == {"bra_phev_2026_07"}


# (day, outside the quota, within it): PHEV 12/20/28/35 (valor_2023_11_10_ev_import_quotas), first day of each month;
# duty-free quotas of US$226m, 169m and 75m until July 2024, 2025 and 2026 (same source); none after.
BRAZIL_PHEV = [
    ("2024-01-01", 12.0, 0.0),
    ("2024-06-30", 12.0, 0.0),
    ("2024-07-01", 20.0, 0.0),
    ("2025-07-01", 28.0, 0.0),
    ("2026-06-30", 28.0, 0.0),
    ("2026-07-01", 35.0, 35.0),
]


@pytest.mark.parametrize(("day", "outside", "within"), BRAZIL_PHEV)
def test_brazil_plug_in_hybrid_schedule(t: evsupply.Tables, day: str, outside: float, within: float) -> None:
    assert duty(t, "byd_king", CHANGSHA, "BRA", day, in_quota=False) == pytest.approx(outside)
    assert duty(t, "byd_king", CHANGSHA, "BRA", day, in_quota=True) == pytest.approx(within)


# HEV 15/25/30/35 (exame_2023_11_23_brazil_electrified_tax, the published text; the decision-day 12% of
# valor_2023_11_10_ev_import_quotas is kept in the note); quotas US$130m, 97m, 43m (valor_2023_11_10_ev_import_quotas).
BRAZIL_HEV = [
    ("2024-01-01", 15.0, 0.0),
    ("2024-07-01", 25.0, 0.0),
    ("2025-07-01", 30.0, 0.0),
    ("2026-07-01", 35.0, 35.0),
]


@pytest.mark.parametrize(("day", "outside", "within"), BRAZIL_HEV)
def test_brazil_hybrid_schedule(t: evsupply.Tables, day: str, outside: float, within: float) -> None:
    made = with_rows(t, models=[model_row("test_hev", "byd", "HEV")])  # test data: a BYD hybrid
    assert duty(made, "test_hev", CHANGSHA, "BRA", day, in_quota=False) == pytest.approx(outside)
    assert duty(made, "test_hev", CHANGSHA, "BRA", day, in_quota=True) == pytest.approx(within)


def test_brazil_hybrid_first_step_keeps_the_other_claim(t: evsupply.Tables) -> None:
    row = measure(t, "bra_hev_2024_01")
    assert row["tariff_rate_pct"] == pytest.approx(15.0)
    assert "12%" in row["note"] and "valor_2023_11_10_ev_import_quotas" in row["note"]


# --- Brazil: SKD/CKD kits (audit B1 row 5) ---


def test_skd_kit_in_and_after_the_zero_duty_quota(t: evsupply.Tables) -> None:
    # Zero-duty kit quota of US$463 million for six months (uol_2025_07_30_gecex_ckd_skd), 2025-08-01 to 2026-01-31
    # (automaistv_2025_portaria_secex_420, em_2026_02_04_brazil_kits). SKD kits pay the complete-car rate (ranges of
    # ligadous_2026_02_brazil_kits): a BEV kit 25% from July 2025 (mdic_2023_11_23_ev_import_tax), 35% from July 2026.
    inside = access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2025-10-01", form="skd", in_quota=True)
    assert inside.total_duty_pct == pytest.approx(0.0) and ids(inside) == {"bra_kit_quota_2025_skd_bev"}
    assert "uol_2025_07_30_gecex_ckd_skd" in inside.source_ids
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2025-10-01", form="skd") == pytest.approx(25.0)
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-03-01", form="skd", in_quota=True) == pytest.approx(25.0)
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-08-01", form="skd") == pytest.approx(35.0)
    # A PHEV kit (Song Pro): 0 in the quota, 28% after it (valor_2023_11_10_ev_import_quotas).
    assert duty(t, "byd_song_pro", CHANGSHA, "BRA", "2025-10-01", form="skd", in_quota=True) == pytest.approx(0.0)
    assert duty(t, "byd_song_pro", CHANGSHA, "BRA", "2026-03-01", form="skd") == pytest.approx(28.0)


def test_ckd_kit_in_and_after_the_quota_and_from_2027(t: evsupply.Tables) -> None:
    # CKD "cerca de 14%" until the quota ended (em_2026_02_04_brazil_kits), then 16% from 2026-02-01 ("a alíquota é de
    # 16% para kits CKD", mistobrasil_2026_02_brazil_kits; corrected by the 2026-12-08 audit), 35% from January 2027
    # (uol_2025_07_30_gecex_ckd_skd).
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2025-10-01", form="ckd", in_quota=True) == pytest.approx(0.0)
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2025-10-01", form="ckd") == pytest.approx(14.0)
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-01-31", form="ckd") == pytest.approx(14.0)
    a = access(t, "byd_song_pro", CHANGSHA, "BRA", "2026-03-01", form="ckd", in_quota=True)
    assert a.total_duty_pct == pytest.approx(16.0) and ids(a) == {"bra_kit_ckd_2026_02"}
    assert "mistobrasil_2026_02_brazil_kits" in a.source_ids
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-12-31", form="ckd") == pytest.approx(16.0)
    b = access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2027-01-01", form="ckd")
    assert b.total_duty_pct == pytest.approx(35.0) and ids(b) == {"bra_kit_ckd_2027"}


def test_the_engine_tells_a_kit_from_a_complete_car(t: evsupply.Tables) -> None:
    # On 2026-03-01 a complete BEV pays 25% (mdic_2023_11_23_ev_import_tax), a CKD kit 16%
    # (mistobrasil_2026_02_brazil_kits).
    complete = access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-03-01")
    kit = access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-03-01", form="ckd")
    assert (complete.total_duty_pct, kit.total_duty_pct) == (pytest.approx(25.0), pytest.approx(16.0))
    assert any("CKD kit" in line.text for line in kit.lines)
    # The complete-car quota (US$141 million until July 2026, valor_2023_11_10_ev_import_quotas) is not the kit quota:
    # a complete car within it pays 0 on 2026-03-01, a kit no longer has a quota then (test above).
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-03-01", in_quota=True) == pytest.approx(0.0)


def test_a_kit_with_no_recorded_rate_has_an_unknown_duty(t: evsupply.Tables) -> None:
    # Kits of combustion cars have no row: the duty is unknown (None), not the complete-car 35% and not zero.
    a = access(t, "ebro_s700", WUHU, "BRA", "2026-03-01", form="ckd")
    assert a.total_duty_pct is None
    assert duty(t, "ebro_s700", WUHU, "BRA", "2026-03-01") == pytest.approx(35.0)  # valor_2023_06_14_anfavea_ev_tax


# --- powertrain and form parameters ---


def test_form_and_powertrain_are_checked(t: evsupply.Tables) -> None:
    with pytest.raises(ParameterError, match="form"):
        market_access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-03-01", form="kit")
    with pytest.raises(ParameterError, match="powertrain"):
        market_access(t, "byd_dolphin_mini", CHANGSHA, "BRA", "2026-03-01", powertrain="FCEV")


def test_a_model_with_several_powertrains_defaults_to_the_first(t: evsupply.Tables) -> None:
    # Test data: a Chery model listed as "PHEV|ICE" (the way a multi-powertrain model may be marked). Türkiye on
    # 2025-06-01: PHEV 10 + 40 (proventus_2024_turkey_decree_8639), ICE 10 + 50 (haberfokus_2025_01_02_turkey_china_50).
    made = with_rows(t, models=[model_row("test_two", "chery", "PHEV|ICE")])
    a = access(made, "test_two", WUHU, "TUR", "2025-06-01")
    assert a.total_duty_pct == pytest.approx(50.0)
    assert any("taken as PHEV" in line.text for line in a.lines)
    assert duty(made, "test_two", WUHU, "TUR", "2025-06-01", powertrain="ICE") == pytest.approx(60.0)
    # Brazil on 2025-08-01: PHEV 28% (valor_2023_11_10_ev_import_quotas), ICE the general 35%.
    assert duty(made, "test_two", WUHU, "BRA", "2025-08-01") == pytest.approx(28.0)
    assert duty(made, "test_two", WUHU, "BRA", "2025-08-01", powertrain="ICE") == pytest.approx(35.0)


def test_an_explicit_powertrain_other_than_the_listed_one_is_said(t: evsupply.Tables) -> None:
    # The Ebro s700 is listed as ICE but also built as a PHEV (audit B1 row 10): asked as a PHEV into Brazil on
    # 2025-08-01 it pays the PHEV 28% (valor_2023_11_10_ev_import_quotas), and the lines say what the table lists.
    a = access(t, "ebro_s700", WUHU, "BRA", "2025-08-01", powertrain="PHEV")
    assert a.total_duty_pct == pytest.approx(28.0)
    assert any("lists ICE" in line.text for line in a.lines)


# --- Mexico (audit B1 row 18) ---


def test_china_bev_into_mexico_on_2026_03_01(t: evsupply.Tables) -> None:
    # "Passenger vehicles, including new electric models, face a 50% tariff" from 2026-01-01
    # (particle_2025_12_29_mexico_decree, a digest: medium-low confidence, said in the row's note).
    a = access(t, "byd_dolphin_mini", CHANGSHA, "MEX", "2026-03-01")
    assert a.total_duty_pct == pytest.approx(50.0)
    assert ids(a) == {"mex_non_fta_cars_2026"} and "particle_2025_12_29_mexico_decree" in a.source_ids
    assert "confidence" in measure(t, "mex_non_fta_cars_2026")["note"]


def test_china_bev_into_mexico_before_2026(t: evsupply.Tables) -> None:
    # Exempt until 2024-09-30 (sanchezdevanny_mexico_ev_exemption); then the light-EV item's 15%
    # (opportimes_2020_mexico_ev_tariff) until 2025-12-31; a combustion car paid 20%
    # (particle_2025_12_mexico_india_cars), then 50% (particle_2025_12_29_mexico_decree).
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "MEX", "2024-09-30") == pytest.approx(0.0)
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "MEX", "2024-10-01") == pytest.approx(15.0)
    assert duty(t, "byd_dolphin_mini", CHANGSHA, "MEX", "2025-12-31") == pytest.approx(15.0)
    assert duty(t, "ebro_s700", WUHU, "MEX", "2025-06-01") == pytest.approx(20.0)
    assert duty(t, "ebro_s700", WUHU, "MEX", "2026-03-01") == pytest.approx(50.0)


def test_a_non_fta_origin_without_a_row_into_mexico_in_2026_is_unknown(t: evsupply.Tables) -> None:
    # The 2026 duty is recorded for China and Korea only (Korea since the 2026-12-08 audit, tests/integration/
    # test_audit_2026_12b_core.py): a Thailand-built car, also without an FTA, has no base rate, so its duty is unknown.
    assert duty(t, "byd_dolphin", "byd_rayong", "MEX", "2026-03-01") is None


def test_mexico_is_a_market_with_a_default_port(t: evsupply.Tables) -> None:
    # BYD Changzhou landed 3,503 cars at Lázaro Cárdenas (mexicodailypost_2025_06_19_byd_lazaro); coordinates
    # 17°55′37″N 102°10′08″W (enwiki_port_of_lazaro_cardenas).
    market = t["markets"].set_index("market_id").loc["MEX"]
    assert market["market_type"] == "country"
    ports = t["market_ports"]
    default = ports[(ports["market_id"] == "MEX") & ports["is_default"].astype(bool)]
    assert list(default["port_id"]) == ["MXLZC"]
    port = t["ports"].set_index("port_id").loc["MXLZC"]
    assert (port["latitude"], port["longitude"]) == (pytest.approx(17.927), pytest.approx(-102.169))


# --- EU: dated membership (audit B1 row 16) ---


def test_a_croatian_origin_is_eu_only_from_accession(t: evsupply.Tables) -> None:
    # Croatia joined on 2013-07-01 (reference_com_eu_members). Test data: a plant in Croatia.
    plant = {
        "plant_id": "test_hrv",
        "plant_name": "test_hrv",
        "operator_id": "byd",
        "country_code": "HRV",
        "source_id": "test_source",
        "source_quote": "test row",
    }
    made = with_rows(t, plants=[plant])
    assert unions_of(made, "HRV", pd.Timestamp("2013-06-30").date()) == set()
    assert unions_of(made, "HRV", pd.Timestamp("2013-07-01").date()) == {"EUU"}
    before = access(made, "byd_dolphin_surf", "test_hrv", "EUU", "2013-06-30")
    assert not before.is_domestic
    after = access(made, "byd_dolphin_surf", "test_hrv", "EUU", "2013-07-01")
    assert after.is_domestic and after.total_duty_pct == 0.0
    assert "reference_com_eu_members" in after.source_ids


def test_eu_members_by_date(t: evsupply.Tables) -> None:
    # Hand count from the accession days: founders 6 (1958) + DNK, IRL (1973) + GRC (1981) + ESP, PRT (1986) = 11
    # (the UK is not in the table); + AUT, FIN, SWE (1995-01-01, ec_enlargement_together_eu) = 14; + 10 on 2004-05-01
    # = 24; + BGR, ROU on 2007-01-01 (detales_eu_enlargement_history) = 26; + HRV on 2013-07-01 = 27.
    expected = {"1994-12-31": 11, "1995-01-01": 14, "2004-04-30": 14, "2004-05-01": 24, "2006-12-31": 24}
    expected |= {"2007-01-01": 26, "2013-06-30": 26, "2013-07-01": 27, "2026-06-01": 27}
    for day, count in expected.items():
        assert len(members(t, "EUU", day)) == count, day
    assert t["market_members"]["valid_from"].notna().all()


def test_the_engine_reads_membership_on_the_day(t: evsupply.Tables) -> None:
    # Hungary is inside the EU from 2004-05-01 (ec_enlargement_together_eu): a car built there is domestic only then.
    assert "HUN" not in members(t, "EUU", "2004-04-30")
    assert "HUN" in members(t, "EUU", "2004-05-01")


# --- EU countervailing duties: the legal act (audit B1 row 15) ---


def test_eu_countervailing_duty_rows_cite_the_official_journal(t: evsupply.Tables) -> None:
    sources = t["sources"].set_index("source_id")
    oj = sources.loc["eu_oj_2024_2754_bev_cvd"]
    assert oj["source_kind"] == "primary_regulator" and oj["published_date"] == pd.Timestamp("2024-10-29")
    assert "2024/2754" in oj["title"]
    rows = t["trade_measures"]
    cvd = rows[rows["measure_id"].str.startswith("eu_cvd_bev_china_") & (rows["measure_type"] == "countervailing_duty")]
    cvd = cvd[cvd["measure_id"] != "eu_cvd_bev_china_vw_anhui_undertaking"]  # a later act, its own source
    # BYD, Geely, SAIC, Tesla, Chery, Leapmotor, XPeng, VW Anhui and the non-cooperating residual: 9 rows.
    assert len(cvd) == 9
    for _, row in cvd.iterrows():
        assert "eu_oj_2024_2754_bev_cvd" in row["note"] and "cms_eu_bev_cvd_undertakings" in row["note"]
        # "applicable from 30 October 2024" (cms_eu_bev_cvd_undertakings), the day after publication.
        assert row["valid_from"] == pd.Timestamp("2024-10-30")
        assert 7.8 <= row["tariff_rate_pct"] <= 35.3


# --- validation of the new columns ---


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    import shutil

    from evsupply.core.paths import data_dir

    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    return target


def set_measure(folder: Path, measure_id: str, column: str, value: str) -> int:
    """Set one cell of a trade_measures row; return its file line."""
    rows = read_rows(folder / TM)
    k, c = rows[0].index("measure_id"), rows[0].index(column)
    i = next(i for i, r in enumerate(rows) if r[k] == measure_id)
    rows[i][c] = value
    write_rows(folder / TM, rows)
    return i + 1


def errors(folder: Path) -> list[Problem]:
    return [p for p in validate(folder) if p.level == "error" and p.rule != "freshness"]


@pytest.mark.parametrize(
    ("column", "value"),
    [("vehicle_form", "kit"), ("vehicle_form", "complete|"), ("min_duty_usd_per_unit", "-1"), ("product_scope", "ev")],
)
def test_new_measure_columns_reject_bad_values(broken: Path, column: str, value: str) -> None:
    line = set_measure(broken, "tur_emy_ev_2025", column, value)
    found = errors(broken)
    assert [(Path(p.file).name, p.line, p.column, p.rule) for p in found] == [(TM, line, column, "constraint")]


def test_base_rates_of_different_forms_do_not_overlap_but_same_forms_do(broken: Path) -> None:
    # bra_mfn_passenger_cars covers complete cars; a base row for CKD kits on the same days is no conflict...
    rows = read_rows(broken / TM)
    header = rows[0]
    base = dict(zip(header, next(r for r in rows if r[0] == "bra_mfn_passenger_cars"), strict=True))
    write_rows(
        broken / TM, [*rows, [(base | {"measure_id": "test_ckd_base", "vehicle_form": "ckd"})[h] for h in header]]
    )
    assert errors(broken) == []
    # ...but one that also covers complete cars is.
    set_measure(broken, "test_ckd_base", "vehicle_form", "complete|ckd")
    assert [p.rule for p in errors(broken)] == ["one base rate"]


# --- US duty stacks: the Federal Register behind the aggregators (issue 16, item 1) ---


@pytest.mark.parametrize(
    ("measure_id", "source_id", "published"),
    [
        ("us_s232_autos_25", "fr_2025_04_03_proclamation_10908", "2025-04-03"),
        ("us_s301_china_ev_100", "fr_2024_09_18_section301_modification", "2024-09-18"),
    ],
)
def test_us_duties_name_their_federal_register_act(
    t: evsupply.Tables, measure_id: str, source_id: str, published: str
) -> None:
    source = t["sources"].set_index("source_id").loc[source_id]
    assert source["source_kind"] == "primary_regulator"
    assert source["published_date"] == pd.Timestamp(published)
    assert source_id in measure(t, measure_id)["note"]
    # The duty starts on or after the act's publication: 2025-04-03 (Section 232), 2024-09-27 (Section 301).
    assert measure(t, measure_id)["valid_from"] >= pd.Timestamp(published)


def test_one_price_undertaking_and_byd_still_pays_its_rate_in_2026(t: evsupply.Tables) -> None:
    # Only the Cupra Tavascan undertaking was accepted up to 2026-12 (audit B2; the row's note): a China-built BYD
    # pays 10% (autospies_2018_06_eu_car_tariff) + 17.0% (wisetechacademy_eu_bev_cvd_2024) = 27 on 2026-12-01.
    rows = t["trade_measures"]
    undertakings = rows[(rows["market_id"] == "EUU") & rows["model_id"].notna()]
    assert list(undertakings["measure_id"]) == ["eu_cvd_bev_china_vw_anhui_undertaking"]
    assert duty(t, "byd_dolphin_surf", CHANGSHA, "EUU", "2026-12-01") == pytest.approx(27.0)


def test_a_minimum_without_a_rate_is_refused(broken: Path) -> None:
    # A sales ban has no rate: a per-car minimum on it is an error located on its row and column.
    line = set_measure(broken, "us_cv_china_nexus_my2027", "min_duty_usd_per_unit", "1000")
    found = errors(broken)
    assert [(Path(p.file).name, p.line, p.column, p.rule) for p in found] == [
        (TM, line, "min_duty_usd_per_unit", "minimum duty")
    ]
