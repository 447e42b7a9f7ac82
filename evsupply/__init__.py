"""evsupply: curated, sourced tables and analyses of electric-vehicle supply chains.

`evsupply.load()` returns the validated tables; the analysis modules (`evsupply.flows`, `evsupply.policy`, ...)
are imported on first use, so `import evsupply` stays quick.
"""

from __future__ import annotations

import importlib
from typing import Any

from evsupply._version import __version__
from evsupply.errors import DataError, ParameterError, Problem
from evsupply.load import load
from evsupply.tables import Tables

# Submodules reachable as attributes (`evsupply.flows.build_flows(...)`) without importing them all up front.
SUBMODULES = (
    "batteries",
    "capacity",
    "cases",
    "claims",
    "evidence",
    "export",
    "figures",
    "findings",
    "flows",
    "freshness",
    "geo",
    "lanes",
    "landed",
    "observed",
    "ownership",
    "parameters",
    "policy",
    "ports",
    "pages",
    "routes",
    "schema",
    "state",
    "upstream",
    "validate",
)
__all__ = ["DataError", "ParameterError", "Problem", "Tables", "__version__", "load", *SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in SUBMODULES:
        return importlib.import_module(f"evsupply.{name}")
    raise AttributeError(f"module 'evsupply' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *SUBMODULES])
