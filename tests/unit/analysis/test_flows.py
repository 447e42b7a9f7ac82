"""The flow model: lanes, volumes, ports, distances, emissions, parameters."""

from __future__ import annotations

import copy

import pandas as pd
import pytest
from kit import ROWS, load_tables, write_data

import evsupply
from evsupply.analysis.shipping.flows import (
    LANE_COLUMNS,
    build_flows,
    flow_routes,
    sources_used,
    summary,
    without_sea_leg_on_land,
)
from evsupply.analysis.shipping.routes import RouteCache
from evsupply.errors import ParameterError
from evsupply.pages.flows import SPEC


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory):
    return load_tables(tmp_path_factory.mktemp("flows") / "data")


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> RouteCache:
    return RouteCache(folder=tmp_path_factory.mktemp("routes"))


def lane(lanes: pd.DataFrame, plant: str, market: str) -> pd.Series:
    return lanes[(lanes["plant_id"] == plant) & (lanes["market_id"] == market)].iloc[0]


def test_default_lanes(tables, cache: RouteCache) -> None:
    lanes = build_flows(tables, cache=cache)
    assert list(lanes.columns) == LANE_COLUMNS and lanes.crs.to_epsg() == 4326
    # Hangzhou Bay → USA ended (the later claim wins) and Busan → KOR is unconfirmed: neither is a live lane.
    assert sorted(lanes["lane_id"]) == [
        "polestar_4:geely_hangzhou_bay:CHN",
        "polestar_4:renault_korea_busan:CAN",
        "polestar_4:renault_korea_busan:USA",
    ]
    usa = lane(lanes, "renault_korea_busan", "USA")
    assert (usa["export_port_id"], usa["import_port_id"], usa["export_port_basis"]) == ("KRPUS", "USLAX", "link")
    assert usa["volume_units_per_year"] == 5000 and usa["volume_basis"] == "scenario"  # 10,000 split in two
    assert usa["volume_source_id"] == "fixture_plan"
    assert 9_000 <= usa["sea_distance_km"] <= 10_500
    assert usa["total_distance_km"] == pytest.approx(
        usa["land_origin_km"] + usa["sea_distance_km"] + usa["land_destination_km"]
    )
    assert usa["co2e_kg_per_vehicle"] == pytest.approx(2.230 * usa["sea_distance_km"] * 0.1002)
    assert usa["co2e_t_per_year"] == pytest.approx(usa["co2e_kg_per_vehicle"] * 5000 / 1000)
    china = lane(lanes, "geely_hangzhou_bay", "CHN")
    # A land lane has no sea leg: its sea distance and sea-leg CO2e are unknown (NaN), never 0 (issue 15); it gives
    # its road distance instead.
    assert china["is_domestic"] and pd.isna(china["export_port_id"]) and pd.isna(china["sea_distance_km"])
    assert pd.isna(china["co2e_kg_per_vehicle"]) and china["land_origin_km"] > 0
    assert china["road_distance_km"] == china["land_origin_km"] + china["land_destination_km"]
    assert china["volume_basis"] == "none" and pd.isna(china["volume_units_per_year"])


def test_one_route_computation_per_distinct_port_pair(tables, tmp_path) -> None:
    fresh = RouteCache(folder=tmp_path)
    lanes = build_flows(tables, origin="renault_korea_busan", markets=["USA", "CAN", "KOR"], cache=fresh)
    pairs = lanes.dropna(subset=["export_port_id"])[["export_port_id", "import_port_id"]].drop_duplicates()
    assert fresh.computed == len(pairs) == 2
    build_flows(tables, cache=fresh)
    assert fresh.computed == 2  # the same pairs again: no new computation


def test_counterfactual_lane_takes_the_markets_volume(tables, cache: RouteCache) -> None:
    lanes = build_flows(tables, origin="geely_hangzhou_bay", markets=["USA", "CAN"], cache=cache)
    usa = lane(lanes, "geely_hangzhou_bay", "USA")
    assert usa["is_counterfactual"] and usa["production_status"] == "ended"
    assert usa["volume_units_per_year"] == 5000 and usa["volume_basis"] == "counterfactual"
    assert usa["export_port_id"] == "CNNGB"  # the nearer of the plant's two linked ports
    busan = build_flows(tables, origin="renault_korea_busan", markets=["USA"], cache=cache).iloc[0]
    assert usa["sea_distance_km"] > busan["sea_distance_km"]
    assert usa["co2e_kg_per_vehicle"] > busan["co2e_kg_per_vehicle"]


def test_user_volumes_and_import_port(tables, cache: RouteCache) -> None:
    lanes = build_flows(
        tables,
        origin="renault_korea_busan",
        markets=["USA"],
        volumes={"USA": 3000},
        import_ports={"USA": "USBAL"},
        cache=cache,
    )
    usa = lanes.iloc[0]
    assert usa["volume_units_per_year"] == 3000 and usa["volume_basis"] == "user"
    assert usa["import_port_id"] == "USBAL" and usa["import_port_basis"] == "user" and "panama" in usa["passages"]
    assert usa["sea_transit_days"] == pytest.approx(usa["sea_distance_nm"] / 15 / 24)


def test_explicit_market_without_live_claim(tables, cache: RouteCache) -> None:
    lanes = build_flows(tables, origin="renault_korea_busan", markets=["KOR"], cache=cache)
    kor = lanes.iloc[0]
    assert kor["is_domestic"] and kor["is_counterfactual"] and kor["production_status"] == "unconfirmed"
    assert kor["volume_basis"] == "none"  # no live lane serves KOR, so there is no volume to borrow


def test_year_before_production_has_no_lane(tables, cache: RouteCache) -> None:
    with pytest.raises(ParameterError, match="origin"):
        build_flows(tables, origin="renault_korea_busan", year=2024, cache=cache)


def test_other_emission_factor_and_speed(tables, cache: RouteCache) -> None:
    base = build_flows(tables, origin="renault_korea_busan", markets=["USA"], cache=cache).iloc[0]
    other = build_flows(
        tables,
        origin="renault_korea_busan",
        markets=["USA"],
        emission_factor_id="half_fixture",
        speed_knots=18,
        cache=cache,
    ).iloc[0]
    assert other["co2e_kg_per_vehicle"] == pytest.approx(base["co2e_kg_per_vehicle"] / 2)
    assert other["sea_transit_days"] == pytest.approx(base["sea_transit_days"] * 15 / 18)


def test_plant_without_port_link_uses_nearest_export_port(tmp_path, cache: RouteCache) -> None:
    rows = copy.deepcopy(ROWS)
    rows["plant_ports"] = [r for r in rows["plant_ports"] if r["plant_id"] != "renault_korea_busan"]
    tables = evsupply.load(write_data(tmp_path / "data", rows))
    lanes = build_flows(tables, origin="renault_korea_busan", markets=["USA"], cache=cache)
    assert (lanes.iloc[0]["export_port_id"], lanes.iloc[0]["export_port_basis"]) == ("KRPUS", "nearest")


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"origin": "nowhere"}, "origin"),
        ({"markets": ["XXX"]}, "markets"),
        ({"year": "2026"}, "year"),
        ({"year": 1800}, "year"),
        ({"volumes": {"USA": -1}}, "volumes"),
        ({"volumes": {"ZZZ": 10}}, "volumes"),
        ({"scenario": "nope"}, "scenario"),
        ({"import_ports": {"USA": "NOPE1"}}, "import_ports"),
        ({"emission_factor_id": "nope"}, "emission_factor_id"),
    ],
)
def test_bad_parameters_raise(tables, cache: RouteCache, kwargs: dict, name: str) -> None:
    with pytest.raises(ParameterError) as err:
        build_flows(tables, cache=cache, **kwargs)
    assert err.value.name == name


def test_notebook_parameters(tables) -> None:
    good = {
        "origin": "all",
        "markets": [],
        "year": 2026,
        "volumes": {},
        "scenario": "default",
        "import_ports": {},
        "compare_with": "",
    }
    assert SPEC.check(good, tables)["origin"] == "all"
    with pytest.raises(ParameterError, match=r"origin.*Valid choices: 'all'"):
        SPEC.check({**good, "origin": "busan"}, tables)
    with pytest.raises(ParameterError, match="unknown parameter name"):
        SPEC.check({**good, "market": ["USA"]}, tables)
    # A single market given as a string is a list of one.
    assert SPEC.check({**good, "markets": "USA"}, tables)["markets"] == ["USA"]
    with pytest.raises(ParameterError, match="'MEX' is not a valid choice"):
        SPEC.check({**good, "markets": "MEX"}, tables)


def test_routes_summary_and_sources(tables, cache: RouteCache) -> None:
    lanes = build_flows(tables, cache=cache)
    routes = flow_routes(lanes)
    assert len(routes) == 2 and routes["volume_units_per_year"].sum() == 10000
    table = summary(lanes)
    assert table["sea km"].dtype == "Int64" and (table["sea km"] % 10 == 0).all()
    assert {"fixture_plan", "fixture_source"} <= set(sources_used(tables, lanes))


def test_a_land_lane_loses_its_sea_leg_in_the_answer_not_in_the_frame_given() -> None:
    lanes = pd.DataFrame(
        {
            "is_domestic": [True, False],
            "sea_distance_km": [0.0, 1000.0],
            "land_origin_km": [120.0, 10.0],
            "land_destination_km": [0.0, 5.0],
        }
    )
    out = without_sea_leg_on_land(lanes)
    assert pd.isna(out.loc[0, "sea_distance_km"]) and out.loc[1, "sea_distance_km"] == 1000.0
    assert list(out["road_distance_km"]) == [120.0, 15.0]  # 120 + 0 and 10 + 5 km by road
    assert list(lanes["sea_distance_km"]) == [0.0, 1000.0] and "road_distance_km" not in lanes  # caller's frame
