"""Benchmark the render pipeline against the naive way, on this machine, in this run.

    python benchmarks/render.py [--manifest notebooks/reports.yml] [--jobs N]
    python benchmarks/render.py --smoke    # one tiny fixture report: checks the benchmark works, not a timing

Renders the manifest with `evsupply render` (a fresh site, so nothing is reused), then renders the same
reports the naive way: `papermill` on the command line, then `jupyter nbconvert --to html`, one report
after another. Prints the ratio of wall times, the overhead per report beyond executing its cells,
and the bytes of the site and of one standalone report, each against its target.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from evsupply.render import load_manifest
from evsupply.render.assets import PLOTLY_JS

TARGET_RATIO = 0.11  # issues 15 and 18: render stays at most 0.11x the naive command line
TARGET_OVERHEAD_S = 1.0
TARGET_PER_REPORT_BYTES = 500_000
TARGET_STANDALONE_BYTES = 5_500_000
KEY_OUTPUT = r"(?m)^ratio: +\d+\.\d+"  # the line tests/integration/test_benchmarks.py looks for in a --smoke run
SMOKE_NOTEBOOK = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "notebooks" / "scatter.ipynb"


def smoke_manifest(folder: Path) -> Path:
    """A manifest of one small fixture report, for a --smoke run."""
    path = folder / "reports.yml"
    report = {"name": "scatter", "notebook": str(SMOKE_NOTEBOOK), "title": "Scatter", "parameters": {"n": 5}}
    path.write_text(yaml.safe_dump({"reports": [report]}), encoding="utf-8")
    return path


def tree_bytes(folder: Path) -> int:
    """Bytes of every file under `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def run_pipeline(
    manifest: Path, out: Path, jobs: int | None, standalone: bool = False, only: list[str] | None = None
) -> float:
    """Wall time of `evsupply render` into `out`."""
    cmd = [sys.executable, "-m", "evsupply.cli", "render", "--manifest", str(manifest), "--out", str(out), "--quiet"]
    cmd += ["--jobs", str(jobs)] if jobs else []
    cmd += ["--standalone"] if standalone else []
    cmd += ["--only", *only] if only else []
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run_naive(manifest: Path, out: Path) -> float:
    """Wall time of papermill CLI + nbconvert CLI, report after report."""
    bindir = Path(sys.executable).parent
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for report in load_manifest(manifest):
        executed = out / f"{report.name}.ipynb"
        params = out / f"{report.name}.params.yml"
        params.write_text(yaml.safe_dump(report.parameters))
        subprocess.run(
            [
                str(bindir / "papermill"),
                str(report.notebook),
                str(executed),
                "-f",
                str(params),
                "--cwd",
                str(report.notebook.parent),
                "--no-progress-bar",
            ],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        subprocess.run(
            [str(bindir / "jupyter"), "nbconvert", "--to", "html", str(executed)],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - start


def records(site: Path) -> list[dict]:
    """The render records of the site (`<site>/.evsupply/records.json`)."""
    from evsupply.render.site import read_records

    return list(read_records(site).values())


def verdict(ok: bool) -> str:
    """'meets' or 'MISSES'."""
    return "meets" if ok else "MISSES"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", default="notebooks/reports.yml")
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--smoke", action="store_true", help="one small fixture report (a check, not a timing)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="evsupply-bench-") as tmp:
        tmpdir = Path(tmp)
        manifest = smoke_manifest(tmpdir) if args.smoke else Path(args.manifest).resolve()
        reports = load_manifest(manifest)
        n = len(reports)
        fast = run_pipeline(manifest, tmpdir / "site", args.jobs)
        naive = run_naive(manifest, tmpdir / "naive")
        recs = records(tmpdir / "site")
        failed = [r["name"] for r in recs if r["status"] != "ok"]
        cells = sum(r["cells_s"] for r in recs)
        site_bytes = tree_bytes(tmpdir / "site")
        run_pipeline(manifest, tmpdir / "standalone", 1, standalone=True, only=[reports[0].name])
        standalone = (tmpdir / "standalone" / f"{reports[0].name}.html").stat().st_size
    cores = os.cpu_count() or 1
    ratio = fast / naive
    workers = min(args.jobs or cores, n)
    # Overhead per report: its render time beyond running its cells (kernel, papermill, HTML, writes),
    # plus an equal share of the run's start-up (wall time before the busiest worker's first report).
    per_report = sum(r["duration_s"] - r["cells_s"] for r in recs) / n
    busiest = max(sum(r["duration_s"] for r in recs) / workers, max(r["duration_s"] for r in recs))
    startup = max(0.0, fast - busiest)
    overhead = per_report + startup * workers / n
    site_limit = PLOTLY_JS.stat().st_size + TARGET_PER_REPORT_BYTES * n
    print(f"manifest: {manifest} ({n} reports, {cores} cores, {workers} workers)")
    if failed:
        for r in recs:
            if r["status"] != "ok":
                print(f"warning: report {r['name']} failed: {r['error']}")
    print(f"evsupply render: {fast:6.2f} s   naive (papermill CLI + nbconvert CLI, serial): {naive:6.2f} s")
    print(f"ratio:           {ratio:6.3f}    target <= {TARGET_RATIO}: {verdict(ratio <= TARGET_RATIO)}")
    print(
        f"overhead/report: {overhead:6.2f} s  = {per_report:.2f} s in each render beyond its cells "
        f"+ share of {startup:.2f} s start-up (cells ran {cells:.2f} s in all) "
        f"target <= {TARGET_OVERHEAD_S} s: {verdict(overhead <= TARGET_OVERHEAD_S)}"
    )
    print(
        f"site bytes:      {site_bytes:,}  target <= {site_limit:,} (plotly.js + 0.5 MB x {n}): "
        f"{verdict(site_bytes <= site_limit)}"
    )
    print(
        f"standalone:      {standalone:,}  target <= {TARGET_STANDALONE_BYTES:,}: "
        f"{verdict(standalone <= TARGET_STANDALONE_BYTES)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
