"""Plotly figures built from evsupply's frames (no file or network access).

The figure modules (`evsupply.figures.flows`, `evsupply.figures.atlas`, ...) are reachable as attributes,
imported on first use like evsupply's own submodules.
"""

from __future__ import annotations

import importlib
from typing import Any

SUBMODULES = ("atlas", "bars", "capacity", "flows", "maps", "ownership", "policy", "text", "trade")
__all__ = list(SUBMODULES)


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        return importlib.import_module(f"evsupply.figures.{name}")
    raise AttributeError(f"module 'evsupply.figures' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *SUBMODULES])
