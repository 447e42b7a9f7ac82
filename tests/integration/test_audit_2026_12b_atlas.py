"""The second 2026-12 audit, part 2 (the atlas), pinned on the real tables: each expected value is the source's
figure, or arithmetic on the sources' figures written here, with the id of the source that supports it."""

from __future__ import annotations

import pandas as pd
import pytest
from kit import one_row as one

import evsupply
from evsupply.analysis.cases.state import state_of_play
from evsupply.analysis.ownership import direct_stakes
from evsupply.analysis.trade.policy import market_access
from evsupply.findings.brief import state_line, state_lines


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def stakes(t: evsupply.Tables, owned: str, day: str) -> dict[str, float]:
    s = direct_stakes(t, day)
    s = s[(s["owned_id"] == owned) & (s["interest_type"] == "shareholding")]
    return dict(zip(s["owner_id"], s["stake_pct"].astype(float), strict=True))


# --- 2.8: Proton's owners from the completion (2017-09-29), not the signing (2017-06-23) ---


def test_proton_before_completion_is_drb_hicoms_alone(t: evsupply.Tables) -> None:
    # theborneopost_2017_06_24_geely_proton: "Proton ... is a wholly-owned unit of DRB".
    assert stakes(t, "proton", "2017-07-01") == {"drb_hicom": 100.0}


def test_proton_after_completion_is_501_and_499(t: evsupply.Tables) -> None:
    # thestar_2017_09_29_drb_proton: DRB-Hicom "now reduced to 50.1%", "the remaining 49.9% ... now held by Geely".
    assert stakes(t, "proton", "2017-10-01") == {"drb_hicom": 50.1, "zhejiang_geely_holding": 49.9}
    geely = one(t.shareholders, owner_id="zhejiang_geely_holding", owned_id="proton")
    assert (str(geely["valid_from"].date()), geely["source_id"]) == ("2017-09-29", "thestar_2017_09_29_drb_proton")


# --- 2.18: Türkiye, a China-built hybrid ---


def test_turkiye_china_hybrid_on_2026_01_01(t: evsupply.Tables) -> None:
    # From 2025-11-21 the blanket obligation replaces the China-specific duty: 10% CET (tur_cet_passenger_cars)
    # + 25% (yenicag_2025_09_22_turkey_emy / aksehirtso_2025_09_22_decree_10436) = 35%.
    access = market_access(t, "gwm_haval_h6_hev", "gwm_tianjin", "TUR", "2026-01-01")
    assert access.total_duty_pct == 10 + 25
    assert "aksehirtso_2025_09_22_decree_10436" in access.source_ids


def test_turkiye_china_hybrid_in_2025_kept_at_50_with_an_open_question(t: evsupply.Tables) -> None:
    # haberfokus_2025_01_02_turkey_china_50: petrol and hybrid raised from 40% to 50%; 10% + 50% = 60%. The decree
    # itself was not found, so the row stays and an open question names it.
    assert market_access(t, "gwm_haval_h6_hev", "gwm_tianjin", "TUR", "2025-06-01").total_duty_pct == 10 + 50
    q = one(t.open_questions, question_id="tur_hev_2025_decree")
    assert "trade_measures:tur_igv_china_hev_2025" in q["rows_affected"]


def test_turkiye_byd_exemption_names_its_quota_and_guarantee(t: evsupply.Tables) -> None:
    # ekonomist_2025_12_24_bolat_byd: "kontenjan aşımı" (quota) and "teminat mektubu verilmesi zorunludur".
    ids = ["tur_igv_china_ev_40_byd_exempt", "tur_emy_ev_2025_byd_exempt", "tur_igv_china_phev_2024_byd_exempt"]
    ids.append("tur_emy_phev_2025_byd_exempt")
    q = one(t.open_questions, question_id="tur_byd_exemption_quota")
    for measure_id in ids:
        row = one(t.trade_measures, measure_id=measure_id)
        assert "ekonomist_2025_12_24_bolat_byd" in row["note"] and "kontenjan" in row["note"]
        assert f"trade_measures:{measure_id}" in q["rows_affected"]
    # A BYD BEV from China still pays 10% all-in on 2026-01-01 (the quota's size is unknown).
    assert market_access(t, "byd_dolphin", "byd_changsha", "TUR", "2026-01-01").total_duty_pct == 10


# --- 2.14: Ridgeville -> US ends on the same exit as Busan -> US ---


def test_ridgeville_us_lane_ended_like_busans(t: evsupply.Tables) -> None:
    # benchmark_2026_polestar_refused (2026-06-29): Polestar "is to exit the US market".
    rid = state_of_play(t, "ridgeville_polestar_3", "2027-01-01")
    busan = state_of_play(t, "busan_polestar_4", "2027-01-01")
    ended = [dict(s.status["ended_lanes"]) for s in (rid, busan)]
    assert all(pd.Timestamp(lanes["USA"]) == pd.Timestamp("2026-06-29") for lanes in ended)
    assert pd.isna(rid.status["production_end"]) and pd.isna(busan.status["production_end"])  # both plants go on


# --- 2.6: BYD Subang built and in trial ---


def test_byd_subang_is_no_longer_under_construction(t: evsupply.Tables) -> None:
    # infootomotif_2026_01_byd_subang (construction and certification done at end-2025) and
    # inews_2026_byd_subang_trial ("trial produksi itu tengah dijalankan").
    plant = one(t.plants, plant_id="byd_subang")
    assert plant["plant_status"] == "operating"
    assert "inews_2026_byd_subang_trial" in plant["note"] and "belum beroperasi" in plant["note"]


# --- 2.2: GWM Rayong, 80,000 preferred over 120,000 ---


def test_gwm_rayong_preferred_capacity_is_the_nations_80000(t: evsupply.Tables) -> None:
    cap = t.plant_capacity
    pref = cap[(cap["plant_id"] == "gwm_rayong") & cap["is_preferred"].astype(bool)]
    latest = pref.sort_values("as_of_date").iloc[-1]
    assert (latest["capacity_units_per_year"], latest["source_id"]) == (
        80000,
        "nationthailand_2025_chinese_plants_thailand",
    )


# --- 2.11: the H6 built at Iracemápolis is a plug-in too ---


def test_iracemapolis_builds_the_h6_phev(t: evsupply.Tables) -> None:
    # mobiauto_2025_08_gwm_h6_gt_first: the first car was an H6 GT (1.5 turbo petrol + two electric motors, 34 kWh).
    assert one(t.models, model_id="gwm_haval_h6_phev")["powertrain"] == "PHEV"
    row = one(t.production, model_id="gwm_haval_h6_phev", plant_id="gwm_iracemapolis", market_id="BRA")
    assert (row["production_status"], row["evidence"]) == ("in_production", "observed")


# --- Issue 23 item 3: counts and bounds ---


def test_ghent_latest_count_is_the_ex30_in_2025(t: evsupply.Tables) -> None:
    # brusselstimes_2026_01_volvo_ghent_2025: 21,845 EX30 in 2025 (of 212,177 cars of every model); the 2021
    # figure (183,000, every model) is no longer the latest.
    count = state_of_play(t, "ghent_volvo_ex30", "2026-12-08").count
    assert (int(count["vehicles_count"]), count["bound"], count["model_id"]) == (21845, "exact", "volvo_ex30")
    assert count["source_id"] == "brusselstimes_2026_01_volvo_ghent_2025"
    total = one(t.observations, observation_id="volvo_ghent_production_2025")
    assert int(total["vehicles_count"]) == 156_977 + 24_565 + 21_845 + 8_790 == 212_177  # the models, same source


def test_byd_rayong_counts_at_least_900_dolphins_to_europe(t: evsupply.Tables) -> None:
    # people_cn_2025_08_26_byd_thailand_europe: "totaling over 900 units" (Britain, Germany, Belgium).
    state = state_of_play(t, "byd_rayong_case", "2026-12-08")
    c = state.count
    assert (int(c["vehicles_count"]), c["bound"], c["quantity"]) == (900, "lower_bound", "exports")
    assert pd.isna(c["market_id"])  # no split between Britain and the EU
    assert state.status["status"] == "exporting"
    assert "at least 900" in state_line(state_lines(state, t), "counted").text


def test_gwm_tula_at_least_440000_since_2019(t: evsupply.Tables) -> None:
    # carsru_2026_02_26_haval_tula: "более 440 тысяч автомобилей" since June 2019.
    c = state_of_play(t, "gwm_tula_case", "2026-12-08").count
    assert (int(c["vehicles_count"]), c["bound"], c["source_id"]) == (
        440000,
        "lower_bound",
        "carsru_2026_02_26_haval_tula",
    )


PRODUCING_WITHOUT_COUNT = {
    "byd_szeged_case": "szeged_output_count",
    "xpeng_graz_case": "graz_xpeng_output_count",
    "gwm_iracemapolis_case": "iracemapolis_output_count",
    "gwm_rayong_case": "gwm_rayong_output_count",
    "gac_aion_rayong_case": "gac_aion_rayong_output_count",
    "changan_rayong_case": "changan_rayong_output_count",
    "byd_jizzakh_case": "byd_jizzakh_output_count",
    "proton_tanjung_malim_case": "proton_ev_plant_output_count",
    "ridgeville_polestar_3": "ridgeville_last_us_car",
    # The 18 new cases of issue 23 item 2 (merged in 58c577b): producing, no count yet, each with its open question.
    "gac_aion_graz_case": "gac_aion_graz_count",
    "xpeng_handal_purwakarta_case": "xpeng_handal_count",
    "chery_handal_bekasi_case": "chery_handal_count",
    "geely_handal_purwakarta_case": "geely_handal_count",
    "avtotor_kaliningrad_changan_case": "avtotor_changan_count",
}


def test_every_producing_case_has_a_count_or_an_open_question(t: evsupply.Tables) -> None:
    # The rule of issue 23 item 3: a count or bound, else an open question with a look-again date.
    questions = t.open_questions.set_index("question_id")
    for case_id in t.cases["case_id"]:
        state = state_of_play(t, case_id, "2026-12-08")
        if state.status["status"] not in ("producing", "exporting") or state.count is not None:
            continue
        q = questions[questions["rows_affected"].str.contains(f"cases:{case_id}", regex=False)]
        assert len(q), f"{case_id}: producing, no count and no open question"
        assert (q["look_again_date"] > pd.Timestamp("2026-12-08")).all(), case_id


def test_a_count_older_than_two_years_has_an_open_question(t: evsupply.Tables) -> None:
    # people_cn_2023_05_04_saic_thailand: about 32,000 in 2022; 48 months before 2026-12-08.
    state = state_of_play(t, "saic_cp_chonburi_case", "2026-12-08")
    assert state.count_age_months == 48
    assert (
        "observations:saic_cp_production_2022"
        in one(t.open_questions, question_id="saic_cp_recent_output")["rows_affected"]
    )


# --- 2.7 and section 3: rows the cases lacked ---


def test_uzbekistan_charges_no_duty_on_a_china_built_bev(t: evsupply.Tables) -> None:
    # tashkenttimes_uzb_ev_zero_duty: "Zero rate import customs duty ... to electric cars (HS Code 870380) starting
    # from January 1, 2019".
    access = market_access(t, "byd_yuan_up", "byd_changsha", "UZB", "2026-01-01")
    assert access.total_duty_pct == 0
    assert "tashkenttimes_uzb_ev_zero_duty" in access.source_ids


def test_jizzakh_builds_the_chazor_and_plans_the_yuan_up(t: evsupply.Tables) -> None:
    # kunuz_2024_06_29_byd_uzbekistan: "The Chazor and Song Plus Champion models are currently produced here."
    chazor = one(t.production, model_id="byd_chazor", plant_id="byd_jizzakh", market_id="UZB")
    assert (chazor["production_status"], chazor["source_id"]) == ("in_production", "kunuz_2024_06_29_byd_uzbekistan")
    assert one(t.models, model_id="byd_chazor")["powertrain"] == "PHEV"
    # uzdaily_byd_yuan_up_jizzakh: "will start manufacturing the BYD Yuan Up" (a plan, not an observation).
    assert one(t.production, model_id="byd_yuan_up", plant_id="byd_jizzakh")["evidence"] == "announced"
