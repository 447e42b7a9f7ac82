"""Benchmark validation at scale: `evsupply.load()` of a data folder whose observations table has N rows (validated
from cold: no verdict in the cache), beside `pandas.read_csv` of the same file, side by side in one run.

    python benchmarks/validate_scale.py                 # 1,000,000 rows (about 570 MB), the issue-26 target
    python benchmarks/validate_scale.py --rows 100000
    python benchmarks/validate_scale.py --smoke         # 2,000 rows: checks that the benchmark works

The observations are the real rows repeated with new ids (so every rule has real work to do). Each measurement
runs in a fresh interpreter; its peak memory is the peak resident size above the interpreter's size after its
imports. Target (issue 26): validate + load within 5x the time of read_csv and within 2x its memory.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TIME_TARGET, MEMORY_TARGET = 5.0, 2.0
KEY_OUTPUT = r"(?m)^ratio: time \d+(\.\d+)?x, memory \d+(\.\d+)?x"


def make_folder(root: Path, rows: int) -> Path:
    """A copy of the data folder whose observations.csv holds `rows` rows (the real ones, then copies)."""
    from evsupply.core.paths import DATA_DIR

    folder = root / "data"
    shutil.copytree(DATA_DIR, folder)
    with (DATA_DIR / "observations.csv").open(encoding="utf-8", newline="") as handle:
        real = list(csv.reader(handle))
    header, body = real[0], real[1:]
    with (folder / "observations.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
        for n in range(rows - len(body)):
            row = list(body[n % len(body)])
            row[0] = f"{row[0]}_copy_{n}"
            writer.writerow(row)
    return folder


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmRSS:"))


def child(kind: str, folder: str) -> None:
    """Run one measurement in this (fresh) interpreter and print it as JSON."""
    import pandas as pd

    import evsupply  # both sides pay the same imports before the clock starts
    import evsupply.data.validate  # imported, not timed

    base = _rss_kib()
    start = time.perf_counter()
    if kind == "read_csv":
        frame = pd.read_csv(Path(folder) / "observations.csv")
        rows = len(frame)
    else:
        rows = len(evsupply.load(folder).observations)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"kind": kind, "rows": rows, "seconds": seconds, "peak_mib": (peak - base) / 1024}))


def measure(kind: str, folder: Path, cache: Path) -> dict:
    env = {**os.environ, "EVSUPPLY_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(folder)], check=True, env=env, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true", help="2,000 rows: a check that it works, not a timing")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    rows = 2_000 if args.smoke else args.rows
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folder = make_folder(root, rows)
        size_mib = (folder / "observations.csv").stat().st_size / 2**20
        print(f"observations.csv: {rows:,} rows, {size_mib:,.0f} MiB")
        base = measure("read_csv", folder, root / "cache-a")
        ours = measure("load", folder, root / "cache-b")  # a fresh cache: validated, not trusted
        for m in (base, ours):
            name = "pandas.read_csv" if m["kind"] == "read_csv" else "evsupply.load (validate + load)"
            print(f"{name:32} {m['seconds']:8.1f} s   peak {m['peak_mib']:8,.0f} MiB")
        time_ratio = ours["seconds"] / base["seconds"]
        memory_ratio = ours["peak_mib"] / max(base["peak_mib"], 1.0)
        targets = f"targets {TIME_TARGET:g}x, {MEMORY_TARGET:g}x"
        print(f"ratio: time {time_ratio:.1f}x, memory {memory_ratio:.1f}x ({targets})")
        print(f"memory against the file: {ours['peak_mib'] / size_mib:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
