"""Revisions: which stored rows a revision supersedes (``trade_superseded``), and where a superseded row goes when
the dataset that replaced it is dropped or loses the row."""

from __future__ import annotations

import duckdb

from etl.schema import TRADE_KEY
from etl.store.layout import ALL_VIEW, EVERY_VIEW, STAGED, SUPERSEDED_TABLE
from etl.store.views import _create_session_views


def _holds(column: str) -> str:
    """SQL: the dataset in ``s.<column>`` still holds the observation of superseded entry ``s``."""
    match = " AND ".join(f"t.{name} = s.{name}" for name in TRADE_KEY)
    return f"EXISTS (SELECT 1 FROM {EVERY_VIEW} t WHERE t.dataset_id = s.{column} AND {match})"


def _resolve_vintages(con: duckdb.DuckDBPyConnection, changed: list[int]) -> None:
    """After the rows of the ``changed`` datasets changed: drop the superseded entries whose row is gone, and
    point the entries whose superseding row is gone at the earliest later dataset that holds the observation
    (or drop them: the row is current again)."""
    if not changed:
        return
    ids = ", ".join(str(int(i)) for i in changed)
    con.execute(
        f"DELETE FROM {SUPERSEDED_TABLE} s WHERE dataset_id IN ({ids}) AND NOT {_holds('dataset_id')}"
    )
    orphaned = f"superseded_by IN ({ids}) AND NOT {_holds('superseded_by')}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE orphan_vintages AS SELECT * FROM {SUPERSEDED_TABLE} s WHERE {orphaned}"
    )
    con.execute(f"DELETE FROM {SUPERSEDED_TABLE} s WHERE {orphaned}")
    key = ", ".join(f"o.{name}" for name in TRADE_KEY)
    match = " AND ".join(f"t.{name} = o.{name}" for name in TRADE_KEY)
    con.execute(f"""
        INSERT INTO {SUPERSEDED_TABLE}
        SELECT o.dataset_id, {key}, min(t.dataset_id)
        FROM orphan_vintages o JOIN {EVERY_VIEW} t ON {match} AND t.dataset_id > o.dataset_id
        GROUP BY o.dataset_id, {key}
    """)
    con.execute("DROP TABLE orphan_vintages")
    _create_session_views(con)


def supersede(con: duckdb.DuckDBPyConnection, dataset_id: int) -> tuple[int, list[int]]:
    """In a write session: the staged rows of ``dataset_id`` (a revision) supersede the current rows of the
    same observations (same source and key) in other datasets. Returns (rows superseded, their datasets).

    Only the new rows' sources, reporters and years are read, given as constants so the scan skips every
    stored file and row group outside them."""
    bounds = con.execute(
        f"SELECT list(DISTINCT source), list(DISTINCT reporter_iso3), min(year), max(year) FROM {STAGED} "
        "WHERE dataset_id = ?",
        [dataset_id],
    ).fetchall()[0]
    if bounds[2] is None:
        return 0, []
    params: dict[str, object] = {"id": dataset_id, "first": bounds[2], "last": bounds[3]}
    params |= {f"s{i}": value for i, value in enumerate(bounds[0])}
    params |= {f"r{i}": value for i, value in enumerate(bounds[1])}
    sources = ", ".join(f"$s{i}" for i in range(len(bounds[0])))
    reporters = ", ".join(f"$r{i}" for i in range(len(bounds[1])))
    key = ", ".join(TRADE_KEY)
    match = " AND ".join(f"t.{name} = n.{name}" for name in TRADE_KEY)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE new_vintage AS
        SELECT t.dataset_id, {", ".join(f"t.{name}" for name in TRADE_KEY)}
        FROM (SELECT * FROM {ALL_VIEW} WHERE source IN ({sources}) AND reporter_iso3 IN ({reporters})
              AND year BETWEEN $first AND $last AND dataset_id <> $id) t
        SEMI JOIN (SELECT {key} FROM {STAGED} WHERE dataset_id = $id) n ON {match}
        """,
        params,
    )
    count, datasets = con.execute("SELECT count(*), list(DISTINCT dataset_id ORDER BY dataset_id) FROM new_vintage").fetchall()[0]  # fmt: skip
    if count:
        con.execute(f"INSERT INTO {SUPERSEDED_TABLE} SELECT *, ? FROM new_vintage", [dataset_id])
        _create_session_views(con)
    con.execute("DROP TABLE new_vintage")
    return int(count), [int(d) for d in datasets or []]
