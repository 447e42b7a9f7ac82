"""Capacity against output, and utilisation under volume scenarios (hand-made rows; the real Busan plant)."""

from __future__ import annotations

from pathlib import Path

import pytest
from kit import Q, capacity_tables

import evsupply
from evsupply.analysis.counts.capacity import utilisation

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


def test_real_busan_capacity() -> None:
    t = evsupply.load()
    u = utilisation(t, BUSAN)
    # Korea Herald 2023-11-10 (koreaherald_2023_11_10): capacity 300,000 a year.
    assert (u["capacity_units_per_year"] == 300_000).all()
    assert (u["utilisation_pct"] <= 100).all()
    assert Path(t.data_dir).name == "data"
