"""GIS export: `evsupply export --gpkg` writes plants, ports, routes and lanes that read back as valid layers."""

from __future__ import annotations

import geopandas as gpd
import pyogrio
import pytest
import shapely
from kit import write_data

from evsupply.cli import main


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("export")
    data = write_data(folder / "data")
    path = folder / "out" / "flows.gpkg"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVSUPPLY_CACHE_DIR", str(folder / "cache"))
        assert main(["export", "--gpkg", str(path), "--data-dir", str(data)]) == 0
    return path


def test_layers_read_back(gpkg) -> None:
    layers = dict(pyogrio.list_layers(gpkg))
    assert layers == {"plants": "Point", "ports": "Point", "routes": "MultiLineString", "lanes": "MultiLineString"}
    for name in layers:
        gdf = gpd.read_file(gpkg, layer=name)
        assert gdf.crs.to_epsg() == 4326
        assert len(gdf) and gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any()
        xs = shapely.get_coordinates(gdf.geometry.values)[:, 0]
        assert xs.min() >= -180 and xs.max() <= 180


def test_antimeridian_route_exports_as_valid_lines(gpkg) -> None:
    routes = gpd.read_file(gpkg, layer="routes")
    pacific = routes[(routes["export_port_id"] == "KRPUS") & (routes["import_port_id"] == "USLAX")].iloc[0]
    assert len(pacific.geometry.geoms) == 2  # cut at the antimeridian, not a line across the whole map
    assert max(abs(x) for part in pacific.geometry.geoms for x, _ in part.coords) == 180
    lanes = gpd.read_file(gpkg, layer="lanes")
    assert {"lane_id", "volume_units_per_year", "sea_distance_km", "co2e_kg_per_vehicle"} <= set(lanes.columns)
    assert lanes["is_domestic"].dtype == bool


def test_export_replaces_an_existing_file(gpkg, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(tmp_path / "cache"))
    data = write_data(tmp_path / "data")
    target = tmp_path / "flows.gpkg"
    target.write_bytes(b"old")
    assert main(["export", "--gpkg", str(target), "--data-dir", str(data), "--origin", "geely_hangzhou_bay"]) == 0
    assert len(gpd.read_file(target, layer="lanes")) == 1
    assert not list(tmp_path.glob(".flows.gpkg.*"))  # no temporary file left behind
