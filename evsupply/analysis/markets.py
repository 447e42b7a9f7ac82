"""Markets: countries and customs unions, their members on a day, and the point each market stands for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cache

import numpy as np
import pandas as pd
import shapely

from evsupply.core import claims
from evsupply.core.tables import Tables
from evsupply.data import geo
from evsupply.errors import DataError, Problem


def members(tables: Tables, market_id: str, day: dt.date | str | None = None) -> set[str]:
    """The countries of a market on `day` (default: today): itself for a country, the members for a union."""
    markets = tables["markets"].set_index("market_id")
    if market_id in markets.index and markets.loc[market_id, "market_type"] == "customs_union":
        rows = tables["market_members"]
        rows = claims.holds_on(rows[rows["market_id"] == market_id], day or dt.date.today())
        return set(rows["country_code"].astype(str))
    return {market_id}


def is_domestic(tables: Tables, country_code: str, market_id: str, day: dt.date | str | None = None) -> bool:
    """True when a car built in `country_code` is inside `market_id` (its country, or a member of its union)."""
    return country_code in members(tables, market_id, day)


@cache
def _country_points() -> pd.DataFrame:
    shapes = geo.countries()
    # The centroid of the country's largest polygon (its mainland), so that e.g. the USA is not pulled to Alaska.
    largest = [max(shapely.get_parts(g), key=lambda p: p.area) for g in shapes.geometry]
    centroids = shapely.centroid(np.array(largest, dtype=object))
    return pd.DataFrame(
        {"longitude": shapely.get_x(centroids), "latitude": shapely.get_y(centroids)}, index=shapes.index
    )


def market_points(tables: Tables, market_ids: Sequence[str], day: dt.date | str | None = None) -> pd.DataFrame:
    """The point each market stands for (lon, lat): its country's mainland centroid; for a customs union, the
    centroid of its members' mainland centroids (Natural Earth 1:110m)."""
    points = _country_points()
    rows = []
    for market_id in market_ids:
        # Members too small for the 1:110m map (Malta) are left out of a union's point.
        countries = sorted(c for c in members(tables, market_id, day) if c in points.index)
        if not countries:
            raise DataError(
                [
                    Problem(
                        "markets.csv",
                        "unknown country",
                        f"no country shape for market '{market_id}'",
                        column="market_id",
                        value=market_id,
                    )
                ]
            )
        lon, lat = points.loc[countries].mean() if len(countries) > 1 else points.loc[countries[0]]
        rows.append({"market_id": market_id, "longitude": float(lon), "latitude": float(lat)})
    return pd.DataFrame(rows, columns=["market_id", "longitude", "latitude"])
