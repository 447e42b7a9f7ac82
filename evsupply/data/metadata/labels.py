"""Human words for the schema's codes, defined once: what a bound, a count, a relationship or a period reads as.

Findings, figures and pages take their words from here (PUDL keeps its `metadata/labels.py` the same way); a code
without a word is an error a test finds, never a raw code on a page.
"""

from __future__ import annotations

import pandas as pd

# Before a count: "about 20,000", "at least 900".
BOUND_WORDS = {"exact": "", "approximate": "about ", "upper_bound": "at most ", "lower_bound": "at least "}
# The verb of a count of each quantity: "304 exported".
COUNT_VERBS = {"exports": "exported", "registrations": "registered", "sales": "sold", "production": "built"}
# A case's relationship between the China-linked company and the plant, as it reads in a sentence.
RELATIONSHIP_WORDS = {
    "own_plant": "own plant",
    "joint_venture": "joint venture",
    "minority_partner": "minority partner",
    "contract_manufacturing": "contract manufacturing",
}
# The same, as a legend or column label.
RELATIONSHIP_LABELS = {code: words[:1].upper() + words[1:] for code, words in RELATIONSHIP_WORDS.items()}
# Market names that take "the" in a sentence.
_THE = ("United ", "European ", "Republic ", "Netherlands")


def the(name: str) -> str:
    """A market's name as it reads in a sentence: 'the United States', 'the European Union', 'Canada'."""
    return f"the {name}" if name.startswith(_THE) else name


def period_words(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """A period in words: 'November 2025' for a calendar month, '2025' for a calendar year, else both days."""
    if start.day == 1 and end == start + pd.offsets.MonthEnd(0):
        return f"{start:%B %Y}"
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and end.year == start.year:
        return f"{start:%Y}"
    return f"{start:%Y-%m-%d} to {end:%Y-%m-%d}"


def count_words(row: pd.Series) -> str:
    """An observation in words: 'at most 3,723 exported in 2025', '304 exported in November 2025'."""
    what = {"exports": "exported", "registrations": "registered", "sales": "sold"}.get(row["quantity"], row["quantity"])
    period = period_words(row["period_start"], row["period_end"])
    where = "" if row["plant_named"] else " (built in the plant's country; the source names no plant)"
    return f"{BOUND_WORDS.get(row['bound'], '')}{int(row['vehicles_count']):,} {what} in {period}{where}"
