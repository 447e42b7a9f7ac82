"""The battery layer on the real tables: each answer pinned with its source, and the rules that guard the tables.

Expected values come from the sources named (the research notes of 2026-12 give their URLs and quotes) or from
arithmetic written here.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from kit import read_rows, set_cell, write_rows

import evsupply
from evsupply.analysis.batteries import cells as batteries
from evsupply.analysis.trade import policy
from evsupply.data.validate import validate
from evsupply.errors import ParameterError
from evsupply.findings.batteries import battery_findings, cells_from

ON = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def tables() -> evsupply.Tables:
    return evsupply.load()


# --- battery_origin: the preferred claim on a day, or unknown ---


def test_the_china_built_polestar_4_has_catl_cells(tables: evsupply.Tables) -> None:
    # asiae_2024_08_13_polestar4_launch: "the Polestar 4 carries a 100 kWh ternary lithium-ion battery; the maker is
    # China's CATL" (the source was news1_2024_08_13_polestar4_catl, same event, until the 2026-12-08 audit).
    o = batteries.battery_origin(tables, "polestar_4", "geely_hangzhou_bay", ON)
    assert (o.cell_maker_id, o.supply_evidence, o.evidence) == ("catl", "stated_by_maker", "reported")
    assert o.is_known
    # The source names no cell plant nor the cells' country: left unknown, not guessed from CATL's nationality.
    assert (o.battery_plant_id, o.cell_country_code) == (None, None)
    assert o.source_ids == ("asiae_2024_08_13_polestar4_launch",)


def test_the_busan_built_polestar_4_answers_unknown_with_its_evidence(tables: evsupply.Tables) -> None:
    # fnnews_busan_2024_08_13_battery: "Korean batteries considered for Busan production next year"; nothing later.
    o = batteries.battery_origin(tables, "polestar_4", "renault_korea_busan", ON)
    assert not o.is_known
    assert (o.supply_evidence, o.evidence) == ("unknown", "none_found")
    assert (o.cell_maker_id, o.cell_country_code, o.chemistry) == (None, None, None)
    assert o.source_ids == ("fnnews_busan_2024_08_13_battery",)


def test_no_look_ahead_the_busan_claim_of_2023_holds_before_the_2024_one(tables: evsupply.Tables) -> None:
    o = batteries.battery_origin(tables, "polestar_4", "renault_korea_busan", "2024-01-01")
    assert o.source_ids == ("mtoday_2023_11_busan_battery",)
    # Before any claim was made, nothing is known, and it says so.
    before = batteries.battery_origin(tables, "polestar_4", "renault_korea_busan", "2023-01-01")
    assert before.supply_id is None and before.supply_evidence == "unknown"


def test_byd_at_szeged_has_cells_from_china(tables: evsupply.Tables) -> None:
    # vg_2024_08_byd_szeged_batteries: "they bring them from China and fit them into the cars at Szeged".
    for model in ("byd_dolphin_surf", "byd_atto_2"):
        o = batteries.battery_origin(tables, model, "byd_szeged", ON)
        assert o.cell_country_code == "CHN"
        assert o.evidence == "reported"
        assert o.cell_maker_id is None  # not named by the source


def test_kit_assembly_is_an_inference_not_a_report(tables: evsupply.Tables) -> None:
    # automotivelogistics_2025_magna_xpeng: SKD kits imported from China, so the pack comes from China (inferred).
    o = batteries.battery_origin(tables, "xpeng_g6", "magna_steyr_graz", ON)
    assert (o.cell_country_code, o.supply_evidence, o.evidence) == ("CHN", "inferred_from_kits", "estimated")


def test_battery_origin_refuses_unknown_ids(tables: evsupply.Tables) -> None:
    with pytest.raises(ParameterError, match="model_id"):
        batteries.battery_origin(tables, "no_such_model", "byd_szeged", ON)
    with pytest.raises(ParameterError, match="on_date"):
        batteries.battery_origin(tables, "xpeng_g6", "magna_steyr_graz", "not a date")


# --- duties on imported cells, in the same engine as the car duties ---


def test_section_301_on_chinese_ev_batteries_is_25_pct_from_2024_09_27_and_7_5_the_day_before(
    tables: evsupply.Tables,
) -> None:
    # tuttlelaw_2024_09_18_301 (89 FR 76581): 25% from 2024-09-27; wenxuecity_ustr_301_final_table: 7.5% before.
    def s301(day: str) -> float:
        duty = batteries.battery_duty(tables, "CHN", "USA", day)
        rows = duty.measures[duty.measures["measure_type"] == "section_301"]
        assert len(rows) == 1
        return float(rows["applied_pct"].iloc[0])

    assert s301("2024-09-26") == 7.5
    assert s301("2024-09-27") == 25.0
    # The total adds the 3.4% MFN on HTSUS 8507.60 (arentfox_usmca_emobility): 3.4 + 25 = 28.4.
    assert batteries.battery_duty(tables, "CHN", "USA", "2024-09-27").total_duty_pct == pytest.approx(28.4)


def test_non_ev_lithium_batteries_rise_to_25_pct_on_2026_01_01(tables: evsupply.Tables) -> None:
    # wenxuecity_ustr_301_final_table: "Lithium-ion non-electrical vehicle batteries | 25% | January 1, 2026 | 7.5%".
    before = batteries.battery_duty(tables, "CHN", "USA", "2025-12-31", for_ev=False).total_duty_pct
    after = batteries.battery_duty(tables, "CHN", "USA", "2026-01-01", for_ev=False).total_duty_pct
    assert (before, after) == (pytest.approx(3.4 + 7.5), pytest.approx(3.4 + 25))


def test_korean_cells_pay_no_section_301(tables: evsupply.Tables) -> None:
    duty = batteries.battery_duty(tables, "KOR", "USA", ON)
    assert duty.total_duty_pct == pytest.approx(3.4)


def test_battery_measures_never_reach_a_car(tables: evsupply.Tables) -> None:
    # The China-built Polestar 4 into the US on 2026-03-01 pays 127.5% (test_corrections.py): no battery row.
    access = policy.market_access(tables, "polestar_4", "geely_hangzhou_bay", "USA", "2026-03-01")
    scopes = tables["trade_measures"].set_index("measure_id")["product_scope"]
    assert not access.measures["measure_id"].map(scopes).isin(list(batteries.BATTERY_SCOPES.values())).any()
    assert access.total_duty_pct == pytest.approx(127.5)


# --- conditions that turn on battery origin: named, not guessed ---


def test_the_ckfta_origin_of_a_busan_car_is_undecided_and_named(tables: evsupply.Tables) -> None:
    conds = batteries.market_conditions(tables, "polestar_4", "renault_korea_busan", "CAN", ON).set_index("rule_id")
    assert conds.loc["ckfta_origin_korean_cars", "status"] == "undecided"
    # Canada's rebate turns on where the car is made (castanet_cp_2026_02_05_ev_rebates): decidable. Its predecessor,
    # iZEV, paused on 2025-01-13 (yahoo_2025_01_13_izev_paused), no longer holds on ON.
    assert conds.loc["can_ev_rebate_2026_fta", "status"] == "decided"
    assert "can_izev_fta_countries" not in conds.index
    access = policy.market_access(tables, "polestar_4", "renault_korea_busan", "CAN", ON)
    assert any(line.text.startswith("Undecided: Canada–Korea FTA rules of origin") for line in access.lines)


def test_the_eu_battery_passport_starts_on_2027_02_18(tables: evsupply.Tables) -> None:
    # collectadpp_ev_battery_passport; Regulation (EU) 2023/1542, Article 77.
    def rules(day: str) -> set[str]:
        return set(batteries.market_conditions(tables, "byd_dolphin_surf", "byd_szeged", "EUU", day)["rule_id"])

    assert "eu_battery_passport" not in rules("2027-02-17")
    assert "eu_battery_passport" in rules("2027-02-18")


# --- the table for every case ---


def test_battery_table_covers_every_case(tables: evsupply.Tables) -> None:
    table = batteries.battery_table(tables, ON)
    assert set(table["case_id"]) == set(tables["cases"]["case_id"])
    busan = table[(table["case_id"] == "busan_polestar_4") & (table["model_id"] == "polestar_4")].iloc[0]
    assert not busan["is_known"] and busan["is_cells_from_china"] is None
    assert "ckfta_origin_korean_cars" in busan["undecided_rule_ids"]


def test_the_ridgeville_ex90_pays_the_us_duty_on_its_chinese_cells(tables: evsupply.Tables) -> None:
    # batteryindustry_volvo_us_cells: CATL cells from China; US duty on them from 2024-09-27: 3.4 + 25 = 28.4%.
    table = batteries.battery_table(tables, ON)
    ex90 = table[table["model_id"] == "volvo_ex90"].iloc[0]
    assert (ex90["cell_maker_id"], ex90["cell_country_code"], ex90["cell_duty_market_id"]) == ("catl", "CHN", "USA")
    assert ex90["cell_duty_pct"] == pytest.approx(28.4)
    assert bool(ex90["is_cells_from_china"])


def test_the_cell_maker_look_through_reuses_ownership(tables: evsupply.Tables) -> None:
    # ttm_2026_01_viridi_owners: Viridi is 51% Zeekr, 49% Geely Auto: Zeekr controls the EX30's pack maker.
    control = evsupply.analysis.ownership.ultimate_controller(tables, "viridi_e_mobility", ON)
    assert control.chain[:2] == ("viridi_e_mobility", "zeekr_intelligent_technology")


# --- validation of the new tables ---


def _append(file: Path, **changes: str) -> int:
    rows = read_rows(file)
    new = dict(zip(rows[0], rows[1], strict=True)) | changes
    write_rows(file, [*rows, [new[h] for h in rows[0]]])
    return len(rows) + 1


def _errors(folder: Path) -> list:
    # The data were last re-read on 2026-12-08 (checked_on): an earlier "today" would flag those days as future.
    return [p for p in validate(folder, today=dt.date(2026, 12, 8)) if p.level == "error"]


def test_an_unknown_claim_that_names_a_maker_is_refused(data_copy: Path) -> None:
    file = data_copy / "battery_supply.csv"
    line = _append(file, supply_id="guess", supply_evidence="unknown", cell_maker_id="catl")
    found = _errors(data_copy)
    assert [(p.rule, p.line, p.column) for p in found] == [("battery supply", line, "cell_maker_id")]


def test_a_claim_that_names_nothing_must_say_unknown(data_copy: Path) -> None:
    file = data_copy / "battery_supply.csv"
    line = _append(file, supply_id="empty", supply_evidence="trade_press", cell_maker_id="", cell_country_code="")
    found = _errors(data_copy)
    assert [(p.rule, p.line, p.column) for p in found] == [("battery supply", line, "supply_evidence")]


def test_a_cell_country_must_match_its_cell_plant(data_copy: Path) -> None:
    file = data_copy / "battery_supply.csv"
    line = _append(file, supply_id="mismatch", battery_plant_id="catl_debrecen", cell_country_code="CHN")
    found = _errors(data_copy)
    assert [(p.rule, p.line, p.value) for p in found] == [("battery supply", line, "CHN")]


def test_a_battery_plant_outside_its_country_is_refused(data_copy: Path) -> None:
    file = data_copy / "battery_plants.csv"
    set_cell(file, 1, "latitude", "35.0")  # the first plant (CATL Debrecen, HUN) moved to Korea's latitude
    found = _errors(data_copy)
    assert [(Path(p.file).name, p.rule, p.line) for p in found] == [("battery_plants.csv", "coordinates in country", 2)]


def test_an_unknown_supply_evidence_word_is_refused(data_copy: Path) -> None:
    file = data_copy / "battery_supply.csv"
    set_cell(file, 1, "supply_evidence", "rumour")
    found = _errors(data_copy)
    assert [(Path(p.file).name, p.line, p.column) for p in found] == [("battery_supply.csv", 2, "supply_evidence")]


def test_a_battery_supply_row_must_name_a_known_model(data_copy: Path) -> None:
    file = data_copy / "battery_supply.csv"
    set_cell(file, 1, "model_id", "no_such_model")
    found = _errors(data_copy)
    assert [(Path(p.file).name, p.column) for p in found] == [("battery_supply.csv", "model_id")]


# --- findings (the report's opening lines), counted by hand from data/battery_supply.csv ---


def test_battery_findings_count_the_cells_from_china(tables: evsupply.Tables) -> None:
    # Case models with cells from China: BYD Dolphin Surf and Atto 2 at Szeged (stated by BYD), the EX90 at
    # Ridgeville (trade press), and six by kit assembly (Song Pro and King at Camaçari, Ebro s700, T03 at Tychy,
    # XPeng G6 and G9 at Graz): 9, of which 6 inferred. Looked for and not found: Polestar 4 at Busan, EX30 at
    # Ghent, B10 at Zaragoza: 3.
    found = {f.key: f for f in battery_findings(tables, ON)}
    first = found["cells_from_china"]
    assert first.numbers["cells_from_china"] == 9
    assert first.numbers["cells_from_china_inferred"] == 6
    assert first.numbers["cells_origin_none_found"] == 3
    assert first.evidence == "estimated"  # an inference among its inputs: never "reported"
    assert first.assumptions


def test_battery_findings_name_the_busan_gap_and_the_ex90_cell_duty(tables: evsupply.Tables) -> None:
    found = {f.key: f for f in battery_findings(tables, ON)}
    busan = found["cells_unknown:polestar_4:renault_korea_busan"]
    assert busan.evidence == "none_found"
    assert "Canada–Korea FTA rules of origin" in busan.text
    ex90 = found["cell_duty:volvo_ex90:volvo_ridgeville"]
    assert ex90.numbers["cell_duty_pct"] == pytest.approx(3.4 + 25)
    # The MFN row's start is assumed, so the stacked duty is our estimate, not a report.
    assert ex90.evidence == "estimated"
    assert {"batteryindustry_volvo_us_cells", "tuttlelaw_2024_09_18_301"} <= set(ex90.source_ids)
    # A model with no claim recorded is counted, never asserted on.
    assert "cells_unknown:polestar_3:volvo_ridgeville" not in found


def test_the_cells_from_line_of_the_atlas_and_the_briefs(tables: evsupply.Tables) -> None:
    busan = cells_from(tables, "polestar_4", "renault_korea_busan", ON)
    assert (busan.text, busan.evidence) == ("Cells from: the supplier was looked for and not found.", "none_found")
    szeged = cells_from(tables, "byd_dolphin_surf", "byd_szeged", ON)
    assert (szeged.text, szeged.evidence) == ("Cells from: made in China.", "reported")
    graz = cells_from(tables, "xpeng_g6", "magna_steyr_graz", ON)
    assert graz.evidence == "estimated" and "inferred" in graz.text
    ex90 = cells_from(tables, "volvo_ex90", "volvo_ridgeville", ON)
    assert ex90.text == ("Cells from: made by Contemporary Amperex Technology Co., Limited (CATL), made in China.")
    nothing = cells_from(tables, "polestar_3", "volvo_ridgeville", ON)
    assert nothing.source_ids == () and "no claim" in nothing.text
