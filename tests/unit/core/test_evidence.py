"""The one evidence vocabulary: its words, its order, and how the data's codes map onto it."""

from __future__ import annotations

import pytest

from evsupply.core import evidence as ev
from evsupply.data.metadata.fields import FIELDS


def test_every_code_has_a_word_a_meaning_and_a_distinct_strength():
    assert set(ev.CODES) >= {"observed", "reported", "derived", "estimated", "planned", "what_if", "none_found"}
    assert ev.word("estimated") == "our estimate"
    assert ev.word("planned") == "announced plan"
    assert ev.word("what_if") == "what-if"
    assert ev.word("none_found") == "none found"
    assert all(ev.meaning(c) for c in ev.CODES)
    assert len({ev.strength(c) for c in ev.CODES}) == len(ev.CODES)


def test_order_count_first_none_found_last():
    order = sorted(ev.CODES, key=ev.strength, reverse=True)
    assert order == ["observed", "reported", "derived", "estimated", "planned", "what_if", "none_found"]


def test_weakest_and_derived_from():
    assert ev.weakest("observed", "planned", "reported") == "planned"
    # A value computed from reported facts is derived, never reported.
    assert ev.derived_from("reported", "reported") == "derived"
    # ... and takes the weakest evidence of its inputs: an assumption makes it our estimate.
    assert ev.derived_from("reported", ev.from_data("assumed")) == "estimated"
    assert ev.derived_from("observed", "planned") == "planned"
    with pytest.raises(ValueError):
        ev.weakest()


def test_unknown_codes_are_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match="allowed: observed"):
        ev.word("announced")
    with pytest.raises(ValueError, match="unknown data evidence code 'rumour'"):
        ev.from_data("rumour")


def test_data_codes_map_onto_the_vocabulary():
    assert ev.from_data("announced") == "planned"
    assert ev.from_data("assumed") == "estimated"
    assert ev.from_data("observed") == "observed"
    assert ev.from_data("reported") == "reported"
    assert all(ev.from_data(c) in ev.CODES for c in ev.BASIS_CODES + ev.PRODUCTION_EVIDENCE_CODES)


def test_the_schema_takes_its_allowed_values_from_the_vocabulary_module():
    assert FIELDS["basis"].constraints["enum"] == list(ev.BASIS_CODES)
    assert FIELDS["evidence"].constraints["enum"] == list(ev.PRODUCTION_EVIDENCE_CODES)
