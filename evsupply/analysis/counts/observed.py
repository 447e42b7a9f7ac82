"""What was counted on each lane, beside what was announced for it: observations matched to lanes."""

from __future__ import annotations

import pandas as pd

from evsupply.core.parameters import check_frame
from evsupply.core.tables import Tables
from evsupply.data.metadata.labels import BOUND_WORDS, count_words, period_words

# The columns of `build_flows`' lanes these functions read.
LANE_KEYS = ("lane_id", "model_id", "plant_id", "market_id")
PLAN_KEYS = (
    *LANE_KEYS,
    "production_status",
    "production_evidence",
    "volume_units_per_year",
    "volume_basis",
    "volume_source_id",
)
# Counts that say cars went from a plant (or its country) to a market.
FLOW_QUANTITIES = ("exports", "registrations", "sales")
OBS_COLUMNS = [
    "lane_id",
    "observation_id",
    "quantity",
    "period_start",
    "period_end",
    "vehicles_count",
    "bound",
    "basis",
    "plant_named",
    "source_id",
]


def lane_observations(tables: Tables, lanes: pd.DataFrame) -> pd.DataFrame:
    """Observations of each lane's model reaching its market from its plant (or, where the source names no plant,
    from the plant's country: `plant_named` false)."""
    check_frame("lanes", lanes, LANE_KEYS)
    obs = tables["observations"]
    obs = obs[obs["quantity"].isin(FLOW_QUANTITIES) & obs["model_id"].notna() & obs["market_id"].notna()]
    country = tables["plants"].set_index("plant_id")["country_code"]
    keys = lanes[["lane_id", "model_id", "plant_id", "market_id"]].assign(
        origin_country_code=lanes["plant_id"].map(country)
    )
    named = keys.merge(
        obs[obs["plant_id"].notna()],
        on=["model_id", "plant_id", "market_id"],
        how="inner",
        validate="1:m",
        suffixes=("", "_obs"),
    ).assign(plant_named=True)
    by_country = keys.merge(
        obs[obs["plant_id"].isna()].drop(columns="plant_id"),
        on=["model_id", "origin_country_code", "market_id"],
        how="inner",
        validate="1:m",
    ).assign(plant_named=False)
    out = pd.concat([named, by_country], ignore_index=True)
    if out.empty:
        return pd.DataFrame(columns=OBS_COLUMNS)
    return out[OBS_COLUMNS].sort_values(["lane_id", "period_end", "period_start"], kind="stable").reset_index(drop=True)


def plan_vs_observed(tables: Tables, lanes: pd.DataFrame) -> pd.DataFrame:
    """One row per lane: the announced (planned) volume and the headline observation, with both sources.

    The headline observation is the one whose period ends last (then the longest, then an exact count before a
    bound); a lane with none says so.
    """
    check_frame("lanes", lanes, PLAN_KEYS)
    obs = lane_observations(tables, lanes)
    if len(obs):
        obs = obs.assign(days=(obs["period_end"] - obs["period_start"]).dt.days, exact=obs["bound"].eq("exact"))
        head = obs.sort_values(["period_end", "days", "exact"], kind="stable").drop_duplicates("lane_id", keep="last")
    else:
        head = obs
    rows = []
    for lane in lanes.itertuples():
        hit = head[head["lane_id"] == lane.lane_id]
        planned = lane.volume_units_per_year if lane.volume_basis in ("scenario", "counterfactual") else None
        row = {
            "lane_id": lane.lane_id,
            "model_id": lane.model_id,
            "plant_id": lane.plant_id,
            "market_id": lane.market_id,
            "production_status": lane.production_status,
            "production_evidence": lane.production_evidence,
            "planned_units_per_year": planned,
            "plan_basis": lane.volume_basis,
            "plan_source_id": lane.volume_source_id if planned is not None else pd.NA,
            "observed_vehicles": pd.NA,
            "observed_bound": pd.NA,
            "observed_period_start": pd.NaT,
            "observed_period_end": pd.NaT,
            "observed_text": "no count found",
            "observed_source_id": pd.NA,
            "observed_basis": pd.NA,
            "observations_count": int((obs["lane_id"] == lane.lane_id).sum()) if len(obs) else 0,
        }
        if len(hit):
            h = hit.iloc[0]
            row.update(
                observed_vehicles=int(h["vehicles_count"]),
                observed_bound=h["bound"],
                observed_period_start=h["period_start"],
                observed_period_end=h["period_end"],
                observed_text=count_words(h),
                observed_source_id=h["source_id"],
                observed_basis=h["basis"],
            )
        rows.append(row)
    out = pd.DataFrame(rows)
    out["planned_units_per_year"] = out["planned_units_per_year"].astype("float64")
    out["observed_vehicles"] = out["observed_vehicles"].astype("Int64")
    return out


def period_months(start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Whole calendar months a period covers (November 2025: 1; a calendar year: 12)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def counts_from_elsewhere(tables: Tables, model_id: str, market_id: str, plant_id: str) -> pd.DataFrame:
    """Counts of the same model reaching the market from a country other than the plant's, latest first."""
    obs = tables["observations"]
    country = tables["plants"].set_index("plant_id")["country_code"].get(plant_id)
    hits = obs[
        (obs["model_id"] == model_id)
        & (obs["market_id"] == market_id)
        & (obs["origin_country_code"] != country)
        & obs["quantity"].isin(FLOW_QUANTITIES)
    ]
    hits = hits.sort_values(["period_end", "period_start"], ascending=[False, True], kind="stable")
    words = {"exports": "exported", "registrations": "registered", "sales": "sold"}
    return hits.assign(
        text=[
            f"{BOUND_WORDS.get(h.bound, '')}{int(h.vehicles_count):,} {words[h.quantity]} in "
            f"{period_words(h.period_start, h.period_end)}"
            for h in hits.itertuples()
        ]
    )
