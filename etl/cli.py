"""The etl commands of `balanza` (build, load, status, verify): each calls one function; `balanza.cli` reports
errors."""

from __future__ import annotations

import argparse
from pathlib import Path

from etl import settings


def cmd_build(args: argparse.Namespace) -> int:
    from etl.build import build_database

    summary = build_database(settings.db_path(args.db), manifest=Path(args.manifest), progress=True,
                             manifest_only=args.manifest_only)  # fmt: skip
    print(summary.render(per_file=not args.quiet))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from etl.load import FileMetadata, load_files
    from etl.sources.reference import ALLOW_SHRINK_OPTION

    paths = [Path(p) for p in args.paths]
    options = {ALLOW_SHRINK_OPTION: True} if args.allow_shrink else {}
    results = load_files(settings.db_path(args.db), paths, progress=True, revision=args.revision,
                         metadata=[FileMetadata(options=dict(options)) for _ in paths])  # fmt: skip
    for result in results:
        print(result.render())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from etl.status import (
        coverage_matrix,
        peer_coverage,
        render_coverage,
        render_peer_coverage,
        render_vintages,
        vintage_summary,
    )

    db = settings.db_path(args.db)
    print(render_coverage(coverage_matrix(db, as_of=args.as_of)))
    print(render_vintages(vintage_summary(db, as_of=args.as_of)))
    if args.as_of is None:  # the series of record is today's: it has no past view
        print()
        print(render_peer_coverage(peer_coverage(db)))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from etl.status import verify_database

    report = verify_database(settings.db_path(args.db), progress=True)
    print(report.render())
    report.raise_for_problems()
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `balanza build`, `balanza load`, `balanza status` and `balanza verify` to the command line."""
    from etl.status import parse_as_of

    build = sub.add_parser(
        "build", help="rebuild the database from data/sources.toml (keeping files loaded by hand)"
    )
    settings.add_db_flag(build)
    build.add_argument("--manifest", default=str(settings.MANIFEST_PATH), help="sources manifest (TOML)")
    build.add_argument("--manifest-only", action="store_true",
                       help="drop the files loaded outside the manifest (balanza load, balanza fetch), listing them; "
                       "without it a rebuild loads them again after the manifest's files, with their load dates")  # fmt: skip
    build.add_argument(
        "--quiet",
        action="store_true",
        help="print the total (and the files loaded outside the manifest it kept or dropped), not a line per file",
    )
    build.set_defaults(func=cmd_build)

    load = sub.add_parser("load", help="load files (format detected from content) in one transaction")
    load.add_argument("paths", nargs="+", help="files to load")
    load.add_argument("--allow-shrink", action="store_true",
                      help="let a reference file replace a table with less than half its rows")  # fmt: skip
    load.add_argument("--revision", action="store_true",
                      help="the files are newer releases: observations other files of the same source hold are "
                      "loaded as their newer vintage (the older values stay, readable with status --as-of)")  # fmt: skip
    settings.add_db_flag(load)
    load.set_defaults(func=cmd_load)

    status = sub.add_parser("status", help="coverage matrix: source × reporter × partner × flow → years")
    settings.add_db_flag(status)
    status.add_argument("--as-of", type=parse_as_of, default=None, metavar="YYYY-MM-DD[THH:MM]",
                        help="the trade rows as they were then (UTC; a date means its end): earlier vintages of "
                        "revised observations, without files loaded later")  # fmt: skip
    status.set_defaults(func=cmd_status)

    verify = sub.add_parser(
        "verify", help="check the catalogue and every stored file against their checksums"
    )
    settings.add_db_flag(verify)
    verify.set_defaults(func=cmd_verify)
