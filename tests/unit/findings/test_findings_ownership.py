"""Ownership findings (findings.ownership.control_findings) on hand-made stakes: sentences and bounds by hand."""

from __future__ import annotations

import pytest

from evsupply.analysis.ownership import look_through_table
from evsupply.findings.ownership import control_findings
from tests import kit

# Hand-made, shaped like Polestar on 2026-11-27: Li holds his vehicle PSD by control (no stake published), PSD holds
# 29.9% of Polestar; Li holds 90% of Geely Holding, which controls Geely Sweden (no stake), holding 15% of Polestar;
# Geely Holding holds 78.7% of Volvo, which holds 10.9% of Polestar.
STAKES = [
    kit.control("li", "psd"),
    kit.stake("psd", "polestar", 29.9),
    kit.stake("li", "geely_holding", 90),
    kit.control("geely_holding", "geely_sweden"),
    kit.stake("geely_sweden", "polestar", 15.0),
    kit.stake("geely_holding", "volvo", 78.7),
    kit.stake("volvo", "polestar", 10.9),
]


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    return kit.graph_tables(tmp_path_factory.mktemp("own"), STAKES, {"li": "CHN", "geely_holding": "CHN", "psd": "HKG"})


def test_the_controller_look_through_is_a_lower_bound_never_a_point(tables):
    found = {f.key: f for f in control_findings(tables, "polestar", "2026-11-27")}
    control = found["control:polestar"]
    # Known chains only: Li 90% x Geely 78.7% x Volvo 10.9% = 7.72047%; PSD's and Geely Sweden's are unknown.
    assert control.numbers["stake_pct_min"] == pytest.approx(0.9 * 0.787 * 10.9)
    assert control.numbers["stake_pct_max"] is None and control.numbers["unknown_holdings"] == 2
    assert control.text.endswith("its look-through stake is at least 7.72%, plus 2 holdings of unknown size.")
    assert control.evidence == "derived" and control.assumptions
    # 29.9 + 15.0 + 10.9 = 55.8% held through entities Li controls.
    assert "Li controls Polestar with 55.80%" in control.text


def test_geely_holdings_look_through_is_a_bound_too(tables):
    found = {f.key: f for f in control_findings(tables, "polestar", "2026-11-27")}
    china = found["largest_chinese_look_through:polestar"]
    # Geely Holding: 78.7% x 10.9% = 8.5783% known, plus Geely Sweden's 15% held through a control of unknown size.
    assert "Geely Holding's, at least 8.58%, plus 1 holding of unknown size" in china.text
    assert china.numbers["stake_pct_min"] == pytest.approx(0.787 * 10.9)
    assert china.numbers["stake_pct_max"] is None


def test_direct_holders_and_every_source(tables):
    direct = {f.key: f for f in control_findings(tables, "polestar", "2026-11-27")}["direct_holders:polestar"]
    assert direct.text == ("Direct holders of Polestar on 2026-11-27: Psd 29.90%, Geely Sweden 15.00%, Volvo 10.90%.")
    assert direct.evidence == "reported"
    assert direct.source_ids == ("src_psd", "src_geely_sweden", "src_volvo")


def test_look_through_table_carries_the_bound(tables):
    table = look_through_table(tables, "polestar", "2026-11-27").set_index("owner_id")
    assert table.loc["li", "unknown_holdings"] == 2 and table.loc["li", "look_through_max_pct"] != 0
    assert table.loc["volvo", "look_through_max_pct"] == pytest.approx(10.9)
    assert table.loc["li", "look_through_text"] == "at least 7.72%, plus 2 holdings of unknown size"


def test_history_cites_every_stake(tables):
    history = {f.key: f for f in control_findings(tables, "polestar", "2026-11-27", ["polestar"])}["history:polestar"]
    assert history.source_ids == ("src_psd", "src_geely_sweden", "src_volvo")
    assert history.numbers == {"stakes": 3, "holders": 3}
