"""The ground floor: what every other layer may use, and which imports nothing of evsupply's above it.

Takes nothing but the standard library, pandas and the package's own files; gives where things live (`paths`, and
`assets/`: the plotly.js build and country shapes the package ships), atomic file writing (`io`), lazy imports of
heavy libraries (`lazy`), the on-disk cache (`cache`), checked report and analysis parameters (`parameters`), the
loaded tables as one record (`tables`), the evidence vocabulary (`evidence`), the time rules (`claims`: which rows hold
on a day, the latest claim per key) and the `Finding` record every findings module returns (`finding`).
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.lazy import submodule


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
