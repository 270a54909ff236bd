"""The store's part of a write session (etl.db.write_session): staging (:func:`begin`, :func:`after_schema`),
forgetting a replaced dataset, deleting rows, and the commit that writes each staged dataset to one new Parquet
file, synced, with its size, row count and checksums listed."""

from __future__ import annotations

import os
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl.errors import DatabaseError
from etl.store import garbage
from etl.store.footer import file_sha256, read_footer
from etl.store.integrity import check_version
from etl.store.layout import (
    _COLUMNS,
    ALL_VIEW,
    DROPPED_TABLE,
    EVERY_VIEW,
    FILES_TABLE,
    LOADED_TABLE,
    ROW_GROUP_SIZE,
    SORT_ORDER,
    STAGED,
    STORED_VIEW,
    VINTAGES_VIEW,
    _fsync,
    _make_dirs,
    _object_type,
    _quote,
    _safe,
    catalogue_folder,
    catalogue_permissions,
    file_path,
    open_private,
    remove_files,
    store_dir,
)
from etl.store.views import _create_session_views, _every_select, _read_files, listed_files, publish
from etl.store.vintages import _resolve_vintages


def begin(con: duckdb.DuckDBPyConnection, *, previous: Path | None = None) -> list[tuple[str, float]]:
    """Before etl.schema.create_schema in a write session: make ``trade`` a staging table again.

    ``previous``: the live database a fresh rebuild replaces; returns its files (listed now, or dropped by it
    within the grace period) with the time they stop being listed, which :func:`after_schema` records as
    dropped: they stay for readers of the old catalogue for the grace period. A database whose ``trade`` is
    still a table (made by hand or by a test with create_schema) keeps its rows there: they are staged, and
    :func:`commit` moves them into files.
    """
    dropped = _previous_files(previous) if previous is not None else []
    if _object_type(con, STAGED) == "VIEW":
        check_version(con)
        con.execute(f"DROP VIEW {STAGED}")
    for view in (STORED_VIEW, VINTAGES_VIEW):
        if _object_type(con, view) == "VIEW":
            con.execute(f"DROP VIEW {view}")
    return dropped


def _previous_files(previous: Path) -> list[tuple[str, float]]:
    """The files a rebuilt catalogue listed or still kept for its readers; paths relative to its folder (an
    older catalogue's absolute paths are made relative where they lie in that folder). A catalogue that cannot
    be read gives none (its files are then kept for the grace period by their age)."""
    now = time.time()
    folder = catalogue_folder(previous)
    found: list[tuple[str, float]] = []
    try:
        old = open_private(previous)
    except (duckdb.Error, OSError):
        return []
    try:
        if _object_type(old, FILES_TABLE) is not None:
            found += [(path, now) for path in listed_files(old)]
        if _object_type(old, DROPPED_TABLE) is not None:
            found += old.execute(f"SELECT path, dropped_at FROM {DROPPED_TABLE}").fetchall()
    except duckdb.Error:
        return []
    finally:
        old.close()
    relative = []
    for path, when in found:
        if os.path.isabs(path):
            try:
                path = Path(path).relative_to(folder).as_posix()
            except ValueError:
                continue  # not in this catalogue's folder: never Balanza's to remove
        relative.append((path, float(when)))
    return relative


def after_schema(con: duckdb.DuckDBPyConnection, dropped: list[tuple[str, float]] | None = None) -> None:
    """After create_schema: the files kept for older readers, the view of the stored rows and the union the
    overlap checks read."""
    now = time.time()
    con.execute(f"DELETE FROM {DROPPED_TABLE} WHERE dropped_at < ?", [now - 2 * garbage.GRACE_SECONDS])
    if dropped:
        con.executemany(f"INSERT INTO {DROPPED_TABLE} VALUES (?, ?)", [list(item) for item in dropped])
    _create_session_views(con)


def _drop_file(con: duckdb.DuckDBPyConnection, dataset_id: int) -> None:
    con.execute(f"INSERT INTO {DROPPED_TABLE} SELECT path, ? FROM {FILES_TABLE} WHERE dataset_id = ?",
                [time.time(), dataset_id])  # fmt: skip
    con.execute(f"DELETE FROM {FILES_TABLE} WHERE dataset_id = ?", [dataset_id])


def forget(con: duckdb.DuckDBPyConnection, dataset_id: int) -> None:
    """Stop listing a dataset's file (its rows leave ``trade`` at the swap); the file is removed later. Rows
    it superseded go back to the next later vintage that holds them, or become current again."""
    if _object_type(con, LOADED_TABLE) is not None:  # a replaced file's kept copy is not loaded again
        con.execute(f"INSERT INTO {DROPPED_TABLE} SELECT path, ? FROM {LOADED_TABLE} WHERE dataset_id = ?",
                    [time.time(), dataset_id])  # fmt: skip
        con.execute(f"DELETE FROM {LOADED_TABLE} WHERE dataset_id = ?", [dataset_id])
    if _object_type(con, FILES_TABLE) is None:
        return
    _drop_file(con, dataset_id)
    _create_session_views(con)
    _resolve_vintages(con, [dataset_id])


def delete_rows(con: duckdb.DuckDBPyConnection, where: str, params: list | None = None) -> int:
    """In a write session: remove the rows matching ``where`` (a fixed SQL condition over trade's columns;
    values bound through ``params``) from the staged and the stored rows, every vintage. Only the files that
    hold such rows are rewritten: their other rows are staged again under the same dataset id and become a
    new file at commit; the old file is dropped like a replaced dataset's. Returns the number of rows removed."""
    params = list(params or [])
    removed = 0
    hit = con.execute(f"SELECT dataset_id, count(*) FROM ({_every_select(con)}) WHERE {where} GROUP BY dataset_id",
                      params).fetchall()  # fmt: skip
    for dataset_id, count in hit:
        (path,) = con.execute(
            f"SELECT list(path) FROM {FILES_TABLE} WHERE dataset_id = ?", [dataset_id]
        ).fetchall()[0]
        con.execute(
            f"INSERT INTO {STAGED} SELECT {_COLUMNS} FROM {_read_files(con, list(path))} "
            f"WHERE NOT coalesce(({where}), false)",
            params,
        )
        _drop_file(con, int(dataset_id))
        removed += count
    staged = con.execute(f"SELECT count(*) FROM {STAGED} WHERE {where}", params).fetchall()[0][0]
    con.execute(f"DELETE FROM {STAGED} WHERE {where}", params)
    _create_session_views(con)
    changed = [int(d) for d, _ in hit] + [
        int(row[0]) for row in con.execute(f"SELECT DISTINCT dataset_id FROM {STAGED}").fetchall()
    ]
    _resolve_vintages(con, sorted(set(changed)))
    return removed + int(staged)


def commit(con: duckdb.DuckDBPyConnection, database: Path) -> list[Path]:
    """Write every staged dataset's rows to its own new Parquet file (synced), list it with its size, row count
    and checksums, and make ``trade`` the view of all listed files again. Returns the files written (the
    caller removes them if the swap does not happen)."""
    folder = store_dir(database)
    permissions = catalogue_permissions(database)
    written: list[Path] = []
    try:
        staged = con.execute(
            f"SELECT dataset_id, min(source), count(*) FROM {STAGED} GROUP BY dataset_id ORDER BY dataset_id"
        ).fetchall()
        for dataset_id, source, rows in staged:
            part = folder / f"source={_safe(source)}"
            _make_dirs(part, folder, permissions)
            name = f"d{dataset_id}-{secrets.token_hex(6)}.parquet"
            path = part / name
            written.append(path)
            con.execute(
                f"COPY (SELECT {_COLUMNS} FROM {STAGED} WHERE dataset_id = {int(dataset_id)} "
                f"ORDER BY {', '.join(SORT_ORDER)}) TO {_quote(os.path.abspath(path))} "
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE})"
            )
            if permissions is not None:
                permissions.apply(path)
            _fsync(path)
            register_file(
                con, database, int(dataset_id), str(source), f"{folder.name}/{part.name}/{name}", int(rows)
            )
        for part in {p.parent for p in written}:
            _fsync(part)
        if written:
            _fsync(folder)
        for view in (ALL_VIEW, EVERY_VIEW, STORED_VIEW):
            con.execute(f"DROP VIEW IF EXISTS temp.{view}")
        con.execute(f"DROP TABLE {STAGED}")
        publish(con)
    except BaseException:
        remove_files(written)
        raise
    return written


def register_file(con: duckdb.DuckDBPyConnection, database: Path, dataset_id: int, source: str, relative: str,
                  rows: int) -> None:  # fmt: skip
    """List a written file (path relative to the catalogue's folder) with its size, row count and checksums."""
    path = file_path(database, relative)
    size = path.stat().st_size
    footer_rows, footer_digest = read_footer(path)
    if footer_rows != rows:
        raise DatabaseError(f"{relative}: the file written holds {footer_rows:,} rows, {rows:,} were staged")
    con.execute(
        f"INSERT INTO {FILES_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [dataset_id, source, relative, rows, size, footer_digest, file_sha256(path),
         datetime.now(UTC).replace(tzinfo=None)],
    )  # fmt: skip
