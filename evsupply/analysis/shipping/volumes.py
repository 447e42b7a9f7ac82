"""Volumes on lanes: a plant's scenario volume split between its live lanes, or the user's figure per market."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evsupply.core import claims
from evsupply.core.tables import Tables

KEYS = ["model_id", "plant_id", "market_id"]


def scenario_volumes(tables: Tables, scenario: str, year: int) -> pd.DataFrame:
    """Each plant's volume in `year` under `scenario`: its row of the latest `year` not after it."""
    rows = tables["volume_scenarios"]
    rows = rows[rows["scenario_id"] == scenario]
    rows = rows.assign(from_date=pd.to_datetime(rows["year"].astype(str) + "-01-01"))
    picked = claims.latest(rows, ["plant_id"], f"{int(year)}-01-01", date_col="from_date")
    return picked[["plant_id", "volume_units_per_year", "basis", "source_id"]].reset_index(drop=True)


def open_months(live: pd.DataFrame, year: int) -> pd.Series:
    """Months of `year` each live lane was open: 12, or up to its end month for a lane that ended that year."""
    months = pd.Series(12, index=live.index, dtype="int64")
    if "end_date" in live and "production_status" in live:
        end = pd.to_datetime(live["end_date"])
        ended = live["production_status"].eq("ended") & end.notna() & end.dt.year.eq(year)
        months[ended] = end[ended].dt.month.astype("int64")
    return months


def with_volumes(
    lanes: pd.DataFrame, tables: Tables, year: int, scenario: str, volumes: dict[str, float], live: pd.DataFrame
) -> pd.DataFrame:
    """Volume per lane: the user's per-market value, else the plant's scenario volume split equally between the
    plant's open lanes, else (counterfactual) what the market gets from its actual plants, else missing.

    A lane whose production ended in `year` (Busan → US, 2026-06-29) takes its share only for the months it was open
    (January to June: 6/12), not a whole year's after the exit; from the next year it is no longer live.
    """
    plan = scenario_volumes(tables, scenario, year)
    open_part = open_months(live, year) / 12.0
    live = live[KEYS].assign(open_part=open_part.to_numpy()).merge(plan, on="plant_id", how="inner", validate="m:1")
    live["share"] = (
        live["volume_units_per_year"].astype(float)
        / live.groupby("plant_id")["plant_id"].transform("size")
        * live["open_part"]
    )
    out = lanes.merge(live[[*KEYS, "share", "source_id"]], on=KEYS, how="left", validate="1:1")
    by_market = live.groupby(["model_id", "market_id"], as_index=False).agg(
        market_share=("share", "sum"), market_source=("source_id", "first")
    )
    out = out.merge(by_market, on=["model_id", "market_id"], how="left", validate="m:1")

    volume = pd.Series(np.nan, index=out.index)
    basis = pd.Series("none", index=out.index, dtype="string")
    source = pd.Series(pd.NA, index=out.index, dtype="string")
    has_share = out["share"].notna()
    volume[has_share] = out.loc[has_share, "share"]
    basis[has_share] = "scenario"
    source[has_share] = out.loc[has_share, "source_id"].astype("string")
    counter = out["is_counterfactual"] & out["market_share"].notna()
    volume[counter] = out.loc[counter, "market_share"]
    basis[counter] = "counterfactual"
    source[counter] = out.loc[counter, "market_source"].astype("string")
    if volumes:
        chosen = out["market_id"].isin(list(volumes))
        n_lanes = out.groupby("market_id")["market_id"].transform("size")
        volume[chosen] = out.loc[chosen, "market_id"].map(volumes).astype(float) / n_lanes[chosen]
        basis[chosen] = "user"
        source[chosen] = pd.NA
    out["volume_units_per_year"] = volume.astype(float)
    out["volume_basis"] = basis
    out["volume_source_id"] = source
    return out.drop(columns=["share", "source_id", "market_share", "market_source"])
