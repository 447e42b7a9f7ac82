"""Exports: a report's "download everything" zip, and GIS layers (plants, ports, sea routes and lanes as
GeoPackage layers, EPSG:4326, that QGIS opens).

The zip (`report_bundle`) holds a report's CSVs, its datapackage.json (every source id resolved) and a README
saying what the files are and how to cite them; the same files give the same bytes (fixed order, times and
permissions), so a re-render that changed nothing leaves the zip unchanged.

The file is written under a temporary name and renamed into place. An existing file is replaced only if it is
a GeoPackage this export wrote (it carries the dataset metadata item `evsupply_export`), or with force=True;
a folder, a device, a pipe or a socket is never replaced.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from evsupply.analysis.shipping.flows import flow_routes
from evsupply.core.io import move_atomic, temp_path, why_not_creatable
from evsupply.errors import EvsupplyError

LAYERS = ("plants", "ports", "routes", "lanes")
MARK_KEY = "evsupply_export"  # GDAL dataset metadata, stored in the GeoPackage's gpkg_metadata table
MARK_VALUE = "1"
_SQLITE_HEADER = b"SQLite format 3\x00"
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"


class ExportError(EvsupplyError, ValueError):
    """The export cannot write where it was asked to; the one-line message says why."""


# --- GIS layers ------------------------------------------------------------------------------------------------


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


def is_evsupply_gpkg(path: str | os.PathLike[str]) -> bool:
    """True if `path` is a regular file holding a GeoPackage written by `write_gpkg`."""
    path = Path(path)
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False
        with open(path, "rb") as handle:
            if handle.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                return False
        # immutable=1: read only, no journal or lock file next to it
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True) as db:
            if db.execute("PRAGMA application_id").fetchone()[0] != _GPKG_APPLICATION_ID:
                return False
            rows = db.execute("SELECT metadata FROM gpkg_metadata").fetchall()
    except (OSError, sqlite3.Error):
        return False
    return any(f'<MDI key="{MARK_KEY}">{MARK_VALUE}</MDI>' in str(row[0]) for row in rows)


def check_target(path: str | os.PathLike[str], force: bool = False) -> Path:
    """Raise ExportError unless `write_gpkg` may write `path`; changes nothing on disk."""
    target = Path(path)
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    if mode is not None:
        if stat.S_ISDIR(mode):
            raise ExportError(f"cannot write {target}: it is a folder")
        if stat.S_ISLNK(mode) and not force:
            raise ExportError(f"{target} is a symbolic link; use --force to replace the link with the GeoPackage")
        if not stat.S_ISREG(mode) and not stat.S_ISLNK(mode):
            raise ExportError(f"cannot write {target}: it is not a regular file (a device, pipe or socket)")
        if stat.S_ISREG(mode) and not force and not is_evsupply_gpkg(target):
            raise ExportError(
                f"{target} exists and is not a GeoPackage written by evsupply export; use --force to replace it"
            )
    reason = why_not_creatable(target)
    if reason:
        raise ExportError(f"cannot write {target}: {reason}")
    return target


def write_gpkg(path: str | os.PathLike[str], layers: Mapping[str, gpd.GeoDataFrame], force: bool = False) -> Path:
    """Write the layers to one GeoPackage, replacing the file only when every layer is written.

    Raises ExportError (nothing written) if `path` is a folder, a device, or a file that is not a GeoPackage
    this function wrote (unless `force`), or if the folder cannot be written.
    """
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    target = check_target(path, force)
    tmp = temp_path(target)  # GDAL creates it; renamed into place once every layer is written
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for i, (name, gdf) in enumerate(layers.items()):
            pyogrio.write_dataframe(
                _plain(gdf),
                tmp,
                layer=name,
                driver="GPKG",
                append=i > 0,
                dataset_metadata={MARK_KEY: MARK_VALUE} if i == 0 else None,
            )
        check_target(target, force)  # nothing appeared there meanwhile that must not be replaced
        move_atomic(tmp, target)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    except (DataSourceError, DataLayerError) as exc:  # GDAL's own I/O errors (a full disk among them)
        raise ExportError(f"cannot write {target}: {str(exc).splitlines()[0]}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return target
