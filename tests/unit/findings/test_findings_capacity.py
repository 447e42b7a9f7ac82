"""Capacity findings (evsupply.findings.capacity.utilisation_findings) on hand-made output and capacity, by hand."""

from __future__ import annotations

import pytest

from evsupply.findings.capacity import utilisation_findings
from tests import kit

BUSAN = "renault_korea_busan"


def cap(day: str, units: int) -> dict[str, object]:
    return {
        "plant_id": BUSAN,
        "as_of_date": day,
        "capacity_units_per_year": units,
        "is_preferred": "true",
        "basis": "reported",
        "source_id": "src_cap",
        "source_quote": kit.Q,
    }


def out(year: int, units: int, bound: str = "exact") -> dict[str, object]:
    return {
        "plant_id": BUSAN,
        "year": year,
        "model_scope": "all",
        "output_units": units,
        "bound": bound,
        "basis": "reported",
        "source_id": f"src_{year}",
        "source_quote": kit.Q,
    }


@pytest.fixture
def tables(tmp_path):
    # Hand-made: capacity 200,000 (claimed 2020); output 2020 exactly 60,000, 2021 exactly 100,000, 2022 about
    # 90,000, 2023 under 80,000.
    return kit.capacity_tables(
        tmp_path,
        [cap("2020-01-01", 200_000)],
        [out(2020, 60_000), out(2021, 100_000), out(2022, 90_000, "approximate"), out(2023, 80_000, "upper_bound")],
    )


def test_latest_year_utilisation_is_derived(tables):
    found = utilisation_findings(tables, "renault_korea_busan")
    first = found[0]
    # The latest year that is not a bound: 2022, about 90,000 / 200,000 = 45%.
    assert first.text == "Busan built about 90,000 vehicles in 2022: about 45% of its 200,000 capacity (claim of 2020)."
    assert first.evidence == "derived"
    assert first.numbers["utilisation_pct"] == pytest.approx(45.0)
    assert first.source_ids == ("src_2022", "src_cap")
    # The lowest exact year: 2020, 60,000 / 200,000 = 30%.
    low = found[1]
    assert low.text == "The lowest year with an exact count is 2020: 60,000 vehicles, 30% of capacity."


def test_no_output_is_none_found(tmp_path):
    t = kit.capacity_tables(tmp_path, [cap("2020-01-01", 200_000)], [])
    (only,) = utilisation_findings(t, "renault_korea_busan")
    assert only.evidence == "none_found" and only.numbers["utilisation_pct"] is None
