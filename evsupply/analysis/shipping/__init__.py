"""Shipping: sea routes (`routes`), the ports a plant or market uses (`ports`), the land and sea legs of a lane
(`legs`), the lanes a plant supplies (`lanes`), their volumes (`volumes`), their emissions (`emissions`) and the flows
that put them together (`flows`).
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.lazy import submodule


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
