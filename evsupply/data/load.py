"""Load a data folder: validate it once per content (signed verdicts kept in a private cache), then return its typed
tables."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from evsupply.core.cache import open_store
from evsupply.core.paths import data_dir as resolve_data_dir
from evsupply.core.tables import Tables
from evsupply.data import schema, snapshot, validate
from evsupply.data.verdicts import SUB, rules_fingerprint
from evsupply.errors import DataError

GEO_TABLES = ("plants", "ports")


def load(data_dir: str | Path | None = None) -> Tables:
    """Load, validate and type every table; plants and ports come as GeoDataFrames (EPSG:4326).

    Raises `DataError` listing every problem when the data breaks a rule. A folder whose content (and
    evsupply's rules) have not changed since evsupply last found it valid is not checked again; see `is_known_valid`.
    The folder is read once: the bytes hashed are the bytes checked, parsed and returned, and `Tables.version`
    is their hash, so a file saved meanwhile costs a new check, never a table that was not checked.
    """
    # Load inputs: one read of the folder
    snap = snapshot.take(resolve_data_dir(data_dir))
    digest = snap.digest
    # Process data: check these bytes (unless a verdict for exactly them exists), then type them
    if is_known_valid(digest):
        frames = {name: schema.parse_table(snap.get(t.path).data or b"", t) for name, t in schema.tables().items()}
    else:
        problems, frames = validate.check(snap=snap)
        found = validate.errors(problems)
        if found:
            raise DataError(found)
        remember_valid(digest)
    for name in GEO_TABLES:
        frames[name] = to_points(frames[name])
    return Tables(frames, snap.folder, digest[:12], release_of(snap))


def release_of(snap: snapshot.Snapshot) -> str:
    """The semantic version the snapshot's datapackage.json declares ("" when it has none)."""
    data = snap.get(snapshot.DESCRIPTOR).data
    try:
        version = json.loads(data.decode("utf-8")).get("version") if data else None
    except (ValueError, AttributeError, RecursionError):
        return ""
    return str(version or "")


def to_points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """A frame with latitude/longitude columns as a point GeoDataFrame in EPSG:4326."""
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326")


def is_known_valid(digest: str) -> bool:
    """True if this user's private cache holds a verdict, signed with its key, that content `digest` is valid
    under the current rules. Any doubt (no private cache, no verdict, a verdict not signed by us) is False."""
    store = open_store(sub=SUB)
    if store is None:
        return False
    fingerprint = rules_fingerprint()
    text = store.read(_verdict_name(digest, fingerprint))
    if text is None:
        return False
    return store.verify(text.decode("ascii", errors="replace").strip(), "verdict", digest, fingerprint)


def remember_valid(digest: str) -> bool:
    """Store the signed verdict "content `digest` is valid"; `digest` is the hash of the bytes that were checked
    (`snapshot.Snapshot.digest`), never one taken again afterwards. False when the cache cannot be used (a cache
    only costs speed)."""
    store = open_store(sub=SUB)
    if store is None:
        return False
    fingerprint = rules_fingerprint()
    return store.write(_verdict_name(digest, fingerprint), store.sign("verdict", digest, fingerprint) + "\n")


def _verdict_name(digest: str, fingerprint: str) -> str:
    return f"{digest}-{fingerprint}.valid"
