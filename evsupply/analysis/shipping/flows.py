"""Flows: lanes plant → export port → import port → market, with volume, distances, transit days and sea-leg CO2e.

`build_flows` composes the steps, each in its own module: `lanes` (which lanes, from production claims),
`volumes` (cars a year), `ports` (which ports), `legs` (sea route and land legs) and `emissions` (CO2e per car).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from evsupply.analysis.markets import is_domestic, members
from evsupply.analysis.shipping.emissions import default_row, with_emissions
from evsupply.analysis.shipping.lanes import choose_lanes, live_lanes
from evsupply.analysis.shipping.legs import with_legs
from evsupply.analysis.shipping.ports import with_ports
from evsupply.analysis.shipping.routes import RouteCache
from evsupply.analysis.shipping.volumes import with_volumes
from evsupply.core.claims import mid_year
from evsupply.core.parameters import (
    check_choice,
    check_frame,
    check_number,
    check_str_list,
    check_unique,
    check_year,
    ids,
)
from evsupply.core.tables import Tables
from evsupply.errors import ParameterError

DEFAULT_YEAR = 2026
DEFAULT_SCENARIO = "default"

LANE_COLUMNS = [
    "lane_id",
    "model_id",
    "plant_id",
    "export_port_id",
    "import_port_id",
    "market_id",
    "export_port_basis",
    "import_port_basis",
    "production_status",
    "production_evidence",
    "production_start",
    "is_counterfactual",
    "is_domestic",
    "volume_units_per_year",
    "volume_basis",
    "volume_source_id",
    "land_origin_km",
    "sea_distance_km",
    "sea_distance_nm",
    "land_destination_km",
    "road_distance_km",
    "total_distance_km",
    "passages",
    "speed_knots",
    "sea_transit_days",
    "curb_mass_kg",
    "kg_co2e_per_tonne_km",
    "co2e_kg_per_vehicle",
    "co2e_kg_per_vehicle_low",
    "co2e_kg_per_vehicle_high",
    "co2e_t_per_year",
    "emission_factor_id",
    "speed_id",
    "production_source_id",
    "mass_source_id",
    "emission_factor_source_id",
    "emission_factor_low_source_id",
    "emission_factor_high_source_id",
    "speed_source_id",
    "export_link_source_id",
    "import_link_source_id",
    "year",
    "geometry",
]


def build_flows(
    tables: Tables,
    origin: str = "all",
    markets: Sequence[str] | str | None = None,
    year: int = DEFAULT_YEAR,
    volumes: Mapping[str, float] | None = None,
    scenario: str = DEFAULT_SCENARIO,
    import_ports: Mapping[str, str] | None = None,
    export_ports: Mapping[str, str] | None = None,
    emission_factor_id: str | None = None,
    speed_knots: float | None = None,
    cache: RouteCache | None = None,
) -> gpd.GeoDataFrame:
    """Lanes (one row per model, plant and market) with ports, volume, distances, transit days and sea-leg CO2e.

    `origin` a plant_id or "all"; `markets` market_ids (a single id is one market; None or [] = every market the
    origin serves in `year`; an id given twice is refused). A plant named with explicit markets gives one lane per
    market even where no production claim puts cars on it in `year`: a counterfactual lane, carrying the cars and
    volume that market gets from its actual plant(s). `volumes` overrides the scenario per market (vehicles a year,
    split equally when several lanes serve it). An import port given for a market must lie in one of its countries
    or be linked to it in `market_ports`.
    """
    # Check the parameters
    market_ids = ids("markets", "market_id")(tables)
    check_choice("origin", origin, ["all", *ids("plants", "plant_id")(tables)])
    markets = check_unique("markets", check_str_list("markets", markets or [], market_ids))
    year = check_year("year", year)
    volumes = _check_volumes(volumes, market_ids)
    check_choice("scenario", scenario, ids("volume_scenarios", "scenario_id")(tables))
    import_ports = _check_port_map("import_ports", import_ports, market_ids, tables)
    _check_ports_serve(tables, import_ports, mid_year(year))
    export_ports = _check_port_map("export_ports", export_ports, ids("plants", "plant_id")(tables), tables)
    if speed_knots is None:
        row = default_row(tables, "vessel_speeds")
        speed, speed_id, speed_source = float(row["speed_knots"]), str(row["speed_id"]), row["source_id"]
    else:
        speed, speed_id, speed_source = float(check_number("speed_knots", speed_knots, minimum=0.1)), "user", pd.NA

    # Lanes and their volumes
    live = live_lanes(tables["production"], year)
    lanes = choose_lanes(tables, origin, markets, year, live)
    lanes = with_volumes(lanes, tables, year, scenario, volumes, live)

    # Ports, legs and emissions
    day = mid_year(year)
    country = dict(
        zip(tables["plants"]["plant_id"].astype(str), tables["plants"]["country_code"].astype(str), strict=True)
    )
    # One membership test per distinct (country, market) pair, not per lane (a million lanes share a few pairs).
    pairs = pd.MultiIndex.from_arrays([lanes["plant_id"].map(country).astype(str), lanes["market_id"].astype(str)])
    codes, distinct = pairs.factorize()
    domestic = np.array([is_domestic(tables, c, m, day) for c, m in distinct], dtype=bool)
    lanes["is_domestic"] = domestic[codes] if len(codes) else np.zeros(0, dtype=bool)
    lanes = with_ports(lanes, tables, import_ports, export_ports)
    lanes = with_legs(lanes, tables, speed, cache, day)
    lanes["speed_id"] = speed_id
    lanes["speed_source_id"] = pd.Series(speed_source, index=lanes.index, dtype="string")
    lanes = with_emissions(lanes, tables, emission_factor_id)
    lanes = without_sea_leg_on_land(lanes)
    lanes["year"] = year
    lanes["lane_id"] = pd.array(
        [
            f"{m}:{p}:{k}"
            for m, p, k in zip(
                lanes["model_id"].tolist(), lanes["plant_id"].tolist(), lanes["market_id"].tolist(), strict=True
            )
        ],
        dtype="string",
    )
    # copy=False: the columns are this function's own; a copy would double the memory of a million lanes.
    return gpd.GeoDataFrame(lanes[LANE_COLUMNS], geometry="geometry", crs="EPSG:4326", copy=False)


def _check_volumes(volumes: Mapping[str, Any] | None, market_ids: list[str]) -> dict[str, float]:
    if volumes is None:
        return {}
    if not isinstance(volumes, Mapping):
        raise ParameterError("volumes", f"{volumes!r} is not a mapping of market_id to vehicles a year")
    out = {}
    for market, value in volumes.items():
        check_choice("volumes", market, market_ids)
        try:
            out[str(market)] = float(check_number("volumes", value, minimum=0, maximum=MAX_VOLUME))
        except ParameterError:
            raise ParameterError(
                "volumes", f"{market}: {value!r} is not a number of vehicles a year from 0 to {MAX_VOLUME:,.0f}"
            ) from None
    return out


MAX_VOLUME = 1e9  # vehicles a year to one market: about ten times the world's yearly car production


def _check_ports_serve(tables: Tables, import_ports: Mapping[str, str], day: dt.date) -> None:
    """Each import port given for a market lies in one of its countries or is linked to it in `market_ports`."""
    ports = tables["ports"].set_index("port_id")["country_code"].astype(str)
    links = tables["market_ports"]
    for market, port in import_ports.items():
        linked = ((links["market_id"] == market) & (links["port_id"] == port)).any()
        if not linked and ports.get(port) not in members(tables, market, day):
            raise ParameterError(
                "import_ports",
                f"port {port!r} ({ports.get(port)}) does not serve market {market!r}: give a port in the market's "
                "countries or one market_ports links to it",
            )


def _check_port_map(name: str, mapping: Mapping[str, Any] | None, keys: list[str], tables: Tables) -> dict[str, str]:
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise ParameterError(name, f"{mapping!r} is not a mapping of id to port_id")
    port_ids = sorted(tables["ports"]["port_id"].astype(str))
    for key, port in mapping.items():
        check_choice(name, key, keys)
        check_choice(name, port, port_ids)
    return {str(k): str(v) for k, v in mapping.items()}


def without_sea_leg_on_land(lanes: pd.DataFrame) -> pd.DataFrame:
    """Land lanes have no sea leg: their sea distance, days and sea-leg CO2e are missing (NaN), never 0; every lane
    gets `road_distance_km`, its land legs added up."""
    out = lanes.copy(deep=False)  # copy-on-write: the columns set below are new, the caller's frame is untouched
    land = out["is_domestic"].astype(bool).to_numpy()
    for col in ("sea_distance_km", "sea_distance_nm", "sea_transit_days", "co2e_kg_per_vehicle", "co2e_t_per_year"):
        if col in out:
            out[col] = out[col].astype(float).mask(land)
    out["road_distance_km"] = out["land_origin_km"].astype(float) + out["land_destination_km"].astype(float)
    return out


def flow_routes(lanes: pd.DataFrame) -> gpd.GeoDataFrame:
    """One row per sea route (export port → import port) used by `lanes`, with the volume it carries."""
    check_frame("lanes", lanes, LANE_COLUMNS)
    sea = lanes[~lanes["is_domestic"]]
    keys = ["export_port_id", "import_port_id"]
    agg = sea.groupby(keys, as_index=False, sort=True).agg(
        sea_distance_km=("sea_distance_km", "first"),
        sea_distance_nm=("sea_distance_nm", "first"),
        passages=("passages", "first"),
        speed_knots=("speed_knots", "first"),
        sea_transit_days=("sea_transit_days", "first"),
        volume_units_per_year=("volume_units_per_year", lambda v: v.sum(min_count=1)),
        lanes_count=("lane_id", "size"),
        geometry=("geometry", "first"),
    )
    return gpd.GeoDataFrame(agg, geometry="geometry", crs="EPSG:4326")


def summary(lanes: pd.DataFrame) -> pd.DataFrame:
    """The key numbers per lane, rounded for print: distances (km), sea days, CO2e per car (kg) and a year (t)."""
    check_frame("lanes", lanes, LANE_COLUMNS)
    cols = {
        "plant_id": "plant",
        "export_port_id": "export port",
        "import_port_id": "import port",
        "market_id": "market",
        "volume_units_per_year": "cars/yr",
        "sea_distance_km": "sea km",
        "sea_distance_nm": "sea nm",
        "passages": "passages",
        "sea_transit_days": "sea days",
        "total_distance_km": "total km",
        "co2e_kg_per_vehicle": "kg CO2e/car (sea)",
        "co2e_t_per_year": "t CO2e/yr (sea)",
    }
    out = lanes[list(cols)].rename(columns=cols).copy()
    for col, digits in (
        ("sea km", -1),
        ("sea nm", -1),
        ("total km", -1),
        ("kg CO2e/car (sea)", -1),
        ("t CO2e/yr (sea)", 0),
        ("cars/yr", 0),
        ("sea days", 1),
    ):
        out[col] = out[col].astype(float).round(digits)
        if digits <= 0:
            out[col] = out[col].astype("Int64")
    return out.fillna({"export port": "—", "import port": "—"}).reset_index(drop=True)


def sources_used(tables: Tables, lanes: pd.DataFrame) -> list[str]:
    """The source_ids behind the lanes' numbers: claims, volumes, masses, factor, speed, port links, plants, ports."""
    cols = [
        "production_source_id",
        "volume_source_id",
        "mass_source_id",
        "emission_factor_source_id",
        "emission_factor_low_source_id",
        "emission_factor_high_source_id",
        "speed_source_id",
        "export_link_source_id",
        "import_link_source_id",
    ]
    ids = set(pd.concat([lanes[c] for c in cols]).dropna().astype(str))
    plants = tables["plants"]
    ids |= set(plants.loc[plants["plant_id"].isin(lanes["plant_id"]), "source_id"].astype(str))
    ports = tables["ports"]
    used_ports = pd.concat([lanes["export_port_id"], lanes["import_port_id"]]).dropna()
    ids |= set(ports.loc[ports["port_id"].isin(used_ports), "source_id"].astype(str))
    return sorted(ids)


def per_car_comparison(lanes: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Per-car numbers of two sets of lanes side by side, by model and market: sea km, days and kg CO2e per car."""
    check_frame("lanes", lanes, LANE_COLUMNS)
    check_frame("other", other, LANE_COLUMNS)
    cols = {
        "model_id": "model",
        "market_id": "market",
        "plant_id": "plant",
        "export_port_id": "export port",
        "import_port_id": "import port",
        "sea_distance_km": "sea km",
        "sea_transit_days": "sea days",
        "co2e_kg_per_vehicle": "kg CO2e/car (sea)",
    }
    both = pd.concat([lanes[list(cols)], other[list(cols)]]).rename(columns=cols)
    both = both[both["market"].isin(set(lanes["market_id"]) & set(other["market_id"]))]
    both = both.sort_values(["model", "market", "plant"], kind="stable").reset_index(drop=True)
    for col, digits in (("sea km", -1), ("kg CO2e/car (sea)", -1)):
        both[col] = both[col].astype(float).round(digits).astype("Int64")
    both["sea days"] = both["sea days"].astype(float).round(1)
    return both.fillna({"export port": "—", "import port": "—"})
