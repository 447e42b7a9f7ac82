"""The market-access report's sentences: the duty from each plant into each market, each sales ban by model year,
the largest change of duty."""

from __future__ import annotations

import pandas as pd

from evsupply.analysis.cases.atlas import barred_from
from evsupply.analysis.cases.state import access_evidence
from evsupply.analysis.trade.policy import Access, Authorisation, outside_quota
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import code_words, the
from evsupply.data.names import names_by_id


def authorisation_words(auth: Authorisation | None) -> str:
    """A sales-ban authorisation decision in words ('Authorisation refused to Polestar (2026-06, high
    confidence)'), or '' when none decided the sale."""
    if auth is None:
        return ""
    return f"Authorisation {auth.decision} to {auth.company_name} ({auth.when}, {auth.confidence} confidence)"


def quota_words(tables: Tables, a: Access) -> str:
    """' inside the quota (106.1% outside it)' when the access's duty holds only inside an import quota, else ''."""
    outside = outside_quota(tables, a)
    if outside is None:
        return ""
    rate = "an unknown duty" if outside.total_duty_pct is None else f"{outside.total_duty_pct:g}%"
    return f" inside the import quota ({rate} outside it)"


def access_summary(tables: Tables, a: Access) -> str:
    """One line of an access in words: 'Polestar 4 from Renault Korea Busan plant (South Korea) into the United States
    on 2027-01-01 (model year 2027): duty 15%; may not be sold' (names, never ids)."""
    duty = "unknown (no sourced base rate)" if a.total_duty_pct is None else f"{a.total_duty_pct:g}%"
    duty += quota_words(tables, a)
    sale = "may be sold" if a.is_allowed else "may not be sold"
    model = names_by_id(tables, "model_id").get(a.model_id, a.model_id)
    plant = names_by_id(tables, "plant_id").get(a.plant_id, a.plant_id)
    market = the(str(names_by_id(tables, "market_id").get(a.market_id, a.market_id)))
    markets = names_by_id(tables, "market_id")
    country = str(markets.get(a.origin_country_code, code_words("country_code", a.origin_country_code)))
    return f"{model} from {plant} ({country}) into {market} on {a.on_date} (model year {a.model_year}): {duty}; {sale}"


def access_findings(tables: Tables, model_id: str, accesses: list[Access], access_table: pd.DataFrame) -> list[Finding]:
    """The market-access findings, most important first: per market on the last day, the duty from each plant (with
    its evidence and assumptions) and whether it may be sold; each sales ban by model year (read with
    cases.barred_from, as the state of play does); the largest change of duty between two dates of the table."""
    models = names_by_id(tables, "model_id")
    plants = names_by_id(tables, "plant_id")
    markets = names_by_id(tables, "market_id")
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
            duty += quota_words(tables, a)
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
    plants = names_by_id(tables, "plant_id")
    markets = names_by_id(tables, "market_id")
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
