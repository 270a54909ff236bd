"""The `balanza` command line: thin; every command calls one function and reports its errors."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from etl import settings
from etl.errors import BalanzaError

# Modules that add their own subcommand: each exposes `register(subparsers) -> None` and sets
# `func` on its parser. Listed here so the command line stays one place to read.
EXTENSION_MODULES = ("model.cli", "etl.fetch")
# The subcommand each extension module adds: `balanza scenario` imports only model.cli, not the fetch stack
# (requests and the API adapters), which keeps it fast (bench/scenario.py).
EXTENSION_COMMANDS = {"model.cli": "scenario", "etl.fetch": "fetch"}


def cmd_build(args: argparse.Namespace) -> int:
    from etl.build import build_database

    summary = build_database(settings.db_path(args.db), manifest=Path(args.manifest), progress=True)
    print(summary.render())
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
    from etl.status import coverage_matrix, render_coverage

    print(render_coverage(coverage_matrix(settings.db_path(args.db))))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from dashboard.serve import serve

    return serve(settings.db_path(args.db), args.host, args.port, workers=args.workers)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `command` naming an extension's subcommand, only that extension is imported."""
    parser = argparse.ArgumentParser(prog="balanza", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="rebuild the database from data/sources.toml")
    settings.add_db_flag(build)
    build.add_argument("--manifest", default=str(settings.MANIFEST_PATH), help="sources manifest (TOML)")
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

    serve = sub.add_parser("serve", help="serve the dashboard (Streamlit)")
    settings.add_db_flag(serve)
    serve.add_argument("--host", default=settings.SERVE_HOST)
    serve.add_argument("--port", type=int, default=settings.SERVE_PORT)
    serve.add_argument("--workers", type=int, default=1,
                       help="Streamlit processes; more than 1 puts nginx (Debian package) in front, sticky sessions")
    serve.set_defaults(func=cmd_serve)

    only = command if command in EXTENSION_COMMANDS.values() else None
    for module_name in EXTENSION_MODULES:
        if only is None or EXTENSION_COMMANDS.get(module_name) == only:
            importlib.import_module(module_name).register(sub)
    return parser


EXIT_BAD_INPUT = 1  # a named error: bad input file, missing or unusable database, failed fetch
EXIT_USAGE = 2  # wrong arguments (argparse)
EXIT_INTERNAL = 3  # a bug: an exception Balanza did not expect (set BALANZA_DEBUG=1 for the traceback)
# Interrupted: 128 + the signal number (130 for SIGINT / Ctrl-C, 143 for SIGTERM); nothing was changed.


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit codes: 0 done, 1 named error, 2 usage, 3 unexpected error, 130/143 interrupted."""
    from etl.db import signals_interrupt_writers
    from etl.errors import Interrupted

    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
    try:
        with signals_interrupt_writers():
            return int(args.func(args) or 0)
    except BalanzaError as exc:
        print(f"balanza {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:
        code = exc.exit_code if isinstance(exc, Interrupted) else 130
        print(f"balanza {args.command}: interrupted; the database is unchanged", file=sys.stderr)
        return code
    except MemoryError:
        print(f"balanza {args.command}: error: out of memory; nothing was changed\n"
              "  what to do: close other programs or lower BALANZA_MEMORY_LIMIT, and run the command again",
              file=sys.stderr)  # fmt: skip
        return EXIT_BAD_INPUT
    except Exception as exc:  # never a bare traceback for the user; the details on request
        if settings.DEBUG.get():
            raise
        print(f"balanza {args.command}: unexpected error ({type(exc).__name__}: {' '.join(str(exc).split())[:300]}); "
              "nothing was changed\n  what to do: run again with BALANZA_DEBUG=1 for details and report it",
              file=sys.stderr)  # fmt: skip
        return EXIT_INTERNAL
