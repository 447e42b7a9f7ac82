"""A finding: one sentence written from an analysis's numbers, with those numbers, evidence, assumptions, date and
every source.

The findings modules (`evsupply.findings.<report>`) compose them from the analyses' results (and decide their
order); a report only picks and lays them out. A finding cites all the rows it rests on, never a cut list.
"""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import pandas as pd

from evsupply.core import evidence as ev
from evsupply.core.tables import is_missing

Number = int | float | None


@dataclass(frozen=True)
class Finding:
    """One key finding.

    key: a stable id (e.g. `lane_count:polestar_4:renault_korea_busan:CAN`); text: the sentence; evidence: a code of
    `evsupply.core.evidence`; source_ids: every source row it rests on, in order of first use; as_of: the day it holds
    for; numbers: its named values (numbers as numbers, None for unknown; a bound as its own entry, e.g.
    `stake_pct_min`); assumptions: the assumptions it makes, in words.
    """

    key: str
    text: str
    evidence: str
    source_ids: tuple[str, ...] = ()
    as_of: dt.date | None = None
    numbers: Mapping[str, Number] = field(default_factory=dict)
    assumptions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        ev.check(self.evidence)
        object.__setattr__(self, "source_ids", unique_ids(self.source_ids))
        object.__setattr__(self, "numbers", MappingProxyType({k: _number(v) for k, v in self.numbers.items()}))
        object.__setattr__(self, "assumptions", tuple(str(a) for a in self.assumptions))
        if self.as_of is not None and not isinstance(self.as_of, dt.date):
            object.__setattr__(self, "as_of", pd.Timestamp(self.as_of).date())

    @property
    def word(self) -> str:
        """The reader's word for this finding's evidence."""
        return ev.word(self.evidence)


def _number(value: Any) -> Number:
    """A plain int or float (None for a missing value), so a finding's numbers are numbers."""
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise TypeError(f"a finding's number must be a number, not the boolean {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"a finding's number must be a number or None, not {value!r}")


def unique_ids(source_ids: Iterable[Any]) -> tuple[str, ...]:
    """Source ids as strings, missing values dropped, each once, in order of first use."""
    return tuple(dict.fromkeys(str(s) for s in source_ids if not is_missing(s) and str(s)))


def sources_of(findings: Iterable[Finding]) -> tuple[str, ...]:
    """Every source id the findings rest on, each once, in order of first use."""
    return unique_ids(s for f in findings for s in f.source_ids)
