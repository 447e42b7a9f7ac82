"""Which official statistic frames a count: the one matching rule (validation's bound and the analyses use it).

A count of `observations` is **framed** by a row of `trade_statistics` when all of these hold:

- **flow**: the count is of `exports`, and the statistic is an `export` of the count's origin country (the plant's
  country) as reporter. Production, sales and registrations are not trade flows and have no frame; import
  statistics of the market (mirror flows) are shown beside the counts but never bound them (shipping time and
  valuation make a mirror month a different number).
- **partner**: the statistic's partner contains the count's market: the market itself, `EU27` for the EU's customs
  union (`EUU`) or one of its members on the count's last day, or `WLD` (every partner). A count without a market
  is framed only by a `WLD` statistic.
- **period**: the statistic's period contains the count's (a year frames its months; a year to date frames the
  months it covers).
- **scope**: the statistic's `powertrain_scope` includes every powertrain the count may hold (a count of
  battery-electric cars: any scope with BEV; a count of all vehicles: only `all_powertrains`); a used-car series
  frames nothing, and a series of `unknown` scope frames nothing.
- **units**: the statistic gives `vehicles_count` (a value cannot bound a number of cars).
- **vintage**: of the points of one series and period, only the latest claim (`latest_points`).

Frames are ranked tightest first: exact partner before a union before the world, then the shortest period, then
the narrowest scope. A count must not exceed any frame whose number is `reported` (an estimated or derived frame
is shown, never enforced); a count that is an upper bound ("at most") cannot break a frame.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from evsupply.core import claims
from evsupply.data.metadata.fields import TRADE_SCOPE_POWERTRAINS

WORLD = "WLD"
EU_REPORTER = "EU27"
EU_MARKET = "EUU"
SERIES_POINT = ("series_id", "period_start", "period_end")
# The powertrains a count of observations may hold, by its vehicle_scope.
COUNT_POWERTRAINS: dict[str, frozenset[str]] = {
    "electric_vehicles": frozenset({"BEV"}),
    "all_vehicles": TRADE_SCOPE_POWERTRAINS["all_powertrains"],
}
PARTNER_RANK = {"exact": 0, "union": 1, "world": 2}
FRAMED_QUANTITIES = ("exports",)


def latest_points(stats: pd.DataFrame) -> pd.DataFrame:
    """Of the rows of each series and period, the one claim shown by default: the latest release (an undated release
    comes after every dated one), then the preferred row, then the row further down (evsupply.core.claims)."""
    return claims.latest(stats, list(SERIES_POINT), date_col="release_date")


def eu_members(market_members: pd.DataFrame, day: object) -> set[str]:
    """The EU's member countries on `day`, from `market_members`."""
    rows = market_members[market_members["market_id"] == EU_MARKET]
    return set(claims.holds_on(rows, day)["country_code"].astype(str))


def partners_of(market_id: object, members: set[str]) -> dict[str, str]:
    """The partner codes whose statistic contains a market, each with how (`exact`, `union`, `world`)."""
    if market_id is None or pd.isna(market_id) or market_id == "":
        return {WORLD: "world"}
    market = str(market_id)
    found = {EU_REPORTER if market == EU_MARKET else market: "exact"}
    if market in members:
        found[EU_REPORTER] = "union"
    found[WORLD] = "world"
    return found


def frames_of(count: Mapping[str, object], stats: pd.DataFrame, members: set[str]) -> pd.DataFrame:
    """The latest rows of `stats` that frame one count (a row of observations), tightest first, with the columns
    `partner_match` (exact, union, world) and `period_days`."""
    if count.get("quantity") not in FRAMED_QUANTITIES:
        return stats.iloc[0:0].assign(partner_match=pd.Series(dtype=str), period_days=pd.Series(dtype=int))
    held = COUNT_POWERTRAINS.get(str(count.get("vehicle_scope")), TRADE_SCOPE_POWERTRAINS["all_powertrains"])
    partners = partners_of(count.get("market_id"), members)
    pool = latest_points(stats)
    covers = pool["powertrain_scope"].map(lambda s: held <= TRADE_SCOPE_POWERTRAINS.get(str(s), frozenset()))
    fit = pool[
        (pool["flow"] == "export")
        & (pool["reporter_code"] == count.get("origin_country_code"))
        & pool["partner_code"].isin(list(partners))
        & (pool["period_start"] <= count.get("period_start"))
        & (pool["period_end"] >= count.get("period_end"))
        & covers.astype(bool)
        & (pool["vehicle_condition"] != "used")
        & pool["vehicles_count"].notna()
    ]
    ranked = fit.assign(
        partner_match=fit["partner_code"].map(partners),
        period_days=(fit["period_end"] - fit["period_start"]).dt.days,
        _scope=fit["powertrain_scope"].map(lambda s: len(TRADE_SCOPE_POWERTRAINS[str(s)])),
    )
    ranked = ranked.assign(_rank=ranked["partner_match"].map(PARTNER_RANK))
    return ranked.sort_values(["_rank", "period_days", "_scope"], kind="stable").drop(columns=["_rank", "_scope"])


def broken_frames(count: Mapping[str, object], stats: pd.DataFrame, members: set[str]) -> pd.DataFrame:
    """The reported frames of a count that the count exceeds (none for an upper-bound count)."""
    frames = frames_of(count, stats, members)
    if count.get("bound") == "upper_bound" or frames.empty:
        return frames.iloc[0:0]
    enforced = frames[frames["quantity_basis"] == "reported"]
    return enforced[enforced["vehicles_count"] < count.get("vehicles_count")]
