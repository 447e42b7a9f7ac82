"""The reliability round's F13 and F16 (reliability-2026-12.md): public functions refuse bad or repeated arguments
with a ParameterError that names them, never a raw TypeError/KeyError or an unbounded run."""

from __future__ import annotations

import pandas as pd
import pytest

import evsupply
from evsupply.analysis.batteries.cells import undecided_conditions
from evsupply.analysis.cases.atlas import case_table
from evsupply.analysis.counts.capacity import capacity_in_year, scenario_utilisation
from evsupply.analysis.ownership import ownership_graph
from evsupply.analysis.trade.policy import MAX_ACCESS_ROWS, access_table
from evsupply.errors import ParameterError
from evsupply.findings.batteries import battery_findings
from evsupply.findings.ownership import control_findings

DAY = "2026-12-08"


@pytest.fixture(scope="module")
def t() -> evsupply.Tables:
    return evsupply.load()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda t: battery_findings(t, DAY, cases=["byd_szeged_case", "byd_szeged_case"]), "cases"),
        (lambda t: battery_findings(t, DAY, cases=["nope"]), "cases"),
        (lambda t: battery_findings(t, DAY, cases=[None]), "cases"),
        (lambda t: battery_findings(t, DAY, table="x"), "table"),
        (lambda t: battery_findings(t, DAY, table=pd.DataFrame()), "table"),
        (lambda t: undecided_conditions(t, DAY, cases=["byd_szeged_case", "byd_szeged_case"]), "cases"),
        (lambda t: case_table(t, DAY, ["byd_szeged_case", "byd_szeged_case"]), "cases"),
        (lambda t: control_findings(t, "polestar", DAY, history=["polestar", "polestar"]), "history"),
        (lambda t: ownership_graph(t, DAY, preferred_only="no"), "preferred_only"),
        (lambda t: scenario_utilisation(t, "renault_korea_busan", volumes={1: 5}), "volumes"),
        (lambda t: capacity_in_year(t, "renault_korea_busan", "x"), "year"),
        (lambda t: capacity_in_year(t, "nope", 2025), "plant_id"),
    ],
)
def test_a_bad_or_repeated_argument_is_a_parameter_error(t: evsupply.Tables, call, name: str) -> None:
    with pytest.raises(ParameterError) as raised:
        call(t)
    assert raised.value.name == name


def test_a_single_case_id_is_a_list_of_one(t: evsupply.Tables) -> None:
    one = battery_findings(t, DAY, cases="byd_szeged_case")
    assert one == battery_findings(t, DAY, cases=["byd_szeged_case"])


def test_access_table_refuses_an_unbounded_grid(t: evsupply.Tables) -> None:
    # 5,000 days x 1 plant x 1 market is more than MAX_ACCESS_ROWS (2,000) rows: refused at once, not computed.
    days = [d.date() for d in pd.date_range("2012-01-01", periods=5_000, freq="D")]
    assert 5_000 > MAX_ACCESS_ROWS
    with pytest.raises(ParameterError, match="access_timeline"):
        access_table(t, "polestar_4", "renault_korea_busan", "CAN", days)
