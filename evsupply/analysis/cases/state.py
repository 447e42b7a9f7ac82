"""The state of play of one case on one day: may the car be sold in each market, its duty, what was counted, who
controls the maker, the plant's status. Every report that speaks of these things reads this, so they agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.cases.atlas import barred_from, case_status, main_model, target_markets
from evsupply.analysis.ownership import LookThrough, look_through_bounds, ultimate_controller
from evsupply.analysis.trade.policy import Access, market_access, outside_quota
from evsupply.core import evidence as ev
from evsupply.core.finding import unique_ids
from evsupply.core.parameters import check_choice, check_date, ids
from evsupply.core.tables import Tables
from evsupply.data.names import name_of, names_by_id
from evsupply.errors import DataError

COUNT_QUANTITIES = ("exports", "registrations", "sales", "production")


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from `earlier`'s month to `later`'s (November 2025 to November 2026: 12)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def access_evidence(access: Access) -> tuple[str, tuple[str, ...]]:
    """The evidence of an access's total duty and the assumptions it makes.

    One sourced measure is reported; a total stacked from several measures is derived; a measure whose basis is
    `assumed` or `estimated` makes the total our estimate and is named among the assumptions, and so is any
    default the engine took (e.g. the model year).
    """
    rows = access.measures
    codes = [ev.from_data(str(b)) for b in rows["basis"]] if "basis" in rows else []
    assumptions = [
        f"{r['measure_name']}: {r['basis']}"
        + (f" ({r['method']})" if "method" in rows and isinstance(r.get("method"), str) else "")
        for _, r in rows.iterrows()
        if r["basis"] in ("assumed", "estimated")
    ]
    assumptions += access.assumptions
    if access.total_duty_pct is None:
        return "none_found", tuple(assumptions)
    if not codes:
        return "derived", tuple(assumptions)  # no measure applies: nothing charged, by the stacking rule
    code = codes[0] if len(codes) == 1 else ev.derived_from(*codes)
    return code, tuple(assumptions)


@dataclass(frozen=True)
class MarketState:
    """One market of a case on a day: may the car be sold, from which model year it may not, and the duties."""

    market_id: str
    market_name: str
    model_year: int
    is_allowed: bool
    barred_from_model_year: int | None
    duty_pct: float | None
    duty_evidence: str
    duty_assumptions: tuple[str, ...]
    china_duty_pct: float | None
    china_allowed: bool | None
    access: Access
    china_access: Access | None
    barred_access: Access | None = None
    china_outside_quota_pct: float | None = None  # the comparator's duty outside the quota its duty assumes
    china_in_quota: bool = False  # True when the comparator's duty holds only inside an import quota

    @property
    def is_barred(self) -> bool:
        """True when a sales ban bars the car's current or next model year (the next is on sale within the year)."""
        return self.barred_from_model_year is not None and self.barred_from_model_year <= self.model_year + 1

    @property
    def source_ids(self) -> tuple[str, ...]:
        """The sources of the sale and duty of both the case's plant and the comparator."""
        return unique_ids([*self.access.source_ids, *(self.china_access.source_ids if self.china_access else ())])


@dataclass(frozen=True)
class StateOfPlay:
    """One case on one day, as data: sale and duty per market, the latest count, the controller, the plant's status
    (`evsupply.findings.brief.state_lines` writes its five lines)."""

    case_id: str
    case_name: str
    on_date: dt.date
    plant_id: str
    plant_name: str
    brand_id: str
    model_id: str | None
    model_name: str | None
    comparator_plant_id: str | None
    markets: tuple[MarketState, ...]
    count: pd.Series | None
    count_age_months: int | None
    controller_id: str | None
    controller_name: str | None
    controller_stake: LookThrough | None
    plant_status: str
    status: dict[str, object]
    controller_source_ids: tuple[str, ...] = ()

    @property
    def barred_markets(self) -> tuple[str, ...]:
        """The markets where a sales ban bars the car (current or next model year)."""
        return tuple(m.market_id for m in self.markets if m.is_barred)

    def market(self, market_id: str) -> MarketState | None:
        """The state of one market (None if the case does not serve it)."""
        return next((m for m in self.markets if m.market_id == market_id), None)


def market_state(
    tables: Tables, model_id: str, plant_id: str, market_id: str, day: dt.date, comparator_plant_id: str | None = None
) -> MarketState:
    """The sale and duty of a model from a plant into a market on a day, beside the comparator plant's."""
    access = market_access(tables, model_id, plant_id, market_id, day)
    china = market_access(tables, model_id, comparator_plant_id, market_id, day) if comparator_plant_id else None
    code, assumptions = access_evidence(access)
    barred = barred_from(tables, model_id, plant_id, market_id, day)
    outside = None if china is None else outside_quota(tables, china)
    return MarketState(
        market_id,
        str(name_of(tables, "market_id", market_id)),
        access.model_year,
        access.is_allowed,
        None if barred is None else barred.model_year,
        access.total_duty_pct,
        code,
        assumptions,
        None if china is None else china.total_duty_pct,
        None if china is None else china.is_allowed,
        access,
        china,
        barred,
        None if outside is None else outside.total_duty_pct,
        outside is not None,
    )


# Relationships in which every car of the brand built at the plant is the case's (SAIC-CP's MG plant, BelGee), so a
# count of every model counts whenever it was made; at an own or contract plant a case is the models it names (Volvo
# Ghent's 2021 count of every Volvo is not a count of the EX30 it builds from 2025).
WHOLE_PLANT_RELATIONSHIPS = ("joint_venture",)


def latest_count(
    tables: Tables, plant_id: str, brand_id: str, day: dt.date, since: pd.Timestamp | None = None
) -> pd.Series | None:
    """The latest count (period ended on or before `day`) of the brand's cars from the plant, else None.

    A count of the brand's cars of every model (no model named) counts for the case only if its period ends on or
    after `since`, the day the case's cars were first built there: Ghent's 183,000 Volvos of 2021 are not a count of
    the EX30 it builds from 2025. An exact count comes before a bound (an upper bound says little of what happened);
    then the later period, then the longer one.
    """
    obs = tables["observations"]
    floor = pd.Timestamp(since) if since is not None and pd.notna(since) else pd.Timestamp.min
    models = set(tables["models"].loc[tables["models"]["brand_id"] == brand_id, "model_id"])
    mine = obs[
        (obs["plant_id"] == plant_id)
        & obs["quantity"].isin(COUNT_QUANTITIES)
        & (
            obs["model_id"].isin(models)
            | ((obs["maker_id"] == brand_id) & obs["model_id"].isna() & (obs["period_end"] >= floor))
        )
        & (obs["period_end"] <= pd.Timestamp(day))
    ]
    if mine.empty:
        return None
    mine = mine.assign(
        exact=mine["bound"].eq("exact"), days=(mine["period_end"] - mine["period_start"]).dt.days, row=range(len(mine))
    )
    return mine.sort_values(["exact", "period_end", "days", "row"], kind="stable").iloc[-1]


def state_of_play(tables: Tables, case_id: str, on_date: dt.date | str) -> StateOfPlay:
    """The state of play of one case on `on_date`: sale, duty, count, controller and plant, as data."""
    day = check_date("on_date", on_date)
    check_choice("case_id", case_id, ids("cases", "case_id")(tables))
    case = tables["cases"].set_index("case_id").loc[case_id].copy()
    case["case_id"] = case_id
    plant_id, brand_id = str(case["plant_id"]), str(case["brand_id"])
    comparator = None if pd.isna(case["comparator_plant_id"]) else str(case["comparator_plant_id"])
    plant_names = names_by_id(tables, "plant_id")
    company_names = names_by_id(tables, "company_id")
    model_id = main_model(tables, case, day)
    model_name = None if model_id is None else str(names_by_id(tables, "model_id")[model_id])
    markets = tuple(
        market_state(tables, model_id, plant_id, m, day, comparator)
        for m in (target_markets(tables, case, day) if model_id else [])
    )
    status = case_status(tables, case, day)
    since = status["production_start"] if pd.notna(status["production_start"]) else status["first_announced"]
    if case["relationship"] in WHOLE_PLANT_RELATIONSHIPS:
        since = None  # a joint venture's plant builds only the venture's cars: all its counts are the case's
    count = latest_count(tables, plant_id, brand_id, day, since)
    age = None if count is None else months_between(count["period_end"].date(), day)
    control = ultimate_controller(tables, brand_id, day)
    stake = None
    if control.controller_id:
        try:
            stake = look_through_bounds(tables, control.controller_id, brand_id, day)
        except DataError:
            stake = None
    return StateOfPlay(
        case_id,
        str(case["case_name"]),
        day,
        plant_id,
        str(plant_names.get(plant_id, plant_id)),
        brand_id,
        model_id,
        model_name,
        comparator,
        markets,
        count,
        age,
        control.controller_id,
        None if control.controller_id is None else str(company_names.get(control.controller_id)),
        stake,
        str(status["status"]),
        status,
        tuple(control.source_ids),
    )
