"""Trade statistics on hand-made tables: scopes that refuse to mix, year-to-date rules, frames and shares, the bound
that validation enforces, relocation against imports. Every expected value is worked out by hand in the test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from kit import Q, build_tables

from evsupply.analysis.trade import statistics as st
from evsupply.core.tables import Tables
from evsupply.data import trade_frames
from evsupply.data.changes import compare_table, format_text
from evsupply.errors import ParameterError
from evsupply.findings import trade_statistics as sentences


def stat(stat_id: str, series_id: str, start: str, end: str, **values: object) -> dict[str, object]:
    """A trade_statistics row: an export of Korea to the world, battery-electric cars, counted in vehicles."""
    row: dict[str, object] = {
        "stat_id": stat_id,
        "series_id": series_id,
        "reporter_code": "KOR",
        "partner_code": "WLD",
        "partner_basis": "unknown",
        "flow": "export",
        "trade_system": "unknown",
        "classification": "hs",
        "product_code": "870380",
        "powertrain_scope": "bev",
        "vehicle_condition": "new",
        "period_start": start,
        "period_end": end,
        "frequency": "month",
        "is_cumulative": "false",
        "quantity_basis": "reported",
        "publisher_name": "a customs office",
        "publisher_kind": "customs",
        "release_date": "2026-01-15",
        "vintage_date": "2026-12-08",
        "revision_status": "unknown",
        "is_preferred": "true",
        "confidence": "high",
        "basis": "reported",
        "source_id": "kcs_test",
        "source_quote": Q,
        "checked_on": "2026-12-08",
    }
    row.update(values)
    return row


def count(observation_id: str, n: int, start: str, end: str, **values: object) -> dict[str, object]:
    """An observations row: battery-electric exports from Korea to Canada, exact."""
    row: dict[str, object] = {
        "observation_id": observation_id,
        "quantity": "exports",
        "vehicle_scope": "electric_vehicles",
        "origin_country_code": "KOR",
        "market_id": "CAN",
        "period_start": start,
        "period_end": end,
        "vehicles_count": n,
        "bound": "exact",
        "basis": "reported",
        "source_id": "count_test",
        "source_quote": Q,
        "checked_on": "2026-12-08",
    }
    row.update(values)
    return row


def tables(tmp_path: Path, stats: list[dict[str, object]], **made: list[dict[str, object]]) -> Tables:
    return build_tables(tmp_path / "data", {"trade_statistics": stats, **made})


# --- scopes that cannot be mixed -------------------------------------------------------------------------------

MOTIE_2025 = stat(
    "motie_ev_2025", "motie_ev", "2025-01-01", "2025-12-31", classification="national_series", product_code="",
    powertrain_scope="bev_fcev", frequency="year", vehicles_count=261974,
)  # fmt: skip
HS_2025 = stat("hs_ev_2025", "hs_ev", "2025-01-01", "2025-12-31", frequency="year", vehicles_count=250000)


def test_a_battery_electric_plus_fuel_cell_series_is_not_compared_with_hs_870380(tmp_path: Path) -> None:
    t = tables(tmp_path, [MOTIE_2025, HS_2025])
    with pytest.raises(ParameterError) as raised:
        st.compare(t, "motie_ev", "hs_ev")
    message = str(raised.value)
    assert "'motie_ev'" in message and "'hs_ev'" in message and "bev_fcev" in message and "bev)" in message
    with pytest.raises(ParameterError, match="cannot plot 'motie_ev'"):
        st.on_one_axis(t, ["motie_ev", "hs_ev"])


@pytest.mark.parametrize(
    ("key", "left", "right"),
    [("valuation", "FOB", "CIF"), ("partner_basis", "origin", "consignment"), ("frequency", "month", "quarter")],
)
def test_series_of_another_valuation_partner_basis_or_frequency_refuse(
    tmp_path: Path, key: str, left: str, right: str
) -> None:
    value = {"trade_value_amount": 1e9, "currency_code": "USD", "valuation": "FOB"}
    a = stat("a_1", "a", "2025-01-01", "2025-01-31", **{**value, key: left})
    b = stat("b_1", "b", "2025-01-01", "2025-01-31", **{**value, key: right})
    with pytest.raises(ParameterError, match=f"cannot compare 'a' \\({key} {left}\\) with 'b' \\({key} {right}\\)"):
        st.compare(tables(tmp_path, [a, b]), "a", "b")


def test_comparable_series_line_up_by_period(tmp_path: Path) -> None:
    a = [stat(f"a_{m}", "a", f"2025-0{m}-01", f"2025-0{m}-28", vehicles_count=100 * m) for m in (1, 2)]
    b = [
        stat(f"b_{m}", "b", f"2025-0{m}-01", f"2025-0{m}-28", vehicles_count=10 * m, reporter_code="CHN")
        for m in (1, 2)
    ]
    both = st.compare(tables(tmp_path, a + b), "a", "b")
    assert both[["a", "b"]].values.tolist() == [[100, 10], [200, 20]]


def test_a_count_is_not_compared_with_a_value(tmp_path: Path) -> None:
    a = stat("a_1", "a", "2025-01-01", "2025-01-31", vehicles_count=100)
    b = stat("b_1", "b", "2025-01-01", "2025-01-31", trade_value_amount=5e6, currency_code="USD", valuation="FOB")
    with pytest.raises(ParameterError, match="different measures"):
        st.compare(tables(tmp_path, [a, b]), "a", "b")


def test_a_series_of_unknown_scope_is_compared_with_nothing(tmp_path: Path) -> None:
    a = stat("a_1", "a", "2025-01-01", "2025-01-31", vehicles_count=100, powertrain_scope="unknown")
    b = stat("b_1", "b", "2025-01-01", "2025-01-31", vehicles_count=10, powertrain_scope="unknown")
    with pytest.raises(ParameterError, match="unknown"):
        st.compare(tables(tmp_path, [a, b]), "a", "b")


# --- year to date ----------------------------------------------------------------------------------------------

SEP = stat("ev_2025_09", "ev", "2025-09-01", "2025-09-30", vehicles_count=29288)
OCT = stat("ev_2025_10", "ev", "2025-10-01", "2025-10-31", vehicles_count=19247)
YTD_SEP = stat(
    "ev_ytd_09", "ev", "2025-01-01", "2025-09-30", vehicles_count=200000, is_cumulative="true", frequency="other"
)


def test_a_year_to_date_figure_is_never_summed_with_a_month(tmp_path: Path) -> None:
    t = tables(tmp_path, [SEP, OCT, YTD_SEP])
    with pytest.raises(ParameterError, match="'ev_ytd_09' is a year-to-date figure"):
        st.total(t, ["ev_ytd_09", "ev_2025_10"])
    assert st.total(t, ["ev_2025_09", "ev_2025_10"]) == 29288 + 19247  # 48,535


def test_overlapping_periods_are_not_summed(tmp_path: Path) -> None:
    q3 = stat("ev_q3", "ev", "2025-07-01", "2025-09-30", vehicles_count=70000, frequency="month")
    with pytest.raises(ParameterError, match="overlap"):
        st.total(tables(tmp_path, [SEP, q3]), ["ev_2025_09", "ev_q3"])


def test_two_year_to_date_figures_are_differenced_only_within_one_release(tmp_path: Path) -> None:
    common = {"is_cumulative": "true", "frequency": "other", "release_date": "2026-03-12"}
    feb = stat("nev_ytd_02", "nev", "2026-01-01", "2026-02-28", vehicles_count=583000, **common)
    jan = stat("nev_ytd_01", "nev", "2026-01-01", "2026-01-31", vehicles_count=301000, **common)
    jan_old = stat("nev_ytd_01_old", "nev", "2026-01-01", "2026-01-31", vehicles_count=290000,
                   **{**common, "release_date": "2026-02-11"})  # fmt: skip
    t = tables(tmp_path, [feb, jan, jan_old])
    month = st.difference_ytd(t, "nev_ytd_02", "nev_ytd_01")
    assert month.value == 583000 - 301000 == 282000
    assert (month.period_start.date().isoformat(), month.period_end.date().isoformat()) == ("2026-02-01", "2026-02-28")
    with pytest.raises(ParameterError, match="not of one vintage"):
        st.difference_ytd(t, "nev_ytd_02", "nev_ytd_01_old")


# --- shares and vintages ---------------------------------------------------------------------------------------


def test_chinas_share_of_extra_eu_electric_car_imports(tmp_path: Path) -> None:
    eu = {"reporter_code": "EU27", "flow": "import", "frequency": "year", "partner_basis": "origin",
          "publisher_name": "Eurostat", "publisher_kind": "statistics_office"}  # fmt: skip
    given = stat("share_2024", "share", "2024-01-01", "2024-12-31", partner_code="CHN", share_pct=55, **eu)
    value = {"currency_code": "EUR", "valuation": "CIF", **eu}
    china = stat("chn_2024", "chn", "2024-01-01", "2024-12-31", partner_code="CHN", trade_value_amount=8.4e9, **value)
    world = stat("wld_2024", "wld", "2024-01-01", "2024-12-31", trade_value_amount=15.4e9, **value)
    shares = st.share_of_partner(tables(tmp_path, [given, china, world]), "EU27", "CHN", "bev", 2024)
    got = dict(zip(shares["evidence"], shares["share_pct"], strict=True))
    assert got == {"reported": 55.0, "derived": 54.5}  # 8.4 / 15.4 = 0.5455


def test_the_latest_release_is_shown_and_a_conflicting_relay_loses_to_the_preferred(tmp_path: Path) -> None:
    first = stat("oct_first", "ev", "2024-10-01", "2024-10-31", vehicles_count=19766, release_date="2024-11-14")
    revised = stat("oct_revised", "ev", "2024-10-01", "2024-10-31", vehicles_count=19190, release_date="2025-11-20")
    odd = stat("oct_odd", "ev", "2024-10-01", "2024-10-31", vehicles_count=91190, release_date="2025-11-20",
               is_preferred="false")  # fmt: skip
    shown = trade_frames.latest_points(tables(tmp_path, [first, revised, odd])["trade_statistics"])
    assert shown["stat_id"].tolist() == ["oct_revised"]


# --- frames of counts ------------------------------------------------------------------------------------------

POLESTAR = count("polestar4_can_2025_11", 304, "2025-11-01", "2025-11-30")
KOR_CAN_NOV = stat("kor_can_2025_11", "kor_can", "2025-11-01", "2025-11-30", partner_code="CAN", vehicles_count=2000)
KOR_WLD_2025 = stat("kor_wld_2025", "kor_wld", "2025-01-01", "2025-12-31", frequency="year", vehicles_count=261974,
                    powertrain_scope="bev_fcev")  # fmt: skip


def test_the_polestar_4_in_koreas_ev_exports_to_canada(tmp_path: Path) -> None:
    t = tables(tmp_path, [KOR_WLD_2025, KOR_CAN_NOV], observations=[POLESTAR])
    frame = st.count_frame(t, "polestar4_can_2025_11")
    # The exact partner and month beat the world and the year: 304 of 2,000 = 15.2%.
    assert (frame.frame_stat_id, frame.frame_count, frame.share_pct) == ("kor_can_2025_11", 2000, 15.2)
    assert frame.partner_match == "exact"


def test_the_frame_sentence_names_both_numbers_and_the_lane(tmp_path: Path) -> None:
    t = tables(tmp_path, [KOR_CAN_NOV], observations=[POLESTAR, count("at_most", 500, "2025-11-01", "2025-11-30",
               bound="upper_bound")])  # fmt: skip
    line = sentences.frame_finding(t, "polestar4_can_2025_11")
    assert (
        line.text == "304 of the 2,000 battery-electric cars South Korea exported to Canada in November 2025 (15.2%)."
    )
    assert (line.evidence, line.numbers["share_pct"]) == ("derived", 15.2)
    assert sentences.frame_finding(t, "at_most").text.startswith("At most 500 of the 2,000 ")  # 25%
    column = sentences.frame_column(t, pd.Series(["polestar4_can_2025_11", "at_most"]))
    assert column.tolist() == [
        "304 of the 2,000 battery-electric cars South Korea exported to Canada in November 2025 (15.2%)",
        "at most 500 of the 2,000 battery-electric cars South Korea exported to Canada in November 2025 (at most 25%)",
    ]
    unframed = sentences.frame_finding(tables(tmp_path, [], observations=[POLESTAR]), "polestar4_can_2025_11")
    assert (unframed.text, unframed.evidence) == ("304 counted: no official frame found.", "none_found")


def test_a_world_frame_of_wider_scope_frames_the_month(tmp_path: Path) -> None:
    t = tables(tmp_path, [KOR_WLD_2025], observations=[POLESTAR])
    frame = st.count_frame(t, "polestar4_can_2025_11")
    assert (frame.frame_stat_id, frame.partner_match, frame.share_pct) == ("kor_wld_2025", "world", 0.12)  # 304/261974


def test_byd_szeged_in_hungarys_car_exports_to_the_eu(tmp_path: Path) -> None:
    hungary = stat("hun_eu_2025", "hun_eu", "2025-01-01", "2025-12-31", reporter_code="HUN", partner_code="EU27",
                   powertrain_scope="all_powertrains", frequency="year", vehicles_count=300000)  # fmt: skip
    szeged = count("szeged_2025", 15000, "2025-01-01", "2025-12-31", origin_country_code="HUN", market_id="EUU",
                   vehicle_scope="all_vehicles")  # fmt: skip
    frame = st.count_frame(tables(tmp_path, [hungary], observations=[szeged]), "szeged_2025")
    assert (frame.frame_stat_id, frame.share_pct, frame.partner_match) == ("hun_eu_2025", 5.0, "exact")  # 15/300


def test_a_count_of_all_vehicles_is_framed_only_by_an_all_powertrain_series(tmp_path: Path) -> None:
    bev_only = stat("hun_bev", "hun_bev", "2025-01-01", "2025-12-31", reporter_code="HUN", frequency="year",
                    vehicles_count=300000)  # fmt: skip
    szeged = count("szeged_2025", 15000, "2025-01-01", "2025-12-31", origin_country_code="HUN", market_id="EUU",
                   vehicle_scope="all_vehicles")  # fmt: skip
    frame = st.count_frame(tables(tmp_path, [bev_only], observations=[szeged]), "szeged_2025")
    assert not frame.is_framed and frame.reason == "no official frame found"


def test_thai_built_byds_in_thailands_ev_exports(tmp_path: Path) -> None:
    thailand = stat("tha_ev_2025_04", "tha_ev", "2025-04-01", "2025-04-30", reporter_code="THA", vehicles_count=660,
                    publisher_kind="industry_association", classification="industry_series")  # fmt: skip
    rayong = count("rayong_2025_04", 500, "2025-04-01", "2025-04-30", origin_country_code="THA", market_id="GBR")
    frame = st.count_frame(tables(tmp_path, [thailand], observations=[rayong]), "rayong_2025_04")
    assert (frame.frame_count, frame.share_pct, frame.frame_publisher_kind) == (660, 75.76, "industry_association")


def test_a_frame_must_contain_the_count_and_give_units(tmp_path: Path) -> None:
    other_month = stat("kor_can_2025_10", "kor_can", "2025-10-01", "2025-10-31", partner_code="CAN", vehicles_count=900)
    value_only = stat("kor_can_value", "kor_can_v", "2025-11-01", "2025-11-30", partner_code="CAN",
                      trade_value_amount=3e7, currency_code="USD", valuation="FOB")  # fmt: skip
    production = count("made_2025_11", 304, "2025-11-01", "2025-11-30", quantity="production")
    t = tables(tmp_path, [other_month, value_only], observations=[POLESTAR, production])
    assert st.count_frame(t, "polestar4_can_2025_11").reason == "no official frame found"
    assert st.count_frame(t, "made_2025_11").reason == "no official frame found"


def test_a_count_above_its_frame_breaks_it_but_an_upper_bound_or_an_estimate_does_not(tmp_path: Path) -> None:
    t = tables(tmp_path, [KOR_CAN_NOV])
    stats, members = t["trade_statistics"], trade_frames.eu_members(t["market_members"], "2025-11-30")
    counts = [
        count("too_many", 2001, "2025-11-01", "2025-11-30"),
        count("at_most", 2001, "2025-11-01", "2025-11-30", bound="upper_bound"),
    ]
    typed = tables(tmp_path, [KOR_CAN_NOV], observations=counts)["observations"]
    too_many, at_most = typed.iloc[0], typed.iloc[1]
    assert trade_frames.broken_frames(too_many, stats, members)["stat_id"].tolist() == ["kor_can_2025_11"]
    assert trade_frames.broken_frames(at_most, stats, members).empty
    estimated = tables(tmp_path, [{**KOR_CAN_NOV, "quantity_basis": "estimated"}])["trade_statistics"]
    assert trade_frames.broken_frames(too_many, estimated, members).empty


# --- relocation against imports --------------------------------------------------------------------------------


def test_relocation_against_imports_puts_chinas_cars_beside_the_plants_output(tmp_path: Path) -> None:
    brazil = {"reporter_code": "BRA", "partner_code": "CHN", "flow": "import", "powertrain_scope": "all_powertrains",
              "frequency": "half", "is_cumulative": "true"}  # fmt: skip
    h1_2024 = stat("bra_chn_h1_2024", "bra_chn", "2024-01-01", "2024-06-30", vehicles_count=129933, **brazil)
    h1_2025 = stat("bra_chn_h1_2025", "bra_chn", "2025-01-01", "2025-06-30", vehicles_count=134582, **brazil)
    made = {
        "cases": [{"case_id": "camacari", "case_name": "BYD Camaçari", "plant_id": "byd_camacari", "brand_id": "byd",
                   "china_link_id": "byd", "relationship": "own_plant", "source_id": "s", "source_quote": Q,
                   "checked_on": "2026-12-08"}],
        "production": [{"model_id": "byd_dolphin", "plant_id": "byd_camacari", "market_id": "BRA",
                        "production_status": "in_production", "evidence": "observed", "as_of_date": "2025-07-01",
                        "source_id": "s", "source_quote": Q, "checked_on": "2026-12-08"}],
        "observations": [count("camacari_2025", 20000, "2025-07-01", "2025-12-31", quantity="production",
                               maker_id="byd", plant_id="byd_camacari", origin_country_code="BRA", market_id="",
                               vehicle_scope="all_vehicles", bound="approximate")],
    }  # fmt: skip
    out = st.relocation_against_imports(tables(tmp_path, [h1_2024, h1_2025], **made))
    assert out[["year", "side", "value"]].values.tolist() == [
        [2024, "imports from CHN", 129933],
        [2025, "imports from CHN", 134582],
        [2025, "China-linked plants", 20000],
    ]
    assert out["evidence"].tolist() == ["customs, high confidence", "customs, high confidence", "reported, approximate"]


# --- changes: a revised official figure is a revision, not a new fact -------------------------------------------


def test_a_new_vintage_of_a_known_figure_is_a_revision_in_changes() -> None:
    columns = ["stat_id", "series_id", "period_start", "period_end", "vehicles_count", "release_date"]
    first = ["ev_2024_10_r1", "ev", "2024-10-01", "2024-10-31", "19766", "2024-11-14"]
    revised = ["ev_2024_10_r2", "ev", "2024-10-01", "2024-10-31", "19190", "2025-11-20"]
    restated = ["ev_2024_09_r2", "ev", "2024-09-01", "2024-09-30", "21091", "2025-10-20"]
    known_sep = ["ev_2024_09_r1", "ev", "2024-09-01", "2024-09-30", "21091", "2024-10-17"]
    new_month = ["ev_2025_10_r2", "ev", "2025-10-01", "2025-10-31", "19247", "2025-11-20"]
    old = pd.DataFrame([first, known_sep], columns=columns)
    new = pd.DataFrame([first, known_sep, revised, restated, new_month], columns=columns)
    found = compare_table("trade_statistics", old, new, ["stat_id"])
    assert found[["change", "key", "column", "old", "new"]].values.tolist() == [
        ["revised", "ev_2024_10_r2", "vehicles_count", "19766", "19190"],
        ["restated", "ev_2024_09_r2", "", "", ""],
        ["added", "ev_2025_10_r2", "", "", ""],
    ]
    text = format_text(found, "HEAD~1")
    assert "1 row added" in text and "2 revised or restated" in text
    assert "revised ev_2024_10_r2: vehicles_count: '19766' -> '19190'" in text
    # Another table's new rows stay new facts.
    plain = compare_table("observations", old, new, ["stat_id"])
    assert set(plain["change"]) == {"added"}
