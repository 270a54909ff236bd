"""Project-wide constants, and THE registry of settings read from the environment.

Every environment variable Balanza reads is a `Setting` in `SETTINGS` below, with its default and help, and is
read through `Setting.get()`; nothing else in the code calls `os.environ.get`. The README's settings table is
rendered from this registry (`make docs`); `tests/unit/test_settings.py` fails when the two differ.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
MANIFEST_PATH = DATA_DIR / "sources.toml"
SEEDS_DIR = PROJECT_ROOT / "seeds"
README_PATH = PROJECT_ROOT / "README.md"

SERVE_HOST = "127.0.0.1"
SERVE_PORT = 8501
# The largest upload the dashboard takes (scenario files, its only upload), in MiB: Streamlit's server.maxUploadSize
# (`balanza serve` and .streamlit/config.toml), nginx's client_max_body_size and the Scenarios page's own check.
MAX_UPLOAD_MB = 1

# IMF DOTS converts partner CIF imports to FOB with this factor; OEC uses 1.08.
CIF_FOB_FACTOR_IMF = 1.06
CIF_FOB_FACTOR_OEC = 1.08


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, its default (None: unset means "not given") and what it sets."""

    name: str
    default: str | None
    help: str
    secret: bool = False  # never printed, logged or stored

    def get(self) -> str | None:
        """The variable's value with surrounding blanks removed; the default when unset or blank."""
        value = os.environ.get(self.name, "").strip()
        return value or self.default

    def require(self) -> str:
        """The value of a setting that must have one (those with a default always do)."""
        value = self.get()
        if value is None:
            raise LookupError(f"{self.name} is not set")
        return value

    def get_int(self) -> int:
        """The value as an integer; ValueError naming the variable when it is not one."""
        value = self.require()
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"{self.name} must be a whole number, not {value!r}") from None


DB = Setting(
    "BALANZA_DB",
    "data/balanza.duckdb",
    "The database file every command and the dashboard use (relative paths from the working directory; "
    "the default is inside the checkout). A `--db PATH` flag wins over it.",
)
MEMORY_LIMIT = Setting(
    "BALANZA_MEMORY_LIMIT",
    "400MB",
    "DuckDB buffer-pool cap for writers (`build`, `load`, `fetch`); larger loads spill to disk.",
)
COMTRADE_API_KEY = Setting(
    "COMTRADE_API_KEY",
    None,
    "UN Comtrade subscription key for `balanza fetch`; without it the public preview endpoint is used "
    "(500 records per call). Sent only over HTTPS, never logged or stored.",
    secret=True,
)
COMTRADE_BASE_URL = Setting(
    "COMTRADE_BASE_URL",
    "https://comtradeapi.un.org",
    "API root for `balanza fetch` (a `--base-url` flag wins over it).",
)
DEBUG = Setting(
    "BALANZA_DEBUG",
    None,
    "When set, an unexpected error (a bug) shows its Python traceback instead of one line (exit code 3).",
)
FUZZ_EXAMPLES = Setting(
    "BALANZA_FUZZ_EXAMPLES",
    "60",
    "Tests only: how many generated files each CSV fuzz test tries.",
)
WARM = Setting(
    "BALANZA_WARM",
    None,
    "Set to `1` by `balanza serve` for the Streamlit servers it starts: a background thread computes the "
    "results every session shares (claim cards, scenario presets, catalogue) at start and after every database "
    "swap, and after a swap the queries pages asked for on the previous database. Unset (tests, a bare "
    "`streamlit run`): the first visitor computes them.",
)
PUBLIC_URL = Setting(
    "BALANZA_PUBLIC_URL",
    None,
    "The public address of the dashboard (e.g. `https://balanza.example.org/app`) that links in CSV and Excel "
    "files, scenario reports and slide decks point to; unset: files link to the address the dashboard was opened "
    "at, reports and decks relatively (`scenarios?…`), never to a loopback address.",
)
TRACE = Setting(
    "BALANZA_TRACE",
    None,
    "Set to `1`: every dashboard page run logs (logger `balanza.trace`, on standard error) the SQL queries it ran "
    "with their time in ms and rows, and the shared results it computed or reused, so a slow page explains "
    "itself. Unset: nothing is timed.",
)
RESULTS = Setting(
    "BALANZA_RESULTS",
    None,
    "Where the dashboard keeps the results every session shares (claim cards, scenario runs, catalogue, figures) "
    "per database version, so every worker process of `balanza serve` reads what one of them computed: unset, a "
    "folder beside the database (`<database>.results/`, made 0700; its files are Python pickles, so it must be "
    "the server user's alone); a path, that folder (for a read-only database folder); `off`, each process keeps "
    "its own in memory only.",
)
BENCH_PROFILE = Setting(
    "BENCH_PROFILE",
    None,
    "Benchmarks only: when set, `bench/pages.py` writes a cProfile dump to this path.",
)
BROWSER_PATH = Setting(
    "BROWSER_PATH",
    None,
    "The Chromium or Chrome that draws the slide decks' chart images (through kaleido, which reads the same "
    "variable) and prints the scenario report as PDF; unset: `chromium` (Debian's) or Chrome found on the PATH.",
)

SETTINGS: tuple[Setting, ...] = (
    DB,
    MEMORY_LIMIT,
    COMTRADE_API_KEY,
    COMTRADE_BASE_URL,
    DEBUG,
    WARM,
    TRACE,
    RESULTS,
    FUZZ_EXAMPLES,
    BENCH_PROFILE,
    PUBLIC_URL,
    BROWSER_PATH,
)

DEFAULT_DB_PATH = PROJECT_ROOT / (DB.default or "")


def db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database path: the `--db` flag, else BALANZA_DB, else data/balanza.duckdb in the checkout."""
    if cli_value:
        return Path(cli_value)
    value = DB.get()
    return Path(value) if value and value != DB.default else DEFAULT_DB_PATH


def add_db_flag(parser: argparse.ArgumentParser) -> None:
    """The one `--db` flag every subcommand shares (resolved by `db_path`)."""
    parser.add_argument("--db", default=None, help=f"database file (default: ${DB.name} or {DB.default})")


# --- the README's settings table ----------------------------------------------------------------------------

README_BEGIN = "<!-- settings:begin (generated from etl/settings.py by `make docs`; do not edit by hand) -->"
README_END = "<!-- settings:end -->"


def settings_table() -> str:
    """The registry as a Markdown table."""
    lines = ["| variable | default | what it sets |", "|---|---|---|"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default is not None else "(unset)"
        lines.append(f"| `{setting.name}` | {default} | {setting.help} |")
    return "\n".join(lines)


def with_settings_table(readme: str) -> str:
    """`readme` with the text between the settings markers replaced by the current table."""
    try:
        head, rest = readme.split(README_BEGIN, 1)
        _, tail = rest.split(README_END, 1)
    except ValueError:
        raise ValueError(f"README lacks the markers {README_BEGIN!r} … {README_END!r}") from None
    return f"{head}{README_BEGIN}\n{settings_table()}\n{README_END}{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m etl.settings [--write]`: print the settings table, or rewrite it into README.md."""
    parser = argparse.ArgumentParser(prog="python -m etl.settings", description=main.__doc__)
    parser.add_argument("--write", action="store_true", help=f"rewrite the table in {README_PATH.name}")
    args = parser.parse_args(argv)
    if not args.write:
        print(settings_table())
        return 0
    text = README_PATH.read_text(encoding="utf-8")
    updated = with_settings_table(text)
    if updated != text:
        README_PATH.write_text(updated, encoding="utf-8")
        print(f"{README_PATH.name}: settings table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
