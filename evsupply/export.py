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

import io
import json
import os
import re
import sqlite3
import stat
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

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


# --- a report's "download everything" ------------------------------------------------------------------------

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the bytes depend on the files alone
LICENCE_WORDS = "Creative Commons Attribution 4.0 (CC BY 4.0), https://creativecommons.org/licenses/by/4.0/"


def bundle_name(report: str, data_version: str) -> str:
    """The zip's file name: the report (with its case or subject) and the data version."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", report).strip("._") or "report"
    version = re.sub(r"[^A-Za-z0-9._-]+", "_", data_version).strip("._")
    return f"{stem}-data-{version}.zip" if version else f"{stem}.zip"


def citation(title: str, report: str, day: str, version: str, content_hash: str) -> str:
    """How to cite a report's data, in one line."""
    what = f"evsupply contributors, “{title}” (report {report})"
    when = f", read on {day}" if day else ""
    data = f", data version {version}" if version else ""
    content = f" (content {content_hash})" if content_hash else ""
    return f"{what}{when}{data}{content}. Licence: CC BY 4.0."


def bundle_readme(package: Mapping[str, Any], title: str, report: str, day: str) -> str:
    """The README of a report's zip: what each file holds, where the numbers come from, how to cite them."""
    version = str(package.get("version") or "")
    content_hash = str(package.get("evsupply_content_hash") or "")
    lines = [
        f"# {title}",
        "",
        f"The data behind the evsupply report `{report}`" + (f", read on {day}" if day else "") + ".",
        f"Data version {version or 'unknown'}" + (f" (content hash {content_hash})" if content_hash else "") + ".",
        "",
        "## Files",
        "",
    ]
    for r in package.get("resources", []):
        lines.append(f"- `{r.get('path')}`: {r.get('title') or r.get('name')}")
    lines += [
        "- `datapackage.json`: every file's columns (type, title, rounding) and every source the files cite, with its",
        "  publisher, title, date and URL (Frictionless data package).",
        "",
        "The CSV files are UTF-8 with a byte-order mark (spreadsheets keep accents intact), one header row, numbers",
        "rounded to their precision (as datapackage.json says per column), ISO dates, source ids joined by `;`.",
        "Each source id resolves in datapackage.json (`sources`) and on the site's sources page (sources.html).",
        "",
        "## How to cite",
        "",
        citation(title, report, day, version, content_hash),
        "",
        f"Licence: {LICENCE_WORDS}. Cite the original sources too when you quote a number.",
        "",
    ]
    return "\n".join(lines)


def report_bundle(files: Mapping[str, bytes | str], title: str, report: str, day: str) -> bytes:
    """A report's "download everything" zip: `files` (its CSVs and datapackage.json, by name) and a README.md;
    deterministic (sorted names, fixed times and permissions)."""
    try:
        package = json.loads(files.get("datapackage.json") or "{}")
    except ValueError:
        package = {}
    content = {name: (data.encode("utf-8") if isinstance(data, str) else data) for name, data in files.items()}
    content["README.md"] = bundle_readme(package, title, report, day).encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(content):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix: the same bytes on every machine
            archive.writestr(info, content[name], compresslevel=9)
    return out.getvalue()


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
