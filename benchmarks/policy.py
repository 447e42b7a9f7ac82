"""Benchmark a daily market-access timeline: once per change day (`analysis.trade.landed.access_timeline`) against the
per-day way (`market_access` for every day, plant and market), side by side in one run, on the real tables.

    python benchmarks/policy.py                   # ten years, 3 plants x 6 markets; the per-day way on a sample
    python benchmarks/policy.py --every 1         # the per-day way on every day too (about 20 min on 2 cores)
    python benchmarks/policy.py --smoke           # two months, one route pair: checks the benchmark works

The per-day way costs the same for every day (one `market_access` call per day and route), so by default it runs on
every `--every`-th day and its time for the whole range is that sample's time per day x the number of days (the
output says so). Both ways' answers are compared on the sampled days: they must be identical.
Target (issue #18): the change-day way >= 20x faster than the per-day way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

import pandas as pd

TARGET_SPEEDUP = 20.0
KEY_OUTPUT = r"(?m)^speed-up: +\d+(\.\d+)?x"  # the line tests/integration/test_benchmarks.py looks for in a --smoke run
MODEL = "polestar_4"
PLANTS = ["renault_korea_busan", "geely_hangzhou_bay", "volvo_ridgeville"]
MARKETS = ["KOR", "USA", "CAN", "CHN", "EUU", "BRA"]
COMPARED = ["model_year", "is_domestic", "total_duty_pct", "is_allowed", "measure_ids", "source_ids"]


def per_day(tables, plants: list[str], markets: list[str], days: list[dt.date]) -> pd.DataFrame:
    """The reference: `market_access` for every day, plant and market (what a daily timeline cost before)."""
    from evsupply.analysis.trade.policy import market_access

    rows = []
    for day in days:
        for plant in plants:
            for market in markets:
                a = market_access(tables, MODEL, plant, market, day)
                rows.append(
                    {
                        "plant_id": plant,
                        "market_id": market,
                        "on_date": pd.Timestamp(day),
                        "model_year": a.model_year,
                        "is_domestic": a.is_domestic,
                        "total_duty_pct": a.total_duty_pct,
                        "is_allowed": a.is_allowed,
                        "measure_ids": tuple(a.measures["measure_id"]),
                        "source_ids": a.source_ids,
                    }
                )
    return pd.DataFrame(rows)


def same(x: object, y: object) -> bool:
    """Equal answers: tuples equal, both missing, or equal values."""
    if isinstance(x, tuple) or isinstance(y, tuple):
        return x == y
    return bool((pd.isna(x) and pd.isna(y)) or x == y)


def differences(timeline: pd.DataFrame, reference: pd.DataFrame) -> int:
    """Cells of `reference` that the timeline does not give on the same day and route (0 when identical)."""
    keys = ["plant_id", "market_id", "on_date"]
    left = timeline.assign(on_date=timeline["on_date"].astype("datetime64[ns]"))
    right = reference.assign(on_date=reference["on_date"].astype("datetime64[ns]"))
    both = right.merge(left, on=keys, how="left", suffixes=("", "_timeline"), validate="1:1")
    return sum(not same(x, y) for col in COMPARED for x, y in zip(both[col], both[f"{col}_timeline"], strict=True))


def main(argv: list[str] | None = None) -> int:
    """Time both ways and print the speed-up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", default="2016-01-01")
    parser.add_argument("--end", default="2025-12-31")
    parser.add_argument("--every", type=int, default=61, help="run the per-day way on every N-th day (default 61)")
    parser.add_argument("--smoke", action="store_true", help="two months, one plant, two markets (a check)")
    args = parser.parse_args(argv)
    plants, markets = PLANTS, MARKETS
    if args.smoke:
        args.start, args.end, args.every, plants, markets = "2026-02-01", "2026-03-31", 10, PLANTS[:1], ["USA", "KOR"]

    import evsupply
    from evsupply.analysis.trade.landed import access_timeline, companies_behind, input_change_dates

    tables = evsupply.load()
    first, last = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
    days = [d.date() for d in pd.date_range(first, last, freq="D")]
    sample = days[:: max(1, args.every)]
    per_day(tables, plants[:1], markets[:1], sample[:1])  # warm both paths alike (imports, first-call costs)

    start = time.perf_counter()
    timeline = access_timeline(tables, MODEL, plants, markets, first, last)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    reference = per_day(tables, plants, markets, sample)
    slow_sample = time.perf_counter() - start
    slow = slow_sample / len(sample) * len(days)
    bad = differences(timeline, reference)

    routes = len(plants) * len(markets)
    changes = len(input_change_dates(tables, markets, first, last, companies_behind(tables, MODEL, plants, markets)))
    print(f"timeline: {first} .. {last}, {len(days):,} days x {len(plants)} plants x {len(markets)} markets")
    print(f"change-day way: {fast:8.2f} s  ({changes} change days x {routes} routes = {changes * routes:,} calls)")
    how = "every day" if len(sample) == len(days) else f"{len(sample)} sampled days, scaled to {len(days):,} days"
    print(
        f"per-day way:    {slow:8.2f} s  ({len(days) * routes:,} calls; measured on {how}: {slow_sample:.2f} s, "
        f"{slow_sample / (len(sample) * routes) * 1000:.1f} ms a call)"
    )
    print(f"answers compared on {len(reference):,} (day, route) rows: {'identical' if not bad else f'{bad} DIFFER'}")
    speedup = slow / fast
    verdict = "met" if speedup >= TARGET_SPEEDUP else "MISSED"
    print(f"speed-up: {speedup:.1f}x   target >= {TARGET_SPEEDUP:g}x: {verdict}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
