"""The sea-leg CO2e range: per car with the factors marked `low` and `high` in `emission_factors`, beside the chosen
factor; checked on hand-made data (tests/kit: a 0.1002 default and a 0.0501 second factor, test data)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from kit import ROWS, write_data

import evsupply
from evsupply.analysis.shipping.flows import build_flows
from evsupply.analysis.shipping.routes import RouteCache

BUSAN = "renault_korea_busan"


def tables_with_roles(tmp_path: Path, roles: dict[str, str]) -> evsupply.Tables:
    rows = copy.deepcopy(ROWS)
    for r in rows["emission_factors"]:
        r["range_role"] = roles.get(r["emission_factor_id"], "")
    return evsupply.load(write_data(tmp_path / "data", rows))


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> RouteCache:
    return RouteCache(folder=tmp_path_factory.mktemp("routes"))


def test_the_range_uses_the_marked_ends(tmp_path: Path, cache: RouteCache) -> None:
    t = tables_with_roles(tmp_path, {"half_fixture": "low", "glec_fixture": "high"})
    lane = build_flows(t, origin=BUSAN, markets=["USA"], cache=cache).iloc[0]
    tonne_km = 2.230 * lane["sea_distance_km"]  # the fixture car's 2,230 kg
    assert lane["co2e_kg_per_vehicle"] == pytest.approx(tonne_km * 0.1002)  # the default factor, as before
    assert lane["co2e_kg_per_vehicle_low"] == pytest.approx(tonne_km * 0.0501)
    assert lane["co2e_kg_per_vehicle_high"] == pytest.approx(tonne_km * 0.1002)
    assert (lane["emission_factor_low_source_id"], lane["emission_factor_high_source_id"]) == ("fixture_source",) * 2


def test_without_marked_ends_the_range_is_the_chosen_factor(tmp_path: Path, cache: RouteCache) -> None:
    t = tables_with_roles(tmp_path, {})
    lane = build_flows(t, origin=BUSAN, markets=["USA"], emission_factor_id="half_fixture", cache=cache).iloc[0]
    assert lane["co2e_kg_per_vehicle_low"] == lane["co2e_kg_per_vehicle"] == lane["co2e_kg_per_vehicle_high"]


def test_a_chosen_factor_outside_the_range_widens_it(tmp_path: Path, cache: RouteCache) -> None:
    # Only the default is marked (high); choosing the lower factor makes it the low end.
    t = tables_with_roles(tmp_path, {"glec_fixture": "high"})
    lane = build_flows(t, origin=BUSAN, markets=["USA"], emission_factor_id="half_fixture", cache=cache).iloc[0]
    assert lane["co2e_kg_per_vehicle_low"] == pytest.approx(lane["co2e_kg_per_vehicle"])
    assert lane["co2e_kg_per_vehicle_high"] == pytest.approx(2 * lane["co2e_kg_per_vehicle"])


def test_no_sea_leg_no_emissions_at_either_end(tmp_path: Path, cache: RouteCache) -> None:
    t = tables_with_roles(tmp_path, {"half_fixture": "low", "glec_fixture": "high"})
    lanes = build_flows(t, cache=cache)
    china = lanes[lanes["is_domestic"]].iloc[0]
    assert (china["co2e_kg_per_vehicle_low"], china["co2e_kg_per_vehicle_high"]) == (0, 0)
