"""Lanes: which model goes from which plant to which market in a year, from the latest production claims."""

from __future__ import annotations

import pandas as pd

from evsupply.core import claims
from evsupply.core.tables import Tables
from evsupply.errors import ParameterError

KEYS = ["model_id", "plant_id", "market_id"]
# Claims that put cars on a lane in a year; `unconfirmed` and `cancelled` do not, `ended` only up to its end year.
LIVE_STATUSES = ("announced", "confirmed", "pilot", "in_production")


def latest_claims(production: pd.DataFrame, day: object = None) -> pd.DataFrame:
    """The claim that holds for each model, plant and market (on `day`, default: the latest ever made)."""
    return claims.latest(production, KEYS, day).sort_values(KEYS, kind="stable").reset_index(drop=True)


def live_lanes(production: pd.DataFrame, year: int) -> pd.DataFrame:
    """Latest claims whose status puts cars on the lane in `year` (started by then, not ended before)."""
    latest = latest_claims(production)
    started = latest["start_date"].isna() | (latest["start_date"].dt.year <= year)
    not_ended = latest["end_date"].isna() | (latest["end_date"].dt.year >= year)
    # An ended lane with its end date carried cars up to that year (the Busan → US lane in 2025 and 2026).
    ended_later = latest["production_status"].eq("ended") & latest["end_date"].notna()
    live = (latest["production_status"].isin(LIVE_STATUSES) | ended_later) & started & not_ended
    return latest[live.eq(True)].reset_index(drop=True)


def choose_lanes(tables: Tables, origin: str, markets: list[str], year: int, live: pd.DataFrame) -> pd.DataFrame:
    """(model, plant, market) lanes with their claim; a plant named with markets it does not serve gives
    counterfactual lanes carrying the models it builds in `year` (else those the market gets)."""
    cols = [*KEYS, "production_status", "evidence", "start_date", "source_id"]
    if origin != "all" and markets:
        latest = latest_claims(tables["production"])[cols]
        rows = []
        for market in markets:
            own = latest[(latest["plant_id"] == origin) & (latest["market_id"] == market)]
            if len(own):
                rows += own.to_dict("records")
                continue
            models = live.loc[live["plant_id"] == origin, "model_id"].unique().tolist()
            models = models or live.loc[live["market_id"] == market, "model_id"].unique().tolist()
            if not models:
                raise ParameterError(
                    "markets",
                    f"no model is produced for {market} or at {origin} in {year}, so a counterfactual lane has no cars",
                    choices=sorted(set(live["market_id"])),
                )
            rows += [
                {
                    "model_id": m,
                    "plant_id": origin,
                    "market_id": market,
                    "production_status": pd.NA,
                    "evidence": pd.NA,
                    "start_date": pd.NaT,
                    "source_id": pd.NA,
                }
                for m in models
            ]
        lanes = pd.DataFrame(rows, columns=cols)
    else:
        lanes = live[cols].copy()
        if origin != "all":
            lanes = lanes[lanes["plant_id"] == origin]
        if markets:
            lanes = lanes[lanes["market_id"].isin(markets)]
        if lanes.empty:
            raise ParameterError(
                "origin",
                f"no lane is in production from {origin!r} to {markets or 'any market'} in {year}",
                choices=sorted(set(live["plant_id"])),
            )
    # Counterfactual: no claim in the production table puts these cars on this lane in `year`.
    live_keys = pd.MultiIndex.from_frame(live[KEYS].astype(str))
    lanes = lanes.reset_index(drop=True)
    lanes["is_counterfactual"] = ~pd.MultiIndex.from_frame(lanes[KEYS].astype(str)).isin(live_keys)
    lanes = lanes.rename(
        columns={
            "source_id": "production_source_id",
            "evidence": "production_evidence",
            "start_date": "production_start",
        }
    )
    lanes["production_start"] = pd.to_datetime(lanes["production_start"])
    for col in [*KEYS, "production_status", "production_evidence", "production_source_id"]:
        lanes[col] = lanes[col].astype("string")
    lanes["is_counterfactual"] = lanes["is_counterfactual"].astype(bool)
    return lanes
