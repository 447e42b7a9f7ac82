"""Read the tables into typed pandas / geopandas frames."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd

from evsupply import schema
from evsupply.paths import data_dir as resolve_data_dir

# Table Schema type -> how a validated text column becomes typed.
_CASTS = {
    "string": lambda s: s.astype("string"),
    "integer": lambda s: pd.to_numeric(s).astype("Int64"),
    "number": lambda s: pd.to_numeric(s).astype("float64"),
    "boolean": lambda s: s.map({"true": True, "false": False}, na_action="ignore").astype("boolean"),
    "date": lambda s: pd.to_datetime(s, format="%Y-%m-%d"),
}
GEO_TABLES = ("plants", "ports")


def read_tables(
    path: str | Path | None = None, only: Iterable[str] | None = None
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Typed frames of (already schema-valid) tables, and the file each came from."""
    folder = resolve_data_dir(path)
    wanted = None if only is None else set(only)
    frames: dict[str, pd.DataFrame] = {}
    files: dict[str, str] = {}
    for name, table in schema.tables(folder).items():
        if wanted is not None and name not in wanted:
            continue
        file = folder / table.path
        raw = pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        frames[name] = pd.DataFrame(
            {f["name"]: _CASTS.get(f["type"], _CASTS["string"])(raw[f["name"]]) for f in table.fields}
        )
        files[name] = str(file)
    return frames, files


class Tables(Mapping[str, pd.DataFrame]):
    """The validated tables by name (`tables["plants"]` or `tables.plants`), with the data folder and version."""

    def __init__(self, frames: dict[str, pd.DataFrame], folder: Path, version: str) -> None:
        self._frames = frames
        self.data_dir = folder
        self.version = version

    def __getitem__(self, name: str) -> pd.DataFrame:
        try:
            return self._frames[name]
        except KeyError:
            raise KeyError(f"no table '{name}'; tables: {', '.join(self._frames)}") from None

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._frames[name]
        except KeyError:
            raise AttributeError(f"no table '{name}'; tables: {', '.join(self._frames)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._frames)

    def __len__(self) -> int:
        return len(self._frames)

    def __repr__(self) -> str:
        sizes = ", ".join(f"{k}={len(v)}" for k, v in self._frames.items())
        return f"Tables({sizes}; data {self.version})"


def load(data_dir: str | Path | None = None) -> Tables:
    """Load, validate and type every table; plants and ports come as GeoDataFrames (EPSG:4326)."""
    from evsupply.validate import checked_tables

    frames, version = checked_tables(data_dir)
    for name in GEO_TABLES:
        if name in frames:
            frames[name] = to_points(frames[name])
    return Tables(frames, resolve_data_dir(data_dir), version)


def to_points(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """A frame with latitude/longitude columns as a point GeoDataFrame in EPSG:4326."""
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326")
