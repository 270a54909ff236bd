"""The `balanza` command line: thin; every command calls one function and reports its errors."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from etl import settings
from etl.errors import BalanzaError

# Modules that add their own subcommand: each exposes `register(subparsers) -> None` and sets
# `func` on its parser. Listed here so the command line stays one place to read.
EXTENSION_MODULES = ("model.cli", "etl.fetch")


def cmd_build(args: argparse.Namespace) -> int:
    from etl.build import build_database

    summary = build_database(settings.db_path(args.db), manifest=Path(args.manifest), progress=True)
    print(summary.render())
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from etl.load import load_files

    results = load_files(settings.db_path(args.db), [Path(p) for p in args.paths], progress=True)
    for result in results:
        print(result.render())
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from etl.status import coverage_matrix, render_coverage

    print(render_coverage(coverage_matrix(settings.db_path(args.db))))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    app = settings.PROJECT_ROOT / "dashboard" / "streamlit_app.py"
    env = dict(os.environ, BALANZA_DB=str(settings.db_path(args.db).resolve()))
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", args.host, "--server.port", str(args.port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    return subprocess.call(command, env=env)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="balanza", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="rebuild the database from data/sources.toml")
    settings.add_db_flag(build)
    build.add_argument("--manifest", default=str(settings.MANIFEST_PATH), help="sources manifest (TOML)")
    build.set_defaults(func=cmd_build)

    load = sub.add_parser("load", help="load files (format detected from content) in one transaction")
    load.add_argument("paths", nargs="+", help="files to load")
    settings.add_db_flag(load)
    load.set_defaults(func=cmd_load)

    status = sub.add_parser("status", help="coverage matrix: source × reporter × partner × flow → years")
    settings.add_db_flag(status)
    status.set_defaults(func=cmd_status)

    serve = sub.add_parser("serve", help="serve the dashboard (Streamlit)")
    settings.add_db_flag(serve)
    serve.add_argument("--host", default=settings.SERVE_HOST)
    serve.add_argument("--port", type=int, default=settings.SERVE_PORT)
    serve.set_defaults(func=cmd_serve)

    for module_name in EXTENSION_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                continue  # that extension is not part of this checkout
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except BalanzaError as exc:
        print(f"balanza {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"balanza {args.command}: interrupted; the database is unchanged", file=sys.stderr)
        return 130
