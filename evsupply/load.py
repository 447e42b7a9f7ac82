"""Load a data folder: validate it once per content (verdicts kept on disk), then return its typed tables."""

from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pandas as pd

from evsupply import schema, validate
from evsupply._version import __version__
from evsupply.errors import DataError
from evsupply.paths import PACKAGE_DIR, cache_dir, data_release, data_version
from evsupply.paths import data_dir as resolve_data_dir
from evsupply.tables import Tables

GEO_TABLES = ("plants", "ports")
# The code that decides validity: a verdict is reused only while these files are unchanged.
RULE_FILES = (
    "validate.py",
    "schema.py",
    "freshness.py",
    "claims.py",
    "geo.py",
    "metadata/fields.py",
    "metadata/resources.py",
)


def load(data_dir: str | Path | None = None) -> Tables:
    """Load, validate and type every table; plants and ports come as GeoDataFrames (EPSG:4326).

    Raises `DataError` listing every problem when the data breaks a rule. A folder whose content (and
    evsupply's rules) have not changed since it was last found valid is not checked again.
    """
    folder = resolve_data_dir(data_dir)
    version = data_version(folder)
    verdict = _verdict_file(version)
    if verdict is not None and verdict.is_file():
        frames = {name: schema.read_table(folder, table) for name, table in schema.tables().items()}
    else:
        problems, frames = validate.check(folder)
        found = validate.errors(problems)
        if found:
            raise DataError(found)
        _remember(verdict)
    for name in GEO_TABLES:
        frames[name] = to_points(frames[name])
    return Tables(frames, folder, version, data_release(folder))


def to_points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """A frame with latitude/longitude columns as a point GeoDataFrame in EPSG:4326."""
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326")


def rules_fingerprint() -> str:
    """A hash of evsupply's version and of the code that decides validity."""
    digest = hashlib.sha256(__version__.encode())
    for name in RULE_FILES:
        digest.update((PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def _verdict_file(version: str) -> Path | None:
    """Where the "valid" verdict for this content and these rules is kept (None when there is no usable cache)."""
    try:
        return cache_dir() / "verdicts" / f"{version}-{rules_fingerprint()}.valid"
    except OSError:
        return None


def _remember(verdict: Path | None) -> None:
    if verdict is None:
        return
    try:
        verdict.parent.mkdir(parents=True, exist_ok=True)
        verdict.touch()
    except OSError:  # a read-only cache only costs speed
        pass
