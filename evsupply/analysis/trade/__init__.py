"""Trade measures: the duty and the sale authorisation of a car in a market on a day (`policy`) and its landed
cost (`landed`).
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.lazy import submodule


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
