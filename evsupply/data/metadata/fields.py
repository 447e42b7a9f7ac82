"""Every column of every table, defined once: type, description and constraints (units are in the names)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from evsupply.core import evidence

ID = r"^[a-z0-9]+(_[a-z0-9]+)*$"
ISO3 = r"^[A-Z]{3}$"
LOCODE = r"^[A-Z]{2}[A-Z2-9]{3}$"
# http(s) and a host; no whitespace, quotes, angle brackets or backslashes anywhere (a link is built from it).
URL = r"^https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[^\s\"'<>\\`]*)?$"
BASIS = list(evidence.BASIS_CODES)
BOUND = ["exact", "approximate", "upper_bound", "lower_bound"]
POWERTRAINS = ("BEV", "PHEV", "HEV", "ICE")
VEHICLE_FORMS = ("complete", "skd", "ckd")
# Which powertrains each `product_scope` of trade_measures covers (the enum below lists the same keys).
SCOPE_POWERTRAINS: dict[str, frozenset[str]] = {
    "passenger_vehicles": frozenset(POWERTRAINS),
    "connected_vehicles": frozenset(POWERTRAINS),
    "electric_vehicles": frozenset({"BEV"}),
    "plug_in_hybrid_vehicles": frozenset({"PHEV"}),
    "hybrid_vehicles": frozenset({"HEV"}),
    "combustion_vehicles": frozenset({"ICE"}),
    "electrified_vehicles": frozenset({"BEV", "PHEV", "HEV"}),
}
# Product scopes of measures on batteries imported as parts: they match no car.
BATTERY_SCOPES = ("ev_batteries", "other_li_ion_batteries")
# Which powertrains each `powertrain_scope` of trade_statistics counts (FCEV: fuel-cell cars, which no model row
# has but national EV series include); a count fits a frame only if the frame's scope includes its powertrains.
TRADE_SCOPE_POWERTRAINS: dict[str, frozenset[str]] = {
    "bev": frozenset({"BEV"}),
    "bev_fcev": frozenset({"BEV", "FCEV"}),
    "phev": frozenset({"PHEV"}),
    "hev": frozenset({"HEV"}),
    "bev_phev": frozenset({"BEV", "PHEV"}),
    "nev": frozenset({"BEV", "PHEV", "FCEV"}),
    "electrified_all": frozenset({"BEV", "PHEV", "HEV", "FCEV"}),
    "all_powertrains": frozenset({"BEV", "PHEV", "HEV", "FCEV", "ICE"}),
    "unknown": frozenset(),  # the publisher does not say: such a series frames nothing and is compared with nothing
}
# Trade-statistics reporters and partners beside ISO 3166 alpha-3: the EU as one reporter, and the world.
TRADE_AREA = r"^([A-Z]{3}|EU27)$"


@dataclass(frozen=True)
class Field:
    """One column: its Table Schema type, what it means, and its constraints (without `required`)."""

    type: str
    description: str
    constraints: dict[str, Any] = field(default_factory=dict)
    label: str = ""  # the column header a reader sees (without the unit)
    unit: str = ""  # the unit a header shows in brackets ("%", "km", "cars a year")

    @property
    def header(self) -> str:
        """The column header: the label, with its unit in brackets."""
        return f"{self.label} ({self.unit})" if self.unit else self.label


def _id(description: str) -> Field:
    return Field("string", description, {"pattern": ID})


def _enum(description: str, values: list[str]) -> Field:
    return Field("string", description, {"enum": values})


def _date(description: str) -> Field:
    return Field("date", description)


FIELDS: dict[str, Field] = {
    # Provenance, shared by every fact table
    "source_id": _id(
        "A source in `sources` (lower-case words joined by underscores); in a fact table, the source "
        "that supports the row."
    ),
    "source_quote": Field(
        "string",
        "A few words quoted from the source so a reviewer can find the fact in it (a "
        "translation in [brackets] when not English).",
        {"minLength": 3, "maxLength": 400},
    ),
    "basis": _enum(
        "How the value is known: `reported` by the source, `estimated` or `derived` by us from sourced "
        "inputs, `planned` (a plan, not an outcome) or `assumed` (a modelling assumption).",
        BASIS,
    ),
    "method": Field(
        "string",
        "How an estimated, derived, planned or assumed value was obtained; required unless `basis` is `reported`.",
    ),
    "checked_on": _date(
        "Day a person last confirmed that the row still holds, against its source or a newer one "
        "(rows of open periods not checked for a while are listed by `evsupply validate`)."
    ),
    "is_preferred": Field(
        "boolean",
        "True for the claim used by default where sources disagree; the other claims "
        "are kept with their own source and date.",
    ),
    "note": Field("string", "Free-text remark for the reader."),
    # sources
    "publisher": Field(
        "string", "Who published the source (for a re-post: the site that carries it, with the original in `note`)."
    ),
    "title": Field("string", "Title of the document or page."),
    "published_date": _date(
        "Publication date; empty for an undated page (then `accessed_date` dates it and `note` says so)."
    ),
    "url": Field(
        "string",
        "Where the source can be read: an http(s) address with no spaces, quotes or angle brackets.",
        {"pattern": URL},
    ),
    "accessed_date": _date("When the source was read for this project."),
    "source_kind": _enum(
        "`primary_company` (the company's own release or site), `primary_regulator` (a government "
        "or regulator), `primary_filing` (a securities filing), `press` (a news report), `repost` "
        "(another site's copy of a report), `aggregator` (a database or blog that compiles "
        "others), `reference` (an encyclopaedia or reference page). Re-posts and aggregators are "
        "of lower confidence and reports mark them so.",
        ["primary_company", "primary_regulator", "primary_filing", "press", "repost", "aggregator", "reference"],
    ),
    "language": Field("string", "Language of the source, ISO 639-1.", {"pattern": r"^[a-z]{2}$"}),
    # companies and ownership
    "company_id": _id("A company, investment vehicle or person of `companies`."),
    "company_name": Field(
        "string", "Name of the company (in `companies` the current one; former names are in `company_names`)."
    ),
    "entity_type": _enum(
        "`company`, `investment_vehicle` (a holding company set up to hold a stake) or `person`.",
        ["company", "investment_vehicle", "person"],
    ),
    "country_code": Field(
        "string",
        "Country, ISO 3166-1 alpha-3 code: where a plant or port lies, where a company "
        "is incorporated (a person: nationality), or a member of a customs union; `ZZZ` "
        "when unknown.",
        {"pattern": ISO3},
    ),
    "description": Field("string", "What the entity is, in one line."),
    "owner_id": _id(
        "The holder of a stake, or the owner of a plant when it differs from its operator (a `company_id`)."
    ),
    "owned_id": _id("The company held (a `company_id`)."),
    "interest_type": _enum(
        "`shareholding` (a share of the company's shares, in `stake_pct`) or `control` (the owner "
        "controls the owned entity but no percentage is published; `stake_pct` stays empty), "
        "after Open Ownership's interest types.",
        ["shareholding", "control"],
    ),
    "stake_pct": Field(
        "number",
        "Share held, percent of the company's shares (as reported: equity unless `note` "
        "says otherwise); required for a shareholding, empty for a control interest.",
        {"minimum": 0, "maximum": 100},
    ),
    "valid_from": _date(
        "First day (inclusive) on which the row holds; empty when it began before the table's coverage."
    ),
    "valid_to": _date("Last day (inclusive) on which the row holds; empty while it still holds."),
    # plants
    "plant_id": _id("A vehicle plant of `plants`."),
    "plant_name": Field("string", "Name of the plant."),
    "operator_id": _id("Who runs the plant (a `company_id`)."),
    "city_name": Field("string", "City or district."),
    "latitude": Field("number", "Latitude in decimal degrees (WGS 84, EPSG:4326).", {"minimum": -90, "maximum": 90}),
    "longitude": Field(
        "number", "Longitude in decimal degrees (WGS 84, EPSG:4326).", {"minimum": -180, "maximum": 180}
    ),
    "location_basis": _enum(
        "How the coordinates are known: `reported` by the source, or `estimated` by us (see `location_method`).",
        ["reported", "estimated"],
    ),
    "location_method": Field(
        "string",
        "How estimated coordinates were placed and their likely precision; required "
        "when `location_basis` is `estimated`.",
    ),
    "plant_status": _enum(
        "`operating`, `under_construction`, `planned` or `closed`.",
        ["operating", "under_construction", "planned", "closed"],
    ),
    "as_of_date": _date("Day the claim was made or the figure refers to (usually the source's publication date)."),
    "capacity_units_per_year": Field("integer", "Maximum vehicles the plant can build in a year.", {"minimum": 0}),
    "employees_count": Field("integer", "People employed at the plant.", {"minimum": 0}),
    "year": Field(
        "integer",
        "Calendar year (for a volume scenario: the first year its volume applies).",
        {"minimum": 1990, "maximum": 2100},
    ),
    "model_scope": Field("string", "Which vehicles an output figure covers: `all` or a model name."),
    "output_units": Field("integer", "Vehicles built in the year.", {"minimum": 0}),
    "bound": _enum(
        "Whether a count is `exact`, `approximate`, an `upper_bound` (the true figure was below it) or a "
        "`lower_bound` (at least it).",
        BOUND,
    ),
    # models and production
    "model_id": _id(
        "A vehicle model of `models` (in `trade_measures`: the one model a measure is limited to, e.g. a "
        "price undertaking; empty for every model in scope)."
    ),
    "model_name": Field("string", "Model name."),
    "brand_id": _id("The brand owner, whose cars these are (a `company_id`)."),
    "powertrain": _enum("`BEV` (battery-electric), `PHEV`, `HEV` or `ICE`.", list(POWERTRAINS)),
    "curb_mass_kg": Field(
        "number", "Curb mass of the lightest published version, kilograms.", {"minimum": 500, "maximum": 5000}
    ),
    "battery_kwh": Field(
        "number", "Battery capacity of the lightest published version, kilowatt-hours.", {"minimum": 0, "maximum": 300}
    ),
    "production_status": _enum(
        "`announced` (said to be planned), `confirmed` (confirmed by the companies), `pilot` "
        "(pilot production), `in_production`, `unconfirmed` (a company declined to confirm), "
        "`ended`, `cancelled`.",
        ["announced", "confirmed", "pilot", "in_production", "unconfirmed", "ended", "cancelled"],
    ),
    "evidence": _enum(
        "Whether a claim is an announcement (a plan or intention) or an observation (cars reported "
        "built, shipped or sold).",
        list(evidence.PRODUCTION_EVIDENCE_CODES),
    ),
    "start_date": _date("First day of the period in which production starts (see `start_precision`)."),
    "start_precision": _enum(
        "How precise `start_date` is: `day`, `month`, `quarter`, `half` (of a year) or `year`.",
        ["day", "month", "quarter", "half", "year"],
    ),
    "end_date": _date("Last day of production, when it has ended."),
    # markets and ports
    "market_id": Field(
        "string",
        "A market of `markets`: the ISO 3166-1 alpha-3 code of a country, or `EUU` for the "
        "European Union's customs union (the World Bank's code; ISO 3166 has none).",
        {"pattern": ISO3},
    ),
    "market_name": Field("string", "Name of the market."),
    "market_type": _enum(
        "`country`, or `customs_union` (members sharing one external tariff, listed in `market_members`).",
        ["country", "customs_union"],
    ),
    "region": _enum(
        "Continent of the market.", ["Asia", "Europe", "North America", "South America", "Africa", "Oceania"]
    ),
    "port_id": Field(
        "string", "Seaport, UN/LOCODE (two-letter country code and three-character location code).", {"pattern": LOCODE}
    ),
    "port_name": Field("string", "Name of the port (and vehicle terminal where known)."),
    "port_role": _enum(
        "`export`, `import` or `both`, for finished vehicles in these tables.", ["export", "import", "both"]
    ),
    "is_default": Field(
        "boolean",
        "True for the row used when none is chosen: one default import port per market, "
        "one default emission factor, one default ship speed.",
    ),
    # shipping
    "emission_factor_id": _id("An emission factor of `emission_factors`."),
    "kg_co2e_per_tonne_km": Field(
        "number",
        "Greenhouse-gas emissions per tonne of cargo carried one kilometre, kilograms of CO2 equivalent.",
        {"minimum": 0, "maximum": 1},
    ),
    "scope": _enum(
        "What the factor covers: `well_to_wheel` (fuel production and combustion), `tank_to_wheel` "
        "(combustion only) or `well_to_tank` (fuel production only).",
        ["well_to_wheel", "tank_to_wheel", "well_to_tank"],
    ),
    "ship_class": Field("string", "Ship type and size class the factor is for, as the framework names it."),
    "fuel": Field("string", "Fuel the factor assumes (e.g. VLSFO, HFO, LNG)."),
    "range_role": _enum(
        "The factor's place in the range shown beside every CO2e figure: `low` or `high` end (empty: not an end "
        "of the range). Flows give CO2e with the chosen factor and with the low and high ends.",
        ["low", "high"],
    ),
    "framework": Field("string", "Accounting framework and version the factor comes from (e.g. GLEC Framework v3.0)."),
    "speed_id": _id("A ship speed of `vessel_speeds`."),
    "ship_type": Field("string", "Kind of ship the speed is for."),
    "speed_knots": Field(
        "number", "Average speed at sea, knots (nautical miles per hour).", {"minimum": 1, "maximum": 40}
    ),
    "scenario_id": _id("A volume scenario (`default` is the one flows use unless told otherwise)."),
    "volume_units_per_year": Field("integer", "Vehicles shipped from the plant in a year.", {"minimum": 0}),
    # trade
    "measure_id": _id("A measure and period of `trade_measures`."),
    "origin_country_code": Field(
        "string",
        "Country where the vehicles are built, ISO 3166-1 alpha-3 (in "
        "`trade_measures`: the origin the measure targets, a country or a "
        "customs-union market such as `EUU` for all its members; empty for "
        "every origin).",
        {"pattern": ISO3},
    ),
    "product_scope": _enum(
        "Goods a measure covers, matched against the car's powertrain: `passenger_vehicles` (all passenger "
        "cars), `electric_vehicles` (battery-electric cars only), `plug_in_hybrid_vehicles` (PHEV), "
        "`hybrid_vehicles` (HEV, not plug-in), `combustion_vehicles` (ICE), `electrified_vehicles` (BEV, PHEV "
        "and HEV), `connected_vehicles` (cars with connectivity systems: every car in these tables), or, for "
        "batteries imported as parts (evsupply.batteries), `ev_batteries` (lithium-ion batteries for electric "
        "vehicles) or `other_li_ion_batteries` (lithium-ion batteries not for electric vehicles).",
        [*SCOPE_POWERTRAINS, *BATTERY_SCOPES],
    ),
    "vehicle_form": Field(
        "string",
        "Forms of import a measure covers: `complete` (a built-up car), `skd` (a semi-knocked-down kit), `ckd` "
        "(a completely knocked-down kit), or several joined by `|` (e.g. `complete|skd`); empty for every form.",
        {"pattern": r"^(complete|skd|ckd)(\|(complete|skd|ckd)){0,2}$"},
    ),
    "min_duty_usd_per_unit": Field(
        "number",
        'Minimum charge of the measure per car, US$ ("the rate or at least this amount, whichever is higher"); '
        "not included in `tariff_rate_pct` nor in the duty percentages computed from it.",
        {"minimum": 0},
    ),
    "measure_type": _enum(
        "`mfn` (most-favoured-nation rate), `fta_preference` (a free-trade-area or customs-union "
        "rate), `section_301`, `section_232`, `section_122` (US balance-of-payments surcharge), "
        "`ieepa` (US emergency-powers duty), `surtax`, `countervailing_duty`, `additional_duty`, "
        "`in_quota_rate` or `sales_ban`.",
        [
            "mfn",
            "fta_preference",
            "section_301",
            "section_232",
            "section_122",
            "ieepa",
            "surtax",
            "countervailing_duty",
            "additional_duty",
            "in_quota_rate",
            "sales_ban",
        ],
    ),
    "measure_name": Field("string", "Name of the measure and its legal instrument."),
    "tariff_rate_pct": Field(
        "number",
        "Ad valorem duty, percent of the customs value; empty for a sales ban.",
        {"minimum": 0, "maximum": 1000},
    ),
    "stacking": _enum(
        "How the row combines: `base` (the general rate), `replaces` (takes the place of "
        "`replaces_measure_id`, and its role: an FTA rate instead of MFN, an exemption instead of a "
        "duty), `additive` (added on top), `all_in` (a ceiling that includes the base: it adds max(0, "
        "rate - base) and takes the place of `replaces_measure_id`), `prohibition` (no rate: the car "
        "may not be imported or sold).",
        ["base", "replaces", "additive", "all_in", "prohibition"],
    ),
    "replaces_measure_id": _id("The measure this row takes the place of (for `replaces` and `all_in`)."),
    "applies_to": _enum(
        "Who or what the measure applies to: `all` imports in scope, `originating_goods` (goods "
        "meeting the FTA rules of origin), `china_nexus_manufacturer` (manufacturers owned, "
        "controlled by or subject to the direction of China), `within_quota` (imports inside the "
        "quota), `named_manufacturer` (cars of `manufacturer_id` or of a company it controls), "
        "`other_manufacturers` (cars of every manufacturer no `named_manufacturer` row of the same "
        "market and measure type names).",
        [
            "all",
            "originating_goods",
            "china_nexus_manufacturer",
            "within_quota",
            "named_manufacturer",
            "other_manufacturers",
        ],
    ),
    "manufacturer_id": _id("For `named_manufacturer` rows: the company (group) the rate is set for."),
    "model_year_from": Field(
        "integer",
        "First model year the measure applies to; empty when it does not depend on the model year.",
        {"minimum": 1990, "maximum": 2100},
    ),
    "quota_units_per_year": Field(
        "integer", "Size of the annual quota in vehicles, for in-quota rates.", {"minimum": 0}
    ),
    "decision": _enum("`granted` or `refused`.", ["granted", "refused"]),
    "decision_date": _date(
        "Date of the decision: its first possible day when only the month is known (see `date_precision`)."
    ),
    "date_precision": _enum("How precise `decision_date` is: `day` or `month`.", ["day", "month"]),
    "confidence": _enum(
        "Our confidence in the report: `high` (primary or reputable source, quote read), `medium` "
        "(secondary or re-posted source), `low` (one weak or conflicting source).",
        ["high", "medium", "low"],
    ),
    "model_year": Field("integer", "Model year the price is for, when stated.", {"minimum": 1990, "maximum": 2100}),
    "price_amount": Field("number", "Published starting price, in `currency_code`.", {"minimum": 0}),
    "currency_code": Field("string", "ISO 4217 currency code.", {"pattern": ISO3}),
    # observations
    "observation_id": _id("An observation of `observations`."),
    "quantity": _enum(
        "What was counted: `production`, `exports`, `registrations` or `sales`.",
        ["production", "exports", "registrations", "sales"],
    ),
    "maker_id": _id("The company whose vehicles were counted (a `company_id`); empty for all makers."),
    "vehicle_scope": _enum(
        "Vehicles counted: `all_vehicles`, or `electric_vehicles` (battery-electric) only.",
        ["all_vehicles", "electric_vehicles"],
    ),
    "period_start": _date("First day of the counted period."),
    "period_end": _date("Last day of the counted period."),
    "vehicles_count": Field("integer", "Vehicles counted in the period.", {"minimum": 0}),
    # trade statistics: official (and industry) series that frame the counts
    "stat_id": _id("One point of `trade_statistics`: a series, a period and a vintage (the day we read it)."),
    "series_id": _id(
        "A fixed series of `trade_statistics`: one reporter, partner, flow, product or national series, powertrain "
        "scope, unit and publisher; its rows are the series' points and vintages."
    ),
    "reporter_code": Field(
        "string",
        "Who reports the statistic: an ISO 3166-1 alpha-3 country, or `EU27` (the European Union of 27 as one "
        "reporter: its trade with the rest of the world, extra-EU).",
        {"pattern": TRADE_AREA},
    ),
    "partner_code": Field(
        "string",
        "The trade partner: an ISO 3166-1 alpha-3 country, `EU27`, or `WLD` for every partner (for an `EU27` "
        "reporter: every partner outside the EU, extra-EU).",
        {"pattern": TRADE_AREA},
    ),
    "partner_basis": _enum(
        "How the partner is attributed: `origin` (country where the goods were made), `consignment` (country they "
        "were shipped from), `destination` (country of final destination), `last_known` (last known "
        "destination) or `unknown` (not stated). Belgium as the EU's port of entry is a consignment partner.",
        ["origin", "consignment", "destination", "last_known", "unknown"],
    ),
    "flow": _enum("`export`, `import`, `re_export` or `re_import`.", ["export", "import", "re_export", "re_import"]),
    "trade_system": _enum(
        "`general` (goods entering or leaving the economic territory, customs warehouses included), `special` "
        "(goods cleared for free circulation only) or `unknown` (not stated by the source).",
        ["general", "special", "unknown"],
    ),
    "classification": _enum(
        "What the series counts by: `hs` (Harmonized System), `cn` (EU Combined Nomenclature), `hts` (US "
        "Harmonized Tariff Schedule), `national_series` (a publisher's own aggregate, named in "
        "`national_series_name`) or `industry_series` (an industry association's aggregate, not customs data).",
        ["hs", "cn", "hts", "national_series", "industry_series"],
    ),
    "product_code": Field(
        "string",
        "The commodity code in `classification`, digits only (`8703` all cars, `870380` battery-electric cars, "
        "`87038010` new battery-electric cars in CN), or a range of codes joined by `-`; empty for a national "
        "or industry series.",
        {"pattern": r"^[0-9]{2,10}(-[0-9]{2,10})?$"},
    ),
    "national_series_name": Field(
        "string",
        "The series' own name as the publisher writes it (e.g. MOTIE's 전기차, China customs' 电动载人汽车, "
        "CAAM's NEV), with a translation in [brackets].",
    ),
    "powertrain_scope": _enum(
        "Which cars the series counts: `bev` (battery-electric), `bev_fcev` (battery-electric and fuel-cell: "
        "Korea's 전기차 series), `phev`, `hev`, `bev_phev`, `nev` (new-energy vehicles: BEV, PHEV and FCEV), "
        "`electrified_all` (BEV, PHEV, HEV and FCEV: Korea's eco-friendly cars, China customs' electric "
        "passenger cars of HS 8703.40-8703.80), `all_powertrains`, or `unknown` (the relay does not say which "
        "codes or powertrains: such a series frames no count and is compared with no other). HS 8703.80 is read "
        "as battery-electric (fuel-cell cars, few, are not separated in these sources). Series of different "
        "scopes are never compared, summed or drawn on one axis.",
        list(TRADE_SCOPE_POWERTRAINS),
    ),
    "vehicle_condition": _enum(
        "`new` cars only, `used` only, `new_and_used`, or `unknown` (not stated).",
        ["new", "used", "new_and_used", "unknown"],
    ),
    "frequency": _enum(
        "Length of the period of one point: `month`, `quarter`, `half` (of a year), `year`, or `other` (e.g. a "
        "quota window, four months).",
        ["month", "quarter", "half", "year", "other"],
    ),
    "is_cumulative": Field(
        "boolean",
        "True for a year-to-date figure (January to the period's last month): it is never summed with months, and "
        "two of them are differenced only within one vintage.",
    ),
    "quantity_basis": _enum(
        "How `vehicles_count` is known: `reported` by the publisher, `estimated` (e.g. units back-calculated "
        "from a value) or `derived` by us from other rows (see `method`).",
        ["reported", "estimated", "derived"],
    ),
    # A country's car trade in a year reaches 10^11 US dollars and 10^14 won: its own maximum, above AMOUNT_MAX.
    "trade_value_amount": Field(
        "number",
        "Value of the flow in the period, in `currency_code` (whole units, not millions).",
        {"minimum": 0, "maximum": 1_000_000_000_000_000},
    ),
    "valuation": _enum(
        "How the value is measured: `FOB` (free on board: exports, usually), `CIF` (cost, insurance and freight: "
        "imports, usually) or `unknown`. Values of different valuation are never compared.",
        ["FOB", "CIF", "unknown"],
    ),
    "share_pct": Field(
        "number",
        "The partner's share of the reporter's flow of the same scope, percent, when the publisher gives a share "
        "(of the value unless `note` says otherwise).",
        {"minimum": 0, "maximum": 100},
    ),
    "publisher_name": Field(
        "string", "Who compiles the statistic (the primary, e.g. Korea's MOTIE), whoever relays it."
    ),
    "publisher_kind": _enum(
        "`customs` (a customs administration), `ministry`, `statistics_office`, `intergovernmental` (WTO, UN, a "
        "Commission service), `industry_association` (not official statistics) or `commercial` (a compilation "
        "of customs data by a company).",
        ["customs", "ministry", "statistics_office", "intergovernmental", "industry_association", "commercial"],
    ),
    "dataset_id": Field(
        "string", "The publisher's id of the dataset or release (e.g. Eurostat `DS-045409`); empty when not given."
    ),
    "release_date": _date("Day the publisher released the figure (its press release or table)."),
    "vintage_date": _date(
        "Day we read the figure (the vintage): a revised figure is a new row of the same series and period."
    ),
    "revision_status": _enum(
        "`provisional` (a first release), `revised`, `final`, or `unknown`.",
        ["provisional", "revised", "final", "unknown"],
    ),
    "relay_name": Field(
        "string",
        "Who relays the figure when `source_id` is not the publisher's own release (a news site); empty "
        "when the source is the primary.",
    ),
    # open questions
    "question_id": _id("A question of `open_questions`."),
    "question": Field("string", "What was looked for and not found, as a question."),
    "why_it_matters": Field("string", "Which figures or conclusions the answer would change."),
    "rows_affected": Field(
        "string",
        "The rows the answer would change: `table:key` entries separated by `; `, the key being the row's key "
        "columns joined by `/` (e.g. `production:polestar_4/renault_korea_busan/USA`; see evsupply.freshness).",
        {"pattern": r"^[a-z_]+:[^;]+(; [a-z_]+:[^;]+)*$"},
    ),
    "looked_on_date": _date("Day the question was last looked into."),
    "look_again_date": _date(
        "Day to look again; `evsupply validate` warns once it has passed (an error under `--strict`)."
    ),
    # cases
    "case_id": _id("A case of `cases`."),
    "case_name": Field("string", "Human name of the case."),
    "china_link_id": _id("The Chinese group whose link makes this a case (a `company_id`)."),
    "relationship": _enum(
        "How the cars come to be built at the plant: the China-linked group's `own_plant`, a "
        "`joint_venture`, a plant of a company in which it is a `minority_partner`, or "
        "`contract_manufacturing` by another company. Equity stakes are in `shareholders`.",
        ["own_plant", "joint_venture", "minority_partner", "contract_manufacturing"],
    ),
    "comparator_plant_id": _id(
        "The plant in China that builds the same or the nearest model, for the shipping comparison (a `plant_id`)."
    ),
    "comparator_basis": _enum(
        "Whether the comparator plant builds the `same_model` or the `nearest_model`.", ["same_model", "nearest_model"]
    ),
    "comparator_method": Field("string", "Why that plant and model were chosen as comparator."),
    # batteries: cell and pack plants, who supplies the cells of a car, rules that turn on battery origin
    "battery_plant_id": _id("A battery cell or pack plant of `battery_plants`."),
    "battery_plant_name": Field("string", "Name of the battery plant."),
    "battery_plant_kind": _enum(
        "What the plant makes: `cells`, `packs` (modules and packs from bought-in cells) or `cells_and_packs`.",
        ["cells", "packs", "cells_and_packs"],
    ),
    "chemistry": _enum(
        "Cell chemistry: `NMC` (nickel-manganese-cobalt), `NCA`, `LFP` (lithium iron phosphate) or `LMFP`.",
        ["NMC", "NCA", "LFP", "LMFP"],
    ),
    "capacity_gwh_per_year": Field(
        "number", "Cell or pack output the plant can make in a year, gigawatt-hours.", {"minimum": 0, "maximum": 1000}
    ),
    "supply_id": _id("One claim of `battery_supply`: who makes the cells of a model built at a plant."),
    "cell_maker_id": _id("The company that makes the cells (a `company_id`); empty when not known."),
    "pack_maker_id": _id("The company that assembles the pack (a `company_id`); empty when not known."),
    "cell_country_code": Field(
        "string",
        "Country where the cells are made, ISO 3166-1 alpha-3; empty when not known (never guessed).",
        {"pattern": ISO3},
    ),
    "pack_country_code": Field(
        "string", "Country where the pack is assembled, ISO 3166-1 alpha-3; empty when not known.", {"pattern": ISO3}
    ),
    "supply_evidence": _enum(
        "What the cell-supply claim rests on: `stated_by_maker` (the carmaker or cell maker said so), "
        "`trade_press` (press relaying it), `recall_filing` (a safety recall names the cells), "
        "`inferred_from_kits` (the car is assembled from kits or parts shipped from a country, so the pack comes "
        "from there: an inference) or `unknown` (looked for, not found).",
        ["stated_by_maker", "trade_press", "recall_filing", "inferred_from_kits", "unknown"],
    ),
    "rule_id": _id("One rule of `origin_rules`."),
    "rule_name": Field("string", "The rule, in a few words."),
    "depends_on": _enum(
        "What the rule turns on: `cell_origin` (where the cells are made), `pack_origin`, `battery_origin` (the "
        "battery as a part, cells and pack), `battery_energy_density`, `vehicle_origin` (where the car is made: "
        "decidable from the plant) or `disclosure` (a rule that makes battery facts public, deciding no duty).",
        ["cell_origin", "pack_origin", "battery_origin", "battery_energy_density", "vehicle_origin", "disclosure"],
    ),
    "decides": Field("string", "What the answer decides (a duty rate, eligibility, a subsidy), in one sentence."),
}

# Sane maxima (issue 26, F4): no count or capacity of this data reaches 10^8 vehicles (the largest plant builds
# under 10^6 a year), no price or amount 10^9; a number without a stated maximum gets these, so that `1e400`,
# `Infinity` and the int64 maximum are refused with the row and column instead of summing to inf or wrapping.
COUNT_MAX = 100_000_000
AMOUNT_MAX = 1_000_000_000
for _spec in FIELDS.values():
    if _spec.type in ("integer", "number") and "maximum" not in _spec.constraints:
        _spec.constraints["maximum"] = COUNT_MAX if _spec.type == "integer" else AMOUNT_MAX

# Labels and units, one per column a reader sees (issue 22 item 4): every page's header for the column comes from here
# (`field_header`), so one column reads the same on every page.
LABELS: dict[str, tuple[str, str]] = {
    "source_id": ("Source", ""),
    "basis": ("How it is known", ""),
    "method": ("Method", ""),
    "checked_on": ("Last checked", ""),
    "publisher": ("Publisher", ""),
    "title": ("Title", ""),
    "published_date": ("Published", ""),
    "url": ("Address", ""),
    "source_kind": ("Kind of source", ""),
    "entity_type": ("Kind of holder", ""),
    "interest_type": ("Interest", ""),
    "stake_pct": ("Stake", "%"),
    "country_code": ("Country", ""),
    "plant_status": ("Plant status", ""),
    "capacity_units_per_year": ("Capacity", "cars a year"),
    "bound": ("Bound", ""),
    "powertrain": ("Powertrain", ""),
    "curb_mass_kg": ("Mass", "kg"),
    "production_status": ("Latest production claim", ""),
    "evidence": ("Evidence", ""),
    "start_date": ("Start", ""),
    "end_date": ("End", ""),
    "market_type": ("Kind of market", ""),
    "port_role": ("Port role", ""),
    "product_scope": ("Cars covered", ""),
    "measure_type": ("Measure", ""),
    "stacking": ("How it stacks", ""),
    "applies_to": ("Applies to", ""),
    "valid_from": ("In force from", ""),
    "valid_to": ("In force to", ""),
    "decision": ("Decision", ""),
    "confidence": ("Confidence", ""),
    "quantity": ("What was counted", ""),
    "vehicles_count": ("Cars", ""),
    "vehicle_scope": ("Vehicles covered", ""),
    "period_start": ("From", ""),
    "period_end": ("To", ""),
    "relationship": ("Relationship", ""),
    "comparator_basis": ("Comparator", ""),
    "battery_plant_kind": ("Battery plant makes", ""),
    "chemistry": ("Chemistry", ""),
    "supply_evidence": ("Supply known from", ""),
    "volume_units_per_year": ("Volume", "cars a year"),
    "price_amount": ("Price", ""),
    "currency_code": ("Currency", ""),
    "kg_co2e_per_tonne_km": ("Emission factor", "kg CO2e per tonne-km"),
}
assert set(LABELS) <= set(FIELDS), sorted(set(LABELS) - set(FIELDS))
FIELDS = {
    name: replace(spec, label=LABELS[name][0], unit=LABELS[name][1]) if name in LABELS else spec
    for name, spec in FIELDS.items()
}


def field_header(column: str) -> str:
    """A column's header from its field's label and unit; a column no field labels reads as its words."""
    spec = FIELDS.get(column)
    if spec is not None and spec.label:
        return spec.header
    words = column.replace("_", " ")
    return words[:1].upper() + words[1:]
