"""Cases of China-linked production outside China: status, ownership, the duty avoided and the shipping saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd

from evsupply.analysis.markets import is_domestic
from evsupply.analysis.ownership import look_through, ultimate_controller
from evsupply.analysis.shipping.emissions import default_row, range_factors
from evsupply.analysis.shipping.flows import build_flows
from evsupply.analysis.shipping.lanes import LIVE_STATUSES
from evsupply.analysis.trade.policy import Access, market_access
from evsupply.core import claims
from evsupply.core.claims import mid_year
from evsupply.core.parameters import check_case_ids, check_date, check_year
from evsupply.core.tables import Tables
from evsupply.errors import DataError, ParameterError

ENDED = ("ended", "cancelled")
PRODUCING = ("pilot", "in_production")
STATUS_ORDER = ("announced", "producing", "exporting", "stopped")


def _check_cases(tables: Tables, case_ids: list[str] | str | None) -> pd.DataFrame:
    cases = tables["cases"]
    if case_ids:
        chosen = check_case_ids(tables, case_ids)
        cases = cases[cases["case_id"].isin(chosen)]
    return cases.reset_index(drop=True)


def case_claims(tables: Tables, case: pd.Series, on_date: dt.date) -> pd.DataFrame:
    """The latest production claim (known on `on_date`) for each model of the case's brand, plant and market."""
    production = tables["production"]
    brand_models = set(tables["models"].loc[tables["models"]["brand_id"] == case["brand_id"], "model_id"])
    rows = production[(production["plant_id"] == case["plant_id"]) & production["model_id"].isin(brand_models)]
    return claims.latest(rows, ["model_id", "plant_id", "market_id"], on_date)


def main_model(tables: Tables, case: pd.Series, on_date: dt.date) -> str | None:
    """The case's headline model: the one built (observed) first, else the one announced first."""
    latest = case_claims(tables, case, on_date)
    if latest.empty:
        return None
    latest = latest.assign(
        observed=latest["evidence"].eq("observed"), start=latest["start_date"].fillna(pd.Timestamp.max)
    )
    return str(latest.sort_values(["observed", "start", "model_id"], ascending=[False, True, True]).iloc[0]["model_id"])


def case_status(tables: Tables, case: pd.Series, on_date: dt.date) -> dict[str, object]:
    """Status on `on_date` (announced, producing, exporting, stopped) and the dates behind it, with sources.

    `production_end` is set only when the case's production stopped; `ended_lanes` is ((market_id, end date), ...)
    for each lane that closed, whether or not the plant still builds for other markets.
    """
    latest = case_claims(tables, case, on_date)
    every = tables["production"]
    every = every[
        (every["plant_id"] == case["plant_id"])
        & every["model_id"].isin(set(latest["model_id"]))
        & (every["as_of_date"] <= pd.Timestamp(on_date))
    ]
    plant_country = tables["plants"].set_index("plant_id").loc[case["plant_id"], "country_code"]
    live = latest[~latest["production_status"].isin(ENDED)]
    built = live[live["production_status"].isin(PRODUCING) & live["evidence"].eq("observed")]
    obs = tables["observations"]
    brand_models = set(tables["models"].loc[tables["models"]["brand_id"] == case["brand_id"], "model_id"])
    exports = obs[
        (obs["plant_id"] == case["plant_id"])
        & (obs["quantity"] == "exports")
        & (obs["model_id"].isin(brand_models) | (obs["maker_id"] == case["brand_id"]))
        & (obs["period_start"] <= pd.Timestamp(on_date))
    ]
    abroad = built[built["market_id"].map(lambda m: not is_domestic(tables, plant_country, m, on_date))]
    if latest.empty:
        status = "announced"
    elif live.empty:
        status = "stopped"
    elif len(exports) or len(abroad):
        status = "exporting"
    elif len(built):
        status = "producing"
    else:
        status = "announced"
    started = every[every["evidence"].eq("observed") & every["production_status"].isin(PRODUCING)]
    ended = latest[latest["production_status"].eq("ended")]
    # Production ended only when the plant stopped building the case's cars; a lane that closed while others run
    # (Busan's US lane, 2026-06-29) is an ended lane, not an end of production.
    lanes_ended = ended.dropna(subset=["end_date"]).groupby("market_id")["end_date"].max()
    sources = [*latest["source_id"], *exports["source_id"]]
    return {
        "status": status,
        "first_announced": every["as_of_date"].min() if len(every) else pd.NaT,
        "production_start": started["start_date"].min() if len(started) else pd.NaT,
        "planned_start": live.loc[live["evidence"].eq("announced"), "start_date"].max()
        if status == "announced"
        else pd.NaT,
        "production_end": ended["end_date"].max() if status == "stopped" and len(ended) else pd.NaT,
        "ended_lanes": tuple(sorted(lanes_ended.items())),
        "status_source_ids": tuple(dict.fromkeys(str(s) for s in sources)),
    }


def case_table(tables: Tables, on_date: dt.date | str, case_ids: list[str] | str | None = None) -> pd.DataFrame:
    """One row per case: plant, relationship, the brand's ultimate controller, the China link's look-through stake
    in the plant's operator, status and dates (all as known on `on_date`)."""
    day = check_date("on_date", on_date)
    plants = tables["plants"].set_index("plant_id")
    rows = []
    for _, case in _check_cases(tables, case_ids).iterrows():
        plant = plants.loc[case["plant_id"]]
        operator = str(plant["operator_id"])
        control = ultimate_controller(tables, str(case["brand_id"]), day)
        try:
            stake = look_through(tables, str(case["china_link_id"]), operator, day)
        except DataError:
            stake = float("nan")
        status = case_status(tables, case, day)
        rows.append(
            {
                "case_id": case["case_id"],
                "case_name": case["case_name"],
                "plant_id": case["plant_id"],
                "country_code": plant["country_code"],
                "brand_id": case["brand_id"],
                "operator_id": operator,
                "china_link_id": case["china_link_id"],
                "relationship": case["relationship"],
                "controller_id": control.controller_id or pd.NA,
                "look_through_stake_pct": stake,
                "model_id": main_model(tables, case, day),
                **status,
                "case_source_id": case["source_id"],
                "control_source_ids": control.source_ids,
            }
        )
    return pd.DataFrame(rows)


def target_markets(tables: Tables, case: pd.Series, on_date: dt.date) -> list[str]:
    """The markets the case's plant serves, plans to serve or served for the brand (latest claims that put cars on a
    lane: announced, confirmed, pilot or in production; or that ended, so a closed lane is still stated)."""
    latest = case_claims(tables, case, on_date)
    latest = latest[latest["production_status"].isin([*LIVE_STATUSES, "ended"])]
    return sorted(set(latest["market_id"]))


def duty_comparison(tables: Tables, on_date: dt.date | str, case_ids: list[str] | str | None = None) -> pd.DataFrame:
    """For each case and target market on `on_date`: the duty on its model built at the comparator plant in China
    against the duty on it built at the case's plant, the duty avoided, and per car where a price is published."""
    day = check_date("on_date", on_date)
    prices = tables["model_prices"]
    rows = []
    for _, case in _check_cases(tables, case_ids).iterrows():
        model = main_model(tables, case, day)
        if model is None or pd.isna(case["comparator_plant_id"]):
            continue
        for market in target_markets(tables, case, day):
            local = market_access(tables, model, str(case["plant_id"]), market, day)
            china = market_access(tables, model, str(case["comparator_plant_id"]), market, day)
            avoided = (
                None
                if local.total_duty_pct is None or china.total_duty_pct is None
                else china.total_duty_pct - local.total_duty_pct
            )
            barred = barred_from(tables, model, str(case["plant_id"]), market, day)
            price = claims.latest_row(prices[(prices["model_id"] == model) & (prices["market_id"] == market)], day)
            per_car = None if price is None or avoided is None else price["price_amount"] * avoided / 100.0
            rows.append(
                {
                    "case_id": case["case_id"],
                    "model_id": model,
                    "market_id": market,
                    "china_plant_id": case["comparator_plant_id"],
                    "china_duty_pct": china.total_duty_pct,
                    "china_allowed": china.is_allowed,
                    "local_duty_pct": local.total_duty_pct,
                    "local_allowed": local.is_allowed,
                    "local_barred_from_model_year": None if barred is None else barred.model_year,
                    # The state of play's rule (MarketState.is_barred): the ban reaches this or next model year.
                    "local_barred": barred is not None and barred.model_year <= local.model_year + 1,
                    "duty_avoided_pct": avoided,
                    "price_amount": None if price is None else float(price["price_amount"]),
                    "currency_code": None if price is None else price["currency_code"],
                    "duty_avoided_per_car": per_car,
                    "source_ids": tuple(
                        dict.fromkeys(
                            [
                                *china.source_ids,
                                *local.source_ids,
                                *(() if barred is None else barred.source_ids),
                                *([] if price is None else [price["source_id"]]),
                            ]
                        )
                    ),
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "case_id",
            "model_id",
            "market_id",
            "china_plant_id",
            "china_duty_pct",
            "china_allowed",
            "local_duty_pct",
            "local_allowed",
            "local_barred_from_model_year",
            "local_barred",
            "duty_avoided_pct",
            "price_amount",
            "currency_code",
            "duty_avoided_per_car",
            "source_ids",
        ],
    )
    for col in ("china_duty_pct", "local_duty_pct", "duty_avoided_pct", "price_amount", "duty_avoided_per_car"):
        out[col] = out[col].astype("float64")
    out["local_barred_from_model_year"] = out["local_barred_from_model_year"].astype("Int64")
    out["local_barred"] = out["local_barred"].astype(bool)
    return out


def split_barred(duties: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of a duty comparison with both duties known, as (may be sold, barred or refused): a barred route
    avoids no duty, so no headline, chart title or ranking of the duty avoided may use it."""
    known = duties.dropna(subset=["duty_avoided_pct"])
    barred = known[known["local_barred"].astype(bool) | ~known["local_allowed"].astype(bool)]
    return known.drop(index=barred.index), barred


def largest_avoided(duties: pd.DataFrame) -> pd.Series | None:
    """The route that may be sold with the most duty avoided (ties: the last case and market id), else None."""
    open_, _ = split_barred(duties)
    if open_.empty:
        return None
    return open_.sort_values(["duty_avoided_pct", "case_id", "market_id"], kind="stable").iloc[-1]


def _shipping_pairs(
    tables: Tables, year: int, case_ids: list[str] | str | None
) -> Iterator[tuple[pd.Series, str | None, pd.Series | None, pd.Series | None, str]]:
    """Each case and target market with its lane from the case's plant and from the comparator, or why there is none
    (the last item: '' when both lanes are there)."""
    day = mid_year(year)
    for _, case in _check_cases(tables, case_ids).iterrows():
        if pd.isna(case["comparator_plant_id"]):
            yield case, None, None, None, "no comparator plant in China is recorded"
            continue
        markets = target_markets(tables, case, day)
        if not markets:
            yield case, None, None, None, f"no target market on {day}"
            continue
        try:
            local = build_flows(tables, origin=str(case["plant_id"]), markets=markets, year=int(year))
            china = build_flows(tables, origin=str(case["comparator_plant_id"]), markets=markets, year=int(year))
        except (ParameterError, DataError) as error:
            problem = "; ".join(p.message for p in error.problems) if isinstance(error, DataError) else str(error)
            for market in markets:
                yield case, market, None, None, f"the flows cannot be built: {problem}"
            continue
        model = main_model(tables, case, day)
        for market in markets:
            here, there = _lane(local, market, model), _lane(china, market, model)
            missing = [name for name, lane in (("the case's plant", here), ("the comparator", there)) if lane is None]
            why = f"no lane to {market} from {' or '.join(missing)} in {year}" if missing else ""
            yield case, market, here, there, why


def shipping_gaps(tables: Tables, year: int, case_ids: list[str] | str | None = None) -> pd.DataFrame:
    """The cases (and markets) `shipping_comparison` leaves out, and why: no comparator, no target market, flows
    that cannot be built, or a missing lane."""
    year = check_year("year", year)
    rows = [
        {"case_id": case["case_id"], "market_id": market, "reason": why}
        for case, market, _, _, why in _shipping_pairs(tables, year, case_ids)
        if why
    ]
    return pd.DataFrame(rows, columns=["case_id", "market_id", "reason"])


def shipping_comparison(tables: Tables, year: int, case_ids: list[str] | str | None = None) -> pd.DataFrame:
    """For each case and target market: sea distance and sea-leg CO2e per car from the case's plant and from the
    comparator plant in China, and the difference (negative = saved by building outside China)."""
    year = check_year("year", year)
    rows = []
    masses = tables["models"].set_index("model_id")["curb_mass_kg"]
    for case, market, here, there, why in _shipping_pairs(tables, year, case_ids):
        if why:
            continue  # `shipping_gaps` lists these pairs and why
        # The same car both ways: the case model's mass on both sea legs.
        tonnes = float(masses.get(here["model_id"], float("nan"))) / 1000.0
        factor = float(here["kg_co2e_per_tonne_km"])
        # A land lane has no sea leg: its sea km and CO2e are missing (NaN), and it saves the whole sea leg.
        kms = (here["sea_distance_km"], there["sea_distance_km"])
        local_kg, china_kg = (tonnes * km * factor for km in kms)
        local_land, china_land = bool(here["is_domestic"]), bool(there["is_domestic"])
        low, high = range_factors(tables, default_row(tables, "emission_factors"))
        (local_low, china_low), (local_high, china_high) = (
            tuple(tonnes * km * float(end["kg_co2e_per_tonne_km"]) for km in kms) for end in (low, high)
        )
        rows.append(
            {
                "case_id": case["case_id"],
                "market_id": market,
                "model_id": here["model_id"],
                "local_sea_km": here["sea_distance_km"],
                "local_road_km": here["road_distance_km"] if local_land else float("nan"),
                "china_sea_km": there["sea_distance_km"],
                "sea_km_difference": (0.0 if local_land else here["sea_distance_km"])
                - (0.0 if china_land else there["sea_distance_km"]),
                "local_co2e_kg_per_vehicle": local_kg,
                "china_co2e_kg_per_vehicle": china_kg,
                "co2e_kg_difference": (0.0 if local_land else local_kg) - (0.0 if china_land else china_kg),
                "local_co2e_kg_per_vehicle_low": local_low,
                "local_co2e_kg_per_vehicle_high": local_high,
                "china_co2e_kg_per_vehicle_low": china_low,
                "china_co2e_kg_per_vehicle_high": china_high,
                "source_ids": tuple(
                    dict.fromkeys(
                        str(s)
                        for s in (
                            here["mass_source_id"],
                            here["emission_factor_source_id"],
                            low["source_id"],
                            high["source_id"],
                            here["speed_source_id"],
                        )
                        if not pd.isna(s)
                    )
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "case_id",
            "market_id",
            "model_id",
            "local_sea_km",
            "local_road_km",
            "china_sea_km",
            "sea_km_difference",
            "local_co2e_kg_per_vehicle",
            "china_co2e_kg_per_vehicle",
            "co2e_kg_difference",
            "local_co2e_kg_per_vehicle_low",
            "local_co2e_kg_per_vehicle_high",
            "china_co2e_kg_per_vehicle_low",
            "china_co2e_kg_per_vehicle_high",
            "source_ids",
        ],
    )


def _lane(lanes: pd.DataFrame, market: str, model: str | None) -> pd.Series | None:
    """The lane to `market`, of `model` when there is one, else the first."""
    mine = lanes[lanes["market_id"] == market]
    if model is not None and (mine["model_id"] == model).any():
        mine = mine[mine["model_id"] == model]
    return None if mine.empty else mine.iloc[0]


def capacity_of(tables: Tables, plant_id: str, on_date: dt.date | str) -> float:
    """The plant's preferred capacity claim known on `on_date` (NaN when none)."""
    cap = tables["plant_capacity"]
    cap = cap[(cap["plant_id"] == plant_id) & cap["capacity_units_per_year"].notna() & cap["is_preferred"]]
    row = claims.latest_row(cap, check_date("on_date", on_date))
    return float("nan") if row is None else float(row["capacity_units_per_year"])


def barred_from(tables: Tables, model_id: str, plant_id: str, market_id: str, day: dt.date | str) -> Access | None:
    """The access of the first model year that a sales ban in force on `day` bars (the policy engine decides, the
    brand's authorisation decisions included), or None when no ban bars any model year."""
    day = check_date("on_date", day)
    measures = tables["trade_measures"]
    bans = claims.holds_on(
        measures[(measures["market_id"] == market_id) & (measures["stacking"] == "prohibition")], day
    )
    for year in sorted({int(y) for y in bans["model_year_from"].dropna()}):
        access = market_access(tables, model_id, plant_id, market_id, day, model_year=year)
        if not access.is_allowed:
            return access
    return None
