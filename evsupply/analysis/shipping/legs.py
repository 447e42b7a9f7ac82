"""The legs of each lane: sea route between its ports (one per distinct pair) and the land legs at both ends."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from evsupply.analysis.markets import market_points
from evsupply.analysis.shipping.routes import RouteCache, land_km, sea_routes, straight_lines
from evsupply.core.tables import Tables


def with_legs(
    lanes: pd.DataFrame, tables: Tables, speed: float, cache: RouteCache | None = None, day: object = None
) -> pd.DataFrame:
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
    routes = sea_routes(
        ((port_ids[c // len(port_ids)], port_ids[c % len(port_ids)]) for c in distinct), ports, speed, cache
    )
    take = pd.Index(distinct).get_indexer(pair_code)  # -1 for lanes by land
    has = take >= 0
    for col in ("sea_distance_km", "sea_distance_nm", "sea_transit_days"):
        out[col] = np.where(has, routes[col].to_numpy(dtype=float)[np.maximum(take, 0)] if len(routes) else 0.0, 0.0)
    passages = routes["passages"].to_numpy(dtype=object) if len(routes) else np.array([""], dtype=object)
    out["passages"] = pd.array(np.where(has, passages[np.maximum(take, 0)], ""), dtype="string")
    out["speed_knots"] = speed
    route_geoms = gpd.GeoSeries(routes["geometry"] if len(routes) else [], crs="EPSG:4326").values

    # Land leg at the origin: plant → export port (domestic lanes: plant → market, all by land).
    mkt = market_points(tables, out["market_id"].unique().tolist(), day).set_index("market_id")
    p0 = plant_xy.reindex(out["plant_id"]).to_numpy()
    first = np.where(
        sea[:, None], xy.reindex(out["export_port_id"].fillna("")).to_numpy(), mkt.reindex(out["market_id"]).to_numpy()
    )
    out["land_origin_km"] = _pairwise_land(
        out["plant_id"], np.where(sea, out["export_port_id"], out["market_id"]), p0, first
    )
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
