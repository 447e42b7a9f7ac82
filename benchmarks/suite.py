"""Benchmark the test suite: the wall time of the pytest run of `make test`, with the machine's load beside it.

    python benchmarks/suite.py                  # the whole suite, as `make test` runs it (after ruff)
    python benchmarks/suite.py -- -k policy     # pass pytest arguments after --
    python benchmarks/suite.py --smoke          # one small test file: checks the benchmark works, not a timing

Prints pytest's summary, the slowest tests, and the wall time with the load average before and after (other work
on the machine slows the suite: read the figure with the load beside it).
Target (issue #18): <= 5 minutes on an idle 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 300.0
KEY_OUTPUT = r"(?m)^suite wall time: +\d+\.\d s"  # what tests/integration/test_benchmarks.py looks for
REPO = Path(__file__).resolve().parents[1]
SMOKE = ["tests/unit/test_environment.py", "-n", "0"]


def load_average() -> str:
    """The 1-minute load average and the number of cores, e.g. '0.42 on 2 cores'."""
    try:
        load = f"{os.getloadavg()[0]:.2f}"
    except OSError:
        load = "?"
    return f"{load} on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> int:
    """Run pytest as `make test` does and print its wall time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one small test file (a check, not a timing)")
    parser.add_argument("pytest_args", nargs="*", help="arguments for pytest (after --)")
    args = parser.parse_args(argv)
    extra = SMOKE if args.smoke else args.pytest_args
    before = load_average()
    with tempfile.TemporaryDirectory(prefix="evsupply-suite-") as tmp:
        cmd = [sys.executable, "-m", "pytest", "-q", "--durations=15", f"--basetemp={tmp}/pytest", *extra]
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
        wall = time.perf_counter() - start
    lines = done.stdout.strip().splitlines()
    print("\n".join([*(line for line in lines[:-25] if line.startswith(("FAILED", "ERROR"))), *lines[-25:]]))
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    verdict = "meets" if wall <= TARGET_S else "MISSES"
    what = "smoke run" if args.smoke else f"target <= {TARGET_S:g} s when idle: {verdict}"
    print(f"suite wall time: {wall:.1f} s   (pytest exit {done.returncode}; {what})")
    print(f"load average: {before} before, {load_average()} after")
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
