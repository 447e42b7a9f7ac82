"""The analyses: numbers from the loaded tables, never sentences.

Takes a `Tables` record (and parameters checked by `core.parameters`); gives frames and small frozen records with
documented columns and fields, each carrying its evidence word and source ids. Markets (`markets`) and ownership
look-through (`ownership`) sit at the root; then one folder per domain: `shipping/` (sea routes, ports, legs, lanes,
volumes, emissions, flows), `trade/` (duties and sales bans: `policy`; landed cost: `landed`), `counts/` (observed
counts against plans, plant capacity, the data overview), `batteries/` (cell origin and duty: `cells`; the cells' leg:
`upstream`) and `cases/` (the case atlas: `atlas`; one case's state of play on a day: `state`). Imports `core` and
`data`; never `findings`, `figures`, `pages` or `render`.
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.lazy import submodule


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
