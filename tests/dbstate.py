"""What "the database is unchanged" means in tests: row count and an order-independent checksum per table."""

from __future__ import annotations

from pathlib import Path

import duckdb

CHECKED_TABLES = ("trade", "datasets", "published_figures")


def snapshot(db: Path) -> dict[str, tuple]:
    """Row count and sum of row hashes of every table a load can change."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: con.execute(f"SELECT count(*), coalesce(sum(hash(COLUMNS(*))), 0) FROM {table}").fetchone()
            for table in CHECKED_TABLES
        }
    finally:
        con.close()
