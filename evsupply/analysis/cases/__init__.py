"""Cases: the atlas of China-linked car plants outside China (`atlas`) and one case's state of play on a day
(`state`: may the car be sold, its duty, the latest count, who controls the maker, the plant's status), as data.
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.lazy import submodule


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
