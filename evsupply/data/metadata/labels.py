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
# A trade statistic's powertrain scope (fields.TRADE_SCOPE_POWERTRAINS) as it reads in a sentence.
TRADE_SCOPE_WORDS: dict[str, str] = {
    "bev": "battery-electric cars",
    "bev_fcev": "electric cars (battery-electric and hydrogen)",
    "phev": "plug-in hybrids",
    "hev": "hybrids",
    "bev_phev": "plug-in cars (battery-electric and plug-in hybrid)",
    "nev": "new-energy vehicles (battery-electric, plug-in hybrid and fuel-cell)",
    "electrified_all": "electrified cars (electric, hydrogen, hybrid and plug-in hybrid)",
    "all_powertrains": "cars",
    "unknown": "electric vehicles (codes not stated)",
}
# Trade-statistics reporters and partners that are not markets of `markets`, as they read in a sentence.
TRADE_AREA_NAMES = {
    "WLD": "the world",
    "EU27": "the EU",
    "EUU": "the EU",
    "DEU": "Germany",
    "ESP": "Spain",
    "BEL": "Belgium",
    "ARE": "the United Arab Emirates",
    "HUN": "Hungary",
    "GBR": "the United Kingdom",
    "USA": "the United States",
}
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


# Human words for the schema's coded columns: column -> code -> words (a table cell, a legend, a tooltip).
# Codes of one word that read as English (`announced`, `exact`, `high`) read as themselves; the rest are here.
CODE_WORDS: dict[str, dict[str, str]] = {
    "source_kind": {
        "primary_company": "company release",
        "primary_regulator": "regulator",
        "primary_filing": "company filing",
        "repost": "repost",
        "aggregator": "news aggregator",
    },
    "entity_type": {"investment_vehicle": "investment vehicle"},
    "plant_status": {"under_construction": "under construction"},
    "bound": {"exact": "exact", "upper_bound": "at most", "lower_bound": "at least"},
    "production_status": {"in_production": "in production"},
    "market_type": {"customs_union": "customs union"},
    "scope": {"well_to_wheel": "well to wheel", "tank_to_wheel": "tank to wheel", "well_to_tank": "well to tank"},
    "product_scope": {
        "passenger_vehicles": "passenger cars",
        "connected_vehicles": "connected cars",
        "electric_vehicles": "electric cars",
        "plug_in_hybrid_vehicles": "plug-in hybrids",
        "hybrid_vehicles": "hybrids",
        "combustion_vehicles": "combustion cars",
        "electrified_vehicles": "electrified cars",
        "ev_batteries": "EV batteries",
        "other_li_ion_batteries": "other lithium-ion batteries",
    },
    "measure_type": {
        "mfn": "most-favoured-nation duty",
        "fta_preference": "free-trade preference",
        "section_301": "Section 301 tariff",
        "section_232": "Section 232 tariff",
        "section_122": "Section 122 tariff",
        "ieepa": "IEEPA tariff",
        "countervailing_duty": "countervailing duty",
        "additional_duty": "additional duty",
        "in_quota_rate": "in-quota rate",
        "sales_ban": "sales ban",
    },
    "stacking": {
        "base": "base rate",
        "replaces": "replaces the base rate",
        "additive": "added to the others",
        "all_in": "the whole duty (nothing else added)",
        "prohibition": "bars the sale",
    },
    "applies_to": {
        "all": "every car",
        "originating_goods": "originating cars",
        "china_nexus_manufacturer": "makers with a China link",
        "within_quota": "inside the quota",
        "named_manufacturer": "the named maker",
        "other_manufacturers": "other makers",
    },
    "quantity": {"exports": "exports", "registrations": "registrations"},
    "vehicle_scope": {"all_vehicles": "all vehicles", "electric_vehicles": "electric cars"},
    "relationship": RELATIONSHIP_WORDS,
    "comparator_basis": {"same_model": "the same model", "nearest_model": "the nearest model"},
    "battery_plant_kind": {"cells_and_packs": "cells and packs"},
    "supply_evidence": {
        "stated_by_maker": "stated by the maker",
        "trade_press": "trade press",
        "recall_filing": "recall filing",
        "inferred_from_kits": "inferred from kits",
    },
    "depends_on": {
        "cell_origin": "cell origin",
        "pack_origin": "pack origin",
        "battery_origin": "battery origin",
        "battery_energy_density": "battery energy density",
        "vehicle_origin": "vehicle origin",
    },
    # Columns of the analyses' frames, not of the tables.
    "volume_basis": {
        "scenario": "plan",
        "user": "your figure",
        "counterfactual": "what the market gets from its actual plants",
        "none": "no volume",
    },
    # The trade statistics' codes (issue 24); a powertrain scope reads as the cars it counts.
    "powertrain_scope": TRADE_SCOPE_WORDS,
    "partner_basis": {
        "origin": "by origin",
        "consignment": "by consignment",
        "destination": "by destination",
        "last_known": "last known destination",
    },
    "flow": {"export": "export", "import": "import", "re_export": "re-export", "re_import": "re-import"},
    "classification": {"national_series": "national series", "industry_series": "industry series"},
    "vehicle_condition": {"new": "new", "used": "used", "new_and_used": "new and used"},
    "publisher_kind": {"statistics_office": "statistics office", "industry_association": "industry association"},
}
# Columns of the analyses' frames that hold another column's codes.
CODE_COLUMNS = {
    "latest_production_status": "production_status",
    "production_evidence": "evidence",
    "plan_basis": "volume_basis",
    "observed_basis": "basis",
    "volume_basis": "volume_basis",
    "frame_scope": "powertrain_scope",
    "scope": "powertrain_scope",
}
# A country code that means "not known" (ISO 3166 user-assigned), as it reads.
COUNTRY_WORDS = {"ZZZ": "Country unknown"}


def code_words(column: str, code: object) -> str:
    """The words for one code of a coded column ('in_production' -> 'in production'); other values as they are."""
    table = CODE_WORDS.get(CODE_COLUMNS.get(column, column), {})
    text = str(code)
    if column.endswith("country_code") or column == "country":
        return COUNTRY_WORDS.get(text, text)
    return table.get(text, text.replace("_", " ") if column in CODE_WORDS or column in CODE_COLUMNS else text)


def coded_columns() -> set[str]:
    """Every column whose cells are codes with words (a page writes them through `code_words`)."""
    return set(CODE_WORDS) | set(CODE_COLUMNS)
