"""Benchmark a cold start: `import evsupply; evsupply.load()` of unchanged data against `import pandas, geopandas`.

    python benchmarks/load.py [--runs 7]
    python benchmarks/load.py --smoke     # one run of each: checks that the benchmark works, not a timing

Both commands run as fresh interpreters, interleaved, in the same run (so a busy machine slows both alike); the
verdict cache is warmed once first (unchanged data is what a JupyterLab kernel meets). Prints the median wall time
of each and their ratio against the target of 1.3.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_RATIO = 1.3
KEY_OUTPUT = r"^ratio: \d+\.\d+"  # the line tests/integration/test_benchmarks.py looks for in a --smoke run
BASELINE = "import pandas, geopandas"
EVSUPPLY = "import evsupply; evsupply.load()"


def wall(code: str, env: dict[str, str]) -> float:
    """Wall time of a fresh interpreter running `code`."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each command (default: %(default)s)")
    parser.add_argument("--smoke", action="store_true", help="one run of each command (a check, not a timing)")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs = 1
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "EVSUPPLY_CACHE_DIR": cache}
        if not args.smoke:
            wall(EVSUPPLY, env)  # the first load validates and keeps the verdict; later loads are what we measure
            wall(BASELINE, env)  # warm the OS file cache for both
        base, ours = [], []
        for _ in range(args.runs):
            base.append(wall(BASELINE, env))
            ours.append(wall(EVSUPPLY, env))
    b, o = statistics.median(base), statistics.median(ours)
    ratio = o / b
    print(f"cold `{BASELINE}`: median {b:.3f} s over {args.runs} runs (min {min(base):.3f})")
    print(f"cold `{EVSUPPLY}`: median {o:.3f} s over {args.runs} runs (min {min(ours):.3f})")
    print(f"ratio: {ratio:.2f}   target <= {TARGET_RATIO}: {'meets' if ratio <= TARGET_RATIO else 'MISSES'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
