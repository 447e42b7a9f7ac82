"""Where evsupply finds its data, shipped assets and cache."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS_DIR = PACKAGE_DIR / "assets"
WORLD_TOPOJSON = ASSETS_DIR / "topojson" / "world_110m.json"
DATA_DIR = PACKAGE_DIR.parent / "data"


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the data folder: `path`, else $EVSUPPLY_DATA_DIR, else the repository's `data/`."""
    chosen = path if path is not None else os.environ.get("EVSUPPLY_DATA_DIR") or DATA_DIR
    return Path(chosen).expanduser().resolve()


def cache_dir() -> Path:
    """Return (and create) the on-disk cache folder, outside the package: $EVSUPPLY_CACHE_DIR or ~/.cache/evsupply."""
    base = os.environ.get("EVSUPPLY_CACHE_DIR") or (
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "evsupply"
    )
    path = Path(base).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_version(path: str | os.PathLike[str] | None = None) -> str:
    """Return a short content hash of the data folder (its CSV files and datapackage.json)."""
    folder = data_dir(path)
    digest = hashlib.sha256()
    for file in sorted([*folder.glob("*.csv"), *folder.glob("datapackage.json")]):
        digest.update(file.name.encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:12]
