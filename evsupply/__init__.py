"""evsupply: curated, sourced tables and analyses of electric-vehicle supply chains.

The folders are the layers, each importing only those below it: `core` (paths, parameters, evidence, time rules),
`data` (schema, validation, loading), `analysis` (numbers: shipping, trade, counts, batteries, cases), `findings`
(the reports' sentences), `figures` (plotly), `pages` (what each report lays out), `render` (notebooks to HTML) and
the command line (`cli`). `evsupply.load()` returns the validated tables. Modules are imported on first use, so
`import evsupply` stays quick; the names modules had before the folders (`evsupply.flows`, `evsupply.policy`,
`evsupply.state`, ...) still resolve to the same module objects.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType
from typing import Any

from evsupply._version import __version__
from evsupply.core.tables import Tables
from evsupply.data.load import load
from evsupply.errors import DataError, ParameterError, Problem

# Where each module lived before the layers had folders: the README's and the notebooks' names keep working.
MOVED = {
    "paths": "core.paths",
    "io": "core.io",
    "lazy": "core.lazy",
    "cache": "core.cache",
    "parameters": "core.parameters",
    "tables": "core.tables",
    "evidence": "core.evidence",
    "claims": "core.claims",
    "schema": "data.schema",
    "validate": "data.validate",
    "verdicts": "data.verdicts",
    "freshness": "data.freshness",
    "changes": "data.changes",
    "geo": "data.geo",
    "metadata": "data.metadata",
    "markets": "analysis.markets",
    "ownership": "analysis.ownership",
    "routes": "analysis.shipping.routes",
    "ports": "analysis.shipping.ports",
    "legs": "analysis.shipping.legs",
    "lanes": "analysis.shipping.lanes",
    "volumes": "analysis.shipping.volumes",
    "emissions": "analysis.shipping.emissions",
    "flows": "analysis.shipping.flows",
    "policy": "analysis.trade.policy",
    "landed": "analysis.trade.landed",
    "observed": "analysis.counts.observed",
    "capacity": "analysis.counts.capacity",
    "overview": "analysis.counts.overview",
    "batteries": "analysis.batteries.cells",
    "upstream": "analysis.batteries.upstream",
    "cases": "analysis.cases.atlas",
    "state": "analysis.cases.state",
}
# Reachable as attributes (`evsupply.flows.build_flows(...)`, `evsupply.figures.maps`) without importing them all.
SUBMODULES = ("analysis", "core", "data", "export", "figures", "findings", "pages", "render", *MOVED)
__all__ = ["DataError", "ParameterError", "Problem", "Tables", "__version__", "load", *sorted(SUBMODULES)]


def _moved_target(fullname: str) -> str | None:
    """The module's name in its layer folder, for a name from before the folders (None for any other name)."""
    head, _, rest = fullname.removeprefix("evsupply.").partition(".")
    if not fullname.startswith("evsupply.") or head not in MOVED:
        return None
    return f"evsupply.{MOVED[head]}" + (f".{rest}" if rest else "")


class _MovedLoader(importlib.abc.Loader):
    """Gives the module of the new name itself, so both names are one module object."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.target)
        self.spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        module.__spec__ = self.spec  # the import system gave it the old name's spec: its own is put back


class _MovedFinder(importlib.abc.MetaPathFinder):
    """Finds `evsupply.flows` (and `evsupply.metadata.fields`...) at their places in the layer folders."""

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        new = _moved_target(fullname)
        return None if new is None else importlib.machinery.ModuleSpec(fullname, _MovedLoader(new))


if not any(isinstance(finder, _MovedFinder) for finder in sys.meta_path):
    sys.meta_path.insert(0, _MovedFinder())


def __getattr__(name: str) -> Any:
    if name in MOVED:
        return importlib.import_module(f"evsupply.{MOVED[name]}")
    if name in SUBMODULES:
        return importlib.import_module(f"evsupply.{name}")
    raise AttributeError(f"module 'evsupply' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *SUBMODULES])
