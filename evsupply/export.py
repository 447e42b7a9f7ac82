"""GIS export: plants, ports, sea routes and lanes as GeoPackage layers (EPSG:4326) that QGIS opens."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from evsupply.flows import flow_routes
from evsupply.io import move_atomic, temp_path

LAYERS = ("plants", "ports", "routes", "lanes")


def gis_layers(tables: Mapping[str, pd.DataFrame], lanes: gpd.GeoDataFrame) -> dict[str, gpd.GeoDataFrame]:
    """The layers to export: every plant and port, the sea routes the lanes use, and the lanes."""
    return {
        "plants": gpd.GeoDataFrame(tables["plants"], geometry="geometry", crs="EPSG:4326"),
        "ports": gpd.GeoDataFrame(tables["ports"], geometry="geometry", crs="EPSG:4326"),
        "routes": flow_routes(lanes),
        "lanes": lanes,
    }


def _plain(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns GDAL writes as they are: nullable strings and booleans as objects, geometries made valid."""
    out = gdf.copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        dtype = out[col].dtype
        if isinstance(dtype, pd.StringDtype) or isinstance(dtype, pd.BooleanDtype):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    geoms = out.geometry.values
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        out.loc[invalid, out.geometry.name] = shapely.make_valid(geoms[invalid])
    return out.to_crs("EPSG:4326")


def write_gpkg(path: str | os.PathLike[str], layers: Mapping[str, gpd.GeoDataFrame]) -> Path:
    """Write the layers to one GeoPackage, replacing the file only when every layer is written."""
    import pyogrio

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)  # GDAL creates it; renamed into place once every layer is written
    try:
        for name, gdf in layers.items():
            pyogrio.write_dataframe(_plain(gdf), tmp, layer=name, driver="GPKG", append=tmp.exists())
        move_atomic(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
