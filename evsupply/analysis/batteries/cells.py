"""From the car to the cell: who makes the cells of a model built at a plant, where, under which rules.

Rules (see the `battery_supply`, `battery_plants` and `origin_rules` tables):
- The claim for a model at a plant on a day is the latest claim made on or before that day whose `valid_from` has
  come (`evsupply.core.claims`: no look-ahead; a tie goes to the preferred row). A claim that names nothing is an
  answer too: `unknown` means the supplier was looked for and not found, and it is never replaced by a guess.
- Cells come from the cell plant's country when a plant is named, else from `cell_country_code`; when neither is
  known the origin is unknown, whatever the cell maker's nationality.
- Duties on imported cells come from `trade_measures` rows whose product scope is a battery scope, stacked by the
  same engine and rules as the car duties (`evsupply.analysis.trade.policy`).
- A rule of `origin_rules` that turns on the battery's origin is *undecided* while the origin is unknown; the
  engine names it instead of guessing a rate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.ownership import ultimate_controller
from evsupply.analysis.trade.policy import stack_measures, unions_of
from evsupply.core import claims
from evsupply.core.claims import Cited, cite
from evsupply.core.parameters import check_case_ids, check_choice, check_date, ids
from evsupply.core.tables import Tables, is_missing
from evsupply.data import geo
from evsupply.data.names import names_by_id
from evsupply.errors import ParameterError

CHINA = "CHN"
BATTERY_SCOPES = {True: "ev_batteries", False: "other_li_ion_batteries"}
# What a supply claim rests on, as an evidence word of the package's vocabulary.
SUPPLY_EVIDENCE = {
    "stated_by_maker": "reported",
    "trade_press": "reported",
    "recall_filing": "reported",
    "inferred_from_kits": "estimated",
    "unknown": "none_found",
}
# Rules that cannot be decided without knowing where the battery (or its cells) is made.
ORIGIN_DEPENDENT = {"cell_origin", "pack_origin", "battery_origin"}
TABLE_COLUMNS = [
    "case_id",
    "case_name",
    "model_id",
    "model_name",
    "plant_id",
    "plant_name",
    "plant_country_code",
    "is_known",
    "cell_maker_id",
    "cell_maker_name",
    "cell_maker_controller_id",
    "battery_plant_id",
    "cell_country_code",
    "pack_maker_id",
    "pack_country_code",
    "chemistry",
    "supply_evidence",
    "evidence",
    "is_cells_from_china",
    "cell_duty_market_id",
    "cell_duty_pct",
    "undecided_rule_ids",
    "supply_id",
    "supply_source_ids",
    "source_ids",
]


@dataclass(frozen=True)
class BatteryOrigin:
    """The preferred cell-supply claim for a model built at a plant on a day, or the statement that it is unknown."""

    model_id: str
    plant_id: str
    on_date: dt.date
    supply_id: str | None
    cell_maker_id: str | None
    battery_plant_id: str | None
    cell_country_code: str | None
    pack_maker_id: str | None
    pack_country_code: str | None
    chemistry: str | None
    supply_evidence: str
    lines: tuple[Cited, ...]

    @property
    def is_known(self) -> bool:
        """Whether anything about the cells is known (a maker, a plant or a country)."""
        return self.supply_evidence != "unknown"

    @property
    def evidence(self) -> str:
        """The claim's evidence word: reported, estimated (an inference) or none_found."""
        return SUPPLY_EVIDENCE[self.supply_evidence]

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The sources the answer rests on."""
        return tuple(claims.source_ids_of(self.lines))


def _value(row: pd.Series, column: str) -> str | None:
    value = row.get(column)
    return None if is_missing(value) else str(value)


def battery_origin(tables: Tables, model_id: str, plant_id: str, on_date: dt.date | str) -> BatteryOrigin:
    """The cell maker, cell plant, cell country, chemistry and evidence of the preferred claim on `on_date`."""
    check_choice("model_id", model_id, ids("models", "model_id")(tables))
    check_choice("plant_id", plant_id, ids("plants", "plant_id")(tables))
    day = check_date("on_date", on_date)
    supply = tables["battery_supply"]
    rows = supply[(supply["model_id"] == model_id) & (supply["plant_id"] == plant_id)]
    rows = rows[rows["valid_from"].isna() | (rows["valid_from"] <= pd.Timestamp(day))]
    row = claims.latest_row(rows, day)
    if row is None:
        line = cite(f"No cell-supply claim for {model_id} built at {plant_id} is recorded by {day}: unknown.")
        return BatteryOrigin(model_id, plant_id, day, None, None, None, None, None, None, None, "unknown", (line,))
    plant_country = None
    if pd.notna(row["battery_plant_id"]):
        plants = tables["battery_plants"].set_index("battery_plant_id")
        plant_country = str(plants.loc[row["battery_plant_id"], "country_code"])
    country = plant_country or _value(row, "cell_country_code")
    made = f"{row['supply_evidence'].replace('_', ' ')}, claim of {row['as_of_date']:%Y-%m-%d}"
    if row["supply_evidence"] == "unknown":
        text = f"Cells of {model_id} built at {plant_id}: supplier not known (looked for, none found; {made})."
    else:
        who = _value(row, "cell_maker_id") or "maker not named"
        where = country or "country not known"
        text = f"Cells of {model_id} built at {plant_id}: {who}, made in {where} ({made})."
    return BatteryOrigin(
        model_id,
        plant_id,
        day,
        str(row["supply_id"]),
        _value(row, "cell_maker_id"),
        _value(row, "battery_plant_id"),
        country,
        _value(row, "pack_maker_id"),
        _value(row, "pack_country_code"),
        _value(row, "chemistry"),
        str(row["supply_evidence"]),
        (cite(text, row["source_id"]),),
    )


@dataclass(frozen=True)
class BatteryDuty:
    """The import duty on lithium-ion batteries from one country into one market on one day."""

    cell_country_code: str
    market_id: str
    on_date: dt.date
    for_ev: bool
    measures: pd.DataFrame
    total_duty_pct: float | None
    lines: tuple[Cited, ...]

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Every source the duty rests on."""
        return tuple(claims.source_ids_of(self.lines))


def battery_duty(
    tables: Tables, cell_country: str, market: str, on_date: dt.date | str, for_ev: bool = True
) -> BatteryDuty:
    """The duty on lithium-ion batteries (for EVs, or not) made in `cell_country` entering `market` on `on_date`."""
    day = check_date("on_date", on_date)
    check_choice("market", market, ids("markets", "market_id")(tables))
    check_choice("for_ev", for_ev, (True, False))
    # An unknown or misspelt origin would match no origin-specific measure and so get the lowest rate (F5)
    if not isinstance(cell_country, str) or cell_country == "ZZZ" or not geo.is_country_code(cell_country):
        raise ParameterError(
            "cell_country", f"{cell_country!r} is not an ISO 3166-1 alpha-3 country code in capitals (e.g. 'CHN')"
        )
    measures = tables["trade_measures"]
    rows = claims.holds_on(measures[measures["market_id"] == market], day)
    origins = {cell_country} | unions_of(tables, cell_country, day)
    rows = rows[rows["origin_country_code"].isna() | rows["origin_country_code"].isin(origins)]
    rows = rows[rows["product_scope"] == BATTERY_SCOPES[for_ev]]
    applied, total, lines = stack_measures(measures, rows, domestic=False)
    return BatteryDuty(cell_country, market, day, for_ev, applied, total, tuple(lines))


def market_conditions(
    tables: Tables, model_id: str, plant_id: str, market: str, on_date: dt.date | str
) -> pd.DataFrame:
    """The market's rules that turn on the car's or battery's origin, each decided or named as undecided."""
    day = check_date("on_date", on_date)
    check_choice("market", market, ids("markets", "market_id")(tables))
    origin = battery_origin(tables, model_id, plant_id, day)
    return _conditions(tables, origin, market, claims.holds_on(tables["origin_rules"], day))


def _conditions(tables: Tables, origin: BatteryOrigin, market: str, rules: pd.DataFrame) -> pd.DataFrame:
    """`market_conditions` for a known answer of `battery_origin`, given the origin rules that hold on its day."""
    country = str(tables["plants"].set_index("plant_id").loc[origin.plant_id, "country_code"])
    rules = rules[
        (rules["market_id"] == market)
        & (rules["origin_country_code"].isna() | (rules["origin_country_code"] == country))
    ]
    out = []
    for _, rule in rules.iterrows():
        depends = rule["depends_on"]
        if depends in ORIGIN_DEPENDENT and not origin.cell_country_code:
            status = "undecided"
            why = "it turns on where the battery is made, which is not known"
        elif depends in ORIGIN_DEPENDENT:
            status = "undecided"
            why = (
                f"cells from {origin.cell_country_code}; the outcome also turns on their value share, "
                "which the tables do not hold"
            )
        elif depends == "vehicle_origin":
            status = "decided"
            why = f"it turns on where the car is made ({country})"
        else:
            status = "not a duty"
            why = "it decides no duty"
        out.append(
            {
                "rule_id": rule["rule_id"],
                "rule_name": rule["rule_name"],
                "depends_on": depends,
                "decides": rule["decides"],
                "status": status,
                "why": why,
                "source_ids": (rule["source_id"], *origin.source_ids),
            }
        )
    return pd.DataFrame(out, columns=CONDITION_COLUMNS)


# The columns of a market's rules as `market_conditions` reads them for one car's cells.
CONDITION_COLUMNS = ["rule_id", "rule_name", "depends_on", "decides", "status", "why", "source_ids"]


def _undecided(tables: Tables, origin: BatteryOrigin) -> pd.DataFrame:
    """The rules of every market that `origin` leaves undecided, one row per market and rule."""
    rules = claims.holds_on(tables["origin_rules"], origin.on_date)
    frames = [
        _conditions(tables, origin, market, rules).assign(market_id=market)
        for market in sorted(set(tables["origin_rules"]["market_id"]))
    ]
    # No rule recorded anywhere (a header-only origin_rules, F12): no rule is undecided, and the frame has the columns.
    found = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*CONDITION_COLUMNS, "market_id"])
    return found[found["status"] == "undecided"]


def undecided_conditions(tables: Tables, on_date: dt.date | str, cases: list[str] | None = None) -> pd.DataFrame:
    """Every market rule that a case model leaves undecided on `on_date` because of its cells, one row per case,
    model, market and rule (`cases`: case_ids, None for all)."""
    day = check_date("on_date", on_date)
    models = names_by_id(tables, "model_id")
    built = case_models(tables).dropna(subset=["model_id"])
    if cases:
        built = built[built["case_id"].isin(check_case_ids(tables, cases))]
    frames = [
        _undecided(tables, battery_origin(tables, case.model_id, case.plant_id, day)).assign(
            case_id=case.case_id,
            case_name=case.case_name,
            model_id=case.model_id,
            model_name=models.get(case.model_id, case.model_id),
        )
        for case in built.itertuples()
    ]
    cols = ["case_id", "case_name", "model_id", "model_name", "market_id", "rule_id", "rule_name", "decides", "why"]
    if not frames:
        return pd.DataFrame(columns=[*cols, "source_ids"])
    return pd.concat(frames, ignore_index=True)[[*cols, "source_ids"]]


def case_models(tables: Tables) -> pd.DataFrame:
    """Each case with the models its plant builds (production or cell-supply claims), one row per case and model.

    Where several cases share a plant (XPeng and GAC at Magna Graz), each case keeps the models of its own brand.
    """
    cases = tables["cases"][["case_id", "case_name", "plant_id", "brand_id"]]
    claimed = [tables[name][["model_id", "plant_id"]] for name in ("production", "battery_supply")]
    built = pd.concat(claimed, ignore_index=True).drop_duplicates()
    brand_of = tables["models"].set_index("model_id")["brand_id"]
    out = cases.merge(built, on="plant_id", how="left", validate="m:m")
    shared = out["plant_id"].map(cases["plant_id"].value_counts()) > 1
    other_brand = out["model_id"].notna() & (out["model_id"].map(brand_of) != out["brand_id"])
    out = out[~(shared & other_brand)]
    # A case whose plant builds only other brands' models is still listed, with no model.
    bare = cases[~cases["case_id"].isin(out["case_id"])].assign(model_id=pd.NA)
    out = pd.concat([out, bare], ignore_index=True)
    order = {case_id: i for i, case_id in enumerate(cases["case_id"])}
    out = out.sort_values("case_id", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
    return out.drop(columns="brand_id")


def _market_of(tables: Tables, country: str, day: dt.date) -> str | None:
    """The market a plant in `country` imports its cells into: the country, else a customs union it belongs to."""
    markets = set(tables["markets"]["market_id"])
    if country in markets:
        return country
    unions = sorted(unions_of(tables, country, day) & markets)
    return unions[0] if unions else None


def battery_table(tables: Tables, on_date: dt.date | str) -> pd.DataFrame:
    """For every case and model: the cells' maker, plant, country, chemistry and evidence on `on_date`."""
    day = check_date("on_date", on_date)
    models = names_by_id(tables, "model_id")
    plants = tables["plants"].set_index("plant_id")
    companies = names_by_id(tables, "company_id")
    rows = []
    for case in case_models(tables).itertuples():
        if pd.isna(case.model_id):  # no model recorded at the plant yet: the case is listed, nothing is known
            rows.append(
                {
                    "case_id": case.case_id,
                    "case_name": case.case_name,
                    "plant_id": case.plant_id,
                    "plant_name": plants.loc[case.plant_id, "plant_name"],
                    "plant_country_code": plants.loc[case.plant_id, "country_code"],
                    "is_known": False,
                    "supply_evidence": "unknown",
                    "evidence": "none_found",
                    "undecided_rule_ids": (),
                    "supply_source_ids": (),
                    "source_ids": (),
                }
            )
            continue
        origin = battery_origin(tables, case.model_id, case.plant_id, day)
        country = str(plants.loc[case.plant_id, "country_code"])
        maker = origin.cell_maker_id
        controller = ultimate_controller(tables, maker, day).controller_id if maker else None
        market = _market_of(tables, country, day)
        duty = None
        sources = list(origin.source_ids)
        if origin.cell_country_code and market and origin.cell_country_code != country:
            bd = battery_duty(tables, origin.cell_country_code, market, day)
            duty = bd.total_duty_pct
            sources += bd.source_ids
        undecided = list(_undecided(tables, origin)["rule_id"])
        rows.append(
            {
                "case_id": case.case_id,
                "case_name": case.case_name,
                "model_id": case.model_id,
                "model_name": models.get(case.model_id, case.model_id),
                "plant_id": case.plant_id,
                "plant_name": plants.loc[case.plant_id, "plant_name"],
                "plant_country_code": country,
                "is_known": origin.is_known,
                "cell_maker_id": maker,
                "cell_maker_name": companies.get(maker) if maker else None,
                "cell_maker_controller_id": controller,
                "battery_plant_id": origin.battery_plant_id,
                "cell_country_code": origin.cell_country_code,
                "pack_maker_id": origin.pack_maker_id,
                "pack_country_code": origin.pack_country_code,
                "chemistry": origin.chemistry,
                "supply_evidence": origin.supply_evidence,
                "evidence": origin.evidence,
                "is_cells_from_china": None if origin.cell_country_code is None else origin.cell_country_code == CHINA,
                "cell_duty_market_id": market if duty is not None else None,
                "cell_duty_pct": duty,
                "undecided_rule_ids": tuple(undecided),
                "supply_id": origin.supply_id,
                "supply_source_ids": origin.source_ids if origin.supply_id else (),
                "source_ids": tuple(dict.fromkeys(sources)),
            }
        )
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)
