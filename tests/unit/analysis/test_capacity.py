"""Capacity against output, and utilisation under volume scenarios (hand-made rows; the real Busan plant)."""

from __future__ import annotations

import pytest
from kit import Q, capacity_tables

import evsupply
from evsupply.analysis.counts.capacity import scenario_utilisation, utilisation
from evsupply.errors import ParameterError

BUSAN = "renault_korea_busan"


def cap(day: str, units: int, preferred: bool = True) -> dict[str, object]:
    return {
        "plant_id": BUSAN,
        "as_of_date": day,
        "capacity_units_per_year": units,
        "is_preferred": "true" if preferred else "false",
        "basis": "reported",
        "source_id": "src_cap",
        "source_quote": Q,
    }


def out(year: int, scope: str, units: int, bound: str = "exact") -> dict[str, object]:
    return {
        "plant_id": BUSAN,
        "year": year,
        "model_scope": scope,
        "output_units": units,
        "bound": bound,
        "basis": "reported",
        "source_id": f"src_{year}",
        "source_quote": Q,
    }


@pytest.fixture(scope="module")
def t(tmp_path_factory: pytest.TempPathFactory) -> evsupply.Tables:
    return capacity_tables(
        tmp_path_factory.mktemp("cap"),
        [cap("2023-11-10", 300_000), cap("2023-06-28", 250_000, preferred=False)],
        [
            out(2022, "all", 170_000, "approximate"),
            out(2023, "Arkana", 67_540),
            out(2023, "XM3", 38_142),
            out(2023, "QM6", 20_474),
        ],
        [
            {
                "scenario_id": "default",
                "plant_id": BUSAN,
                "year": 2025,
                "volume_units_per_year": 10_000,
                "basis": "planned",
                "method": "test",
                "source_id": "src_plan",
                "source_quote": Q,
            }
        ],
    )


def test_utilisation_by_year(t: evsupply.Tables) -> None:
    u = utilisation(t, BUSAN).set_index("year")
    # A capacity published in 2023 stands for 2022 too (flagged by its as-of date); the non-preferred 250,000
    # is ignored.
    assert u.loc[2022, "capacity_units_per_year"] == 300_000
    assert u.loc[2022, "utilisation_pct"] == pytest.approx(170_000 / 3_000)
    # 2023: the sum of three models is a lower bound of the plant's output.
    assert u.loc[2023, "output_units"] == 126_156 and u.loc[2023, "bound"] == "lower_bound"
    assert u.loc[2023, "utilisation_pct"] == pytest.approx(42.052)


def test_scenarios(t: evsupply.Tables) -> None:
    s = scenario_utilisation(t, BUSAN, volumes={"none": 0, "plan": 10_000, "high": 30_000}).set_index("scenario")
    assert s.loc["plan", "total_units"] == 136_156
    assert s.loc["high", "utilisation_pct"] == pytest.approx(156_156 / 3_000)
    assert "held constant" in s.loc["none", "base_note"]
    from_data = scenario_utilisation(t, BUSAN, base_year=2022)
    assert list(from_data["scenario"]) == ["default"] and from_data.iloc[0]["total_units"] == 180_000


def test_bad_parameters(t: evsupply.Tables) -> None:
    with pytest.raises(ParameterError, match="plant_id"):
        utilisation(t, "nowhere")
    with pytest.raises(ParameterError, match="base_year"):
        scenario_utilisation(t, BUSAN, base_year=1999)
    with pytest.raises(ParameterError, match="volumes"):
        scenario_utilisation(t, BUSAN, volumes={"bad": -1})
