"""The one `Tables` type: the typed tables of a data folder, by name, with where they came from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd


class Tables(Mapping[str, pd.DataFrame]):
    """Typed tables by name (`tables["plants"]` or `tables.plants`), with their folder and versions.

    `version` is a content hash of the data files (any edit changes it); `data_version` the data package's
    semantic version (see data/CHANGELOG.md). Analyses accept any `Tables`, including small hand-made ones.
    """

    def __init__(
        self,
        frames: Mapping[str, pd.DataFrame],
        data_dir: Path | None = None,
        version: str = "",
        data_version: str = "",
    ) -> None:
        self._frames = dict(frames)
        self.data_dir = data_dir
        self.version = version
        self.data_version = data_version

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
        return f"Tables({sizes}; data {self.data_version or '?'}, content {self.version or '?'})"


def is_missing(value: object) -> bool:
    """The one missing-value rule: None and pandas' missing scalars (NA, NaT, NaN) are missing; a list, an array or
    any other value is not."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not a missing scalar
        return False


def names(tables: Mapping[str, pd.DataFrame], table: str, key: str, name: str) -> pd.Series:
    """The `name` column of `table` indexed by its `key` column (e.g. plant names by plant_id), to look ids up."""
    return tables[table].set_index(key)[name]
