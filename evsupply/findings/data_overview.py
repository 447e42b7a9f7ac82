"""The data overview's sentences: what the data covers, the production claims standing on a day (counts and plans
apart), a plant's latest capacity and count."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evsupply.analysis.counts.overview import plant_observations, production_on, table_summary
from evsupply.core import claims
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding
from evsupply.core.parameters import check_date
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import BOUND_WORDS


def overview_findings(tables: Tables, plant_id: str, as_of: dt.date | str) -> list[Finding]:
    """The data overview's findings: what the data covers, the production claims standing on `as_of` (counts and
    plans apart), the plant's latest preferred capacity and its latest yearly count."""
    day = check_date("as_of", as_of)
    summary = table_summary(tables)
    facts = int(summary.loc[summary["table"] != "sources", "rows"].sum())
    out = [
        Finding(
            "data_coverage",
            f"{facts:,} fact rows in {len(summary) - 1} tables cite {len(tables.sources):,} sources; "
            f"{len(tables.cases)} cases of China-linked production outside China, {len(tables.plants)} plants, "
            f"{len(tables.ports)} ports, {len(tables.markets)} markets.",
            "reported",
            (),
            None,
            {"fact_rows": facts, "sources": len(tables.sources)},
        )
    ]
    production = production_on(tables, day)
    kinds = production["evidence"].value_counts()
    out.append(
        Finding(
            "production_claims",
            f"On {day}, {len(production)} production claims stand (the latest per model, plant and market): "
            f"{kinds.get('observed', 0)} report cars built or shipped, {kinds.get('announced', 0)} are announcements.",
            "reported",
            tuple(production["source_id"]),
            day,
            {
                "claims": len(production),
                "observed": int(kinds.get("observed", 0)),
                "announced": int(kinds.get("announced", 0)),
            },
        )
    )
    plant = str(tables["plants"].set_index("plant_id").loc[plant_id, "plant_name"])
    cap = tables.plant_capacity
    cap = cap[(cap["plant_id"] == plant_id) & cap["capacity_units_per_year"].notna() & cap["is_preferred"]]
    row = claims.latest_row(cap, day)
    if row is not None:
        out.append(
            Finding(
                f"capacity:{plant_id}",
                f"{plant}: capacity {int(row['capacity_units_per_year']):,} vehicles a year (preferred claim of "
                f"{row['as_of_date']:%Y-%m-%d}).",
                ev.from_data(str(row["basis"])),
                (row["source_id"],),
                day,
                {"capacity_units_per_year": int(row["capacity_units_per_year"])},
            )
        )
    made = plant_observations(tables, plant_id)
    made = made[(made["quantity"] == "production") & (made["period_end"] <= pd.Timestamp(day))]
    made = made[(made["period_end"] - made["period_start"]).dt.days.between(360, 370)]
    if len(made):
        last = made.sort_values("period_end", kind="stable").iloc[-1]
        out.append(
            Finding(
                f"yearly_count:{plant_id}",
                f"{plant} built {BOUND_WORDS.get(last['bound'], '')}{int(last['vehicles_count']):,} vehicles in "
                f"{last['period_end']:%Y}.",
                "observed" if last["basis"] == "reported" else ev.from_data(str(last["basis"])),
                (last["source_id"],),
                day,
                {"vehicles_count": int(last["vehicles_count"]), "year": int(last["period_end"].year)},
            )
        )
    else:
        out.append(
            Finding(
                f"yearly_count:{plant_id}",
                f"No yearly production count of {plant} was found by {day}.",
                "none_found",
                (),
                day,
                {"vehicles_count": None},
            )
        )
    return out
