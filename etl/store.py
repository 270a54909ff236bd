"""Where the trade rows live: immutable Parquet files, one per loaded dataset, listed by the small database.

The database file (``balanza.duckdb``) holds the catalogue (``datasets``, ``trade_files``), the reference
tables and the views; the trade rows of each loaded dataset are ONE Parquet file in a folder beside it::

    balanza.duckdb
    balanza.duckdb.trade/source=<source>/d<dataset_id>-<random>.parquet

A file is written once and never changed. Rows in a file are sorted by reporter, partner, year and flow, in
row groups of 122,880 rows, so every engine that reads Parquet statistics (DuckDB, pyarrow, Spark, Trino)
skips the files and row groups a filter on source, reporter or year rules out; the ``source=`` folders are
Hive-style partitions for engines that prune by path.

``trade`` is a view over exactly the files ``trade_files`` lists (absolute paths: a copy of the database file
reads the same files). A writer (etl.db.write_session) works on a private copy of the small database file:

- :func:`begin` turns ``trade`` into an empty staging table for the rows this session loads and adds
  ``trade_all`` (staged ∪ stored) for the checks that compare new rows with loaded ones;
- :func:`forget` drops a replaced dataset's file from the list (the file itself is removed later);
- :func:`commit` writes each staged dataset's rows to a new file (fsynced), lists it, and turns ``trade``
  back into the view; the copy is then swapped in atomically, so readers see the old list or the new one.

A writer killed before the swap leaves only files no catalogue lists; the next writer (holding the writer
lock, so no other writer can be between writing a file and swapping) removes them. Files a swap stopped
listing (replaced datasets, rebuilds) are kept for :data:`GRACE_SECONDS` for readers still on the old list,
then removed by a later writer.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

import duckdb

from etl.record import TOTALS_TABLE
from etl.schema import TRADE_COLUMNS

STORE_SUFFIX = ".trade"
STAGED = "trade"
STORED_VIEW = "trade_stored"
ALL_VIEW = "trade_all"
ROW_GROUP_SIZE = 122_880
SORT_ORDER = ("reporter_iso3", "partner_iso3", "year", "flow", "period", "hs_code")
GRACE_SECONDS = 15 * 60  # how long a file no catalogue lists any more stays for readers of an older catalogue
_COLUMNS = ", ".join(TRADE_COLUMNS)

CATALOGUE_DDL = """
CREATE TABLE IF NOT EXISTS trade_files (
    dataset_id INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    path VARCHAR NOT NULL,   -- absolute path of the Parquet file
    row_count BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS trade_files_dropped (path VARCHAR NOT NULL, dropped_at DOUBLE NOT NULL);
"""


def store_dir(database: Path) -> Path:
    """The folder of Parquet files that belongs to a database file (beside it)."""
    return database.with_name(database.name + STORE_SUFFIX)


def _object_type(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    row = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_schema = 'main' AND table_name = ?",
        [name],
    ).fetchall()
    return row[0][0] if row else None


def _empty_select() -> str:
    return (
        "SELECT "
        + ", ".join(
            f"CAST(NULL AS {kind.replace(' NOT NULL', '')}) AS {name}" for name, kind in TRADE_COLUMNS.items()
        )
        + " WHERE false"
    )


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _files_select(paths: list[str]) -> str:
    if not paths:
        return _empty_select()
    listed = ", ".join(_quote(p) for p in paths)
    return f"SELECT {_COLUMNS} FROM read_parquet([{listed}], hive_partitioning = false)"  # noqa: S608


def listed_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    if _object_type(con, "trade_files") is None:
        return []
    return [
        row[0] for row in con.execute("SELECT path FROM trade_files ORDER BY dataset_id, path").fetchall()
    ]


def _create_stored_view(con: duckdb.DuckDBPyConnection, *, temporary: bool = False) -> None:
    kind = "TEMP VIEW" if temporary else "VIEW"
    con.execute(f"CREATE OR REPLACE {kind} {STORED_VIEW} AS {_files_select(listed_files(con))}")


def begin(con: duckdb.DuckDBPyConnection, *, previous: Path | None = None) -> list[str]:
    """Before etl.schema.create_schema in a write session: make ``trade`` a staging table again.

    ``previous``: the live database a fresh rebuild replaces; returns its files, which :func:`after_schema`
    records as dropped (they stay for readers of the old catalogue for the grace period). A database whose
    ``trade`` is still a table (made by hand or by a test with create_schema) keeps its rows there: they are
    staged, and :func:`commit` moves them into files.
    """
    paths: list[str] = []
    if previous is not None:
        old = duckdb.connect(str(previous), read_only=True)
        try:
            paths = listed_files(old)
        finally:
            old.close()
    if _object_type(con, STAGED) == "VIEW":
        _check_version(con)
        con.execute(f"DROP VIEW {STAGED}")
    if _object_type(con, STORED_VIEW) == "VIEW":
        con.execute(f"DROP VIEW {STORED_VIEW}")
    return paths


def _check_version(con: duckdb.DuckDBPyConnection) -> None:
    from etl.errors import DatabaseError
    from etl.schema import SCHEMA_VERSION

    found = con.execute("SELECT max(value) FROM schema_info WHERE key = 'schema_version'").fetchall()[0][0]
    if found != str(SCHEMA_VERSION):
        raise DatabaseError(f"the database has schema version {found}, this Balanza needs {SCHEMA_VERSION}",
                            hint="rebuild it with `balanza build` (the bundled data is loaded again in seconds)")  # fmt: skip


def after_schema(con: duckdb.DuckDBPyConnection, dropped: list[str] | None = None) -> None:
    """After create_schema: the file list, the view of the stored rows and the union the overlap checks read."""
    con.execute(CATALOGUE_DDL)
    now = time.time()
    con.execute("DELETE FROM trade_files_dropped WHERE dropped_at < ?", [now - 2 * GRACE_SECONDS])
    if dropped:
        con.executemany("INSERT INTO trade_files_dropped VALUES (?, ?)", [(path, now) for path in dropped])
    _create_stored_view(con, temporary=True)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {ALL_VIEW} AS SELECT {_COLUMNS} FROM {STAGED} "
                f"UNION ALL SELECT {_COLUMNS} FROM {STORED_VIEW}")  # fmt: skip  # noqa: S608


def forget(con: duckdb.DuckDBPyConnection, dataset_id: int) -> None:
    """Stop listing a dataset's file (its rows leave ``trade`` at the swap); the file is removed later."""
    if _object_type(con, "trade_files") is None:
        return
    con.execute("INSERT INTO trade_files_dropped SELECT path, ? FROM trade_files WHERE dataset_id = ?",
                [time.time(), dataset_id])  # fmt: skip
    con.execute("DELETE FROM trade_files WHERE dataset_id = ?", [dataset_id])
    _create_stored_view(con, temporary=True)


def delete_rows(con: duckdb.DuckDBPyConnection, where: str, params: list | None = None) -> int:
    """In a write session: remove the rows matching ``where`` (a fixed SQL condition over trade's columns;
    values bound through ``params``) from the staged and the stored rows. Only the files that hold such rows
    are rewritten: their other rows are staged again under the same dataset id and become a new file at
    commit; the old file is dropped like a replaced dataset's. Returns the number of rows removed."""
    params = list(params or [])
    removed = 0
    hit = con.execute(f"SELECT dataset_id, count(*) FROM {STORED_VIEW} WHERE {where} GROUP BY dataset_id",  # noqa: S608
                      params).fetchall()  # fmt: skip
    for dataset_id, count in hit:
        con.execute(
            f"INSERT INTO {STAGED} SELECT {_COLUMNS} FROM {STORED_VIEW} "  # noqa: S608
            f"WHERE dataset_id = {int(dataset_id)} AND NOT coalesce(({where}), false)",
            params,
        )
        forget(con, int(dataset_id))
        removed += count
    staged = con.execute(f"SELECT count(*) FROM {STAGED} WHERE {where}", params).fetchall()[0][0]  # noqa: S608
    con.execute(f"DELETE FROM {STAGED} WHERE {where}", params)  # noqa: S608
    return removed + int(staged)


def commit(con: duckdb.DuckDBPyConnection, database: Path) -> list[Path]:
    """Write every staged dataset's rows to its own new Parquet file (synced), list the files, and make
    ``trade`` the view of all listed files again. Returns the files written (the caller removes them if the
    swap does not happen)."""
    folder = store_dir(database)
    written: list[Path] = []
    try:
        staged = con.execute(
            f"SELECT dataset_id, min(source), count(*) FROM {STAGED} GROUP BY dataset_id ORDER BY dataset_id"  # noqa: S608
        ).fetchall()
        for dataset_id, source, rows in staged:
            part = folder / f"source={_safe(source)}"
            part.mkdir(parents=True, exist_ok=True)
            path = (part / f"d{dataset_id}-{secrets.token_hex(6)}.parquet").resolve()
            written.append(path)
            con.execute(
                f"COPY (SELECT {_COLUMNS} FROM {STAGED} WHERE dataset_id = {int(dataset_id)} "
                f"ORDER BY {', '.join(SORT_ORDER)}) TO {_quote(str(path))} "
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE})"  # noqa: S608
            )
            _fsync(path)
            con.execute("INSERT INTO trade_files VALUES (?, ?, ?, ?)", [dataset_id, source, str(path), rows])
        for part in {p.parent for p in written}:
            _fsync(part)
        if written:
            _fsync(folder)
        con.execute(f"DROP VIEW IF EXISTS {ALL_VIEW}")
        con.execute(f"DROP VIEW IF EXISTS {STORED_VIEW}")
        con.execute(f"DROP TABLE {STAGED}")
        publish(con)
    except BaseException:
        remove_files(written)
        raise
    return written


def publish(con: duckdb.DuckDBPyConnection) -> None:
    """Point ``trade`` (and ``trade_stored``) at exactly the files ``trade_files`` lists, and copy their
    all-goods rows into the catalogue (etl.record.TOTALS_TABLE: what the record of country totals reads)."""
    _create_stored_view(con)
    con.execute(f"CREATE OR REPLACE VIEW {STAGED} AS SELECT * FROM {STORED_VIEW}")
    con.execute(f"CREATE OR REPLACE TABLE {TOTALS_TABLE} AS SELECT * FROM {STAGED} WHERE hs_code = 'TOTAL' "
                f"ORDER BY {', '.join(SORT_ORDER)}")  # fmt: skip  # noqa: S608


def collect_garbage(live: Path) -> None:
    """Remove, under the writer lock, the files no catalogue will read again: files the live catalogue does
    not list and never listed (a killed writer's), and files it stopped listing more than the grace period ago."""
    folder = store_dir(live)
    if not folder.is_dir():
        return
    listed: set[str] = set()
    dropped: dict[str, float] = {}
    if live.exists():
        con = duckdb.connect(str(live), read_only=True)
        try:
            listed = set(listed_files(con))
            if _object_type(con, "trade_files_dropped") is not None:
                dropped = dict(
                    con.execute(
                        "SELECT path, max(dropped_at) FROM trade_files_dropped GROUP BY path"
                    ).fetchall()
                )
        finally:
            con.close()
    now = time.time()
    for path in folder.glob("source=*/*.parquet"):
        name = str(path.resolve())
        if name in listed:
            continue
        if name in dropped and now - dropped[name] < GRACE_SECONDS:
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _safe(source: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in str(source)) or "unknown"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
