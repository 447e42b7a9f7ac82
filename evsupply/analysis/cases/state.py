"""The state of play of one case on one day: may the car be sold in each market, its duty, what was counted, who
controls the maker, the plant's status. Every report that speaks of these things reads this, so they agree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from evsupply.analysis.cases.atlas import barred_from, case_status, main_model, target_markets, the
from evsupply.analysis.counts.observed import BOUND_WORDS, period_words
from evsupply.analysis.ownership import LookThrough, look_through_bounds, ultimate_controller
from evsupply.analysis.trade.policy import Access, market_access
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding, unique_ids
from evsupply.core.parameters import check_choice, check_date, ids
from evsupply.core.tables import Tables, names
from evsupply.errors import DataError

COUNT_QUANTITIES = ("exports", "registrations", "sales", "production")
COUNT_VERBS = {"exports": "exported", "registrations": "registered", "sales": "sold", "production": "built"}


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
    assumptions += [line.text for line in access.lines if "assumption" in line.text.lower()]
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
    """One case on one day, as data and as five cited lines (sale, duty, counted, controller, plant)."""

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
    lines: tuple[Finding, ...]

    @property
    def barred_markets(self) -> tuple[str, ...]:
        """The markets where a sales ban bars the car (current or next model year)."""
        return tuple(m.market_id for m in self.markets if m.is_barred)

    def market(self, market_id: str) -> MarketState | None:
        """The state of one market (None if the case does not serve it)."""
        return next((m for m in self.markets if m.market_id == market_id), None)

    def line(self, kind: str) -> Finding:
        """One of the five lines by kind: sale, duty, counted, controller, plant."""
        return next(f for f in self.lines if f.key.startswith(f"state_{kind}:"))

    @property
    def source_ids(self) -> tuple[str, ...]:
        """Every source of the five lines."""
        return unique_ids(s for f in self.lines for s in f.source_ids)


def market_state(
    tables: Tables, model_id: str, plant_id: str, market_id: str, day: dt.date, comparator_plant_id: str | None = None
) -> MarketState:
    """The sale and duty of a model from a plant into a market on a day, beside the comparator plant's."""
    access = market_access(tables, model_id, plant_id, market_id, day)
    china = market_access(tables, model_id, comparator_plant_id, market_id, day) if comparator_plant_id else None
    code, assumptions = access_evidence(access)
    barred = barred_from(tables, model_id, plant_id, market_id, day)
    return MarketState(
        market_id,
        str(names(tables, "markets", "market_id", "market_name").get(market_id, market_id)),
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
    )


def latest_count(tables: Tables, plant_id: str, brand_id: str, day: dt.date) -> pd.Series | None:
    """The latest count (period ended on or before `day`) of the brand's cars from the plant, else None.

    An exact count comes before a bound (an upper bound says little of what happened); then the later period, then
    the longer one.
    """
    obs = tables["observations"]
    models = set(tables["models"].loc[tables["models"]["brand_id"] == brand_id, "model_id"])
    mine = obs[
        (obs["plant_id"] == plant_id)
        & obs["quantity"].isin(COUNT_QUANTITIES)
        & (obs["model_id"].isin(models) | ((obs["maker_id"] == brand_id) & obs["model_id"].isna()))
        & (obs["period_end"] <= pd.Timestamp(day))
    ]
    if mine.empty:
        return None
    mine = mine.assign(
        exact=mine["bound"].eq("exact"), days=(mine["period_end"] - mine["period_start"]).dt.days, row=range(len(mine))
    )
    return mine.sort_values(["exact", "period_end", "days", "row"], kind="stable").iloc[-1]


def state_of_play(tables: Tables, case_id: str, on_date: dt.date | str) -> StateOfPlay:
    """The state of play of one case on `on_date`: sale, duty, count, controller and plant, with five cited lines."""
    day = check_date("on_date", on_date)
    check_choice("case_id", case_id, ids("cases", "case_id")(tables))
    case = tables["cases"].set_index("case_id").loc[case_id].copy()
    case["case_id"] = case_id
    plant_id, brand_id = str(case["plant_id"]), str(case["brand_id"])
    comparator = None if pd.isna(case["comparator_plant_id"]) else str(case["comparator_plant_id"])
    plant_names = names(tables, "plants", "plant_id", "plant_name")
    company_names = names(tables, "companies", "company_id", "company_name")
    model_id = main_model(tables, case, day)
    model_name = None if model_id is None else str(names(tables, "models", "model_id", "model_name")[model_id])
    markets = tuple(
        market_state(tables, model_id, plant_id, m, day, comparator)
        for m in (target_markets(tables, case, day) if model_id else [])
    )
    count = latest_count(tables, plant_id, brand_id, day)
    age = None if count is None else months_between(count["period_end"].date(), day)
    control = ultimate_controller(tables, brand_id, day)
    stake = None
    if control.controller_id:
        try:
            stake = look_through_bounds(tables, control.controller_id, brand_id, day)
        except DataError:
            stake = None
    status = case_status(tables, case, day)
    state = StateOfPlay(
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
        (),
    )
    lines = (
        sale_line(state),
        duty_line(state, tables),
        counted_line(state, tables),
        controller_line(state, tables, control.source_ids),
        plant_line(state),
    )
    return StateOfPlay(**{**state.__dict__, "lines": lines})


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _car(state: StateOfPlay) -> str:
    return f"the {state.model_name} from {state.plant_name}" if state.model_name else f"cars from {state.plant_name}"


def sale_line(state: StateOfPlay) -> Finding:
    """May the car be sold in each of the case's markets on the day (and from which model year it may not)."""
    key = f"state_sale:{state.case_id}"
    if not state.markets:
        return Finding(
            key, f"No market is named for {_car(state)} by {state.on_date}.", "none_found", (), state.on_date
        )
    free = [the(m.market_name) for m in state.markets if m.is_allowed and not m.is_barred]
    parts = []
    if free:
        parts.append(f"On {state.on_date}, {_car(state)} may be sold in {_join(free)}")
    for m in state.markets:
        if m.is_barred:
            lines = m.barred_access.lines if m.barred_access else m.access.lines
            why = next((line.text for line in lines if line.text.startswith("Authorisation")), "")
            barred = (
                f"may not be sold in {the(m.market_name)} from model year {m.barred_from_model_year}"
                + (f": {why[:1].lower()}{why[1:].rstrip('.')}" if why else "")  # the reason, not nested in brackets
                + (f"; model year {m.model_year} may still be sold" if m.is_allowed else "")
            )
            parts.append(f"it {barred}" if parts else f"On {state.on_date}, {_car(state)} {barred}")
        elif not m.is_allowed:
            parts.append(
                f"it may not be sold in {the(m.market_name)}"
                if parts
                else f"On {state.on_date}, {_car(state)} may not be sold in {the(m.market_name)}"
            )
    sources = unique_ids(
        s
        for m in state.markets
        for s in (*m.access.source_ids, *(m.barred_access.source_ids if m.barred_access else ()))
    )
    numbers = {f"barred_from_model_year_{m.market_id}": m.barred_from_model_year for m in state.markets}
    return Finding(key, "; ".join(parts) + ".", "derived", sources, state.on_date, numbers)


def _pct(value: float | None) -> str:
    return "unknown" if value is None else f"{value:g}%"


def duty_line(state: StateOfPlay, tables: Tables) -> Finding:
    """The duty in each market from the case's plant, against the China-built comparator's, and the difference."""
    key = f"state_duty:{state.case_id}"
    if not state.markets:
        return Finding(
            key, f"No duty is computed: no market is named for {_car(state)}.", "none_found", (), state.on_date
        )
    china = str(names(tables, "plants", "plant_id", "plant_name").get(state.comparator_plant_id, "China"))
    parts, numbers, codes, assumptions = [], {}, [], []
    for m in state.markets:
        text = f"{m.market_name} {_pct(m.duty_pct)}"
        if m.china_access is not None:
            text += f" against {_pct(m.china_duty_pct)} if built at {china}"
            if m.duty_pct is not None and m.china_duty_pct is not None:
                text += f" ({m.china_duty_pct - m.duty_pct:g} points less)"
            codes.append(access_evidence(m.china_access)[0])
            assumptions += access_evidence(m.china_access)[1]
        if m.is_barred:
            text += " (barred)"
        parts.append(text)
        numbers[f"duty_pct_{m.market_id}"] = m.duty_pct
        numbers[f"china_duty_pct_{m.market_id}"] = m.china_duty_pct
        codes.append(m.duty_evidence)
        assumptions += m.duty_assumptions
    text = f"Import duty on {state.on_date} from {state.plant_name}: " + "; ".join(parts) + "."
    code = ev.weakest(*codes) if ev.weakest(*codes) in ("none_found",) else ev.derived_from(*codes)
    sources = unique_ids(s for m in state.markets for s in m.source_ids)
    return Finding(key, text, code, sources, state.on_date, numbers, tuple(dict.fromkeys(assumptions)))


def counted_line(state: StateOfPlay, tables: Tables) -> Finding:
    """The latest count of the brand's cars from the plant, with its period and its age; or none found."""
    key = f"state_counted:{state.case_id}"
    brand = str(names(tables, "companies", "company_id", "company_name").get(state.brand_id, state.brand_id))
    if state.count is None:
        return Finding(
            key,
            f"No count of {brand} cars from {state.plant_name} was found by {state.on_date}.",
            "none_found",
            (),
            state.on_date,
            {"vehicles_count": None},
        )
    c = state.count
    models = names(tables, "models", "model_id", "model_name")
    what = str(models.get(c["model_id"], brand)) if pd.notna(c["model_id"]) else f"{brand} cars"
    to = ""
    if pd.notna(c["market_id"]):
        to = f" to {the(str(names(tables, 'markets', 'market_id', 'market_name').get(c['market_id'], c['market_id'])))}"
    verb = COUNT_VERBS.get(str(c["quantity"]), str(c["quantity"]))
    age = state.count_age_months
    when = f"{age} month{'s' if age != 1 else ''} before {state.on_date}" if age else f"up to {state.on_date}"
    at = "at" if c["quantity"] == "production" else "from"
    text = (
        f"Latest count: {BOUND_WORDS.get(c['bound'], '')}{int(c['vehicles_count']):,} {what} {verb} {at} "
        f"{state.plant_name}{to} in {period_words(c['period_start'], c['period_end'])}, {when}."
    )
    code = "observed" if c["basis"] == "reported" else ev.from_data(str(c["basis"]))
    numbers = {"vehicles_count": int(c["vehicles_count"]), "age_months": age}
    if c["bound"] == "upper_bound":
        numbers = {"vehicles_count_max": int(c["vehicles_count"]), "age_months": age}
    elif c["bound"] == "lower_bound":
        numbers = {"vehicles_count_min": int(c["vehicles_count"]), "age_months": age}
    return Finding(key, text, code, (str(c["source_id"]),), state.on_date, numbers)


def controller_line(state: StateOfPlay, tables: Tables, control_sources: tuple[str, ...]) -> Finding:
    """Who controls the brand owner, and the controller's look-through stake as a bound."""
    key = f"state_controller:{state.case_id}"
    brand = str(names(tables, "companies", "company_id", "company_name").get(state.brand_id, state.brand_id))
    if state.controller_id is None:
        return Finding(
            key, f"No shareholder controls {brand} on {state.on_date}.", "derived", control_sources, state.on_date
        )
    stake = state.controller_stake
    text = f"{state.controller_name} controls {brand} on {state.on_date}"
    numbers: dict[str, float | int | None] = {}
    assumptions: tuple[str, ...] = ()
    sources = list(control_sources)
    if stake is not None:
        text += f"; look-through stake {stake.words()}"
        numbers = {
            "stake_pct_min": stake.min_pct,
            "stake_pct_max": stake.max_pct,
            "unknown_holdings": len(stake.unknown_edges),
        }
        sources += stake.source_ids
        if stake.unknown_edges:
            assumptions = ("Holdings reported as control without a published stake are of unknown size.",)
    return Finding(key, text + ".", "derived", tuple(sources), state.on_date, numbers, assumptions)


def plant_line(state: StateOfPlay) -> Finding:
    """The plant's status for the case on the day, with the dates behind it."""
    s = state.status
    text = f"{state.plant_name}: {state.plant_status} on {state.on_date}"
    if pd.notna(s["production_start"]):
        text += f", building since {pd.Timestamp(s['production_start']):%Y-%m}"
    elif pd.notna(s["planned_start"]):
        text += f", production planned from {pd.Timestamp(s['planned_start']):%Y-%m}"
    if pd.notna(s["production_end"]):
        lanes = ", ".join(s.get("ended_market_ids", ())) or "a lane"
        text += f"; its lane to {lanes} ended {pd.Timestamp(s['production_end']):%Y-%m}"
    code = "planned" if state.plant_status == "announced" else "reported"
    return Finding(f"state_plant:{state.case_id}", text + ".", code, tuple(s["status_source_ids"]), state.on_date)


# --- market access findings ----------------------------------------------------------------------------------------


def access_findings(tables: Tables, model_id: str, accesses: list[Access], access_table: pd.DataFrame) -> list[Finding]:
    """The market-access findings, most important first: per market on the last day, the duty from each plant (with
    its evidence and assumptions) and whether it may be sold; each sales ban by model year (read with
    cases.barred_from, as the state of play does); the largest change of duty between two dates of the table."""
    models = names(tables, "models", "model_id", "model_name")
    plants = names(tables, "plants", "plant_id", "plant_name")
    markets = names(tables, "markets", "market_id", "market_name")
    model = str(models.get(model_id, model_id))
    out = []
    for market in dict.fromkeys(a.market_id for a in accesses):
        cars = [a for a in accesses if a.market_id == market]
        day = cars[0].on_date
        codes, assumptions, parts = [], [], []
        for a in cars:
            code, assumed = access_evidence(a)
            codes.append(code)
            assumptions += assumed
            duty = "an unknown duty" if a.total_duty_pct is None else f"{a.total_duty_pct:g}%"
            parts.append(
                f"built at {plants.get(a.plant_id, a.plant_id)} ({a.origin_country_code}): {duty}"
                + ("" if a.is_allowed else ", but the sale is barred")
            )
        out.append(
            Finding(
                f"access:{model_id}:{market}:{day}",
                f"Into {markets.get(market, market)} on {day}, the {model} " + "; ".join(parts) + ".",
                ev.weakest(*codes),
                tuple(s for a in cars for s in a.source_ids),
                day,
                {f"duty_pct_{a.plant_id}": a.total_duty_pct for a in cars},
                tuple(dict.fromkeys(assumptions)),
            )
        )
    for a in accesses:
        barred = barred_from(tables, model_id, a.plant_id, a.market_id, a.on_date)
        if barred is None:
            continue
        out.append(
            Finding(
                f"barred_from:{model_id}:{a.plant_id}:{a.market_id}",
                f"In {markets.get(a.market_id, a.market_id)}, the {model} built at {plants.get(a.plant_id, a.plant_id)}"
                f" may be sold up to model year {barred.model_year - 1} and is barred from model year "
                f"{barred.model_year} (read on {a.on_date}: the sales ban and the brand's authorisation decision).",
                "derived",
                barred.source_ids,
                a.on_date,
                {"barred_from_model_year": barred.model_year},
            )
        )
    change = largest_duty_change(tables, model_id, access_table)
    if change is not None:
        out.append(change)
    return out


def largest_duty_change(tables: Tables, model_id: str, access_table: pd.DataFrame) -> Finding | None:
    """The largest change of duty on one plant → market route between two consecutive dates of an access table."""
    best = None
    for (plant, market), rows in access_table.sort_values("on_date", kind="stable").groupby(["plant_id", "market_id"]):
        duty = rows["total_duty_pct"].astype(float)
        step = duty.diff().abs()
        if step.notna().any() and (best is None or step.max() > best[0]):
            i = step.idxmax()
            before = rows.loc[rows.index[rows.index.get_loc(i) - 1]]
            best = (step.max(), plant, market, before, rows.loc[i])
    if best is None or best[0] == 0:
        return None
    _, plant, market, before, after = best
    plants = names(tables, "plants", "plant_id", "plant_name")
    markets = names(tables, "markets", "market_id", "market_name")
    return Finding(
        f"largest_duty_change:{model_id}:{plant}:{market}",
        f"Largest change: {plants.get(plant, plant)} → {markets.get(market, market)} went from "
        f"{before['total_duty_pct']:g}% on {before['on_date']:%Y-%m-%d} to {after['total_duty_pct']:g}% on "
        f"{after['on_date']:%Y-%m-%d}.",
        "derived",
        (*before["source_ids"], *after["source_ids"]),
        after["on_date"],
        {"duty_pct_before": before["total_duty_pct"], "duty_pct_after": after["total_duty_pct"]},
    )
