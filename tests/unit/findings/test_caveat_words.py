"""Caveats that change a number sit beside it (issue 25 item 7), and codes read as words (item 6): the sentence
helpers on hand-made values."""

from __future__ import annotations

from evsupply.data.metadata.fields import FIELDS, field_header
from evsupply.data.metadata.labels import CODE_WORDS, code_words
from evsupply.findings.flows import _diff_range, co2e_range_words


def test_a_co2e_headline_leads_with_its_range_and_places_the_default_factor_in_it():
    # The study's Busan → US figures: 678 to 2,171 kg, the default factor at the top.
    text = co2e_range_words(2171.0, 678.0, 2171.0)
    assert text.startswith("678 to 2,171 kg CO2e per car at sea")
    assert "the default factor gives 2,171, the top of the range" in text
    middle = co2e_range_words(1000.0, 678.0, 2171.0)
    assert "gives 1,000;" in middle and "top" not in middle


def test_a_range_of_differences_says_more_or_less_once_or_both_when_it_changes_sign():
    assert _diff_range(400.0, 1300.0) == "400 to 1,300 more"
    assert _diff_range(-1300.0, -400.0) == "400 to 1,300 less"
    assert _diff_range(-100.0, 200.0) == "100 less to 200 more"


def test_codes_read_as_words_and_other_values_as_they_are():
    assert code_words("production_status", "in_production") == "in production"
    assert code_words("stacking", "all_in") == "the whole duty (nothing else added)"
    assert code_words("entity_type", "investment_vehicle") == "investment vehicle"
    assert code_words("country_code", "ZZZ") == "Country unknown"
    assert code_words("country_code", "KOR") == "KOR"
    assert code_words("plant_name", "in_production") == "in_production"  # not a coded column: left alone


def test_every_enum_code_with_an_underscore_has_words():
    for name, spec in FIELDS.items():
        for code in spec.constraints.get("enum", []):
            if "_" in str(code):
                assert "_" not in code_words(name, code), (name, code)
    assert set(CODE_WORDS["stacking"]) == set(FIELDS["stacking"].constraints["enum"])


def test_a_header_comes_from_the_fields_label_and_unit():
    assert field_header("stake_pct") == "Stake (%)"
    assert field_header("production_status") == "Latest production claim"
    assert field_header("some_new_column") == "Some new column"
