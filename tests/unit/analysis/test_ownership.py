"""Ownership look-through: hand-made graphs (chains, diamonds, cycles) and the real tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kit import CASE_STAKES, case_tables, control, graph_tables, stake

from evsupply.analysis.ownership import (
    control_map,
    direct_stakes,
    look_through,
    look_through_in_graph,
    look_through_table,
    ownership_graph,
    shareholder_history,
    ultimate_controller,
)
from evsupply.errors import DataError, ParameterError


def test_chain_multiplies_stakes(tmp_path: Path) -> None:
    t = graph_tables(tmp_path, [stake("a", "b", 60), stake("b", "c", 50), stake("c", "d", 10)])
    assert look_through(t, "a", "d", "2024-01-01") == pytest.approx(3.0)
    assert look_through(t, "b", "c", "2024-01-01") == pytest.approx(50.0)
    assert look_through(t, "d", "a", "2024-01-01") == 0.0
    assert look_through(t, "a", "a", "2024-01-01") == 100.0


def test_diamond_sums_paths(tmp_path: Path) -> None:
    # a holds d through b (50% x 40%) and through c (30% x 20%), and 5% directly.
    t = graph_tables(
        tmp_path,
        [stake("a", "b", 50), stake("a", "c", 30), stake("b", "d", 40), stake("c", "d", 20), stake("a", "d", 5)],
    )
    assert look_through(t, "a", "d", "2024-01-01") == pytest.approx(20 + 6 + 5)


def test_cycle_is_rejected_with_the_companies_named(tmp_path: Path) -> None:
    t = graph_tables(tmp_path, [stake("a", "b", 30), stake("b", "c", 30), stake("c", "a", 30)])
    with pytest.raises(DataError) as err:
        look_through(t, "a", "c", "2024-01-01")
    assert "cycle" in str(err.value) and "a" in err.value.problems[0].value


def test_cycle_outside_the_period_does_not_matter(tmp_path: Path) -> None:
    t = graph_tables(tmp_path, [stake("a", "b", 30), stake("b", "a", 30, "2020-01-01", "2020-12-31")])
    assert look_through(t, "a", "b", "2021-01-01") == pytest.approx(30)


def test_dates_are_inclusive_and_non_preferred_claims_ignored(tmp_path: Path) -> None:
    t = graph_tables(tmp_path, [stake("a", "b", 30, "2024-01-01", "2024-06-30"), stake("a", "b", 99, preferred=False)])
    assert look_through(t, "a", "b", "2024-01-01") == 30
    assert look_through(t, "a", "b", "2024-06-30") == 30
    assert look_through(t, "a", "b", "2024-07-01") == 0
    assert look_through(t, "a", "b", "2023-12-31") == 0


def test_bad_parameters_name_the_parameter(tmp_path: Path) -> None:
    t = graph_tables(tmp_path, [stake("a", "b", 30)])
    with pytest.raises(ParameterError, match="owner_id"):
        look_through(t, "zz", "b", "2024-01-01")
    with pytest.raises(ParameterError, match="as_of"):
        look_through(t, "a", "b", "last year")


def test_control_through_controlled_subsidiaries(tmp_path: Path) -> None:
    # top controls x (60%); x holds 30% of target, top 25% directly: top controls target with 55%.
    t = graph_tables(
        tmp_path,
        [stake("top", "x", 60), stake("x", "target", 30), stake("top", "target", 25), stake("other", "target", 45)],
    )
    c = ultimate_controller(t, "target", "2024-01-01")
    assert c.controller_id == "top" and c.chain == ("target", "top")
    assert "55.00%" in c.lines[0].text
    assert look_through(t, "top", "target", "2024-01-01") == pytest.approx(25 + 18)


def test_immediate_controller_is_the_lowest(tmp_path: Path) -> None:
    t = graph_tables(tmp_path, [stake("top", "mid", 80), stake("mid", "target", 51), stake("top", "target", 10)])
    assert control_map(ownership_graph(t, "2024-01-01"))["target"] == "mid"
    assert ultimate_controller(t, "target", "2024-01-01").chain == ("target", "mid", "top")


def test_nobody_controls_a_widely_held_company(tmp_path: Path) -> None:
    t = graph_tables(tmp_path, [stake("a", "t", 50), stake("b", "t", 50)])
    c = ultimate_controller(t, "t", "2024-01-01")
    assert c.controller_id is None and "No shareholder controls" in c.lines[0].text
    with pytest.raises(ParameterError, match="threshold_pct"):
        ultimate_controller(t, "t", "2024-01-01", threshold_pct=150)


def test_case_li_shufu_controls_polestar_over_time(tmp_path: Path) -> None:
    t = case_tables(tmp_path)
    for day in ("2023-12-01", "2024-06-01", "2025-07-01"):
        assert ultimate_controller(t, "polestar", day).controller_id == "li_shufu", day
    # 2025-07-01: PSD 44% (100% Li Shufu) + Volvo 16% (78.7% Geely Holding, 90% Li Shufu).
    assert look_through(t, "li_shufu", "polestar", "2025-07-01") == pytest.approx(44 + 16 * 0.787 * 0.9)
    assert ultimate_controller(t, "renault_korea", "2025-07-01").controller_id == "renault_group"
    table = look_through_table(t, "renault_korea", "2025-07-01")
    assert table.iloc[0]["owner_id"] == "renault_group"
    geely = table.set_index("owner_id").loc["geely_automobile_holdings", "look_through_stake_pct"]
    assert geely == pytest.approx(34.02)


def test_history_and_direct_stakes(tmp_path: Path) -> None:
    t = case_tables(tmp_path)
    hist = shareholder_history(t, "renault_korea")
    assert list(hist["stake_pct"][:2]) == [80.04, 19.9]
    assert len(hist) == 5
    live = direct_stakes(t, "2022-05-10")
    assert set(live.loc[live["owned_id"] == "renault_korea", "owner_id"]) == {
        "centurion_industries",
        "renault_group",
        "samsung_card",
    }


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=100), min_size=1, max_size=5))
def test_chain_look_through_is_the_product(stakes: list[float]) -> None:
    import networkx as nx

    g = nx.DiGraph()
    for i, pct in enumerate(stakes):
        g.add_edge(f"n{i}", f"n{i + 1}", stake_pct=pct, source_id="s", basis="reported")
    expected = 100.0
    for pct in stakes:
        expected *= pct / 100
    assert look_through_in_graph(g, "n0", f"n{len(stakes)}") == pytest.approx(expected, abs=1e-9)


def test_control_interest_gives_control_but_no_look_through_share(tmp_path: Path) -> None:
    # p controls v without a published stake; v holds 40% of x and p 15%: together p controls 55% of x.
    t = graph_tables(tmp_path, [control("p", "v"), stake("v", "x", 40), stake("p", "x", 15), stake("o", "x", 45)])
    result = ultimate_controller(t, "x", "2024-01-01")
    assert result.controller_id == "p" and result.chain == ("x", "p")
    assert "control, no published stake" not in result.lines[0].text and "55.00%" in result.lines[0].text
    assert ultimate_controller(t, "v", "2024-01-01").controller_id == "p"
    assert "control, no published stake" in ultimate_controller(t, "v", "2024-01-01").lines[0].text
    assert look_through(t, "p", "x", "2024-01-01") == pytest.approx(15.0)  # the control edge carries no share


def test_case_stakes_are_test_data() -> None:
    assert all(s["source_quote"] == "test row" for s in CASE_STAKES)
