"""The trade statistics as committed: the figures the notes' sources give, scopes that refuse to mix on the real
series, and a count above its official frame failing `evsupply validate` on a broken copy of data/."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import evsupply
from evsupply.analysis.trade import statistics as st
from evsupply.data.validate import validate
from evsupply.errors import ParameterError


@pytest.fixture(scope="module")
def tables() -> evsupply.Tables:
    return evsupply.load()


def test_koreas_2025_ev_exports_are_motie_s_battery_electric_plus_fuel_cell_series(tables: evsupply.Tables) -> None:
    stats = st.latest_points(tables["trade_statistics"])
    row = stats[(stats["series_id"] == "motie_kor_wld_ev_units") & (stats["period_start"] == "2025-01-01")
                & (stats["period_end"] == "2025-12-31")].iloc[0]  # fmt: skip
    # MOTIE, 2025 automobile industry trends (15 January 2026): "전기차 수출이 26만1974대로 소폭(-0.3%) 감소"
    assert (row["vehicles_count"], row["powertrain_scope"]) == (261974, "bev_fcev")
    with pytest.raises(ParameterError, match="'motie_kor_wld_ev_units' \\(powertrain_scope bev_fcev\\)"):
        st.compare(tables, "motie_kor_wld_ev_units", "eurostat_eu27_wld_bev_value")  # CN 8703 80: battery-electric


def test_chinas_share_of_extra_eu_electric_car_imports_in_2024_is_55_pct(tables: evsupply.Tables) -> None:
    shares = st.share_of_partner(tables, "EU27", "CHN", "bev", 2024)
    # Eurostat: "In 2024, 55% of extra-EU imports of electric cars originated from China."; the JRC says the same.
    assert dict(zip(shares["series_id"], shares["share_pct"], strict=True)) == {
        "eurostat_eu27_chn_bev_share": 55.0,
        "jrc_eu27_chn_bev_share": 55.0,
    }


def test_a_year_to_date_series_refuses_to_be_summed_with_a_month(tables: evsupply.Tables) -> None:
    with pytest.raises(ParameterError, match="year-to-date"):
        st.total(
            tables, ["motie_kor_wld_ev_units_2025_01_09_r2025_10_20", "motie_kor_wld_ev_units_2025_10_r2025_11_20"]
        )
    # September 29,288 (release of 2025-10-20) + October 19,247 (release of 2025-11-20) = 48,535
    assert (
        st.total(tables, ["motie_kor_wld_ev_units_2025_09_r2025_10_20", "motie_kor_wld_ev_units_2025_10_r2025_11_20"])
        == 48535
    )


def test_the_conflicting_relay_is_kept_and_not_shown(tables: evsupply.Tables) -> None:
    stats = tables["trade_statistics"]
    usa = stats[(stats["series_id"] == "motie_kor_usa_cars_value") & (stats["period_start"] == "2025-01-01")]
    assert sorted(usa["trade_value_amount"]) == [30.154e9, 31.05e9]  # collector.com.tr vs Segye
    shown = st.latest_points(usa)
    assert shown["trade_value_amount"].tolist() == [30.154e9]


def test_the_busan_polestar_4_of_november_2025_is_framed_by_koreas_2025_ev_exports(tables: evsupply.Tables) -> None:
    frame = st.count_frame(tables, "rk_busan_polestar4_exports_can_2025_11")
    # No Korea-to-Canada month was found: the tightest frame is Korea's EV exports to the world in 2025.
    assert (frame.frame_stat_id, frame.frame_count, frame.share_pct) == (
        "motie_kor_wld_ev_units_2025_r2026_01_15",
        261974,
        0.12,  # 304 / 261,974 = 0.116%
    )


def test_the_seed_covers_at_least_60_rows_and_5_reporters_each_with_its_source(tables: evsupply.Tables) -> None:
    stats = tables["trade_statistics"]
    assert len(stats) >= 60 and stats["reporter_code"].nunique() >= 5
    assert stats["source_id"].isin(tables["sources"]["source_id"]).all()
    assert (stats["frequency"] == "month").sum() >= 30


def _raise_count(folder: Path, observation_id: str, value: str) -> int:
    file = folder / "observations.csv"
    with open(file, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    line = next(i for i, r in enumerate(rows) if r["observation_id"] == observation_id) + 2
    rows[line - 2]["vehicles_count"] = value
    with open(file, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return line


def test_a_count_above_its_official_frame_fails_validation(data_copy: Path) -> None:
    # KCS via KAMA: 13 EVs exported from Korea to the US in November 2025; a count of 14 cannot be right.
    line = _raise_count(data_copy, "kor_us_ev_exports_2025_11", "14")
    problems = [p for p in validate(data_copy) if p.rule == "official frame"]
    assert len(problems) == 1, [str(p) for p in validate(data_copy)]
    problem = problems[0]
    assert (Path(problem.file).name, problem.line, problem.column, problem.value) == (
        "observations.csv",
        line,
        "vehicles_count",
        "14",
    )
    assert "'kor_us_ev_exports_2025_11'" in problem.message
    assert "'kcs_kor_usa_ev_units_2025_11_r2026_02_04'" in problem.message
