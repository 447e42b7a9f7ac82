"""The `evsupply render` subcommand."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `render` to the `evsupply` command's subparsers."""
    p = subparsers.add_parser(
        "render", help="render the reports of the manifest into an offline HTML site",
        description="Render the reports of the manifest into an offline HTML site. Exit status: 0 when every "
                    "report rendered, 1 when one failed or the render could not run, 130 after Ctrl-C, 143 after "
                    "SIGTERM (finished reports and the report list are kept).")
    p.add_argument("--manifest", default="notebooks/reports.yml", help="report manifest (default: %(default)s)")
    p.add_argument("--only", nargs="+", metavar="NAME", help="render only these reports (the index keeps the others)")
    p.add_argument("--jobs", type=int, help="reports rendered at once (default: one per core)")
    p.add_argument("--out", default="reports", help="site folder (default: %(default)s)")
    p.add_argument("--state", help="folder for failed notebooks, outside the site "
                                   "(default: .render next to the site folder)")
    p.add_argument("--standalone", action="store_true", help="inline plotly.js and the base map into each report")
    p.add_argument("--scheduler", metavar="ADDRESS", help="run the renders on this Dask scheduler")
    p.add_argument("--no-fork", action="store_true", help="start every kernel as a new process (slower)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    """Run `evsupply render`; exit status 1 if any report failed."""
    import signal

    from evsupply.render.errors import RenderError, RenderInterrupted

    def terminated(signum: int, frame: object) -> None:  # until render() takes over: stop at once, cleanly
        raise RenderInterrupted(signum)

    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGHUP, terminated)
    if args.jobs is not None and args.jobs < 1:
        raise RenderError(f"--jobs must be at least 1, not {args.jobs}")
    from evsupply.render.kernels import Kernels

    # The zygote's imports (about 2 s) run while this process imports the rest and reads the manifest.
    with Kernels(fork=not args.no_fork) as kernels:
        if not args.no_fork and not args.scheduler:
            kernels.start()
        from evsupply.render.manifest import ManifestError, load_manifest
        from evsupply.render.runner import render, summary

        reports = load_manifest(args.manifest)
        chosen = reports
        if args.only:
            known = {r.name for r in reports}
            unknown = [n for n in args.only if n not in known]
            if unknown:
                raise ManifestError(f"--only: no report named {', '.join(unknown)} in {args.manifest}; "
                                    f"known: {', '.join(sorted(known))}")
            chosen = [r for r in reports if r.name in set(args.only)]
        site = Path(args.out)
        state = Path(args.state) if args.state else site.absolute().parent / ".render"
        results = render(chosen, site=site, state=state, listed=reports, jobs=args.jobs,
                         standalone=args.standalone, scheduler=args.scheduler, fork=not args.no_fork,
                         progress=not args.quiet, kernels=None if args.scheduler else kernels)
    print(summary(results, site))
    return 0 if all(r.status == "ok" for r in results) else 1
