"""Flow model: lanes plant → export port → import port → market, with volume, distance, transit days and CO2e."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from evsupply import dated
from evsupply.errors import DataError, ParameterError, Problem
from evsupply.parameters import Param, check_choice, ids
from evsupply.routes import RouteCache, default_speed, land_km, sea_routes, straight_lines

# Production claims that put cars on a lane in a year; `unconfirmed`, `ended` and `cancelled` do not.
LIVE_STATUSES = ("announced", "confirmed", "pilot", "in_production")
DEFAULT_YEAR = 2026
DEFAULT_SCENARIO = "default"

LANE_COLUMNS = [
    "lane_id", "model_id", "plant_id", "export_port_id", "import_port_id", "market_id",
    "export_port_basis", "import_port_basis",
    "production_status", "is_counterfactual", "is_domestic",
    "volume_units_per_year", "volume_basis", "volume_source_id",
    "land_origin_km", "sea_distance_km", "sea_distance_nm", "land_destination_km", "total_distance_km",
    "passages", "speed_knots", "sea_transit_days",
    "curb_mass_kg", "kg_co2e_per_tonne_km", "co2e_kg_per_vehicle", "co2e_t_per_year",
    "emission_factor_id", "speed_id",
    "production_source_id", "mass_source_id", "emission_factor_source_id", "speed_source_id",
    "export_link_source_id", "import_link_source_id",
    "year", "geometry",
]


_plant_ids = ids("plants", "plant_id")
_market_ids = ids("markets", "market_id")
_scenario_ids = ids("volume_scenarios", "scenario_id")


# The notebook's parameters, checked by `evsupply.parameters.check(globals(), FLOWS_PARAMETERS, tables)`.
FLOWS_PARAMETERS: dict[str, Param] = {
    "origin": Param("str", "a plant_id, or 'all' for every plant", _plant_ids, extra_choices=("all",)),
    "markets": Param("str_list", "market_ids to ship to; [] for every market the origin serves", _market_ids),
    "year": Param("int", "calendar year of the production claims and volumes"),
    "volumes": Param("mapping", "vehicles a year per market_id, overriding the scenario, e.g. {'USA': 6000}"),
    "scenario": Param("str", "volume scenario of the volume_scenarios table", _scenario_ids),
    "import_ports": Param("mapping", "import port_id per market_id, overriding market_ports' default"),
    "compare_with": Param("str", "a plant_id to compare with on the same markets, or '' for none",
                          _plant_ids, extra_choices=("",)),
}


def build_flows(
    tables: Mapping[str, pd.DataFrame],
    origin: str = "all",
    markets: Sequence[str] | None = None,
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

    `origin` a plant_id or "all"; `markets` market_ids (None or [] = every market the origin serves in `year`).
    A plant named with explicit markets gives one lane per market even where no production claim puts cars on it
    in `year`: a counterfactual lane, carrying the cars and volume that market gets from its actual plant(s).
    `volumes` overrides the scenario per market (vehicles a year, split equally when several lanes serve it).
    """
    # Check the parameters
    plants = tables["plants"]
    market_ids = _market_ids(tables)
    check_choice("origin", origin, ["all", *_plant_ids(tables)])
    markets = list(markets or [])
    for market in markets:
        check_choice("markets", market, market_ids)
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or not 1990 <= int(year) <= 2100:
        raise ParameterError("year", f"{year!r} is not a calendar year between 1990 and 2100")
    year = int(year)
    volumes = _check_volumes(volumes, market_ids)
    check_choice("scenario", scenario, _scenario_ids(tables))
    import_ports = _check_port_map("import_ports", import_ports, market_ids, tables)
    export_ports = _check_port_map("export_ports", export_ports, _plant_ids(tables), tables)

    # Lanes and their volumes
    live = live_lanes(tables["production"], year)
    lanes = _lanes(tables, origin, markets, year, live)
    lanes = _with_volumes(lanes, tables, year, scenario, volumes, live)

    # Ports, legs and emissions
    country = dict(zip(plants["plant_id"].astype(str), plants["country_code"].astype(str), strict=True))
    lanes["is_domestic"] = lanes["plant_id"].map(country).eq(lanes["market_id"]).astype(bool)
    lanes = _with_ports(lanes, tables, import_ports, export_ports)
    speed, speed_id = (default_speed(tables) if speed_knots is None else (float(speed_knots), "user"))
    if not speed > 0:
        raise ParameterError("speed_knots", f"{speed_knots!r} is not a positive speed in knots")
    lanes = _with_legs(lanes, tables, speed, cache)
    lanes["speed_id"] = speed_id
    lanes["speed_source_id"] = _source_of(tables, "vessel_speeds", "speed_id", speed_id)
    lanes = _with_emissions(lanes, tables, emission_factor_id)
    lanes["year"] = year
    lanes["lane_id"] = pd.array([f"{m}:{p}:{k}" for m, p, k in zip(
        lanes["model_id"].tolist(), lanes["plant_id"].tolist(), lanes["market_id"].tolist(), strict=True)],
        dtype="string")
    return gpd.GeoDataFrame(lanes[LANE_COLUMNS], geometry="geometry", crs="EPSG:4326")


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


def _check_port_map(name: str, mapping: Mapping[str, Any] | None, keys: list[str],
                    tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    if mapping is None:
        return {}
    if not isinstance(mapping, Mapping):
        raise ParameterError(name, f"{mapping!r} is not a mapping of id to port_id")
    port_ids = sorted(tables["ports"]["port_id"].astype(str))
    for key, port in mapping.items():
        check_choice(name, key, keys)
        check_choice(name, port, port_ids)
    return {str(k): str(v) for k, v in mapping.items()}


def latest_claims(production: pd.DataFrame) -> pd.DataFrame:
    """The latest claim (by as_of_date) for each model, plant and market; of same-day claims, the last row."""
    keys = ["model_id", "plant_id", "market_id"]
    newest = dated.latest_claims(production, keys).sort_values(keys, kind="stable")
    return newest.drop_duplicates(keys, keep="last").reset_index(drop=True)


def live_lanes(production: pd.DataFrame, year: int) -> pd.DataFrame:
    """Latest claims whose status puts cars on the lane in `year` (started by then, not ended before)."""
    claims = latest_claims(production)
    started = claims["start_date"].isna() | (claims["start_date"].dt.year <= year)
    not_ended = claims["end_date"].isna() | (claims["end_date"].dt.year >= year)
    live = claims["production_status"].isin(LIVE_STATUSES) & started & not_ended
    return claims[live.fillna(False).astype(bool)].reset_index(drop=True)


def _lanes(tables: Mapping[str, pd.DataFrame], origin: str, markets: list[str], year: int,
           live: pd.DataFrame) -> pd.DataFrame:
    """(model, plant, market) lanes with their production status; explicit pairs may be counterfactual."""
    production = tables["production"]
    cols = ["model_id", "plant_id", "market_id"]
    if origin != "all" and markets:
        claims = latest_claims(production)[[*cols, "production_status", "source_id"]]
        rows = []
        for market in markets:
            own = claims[(claims["plant_id"] == origin) & (claims["market_id"] == market)]
            if len(own):
                rows += own.to_dict("records")
                continue
            # No claim for this plant and market: the models `origin` builds in `year` (else those the market gets).
            models = live.loc[live["plant_id"] == origin, "model_id"].unique().tolist()
            models = models or live.loc[live["market_id"] == market, "model_id"].unique().tolist()
            if not models:
                raise ParameterError("markets", f"no model is produced for {market} or at {origin} in {year}, "
                                     "so a counterfactual lane has no cars", choices=sorted(set(live["market_id"])))
            rows += [{"model_id": m, "plant_id": origin, "market_id": market, "production_status": pd.NA,
                      "source_id": pd.NA} for m in models]
        lanes = pd.DataFrame(rows)
    else:
        lanes = live[[*cols, "production_status", "source_id"]].copy()
        if origin != "all":
            lanes = lanes[lanes["plant_id"] == origin]
        if markets:
            lanes = lanes[lanes["market_id"].isin(markets)]
        if lanes.empty:
            raise ParameterError("origin", f"no lane is in production from {origin!r} to "
                                 f"{markets or 'any market'} in {year}", choices=sorted(set(live["plant_id"])))
    # Counterfactual: no claim in the production table puts these cars on this lane in `year`.
    live_keys = pd.MultiIndex.from_frame(live[cols].astype(str))
    lanes["is_counterfactual"] = ~pd.MultiIndex.from_frame(lanes[cols].astype(str)).isin(live_keys)
    lanes = lanes.rename(columns={"source_id": "production_source_id"})
    lanes = lanes.reset_index(drop=True)
    for col in [*cols, "production_status", "production_source_id"]:
        lanes[col] = lanes[col].astype("string")
    lanes["is_counterfactual"] = lanes["is_counterfactual"].astype(bool)
    return lanes


def scenario_volumes(tables: Mapping[str, pd.DataFrame], scenario: str, year: int) -> pd.DataFrame:
    """Each plant's volume in `year` under `scenario`: the row of the latest `year` not after it."""
    rows = tables["volume_scenarios"]
    rows = rows[(rows["scenario_id"] == scenario) & (rows["year"] <= year)]
    rows = rows.sort_values(["plant_id", "year"], kind="stable").drop_duplicates("plant_id", keep="last")
    return rows[["plant_id", "volume_units_per_year", "basis", "source_id"]].reset_index(drop=True)


def _with_volumes(lanes: pd.DataFrame, tables: Mapping[str, pd.DataFrame], year: int, scenario: str,
                  volumes: dict[str, float], live: pd.DataFrame) -> pd.DataFrame:
    """Volume per lane: the user's per-market value, else the plant's scenario volume split equally between the
    plant's live lanes, else (counterfactual) what the market gets from its actual plants, else missing."""
    live = live[["model_id", "plant_id", "market_id"]]
    plan = scenario_volumes(tables, scenario, year)
    live = live.merge(plan, on="plant_id", how="inner")
    live["share"] = live["volume_units_per_year"].astype(float) / live.groupby("plant_id")["plant_id"].transform("size")
    keys = ["model_id", "plant_id", "market_id"]
    out = lanes.merge(live[[*keys, "share", "source_id"]], on=keys, how="left")
    by_market = live.groupby(["model_id", "market_id"], as_index=False).agg(
        market_share=("share", "sum"), market_source=("source_id", "first"))
    out = out.merge(by_market, on=["model_id", "market_id"], how="left")

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


def _nearest_port(plant: pd.Series, candidates: pd.DataFrame) -> pd.Series:
    km = land_km(plant["longitude"], plant["latitude"], candidates["longitude"], candidates["latitude"])
    return candidates.iloc[int(np.argmin(km))]


def _nearest_of_country(tables: Mapping[str, pd.DataFrame], country: str, lon: float, lat: float,
                        roles: tuple[str, ...]) -> str | None:
    ports = tables["ports"]
    candidates = ports[(ports["country_code"] == country) & ports["port_role"].isin(roles)]
    if candidates.empty:
        return None
    return str(_nearest_port(pd.Series({"longitude": lon, "latitude": lat}), candidates)["port_id"])


def export_port_choice(tables: Mapping[str, pd.DataFrame], plant_ids: Sequence[str],
                       overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The export port of each plant: the override ("user"), else its `plant_ports` link ("link"; the nearest if
    several), else the nearest export port of the plant's country ("nearest", an assumption the lane shows)."""
    cols = ["plant_id", "export_port_id", "export_port_basis", "export_link_source_id"]
    overrides = dict(overrides or {})
    wanted = pd.DataFrame({"plant_id": pd.Series(list(plant_ids), dtype="string")})
    plants = tables["plants"][["plant_id", "country_code", "longitude", "latitude"]]
    ports = tables["ports"][["port_id", "longitude", "latitude"]]
    ports = ports.rename(columns={"longitude": "plon", "latitude": "plat"})
    links = tables["plant_ports"][["plant_id", "port_id", "source_id"]]
    links = links[links["plant_id"].isin(wanted["plant_id"])].merge(plants, on="plant_id").merge(ports, on="port_id")
    # Several linked ports: take the nearest (vectorised, one row per link).
    links = links.assign(km=land_km(links["longitude"], links["latitude"], links["plon"], links["plat"]))
    links = links.sort_values(["plant_id", "km"], kind="stable").drop_duplicates("plant_id")
    out = wanted.merge(links[["plant_id", "port_id", "source_id"]], on="plant_id", how="left")
    out.columns = ["plant_id", "export_port_id", "export_link_source_id"]
    out["export_port_basis"] = pd.Series("link", index=out.index, dtype="string").where(out["export_port_id"].notna())
    user = out["plant_id"].isin(list(overrides))
    out.loc[user, "export_port_id"] = out.loc[user, "plant_id"].map(overrides)
    out.loc[user, "export_port_basis"] = "user"
    out.loc[user, "export_link_source_id"] = pd.NA
    by_id = plants.set_index("plant_id")
    for i in out.index[out["export_port_id"].isna()]:  # no link: the nearest export port of the country
        plant_id = out.at[i, "plant_id"]
        plant = by_id.loc[plant_id]
        port = _nearest_of_country(tables, plant["country_code"], plant["longitude"], plant["latitude"],
                                   ("export", "both"))
        if port is None:
            raise DataError([Problem("plant_ports.csv", "port link", f"plant '{plant_id}' has no export port "
                                     "and its country none (add a plant_ports row or pass export_ports)",
                                     column="plant_id", value=plant_id)])
        out.loc[i, ["export_port_id", "export_port_basis"]] = [port, "nearest"]
    return out[cols].astype("string")


def import_port_choice(tables: Mapping[str, pd.DataFrame], market_ids: Sequence[str],
                       overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The import port of each market: the override ("user"), else its `market_ports` default ("link"), else the
    import port of the market's country nearest its market point ("nearest", an assumption the lane shows)."""
    links = tables["market_ports"]
    defaults = links[links["is_default"].fillna(False).astype(bool)].drop_duplicates("market_id")
    default = {m: (p, src) for m, p, src in zip(defaults["market_id"], defaults["port_id"], defaults["source_id"],
                                                strict=True)}
    rows = []
    for market_id in market_ids:
        if overrides and market_id in overrides:
            row = (overrides[market_id], "user", pd.NA)
        elif market_id in default:
            row = (default[market_id][0], "link", default[market_id][1])
        else:
            point = market_points([market_id]).iloc[0]
            port = _nearest_of_country(tables, market_id, point["longitude"], point["latitude"], ("import", "both"))
            if port is None:
                raise DataError([Problem("market_ports.csv", "port link", f"market '{market_id}' has no default "
                                         "import port and its country none (add a market_ports row with is_default "
                                         "true, or pass import_ports)", column="market_id", value=market_id)])
            row = (port, "nearest", pd.NA)
        rows.append(dict(zip(["market_id", "import_port_id", "import_port_basis", "import_link_source_id"],
                             (market_id, *row), strict=True)))
    return pd.DataFrame(rows, columns=["market_id", "import_port_id", "import_port_basis",
                                       "import_link_source_id"]).astype("string")


def _with_ports(lanes: pd.DataFrame, tables: Mapping[str, pd.DataFrame], import_ports: dict[str, str],
                export_ports: dict[str, str]) -> pd.DataFrame:
    sea = ~lanes["is_domestic"]
    exp = export_port_choice(tables, lanes.loc[sea, "plant_id"].unique().tolist(), export_ports)
    imp = import_port_choice(tables, lanes.loc[sea, "market_id"].unique().tolist(), import_ports)
    out = lanes.merge(exp, on="plant_id", how="left").merge(imp, on="market_id", how="left")
    for col in ("export_port_id", "export_port_basis", "export_link_source_id", "import_port_id", "import_port_basis",
                "import_link_source_id"):
        out[col] = out[col].astype("string").where(~out["is_domestic"], pd.NA)
    return out


@cache
def _country_points() -> pd.DataFrame:
    from evsupply.geo import countries

    shapes = countries()
    # The centroid of the country's largest polygon (its mainland), so that e.g. the USA is not pulled to Alaska.
    largest = [max(shapely.get_parts(g), key=lambda p: p.area) for g in shapes.geometry]
    centroids = shapely.centroid(np.array(largest, dtype=object))
    return pd.DataFrame({"longitude": shapely.get_x(centroids), "latitude": shapely.get_y(centroids)},
                        index=shapes.index)


def market_points(market_ids: Sequence[str]) -> pd.DataFrame:
    """The point a market stands for (lon, lat): the centroid of its country's mainland (Natural Earth 1:110m)."""
    points = _country_points()
    missing = sorted(set(market_ids) - set(points.index))
    if missing:
        raise DataError([Problem("markets.csv", "unknown country", f"no country shape for {', '.join(missing)}",
                                 column="market_id", value=missing[0])])
    return points.loc[list(market_ids)].rename_axis("market_id").reset_index()


def _with_legs(lanes: pd.DataFrame, tables: Mapping[str, pd.DataFrame], speed: float,
               cache: RouteCache | None) -> pd.DataFrame:
    """Sea legs (one route per distinct port pair) and land legs (geodesic × road factor, per distinct pair)."""
    ports = tables["ports"]
    xy = ports.set_index("port_id")[["longitude", "latitude"]].astype(float)
    plant_xy = tables["plants"].set_index("plant_id")[["longitude", "latitude"]].astype(float)
    out = lanes
    sea = ~out["is_domestic"].to_numpy()

    # One route per distinct port pair; lanes index into the routes by integer codes (no string merge).
    port_ids = pd.Index(ports["port_id"].astype(str))
    e_code = port_ids.get_indexer(out["export_port_id"].fillna("").astype(str))
    i_code = port_ids.get_indexer(out["import_port_id"].fillna("").astype(str))
    pair_code = np.where(sea, e_code.astype(np.int64) * len(port_ids) + i_code, -1)
    distinct = np.unique(pair_code[sea])
    routes = sea_routes(((port_ids[c // len(port_ids)], port_ids[c % len(port_ids)]) for c in distinct),
                        ports, speed, cache)
    take = pd.Index(distinct).get_indexer(pair_code)  # -1 for lanes by land
    has = take >= 0
    for col in ("sea_distance_km", "sea_distance_nm", "sea_transit_days"):
        out[col] = np.where(has, routes[col].to_numpy(dtype=float)[np.maximum(take, 0)] if len(routes) else 0.0, 0.0)
    passages = routes["passages"].to_numpy(dtype=object) if len(routes) else np.array([""], dtype=object)
    out["passages"] = pd.array(np.where(has, passages[np.maximum(take, 0)], ""), dtype="string")
    out["speed_knots"] = speed
    route_geoms = gpd.GeoSeries(routes["geometry"] if len(routes) else [], crs="EPSG:4326").values

    # Land leg at the origin: plant → export port (domestic lanes: plant → market, all by land).
    mkt = market_points(out["market_id"].unique().tolist()).set_index("market_id")
    p0 = plant_xy.reindex(out["plant_id"]).to_numpy()
    first = np.where(sea[:, None], xy.reindex(out["export_port_id"].fillna("")).to_numpy(),
                     mkt.reindex(out["market_id"]).to_numpy())
    out["land_origin_km"] = _pairwise_land(out["plant_id"], np.where(sea, out["export_port_id"], out["market_id"]),
                                           p0, first)
    # Land leg at the destination: import port → market point.
    m_xy = mkt.reindex(out["market_id"]).to_numpy()
    i_xy = xy.reindex(out["import_port_id"].fillna("")).to_numpy()
    dest_km = _pairwise_land(out["import_port_id"].fillna(""), out["market_id"], i_xy, m_xy)
    out["land_destination_km"] = np.where(sea, dest_km, 0.0)
    out["total_distance_km"] = out["land_origin_km"] + out["sea_distance_km"] + out["land_destination_km"]

    # Geometry: the sea route of the port pair (shared objects); domestic lanes: a straight plant → market line.
    geometry = route_geoms.take(take, allow_fill=True)
    if (~sea).any():
        lines = straight_lines(p0[~sea, 0], p0[~sea, 1], first[~sea, 0], first[~sea, 1])
        geometry[~sea] = shapely.multilinestrings(lines, indices=np.arange(len(lines)))
    out["geometry"] = geometry
    return out


def _pairwise_land(a: Any, b: Any, a_xy: np.ndarray, b_xy: np.ndarray) -> np.ndarray:
    """land_km for each row, computed once per distinct (a, b) pair."""
    ca, _ = pd.factorize(pd.Series(a).astype(str).to_numpy())
    cb, _ = pd.factorize(pd.Series(b).astype(str).to_numpy())
    _, first, codes = np.unique(ca.astype(np.int64) * (cb.max() + 1) + cb, return_index=True, return_inverse=True)
    km = land_km(a_xy[first, 0], a_xy[first, 1], b_xy[first, 0], b_xy[first, 1])
    return np.atleast_1d(km)[codes.ravel()]


def _source_of(tables: Mapping[str, pd.DataFrame], table: str, key: str, value: str) -> Any:
    rows = tables[table]
    hit = rows.loc[rows[key] == value, "source_id"]
    return hit.iloc[0] if len(hit) else pd.NA


def default_emission_factor(tables: Mapping[str, pd.DataFrame]) -> pd.Series:
    """The row of the `emission_factors` table with is_default true."""
    factors = tables["emission_factors"]
    rows = factors[factors["is_default"].fillna(False).astype(bool)]
    if len(rows) != 1:
        raise DataError([Problem("emission_factors.csv", "one default", "expected exactly one row with is_default "
                                 f"true, found {len(rows)}", column="is_default")])
    return rows.iloc[0]


def _with_emissions(lanes: pd.DataFrame, tables: Mapping[str, pd.DataFrame],
                    emission_factor_id: str | None) -> pd.DataFrame:
    """Sea-leg CO2e per vehicle = curb mass (t) × sea distance (km) × factor (kg CO2e per t-km)."""
    factors = tables["emission_factors"]
    if emission_factor_id is None:
        factor = default_emission_factor(tables)
    else:
        check_choice("emission_factor_id", emission_factor_id, list(factors["emission_factor_id"]))
        factor = factors[factors["emission_factor_id"] == emission_factor_id].iloc[0]
    models = tables["models"].set_index("model_id")
    out = lanes
    out["curb_mass_kg"] = out["model_id"].map(models["curb_mass_kg"]).astype(float)
    out["mass_source_id"] = out["model_id"].map(models["source_id"]).astype("string")
    out["emission_factor_id"] = str(factor["emission_factor_id"])
    out["emission_factor_source_id"] = str(factor["source_id"])
    out["kg_co2e_per_tonne_km"] = float(factor["kg_co2e_per_tonne_km"])
    out["co2e_kg_per_vehicle"] = out["curb_mass_kg"] / 1000.0 * out["sea_distance_km"] * out["kg_co2e_per_tonne_km"]
    out["co2e_t_per_year"] = out["co2e_kg_per_vehicle"] * out["volume_units_per_year"] / 1000.0
    return out


def flow_routes(lanes: pd.DataFrame) -> gpd.GeoDataFrame:
    """One row per sea route (export port → import port) used by `lanes`, with the volume it carries."""
    sea = lanes[~lanes["is_domestic"]]
    keys = ["export_port_id", "import_port_id"]
    agg = sea.groupby(keys, as_index=False, sort=True).agg(
        sea_distance_km=("sea_distance_km", "first"), sea_distance_nm=("sea_distance_nm", "first"),
        passages=("passages", "first"), speed_knots=("speed_knots", "first"),
        sea_transit_days=("sea_transit_days", "first"),
        volume_units_per_year=("volume_units_per_year", lambda v: v.sum(min_count=1)),
        lanes_count=("lane_id", "size"), geometry=("geometry", "first"),
    )
    return gpd.GeoDataFrame(agg, geometry="geometry", crs="EPSG:4326")


def summary(lanes: pd.DataFrame) -> pd.DataFrame:
    """The key numbers per lane, rounded for print: distances (km), sea days, CO2e per car (kg) and a year (t)."""
    cols = {
        "plant_id": "plant", "export_port_id": "export port", "import_port_id": "import port", "market_id": "market",
        "volume_units_per_year": "cars/yr", "sea_distance_km": "sea km", "sea_distance_nm": "sea nm",
        "passages": "passages", "sea_transit_days": "sea days", "total_distance_km": "total km",
        "co2e_kg_per_vehicle": "kg CO2e/car (sea)", "co2e_t_per_year": "t CO2e/yr (sea)",
    }
    out = lanes[list(cols)].rename(columns=cols).copy()
    for col, digits in (("sea km", -1), ("sea nm", -1), ("total km", -1), ("kg CO2e/car (sea)", -1),
                        ("t CO2e/yr (sea)", 0), ("cars/yr", 0), ("sea days", 1)):
        out[col] = out[col].astype(float).round(digits)
        if digits <= 0:
            out[col] = out[col].astype("Int64")
    return out.fillna({"export port": "—", "import port": "—"}).reset_index(drop=True)


def sources_used(tables: Mapping[str, pd.DataFrame], lanes: pd.DataFrame) -> list[str]:
    """The source_ids behind the lanes' numbers: claims, volumes, masses, factor, speed, port links, plants, ports."""
    cols = ["production_source_id", "volume_source_id", "mass_source_id", "emission_factor_source_id",
            "speed_source_id", "export_link_source_id", "import_link_source_id"]
    ids = set(pd.concat([lanes[c] for c in cols]).dropna().astype(str))
    plants = tables["plants"]
    ids |= set(plants.loc[plants["plant_id"].isin(lanes["plant_id"]), "source_id"].astype(str))
    ports = tables["ports"]
    used_ports = pd.concat([lanes["export_port_id"], lanes["import_port_id"]]).dropna()
    ids |= set(ports.loc[ports["port_id"].isin(used_ports), "source_id"].astype(str))
    return sorted(ids)


def per_car_comparison(lanes: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Per-car numbers of two sets of lanes side by side, by model and market: sea km, days and kg CO2e per car."""
    cols = {"model_id": "model", "market_id": "market", "plant_id": "plant", "export_port_id": "export port",
            "import_port_id": "import port", "sea_distance_km": "sea km", "sea_transit_days": "sea days",
            "co2e_kg_per_vehicle": "kg CO2e/car (sea)"}
    both = pd.concat([lanes[list(cols)], other[list(cols)]]).rename(columns=cols)
    both = both[both["market"].isin(set(lanes["market_id"]) & set(other["market_id"]))]
    both = both.sort_values(["model", "market", "plant"], kind="stable").reset_index(drop=True)
    for col, digits in (("sea km", -1), ("kg CO2e/car (sea)", -1)):
        both[col] = both[col].astype(float).round(digits).astype("Int64")
    both["sea days"] = both["sea days"].astype(float).round(1)
    return both.fillna({"export port": "—", "import port": "—"})
