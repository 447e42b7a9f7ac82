"""Market access on a day: which trade measures apply to a car, the duty they add up to, and whether it may be sold.

Rules (see the `trade_measures` table):
- A measure applies on `on_date` when valid_from <= on_date <= valid_to (both inclusive; empty valid_to = still in
  force), its market is the importing market, its origin is empty, the plant's country or a customs union the
  country belongs to (`EUU` for every EU member), its product scope covers
  the car's powertrain (`passenger_vehicles` and `connected_vehicles` every car: all cars in these tables are
  connected; `electric_vehicles` BEV, `plug_in_hybrid_vehicles` PHEV, `hybrid_vehicles` HEV, `combustion_vehicles`
  ICE, `electrified_vehicles` BEV, PHEV and HEV), its `vehicle_form` (empty: every form) includes the form imported
  (a complete car, an SKD or a CKD kit), its `model_year_from` is at most the model year, and its `applies_to`
  condition holds.
- A car built inside the market (its country, or a member of its customs union) pays no import duty; sales bans
  still apply to it.
- Manufacturer-specific rates (`named_manufacturer`) apply to cars whose brand owner or plant operator is the named
  company, is controlled by it, or shares its ultimate controller (the group the rate was set for); the residual rate
  of the same market and measure type (`other_manufacturers`) applies when no named rate does. A row with a
  `model_id` (a price undertaking) applies to that model only.
- Stacking: `base` is the general (MFN) rate; `replaces` takes the place of `replaces_measure_id` and its role (an
  FTA rate instead of MFN, an exemption instead of an additional duty); `additive` adds its rate; `all_in` adds
  max(0, rate - base) and takes the place of `replaces_measure_id`, so base + it = max(base, rate); `prohibition`
  bars the sale. With no sourced base rate the total duty is unknown (None), never zero.
- Sales bans for `china_nexus_manufacturer`: a recorded authorisation decision for the brand owner (latest on or
  before on_date) decides: granted lifts every ban of that market, refused bars. Without a decision, the ban applies
  when the brand owner's ultimate controller (evsupply.analysis.ownership, majority chain) is Chinese.
Every explanation line is a `Cited` record: its text and the ids of the sources behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.markets import is_domestic
from evsupply.analysis.ownership import controller_chains, ultimate_controller
from evsupply.core import claims
from evsupply.core.claims import Cited, cite
from evsupply.core.parameters import (
    check_bool,
    check_choice,
    check_date,
    check_dates,
    check_str_list,
    check_unique,
    check_year,
    ids,
)
from evsupply.core.tables import Tables
from evsupply.data.metadata.fields import POWERTRAINS, SCOPE_POWERTRAINS, VEHICLE_FORMS
from evsupply.data.names import names_by_id
from evsupply.errors import DataError, ParameterError, Problem

CHINA = "CHN"
MEASURE_COLUMNS = [
    "measure_id",
    "measure_type",
    "measure_name",
    "origin_country_code",
    "tariff_rate_pct",
    "stacking",
    "replaces_measure_id",
    "applies_to",
    "manufacturer_id",
    "vehicle_form",
    "min_duty_usd_per_unit",
    "valid_from",
    "valid_to",
    "basis",
    "source_id",
    "source_quote",
]


@dataclass(frozen=True)
class Authorisation:
    """A recorded decision on a company's authorisation under a market's sales ban: who, what, when, how sure."""

    company_id: str
    company_name: str
    measure_id: str
    decision: str  # granted or refused (the schema's codes)
    decision_date: dt.date
    date_precision: str  # day or month
    confidence: str
    source_ids: tuple[str, ...]

    @property
    def when(self) -> str:
        """The decision's date to its precision: '2026-06' for a month, else the day."""
        return f"{self.decision_date:%Y-%m}" if self.date_precision == "month" else f"{self.decision_date:%Y-%m-%d}"

    @property
    def is_granted(self) -> bool:
        """Whether the authorisation was granted (the sale is then allowed)."""
        return self.decision == "granted"


@dataclass(frozen=True)
class Access:
    """What it takes to sell one model from one plant in one market on one day.

    `authorisation` is the decision that decided a sales ban (None when no ban applies or none is recorded);
    `assumptions` are the defaults and assumptions the engine made (model year, rules of origin), each a sentence of
    the explanation `lines`.
    """

    model_id: str
    plant_id: str
    market_id: str
    on_date: dt.date
    model_year: int
    origin_country_code: str
    is_domestic: bool
    measures: pd.DataFrame
    total_duty_pct: float | None
    is_allowed: bool
    lines: tuple[Cited, ...]
    authorisation: Authorisation | None = None
    assumptions: tuple[str, ...] = ()

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Every source the explanation rests on, in order of first use."""
        return tuple(claims.source_ids_of(self.lines))

    def summary(self) -> str:
        """One line: the duty and whether the car may be sold."""
        duty = "unknown (no sourced base rate)" if self.total_duty_pct is None else f"{self.total_duty_pct:g}%"
        sale = "may be sold" if self.is_allowed else "may NOT be sold"
        return (
            f"{self.model_id} from {self.plant_id} ({self.origin_country_code}) into {self.market_id} on "
            f"{self.on_date} (model year {self.model_year}): duty {duty}; {sale}"
        )


def market_access(
    tables: Tables,
    model_id: str,
    plant_id: str,
    market: str,
    on_date: dt.date | str,
    model_year: int | None = None,
    in_quota: bool | None = None,
    originating: bool = True,
    powertrain: str | None = None,
    form: str = "complete",
) -> Access:
    """The measures that apply, the total duty by the stacking rules, whether the car may be sold, and cited lines.

    `model_year` defaults to the calendar year of `on_date`; `in_quota` says whether the car falls within an import
    quota (default None: within a quota counted in vehicles, outside a quota counted in money, which importers
    share and exhaust); `originating` whether it meets FTA rules of origin (default yes); `powertrain` which of
    the model's powertrains is imported (default: the first the `models` row lists); `form` whether a complete car
    (default), an SKD or a CKD kit is imported. Each default is stated in the explanation lines.
    """
    day = check_date("on_date", on_date)
    check_choice("model_id", model_id, ids("models", "model_id")(tables))
    check_choice("plant_id", plant_id, ids("plants", "plant_id")(tables))
    check_choice("market", market, ids("markets", "market_id")(tables))
    model = tables["models"].set_index("model_id").loc[model_id]
    plant = tables["plants"].set_index("plant_id").loc[plant_id]
    check_choice("form", form, list(VEHICLE_FORMS))
    model_year = None if model_year is None else check_year("model_year", model_year)
    in_quota = check_bool("in_quota", in_quota, allow_none=True)
    originating = bool(check_bool("originating", originating))
    origin = str(plant["country_code"])
    lines: list[Cited] = []
    assumptions: list[str] = []
    listed = model_powertrains(model["powertrain"])
    if powertrain is None:
        powertrain = listed[0] if listed else "unknown"
        if len(listed) > 1:
            lines.append(cite(f"Powertrain not given: taken as {powertrain}, the first of {', '.join(listed)}."))
    else:
        check_choice("powertrain", powertrain, list(POWERTRAINS))
        if listed and powertrain not in listed:
            lines.append(cite(f"Powertrain {powertrain} as given; the models table lists {', '.join(listed)}."))
    if form != "complete":
        lines.append(cite(f"Imported as a {form.upper()} kit, not as a complete car."))
    if model_year is None:
        model_year = day.year
        assumed = f"Model year not given: taken as {model_year}, the calendar year of {day} (an assumption)."
        lines.append(cite(assumed))
        assumptions.append(assumed)
    domestic = is_domestic(tables, origin, market, day)
    origins = {origin} | unions_of(tables, origin, day)
    rows = _candidates(tables["trade_measures"], market, origins, model_id, powertrain, form, day, model_year)
    if domestic:
        lines.append(
            cite(
                f"Built in {origin}, inside {market}: no import duty.",
                *_membership_sources(tables, origin, market, day),
            )
        )
        rows = rows[rows["stacking"] == "prohibition"]
    makers = {str(model["brand_id"]), str(plant["operator_id"])}
    rows, cond_lines, cond_assumptions = _conditions(
        tables, rows, str(model["brand_id"]), makers, market, day, in_quota, originating
    )
    lines += cond_lines
    assumptions += cond_assumptions
    rows = _drop_replaced(rows)
    applied, total, duty_lines = _stack(tables["trade_measures"], rows, domestic)
    lines += duty_lines
    allowed, ban_lines, authorisation = _bans(tables, rows, str(model["brand_id"]), market, day)
    lines += ban_lines
    return Access(
        model_id,
        plant_id,
        market,
        day,
        int(model_year),
        origin,
        domestic,
        applied,
        total,
        allowed,
        tuple(lines),
        authorisation,
        tuple(assumptions),
    )


def _membership_sources(tables: Tables, country: str, market: str, day: dt.date) -> list[str]:
    """The sources of the membership row that puts `country` inside the customs union `market` (none for a country)."""
    rows = claims.holds_on(tables["market_members"], day)
    return list(rows.loc[(rows["market_id"] == market) & (rows["country_code"] == country), "source_id"])


def unions_of(tables: Tables, country: str, day: dt.date) -> set[str]:
    """The customs-union markets `country` belongs to on `day`."""
    rows = claims.holds_on(tables["market_members"], day)
    return set(rows.loc[rows["country_code"] == country, "market_id"])


def model_powertrains(value: object) -> list[str]:
    """The powertrains a `models` row lists, in order (one value, or several joined by `|`, `,`, `;` or `/`)."""
    if pd.isna(value):  # type: ignore[arg-type]
        return []
    parts = str(value).replace(",", "|").replace(";", "|").replace("/", "|").split("|")
    return [p.strip().upper() for p in parts if p.strip()]


def covers(product_scope: str, vehicle_form: object, powertrain: str, form: str) -> bool:
    """Whether a measure of this product scope and vehicle form covers a car of this powertrain imported in this
    form (an empty `vehicle_form` covers every form)."""
    forms_ok = pd.isna(vehicle_form) or form in str(vehicle_form).split("|")  # type: ignore[arg-type]
    return bool(forms_ok) and powertrain in SCOPE_POWERTRAINS.get(product_scope, frozenset())


def _candidates(
    measures: pd.DataFrame,
    market: str,
    origins: set[str],
    model_id: str,
    powertrain: str,
    form: str,
    day: dt.date,
    model_year: int,
) -> pd.DataFrame:
    """Measures of `market` in force on `day` whose origin (the plant's country or a customs union it belongs to),
    model, product scope (powertrain), vehicle form and model-year condition fit."""
    rows = claims.holds_on(measures[measures["market_id"] == market], day)
    rows = rows[rows["origin_country_code"].isna() | rows["origin_country_code"].isin(origins)]
    rows = rows[rows["model_id"].isna() | (rows["model_id"] == model_id)]
    fits = [covers(s, f, powertrain, form) for s, f in zip(rows["product_scope"], rows["vehicle_form"], strict=True)]
    rows = rows[pd.Series(fits, index=rows.index, dtype=bool)]
    year_ok = rows["model_year_from"].isna() | (rows["model_year_from"].fillna(0) <= model_year)
    return rows[year_ok.astype(bool)].copy()


def manufacturer_group(tables: Tables, makers: set[str], day: dt.date) -> set[str]:
    """The makers, the companies that control them, and every company controlled by the same ultimate controller
    (a maker-specific rate set for a group covers its sister companies: Polestar under the Geely rate)."""
    chains = controller_chains(tables, day)
    tops = {chains[m][-1] for m in makers if chains.get(m)}
    group = set(makers) | {c for m in makers for c in chains.get(m, [])}
    return group | {company for company, chain in chains.items() if chain and chain[-1] in tops}


@dataclass
class _Buyer:
    """What the `applies_to` conditions of one car's measures read: who makes it, where, and what the caller said."""

    tables: Tables
    brand_id: str
    group: set[str]  # the makers and the companies they control (for named manufacturers)
    matched_types: set[str]  # measure types for which a `named_manufacturer` row names this car's maker
    market: str
    day: dt.date
    in_quota: bool | None
    originating: bool
    nexus: tuple[bool, list[Cited]] | None = None


# A condition's verdict: whether the row applies, the cited lines that say why, the assumptions among them.
Verdict = tuple[bool, list[Cited], list[str]]


def _applies_to_all(buyer: _Buyer, row: pd.Series) -> Verdict:
    """`all`: the measure applies to every import in its scope."""
    return True, [], []


def _applies_to_originating_goods(buyer: _Buyer, row: pd.Series) -> Verdict:
    """`originating_goods`: applies when the car meets the agreement's rules of origin; taken as met unless the
    caller says otherwise (an assumption: origin is not checked); the rules that turn on the battery are named."""
    text = (
        f"{row['measure_name']}: the car is {'assumed to meet' if buyer.originating else 'taken not to meet'} "
        "the rules of origin (an assumption: origin is not checked)."
    )
    lines = [cite(text, row["source_id"]), *_origin_rule_lines(buyer.tables, row["measure_id"], buyer.day)]
    return buyer.originating, lines, [text]


def _applies_to_within_quota(buyer: _Buyer, row: pd.Series) -> Verdict:
    """`within_quota`: applies inside the import quota; by default a car is within a quota counted in vehicles
    and outside one counted in money (which importers share and exhaust), unless the caller says."""
    quota = row["quota_units_per_year"]
    counted = pd.notna(quota)
    ok = counted if buyer.in_quota is None else bool(buyer.in_quota)
    size = f" of {int(quota):,} vehicles a year" if counted else " (a value quota shared by importers)"
    how = "given" if buyer.in_quota is not None else "assumed"
    text = f"{row['measure_name']}: the car is {how} {'within' if ok else 'outside'} the quota{size}."
    return ok, [cite(text, row["source_id"])], []


def _applies_to_china_nexus_manufacturer(buyer: _Buyer, row: pd.Series) -> Verdict:
    """`china_nexus_manufacturer`: applies when the brand owner sought an authorisation under the rule or is, or is
    controlled by, a Chinese company (`china_nexus`, decided once per car and explained once)."""
    if buyer.nexus is None:
        buyer.nexus = china_nexus(buyer.tables, buyer.brand_id, buyer.market, buyer.day)
        return buyer.nexus[0], list(buyer.nexus[1]), []
    return buyer.nexus[0], [], []


def _applies_to_named_manufacturer(buyer: _Buyer, row: pd.Series) -> Verdict:
    """`named_manufacturer`: applies to cars of `manufacturer_id` or of a company it controls."""
    return row["manufacturer_id"] in buyer.group, [], []


def _applies_to_other_manufacturers(buyer: _Buyer, row: pd.Series) -> Verdict:
    """`other_manufacturers`: applies to every maker that no `named_manufacturer` row of the same market and
    measure type names."""
    return row["measure_type"] not in buyer.matched_types, [], []


# One function per `applies_to` code of the schema; its docstring is the rule.
CONDITIONS = {
    "all": _applies_to_all,
    "originating_goods": _applies_to_originating_goods,
    "within_quota": _applies_to_within_quota,
    "china_nexus_manufacturer": _applies_to_china_nexus_manufacturer,
    "named_manufacturer": _applies_to_named_manufacturer,
    "other_manufacturers": _applies_to_other_manufacturers,
}


def _conditions(
    tables: Tables,
    rows: pd.DataFrame,
    brand_id: str,
    makers: set[str],
    market: str,
    day: dt.date,
    in_quota: bool | None,
    originating: bool,
) -> tuple[pd.DataFrame, list[Cited], list[str]]:
    """Keep the rows whose `applies_to` condition holds (`CONDITIONS`); say which assumption decided it."""
    named = rows[rows["applies_to"] == "named_manufacturer"]
    group = manufacturer_group(tables, makers, day) if len(named) else set(makers)
    matched_types = set(named.loc[named["manufacturer_id"].isin(group), "measure_type"])
    buyer = _Buyer(tables, brand_id, group, matched_types, market, day, in_quota, originating)
    keep, lines, assumptions = [], [], []
    for i, row in rows.iterrows():
        ok, why, assumed = CONDITIONS.get(row["applies_to"], _applies_to_all)(buyer, row)
        lines += why
        assumptions += assumed
        if ok:
            keep.append(i)
    return rows.loc[keep], lines, assumptions


def _origin_rule_lines(tables: Tables, measure_id: str, day: dt.date) -> list[Cited]:
    """Name the rules (`origin_rules`) that decide whether a preference applies and turn on the battery's origin."""
    if "origin_rules" not in tables:
        return []
    rules = claims.holds_on(tables["origin_rules"], day)
    rules = rules[(rules["measure_id"] == measure_id) & (rules["depends_on"] != "vehicle_origin")]
    return [
        cite(
            f"Undecided: {r['rule_name']} turns on where the battery is made. {r['decides']}",
            r["source_id"],
        )
        for _, r in rules.iterrows()
    ]


def china_nexus(tables: Tables, company_id: str, market: str, day: dt.date) -> tuple[bool, list[Cited]]:
    """Whether `company_id` falls under a China-nexus sales ban in `market` on `day`, and why (cited lines).

    A recorded authorisation decision means the company is covered; otherwise ownership decides: the company is
    covered when it or its ultimate controller is Chinese (country_code CHN).
    """
    decision = _decision(tables, company_id, market, day)
    if decision is not None:
        return True, [
            cite(
                f"{_company_name(tables, company_id)} sought an authorisation under the rule, so the rule covers it.",
                decision["source_id"],
            )
        ]
    companies = tables["companies"].set_index("company_id")
    if company_id not in companies.index:
        return False, [
            cite(f"{company_id} is not in `companies`: its ownership is unknown, China nexus not established.")
        ]
    control = ultimate_controller(tables, company_id, day)
    top = control.controller_id or company_id
    country = companies.loc[top, "country_code"]
    name = companies.loc[top, "company_name"]
    covered = country == CHINA
    lines = [
        *control.lines,
        cite(
            f"Ultimate controller on {day}: {name} ({country}): China nexus "
            f"{'yes' if covered else 'no'} (our ownership test, simpler than the rule's).",
            *companies.loc[[top], "source_id"],
        ),
    ]
    return covered, lines


def _decision(tables: Tables, company_id: str, market: str, day: dt.date) -> pd.Series | None:
    """The authorisation decision for the company under any measure of `market` that holds on `day`."""
    if "trade_authorisations" not in tables:
        return None
    auth = tables["trade_authorisations"]
    measures = tables["trade_measures"]
    market_measures = set(measures.loc[measures["market_id"] == market, "measure_id"])
    mine = auth[(auth["company_id"] == company_id) & auth["measure_id"].isin(market_measures)]
    return claims.latest_row(mine, day, date_col="decision_date")


def _drop_replaced(rows: pd.DataFrame) -> pd.DataFrame:
    """Remove the rows another applicable row replaces (`replaces` and `all_in` rows name them)."""
    replaced = set(rows.loc[rows["stacking"].isin(["replaces", "all_in"]), "replaces_measure_id"].dropna())
    return rows[~rows["measure_id"].isin(replaced)]


def role(measures: pd.DataFrame, measure_id: str) -> str:
    """How a measure stacks: its `stacking`, where a `replaces` row takes the role of the row it replaces."""
    return _roles(measures, [measure_id])[0]


def _roles(measures: pd.DataFrame, measure_ids: list[str]) -> list[str]:
    """`role` of each of `measure_ids`, reading the measures table once."""
    links = {
        str(m): (str(s), None if pd.isna(r) else str(r))
        for m, s, r in zip(measures["measure_id"], measures["stacking"], measures["replaces_measure_id"], strict=True)
    }
    out = []
    for measure_id in measure_ids:
        seen: set[str] = set()
        current: str | None = measure_id
        found = "base"
        while current in links and current not in seen:
            seen.add(current)
            stacking, replaced = links[current]
            if stacking != "replaces":
                found = stacking
                break
            current = replaced  # a `replaces` row without a target is a base rate
        out.append(found)
    return out


def _stack_base(name: str, rate: float, base: float, since: str) -> tuple[float, str]:
    """`base` (and a `replaces` row in a base's role): the rate is the base duty."""
    return rate, f"{name}: {rate:g}% base rate ({since})."


def _stack_all_in(name: str, rate: float, base: float, since: str) -> tuple[float, str]:
    """`all_in`: a ceiling that includes the base, so it adds max(0, rate - base)."""
    amount = max(0.0, rate - base)
    return amount, f"{name}: {rate:g}% all-in, so it adds {amount:g}% to the {base:g}% base ({since})."


def _stack_additive(name: str, rate: float, base: float, since: str) -> tuple[float, str]:
    """`additive` (and any other role): the rate is added on top of the others."""
    return rate, f"{name}: +{rate:g}% ({since})."


# One function per stacking role a duty row can take (`prohibition` rows carry no rate): the amount it adds to the
# total and its explanation line.
STACKING = {"base": _stack_base, "all_in": _stack_all_in, "additive": _stack_additive}


def _stack(
    measures: pd.DataFrame, rows: pd.DataFrame, domestic: bool
) -> tuple[pd.DataFrame, float | None, list[Cited]]:
    """Applied duty of each row and the total, by the stacking rules; one cited line per row."""
    duty_rows = rows[rows["stacking"] != "prohibition"].copy()
    roles = pd.Series(_roles(measures, list(duty_rows["measure_id"])), index=duty_rows.index, dtype=object)
    bases = duty_rows[roles == "base"]
    if len(bases) > 1:  # validation rules this out; kept so that hand-made tables fail loudly too
        raise DataError(
            [
                Problem(
                    "trade_measures.csv",
                    "one base rate",
                    f"{len(bases)} base rates apply at once: {', '.join(bases['measure_id'])}",
                    column="stacking",
                    value=", ".join(bases["measure_id"]),
                )
            ]
        )
    lines: list[Cited] = []
    if domestic:
        base: float | None = 0.0
    elif bases.empty:
        base = None
        lines.append(cite("No sourced base (MFN or FTA) rate for this market and origin: total duty unknown."))
    else:
        base = float(bases.iloc[0]["tariff_rate_pct"])
    applied = []
    for i, row in duty_rows.iterrows():
        rate = float(row["tariff_rate_pct"])
        since = f"since {row['valid_from']:%Y-%m-%d}"
        if pd.notna(row["min_duty_usd_per_unit"]):
            since += f"; at least US${float(row['min_duty_usd_per_unit']):,.0f} a car, not counted in the %"
        amount, text = STACKING.get(roles[i], _stack_additive)(row["measure_name"], rate, base or 0.0, since)
        lines.append(cite(text, row["source_id"]))
        applied.append(amount)
    duty_rows["applied_pct"] = applied
    prohibitions = rows[rows["stacking"] == "prohibition"].copy()
    prohibitions["applied_pct"] = float("nan")
    out = pd.concat([duty_rows, prohibitions])[[*MEASURE_COLUMNS, "applied_pct"]].reset_index(drop=True)
    extra = sum(a for a, r in zip(applied, roles, strict=True) if r != "base")
    total = None if base is None else round(base + extra, 6)
    if total is not None:
        lines.append(cite(f"Total duty: {total:g}% of the customs value."))
    return out, total, lines


def stack_measures(
    measures: pd.DataFrame, rows: pd.DataFrame, domestic: bool
) -> tuple[pd.DataFrame, float | None, list[Cited]]:
    """Applied duty of each applicable measure row and the total, by the stacking rules, with cited lines."""
    return _stack(measures, rows, domestic)


def outside_quota(tables: Tables, access: Access) -> Access | None:
    """The same car on the same day outside the import quota, when the access's duty holds only inside one (an
    in-quota rate applied); None when no quota decided the duty. A headline that states the in-quota rate states
    this one beside it (Canada's 6.1% inside the quota on China-built EVs, 106.1% outside)."""
    rows = access.measures
    if rows.empty or "applies_to" not in rows or not rows["applies_to"].eq("within_quota").any():
        return None
    return market_access(
        tables, access.model_id, access.plant_id, access.market_id, access.on_date, access.model_year, in_quota=False
    )


def _company_name(tables: Tables, company_id: str) -> str:
    """A company's name for explanation lines (its id when the companies table does not hold it)."""
    names = names_by_id(tables, "company_id")
    return str(names.get(company_id, company_id))


def _bans(
    tables: Tables, rows: pd.DataFrame, brand_id: str, market: str, day: dt.date
) -> tuple[bool, list[Cited], Authorisation | None]:
    """Whether any applicable sales ban bars the car, given the brand owner's authorisation decisions, and the
    decision that decided it."""
    bans = rows[rows["stacking"] == "prohibition"]
    if bans.empty:
        return True, [cite("No sales ban applies.")], None
    decision = _decision(tables, brand_id, market, day)
    lines = [
        cite(
            f"{b['measure_name']} applies (model year {int(b['model_year_from'])} and later, in force since "
            f"{b['valid_from']:%Y-%m-%d}).",
            b["source_id"],
        )
        for _, b in bans.iterrows()
    ]
    if decision is None:
        lines.append(cite(f"No authorisation recorded for {brand_id} by {day}: the sale is barred."))
        return False, lines, None
    auth = Authorisation(
        brand_id,
        _company_name(tables, brand_id),
        str(decision["measure_id"]),
        str(decision["decision"]),
        pd.Timestamp(decision["decision_date"]).date(),
        str(decision["date_precision"]),
        str(decision["confidence"]),
        (str(decision["source_id"]),),
    )
    lines.append(
        cite(
            f"Authorisation {auth.decision} to {auth.company_name} ({auth.when}, {auth.confidence} confidence).",
            *auth.source_ids,
        )
    )
    lines.append(cite("The sale is allowed." if auth.is_granted else "The sale is barred."))
    return auth.is_granted, lines, auth


# access_table computes every cell: past this many rows a caller wants access_timeline (once per change day).
MAX_ACCESS_ROWS = 2_000


def access_table(
    tables: Tables,
    model_id: str,
    plants: list[str] | str,
    markets: list[str] | str,
    dates: list[dt.date | str] | dt.date | str,
    model_year: int | None = None,
    in_quota: bool | None = None,
) -> pd.DataFrame:
    """market_access for every plant, market and date: one row each with duty, sale status and cited measures."""
    plants = check_unique("plants", check_str_list("plants", plants))
    markets = check_unique("markets", check_str_list("markets", markets))
    check_unique("dates", check_dates("dates", dates))
    if len(plants) * len(markets) * len(check_dates("dates", dates)) > MAX_ACCESS_ROWS:
        raise ParameterError(
            "dates",
            f"{len(plants)} plants x {len(markets)} markets x {len(check_dates('dates', dates))} dates is more than "
            f"{MAX_ACCESS_ROWS:,} rows; for a daily timeline use evsupply.analysis.trade.landed.access_timeline",
        )
    out = []
    for plant in plants:
        for market in markets:
            for day in check_dates("dates", dates):
                a = market_access(tables, model_id, plant, market, day, model_year=model_year, in_quota=in_quota)
                out.append(
                    {
                        "plant_id": plant,
                        "origin_country_code": a.origin_country_code,
                        "market_id": market,
                        "on_date": pd.Timestamp(a.on_date),
                        "model_year": a.model_year,
                        "is_domestic": a.is_domestic,
                        "total_duty_pct": a.total_duty_pct,
                        "is_allowed": a.is_allowed,
                        "measure_ids": tuple(a.measures["measure_id"]),
                        "source_ids": a.source_ids,
                    }
                )
    return pd.DataFrame(
        out,
        columns=[
            "plant_id",
            "origin_country_code",
            "market_id",
            "on_date",
            "model_year",
            "is_domestic",
            "total_duty_pct",
            "is_allowed",
            "measure_ids",
            "source_ids",
        ],
    )
