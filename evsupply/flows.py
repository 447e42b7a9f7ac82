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

from evsupply.emissions import default_row, with_emissions
from evsupply.errors import ParameterError
from evsupply.lanes import choose_lanes, live_lanes
from evsupply.legs import with_legs
from evsupply.markets import is_domestic
from evsupply.parameters import check_choice, check_number, check_str_list, ids
from evsupply.ports import with_ports
from evsupply.routes import RouteCache
from evsupply.tables import Tables
from evsupply.volumes import with_volumes

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
    "total_distance_km",
    "passages",
    "speed_knots",
    "sea_transit_days",
    "curb_mass_kg",
    "kg_co2e_per_tonne_km",
    "co2e_kg_per_vehicle",
    "co2e_t_per_year",
    "emission_factor_id",
    "speed_id",
    "production_source_id",
    "mass_source_id",
    "emission_factor_source_id",
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
    origin serves in `year`). A plant named with explicit markets gives one lane per market even where no
    production claim puts cars on it in `year`: a counterfactual lane, carrying the cars and volume that market gets
    from its actual plant(s). `volumes` overrides the scenario per market (vehicles a year, split equally when
    several lanes serve it).
    """
    # Check the parameters
    market_ids = ids("markets", "market_id")(tables)
    check_choice("origin", origin, ["all", *ids("plants", "plant_id")(tables)])
    markets = check_str_list("markets", markets or [], market_ids)
    year = int(check_number("year", year, integer=True))
    if not 1990 <= year <= 2100:
        raise ParameterError("year", f"{year!r} is not a calendar year between 1990 and 2100")
    volumes = _check_volumes(volumes, market_ids)
    check_choice("scenario", scenario, ids("volume_scenarios", "scenario_id")(tables))
    import_ports = _check_port_map("import_ports", import_ports, market_ids, tables)
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
    mid_year = dt.date(year, 7, 1)
    country = dict(
        zip(tables["plants"]["plant_id"].astype(str), tables["plants"]["country_code"].astype(str), strict=True)
    )
    # One membership test per distinct (country, market) pair, not per lane (a million lanes share a few pairs).
    pairs = pd.MultiIndex.from_arrays([lanes["plant_id"].map(country).astype(str), lanes["market_id"].astype(str)])
    codes, distinct = pairs.factorize()
    domestic = np.array([is_domestic(tables, c, m, mid_year) for c, m in distinct], dtype=bool)
    lanes["is_domestic"] = domestic[codes] if len(codes) else np.zeros(0, dtype=bool)
    lanes = with_ports(lanes, tables, import_ports, export_ports)
    lanes = with_legs(lanes, tables, speed, cache, mid_year)
    lanes["speed_id"] = speed_id
    lanes["speed_source_id"] = pd.Series(speed_source, index=lanes.index, dtype="string")
    lanes = with_emissions(lanes, tables, emission_factor_id)
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
        if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
            raise ParameterError("volumes", f"{market}: {value!r} is not a number of vehicles a year (>= 0)")
        out[str(market)] = float(value)
    return out


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


def flow_routes(lanes: pd.DataFrame) -> gpd.GeoDataFrame:
    """One row per sea route (export port → import port) used by `lanes`, with the volume it carries."""
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
