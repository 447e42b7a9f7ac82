"""Sea routes: distances, passages, the antimeridian, the route cache; land legs."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from kit import PORTS
from pyproj import Geod

from evsupply.analysis.shipping import routes
from evsupply.analysis.shipping.routes import RouteCache, sea_route, split_antimeridian
from evsupply.errors import ParameterError


@pytest.fixture(scope="module")
def ports() -> pd.DataFrame:
    return pd.DataFrame(PORTS)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> RouteCache:
    return RouteCache(folder=tmp_path_factory.mktemp("routes"))


def test_busan_los_angeles_distance(ports: pd.DataFrame, cache: RouteCache) -> None:
    route = sea_route("KRPUS", "USLAX", ports, speed_knots=15, cache=cache)
    assert 9_000 <= route.distance_km <= 10_500
    assert route.distance_nm == pytest.approx(route.distance_km / 1.852)
    assert route.transit_days == pytest.approx(route.distance_nm / 15 / 24)
    assert route.passages == ()


def test_busan_baltimore_crosses_panama(ports: pd.DataFrame, cache: RouteCache) -> None:
    route = sea_route("KRPUS", "USBAL", ports, speed_knots=15, cache=cache)
    assert "panama" in route.passages
    assert "northwest" not in route.passages  # the restriction searoute needs us to keep
    assert 17_000 <= route.distance_km <= 20_500


def test_restrictions_keep_northwest() -> None:
    assert "northwest" in routes.RESTRICTIONS


def test_cached_route_is_not_recomputed(ports: pd.DataFrame, tmp_path) -> None:
    first = RouteCache(folder=tmp_path)
    a = sea_route("KRPUS", "CAVAN", ports, speed_knots=15, cache=first)
    b = sea_route("KRPUS", "CAVAN", ports, speed_knots=20, cache=first)  # speed does not change the route
    assert first.computed == 1
    assert b.distance_km == a.distance_km and b.transit_days < a.transit_days
    second = RouteCache(folder=tmp_path)  # a new process: the route comes from disk
    c = sea_route("KRPUS", "CAVAN", ports, speed_knots=15, cache=second)
    assert (second.computed, second.disk_hits) == (0, 1)
    assert c.distance_km == a.distance_km and c.geometry.equals(a.geometry)


def test_cache_key_depends_on_coordinates_and_searoute_version(monkeypatch: pytest.MonkeyPatch) -> None:
    key = routes.route_key((129.1, 35.1), (-118.26, 33.73))
    assert key == routes.route_key((129.1, 35.1), (-118.26, 33.73))
    assert key != routes.route_key((129.1, 35.1), (-118.27, 33.73))
    monkeypatch.setattr(routes, "searoute_version", lambda: "0.0.0")
    assert key != routes.route_key((129.1, 35.1), (-118.26, 33.73))


def test_antimeridian_route_is_valid_gis(ports: pd.DataFrame, cache: RouteCache, tmp_path) -> None:
    route = sea_route("KRPUS", "USLAX", ports, speed_knots=15, cache=cache)
    geom = route.geometry
    assert geom.geom_type == "MultiLineString" and len(geom.geoms) == 2 and geom.is_valid
    xs = shapely.get_coordinates(geom)[:, 0]
    assert xs.min() >= -180 and xs.max() <= 180
    assert geom.geoms[0].coords[-1][0] == 180.0 and geom.geoms[1].coords[0][0] == -180.0
    assert geom.geoms[0].coords[0] == pytest.approx((129.1, 35.0833))  # starts at the port itself
    # Written and read back as a GIS layer, it stays valid and inside [-180, 180].
    path = tmp_path / "route.gpkg"
    gpd.GeoDataFrame({"name": ["KRPUS-USLAX"]}, geometry=[geom], crs="EPSG:4326").to_file(path, layer="routes")
    back = gpd.read_file(path, layer="routes")
    assert back.crs.to_epsg() == 4326 and back.geometry.is_valid.all()
    assert back.total_bounds[0] >= -180 and back.total_bounds[2] <= 180


def test_bad_parameters_raise(ports: pd.DataFrame, cache: RouteCache) -> None:
    with pytest.raises(ParameterError, match=r"origin_port_id.*Valid choices.*KRPUS"):
        sea_route("XXXXX", "USLAX", ports, speed_knots=15, cache=cache)
    with pytest.raises(ParameterError, match="speed_knots"):
        sea_route("KRPUS", "USLAX", ports, speed_knots=0, cache=cache)
    with pytest.raises(ParameterError, match="speed_knots"):
        sea_route("KRPUS", "USLAX", ports, cache=cache)


def test_land_km_applies_the_road_factor() -> None:
    _, _, metres = Geod(ellps="WGS84").inv(128.87, 35.08, 129.08, 35.10)
    assert routes.land_km(128.87, 35.08, 129.08, 35.10)[0] == pytest.approx(metres / 1000 * routes.ROAD_CIRCUITY_FACTOR)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-30, 30), st.floats(-60, 60)), min_size=1, max_size=12), st.floats(-400, 400))
def test_split_antimeridian_properties(steps: list[tuple[float, float]], start: float) -> None:
    coords = [(start, 0.0)]
    for dx, lat in steps:
        coords.append((coords[-1][0] + dx, lat))
    line = shapely.LineString(coords)
    if line.length == 0:
        return
    split = split_antimeridian(coords)
    xs = shapely.get_coordinates(split)[:, 0]
    assert split.is_valid
    assert xs.min() >= -180 and xs.max() <= 180
    assert math.isclose(split.length, line.length, rel_tol=1e-9, abs_tol=1e-9)
