"""Every table: its columns (names from `fields`), which are required, its keys, title and description."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PACKAGE = {
    "profile": "tabular-data-package",
    "name": "evsupply",
    "title": "evsupply: electric-vehicle supply-chain tables",
    "description": "Curated, sourced tables on where electric vehicles are built, who owns the builders, and how the "
    "cars reach their markets: the Polestar 4 at Busan and other China-linked production outside "
    "China.",
    "version": "0.3.0",
    "licenses": [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0",
        }
    ],
}


@dataclass(frozen=True)
class Resource:
    """One table: columns in file order, the required ones, keys, and what it holds."""

    name: str
    title: str
    description: str
    fields: tuple[str, ...]
    required: frozenset[str]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, table, column there); table "" = this table

    @property
    def path(self) -> str:
        """The table's file name in the data folder."""
        return f"{self.name}.csv"


def _table(
    name: str,
    title: str,
    description: str,
    fields: list[str],
    required: list[str],
    primary_key: list[str],
    foreign_keys: Sequence[tuple[str, str, str]] = (),
) -> Resource:
    refs = list(foreign_keys)
    if "source_id" in fields and name != "sources":
        refs.append(("source_id", "sources", "source_id"))
    return Resource(name, title, description, tuple(fields), frozenset(required), tuple(primary_key), tuple(refs))


_FACT = ["source_id", "source_quote"]

RESOURCES: tuple[Resource, ...] = (
    _table(
        "sources",
        "Sources",
        "One row per source document; every fact row elsewhere names one by `source_id`.",
        [
            "source_id",
            "publisher",
            "title",
            "published_date",
            "url",
            "accessed_date",
            "source_kind",
            "language",
            "note",
        ],
        ["source_id", "publisher", "title", "url", "accessed_date", "source_kind", "language"],
        ["source_id"],
    ),
    _table(
        "companies",
        "Companies and people",
        "Companies, investment vehicles and people that own, operate or brand the plants and models.",
        ["company_id", "company_name", "entity_type", "country_code", "description", *_FACT, "note"],
        ["company_id", "company_name", "entity_type", "country_code", *_FACT],
        ["company_id"],
    ),
    _table(
        "company_names",
        "Company names over time",
        "Names a company has used, with the dates of each change.",
        ["company_id", "company_name", "valid_from", "valid_to", *_FACT, "note"],
        ["company_id", "company_name", *_FACT],
        ["company_id", "company_name"],
        [("company_id", "companies", "company_id")],
    ),
    _table(
        "shareholders",
        "Shareholdings",
        "Dated ownership edges: who holds what share of whom, each a separate row per period and per source.",
        [
            "owner_id",
            "owned_id",
            "interest_type",
            "stake_pct",
            "valid_from",
            "valid_to",
            "is_preferred",
            "basis",
            "method",
            *_FACT,
            "checked_on",
            "note",
        ],
        ["owner_id", "owned_id", "interest_type", "valid_from", "is_preferred", "basis", *_FACT, "checked_on"],
        ["owner_id", "owned_id", "valid_from", "source_id"],
        [("owner_id", "companies", "company_id"), ("owned_id", "companies", "company_id")],
    ),
    _table(
        "plants",
        "Vehicle plants",
        "Vehicle assembly plants: where they are, who runs them and their status.",
        [
            "plant_id",
            "plant_name",
            "operator_id",
            "owner_id",
            "country_code",
            "city_name",
            "latitude",
            "longitude",
            "location_basis",
            "location_method",
            "plant_status",
            *_FACT,
            "note",
        ],
        [
            "plant_id",
            "plant_name",
            "operator_id",
            "country_code",
            "city_name",
            "latitude",
            "longitude",
            "location_basis",
            "plant_status",
            *_FACT,
        ],
        ["plant_id"],
        [("operator_id", "companies", "company_id"), ("owner_id", "companies", "company_id")],
    ),
    _table(
        "plant_capacity",
        "Plant capacity and workforce",
        "Published capacity and workforce of plants, one row per claim and date.",
        [
            "plant_id",
            "as_of_date",
            "capacity_units_per_year",
            "employees_count",
            "is_preferred",
            "basis",
            "method",
            *_FACT,
            "checked_on",
            "note",
        ],
        ["plant_id", "as_of_date", "is_preferred", "basis", *_FACT, "checked_on"],
        ["plant_id", "as_of_date", "source_id"],
        [("plant_id", "plants", "plant_id")],
    ),
    _table(
        "plant_output",
        "Plant output",
        "Vehicles built per plant and year, where published.",
        ["plant_id", "year", "model_scope", "output_units", "bound", "basis", "method", *_FACT, "checked_on", "note"],
        ["plant_id", "year", "model_scope", "output_units", "bound", "basis", *_FACT, "checked_on"],
        ["plant_id", "year", "model_scope", "source_id"],
        [("plant_id", "plants", "plant_id")],
    ),
    _table(
        "models",
        "Vehicle models",
        "Vehicle models and the figures the analyses need (mass for shipping emissions).",
        ["model_id", "model_name", "brand_id", "powertrain", "curb_mass_kg", "battery_kwh", *_FACT, "note"],
        ["model_id", "model_name", "brand_id", "powertrain", *_FACT],
        ["model_id"],
        [("brand_id", "companies", "company_id")],
    ),
    _table(
        "production",
        "Production claims",
        "Which model is built where, from when, for which market, as each source said it on its date; "
        "`evidence` says whether a claim announces a plan or reports what happened.",
        [
            "model_id",
            "plant_id",
            "market_id",
            "production_status",
            "evidence",
            "start_date",
            "start_precision",
            "end_date",
            "as_of_date",
            *_FACT,
            "checked_on",
            "note",
        ],
        ["model_id", "plant_id", "market_id", "production_status", "evidence", "as_of_date", *_FACT, "checked_on"],
        ["model_id", "plant_id", "market_id", "as_of_date", "source_id"],
        [("model_id", "models", "model_id"), ("plant_id", "plants", "plant_id"), ("market_id", "markets", "market_id")],
    ),
    _table(
        "markets",
        "Destination markets",
        "Countries and customs unions the models are sold in.",
        ["market_id", "market_name", "market_type", "region", "note"],
        ["market_id", "market_name", "market_type", "region"],
        ["market_id"],
    ),
    _table(
        "market_members",
        "Members of customs-union markets",
        "Which countries belong to a market of type `customs_union`, and when.",
        ["market_id", "country_code", "valid_from", "valid_to", *_FACT, "checked_on", "note"],
        ["market_id", "country_code", *_FACT, "checked_on"],
        ["market_id", "country_code"],
        [("market_id", "markets", "market_id")],
    ),
    _table(
        "ports",
        "Seaports",
        "Export and import ports for finished vehicles, by UN/LOCODE.",
        [
            "port_id",
            "port_name",
            "country_code",
            "latitude",
            "longitude",
            "location_basis",
            "location_method",
            "port_role",
            *_FACT,
            "note",
        ],
        ["port_id", "port_name", "country_code", "latitude", "longitude", "location_basis", "port_role", *_FACT],
        ["port_id"],
    ),
    _table(
        "plant_ports",
        "Plant export ports",
        "The port each plant ships its export vehicles from.",
        ["plant_id", "port_id", "basis", "method", *_FACT, "note"],
        ["plant_id", "port_id", "basis", *_FACT],
        ["plant_id", "port_id"],
        [("plant_id", "plants", "plant_id"), ("port_id", "ports", "port_id")],
    ),
    _table(
        "market_ports",
        "Market import ports",
        "The ports through which vehicles enter each market; `is_default` marks the one used when a scenario "
        "names none.",
        ["market_id", "port_id", "is_default", "basis", "method", *_FACT, "note"],
        ["market_id", "port_id", "is_default", "basis", *_FACT],
        ["market_id", "port_id"],
        [("market_id", "markets", "market_id"), ("port_id", "ports", "port_id")],
    ),
    _table(
        "emission_factors",
        "Emission factors (sea freight)",
        "Greenhouse-gas intensity of carrying freight by sea, per tonne-kilometre, with its scope, ship class, "
        "fuel and framework. Flows multiply it by vehicle mass and sea distance.",
        [
            "emission_factor_id",
            "kg_co2e_per_tonne_km",
            "scope",
            "ship_class",
            "fuel",
            "framework",
            "is_default",
            "range_role",
            "basis",
            "method",
            *_FACT,
            "note",
        ],
        [
            "emission_factor_id",
            "kg_co2e_per_tonne_km",
            "scope",
            "ship_class",
            "fuel",
            "framework",
            "is_default",
            "basis",
            *_FACT,
        ],
        ["emission_factor_id"],
    ),
    _table(
        "vessel_speeds",
        "Vessel speeds",
        "Service speeds of ships carrying finished vehicles; sea transit days are sea distance divided by speed.",
        ["speed_id", "ship_type", "speed_knots", "is_default", "basis", "method", *_FACT, "note"],
        ["speed_id", "ship_type", "speed_knots", "is_default", "basis", *_FACT],
        ["speed_id"],
    ),
    _table(
        "volume_scenarios",
        "Volume scenarios",
        "Vehicles a plant ships a year under a named scenario, from `year` until a later row of the same "
        "scenario and plant. Flows split a plant's volume equally between the markets it serves that year, "
        "unless the user sets a market's volume.",
        ["scenario_id", "plant_id", "year", "volume_units_per_year", "basis", "method", *_FACT, "note"],
        ["scenario_id", "plant_id", "year", "volume_units_per_year", "basis", *_FACT],
        ["scenario_id", "plant_id", "year"],
        [("plant_id", "plants", "plant_id")],
    ),
    _table(
        "observations",
        "Observed quantities",
        "What was counted (production, exports, registrations, sales), by whom, from where, to where, over which "
        "period: observations, kept apart from plans.",
        [
            "observation_id",
            "quantity",
            "maker_id",
            "model_id",
            "vehicle_scope",
            "plant_id",
            "origin_country_code",
            "market_id",
            "period_start",
            "period_end",
            "vehicles_count",
            "bound",
            "basis",
            "method",
            *_FACT,
            "checked_on",
            "note",
        ],
        [
            "observation_id",
            "quantity",
            "vehicle_scope",
            "origin_country_code",
            "period_start",
            "period_end",
            "vehicles_count",
            "bound",
            "basis",
            *_FACT,
            "checked_on",
        ],
        ["observation_id"],
        [
            ("maker_id", "companies", "company_id"),
            ("model_id", "models", "model_id"),
            ("plant_id", "plants", "plant_id"),
            ("market_id", "markets", "market_id"),
        ],
    ),
    _table(
        "trade_measures",
        "Trade measures on imported cars",
        "Dated tariff and market-access measures of an importing market on passenger cars: MFN rates, FTA and "
        "customs-union preferences, US Section 301/232/122 and IEEPA duties, surtaxes, countervailing and "
        "additional duties, in-quota rates and sales bans. One row per measure and period; a changed rate is a "
        "new row. `stacking` says how a row combines with the others (see evsupply.policy).",
        [
            "measure_id",
            "market_id",
            "origin_country_code",
            "product_scope",
            "measure_type",
            "measure_name",
            "tariff_rate_pct",
            "stacking",
            "replaces_measure_id",
            "applies_to",
            "manufacturer_id",
            "model_id",
            "model_year_from",
            "quota_units_per_year",
            "vehicle_form",
            "min_duty_usd_per_unit",
            "valid_from",
            "valid_to",
            "basis",
            "method",
            *_FACT,
            "checked_on",
            "note",
        ],
        [
            "measure_id",
            "market_id",
            "product_scope",
            "measure_type",
            "measure_name",
            "stacking",
            "applies_to",
            "valid_from",
            "basis",
            *_FACT,
            "checked_on",
        ],
        ["measure_id"],
        [
            ("market_id", "markets", "market_id"),
            ("replaces_measure_id", "", "measure_id"),
            ("manufacturer_id", "companies", "company_id"),
            ("model_id", "models", "model_id"),
        ],
    ),
    _table(
        "trade_authorisations",
        "Authorisations under market-access rules",
        "Decisions granting or refusing a company an authorisation under a sales ban (e.g. the US "
        "connected-vehicle rule), with their date and our confidence in the report.",
        [
            "company_id",
            "measure_id",
            "decision",
            "decision_date",
            "date_precision",
            "confidence",
            "basis",
            "method",
            *_FACT,
            "checked_on",
            "note",
        ],
        [
            "company_id",
            "measure_id",
            "decision",
            "decision_date",
            "date_precision",
            "confidence",
            "basis",
            *_FACT,
            "checked_on",
        ],
        ["company_id", "measure_id", "decision_date"],
        [("company_id", "companies", "company_id"), ("measure_id", "trade_measures", "measure_id")],
    ),
    _table(
        "model_prices",
        "Published vehicle prices",
        "Published starting prices of a model in a market, in the market's currency (the default customs value "
        "of the landed-cost analysis is one of these, used as an assumption).",
        [
            "model_id",
            "market_id",
            "model_year",
            "as_of_date",
            "price_amount",
            "currency_code",
            "basis",
            "method",
            *_FACT,
            "checked_on",
            "note",
        ],
        ["model_id", "market_id", "as_of_date", "price_amount", "currency_code", "basis", *_FACT, "checked_on"],
        ["model_id", "market_id", "as_of_date", "source_id"],
        [("model_id", "models", "model_id"), ("market_id", "markets", "market_id")],
    ),
    _table(
        "cases",
        "China-linked production outside China",
        "One row per case: a plant outside China building cars of a brand linked to a Chinese group, with the "
        "manufacturing relationship (equity stakes are in `shareholders`) and the plant in China it is compared "
        "with.",
        [
            "case_id",
            "case_name",
            "plant_id",
            "brand_id",
            "china_link_id",
            "relationship",
            "comparator_plant_id",
            "comparator_basis",
            "comparator_method",
            *_FACT,
            "checked_on",
            "note",
        ],
        ["case_id", "case_name", "plant_id", "brand_id", "china_link_id", "relationship", *_FACT, "checked_on"],
        ["case_id"],
        [
            ("plant_id", "plants", "plant_id"),
            ("brand_id", "companies", "company_id"),
            ("china_link_id", "companies", "company_id"),
            ("comparator_plant_id", "plants", "plant_id"),
        ],
    ),
    _table(
        "open_questions",
        "Open questions",
        "What was looked for and not found: the question, why it matters, the rows its answer would change, "
        "when it was looked into and when to look again. `evsupply validate` warns when a look-again date has "
        "passed; reports that rest on an affected row say so.",
        [
            "question_id",
            "question",
            "why_it_matters",
            "rows_affected",
            "looked_on_date",
            "look_again_date",
            "source_id",
            "note",
        ],
        ["question_id", "question", "why_it_matters", "rows_affected", "looked_on_date", "look_again_date"],
        ["question_id"],
    ),
)
