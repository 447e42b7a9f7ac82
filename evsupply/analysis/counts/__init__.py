"""Counts: what was counted against what was planned (`observed`), a plant's output against its capacity
(`capacity`) and what the tables hold for a plant (`overview`).
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.lazy import submodule


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
