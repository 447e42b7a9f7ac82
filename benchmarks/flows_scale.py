"""Scale benchmark of `analysis.shipping.flows.build_flows` on synthetic networks (N plants, M ports, K markets).

Each plant ships to every market: N × K lanes. Plants use M/2 export ports, markets M/2 import ports, so at most
(M/2)² distinct port pairs: the sea routes computed (once each, with a fresh route cache). Each size runs in its
own process so that its peak memory (max RSS) is its own.

    python benchmarks/flows_scale.py                 # the default sizes, up to ~1,000,000 lanes
    python benchmarks/flows_scale.py --sizes 60x20x170 6000x20x170
    python benchmarks/flows_scale.py --smoke        # one tiny size: checks the benchmark works, not a timing

Targets (issues #4, #18): 1e6 lanes in ≤ 10 s and ≤ 1 GB peak; cost linear in lanes.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_SIZES = ["60x20x170", "600x20x170", "1200x20x170", "3000x20x170", "6000x20x170"]
SMOKE_SIZES = ["6x4x5"]
TARGET_S = 10.0
TARGET_MB = 1024
KEY_OUTPUT = r"(?m)^route computations == distinct port pairs: yes$"  # what test_benchmarks.py looks for


def synthetic_tables(n_plants: int, m_ports: int, k_markets: int, seed: int = 0) -> dict[str, pd.DataFrame]:
    """Tables shaped like the real ones: N plants, M ports (half export, half import), K markets (real ISO codes)."""
    from evsupply.analysis.markets import market_points
    from evsupply.data.geo import countries

    rng = np.random.default_rng(seed)
    codes = sorted(countries().index)
    if k_markets > len(codes):
        raise SystemExit(f"K = {k_markets}: at most {len(codes)} markets (one per country shape)")
    market_ids = codes[:k_markets]
    n_exp = max(1, m_ports // 2)
    n_imp = max(1, m_ports - n_exp)
    # Export ports along the East Asian coast, import ports at the market points of the first markets.
    exp = pd.DataFrame(
        {
            "port_id": [f"XE{i:03d}"[:5] for i in range(n_exp)],
            "longitude": np.linspace(118.0, 141.0, n_exp),
            "latitude": np.linspace(24.0, 40.0, n_exp),
            "port_role": "export",
        }
    )
    markets = pd.DataFrame(
        {"market_id": pd.Series(market_ids, dtype="string"), "market_type": "country", "source_id": "synthetic"}
    )
    members = pd.DataFrame(
        {
            "market_id": pd.Series([], dtype="string"),
            "country_code": pd.Series([], dtype="string"),
            "valid_from": pd.Series([], dtype="datetime64[ns]"),
            "valid_to": pd.Series([], dtype="datetime64[ns]"),
            "source_id": pd.Series([], dtype="string"),
        }
    )
    pts = market_points({"markets": markets, "market_members": members}, market_ids[:n_imp])
    imp = pd.DataFrame(
        {
            "port_id": [f"XI{i:03d}"[:5] for i in range(n_imp)],
            "longitude": pts["longitude"],
            "latitude": pts["latitude"],
            "port_role": "import",
        }
    )
    ports = pd.concat([exp, imp], ignore_index=True)
    ports["country_code"] = "ZZZ"
    ports["source_id"] = "synthetic"
    plant_ids = [f"plant_{i}" for i in range(n_plants)]
    plants = pd.DataFrame(
        {
            "plant_id": plant_ids,
            "country_code": "ZZZ",
            "source_id": "synthetic",
            "longitude": rng.uniform(110, 140, n_plants),
            "latitude": rng.uniform(22, 42, n_plants),
        }
    )
    exp_ids, imp_ids = exp["port_id"].to_numpy(), imp["port_id"].to_numpy()
    plant_ports = pd.DataFrame(
        {"plant_id": plant_ids, "port_id": exp_ids[np.arange(n_plants) % n_exp], "source_id": "synthetic"}
    )
    market_ports = pd.DataFrame(
        {
            "market_id": market_ids,
            "port_id": imp_ids[np.arange(k_markets) % n_imp],
            "is_default": True,
            "source_id": "synthetic",
        }
    )
    n_lanes = n_plants * k_markets
    production = pd.DataFrame(
        {
            "model_id": pd.Series(["model_a"] * n_lanes, dtype="string"),
            # Object arrays repeat the same string objects (as a parsed CSV's few distinct ids would be shared):
            # 8 bytes a cell, not a new string each.
            "plant_id": pd.Series(np.repeat(np.array(plant_ids, dtype=object), k_markets), dtype="string"),
            "market_id": pd.Series(np.tile(np.array(market_ids, dtype=object), n_plants), dtype="string"),
            "production_status": pd.Series(["in_production"] * n_lanes, dtype="string"),
            "evidence": pd.Series(["observed"] * n_lanes, dtype="string"),
            "start_date": pd.Timestamp("2024-01-01"),
            "end_date": pd.NaT,
            "as_of_date": pd.Timestamp("2024-01-01"),
            "source_id": pd.Series(["synthetic"] * n_lanes, dtype="string"),
        }
    )
    string = {c: "string" for c in ("plant_id", "port_id", "market_id", "country_code", "source_id", "port_role")}
    return {
        "plants": plants.astype({k: v for k, v in string.items() if k in plants}),
        "ports": ports.astype({k: v for k, v in string.items() if k in ports}),
        "plant_ports": plant_ports.astype("string"),
        "market_ports": market_ports.astype({"market_id": "string", "port_id": "string", "source_id": "string"}),
        "markets": markets,
        "market_members": members,
        "production": production,
        "models": pd.DataFrame({"model_id": ["model_a"], "curb_mass_kg": [2000.0], "source_id": ["synthetic"]}),
        "volume_scenarios": pd.DataFrame(
            {
                "scenario_id": "default",
                "plant_id": plant_ids,
                "year": 2024,
                "volume_units_per_year": 10_000,
                "basis": "assumed",
                "source_id": "synthetic",
            }
        ),
        "emission_factors": pd.DataFrame(
            {
                "emission_factor_id": ["ef"],
                "kg_co2e_per_tonne_km": [0.1],
                "is_default": [True],
                "source_id": ["synthetic"],
            }
        ),
        "vessel_speeds": pd.DataFrame(
            {"speed_id": ["s15"], "speed_knots": [15.0], "is_default": [True], "source_id": ["synthetic"]}
        ),
    }


def run_one(size: str) -> dict[str, float | int | str]:
    """Build the flows of one synthetic size (cold route cache, then warm); return the measurements."""
    n, m, k = (int(v) for v in size.split("x"))
    from evsupply.analysis.shipping.flows import build_flows
    from evsupply.analysis.shipping.routes import RouteCache

    tables = synthetic_tables(n, m, k)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as folder:
        cache = RouteCache(folder=Path(folder))
        t0, c0 = time.perf_counter(), time.process_time()
        lanes = build_flows(tables, year=2026, cache=cache)
        cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
        computed = cache.computed
        del lanes  # the peak is that of one build, not of two results held at once
        t0, c0 = time.perf_counter(), time.process_time()
        lanes = build_flows(tables, year=2026, cache=cache)
        warm, warm_cpu = time.perf_counter() - t0, time.process_time() - c0
    pairs = len(lanes[["export_port_id", "import_port_id"]].drop_duplicates())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "size": size,
        "lanes": len(lanes),
        "route_computations": computed,
        "distinct_port_pairs": pairs,
        "cold_s": round(cold, 2),
        "warm_s": round(warm, 2),
        "cold_cpu_s": round(cold_cpu, 2),
        "warm_cpu_s": round(warm_cpu, 2),
        "peak_rss_mb": round(peak),
        "rss_before_build_mb": round(rss_before),
    }


def main(argv: list[str] | None = None) -> int:
    """Run every size in its own process and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=DEFAULT_SIZES, help="NxMxK (plants x ports x markets)")
    parser.add_argument("--smoke", action="store_true", help=f"only {SMOKE_SIZES} (a check, not a timing)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes = SMOKE_SIZES
    if args.one:
        print(json.dumps(run_one(args.one)))
        return 0
    rows = []
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", size], capture_output=True, text=True)
        if out.returncode:
            print(out.stderr, file=sys.stderr)
            return out.returncode
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        row = rows[-1]
        print(
            f"{row['size']:>13}  lanes {row['lanes']:>9,}  routes computed {row['route_computations']:>4} "
            f"(distinct port pairs {row['distinct_port_pairs']:>4})  cold {row['cold_s']:>6.2f} s  "
            f"warm {row['warm_s']:>6.2f} s (CPU {row['cold_cpu_s']:.2f} / {row['warm_cpu_s']:.2f} s)  "
            f"peak RSS {row['peak_rss_mb']:>5,} MB "
            f"(before the build {row['rss_before_build_mb']:,} MB)",
            flush=True,
        )
    table = pd.DataFrame(rows)
    per_lane = (table["warm_s"] / table["lanes"] * 1e6).round(2)
    print(
        "\nwarm seconds per million lanes, by size:",
        ", ".join(f"{s}: {v}" for s, v in zip(table["size"], per_lane, strict=True)),
    )
    ok = all(r["route_computations"] == r["distinct_port_pairs"] for r in rows)
    print("route computations == distinct port pairs:", "yes" if ok else "NO")
    big = table[table["lanes"] >= 1_000_000]
    for r in big.itertuples():
        print(
            f"target at {r.lanes:,} lanes: time {r.cold_s} s cold / {r.warm_s} s warm (target {TARGET_S:g} s: "
            f"{'met' if r.cold_s <= TARGET_S else 'MISSED'}), peak {r.peak_rss_mb:,} MB (target {TARGET_MB:,} MB: "
            f"{'met' if r.peak_rss_mb <= TARGET_MB else 'MISSED'})"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
