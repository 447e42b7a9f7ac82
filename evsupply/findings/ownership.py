"""The ownership report's sentences: the ultimate controller with its look-through stake as a bound, the direct
holders, the largest Chinese look-through stake, each listed company's history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from evsupply.analysis.ownership import (
    LookThrough,
    look_through_bounds,
    look_through_table,
    no_controller_words,
    shareholder_history,
    stakes_above,
    ultimate_controller,
)
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding
from evsupply.core.parameters import check_date, check_str_list, check_unique
from evsupply.core.tables import Tables
from evsupply.data.names import names_by_id


def _edge_evidence(edges: pd.DataFrame) -> str:
    """The evidence of a value read from these stakes: reported, or weaker if a stake is estimated or assumed."""
    return ev.weakest("reported", *(ev.from_data(str(b)) for b in edges["basis"]))


def _bound_terms(bound: LookThrough) -> tuple[dict[str, float | int | None], tuple[str, ...]]:
    """A look-through bound as a finding's numbers and assumptions."""
    numbers = {
        "stake_pct_min": bound.min_pct,
        "stake_pct_max": bound.max_pct,
        "unknown_holdings": len(bound.unknown_edges),
    }
    unknown = ("Holdings reported as control without a published stake are of unknown size.",)
    return numbers, unknown if bound.unknown_edges else ()


def control_findings(
    tables: Tables, company_id: str, as_of: dt.date | str, history: Sequence[str] = ()
) -> list[Finding]:
    """The ownership findings, most important first: the ultimate controller with its look-through stake as a bound,
    the direct holders, the largest Chinese look-through stake (a bound), and each listed company's history."""
    day = check_date("as_of", as_of)
    history = check_unique("history", check_str_list("history", history))
    names = names_by_id(tables, "company_id")
    company = str(names.get(company_id, company_id))
    edges = stakes_above(tables, company_id, day)
    control = ultimate_controller(tables, company_id, day)
    used = edges[edges["source_id"].isin(control.source_ids)]
    out = []
    if control.controller_id:
        bound = look_through_bounds(tables, control.controller_id, company_id, day)
        out.append(
            Finding(
                f"control:{company_id}",
                f"On {day}, {control.links[-1].words()}; its look-through stake is {bound.words()}.",
                ev.derived_from(_edge_evidence(used)),
                (*control.source_ids, *bound.source_ids),
                day,
                *_bound_terms(bound),
            )
        )
    else:
        text = no_controller_words(control.company_name, day, control.threshold_pct) + "."
        out.append(Finding(f"control:{company_id}", text, "derived", control.source_ids, day))
    direct = edges[edges["owned_id"] == company_id].sort_values("stake_pct", ascending=False, kind="stable")
    if len(direct):
        parts = ", ".join(
            f"{row.owner_name} {row.stake_pct:.2f}%"
            if pd.notna(row.stake_pct)
            else f"{row.owner_name} (control, no published stake)"
            for row in direct.itertuples()
        )
        out.append(
            Finding(
                f"direct_holders:{company_id}",
                f"Direct holders of {company} on {day}: {parts}.",
                _edge_evidence(direct),
                tuple(direct["source_id"]),
                day,
                {f"stake_pct_{row.owner_id}": row.stake_pct for row in direct.itertuples()},
            )
        )
    table = look_through_table(tables, company_id, day)
    countries = tables["companies"].set_index("company_id")["country_code"]
    chinese = table[table["owner_id"].map(countries) == "CHN"]
    if len(chinese):
        row = chinese.iloc[0]
        bound = look_through_bounds(tables, str(row["owner_id"]), company_id, day)
        out.append(
            Finding(
                f"largest_chinese_look_through:{company_id}",
                f"The largest look-through stake of a Chinese holder in {company} is {row['owner_name']}'s, "
                f"{bound.words()} (stakes multiplied along each chain of holdings and summed).",
                ev.derived_from(_edge_evidence(edges)),
                bound.source_ids,
                day,
                *_bound_terms(bound),
            )
        )
    for cid in history:
        hist = shareholder_history(tables, cid)
        if hist.empty:
            continue
        latest = (
            max(hist["valid_from"].max(), hist["valid_to"].max())
            if hist["valid_to"].notna().any()
            else (hist["valid_from"].max())
        )
        out.append(
            Finding(
                f"history:{cid}",
                f"{names.get(cid, cid)}: {len(hist)} recorded stakes since {hist['valid_from'].min():%Y-%m-%d}, by "
                f"{hist['owner_id'].nunique()} holders; the latest change took effect on {latest:%Y-%m-%d}.",
                _edge_evidence(hist),
                tuple(hist["source_id"]),
                None,
                {"stakes": len(hist), "holders": hist["owner_id"].nunique()},
            )
        )
    return out
