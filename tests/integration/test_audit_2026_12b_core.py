"""The second 2026-12 audit, part 1 (the core case: data-audit-2026-12b.md), pinned on the real tables: each
expected value is the source's figure, or arithmetic on the sources' figures written here, with the id of the
source that supports it. Issue 23's acceptance pins are the first three tests."""

from __future__ import annotations

import pandas as pd
import pytest
from kit import one_row as row

import evsupply

AUDITED = pd.Timestamp("2026-12-08")
BUSAN, RIDGEVILLE, HZB = "renault_korea_busan", "volvo_ridgeville", "geely_hangzhou_bay"
KEYS = ["model_id", "plant_id", "market_id"]


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


def ids(access: object) -> set[str]:
    return set(access.measures["measure_id"])


# --- issue 23 acceptance ---


def test_a_korea_built_bev_into_mexico_on_2026_03_01(t: evsupply.Tables) -> None:
    # "select categories such as passenger vehicles reaching 50%", South Korea among the origins hit
    # (particle_2025_12_mexico_senate_non_fta); Korea has no FTA with Mexico, so the non-FTA rate applies.
    a = evsupply.policy.market_access(t, "polestar_4", BUSAN, "MEX", "2026-03-01")
    assert a.origin_country_code == "KOR" and a.is_allowed
    assert a.total_duty_pct == pytest.approx(50.0)
    assert ids(a) == {"mex_non_fta_cars_2026_kor"}
    assert "particle_2025_12_mexico_senate_non_fta" in a.source_ids
    # The same rate as a China-built car that day (particle_2025_12_29_mexico_decree).
    china = evsupply.policy.market_access(t, "polestar_4", HZB, "MEX", "2026-03-01")
    assert china.total_duty_pct == pytest.approx(50.0) and ids(china) == {"mex_non_fta_cars_2026"}
    # Before 2026 a Korea-built BEV paid the light-EV item's 15% like any origin (opportimes_2020_mexico_ev_tariff).
    before = evsupply.policy.market_access(t, "polestar_4", BUSAN, "MEX", "2025-12-31")
    assert before.total_duty_pct == pytest.approx(15.0)
    assert row(t.trade_measures, measure_id="mex_non_fta_cars_2026_kor")["checked_on"] == AUDITED


def test_the_ridgeville_to_us_lane_on_2027_01_01_ends_on_the_busan_exit(t: evsupply.Tables) -> None:
    # "Polestar is to exit the US market after the US Department of Commerce said it would not grant ... authorisation
    # to sell its vehicles" (benchmark_2026_polestar_refused, 2026-06-29): the same exit ends both US lanes.
    on = evsupply.claims.latest(t.production, KEYS, "2027-01-01").set_index(KEYS)
    ridgeville = on.loc[("polestar_3", RIDGEVILLE, "USA")]
    busan = on.loc[("polestar_4", BUSAN, "USA")]
    assert ridgeville["production_status"] == busan["production_status"] == "ended"
    assert ridgeville["end_date"] == busan["end_date"] == pd.Timestamp("2026-06-29")
    assert ridgeville["source_id"] == busan["source_id"] == "benchmark_2026_polestar_refused"
    live = evsupply.lanes.live_lanes(t.production, 2027)
    us = live[live["market_id"] == "USA"]
    assert not (us["plant_id"].isin([RIDGEVILLE, BUSAN])).any()
    # Ridgeville → Europe is not touched (evertiq_2024_08_15).
    assert ((live["plant_id"] == RIDGEVILLE) & (live["market_id"] == "EUU")).any()
    state = evsupply.state.state_of_play(t, "ridgeville_polestar_3", "2027-01-01")
    # The US lane ended on the exit day; the plant builds on for Europe, so its production has not ended.
    assert [(m, pd.Timestamp(d)) for m, d in state.status["ended_lanes"]] == [("USA", pd.Timestamp("2026-06-29"))]
    assert pd.isna(state.status["production_end"])
    # Before the exit the lane was in production (August 2024, evertiq_2024_08_15).
    before = evsupply.claims.latest(t.production, KEYS, "2026-03-01").set_index(KEYS)
    assert before.loc[("polestar_3", RIDGEVILLE, "USA"), "production_status"] == "in_production"


def test_zeekr_owner_on_2026_01_01(t: evsupply.Tables) -> None:
    # "Effective on December 22, 2025, Geely acquired all the issued and outstanding ordinary shares of Zeekr"
    # (sec_geely_15f_2025_zeekr): 100% Geely Automobile Holdings.
    s = evsupply.ownership.direct_stakes(t, "2026-01-01")
    zeekr = s[s["owned_id"] == "zeekr_intelligent_technology"]
    assert list(zeekr["owner_id"]) == ["geely_automobile_holdings"]
    assert float(zeekr["stake_pct"].iloc[0]) == 100.0 and zeekr["source_id"].iloc[0] == "sec_geely_15f_2025_zeekr"
    control = evsupply.ownership.ultimate_controller(t, "zeekr_intelligent_technology", "2026-01-01")
    assert control.controller_id == "geely_automobile_holdings"
    # The day before the merger took effect no owner of Zeekr is recorded (its ~65% before it is not entered).
    before = evsupply.ownership.direct_stakes(t, "2025-12-21")
    assert not (before["owned_id"] == "zeekr_intelligent_technology").any()
    # Incorporated in the Cayman Islands (fastedgar_zeekr_2025_08_egm_notice), no longer unknown (ZZZ).
    company = row(t.companies, company_id="zeekr_intelligent_technology")
    assert (company["country_code"], company["source_id"]) == ("CYM", "fastedgar_zeekr_2025_08_egm_notice")


# --- finding 4: Canada's incentive ---


def test_canadas_incentive_rule_is_the_2026_rebate_not_izev(t: evsupply.Tables) -> None:
    # iZEV paused on 2025-01-13, "funds have been fully committed" (yahoo_2025_01_13_izev_paused); the rebate from
    # 2026-02-16 only for cars "imported from a country with a free-trade agreement with Canada" under $50,000
    # (castanet_cp_2026_02_05_ev_rebates).
    def rules(day: str) -> set[str]:
        conds = evsupply.batteries.market_conditions(t, "polestar_4", BUSAN, "CAN", day)
        return set(conds["rule_id"])

    assert "can_izev_fta_countries" in rules("2025-01-12")
    assert not {"can_izev_fta_countries", "can_ev_rebate_2026_fta"} & rules("2025-06-01")
    assert "can_ev_rebate_2026_fta" in rules("2026-03-01") and "can_izev_fta_countries" not in rules("2026-03-01")
    rebate = row(t.origin_rules, rule_id="can_ev_rebate_2026_fta")
    assert (rebate["valid_from"], rebate["source_id"]) == (
        pd.Timestamp("2026-02-16"),
        "castanet_cp_2026_02_05_ev_rebates",
    )
    assert "$50,000" in rebate["source_quote"] and rebate["depends_on"] == "vehicle_origin"
    izev = row(t.origin_rules, rule_id="can_izev_fta_countries")
    assert izev["valid_to"] == pd.Timestamp("2025-01-12") and "yahoo_2025_01_13_izev_paused" in izev["note"]


# --- findings 6 and 9: batteries ---


def test_the_china_built_polestar_4_has_ternary_catl_cells(t: evsupply.Tables) -> None:
    # "100㎾h 용량의 삼원계 리튬이온배터리 ... 배터리 제조사는 중국 CATL" (asiae_2024_08_13_polestar4_launch):
    # ternary cells, read as NMC.
    o = evsupply.batteries.battery_origin(t, "polestar_4", HZB, "2026-03-01")
    assert (o.cell_maker_id, o.chemistry) == ("catl", "NMC")
    assert o.source_ids == ("asiae_2024_08_13_polestar4_launch",)
    assert o.cell_country_code is None  # the page names no cell plant: not guessed


def test_the_ex90_catl_claim_is_dated_to_the_analyst_call(t: evsupply.Tables) -> None:
    # "Rowan said on a Feb. 6 analyst call" (itiger_2025_02_volvo_ex90_batteries), reported by the cited copy as
    # "last week" (batteryindustry_volvo_us_cells): 2025-02-06, not 2024-11-30.
    claim = row(t.battery_supply, supply_id="volvo_ex90_ridgeville_catl")
    assert claim["as_of_date"] == pd.Timestamp("2025-02-06") and claim["cell_maker_id"] == "catl"
    assert claim["checked_on"] == AUDITED and "itiger_2025_02_volvo_ex90_batteries" in claim["note"]


def test_catl_debrecen_cells_not_started_and_asked(t: evsupply.Tables) -> None:
    # "die eigene Zellproduktion in Ungarn läuft noch nicht" (electrive_net_2025_12_05_catl_debrecen): no start found.
    plant = row(t.battery_plants, battery_plant_id="catl_debrecen")
    assert plant["plant_status"] == "under_construction" and "electrive_net_2025_12_05_catl_debrecen" in plant["note"]
    q = row(t.open_questions, question_id="catl_debrecen_cell_start")
    assert q["look_again_date"] > AUDITED


# --- finding 8: quotes on the page they cite ---


def test_the_zaragoza_rows_quote_aptis_own_words(t: evsupply.Tables) -> None:
    # APTI: "The company aims to start production by end of 2026 at Stellantis’s Zaragoza site"
    # (apti_2024_12_catl_stellantis_zaragoza); the earlier quote was the Stellantis release's.
    words = "The company aims to start production by end of 2026 at Stellantis’s Zaragoza site"
    quotes = [
        row(t.battery_plants, battery_plant_id="catl_stellantis_zaragoza")["source_quote"],
        row(t.battery_supply, supply_id="leapmotor_b10_zaragoza_unknown")["source_quote"],
        row(t.companies, company_id="contemporary_star_energy")["source_quote"],
    ]
    assert all(q.startswith(words) for q in quotes)
    # The value stays: 50 GWh (same page, "could reach up to 50GWh capacity").
    assert "up to 50GWh" in quotes[0]


def test_the_psd_control_quote_stands_the_page_wins_over_the_audit(t: evsupply.Tables) -> None:
    # The audit said the ainvest quote was not on its page; the stored page has it word for word.
    control = row(t.shareholders, owner_id="li_shufu", owned_id="psd_investment", source_id="ainvest_2025_06_17_psd")
    assert control["source_quote"] == "PSD Investment, a company controlled by Geely Holding founder Li Shufu"
    assert control["checked_on"] == AUDITED and "the page wins" in control["note"]


# --- finding 7: pages that can be read, and what they add ---


def test_renault_korea_january_2026_domestic_and_exports(t: evsupply.Tables) -> None:
    # "1월 내수 판매는 2,239대에 그쳤다" and a total of 3,732 (autosketchnews_2026_02_rk_january):
    # exports = 3,732 - 2,239.
    total = row(t.observations, observation_id="rk_sales_2026_01")
    dom = row(t.observations, observation_id="rk_domestic_2026_01")
    exp = row(t.observations, observation_id="rk_exports_2026_01")
    assert (dom["vehicles_count"], dom["basis"]) == (2_239, "reported")
    assert (exp["vehicles_count"], exp["basis"]) == (3_732 - 2_239, "derived") == (1_493, "derived")
    assert dom["vehicles_count"] + exp["vehicles_count"] == total["vehicles_count"]
    assert {dom["source_id"], exp["source_id"]} == {"autosketchnews_2026_02_rk_january"}
    # The page's own changes against January 2025 (2,601 domestic, 1,216 exports, asiatoday_2025_02_03):
    # -13.9% and +22.8%.
    assert round(2_601 * (1 - 0.139)) == 2_239 and round(1_216 * 1.228) == 1_493


def test_source_notes_no_longer_say_a_readable_page_is_unread(t: evsupply.Tables) -> None:
    # The Candeias Mix page is in the store: "Atualmente, a fábrica na Bahia conta com mais de 2 mil colaboradores".
    src = row(t.sources, source_id="candeiasmix_byd_restart_2026")
    assert "not in our search store, so not re-read" not in src["note"]
    assert "Re-read in our search store on 2026-12-08" in src["note"] and src["accessed_date"] == AUDITED


@pytest.mark.parametrize("source_id", ["autosketchnews_2026_02_rk_january", "newdaily_2024_01_03"])
def test_pages_the_second_reading_could_not_find_say_so(t: evsupply.Tables, source_id: str) -> None:
    # Second reading of 2026-12-08: neither page came up in the store by quote, figures or URL.
    assert "second reading 2026-12-08" in row(t.sources, source_id=source_id)["note"].lower()
    assert source_id in row(t.open_questions, question_id="core_unread_pages")["note"]


# --- finding 10: Brazil's CKD kits in 2026 ---


def test_a_ckd_kit_into_brazil_after_the_quota(t: evsupply.Tables) -> None:
    # "a alíquota é de 16% para kits CKD" from 2026-02-01 (mistobrasil_2026_02_brazil_kits); "cerca de 14%" before
    # (em_2026_02_04_brazil_kits); 35% from 2027-01-01 (uol_2025_07_30_gecex_ckd_skd).
    def access(day: str) -> object:
        return evsupply.policy.market_access(t, "byd_dolphin_mini", "byd_changsha", "BRA", day, form="ckd")

    assert access("2026-01-31").total_duty_pct == pytest.approx(14.0)
    after = access("2026-02-01")
    assert after.total_duty_pct == pytest.approx(16.0) and ids(after) == {"bra_kit_ckd_2026_02"}
    assert "mistobrasil_2026_02_brazil_kits" in after.source_ids
    assert access("2027-01-01").total_duty_pct == pytest.approx(35.0)


# --- finding 2 and the unverifiable rows: kept, the reason written down ---


def test_polestars_february_2026_estimates_are_kept_with_the_conversion_case(t: evsupply.Tables) -> None:
    # Kept: 33,949,660 / 12,677,431 / 17,204,885 ADSs over 113,186,664 (pubt_ttm_2026_02_02_polestar_equity).
    # If the ~US$300m conversion closed at US$19.34 (+15,511,892 ADSs, sec_polestar_ex993_conversion_2025):
    n = 113_186_664 + 15_511_892
    alt = (33_949_660 / n, 12_677_431 / n, (17_204_885 + 15_511_892) / n)
    assert tuple(round(100 * x, 1) for x in alt) == (26.4, 9.9, 25.4)
    s = evsupply.ownership.direct_stakes(t, "2026-03-01")
    s = s[(s["owned_id"] == "polestar") & (s["interest_type"] == "shareholding")].set_index("owner_id")
    assert tuple(s.loc[o, "stake_pct"] for o in ("psd_investment", "volvo_cars", "geely_sweden_holdings")) == (
        30.0,
        11.2,
        15.2,
    )
    sh = t.shareholders
    kept = sh[(sh["owned_id"] == "polestar") & (sh["valid_from"] == pd.Timestamp("2026-02-05")) & sh["is_preferred"]]
    assert len(kept) == 3
    assert all("PSD 26.4%, Volvo Cars 9.9%, Geely Sweden 25.4%" in note for note in kept["note"])
    assert (kept["checked_on"] == AUDITED).all()


def test_rows_whose_page_cannot_be_read_say_so_and_are_asked_again(t: evsupply.Tables) -> None:
    q = row(t.open_questions, question_id="core_unread_pages")
    assert q["look_again_date"] > AUDITED and q["looked_on_date"] == AUDITED
    unread = ("rk_production_2023", "rk_exports_2023", "ebro_zona_franca_production_2025_jan_sep", "rk_sales_2026_01")
    for oid in unread:
        assert f"observations:{oid}" in q["rows_affected"]
        assert "core_unread_pages" in row(t.observations, observation_id=oid)["note"]
    # Not re-read, so not re-dated: checked_on stays before the audit.
    assert row(t.observations, observation_id="rk_production_2023")["checked_on"] < AUDITED


@pytest.mark.parametrize(
    ("oid", "count", "source_id"),
    [
        # "생산량은 지난해 11월 1만8758대에서 다음 달(12월) 6432대로" (economist_kr_2023_04_10)
        ("rk_production_2022_11", 18_758, "economist_kr_2023_04_10"),
        ("rk_production_2022_12", 6_432, "economist_kr_2023_04_10"),
        # "총 16만4656대다" (consumernews_2023_05_18)
        ("rk_production_2022", 164_656, "consumernews_2023_05_18"),
        # "Em 2024, a fábrica produziu 180.000 veículos." (em_2025_11_03_afp)
        ("ayrton_senna_production_2024_afp", 180_000, "em_2025_11_03_afp"),
        # "Em 2024, a unidade de Curitiba produziu 188.000 veículos" (dinheirovivo_2025_11_03)
        ("ayrton_senna_production_2024_lusa", 188_000, "dinheirovivo_2025_11_03"),
        # "전년 5만 2,621대 대비 58% 무너져" (autodiary_2024_01_domestic_2023)
        ("rk_domestic_2022", 52_621, "autodiary_2024_01_domestic_2023"),
    ],
)
def test_pages_found_on_the_second_reading_confirm_their_rows(
    t: evsupply.Tables, oid: str, count: int, source_id: str
) -> None:
    r = row(t.observations, observation_id=oid)
    assert (r["vehicles_count"], r["source_id"], r["checked_on"]) == (count, source_id, AUDITED)
    assert f"observations:{oid}" not in row(t.open_questions, question_id="core_unread_pages")["rows_affected"]


def test_the_busan_polestar_4s_canadian_price_is_read_again(t: evsupply.Tables) -> None:
    # "will land in the fall of 2025 at a price of $67,600 CAD" (auto123_polestar_canada), in the store after all.
    p = t.model_prices
    price = p[(p["model_id"] == "polestar_4") & (p["market_id"] == "CAN")].iloc[0]
    assert (price["price_amount"], price["currency_code"], price["checked_on"]) == (67_600, "CAD", AUDITED)


def test_geely_holdings_39pct_is_flagged_by_the_zeekr_merger(t: evsupply.Tables) -> None:
    # "approximately 39%" (bambooworks_2025_02_geely_brazil) predates the merger's new Geely Auto shares.
    stake = row(t.shareholders, owner_id="zhejiang_geely_holding", owned_id="geely_automobile_holdings", stake_pct=39.0)
    assert "geely_stakes_primary" in stake["note"] and stake["checked_on"] == AUDITED
    q = row(t.open_questions, question_id="geely_stakes_primary")
    assert "sec_geely_15f_2025_zeekr" in q["note"] and q["look_again_date"] > AUDITED


# --- the world moved: Busan and Korea in 2026 ---


def test_busan_for_korea_is_still_unconfirmed_in_february_2026(t: evsupply.Tables) -> None:
    # "no specific plan has been decided yet" (asiae_en_2026_02_11, 2026-02-11): the latest claim, not a start.
    on = evsupply.claims.latest(t.production, KEYS, "2026-12-08").set_index(KEYS)
    claim = on.loc[("polestar_4", BUSAN, "KOR")]
    assert (claim["production_status"], claim["source_id"]) == ("unconfirmed", "asiae_en_2026_02_11")
    assert claim["as_of_date"] == pd.Timestamp("2026-02-11") and pd.isna(claim["start_date"])
    live = evsupply.lanes.live_lanes(t.production, 2026)
    assert not ((live["plant_id"] == BUSAN) & (live["market_id"] == "KOR")).any()


def test_renault_korea_2023_domestic_rests_on_a_page_we_can_read(t: evsupply.Tables) -> None:
    # "르노코리아는 2만 2,048대를 기록하며" (autodiary_2024_01_domestic_2023, in the store on the second reading);
    # the total, "르노코리아는 10만4276대로 전년(16만9641대)보다 38.5%나 감소" (newdaily_2024_01_03),
    # was not found then.
    total = row(t.observations, observation_id="rk_sales_2023")
    dom = row(t.observations, observation_id="rk_domestic_2023")
    assert (total["vehicles_count"], dom["vehicles_count"]) == (104_276, 22_048)
    assert (dom["source_id"], dom["checked_on"]) == ("autodiary_2024_01_domestic_2023", AUDITED)
    assert "2만 2,048대" in dom["source_quote"]
    assert total["source_id"] == "newdaily_2024_01_03"
    assert "observations:rk_sales_2023" in row(t.open_questions, question_id="core_unread_pages")["rows_affected"]
    # Exports by difference, and 2022's domestic figure from the 58.1% fall: 22,048 / (1 - 0.581) = 52,621.
    assert row(t.observations, observation_id="rk_exports_2023")["vehicles_count"] == 104_276 - 22_048
    assert row(t.observations, observation_id="rk_domestic_2022")["vehicles_count"] == round(22_048 / (1 - 0.581))
