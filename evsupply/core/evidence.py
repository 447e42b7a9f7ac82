"""The one evidence vocabulary: what kind of fact a number is (a count, a sourced fact, our estimate, a plan...).

Every finding, table and download says which of these its number is. The data's own columns use the codes below
(`basis` of most fact tables, `evidence` of `production`); `from_data` maps them onto the vocabulary. The schema's
allowed values for those columns are defined here too, so there is one list.

Strength: a count (`observed`) is the strongest, then a single sourced fact (`reported`), a value computed from
sourced facts by a stated rule (`derived`), our estimate (`estimated`), an announced plan (`planned`), a
counterfactual (`what_if`), and "looked for, none found" (`none_found`), which is no value at all. A derived value
carries the weakest evidence of its inputs (`derived_from`).

Why `assumed` becomes `estimated`: an assumption (a port no source names, a customs value taken from a list price)
is our modelling choice, not a sourced fact, so it is as strong as our estimate; the finding that uses it names the
assumption in its `assumptions`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """One evidence code: its word for readers, what it means, and its strength (higher is stronger)."""

    code: str
    word: str
    meaning: str
    strength: int


VOCABULARY: dict[str, Evidence] = {
    e.code: e
    for e in (
        Evidence("observed", "observed", "A count of cars built, shipped, registered or sold, from its source.", 6),
        Evidence("reported", "reported", "A single fact as its source states it.", 5),
        Evidence(
            "derived", "derived", "Computed from sourced facts by a stated rule (duty stacks, look-through...).", 4
        ),
        Evidence("estimated", "our estimate", "Our estimate or modelling assumption, with its method named.", 3),
        Evidence("planned", "announced plan", "A plan or intention a company or government announced.", 2),
        Evidence("what_if", "what-if", "A counterfactual: what would happen if; nobody announced it.", 1),
        Evidence("none_found", "none found", "Looked for in the sources, none found: no value.", 0),
    )
}
CODES: tuple[str, ...] = tuple(VOCABULARY)

# The schema's allowed values for the data's columns (one place; evsupply.data.metadata reads them from here).
BASIS_CODES: tuple[str, ...] = ("reported", "estimated", "derived", "planned", "assumed")
PRODUCTION_EVIDENCE_CODES: tuple[str, ...] = ("announced", "observed")
# Data code -> vocabulary code.
DATA_CODES: dict[str, str] = {
    "reported": "reported",
    "estimated": "estimated",
    "derived": "derived",
    "planned": "planned",
    "assumed": "estimated",
    "announced": "planned",
    "observed": "observed",
}


def check(code: str) -> str:
    """`code` if it is a vocabulary code, else ValueError naming the allowed codes."""
    if code not in VOCABULARY:
        raise ValueError(f"unknown evidence code {code!r}; allowed: {', '.join(CODES)}")
    return code


def word(code: str) -> str:
    """The reader's word for an evidence code ('our estimate' for `estimated`)."""
    return VOCABULARY[check(code)].word


def meaning(code: str) -> str:
    """One line saying what an evidence code means."""
    return VOCABULARY[check(code)].meaning


def strength(code: str) -> int:
    """The strength of an evidence code: higher is stronger (observed 6 ... none_found 0)."""
    return VOCABULARY[check(code)].strength


def weakest(*codes: str) -> str:
    """The weakest of the codes given (at least one)."""
    if not codes:
        raise ValueError("weakest() needs at least one evidence code")
    return min(codes, key=strength)


def derived_from(*codes: str) -> str:
    """The evidence of a value computed from inputs of these codes: `derived`, or weaker if an input is weaker."""
    return weakest("derived", *codes)


def from_data(code: str) -> str:
    """The vocabulary code of a data `basis`/`evidence` value (`assumed` -> `estimated`, `announced` -> `planned`)."""
    if code not in DATA_CODES:
        raise ValueError(f"unknown data evidence code {code!r}; known: {', '.join(DATA_CODES)}")
    return DATA_CODES[code]
