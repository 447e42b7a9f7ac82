"""The findings: the sentences of each report, written from the analyses' numbers.

Takes the results of `evsupply.analysis` (frames and records with their evidence words, dates and source ids);
gives `Finding` records (`evsupply.core.finding`): a sentence, its numbers as numbers, its evidence word, as-of date,
source ids and assumptions. One module per report (`flows`, `market_access`, `brief`, `ownership`, `capacity`,
`data_overview`, `batteries`, `atlas`); a sentence shared by two reports lives in the module of the report that
owns the idea and is imported by the other. Imports `core`, `data` and `analysis`; `figures` and `pages` use it.

`Finding`, `sources_of` and `unique_ids` are re-exported here, where the record lived before the layers had folders.
"""

from __future__ import annotations

from types import ModuleType

from evsupply.core.finding import Finding, sources_of, unique_ids
from evsupply.core.lazy import submodule

__all__ = ["Finding", "sources_of", "unique_ids"]


def __getattr__(name: str) -> ModuleType:
    """A module of this folder, imported on first use (`evsupply.findings.brief` without importing it first)."""
    return submodule(__name__, name)
