"""What the tables hold, and the facts they give as of a date (the data-overview report)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evsupply.core import claims
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
