"""Where evsupply finds its data, notebooks, shipped assets and cache."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
ASSETS_DIR = Path(__file__).resolve().parent / "assets"  # what the package ships: plotly.js, country shapes
WORLD_TOPOJSON = ASSETS_DIR / "topojson" / "world_110m.json"
# A checkout has data/ and notebooks/ beside the package; an installed wheel carries copies in evsupply/bundled/.
CHECKOUT_DIR = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "bundled"


def _checkout_or_bundled(name: str, marker: str) -> Path:
    checkout = CHECKOUT_DIR / name
    return checkout if (checkout / marker).is_file() else BUNDLED_DIR / name


DATA_DIR = _checkout_or_bundled("data", "datapackage.json")
NOTEBOOKS_DIR = _checkout_or_bundled("notebooks", "reports.yml")


def data_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The data folder: `path`, else $EVSUPPLY_DATA_DIR, else the checkout's `data/`, else the bundled copy."""
    chosen = path if path is not None else os.environ.get("EVSUPPLY_DATA_DIR") or DATA_DIR
    return Path(chosen).expanduser().resolve()


def cache_dir() -> Path:
    """Return (and create, private to this user) the on-disk cache folder, outside the package: $EVSUPPLY_CACHE_DIR
    or ~/.cache/evsupply. Raises OSError when it cannot be created (`core.cache.open_store` says None instead)."""
    base = os.environ.get("EVSUPPLY_CACHE_DIR") or (
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "evsupply"
    )
    path = Path(base).expanduser()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def data_release(path: str | os.PathLike[str] | None = None) -> str:
    """The semantic version the data folder's datapackage.json declares ("" when it has none)."""
    try:
        version = json.loads((data_dir(path) / "datapackage.json").read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return ""
    return str(version or "")


def data_version(path: str | os.PathLike[str] | None = None) -> str:
    """A short content hash of the data folder (the first 12 hex digits of `data_digest`)."""
    return data_digest(path)[:12]


def data_digest(path: str | os.PathLike[str] | None = None) -> str:
    """The SHA-256 of the data folder: its regular `*.csv` files and datapackage.json, by name and bytes.

    Folders, dangling links and unreadable files are hashed by name only (validation reports them).
    """
    folder = data_dir(path)
    digest = hashlib.sha256()
    for file in sorted([*folder.glob("*.csv"), *folder.glob("datapackage.json")]):
        digest.update(file.name.encode() + b"\0")
        try:
            digest.update(file.read_bytes() if file.is_file() else b"(not a file)")
        except OSError:
            digest.update(b"(unreadable)")
        digest.update(b"\0")
    return digest.hexdigest()
