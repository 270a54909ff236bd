"""The etl commands of `balanza` (build, load, status): each calls one function; `balanza.cli` reports errors."""

from __future__ import annotations

import argparse
from pathlib import Path

from etl import settings


def cmd_build(args: argparse.Namespace) -> int:
    from etl.build import build_database

    summary = build_database(settings.db_path(args.db), manifest=Path(args.manifest), progress=True)
    print(summary.render(per_file=not args.quiet))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from etl.load import FileMetadata, load_files
    from etl.sources.reference import ALLOW_SHRINK_OPTION

    paths = [Path(p) for p in args.paths]
    options = {ALLOW_SHRINK_OPTION: True} if args.allow_shrink else {}
    results = load_files(settings.db_path(args.db), paths, progress=True,
                         metadata=[FileMetadata(options=dict(options)) for _ in paths])  # fmt: skip
    for result in results:
        print(result.render())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from etl.status import coverage_matrix, peer_coverage, render_coverage, render_peer_coverage

    db = settings.db_path(args.db)
    print(render_coverage(coverage_matrix(db)))
    print()
    print(render_peer_coverage(peer_coverage(db)))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add `balanza build`, `balanza load` and `balanza status` to the command line."""
    build = sub.add_parser("build", help="rebuild the database from data/sources.toml")
    settings.add_db_flag(build)
    build.add_argument("--manifest", default=str(settings.MANIFEST_PATH), help="sources manifest (TOML)")
    build.add_argument("--quiet", action="store_true", help="print only the total, not a line per file")
    build.set_defaults(func=cmd_build)

    load = sub.add_parser("load", help="load files (format detected from content) in one transaction")
    load.add_argument("paths", nargs="+", help="files to load")
    load.add_argument("--allow-shrink", action="store_true",
                      help="let a reference file replace a table with less than half its rows")  # fmt: skip
    settings.add_db_flag(load)
    load.set_defaults(func=cmd_load)

    status = sub.add_parser("status", help="coverage matrix: source × reporter × partner × flow → years")
    settings.add_db_flag(status)
    status.set_defaults(func=cmd_status)
