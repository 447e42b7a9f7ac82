"""Render notebooks × parameter sets into an offline HTML report site (see `evsupply render --help`).

The public names are imported on first use, so `evsupply --help` stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Job": "job", "Result": "job", "render_one": "job",
    "ManifestError": "manifest", "Report": "manifest", "load_manifest": "manifest",
    "render": "runner", "summary": "runner",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"evsupply.render.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'evsupply.render' has no attribute {name!r}")
