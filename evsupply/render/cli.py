"""The `evsupply render` subcommand."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from evsupply.core.paths import NOTEBOOKS_DIR
from evsupply.render.errors import RenderError, RenderInterrupted
from evsupply.render.kernels import Kernels
from evsupply.render.manifest import (
    ManifestError,
    check_variant_name,
    earlier_variants,
    load_manifest,
    with_overrides,
)

DEFAULT_MANIFEST = NOTEBOOKS_DIR / "reports.yml"


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `render` to the `evsupply` command's subparsers."""
    p = subparsers.add_parser(
        "render",
        help="render the reports of the manifest into an offline HTML site",
        description="Render the reports of the manifest into an offline HTML site. Exit status: 0 when every "
        "report rendered, 1 when one failed or the render could not run, 130 after Ctrl-C, 143 after "
        "SIGTERM (finished reports and the report list are kept).",
    )
    p.add_argument(
        "--manifest",
        default=str(DEFAULT_MANIFEST),
        help="report manifest (default: notebooks/reports.yml of the checkout, or the bundled one)",
    )
    p.add_argument("--only", nargs="+", metavar="NAME", help="render only these reports (the index keeps the others)")
    p.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="with one --only report: set a parameter (a YAML value: -p year=2027 -p 'markets=[USA]'); "
        "the report is rendered under a derived name (NAME--key-value), the manifest is not changed",
    )
    p.add_argument(
        "--on-date",
        metavar="YYYY-MM-DD",
        help="the edition's day: every report is read on it (default: the manifest's on_date, else today)",
    )
    p.add_argument("--jobs", type=int, help="reports rendered at once (default: one per core)")
    p.add_argument("--out", default="reports", help="site folder (default: %(default)s)")
    p.add_argument(
        "--state", help="folder for failed notebooks, outside the site (default: .render next to the site folder)"
    )
    p.add_argument("--standalone", action="store_true", help="inline plotly.js and the styles into each report")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the renders on this Dask scheduler")
    p.add_argument("--no-fork", action="store_true", help="start every kernel as a new process (slower)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run `evsupply render`; exit status 1 if any report failed."""

    def terminated(signum: int, frame: object) -> None:  # until render() takes over: stop at once, cleanly
        raise RenderInterrupted(signum)

    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGHUP, terminated)
    if args.jobs is not None and args.jobs < 1:
        raise RenderError(f"--jobs must be at least 1, not {args.jobs}")
    # The zygote's imports (about 2 s) run while this process imports the rest and reads the manifest.
    with Kernels(fork=not args.no_fork) as kernels:
        if not args.no_fork and not args.scheduler:
            kernels.start()
        from evsupply.render.runner import render, summary  # lazy: 0.5 s of imports, overlapping the zygote's

        reports = load_manifest(args.manifest, on_date=args.on_date)
        chosen = reports
        if args.only:
            known = {r.name for r in reports}
            unknown = [n for n in args.only if n not in known]
            if unknown:
                raise ManifestError(
                    f"--only: no report named {', '.join(unknown)} in {args.manifest}; "
                    f"known: {', '.join(sorted(known))}"
                )
            chosen = [r for r in reports if r.name in set(args.only)]
        listed = list(reports)
        if args.param:
            if len(chosen) != 1:
                raise RenderError("-p sets the parameters of one report: name it with --only NAME")
            chosen = [with_overrides(chosen[0], args.param)]
        site = Path(args.out)
        if args.param:
            check_variant_name(site, chosen[0])
        listed += [r for r in chosen if r.name not in {x.name for x in listed}]
        listed += earlier_variants(site, listed, Path(args.manifest))
        state = Path(args.state) if args.state else site.absolute().parent / ".render"
        results = render(
            chosen,
            site=site,
            state=state,
            listed=listed,
            jobs=args.jobs,
            standalone=args.standalone,
            scheduler=args.scheduler,
            fork=not args.no_fork,
            progress=not args.quiet,
            kernels=None if args.scheduler else kernels,
        )
    print(summary(results, site))
    return 0 if all(r.status == "ok" for r in results) else 1
