"""The case brief's five lines: may the car be sold in each market, its duty against the China-built car, the latest
count and its age, who controls the maker, the plant's status; each written from the one state of play
(`evsupply.analysis.cases.state.state_of_play`) that every report reads."""

from __future__ import annotations

import pandas as pd

from evsupply.analysis.cases.state import MarketState, StateOfPlay, access_evidence
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding, unique_ids
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import BOUND_WORDS, COUNT_VERBS, period_words, the
from evsupply.data.names import name_of, names_by_id
from evsupply.findings.market_access import authorisation_words

# A latest count older than this says so in its line (issue 23: never an old count without saying so).
STALE_COUNT_MONTHS = 24
# The five lines of a state of play, in the order a brief shows them.
LINE_KINDS = ("sale", "duty", "counted", "controller", "plant")


def state_lines(state: StateOfPlay, tables: Tables) -> tuple[Finding, ...]:
    """The five cited lines of a state of play: sale, duty, counted, controller, plant."""
    return (
        sale_line(state),
        duty_line(state, tables),
        counted_line(state, tables),
        controller_line(state, tables, state.controller_source_ids),
        plant_line(state, tables),
    )


def state_line(lines: tuple[Finding, ...], kind: str) -> Finding:
    """One of the five lines by kind (`LINE_KINDS`)."""
    return next(f for f in lines if f.key.startswith(f"state_{kind}:"))


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
            why = authorisation_words((m.barred_access or m.access).authorisation)
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


def ban_words(m: MarketState) -> str:
    """What a ban means for the duty beside it, in the sale line's terms (the one state of play): which model year
    may still be sold and from which one the car is barred, or that it may not be sold at all."""
    if not m.is_allowed:
        return " (may not be sold on this day)"
    if m.is_barred:
        return f" (model year {m.model_year} may be sold, barred from model year {m.barred_from_model_year})"
    return ""


def duty_line(state: StateOfPlay, tables: Tables) -> Finding:
    """The duty in each market from the case's plant, against the China-built comparator's, and the difference."""
    key = f"state_duty:{state.case_id}"
    if not state.markets:
        return Finding(
            key, f"No duty is computed: no market is named for {_car(state)}.", "none_found", (), state.on_date
        )
    china = str(names_by_id(tables, "plant_id").get(state.comparator_plant_id, "China"))
    parts, numbers, codes, assumptions = [], {}, [], []
    for m in state.markets:
        text = f"{m.market_name} {_pct(m.duty_pct)}"
        if m.china_access is not None:
            text += f" against {_pct(m.china_duty_pct)} if built at {china}"
            if m.china_in_quota:
                text += f" inside the import quota, {_pct(m.china_outside_quota_pct)} outside it"
            if m.duty_pct is not None and m.china_duty_pct is not None:
                text += f" ({m.china_duty_pct - m.duty_pct:g} points less)"
            codes.append(access_evidence(m.china_access)[0])
            assumptions += access_evidence(m.china_access)[1]
        text += ban_words(m)
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
    brand = str(name_of(tables, "company_id", state.brand_id))
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
    models = names_by_id(tables, "model_id")
    what = str(models.get(c["model_id"], brand)) if pd.notna(c["model_id"]) else f"{brand} cars"
    to = ""
    if pd.notna(c["market_id"]):
        to = f" to {the(str(name_of(tables, 'market_id', c['market_id'])))}"
    verb = COUNT_VERBS.get(str(c["quantity"]), str(c["quantity"]))
    age = state.count_age_months
    when = f"{age} month{'s' if age != 1 else ''} before {state.on_date}" if age else f"up to {state.on_date}"
    if age is not None and age > STALE_COUNT_MONTHS:
        when += " (over two years old: no later count was found)"
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
    brand = str(name_of(tables, "company_id", state.brand_id))
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


def plant_line(state: StateOfPlay, tables: Tables | None = None) -> Finding:
    """The plant's status for the case on the day, with the dates behind it: production ended when the plant
    stopped, a lane ended when only that market's lane closed."""
    s = state.status
    text = f"{state.plant_name}: {state.plant_status} on {state.on_date}"
    if pd.notna(s["production_start"]):
        text += f", building since {pd.Timestamp(s['production_start']):%Y-%m}"
    elif pd.notna(s["planned_start"]):
        text += f", production planned from {pd.Timestamp(s['planned_start']):%Y-%m}"
    if pd.notna(s["production_end"]):
        text += f"; production ended {pd.Timestamp(s['production_end']):%Y-%m}"
    else:
        markets = {} if tables is None else names_by_id(tables, "market_id")
        for market, end in s.get("ended_lanes", ()):
            text += f"; its lane to {the(str(markets.get(market, market)))} ended {pd.Timestamp(end):%Y-%m}"
    code = "planned" if state.plant_status == "announced" else "reported"
    return Finding(f"state_plant:{state.case_id}", text + ".", code, tuple(s["status_source_ids"]), state.on_date)
