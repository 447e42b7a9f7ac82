"""What each report needs beyond the analyses: its parameters, findings, tables and presentation.

One module per report notebook (`brief`, `flows`, `market_access`, `ownership`, `capacity`, `data_overview`,
`atlas`, `batteries`), each with its `SPEC` (the parameters, described once), a `build(tables, params)` that
computes everything the notebook shows, `findings(...)` (the analysis's findings, picked, never re-ranked or edited)
and the table layouts; `common`, `html` and `spec` hold what they share.
"""

from __future__ import annotations

import importlib
from types import ModuleType

NOTEBOOK_REPORTS = ("brief", "data_overview", "flows", "ownership", "market_access", "capacity", "atlas", "batteries")


def report_module(name: str) -> ModuleType:
    """The report module of a notebook (`flows` for flows.ipynb)."""
    if name not in NOTEBOOK_REPORTS:
        raise KeyError(f"no report module {name!r}; reports: {', '.join(NOTEBOOK_REPORTS)}")
    return importlib.import_module(f"evsupply.pages.{name}")


def parameter_tables() -> str:
    """Every report notebook's parameters as Markdown tables (docs/parameters.md's are generated from this)."""
    parts = []
    for name in NOTEBOOK_REPORTS:
        spec = report_module(name).SPEC
        parts += [f"`notebooks/{spec.notebook}`:", "", spec.markdown(), ""]
    return "\n".join(parts).rstrip() + "\n"
