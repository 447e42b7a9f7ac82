"""Official trade statistics beside the counts: scopes that cannot be mixed, the frame of a count, relocation.

Series of `trade_statistics` differ in what they measure. Two series are comparable (may be compared, summed or
drawn on one axis) only when they agree on every key of `SCOPE_KEYS` and measure the same thing (units, or value
in one currency); otherwise `require_comparable` raises a `ParameterError` naming both series and what differs.
A year-to-date point is never summed with months, and two year-to-date points are differenced only when they come
from one release read on one day (a later release may have revised the earlier months).

Which statistic frames a count is decided once, in evsupply.data.trade_frames (validation uses the same rule).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from evsupply.core.tables import Tables
from evsupply.data import trade_frames
from evsupply.data.metadata.labels import code_words
from evsupply.data.trade_frames import latest_points
from evsupply.errors import ParameterError

__all__ = [
    "SCOPE_KEYS",
    "Frame",
    "case_frames",
    "compare",
    "count_frame",
    "difference_ytd",
    "latest_points",
    "measure_of",
    "on_one_axis",
    "relocation_against_imports",
    "require_comparable",
    "share_of_partner",
    "total",
]

# What two series must share to be compared, summed or drawn together.
SCOPE_KEYS = ("powertrain_scope", "valuation", "partner_basis", "frequency")
NO_FRAME = "no official frame found"
OFFICIAL_KINDS = ("customs", "ministry", "statistics_office", "intergovernmental")
RELOCATION_COLUMNS = [
    "market_id",
    "year",
    "side",
    "what",
    "value",
    "measure",
    "period_start",
    "period_end",
    "is_cumulative",
    "scope",
    "evidence",
    "source_id",
]


def _stats(tables: Tables) -> pd.DataFrame:
    return tables["trade_statistics"]


def _value(row: pd.Series) -> float:
    """A point's number, whichever it measures (see `measure_of`)."""
    for column in ("vehicles_count", "trade_value_amount", "share_pct"):
        if pd.notna(row.get(column)):
            return float(row[column])
    return float("nan")


def measure_of(row: pd.Series) -> str:
    """What a point measures: 'vehicles', a currency code (a value) or 'share_pct'."""
    if pd.notna(row.get("vehicles_count")):
        return "vehicles"
    if pd.notna(row.get("trade_value_amount")):
        return str(row["currency_code"])
    return "share_pct"


def _one(rows: pd.DataFrame, name: str) -> pd.Series:
    if rows.empty:
        raise ParameterError(name, "no such row of trade_statistics")
    return rows.iloc[0]


def _series_row(stats: pd.DataFrame, series_id: str) -> pd.Series:
    rows = stats[stats["series_id"] == series_id]
    if rows.empty:
        raise ParameterError(
            "series_id", f"no series '{series_id}' in trade_statistics", sorted(set(stats["series_id"]))
        )
    return rows.iloc[0]


def require_comparable(a: pd.Series, b: pd.Series, action: str = "compare", keys: Sequence[str] = SCOPE_KEYS) -> None:
    """Raise a ParameterError naming both series when `a` and `b` (rows of trade_statistics) may not be
    compared, summed or drawn on one axis: a different scope key, an unknown scope, or a different measure."""
    left, right = a["series_id"], b["series_id"]
    for key in keys:
        va, vb = a.get(key), b.get(key)
        if key == "valuation" and (pd.isna(va) or pd.isna(vb)):
            continue  # a count of cars has no valuation; the measure check below separates it from a value
        if va != vb:
            raise ParameterError(
                "series",
                f"cannot {action} '{left}' ({key} {va}) with '{right}' ({key} {vb}): series of different {key} "
                "measure different things",
            )
    if a["powertrain_scope"] == "unknown":
        raise ParameterError(
            "series", f"cannot {action} '{left}' with '{right}': their powertrain scope is unknown (not stated)"
        )
    if measure_of(a) != measure_of(b):
        raise ParameterError(
            "series",
            f"cannot {action} '{left}' ({measure_of(a)}) with '{right}' ({measure_of(b)}): different measures",
        )


def compare(tables: Tables, series_a: str, series_b: str) -> pd.DataFrame:
    """The latest points of two comparable series side by side, by period (`period_start`, `period_end`, `a`,
    `b`, `a_stat_id`, `b_stat_id`); a ParameterError if they may not be compared."""
    stats = latest_points(_stats(tables))
    # A series' points may be months, years and years to date: the scope is checked on the series, the frequency
    # (and the rest again) on each pair of points of one period.
    whole = [k for k in SCOPE_KEYS if k != "frequency"]
    require_comparable(_series_row(stats, series_a), _series_row(stats, series_b), keys=whole)
    rows_a, rows_b = (stats[stats["series_id"] == s] for s in (series_a, series_b))
    pairs = rows_a.reset_index(drop=True).merge(
        rows_b.reset_index(drop=True), on=["period_start", "period_end"], suffixes=("_a", "_b"), validate="1:1"
    )
    out = []
    for _, pair in pairs.iterrows():
        a = pd.Series({c[:-2]: pair[c] for c in pair.index if c.endswith("_a")})
        b = pd.Series({c[:-2]: pair[c] for c in pair.index if c.endswith("_b")})
        require_comparable(a, b)
        out.append((pair["period_start"], pair["period_end"], _value(a), _value(b), a["stat_id"], b["stat_id"]))
    return pd.DataFrame(out, columns=["period_start", "period_end", "a", "b", "a_stat_id", "b_stat_id"])


def on_one_axis(tables: Tables, series_ids: Sequence[str], frequency: str = "month") -> pd.DataFrame:
    """The latest points of one `frequency` (not years to date) of series to draw on one axis (`series_id`,
    `period_start`, `period_end`, `value`, `stat_id`); a ParameterError when any two may not be drawn together."""
    stats = latest_points(_stats(tables))
    whole = [k for k in SCOPE_KEYS if k != "frequency"]
    heads = [_series_row(stats, s) for s in series_ids]
    for other in heads[1:]:
        require_comparable(heads[0], other, action="plot", keys=whole)
    picked = stats[
        stats["series_id"].isin(list(series_ids)) & (stats["frequency"] == frequency) & ~stats["is_cumulative"]
    ]
    firsts = picked.drop_duplicates("series_id")
    for _, other in firsts.iloc[1:].iterrows():
        require_comparable(firsts.iloc[0], other, action="plot")
    out = picked.assign(value=picked.apply(_value, axis=1))[
        ["series_id", "period_start", "period_end", "value", "stat_id"]
    ]
    return out.sort_values(["series_id", "period_start"], kind="stable").reset_index(drop=True)


def total(tables: Tables, stat_ids: Iterable[str]) -> float:
    """The sum of points (rows of trade_statistics by stat_id) of comparable series over periods that do not
    overlap; a year-to-date point is never summed with another point."""
    stats = _stats(tables)
    rows = [_one(stats[stats["stat_id"] == s], "stat_ids") for s in stat_ids]
    if not rows:
        raise ParameterError("stat_ids", "nothing to sum")
    for row in rows:
        if bool(row["is_cumulative"]) and len(rows) > 1:
            raise ParameterError(
                "stat_ids",
                f"'{row['stat_id']}' is a year-to-date figure: it already contains the months before it and is "
                "never summed with other points (difference two year-to-date figures of one release instead)",
            )
    for other in rows[1:]:
        require_comparable(rows[0], other, action="sum")
    ordered = sorted(rows, key=lambda r: r["period_start"])
    for before, after in pairwise(ordered):
        if after["period_start"] <= before["period_end"]:
            raise ParameterError(
                "stat_ids", f"'{before['stat_id']}' and '{after['stat_id']}' overlap in time: their sum counts twice"
            )
    measure = measure_of(rows[0])
    column = {"vehicles": "vehicles_count", "share_pct": "share_pct"}.get(measure, "trade_value_amount")
    if measure == "share_pct":
        raise ParameterError("stat_ids", "shares are not summed over periods")
    return float(sum(r[column] for r in rows))


@dataclass(frozen=True)
class Difference:
    """A month (or months) derived by differencing two year-to-date points of one release."""

    value: float
    period_start: pd.Timestamp
    period_end: pd.Timestamp
    formula: str
    stat_ids: tuple[str, str]


def difference_ytd(tables: Tables, later_id: str, earlier_id: str) -> Difference:
    """The months between two year-to-date points of one series (`later` minus `earlier`); both must come from
    one release read on one day, else a ParameterError (a later release may revise the earlier months)."""
    stats = _stats(tables)
    later = _one(stats[stats["stat_id"] == later_id], "later_id")
    earlier = _one(stats[stats["stat_id"] == earlier_id], "earlier_id")
    for row in (later, earlier):
        if not bool(row["is_cumulative"]):
            raise ParameterError("stat_ids", f"'{row['stat_id']}' is not a year-to-date figure")
    if later["series_id"] != earlier["series_id"]:
        require_comparable(later, earlier, action="difference")
        raise ParameterError("stat_ids", f"'{later_id}' and '{earlier_id}' are points of different series")
    for key in ("release_date", "vintage_date"):
        same = (pd.isna(later[key]) and pd.isna(earlier[key])) or later[key] == earlier[key]
        if not same or pd.isna(later[key]):
            raise ParameterError(
                "stat_ids",
                f"'{later_id}' and '{earlier_id}' are not of one vintage ({key} {later[key]} and {earlier[key]}): "
                "year-to-date figures are differenced only within one release",
            )
    if not (later["period_start"] == earlier["period_start"] and later["period_end"] > earlier["period_end"]):
        raise ParameterError(
            "stat_ids", f"'{later_id}' must run from the same start to a later end than '{earlier_id}'"
        )
    column = "vehicles_count" if measure_of(later) == "vehicles" else "trade_value_amount"
    value = float(later[column] - earlier[column])
    return Difference(
        value,
        earlier["period_end"] + pd.Timedelta(days=1),
        later["period_end"],
        f"{later[column]:,.0f} ({later_id}) - {earlier[column]:,.0f} ({earlier_id})",
        (later_id, earlier_id),
    )


def share_of_partner(
    tables: Tables, reporter: str, partner: str, scope: str, year: int, flow: str = "import"
) -> pd.DataFrame:
    """The partner's share (percent) of the reporter's flow of one scope in a year, from each publisher: as the
    publisher gives it (`share_pct`), else as the partner's value over the world's in one series family; columns
    `series_id`, `share_pct`, `evidence` (reported or derived), `stat_ids`, `source_id`."""
    stats = latest_points(_stats(tables))
    year_rows = stats[
        (stats["reporter_code"] == reporter)
        & (stats["flow"] == flow)
        & (stats["powertrain_scope"] == scope)
        & (stats["period_start"] == pd.Timestamp(year, 1, 1))
        & (stats["period_end"] == pd.Timestamp(year, 12, 31))
    ]
    given = year_rows[(year_rows["partner_code"] == partner) & year_rows["share_pct"].notna()]
    out = [
        {
            "series_id": r.series_id,
            "share_pct": float(r.share_pct),
            "evidence": "reported",
            "stat_ids": (r.stat_id,),
            "source_id": r.source_id,
        }
        for r in given.itertuples()
    ]
    part = year_rows[(year_rows["partner_code"] == partner) & year_rows["trade_value_amount"].notna()]
    whole = year_rows[(year_rows["partner_code"] == trade_frames.WORLD) & year_rows["trade_value_amount"].notna()]
    for p in part.itertuples():
        for w in whole.itertuples():
            if p.publisher_name == w.publisher_name and p.currency_code == w.currency_code:
                out.append(
                    {
                        "series_id": p.series_id,
                        "share_pct": round(100 * p.trade_value_amount / w.trade_value_amount, 1),
                        "evidence": "derived",
                        "stat_ids": (p.stat_id, w.stat_id),
                        "source_id": p.source_id,
                    }
                )
    return pd.DataFrame(out, columns=["series_id", "share_pct", "evidence", "stat_ids", "source_id"])


# --- frames of counts ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """A count and the tightest statistic that frames it (or none): the share the count makes of it."""

    observation_id: str
    count: int
    frame_stat_id: str | None
    frame_count: int | None
    share_pct: float | None
    partner_match: str | None
    frame_scope: str | None
    frame_publisher_kind: str | None
    frame_source_id: str | None
    count_source_id: str | None
    reason: str  # "framed", or why not: NO_FRAME

    @property
    def is_framed(self) -> bool:
        return self.frame_stat_id is not None


def count_frame(tables: Tables, observation_id: str) -> Frame:
    """The tightest official frame of one count of `observations` and the share the count makes of it."""
    obs = tables["observations"]
    rows = obs[obs["observation_id"] == observation_id]
    if rows.empty:
        raise ParameterError("observation_id", f"no observation '{observation_id}'")
    count = rows.iloc[0]
    members = trade_frames.eu_members(tables["market_members"], count["period_end"])
    frames = trade_frames.frames_of(count, _stats(tables), members)
    if frames.empty:
        none = dict.fromkeys(("frame_stat_id", "frame_count", "share_pct", "partner_match", "frame_scope"))
        none.update(frame_publisher_kind=None, frame_source_id=None)
        return Frame(
            observation_id, int(count["vehicles_count"]), **none, count_source_id=count["source_id"], reason=NO_FRAME
        )
    best = frames.iloc[0]
    share = (
        round(100 * int(count["vehicles_count"]) / int(best["vehicles_count"]), 2) if best["vehicles_count"] else None
    )
    return Frame(
        observation_id,
        int(count["vehicles_count"]),
        best["stat_id"],
        int(best["vehicles_count"]),
        share,
        best["partner_match"],
        best["powertrain_scope"],
        best["publisher_kind"],
        best["source_id"],
        count["source_id"],
        "framed",
    )


def case_frames(tables: Tables, case_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """For each case (all by default), each export count of its brand at its plant and its official frame: the
    columns of `Frame`, with `case_id` and `plant_id`; a case without an export count has one row with `reason`
    "no count"."""
    cases = tables["cases"]
    if case_ids is not None:
        unknown = sorted(set(case_ids) - set(cases["case_id"]))
        if unknown:
            raise ParameterError("case_ids", f"no case {', '.join(unknown)}", sorted(cases["case_id"]))
        cases = cases[cases["case_id"].isin(list(case_ids))]
    obs = tables["observations"]
    out = []
    for case in cases.itertuples():
        counts = obs[
            (obs["plant_id"] == case.plant_id)
            & (obs["maker_id"] == case.brand_id)  # the case's cars, not everything the host plant builds
            & obs["quantity"].isin(trade_frames.FRAMED_QUANTITIES)
        ]
        if counts.empty:
            out.append({"case_id": case.case_id, "plant_id": case.plant_id, "reason": "no count"})
        for oid in counts["observation_id"]:
            out.append({"case_id": case.case_id, "plant_id": case.plant_id, **vars_of(count_frame(tables, oid))})
    return pd.DataFrame(out)


def vars_of(frame: Frame) -> dict[str, object]:
    """A Frame as a dict of its fields."""
    return dict(frame.__dict__)


# --- relocation against imports ------------------------------------------------------------------------------


def _years(start: pd.Timestamp, end: pd.Timestamp) -> int | None:
    """The calendar year a period lies in (None when it spans two years)."""
    return start.year if start.year == end.year else None


def relocation_against_imports(tables: Tables, origin: str = "CHN") -> pd.DataFrame:
    """For each market a case serves: its imports of cars from `origin` by year (official, both the market's own
    import statistics and `origin`'s exports to it), beside the counted output and exports of the case's brand at
    the plants serving it (counts of the host's other cars left out), year by year.

    One row per market, year and side: `market_id`, `year`, `side` ("imports from
    China" or "China-linked plants"), `what` (series or observation id), `value`, `measure`, `period_start`,
    `period_end`, `is_cumulative`, `scope`, `evidence` (publisher kind and confidence, or the count's basis and
    bound), `source_id`."""
    stats = latest_points(_stats(tables))
    served = _markets_served(tables)
    rows = []
    for market_id, plants in served.items():
        partners = {trade_frames.EU_REPORTER if market_id == trade_frames.EU_MARKET else market_id}
        imports = stats[
            ((stats["flow"] == "import") & stats["reporter_code"].isin(partners) & (stats["partner_code"] == origin))
            | ((stats["flow"] == "export") & (stats["reporter_code"] == origin) & stats["partner_code"].isin(partners))
        ]
        for _, r in imports.iterrows():
            rows.append(
                {
                    "market_id": market_id,
                    "year": _years(r["period_start"], r["period_end"]),
                    "side": f"imports from {origin}",
                    "what": r["series_id"],
                    "value": _value(r),
                    "measure": measure_of(r),
                    "period_start": r["period_start"],
                    "period_end": r["period_end"],
                    "is_cumulative": bool(r["is_cumulative"]),
                    "scope": r["powertrain_scope"],
                    "evidence": f"{code_words('publisher_kind', r['publisher_kind'])}, {r['confidence']} confidence",
                    "source_id": r["source_id"],
                }
            )
        obs = tables["observations"]
        plant_ids = [plant for plant, _ in plants]
        brand = obs["plant_id"].map(dict(plants))
        counted = obs[
            obs["plant_id"].isin(plant_ids)
            & obs["quantity"].isin(["production", "exports"])
            & (obs["maker_id"] == brand)  # the case's cars, not everything the host plant builds
            & ((obs["market_id"].isna() & (obs["quantity"] == "production")) | (obs["market_id"] == market_id))
        ]
        for c in counted.itertuples():
            rows.append(
                {
                    "market_id": market_id,
                    "year": _years(c.period_start, c.period_end),
                    "side": "China-linked plants",
                    "what": c.observation_id,
                    "value": c.vehicles_count,
                    "measure": f"vehicles ({c.quantity})",
                    "period_start": c.period_start,
                    "period_end": c.period_end,
                    "is_cumulative": False,
                    "scope": c.vehicle_scope,
                    "evidence": f"{code_words('basis', c.basis)}, {code_words('bound', c.bound)}",
                    "source_id": c.source_id,
                }
            )
    out = pd.DataFrame(rows, columns=RELOCATION_COLUMNS)
    return out.sort_values(["market_id", "period_start", "side"], kind="stable").reset_index(drop=True)


def _markets_served(tables: Tables) -> dict[str, list[tuple[str, str]]]:
    """Each market some case's plant serves (any production claim naming the market), with those plants and the
    case's brand; the plant's own country only when a claim names it."""
    cases = tables["cases"]
    brand = cases.set_index("plant_id")["brand_id"].groupby(level=0).first()
    production = tables["production"]
    claimed = production[production["plant_id"].isin(cases["plant_id"])][["plant_id", "market_id"]].drop_duplicates()
    served: dict[str, list[tuple[str, str]]] = {}
    for r in claimed.itertuples():
        served.setdefault(str(r.market_id), []).append((str(r.plant_id), str(brand[r.plant_id])))
    return served
