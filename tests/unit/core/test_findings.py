"""The Finding record: an evidence code of the vocabulary, numbers as numbers, every source once."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from evsupply.core.finding import Finding, sources_of
from evsupply.pages.html import findings_block


def test_a_finding_keeps_every_source_once_and_numbers_as_numbers():
    f = Finding(
        "k",
        "At least 7.7%.",
        "derived",
        ("a", "b", None, "a", "c", "d", "e", "f"),
        "2026-11-27",
        {"stake_pct_min": np.float64(7.7), "unknown_edges": np.int64(2), "stake_pct_max": pd.NA},
        ["no stake published"],
    )
    assert f.source_ids == ("a", "b", "c", "d", "e", "f")  # never cut to 3 or 5
    assert f.as_of == dt.date(2026, 11, 27)
    assert f.numbers == {"stake_pct_min": 7.7, "unknown_edges": 2, "stake_pct_max": None}
    assert type(f.numbers["unknown_edges"]) is int and type(f.numbers["stake_pct_min"]) is float
    assert f.assumptions == ("no stake published",)
    assert sources_of([f, Finding("j", "x", "reported", ("g", "a"))]) == ("a", "b", "c", "d", "e", "f", "g")


def test_a_finding_refuses_an_unknown_evidence_code_and_non_numbers():
    with pytest.raises(ValueError, match="unknown evidence code 'announced'"):
        Finding("k", "x", "announced")
    with pytest.raises(TypeError):
        Finding("k", "x", "reported", numbers={"n": "5,000"})


def test_the_findings_block_shows_the_evidence_word_as_badge():
    block = findings_block([Finding("k", "Nothing counted on A → B.", "none_found", ("s1",))])
    assert ">none found</span> Nothing counted on A → B." in block.markup
    assert "- (none found) Nothing counted on A → B. [s1]" in block.text
    assert block.metadata["evsupply"]["findings"][0]["evidence"] == "none_found"
