"""GIS export: `evsupply export --gpkg` writes plants, ports, routes and lanes that read back as valid layers."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from kit import write_data

from evsupply.cli import main
from evsupply.export import is_evsupply_gpkg


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


def _export(capsys, target, data, *extra: str) -> tuple[int, str]:
    status = main(["export", "--gpkg", str(target), "--data-dir", str(data), "--origin", "geely_hangzhou_bay", *extra])
    return status, capsys.readouterr().err


@pytest.fixture
def data(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EVSUPPLY_CACHE_DIR", str(tmp_path / "cache"))
    return write_data(tmp_path / "data")


def test_export_replaces_its_own_geopackage(gpkg, tmp_path, data, capsys) -> None:
    target = tmp_path / "flows.gpkg"
    target.write_bytes(gpkg.read_bytes())  # written by evsupply export: replaced without --force
    assert is_evsupply_gpkg(target)
    assert _export(capsys, target, data) == (0, "")
    assert len(gpd.read_file(target, layer="lanes")) == 1
    assert not list(tmp_path.glob(".flows*"))  # no temporary file left behind


def test_export_refuses_a_file_it_did_not_write_unless_forced(tmp_path, data, capsys) -> None:
    target = tmp_path / "notes.gpkg"
    target.write_text("my notes")
    status, err = _export(capsys, target, data)
    assert status == 1 and err == (
        f"error: {target} exists and is not a GeoPackage written by evsupply export; use --force to replace it\n"
    )
    assert target.read_text() == "my notes"
    other = tmp_path / "other.gpkg"  # a GeoPackage, but not ours
    gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(0, 0)], crs="EPSG:4326").to_file(other, driver="GPKG")
    before = other.read_bytes()
    assert _export(capsys, other, data)[0] == 1 and other.read_bytes() == before
    assert _export(capsys, target, data, "--force") == (0, "")
    assert is_evsupply_gpkg(target) and not list(tmp_path.glob(".notes*"))


def test_export_never_replaces_a_folder_or_a_special_file(tmp_path, data, capsys) -> None:
    fifo = tmp_path / "pipe.gpkg"
    os.mkfifo(fifo)
    (tmp_path / "folder.gpkg").mkdir()
    for target, reason in [
        (fifo, "it is not a regular file (a device, pipe or socket)"),
        (tmp_path / "folder.gpkg", "it is a folder"),
    ]:
        for extra in ([], ["--force"]):
            status, err = _export(capsys, target, data, *extra)
            assert status == 1 and err == f"error: cannot write {target}: {reason}\n"
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and (tmp_path / "folder.gpkg").is_dir()
    assert {p.name for p in tmp_path.iterdir()} - {"cache"} == {"data", "folder.gpkg", "pipe.gpkg"}


def test_export_refuses_a_symbolic_link_unless_forced(gpkg, tmp_path, data, capsys) -> None:
    link = tmp_path / "link.gpkg"
    link.symlink_to(gpkg)
    status, err = _export(capsys, link, data)
    assert status == 1 and "is a symbolic link; use --force" in err and link.is_symlink()


@pytest.mark.parametrize("where", ["under-a-file", "unwritable"])
def test_export_into_a_place_it_cannot_write_is_one_line(tmp_path, data, capsys, where: str) -> None:
    if where == "under-a-file":
        (tmp_path / "file.txt").write_text("")
        target = tmp_path / "file.txt" / "flows.gpkg"
    else:
        target = Path("/proc/evsupply-test/flows.gpkg")  # not writable, even by root
    status, err = _export(capsys, target, data)
    assert status == 1 and err.startswith(f"error: cannot write {target}: ") and err.count("\n") == 1
    assert (tmp_path / "file.txt").read_text() == "" if where == "under-a-file" else True
