"""Batteries: where a car's cells come from and what duty and local-content rules follow (`cells`), and the
cells' leg from cell plant to car plant (`upstream`).
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.lazy import submodule


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
