"""Project-wide constants and the few settings read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
MANIFEST_PATH = DATA_DIR / "sources.toml"
DEFAULT_DB_PATH = DATA_DIR / "balanza.duckdb"
SEEDS_DIR = PROJECT_ROOT / "seeds"

SERVE_HOST = "127.0.0.1"
SERVE_PORT = 8501

# IMF DOTS converts partner CIF imports to FOB with this factor; OEC uses 1.08.
CIF_FOB_FACTOR_IMF = 1.06
CIF_FOB_FACTOR_OEC = 1.08


def db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database path: the CLI flag, else BALANZA_DB, else data/balanza.duckdb."""
    if cli_value:
        return Path(cli_value)
    env_value = os.environ.get("BALANZA_DB")
    return Path(env_value) if env_value else DEFAULT_DB_PATH
