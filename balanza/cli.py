"""The `balanza` command line: thin; every command calls one function and its errors are reported here.

Each layer adds its own commands with a `register(subparsers)` function: `etl.cli` (build, load, status,
verify), `etl.fetch` (fetch), `model.cli` (scenario), `dashboard.claims.cli` (claims) and `dashboard.serve`
(serve). A command imports only its own layer's module, so `balanza scenario` never loads the fetch stack
(requests, the API adapters) nor Streamlit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from etl import settings
from etl.db import signals_interrupt_writers
from etl.errors import BalanzaError, Interrupted, printable

Register = Callable[[argparse._SubParsersAction], None]


def _etl(sub: argparse._SubParsersAction) -> None:
    from etl import cli

    cli.register(sub)


def _fetch(sub: argparse._SubParsersAction) -> None:
    from etl import fetch

    fetch.register(sub)


def _scenario(sub: argparse._SubParsersAction) -> None:
    from model import cli

    cli.register(sub)


def _claims(sub: argparse._SubParsersAction) -> None:
    from dashboard.claims import cli

    cli.register(sub)


def _serve(sub: argparse._SubParsersAction) -> None:
    from dashboard import serve

    serve.register(sub)


# Every command, in the order `balanza --help` lists them, and the layer function that adds it.
COMMANDS: dict[str, Register] = {
    "build": _etl, "load": _etl, "status": _etl, "verify": _etl, "serve": _serve, "scenario": _scenario,
    "claims": _claims, "fetch": _fetch,
}  # fmt: skip


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line; given a known `command`, only the layer module that defines it is imported."""
    parser = argparse.ArgumentParser(prog="balanza", description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="command", required=True)
    wanted = [COMMANDS[command]] if command in COMMANDS else list(COMMANDS.values())
    for register in dict.fromkeys(wanted):
        register(sub)
    return parser


EXIT_BAD_INPUT = 1  # a named error: bad input file, missing or unusable database, failed fetch
EXIT_USAGE = 2  # wrong arguments (argparse)
EXIT_INTERNAL = 3  # a bug: an exception Balanza did not expect (set BALANZA_DEBUG=1 for the traceback)
# Interrupted: 128 + the signal number (130 for SIGINT / Ctrl-C, 143 for SIGTERM); nothing was changed.


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; exit codes: 0 done, 1 named error, 2 usage, 3 unexpected error, 130/143 interrupted."""
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
        print(f"balanza {args.command}: unexpected error ({type(exc).__name__}: "
              f"{printable(' '.join(str(exc).split())[:300])}); "
              "nothing was changed\n  what to do: run again with BALANZA_DEBUG=1 for details and report it",
              file=sys.stderr)  # fmt: skip
        return EXIT_INTERNAL
