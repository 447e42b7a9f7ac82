"""The capacity report's sentences: the latest year's output and utilisation (a bound when the output is one), the
lowest exact year, each recorded volume plan's effect on utilisation."""

from __future__ import annotations

import pandas as pd

from evsupply.analysis.counts.capacity import scenario_utilisation, utilisation
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding
from evsupply.core.tables import Tables
from evsupply.data.names import name_of

OUTPUT_BOUND_WORDS = {"exact": "", "approximate": "about ", "upper_bound": "under ", "lower_bound": "at least "}


PCT_BOUND_WORDS = {"exact": "", "approximate": "about ", "upper_bound": "under ", "lower_bound": "at least "}


PCT_BOUND_NAMES = {"upper_bound": "utilisation_pct_max", "lower_bound": "utilisation_pct_min"}


def _output_evidence(bound: str) -> str:
    """An exact output is a count; an approximate one or a bound is weaker: our reading of it, derived."""
    return "observed" if bound == "exact" else "derived"


def utilisation_findings(tables: Tables, plant_id: str, base_year: int | None = None) -> list[Finding]:
    """The capacity findings, most important first: the latest year's output and utilisation (a bound when the
    output is one), the lowest exact year, and each recorded volume plan's effect on utilisation."""
    util = utilisation(tables, plant_id)
    plant = str(name_of(tables, "plant_id", plant_id))
    if util.empty:
        return [
            Finding(
                f"utilisation:{plant_id}",
                f"No output is recorded for {plant}: utilisation cannot be computed.",
                "none_found",
                numbers={"utilisation_pct": None},
            )
        ]
    out = []
    exact = util[util["bound"].isin(["exact", "approximate"])]
    latest = (exact if len(exact) else util).iloc[-1]
    cap = latest["capacity_units_per_year"]
    bound = str(latest["bound"])
    pct_name = PCT_BOUND_NAMES.get(bound, "utilisation_pct")
    if pd.isna(cap):
        cap_text, numbers = "no recorded capacity, so utilisation is unknown", {"utilisation_pct": None}
    else:
        cap_text = (
            f"{PCT_BOUND_WORDS[bound]}{latest['utilisation_pct']:.0f}% of its {int(cap):,} capacity "
            f"(claim of {latest['capacity_as_of_date']:%Y})"
        )
        numbers = {pct_name: float(latest["utilisation_pct"]), "capacity_units_per_year": int(cap)}
    out.append(
        Finding(
            f"utilisation:{plant_id}:{int(latest['year'])}",
            f"{plant} built {OUTPUT_BOUND_WORDS[bound]}{int(latest['output_units']):,} vehicles in "
            f"{int(latest['year'])}: {cap_text}.",
            ev.derived_from(_output_evidence(bound), "reported"),
            (*latest["output_source_ids"], latest["capacity_source_id"]),
            None,
            {"year": int(latest["year"]), "output_units": int(latest["output_units"]), **numbers},
        )
    )
    exact_only = util[util["bound"].eq("exact") & util["utilisation_pct"].notna()]
    if len(exact_only) > 1:
        low = exact_only.sort_values("utilisation_pct", kind="stable").iloc[0]
        out.append(
            Finding(
                f"lowest_utilisation:{plant_id}",
                f"The lowest year with an exact count is {int(low['year'])}: {int(low['output_units']):,} vehicles, "
                f"{low['utilisation_pct']:.0f}% of capacity.",
                "derived",
                (*low["output_source_ids"], low["capacity_source_id"]),
                None,
                {
                    "year": int(low["year"]),
                    "output_units": int(low["output_units"]),
                    "utilisation_pct": low["utilisation_pct"],
                },
            )
        )
    recorded = scenario_utilisation(tables, plant_id, base_year=base_year)
    plans = tables["volume_scenarios"]
    for row in recorded.itertuples():
        sources = plans.loc[(plans["plant_id"] == plant_id) & (plans["scenario_id"] == row.scenario), "source_id"]
        out.append(
            Finding(
                f"plan_utilisation:{plant_id}:{row.scenario}",
                f"Scenario '{row.scenario}' (a plan): adding {row.added_units_per_year:,} vehicles a year to the "
                f"{row.base_year} output would use "
                + ("an unknown share" if pd.isna(row.utilisation_pct) else f"{row.utilisation_pct:.0f}%")
                + " of capacity.",
                "planned",
                tuple(sources),
                None,
                {"added_units_per_year": row.added_units_per_year, "utilisation_pct": row.utilisation_pct},
                (f"The {row.base_year} output is held constant.",),
            )
        )
    return out
