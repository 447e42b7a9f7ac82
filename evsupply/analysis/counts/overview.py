"""What the tables hold, and the facts they give as of a date (the data-overview report)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evsupply.analysis.counts.observed import BOUND_WORDS
from evsupply.core import claims
from evsupply.core import evidence as ev
from evsupply.core.finding import Finding
from evsupply.core.parameters import check_date
from evsupply.core.tables import Tables


def table_summary(tables: Tables) -> pd.DataFrame:
    """Rows, columns and distinct sources cited, per table."""
    rows = []
    for name, df in tables.items():
        cited = df["source_id"].nunique() if "source_id" in df else None
        rows.append(
            {"table": name, "rows": len(df), "columns": df.shape[1] - ("geometry" in df), "sources_cited": cited}
        )
    return pd.DataFrame(rows).astype({"sources_cited": "Int64"})


def plant_profile(tables: Tables, plant_id: str) -> pd.DataFrame:
    """Capacity, workforce and output claims for one plant, each with its bound, basis and source."""
    cap = tables.plant_capacity[tables.plant_capacity["plant_id"] == plant_id]
    out = tables.plant_output[tables.plant_output["plant_id"] == plant_id]
    facts = [
        {
            "fact": label,
            "period": f"{r['as_of_date']:%Y-%m-%d}",
            "value": r[column],
            "bound": "",
            "preferred": r["is_preferred"],
            "basis": r["basis"],
            "source_id": r["source_id"],
        }
        for column, label in (("capacity_units_per_year", "Capacity (vehicles a year)"), ("employees_count", "Workers"))
        for _, r in cap[cap[column].notna()].iterrows()
    ]
    facts += [
        {
            "fact": "Output (vehicles, all models)"
            if r.model_scope == "all"
            else f"Output (vehicles, {r.model_scope})",
            "period": str(r.year),
            "value": r.output_units,
            "bound": r.bound,
            "preferred": pd.NA,
            "basis": r.basis,
            "source_id": r.source_id,
        }
        for r in out.itertuples()
    ]
    return pd.DataFrame(facts).astype({"value": "Int64"})


def production_on(tables: Tables, day: dt.date | str) -> pd.DataFrame:
    """The latest claim on or before `day` for each model, plant and market."""
    latest = claims.latest(tables.production, ["model_id", "plant_id", "market_id"], day)
    cols = [
        "model_id",
        "plant_id",
        "market_id",
        "production_status",
        "evidence",
        "start_date",
        "start_precision",
        "as_of_date",
        "source_id",
    ]
    return latest[cols].sort_values(["model_id", "plant_id", "market_id", "source_id"]).reset_index(drop=True)


def plant_observations(tables: Tables, plant_id: str) -> pd.DataFrame:
    """The counts of a plant: those naming it, and those of a maker from its country that name no plant."""
    obs = tables["observations"]
    country = tables["plants"].set_index("plant_id").loc[plant_id, "country_code"]
    return obs[
        (obs["plant_id"] == plant_id)
        | (obs["plant_id"].isna() & (obs["origin_country_code"] == country) & obs["maker_id"].notna())
    ]


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
    cap = cap[
        (cap["plant_id"] == plant_id) & cap["capacity_units_per_year"].notna() & cap["is_preferred"].fillna(False)
    ]
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
