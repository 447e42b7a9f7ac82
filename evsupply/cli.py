"""The `evsupply` command line: validate the data, write the schema, list data changes, render reports, export GIS
layers."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from evsupply import load
from evsupply.analysis.shipping.flows import DEFAULT_YEAR, build_flows
from evsupply.core.io import write_atomic
from evsupply.core.paths import DATA_DIR, data_digest
from evsupply.data.changes import add_parser as add_changes_parser
from evsupply.data.load import remember_valid
from evsupply.data.release import build as build_release
from evsupply.data.release import release_summary
from evsupply.data.schema import data_dictionary, descriptor_text
from evsupply.data.validate import errors, validate
from evsupply.errors import EvsupplyError
from evsupply.export import check_target, gis_layers, write_gpkg
from evsupply.render.cli import add_parser as add_render_parser


def _validate(args: argparse.Namespace) -> int:
    digest = data_digest(args.data_dir)
    problems = validate(args.data_dir, today=args.today, stale_days=args.stale_days)
    failed = errors(problems)
    if not failed and args.today is None:  # judged on today, as load() judges: load() need not check it again
        remember_valid(args.data_dir, digest)
    warned = [p for p in problems if p.level != "error"]
    for kind, listed in (("warning", warned), ("problem", failed)):
        if listed:
            print(f"{len(listed)} {kind}{'s' if len(listed) != 1 else ''} in the data:", file=sys.stderr)
            for problem in listed:
                print(f"  {problem}", file=sys.stderr)
    if failed:
        return 1
    if args.strict and warned:
        print("--strict: the warnings above count as problems", file=sys.stderr)
        return 1
    print(f"data valid: {args.data_dir or 'data'}" + (f" ({len(warned)} warnings)" if warned else ""))
    return 0


def _schema(args: argparse.Namespace) -> int:
    if not args.write:
        sys.stdout.write(descriptor_text())
        return 0
    data = Path(args.data_dir) if args.data_dir else DATA_DIR
    write_atomic(data / "datapackage.json", descriptor_text())
    write_atomic(Path(args.dictionary), data_dictionary() + "\n")
    print(f"wrote {data / 'datapackage.json'} and {args.dictionary}")
    return 0


def _export(args: argparse.Namespace) -> int:
    check_target(args.gpkg, args.force)  # before the work: a refused path fails at once
    tables = load(args.data_dir)
    lanes = build_flows(tables, origin=args.origin, year=args.year if args.year is not None else DEFAULT_YEAR)
    layers = gis_layers(tables, lanes)
    path = write_gpkg(args.gpkg, layers, force=args.force)
    print(f"wrote {path}: " + ", ".join(f"{name} ({len(gdf)})" for name, gdf in layers.items()))
    return 0


def _release(args: argparse.Namespace) -> int:
    folder = build_release(args.out, args.data_dir, args.since)
    print(release_summary(folder))
    return 0


MAX_STALE_DAYS = 36_500  # a hundred years: any larger window means "never stale", which --stale-days cannot say


def _days(text: str) -> int:
    """An argparse type: a whole number of days from 0 to MAX_STALE_DAYS."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if not 0 <= days <= MAX_STALE_DAYS:
        raise argparse.ArgumentTypeError(f"{text} is not a number of days from 0 to {MAX_STALE_DAYS}")
    return days


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `evsupply` command."""
    parser = argparse.ArgumentParser(prog="evsupply", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check data/ against the schema and the domain rules")
    p.add_argument("--data-dir", help="data folder to check (default: the repository's data/)")
    p.add_argument(
        "--stale-days",
        type=_days,
        default=180,
        metavar="N",
        help="warn about rows of open periods last checked more than N days ago (default: %(default)s)",
    )
    p.add_argument("--strict", action="store_true", help="count warnings (stale rows, stray files) as problems")
    p.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="the day freshness is judged on (default: today)",
    )
    p.set_defaults(func=_validate)

    p = sub.add_parser("schema", help="print (or --write) datapackage.json, generated from evsupply/metadata")
    p.add_argument("--write", action="store_true", help="write data/datapackage.json and the data dictionary")
    p.add_argument("--data-dir", help="data folder to write datapackage.json into (default: the repository's data/)")
    p.add_argument("--dictionary", default="docs/data-dictionary.md", help="where to write the dictionary")
    p.set_defaults(func=_schema)

    add_changes_parser(sub)
    add_render_parser(sub)  # render's options live with render

    p = sub.add_parser("export", help="write plants, ports, sea routes and lanes as GeoPackage layers (EPSG:4326)")
    p.add_argument(
        "--gpkg",
        required=True,
        help="GeoPackage file to write; an existing file is replaced only if evsupply export wrote it",
    )
    p.add_argument(
        "--force", action="store_true", help="replace an existing file (or symbolic link) at --gpkg whatever it holds"
    )
    p.add_argument("--data-dir", help="data folder (default: the repository's data/)")
    p.add_argument("--origin", default="all", help="a plant_id, or 'all' (default)")
    p.add_argument("--year", type=int, help="year of the production claims and volumes (default: 2026)")
    p.set_defaults(func=_export)

    p = sub.add_parser("release", help="build releases/<data version>/: data package, SQLite, Parquet, zips, notes")
    p.add_argument("--out", help="folder the release folder is written into (default: the checkout's releases/)")
    p.add_argument("--data-dir", help="data folder to release (default: the repository's data/)")
    p.add_argument(
        "--since",
        metavar="REV",
        help="git revision the release notes compare with (default: the newest earlier data-v* tag)",
    )
    p.set_defaults(func=_release)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except EvsupplyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a full disk, a folder that went away: one line (atomic writes left no partial file)
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: evsupply {args.command}: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as exc:  # Ctrl-C, or a render's RenderInterrupted (which says what was kept)
        message = exc.message() if hasattr(exc, "message") else f"evsupply {args.command}: interrupted"
        print(message, file=sys.stderr)
        return int(getattr(exc, "exit_status", 130))


if __name__ == "__main__":
    sys.exit(main())
