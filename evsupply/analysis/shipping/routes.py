"""Sea routes between ports (searoute, offline) and land legs (geodesic × a road factor), cached per port pair."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from evsupply.core.cache import Store, open_store
from evsupply.core.lazy import lazy_module
from evsupply.core.parameters import check_choice, check_number
from evsupply.errors import DataError, ParameterError, Problem

KM_PER_NM = 1.852
MAX_SPEED_KNOTS = 100.0  # no ship carries cars at this speed: a typo, not a scenario
# Passages searoute may avoid. `restrictions=` *replaces* searoute's default list (["northwest"]), and
# searoute stores it on its shared network object, so every call passes this tuple explicitly: the
# Northwest Passage is not a commercial route for car carriers.
RESTRICTIONS: tuple[str, ...] = ("northwest",)
# Road distance ≈ ROAD_CIRCUITY_FACTOR × geodesic distance. An explicit modelling assumption (basis
# `assumed`), not a sourced number: road networks are typically 1.2–1.4 times longer than the straight
# line between two points; 1.3 is a round middle value. Land legs only enter distances, never emissions.
ROAD_CIRCUITY_FACTOR = 1.3
# Bump when the cached record's content or the way it is computed changes.
CACHE_FORMAT = 2  # 2: entries signed with the cache's key
_COORD_DIGITS = 5  # about 1 m: two ports closer than that share a cache entry
_GEOD = Geod(ellps="WGS84")
searoute = lazy_module("searoute")  # loads its maritime network on import; only route computations need it


@dataclass(frozen=True)
class SeaRoute:
    """A maritime route between two ports; `geometry` has longitudes in [-180, 180], split at the antimeridian."""

    origin_port_id: str
    dest_port_id: str
    distance_km: float
    distance_nm: float
    passages: tuple[str, ...]
    speed_knots: float
    transit_days: float
    geometry: MultiLineString


@dataclass
class RouteCache:
    """Routes by coordinates: in memory, and on disk under `folder` (default: `cache_dir()/routes`).

    The disk is used only when it is a private cache (`evsupply.core.cache.open_store`): an entry is trusted when it
    carries this cache's keyed digest and is a plausible route between the two points; otherwise it is computed
    again (and rewritten if the disk allows). A folder that cannot be used costs speed, never a crash.
    """

    folder: Path | None = None
    computed: int = 0  # routes searoute actually computed (cache misses)
    disk_hits: int = 0
    _memory: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def store(self) -> Store | None:
        """The private on-disk store of cached routes, or None when there is no usable one."""
        return open_store(self.folder, "" if self.folder is not None else "routes")

    def clear_memory(self) -> None:
        """Forget the routes held in memory (the files on disk stay)."""
        self._memory.clear()

    def get(self, origin: tuple[float, float], dest: tuple[float, float]) -> dict[str, Any]:
        """The route record between two (lon, lat) points: from memory, disk, or computed once."""
        key = route_key(origin, dest)
        record = self._memory.get(key)
        if record is not None:
            return record
        store = self.store()
        record = _read_record(store, key, origin, dest) if store is not None else None
        if record is not None:
            self.disk_hits += 1
        else:
            record = compute_route(origin, dest)
            self.computed += 1
            if store is not None:
                store.write(f"{key}.json", json.dumps(_signed(store, key, record)))
        self._memory[key] = record
        return record


def _signed(store: Store, key: str, record: dict[str, Any]) -> dict[str, Any]:
    return {"record": record, "digest": store.sign("route", key, _canonical(record))}


def _canonical(record: Mapping[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"))


def _read_record(
    store: Store, key: str, origin: tuple[float, float], dest: tuple[float, float]
) -> dict[str, Any] | None:
    """The cached record of `key` if it is signed by this cache and plausible, else None."""
    raw = store.read(f"{key}.json")
    if raw is None:
        return None
    try:
        entry = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if not isinstance(entry, dict) or not isinstance(entry.get("record"), dict):
        return None
    record = entry["record"]
    if not store.verify(entry.get("digest"), "route", key, _canonical(record)):
        return None
    return record if route_problem(record, origin, dest) is None else None


# A cached route is implausible when its ends lie farther than this from the ports, or when its length disagrees
# with its own line or undercuts the great-circle distance between the ports by more than this share.
_END_TOLERANCE_KM = 5.0
_LENGTH_TOLERANCE = 0.01
_MAX_ROUTE_KM = 60_000.0  # one and a half times round the equator: no port-to-port voyage is longer


def route_problem(record: object, origin: tuple[float, float], dest: tuple[float, float]) -> str | None:
    """Why `record` is not a plausible route record between two (lon, lat) points, or None when it is."""
    if not isinstance(record, dict) or set(record) != {"coordinates", "distance_km", "passages"}:
        return "not a route record (keys coordinates, distance_km, passages)"
    km, coords, passages = record["distance_km"], record["coordinates"], record["passages"]
    if isinstance(km, bool) or not isinstance(km, int | float) or not 0 < km <= _MAX_ROUTE_KM:
        return f"distance_km {km!r} is not a positive distance up to {_MAX_ROUTE_KM:g} km"
    if not isinstance(passages, list) or not all(isinstance(p, str) for p in passages):
        return "passages is not a list of names"
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(
            isinstance(c, list | tuple)
            and len(c) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in c)
            and abs(c[1]) <= 90
            and abs(c[0]) <= 720
            for c in coords
        )
    ):
        return "coordinates is not a line of (lon, lat) points"
    for end, port in ((coords[0], origin), (coords[-1], dest)):
        if _geodesic_km(end, port) > _END_TOLERANCE_KM:
            return f"the line ends at {tuple(end)}, not at the port {port}"
    if abs(geodesic_length_km(coords) - km) > _LENGTH_TOLERANCE * km:
        return f"distance_km {km:g} is not the length of its line"
    direct = _geodesic_km(origin, dest)
    if km < direct * (1 - _LENGTH_TOLERANCE):
        return f"distance_km {km:g} is shorter than the great-circle distance {direct:g} km"
    return None


DEFAULT_CACHE = RouteCache()


def searoute_version() -> str:
    """The installed searoute version (part of every cache key: a new network may change routes)."""
    return package_version("searoute")


def route_key(origin: tuple[float, float], dest: tuple[float, float]) -> str:
    """Cache key of a route: rounded coordinates, searoute version, restrictions and cache format."""
    parts = [round(float(v), _COORD_DIGITS) for v in (*origin, *dest)]
    text = json.dumps([parts, searoute_version(), sorted(RESTRICTIONS), CACHE_FORMAT])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def compute_route(origin: tuple[float, float], dest: tuple[float, float]) -> dict[str, Any]:
    """Run searoute between two (lon, lat) points; return unwrapped coordinates, length and passages."""
    feature = searoute.searoute(
        list(origin),
        list(dest),
        units="km",
        restrictions=list(RESTRICTIONS),
        return_passages=True,
    )
    coords = [tuple(map(float, c)) for c in feature.geometry.coordinates]
    if len(coords) < 2 or not math.isfinite(float(feature.properties["length"])):
        raise DataError(
            [
                Problem(
                    "searoute",
                    "no sea route",
                    f"no route between {origin} and {dest} avoiding {', '.join(RESTRICTIONS)}",
                )
            ]
        )
    coords = _with_endpoints(coords, origin, dest)
    return {
        "coordinates": coords,
        "distance_km": geodesic_length_km(coords),
        "passages": sorted(set(feature.properties.get("traversed_passages") or [])),
    }


def _with_endpoints(
    coords: list[tuple[float, float]], origin: tuple[float, float], dest: tuple[float, float]
) -> list[tuple[float, float]]:
    """Start and end the line at the ports themselves (searoute starts at the nearest network node)."""

    def near(lon: float, ref: float) -> float:
        return lon + 360.0 * round((ref - lon) / 360.0)  # keep the line continuous (unwrapped)

    start = (near(origin[0], coords[0][0]), origin[1])
    end = (near(dest[0], coords[-1][0]), dest[1])
    out = list(coords)
    if out[0] != start:
        out.insert(0, start)
    if out[-1] != end:
        out.append(end)
    return out


def geodesic_length_km(coords: Sequence[tuple[float, float]]) -> float:
    """Length of a (possibly unwrapped) lon/lat line on the WGS 84 ellipsoid, in km."""
    lons, lats = zip(*coords, strict=True)
    return float(_GEOD.line_length(lons, lats)) / 1000.0


def _geodesic_km(a: Sequence[float], b: Sequence[float]) -> float:
    return float(_GEOD.inv(float(a[0]), float(a[1]), float(b[0]), float(b[1]))[2]) / 1000.0


def normalize_lon(lon: float | np.ndarray) -> Any:
    """Longitude(s) wrapped into [-180, 180)."""
    return (np.asarray(lon, dtype=float) + 180.0) % 360.0 - 180.0


def split_antimeridian(coords: Sequence[tuple[float, float]]) -> MultiLineString:
    """A continuous (unwrapped) lon/lat line as a MultiLineString in [-180, 180], cut where it crosses ±180."""
    parts: list[list[tuple[float, float]]] = []
    window = None
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(coords):
        if (lon0, lat0) == (lon1, lat1):
            continue
        # Cut the segment at every antimeridian (180 + 360k) strictly inside it.
        lo, hi = sorted((lon0, lon1))
        cuts = [180.0 + 360.0 * k for k in range(math.ceil((lo - 180.0) / 360.0), math.floor((hi - 180.0) / 360.0) + 1)]
        cuts = [c for c in cuts if lo < c < hi]
        cuts.sort(reverse=lon1 < lon0)
        points = [(lon0, lat0), *((c, lat0 + (c - lon0) / (lon1 - lon0) * (lat1 - lat0)) for c in cuts), (lon1, lat1)]
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            k = math.floor(((x0 + x1) / 2.0 + 180.0) / 360.0)  # which copy of the world the piece lies in
            shift = 360.0 * k
            if k != window:
                parts.append([(x0 - shift, y0)])
                window = k
            parts[-1].append((x1 - shift, y1))
    return MultiLineString([LineString(p) for p in parts if len(p) >= 2])


def port_points(ports: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """(lon, lat) of every port, by port_id."""
    return dict(
        zip(
            ports["port_id"].astype(str),
            zip(ports["longitude"].astype(float), ports["latitude"].astype(float), strict=True),
            strict=True,
        )
    )


def sea_route(
    origin_port_id: str,
    dest_port_id: str,
    ports: pd.DataFrame,
    speed_knots: float | None = None,
    cache: RouteCache | None = None,
) -> SeaRoute:
    """The sea route between two ports of `ports` (e.g. `tables.ports`) at `speed_knots` (e.g.
    `default_speed(tables)[0]`); nothing is loaded behind the caller's back."""
    if not isinstance(ports, pd.DataFrame):
        raise ParameterError("ports", f"{type(ports).__name__} is not a ports table (pass `evsupply.load().ports`)")
    if speed_knots is None:
        raise ParameterError("speed_knots", "required (e.g. 15.0, or `default_speed(tables)[0]`)")
    points = port_points(ports)
    check_choice("origin_port_id", origin_port_id, points)
    check_choice("dest_port_id", dest_port_id, points)
    speed = float(check_number("speed_knots", speed_knots, minimum=0.1, maximum=MAX_SPEED_KNOTS))
    record = (cache or DEFAULT_CACHE).get(points[origin_port_id], points[dest_port_id])
    return _as_route(origin_port_id, dest_port_id, record, speed)


def _as_route(origin: str, dest: str, record: Mapping[str, Any], speed_knots: float) -> SeaRoute:
    km = float(record["distance_km"])
    nm = km / KM_PER_NM
    return SeaRoute(
        origin_port_id=origin,
        dest_port_id=dest,
        distance_km=km,
        distance_nm=nm,
        passages=tuple(record["passages"]),
        speed_knots=speed_knots,
        transit_days=nm / speed_knots / 24.0,
        geometry=split_antimeridian(record["coordinates"]),
    )


def sea_routes(
    pairs: Iterable[tuple[str, str]], ports: pd.DataFrame, speed_knots: float, cache: RouteCache | None = None
) -> pd.DataFrame:
    """One row per distinct (origin_port_id, dest_port_id) pair: distances, passages, transit days, geometry."""
    points = port_points(ports)
    rows = []
    for origin, dest in dict.fromkeys(pairs):  # distinct, in first-seen order
        route = _as_route(origin, dest, (cache or DEFAULT_CACHE).get(points[origin], points[dest]), speed_knots)
        rows.append(
            {
                "origin_port_id": origin,
                "dest_port_id": dest,
                "sea_distance_km": route.distance_km,
                "sea_distance_nm": route.distance_nm,
                "passages": ";".join(route.passages),
                "speed_knots": speed_knots,
                "sea_transit_days": route.transit_days,
                "geometry": route.geometry,
            }
        )
    columns = [
        "origin_port_id",
        "dest_port_id",
        "sea_distance_km",
        "sea_distance_nm",
        "passages",
        "speed_knots",
        "sea_transit_days",
        "geometry",
    ]
    return pd.DataFrame(rows, columns=columns)


def land_km(lon0: Any, lat0: Any, lon1: Any, lat1: Any) -> np.ndarray:
    """Estimated road distance(s) in km: geodesic distance (WGS 84) × ROAD_CIRCUITY_FACTOR (an assumption)."""
    arrays = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float)) for v in (lon0, lat0, lon1, lat1)))
    _, _, metres = _GEOD.inv(*(np.ascontiguousarray(a) for a in arrays))
    return np.asarray(metres, dtype=float) / 1000.0 * ROAD_CIRCUITY_FACTOR


def straight_lines(lon0: Any, lat0: Any, lon1: Any, lat1: Any) -> np.ndarray:
    """Two-point lines (vectorised) for the land legs; land legs never cross the antimeridian here."""
    coords = np.stack([np.column_stack([lon0, lat0]), np.column_stack([lon1, lat1])], axis=1).astype(float)
    return shapely.linestrings(coords)


def default_speed(tables: Mapping[str, pd.DataFrame]) -> tuple[float, str]:
    """The default row of the `vessel_speeds` table: (speed_knots, speed_id)."""
    speeds = tables["vessel_speeds"]
    rows = speeds[speeds["is_default"]]
    if len(rows) != 1:
        raise DataError(
            [
                Problem(
                    "vessel_speeds.csv",
                    "one default",
                    f"expected exactly one row with is_default true, found {len(rows)}",
                    column="is_default",
                )
            ]
        )
    return float(rows["speed_knots"].iloc[0]), str(rows["speed_id"].iloc[0])
