"""The validator's domain rules sit in one registry (issue 22, item 4): one small function per rule, its docstring
the rule, the rules that depend on the day of the check included; hand-made frames, no real data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from evsupply.data import validate
from evsupply.data.rules import RULES, Context, rule


def test_every_rule_is_registered_with_its_rule_in_words() -> None:
    assert {"checked_on", "look_again", "stale"} <= set(RULES)  # the today-dependent ones too
    assert validate.DOMAIN_RULES is RULES
    assert [r.name for r in RULES.values() if not r.doc.endswith(".")] == []  # a sentence: the rule


def test_a_rule_name_is_registered_once() -> None:
    def _check_self_ownership(c: Context) -> list:
        """A second rule of the same name."""
        return []

    with pytest.raises(ValueError, match="twice"):
        rule(_check_self_ownership)


def test_a_today_dependent_rule_judges_on_the_given_day() -> None:
    frames = {"plants": pd.DataFrame({"checked_on": pd.to_datetime(["2026-12-01", "2026-12-09"])})}
    context = Context(frames, {"plants": "plants.csv"}, today=dt.date(2026, 12, 8))
    found = RULES["checked_on"].check(context)
    # line 3: the second data row (header on line 1), checked a day after "today"
    assert [(p.line, p.value, p.rule) for p in found] == [(3, "2026-12-09", "checked date")]
    later = Context(frames, {"plants": "plants.csv"}, today=dt.date(2026, 12, 9))
    assert RULES["checked_on"].check(later) == []


def test_each_locates_the_selected_rows() -> None:
    shareholders = pd.DataFrame({"owner_id": ["a", "b", "c"], "owned_id": ["x", "b", "y"]})
    context = Context({"shareholders": shareholders}, {"shareholders": "s.csv"}, today=dt.date(2026, 12, 8))
    found = RULES["self_ownership"].check(context)
    assert [(p.file, p.line, p.column, p.value) for p in found] == [("s.csv", 3, "owner_id", "b")]
