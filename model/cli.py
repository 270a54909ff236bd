"""`balanza scenario SPEC.json [--db PATH]`: run a scenario file and print the result as JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl import settings, store
from etl.db import connect_read_only
from etl.errors import InputError
from model.spec import PRESETS_DIR, preset_path, preset_paths


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "scenario",
        help="run a tariff or purchase scenario (JSON file) and print the result as JSON",
        description=f"Run a scenario file. Presets live in {PRESETS_DIR}.",
    )
    parser.add_argument("spec", help="scenario JSON file, or the name of a preset (e.g. us_10pct_everyone)")
    settings.add_db_flag(parser)
    parser.add_argument("--indent", type=int, default=2, help="JSON indentation (0 = compact)")
    parser.add_argument(
        "--lines",
        action="store_true",
        help="add the full result by line and partner (`lines`: one array per column, ~209,000 rows)",
    )
    parser.set_defaults(func=cmd_scenario)


def cmd_scenario(args: argparse.Namespace) -> int:
    from model.scenario import run_scenario
    from model.spec import parse_spec

    spec = parse_spec(read_spec_text(args.spec))
    db_path = settings.db_path(args.db)
    con = connect_read_only(db_path)
    try:
        with store.explained_read_errors(con, db_path):  # a damaged stored file: its named error
            result = run_scenario(spec, con)
    finally:
        con.close()
    sys.stdout.write(result.to_json(indent=args.indent or None, lines=args.lines))
    sys.stdout.write("\n")
    return 0


def read_spec_text(name: str) -> str:
    path = Path(name)
    if not path.exists() and preset_path(name).exists():
        path = preset_path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        presets = ", ".join(p.stem for p in preset_paths())
        raise InputError(
            path, "scenario file not found", hint=f"give a JSON file or a preset: {presets}"
        ) from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, "not UTF-8 text", hint="save the scenario as UTF-8 JSON") from exc
