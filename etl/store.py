"""Where the trade rows live: immutable Parquet files, one per loaded dataset, listed by the small database.

The database file (``balanza.duckdb``, the catalogue) holds ``datasets``, the list of files (``trade_files``),
the reference tables and the views; the trade rows of each loaded dataset are ONE Parquet file in a folder
beside it::

    balanza.duckdb
    balanza.duckdb.trade/source=<source>/d<dataset_id>-<random>.parquet
    balanza.duckdb.trade/catalogue.sha256      the catalogue's checksum, written at every commit
    balanza.duckdb.trade/loaded/<sha256 prefix>-<name>   a copy of each file loaded outside the manifest

A file is written once and never changed. Rows in a file are sorted by reporter, partner, year and flow, in
row groups of 122,880 rows, so every engine that reads Parquet statistics (DuckDB, pyarrow, Spark, Trino)
skips the files and row groups a filter on source, reporter or year rules out; the ``source=`` folders are
Hive-style partitions for engines that prune by path.

**Relocatable.** ``trade_files`` lists each file relative to the catalogue's folder, with its size, row count,
the sha256 of its Parquet footer and of the whole file. The views read ``<folder>/<path>`` where ``<folder>`` is
DuckDB's ``file_search_path``, which :func:`use_folder` sets to the catalogue's own folder whenever Balanza
opens it (etl.db). So the folder holding the catalogue and its store can be moved or copied (``mv``,
``cp -a``), and a copy reads its own files, never the original's. (A DuckDB client that does not set it reads
the folder the catalogue was written in.)

**Self-checking.** :func:`check_catalogue` runs at every open (readers and writers): the schema version, and
each listed file's size and footer checksum (which covers its row count): a missing, cut or replaced file is
a named :class:`~etl.errors.DatabaseError` (which file, which dataset, what to do), never a wrong total.
:func:`check_files` with ``content=True`` also compares every file's sha256 (``balanza verify``). Writers
compare the catalogue file with its recorded checksum before copying it (random bytes written into it are
refused before anything is written).

**Vintages.** A dataset loaded as a revision (``balanza load --revision``, ``balanza fetch``) holds newer values
of observations another dataset of the same source holds: ``trade_superseded`` lists the older rows, which
``trade`` leaves out (one value per observation and source; etl/record.py still chooses between sources).
``trade_vintages`` keeps every row with its load date and the dataset that superseded it, and the table macro
``trade_as_of(timestamp)`` gives ``trade`` as it was at that time.

**Kept copies.** A file loaded outside the manifest (``balanza load``, ``balanza fetch``) is copied into the
``loaded/`` folder (:func:`keep_loaded_file`) and listed in ``loaded_files``, so a rebuild loads it again
(etl/build.py); a copy no catalogue lists is collected like a store file.

A writer (etl.db.write_session) works on a private copy of the small database file:

- :func:`begin` turns ``trade`` into an empty staging table for the rows this session loads and adds
  ``trade_all`` (staged ∪ stored, current vintages) for the checks that compare new rows with loaded ones;
- :func:`forget` drops a replaced dataset's file from the list (the file itself is removed later);
- :func:`supersede` records which stored rows a revision replaces;
- :func:`commit` writes each staged dataset's rows to a new file (fsynced, with the catalogue's mode and
  group), lists it, and turns ``trade`` back into the view; the copy is then swapped in atomically, so
  readers see the old list or the new one.

Garbage is collected (:func:`collect_garbage`) only after the new catalogue is durable, under the writer lock,
only of files the live catalogue does not list and that are past :data:`GRACE_SECONDS` (since a commit stopped
listing them, or since they were written for files no catalogue ever listed: a killed writer's), and never
while a file it lists is missing. A rebuild carries the old catalogue's files over as dropped, so readers of
the older catalogue keep working through a ``build`` too.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import stat
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb

from etl.errors import DatabaseError, InputError
from etl.record import TOTALS_TABLE
from etl.schema import SCHEMA_VERSION, TRADE_COLUMNS, TRADE_KEY

logger = logging.getLogger("balanza.store")

STORE_SUFFIX = ".trade"
STAGED = "trade"
STORED_VIEW = "trade_stored"
ALL_VIEW = "trade_all"
EVERY_VIEW = "trade_every"  # in a write session: staged ∪ every vintage of the listed files
VINTAGES_VIEW = "trade_vintages"
AS_OF_MACRO = "trade_as_of"
FILES_TABLE = "trade_files"
DROPPED_TABLE = "trade_files_dropped"
SUPERSEDED_TABLE = "trade_superseded"
LOADED_TABLE = "loaded_files"  # files loaded outside the manifest, kept for rebuilds (etl/build.py)
LOADED_DIR = "loaded"  # their copies: <store>/loaded/<sha256 prefix>-<file name>
CHECKSUM_NAME = "catalogue.sha256"
ROW_GROUP_SIZE = 122_880
SORT_ORDER = ("reporter_iso3", "partner_iso3", "year", "flow", "period", "hs_code")
GRACE_SECONDS = 15 * 60  # how long a file no catalogue lists any more stays for readers of an older catalogue
HASH_CHUNK = 4 * 1024 * 1024
_COLUMNS = ", ".join(TRADE_COLUMNS)
_KEY_MATCH = " AND ".join(f"t.{name} = s.{name}" for name in ("dataset_id", *TRADE_KEY))


def store_dir(database: Path) -> Path:
    """The folder of Parquet files that belongs to a database file (beside it)."""
    return database.with_name(database.name + STORE_SUFFIX)


def catalogue_folder(database: Path) -> Path:
    """The folder the catalogue's file paths are relative to: the real file's (a symlinked path's target's)."""
    real = Path(os.path.realpath(database)) if database.is_symlink() else Path(os.path.abspath(database))
    return real.parent


def file_path(database: Path, relative: str) -> Path:
    """Where a file ``trade_files`` lists is, for the catalogue at ``database``."""
    return catalogue_folder(database) / relative


def use_folder(con: duckdb.DuckDBPyConnection, database: Path) -> None:
    """Make the views of the catalogue opened by ``con`` read the files in the catalogue's folder (for every
    connection and cursor of this DuckDB instance)."""
    con.execute(f"SET GLOBAL file_search_path = {_quote(str(catalogue_folder(database)))}")


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


def _folder_sql(con: duckdb.DuckDBPyConnection) -> str:
    """The folder the views read the files from: the instance's file_search_path (set by :func:`use_folder`
    whenever Balanza opens a catalogue), else the folder it was written in."""
    written_in = con.execute("SELECT current_setting('file_search_path')").fetchall()[0][0] or "."
    return f"coalesce(nullif(current_setting('file_search_path'), ''), {_quote(written_in)})"


def _read_files(con: duckdb.DuckDBPyConnection, paths: list[str]) -> str:
    listed = ", ".join(_quote(p) for p in paths)
    return (f"read_parquet(list_transform([{listed}], lambda p: {_folder_sql(con)} || '/' || p), "
            "hive_partitioning = false)")  # fmt: skip


def listed_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    if _object_type(con, FILES_TABLE) is None:
        return []
    return [
        row[0]
        for row in con.execute(f"SELECT path FROM {FILES_TABLE} ORDER BY dataset_id, path").fetchall()  # noqa: S608
    ]


def _current_select(con: duckdb.DuckDBPyConnection) -> str:
    """The current rows of every listed file: rows a later vintage supersedes are left out (only in the files
    that have such rows: the others are read as they are)."""
    files = con.execute(f"SELECT dataset_id, path FROM {FILES_TABLE} ORDER BY dataset_id, path").fetchall()  # noqa: S608
    if not files:
        return _empty_select()
    revised = {
        row[0] for row in con.execute(f"SELECT DISTINCT dataset_id FROM {SUPERSEDED_TABLE}").fetchall()
    }  # noqa: S608
    whole = [path for dataset_id, path in files if dataset_id not in revised]
    partly = [path for dataset_id, path in files if dataset_id in revised]
    parts = []
    if whole:
        parts.append(f"SELECT {_COLUMNS} FROM {_read_files(con, whole)}")
    if partly:
        columns = ", ".join(f"t.{name}" for name in TRADE_COLUMNS)
        parts.append(f"SELECT {columns} FROM {_read_files(con, partly)} t "
                     f"ANTI JOIN {SUPERSEDED_TABLE} s ON {_KEY_MATCH}")  # fmt: skip
    return " UNION ALL ".join(parts)


def _every_select(con: duckdb.DuckDBPyConnection) -> str:
    """Every row of every listed file, whichever vintage."""
    paths = listed_files(con)
    return f"SELECT {_COLUMNS} FROM {_read_files(con, paths)}" if paths else _empty_select()  # noqa: S608


def _create_stored_view(con: duckdb.DuckDBPyConnection, *, temporary: bool = False) -> None:
    kind = "TEMP VIEW" if temporary else "VIEW"
    con.execute(f"CREATE OR REPLACE {kind} {STORED_VIEW} AS {_current_select(con)}")


def _create_session_views(con: duckdb.DuckDBPyConnection) -> None:
    _create_stored_view(con, temporary=True)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {ALL_VIEW} AS SELECT {_COLUMNS} FROM {STAGED} "
                f"UNION ALL SELECT {_COLUMNS} FROM {STORED_VIEW}")  # fmt: skip  # noqa: S608
    con.execute(f"CREATE OR REPLACE TEMP VIEW {EVERY_VIEW} AS SELECT {_COLUMNS} FROM {STAGED} "
                f"UNION ALL {_every_select(con)}")  # fmt: skip  # noqa: S608


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
            found += old.execute(f"SELECT path, dropped_at FROM {DROPPED_TABLE}").fetchall()  # noqa: S608
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


def open_private(database: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the file at ``database`` now. DuckDB hands out the instance it already has for
    a path string, which may be an older file a swap has replaced since; a private hard link (removed at once,
    the open file keeps its inode) makes it open the current one."""
    link = database.with_name(f"{database.name}.open-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.link(database, link)
    except OSError:
        return duckdb.connect(str(database), read_only=True)
    try:
        return duckdb.connect(str(link), read_only=True)
    finally:
        link.unlink(missing_ok=True)


def check_version(con: duckdb.DuckDBPyConnection) -> None:
    """Refuse a catalogue written by another schema version (e.g. one whose store lists absolute paths)."""
    found = catalogue_version(con)
    if found is not None and found != str(SCHEMA_VERSION):
        older = found.isdigit() and int(found) < SCHEMA_VERSION
        raise DatabaseError(
            f"the database has schema version {found}, this Balanza needs {SCHEMA_VERSION}"
            + (" (its store lists files by absolute path and records no checksums)" if older and int(found) >= 5 else ""),
            hint="rebuild it with `balanza build --db <path>` (the bundled data is loaded again in seconds, and the "
            "files you loaded yourself from their own paths where they are still there, unchanged; the build names "
            "any it cannot find); nothing was changed or deleted",
        )  # fmt: skip


def catalogue_version(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("SELECT max(value) FROM schema_info WHERE key = 'schema_version'").fetchall()
    except duckdb.CatalogException:
        return None  # not a Balanza catalogue (a database made by hand)
    return row[0][0] if row else None


def after_schema(con: duckdb.DuckDBPyConnection, dropped: list[tuple[str, float]] | None = None) -> None:
    """After create_schema: the files kept for older readers, the view of the stored rows and the union the
    overlap checks read."""
    now = time.time()
    con.execute(f"DELETE FROM {DROPPED_TABLE} WHERE dropped_at < ?", [now - 2 * GRACE_SECONDS])  # noqa: S608
    if dropped:
        con.executemany(f"INSERT INTO {DROPPED_TABLE} VALUES (?, ?)", [list(item) for item in dropped])  # noqa: S608
    _create_session_views(con)


def _drop_file(con: duckdb.DuckDBPyConnection, dataset_id: int) -> None:
    con.execute(f"INSERT INTO {DROPPED_TABLE} SELECT path, ? FROM {FILES_TABLE} WHERE dataset_id = ?",  # noqa: S608
                [time.time(), dataset_id])  # fmt: skip
    con.execute(f"DELETE FROM {FILES_TABLE} WHERE dataset_id = ?", [dataset_id])  # noqa: S608


def forget(con: duckdb.DuckDBPyConnection, dataset_id: int) -> None:
    """Stop listing a dataset's file (its rows leave ``trade`` at the swap); the file is removed later. Rows
    it superseded go back to the next later vintage that holds them, or become current again."""
    if _object_type(con, LOADED_TABLE) is not None:  # a replaced file's kept copy is not loaded again
        con.execute(f"INSERT INTO {DROPPED_TABLE} SELECT path, ? FROM {LOADED_TABLE} WHERE dataset_id = ?",  # noqa: S608
                    [time.time(), dataset_id])  # fmt: skip
        con.execute(f"DELETE FROM {LOADED_TABLE} WHERE dataset_id = ?", [dataset_id])  # noqa: S608
    if _object_type(con, FILES_TABLE) is None:
        return
    _drop_file(con, dataset_id)
    _create_session_views(con)
    _resolve_vintages(con, [dataset_id])


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
    )  # noqa: S608
    orphaned = f"superseded_by IN ({ids}) AND NOT {_holds('superseded_by')}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE orphan_vintages AS SELECT * FROM {SUPERSEDED_TABLE} s WHERE {orphaned}"
    )  # noqa: S608
    con.execute(f"DELETE FROM {SUPERSEDED_TABLE} s WHERE {orphaned}")  # noqa: S608
    key = ", ".join(f"o.{name}" for name in TRADE_KEY)
    match = " AND ".join(f"t.{name} = o.{name}" for name in TRADE_KEY)
    con.execute(f"""
        INSERT INTO {SUPERSEDED_TABLE}
        SELECT o.dataset_id, {key}, min(t.dataset_id)
        FROM orphan_vintages o JOIN {EVERY_VIEW} t ON {match} AND t.dataset_id > o.dataset_id
        GROUP BY o.dataset_id, {key}
    """)  # noqa: S608
    con.execute("DROP TABLE orphan_vintages")
    _create_session_views(con)


def supersede(con: duckdb.DuckDBPyConnection, dataset_id: int) -> tuple[int, list[int]]:
    """In a write session: the staged rows of ``dataset_id`` (a revision) supersede the current rows of the
    same observations (same source and key) in other datasets. Returns (rows superseded, their datasets).

    Only the new rows' sources, reporters and years are read, given as constants so the scan skips every
    stored file and row group outside them."""
    bounds = con.execute(
        f"SELECT list(DISTINCT source), list(DISTINCT reporter_iso3), min(year), max(year) FROM {STAGED} "  # noqa: S608
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
        """,  # noqa: S608
        params,
    )
    count, datasets = con.execute("SELECT count(*), list(DISTINCT dataset_id ORDER BY dataset_id) FROM new_vintage").fetchall()[0]  # fmt: skip
    if count:
        con.execute(f"INSERT INTO {SUPERSEDED_TABLE} SELECT *, ? FROM new_vintage", [dataset_id])  # noqa: S608
        _create_session_views(con)
    con.execute("DROP TABLE new_vintage")
    return int(count), [int(d) for d in datasets or []]


def delete_rows(con: duckdb.DuckDBPyConnection, where: str, params: list | None = None) -> int:
    """In a write session: remove the rows matching ``where`` (a fixed SQL condition over trade's columns;
    values bound through ``params``) from the staged and the stored rows, every vintage. Only the files that
    hold such rows are rewritten: their other rows are staged again under the same dataset id and become a
    new file at commit; the old file is dropped like a replaced dataset's. Returns the number of rows removed."""
    params = list(params or [])
    removed = 0
    hit = con.execute(f"SELECT dataset_id, count(*) FROM ({_every_select(con)}) WHERE {where} GROUP BY dataset_id",  # noqa: S608
                      params).fetchall()  # fmt: skip
    for dataset_id, count in hit:
        (path,) = con.execute(
            f"SELECT list(path) FROM {FILES_TABLE} WHERE dataset_id = ?", [dataset_id]
        ).fetchall()[0]  # noqa: S608
        con.execute(
            f"INSERT INTO {STAGED} SELECT {_COLUMNS} FROM {_read_files(con, list(path))} "  # noqa: S608
            f"WHERE NOT coalesce(({where}), false)",
            params,
        )
        _drop_file(con, int(dataset_id))
        removed += count
    staged = con.execute(f"SELECT count(*) FROM {STAGED} WHERE {where}", params).fetchall()[0][0]  # noqa: S608
    con.execute(f"DELETE FROM {STAGED} WHERE {where}", params)  # noqa: S608
    _create_session_views(con)
    changed = [int(d) for d, _ in hit] + [
        int(row[0])
        for row in con.execute(f"SELECT DISTINCT dataset_id FROM {STAGED}").fetchall()  # noqa: S608
    ]
    _resolve_vintages(con, sorted(set(changed)))
    return removed + int(staged)


# ---- commit: new files, with the catalogue's mode and group, size and checksums recorded ------------------------


@dataclass(frozen=True)
class Permissions:
    """The mode and group the store's new files and folders get: the catalogue's."""

    file_mode: int
    gid: int

    @property
    def dir_mode(self) -> int:
        """Folders: the file mode plus search (x) wherever it grants read (0600 → 0700, 0640 → 0750)."""
        mode = self.file_mode
        return mode | ((mode & 0o444) >> 2)

    def apply(self, path: Path, *, folder: bool = False) -> None:
        os.chmod(path, self.dir_mode if folder else self.file_mode)
        if path.stat().st_gid != self.gid:
            with contextlib.suppress(PermissionError):
                os.chown(path, -1, self.gid)


def catalogue_permissions(database: Path) -> Permissions | None:
    """The live catalogue's mode (read and write bits) and group; None for a catalogue not written yet."""
    try:
        info = database.stat()
    except FileNotFoundError:
        return None
    return Permissions(stat.S_IMODE(info.st_mode) & 0o666, info.st_gid)


def _make_dirs(folder: Path, top: Path, permissions: Permissions | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if permissions is not None:
        for each in (top, folder):
            permissions.apply(each, folder=True)


def commit(con: duckdb.DuckDBPyConnection, database: Path) -> list[Path]:
    """Write every staged dataset's rows to its own new Parquet file (synced), list it with its size, row count
    and checksums, and make ``trade`` the view of all listed files again. Returns the files written (the
    caller removes them if the swap does not happen)."""
    folder = store_dir(database)
    permissions = catalogue_permissions(database)
    written: list[Path] = []
    try:
        staged = con.execute(
            f"SELECT dataset_id, min(source), count(*) FROM {STAGED} GROUP BY dataset_id ORDER BY dataset_id"  # noqa: S608
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
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE})"  # noqa: S608
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
        f"INSERT INTO {FILES_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608
        [dataset_id, source, relative, rows, size, footer_digest, file_sha256(path),
         datetime.now(UTC).replace(tzinfo=None)],
    )  # fmt: skip


def publish(con: duckdb.DuckDBPyConnection) -> None:
    """Point ``trade`` (and ``trade_stored``) at the current rows of the files ``trade_files`` lists,
    ``trade_vintages`` and ``trade_as_of`` at every vintage, and copy the current all-goods rows into the
    catalogue (etl.record.TOTALS_TABLE: what the record of country totals reads)."""
    _create_stored_view(con)
    con.execute(f"CREATE OR REPLACE VIEW {STAGED} AS SELECT * FROM {STORED_VIEW}")
    on = " AND ".join(f"s.{name} = t.{name}" for name in ("dataset_id", *TRADE_KEY))
    con.execute(f"""
        CREATE OR REPLACE VIEW {VINTAGES_VIEW} AS
        SELECT t.*, coalesce(d.loaded_at, TIMESTAMP '-infinity') AS loaded_at, s.superseded_by,
               n.loaded_at AS superseded_at
        FROM ({_every_select(con)}) t
        LEFT JOIN datasets d ON d.dataset_id = t.dataset_id
        LEFT JOIN {SUPERSEDED_TABLE} s ON {on}
        LEFT JOIN datasets n ON n.dataset_id = s.superseded_by
    """)  # noqa: S608
    con.execute(f"""
        CREATE OR REPLACE MACRO {AS_OF_MACRO}(as_of) AS TABLE
        SELECT {_COLUMNS} FROM {VINTAGES_VIEW}
        WHERE loaded_at <= CAST(as_of AS TIMESTAMP)
          AND (superseded_at IS NULL OR superseded_at > CAST(as_of AS TIMESTAMP))
    """)  # noqa: S608
    con.execute(f"CREATE OR REPLACE TABLE {TOTALS_TABLE} AS SELECT * FROM {STAGED} WHERE hs_code = 'TOTAL' "
                f"ORDER BY {', '.join(SORT_ORDER)}")  # fmt: skip  # noqa: S608


# ---- files loaded outside the manifest: a copy kept beside the store, so a rebuild loads them again ----------


def loaded_copy_name(digest: str, original: Path) -> str:
    """The kept copy's name: its content's sha256 (a prefix) and the file's own name, made safe."""
    name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in original.name)[-120:].lstrip(".")
    return f"{digest[:16]}-{name or 'file'}"


def keep_loaded_file(con: duckdb.DuckDBPyConnection, database: Path, dataset_id: int, original: Path, digest: str,
                     options: dict) -> Path | None:  # fmt: skip
    """In a write session: keep a copy of ``original`` (loaded as ``dataset_id``, content sha256 ``digest``) in
    the store's loaded/ folder, with the catalogue's mode and group, synced, and list it in ``loaded_files``
    with the load's ``options``. The copy is hashed as it is written: a file changed since it was loaded is
    refused. Returns the file written (the caller removes it if the swap does not happen); None when the same
    content was already kept."""
    folder = store_dir(database) / LOADED_DIR
    name = loaded_copy_name(digest, original)
    target = folder / name
    relative = f"{store_dir(database).name}/{LOADED_DIR}/{name}"
    written = None
    if not (target.is_file() and file_sha256(target) == digest):
        permissions = catalogue_permissions(database)
        _make_dirs(folder, store_dir(database), permissions)
        tmp = folder / f".{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            with open(original, "rb") as source, open(tmp, "wb") as copy:
                found = _copy_hashing(source, copy)
                copy.flush()
                os.fsync(copy.fileno())
            if found != digest:
                raise InputError(original, "the file changed while it was being loaded (its sha256 differs)",
                                 hint="load it again once nothing writes to it any more")  # fmt: skip
            if permissions is not None:
                permissions.apply(tmp)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        _fsync(folder)
        written = target
    con.execute(f"INSERT INTO {LOADED_TABLE} VALUES (?, ?, ?, ?)",  # noqa: S608
                [dataset_id, relative, target.stat().st_size, json.dumps(options, sort_keys=True, default=str)])  # fmt: skip
    return written


def list_loaded_copy(con: duckdb.DuckDBPyConnection, dataset_id: int, relative: str, size: int,
                     options: dict) -> None:  # fmt: skip
    """List an already kept copy (a rebuild loading it again) for the new ``dataset_id``."""
    con.execute(f"INSERT INTO {LOADED_TABLE} VALUES (?, ?, ?, ?)",  # noqa: S608
                [dataset_id, relative, size, json.dumps(options, sort_keys=True, default=str)])  # fmt: skip


def _copy_hashing(source: BinaryIO, target: BinaryIO) -> str:
    digest = hashlib.sha256()
    while chunk := source.read(HASH_CHUNK):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


# ---- checks: at every open (size, footer), by `balanza verify` (content) ---------------------------------------


TAIL_BYTES = 64 * 1024  # one read covers the footer of any file Balanza writes (a few KiB)


def _footer_bytes(handle: BinaryIO, size: int) -> bytes:
    """The Parquet footer (FileMetaData) at the end of an open file of ``size`` bytes, read with one pread
    where it fits in :data:`TAIL_BYTES`; ValueError when the file has none."""
    if size < 12:
        raise ValueError("too short to be a Parquet file")
    tail = os.pread(handle.fileno(), min(size, TAIL_BYTES), size - min(size, TAIL_BYTES))
    length = struct.unpack("<I", tail[-8:-4])[0]
    if tail[-4:] != b"PAR1" or length + 12 > size:
        raise ValueError("no Parquet footer at its end")
    if length + 8 <= len(tail):
        return tail[-8 - length : -8]
    return os.pread(handle.fileno(), length, size - 8 - length)


def read_footer(path: Path) -> tuple[int, str]:
    """(row count, sha256 of the footer) of a Parquet file; ValueError when it has no readable footer."""
    with open(path, "rb") as handle:
        footer = _footer_bytes(handle, os.fstat(handle.fileno()).st_size)
    return _footer_rows(footer), hashlib.sha256(footer).hexdigest()


def _footer_rows(footer: bytes) -> int:
    """num_rows (field 3) of the Parquet FileMetaData, read from its Thrift compact encoding."""
    reader = _Compact(footer)
    rows = reader.struct_field(3)
    if rows is None:
        raise ValueError("the footer holds no row count")
    return rows


class _Compact:
    """Just enough of Thrift's compact protocol to skip to one integer field of a struct."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def _byte(self) -> int:
        value = self.data[self.pos]
        self.pos += 1
        return value

    def varint(self) -> int:
        shift = result = 0
        while True:
            byte = self._byte()
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7

    def zigzag(self) -> int:
        value = self.varint()
        return (value >> 1) ^ -(value & 1)

    def skip(self, kind: int) -> None:
        if kind in (1, 2):  # booleans live in the type nibble
            return
        if kind == 3:
            self.pos += 1
        elif kind in (4, 5, 6):
            self.varint()
        elif kind == 7:
            self.pos += 8
        elif kind == 8:
            length = self.varint()  # read before pos is: the length's own bytes come first
            self.pos += length
        elif kind in (9, 10):
            head = self._byte()
            size = head >> 4 if head >> 4 != 15 else self.varint()
            for _ in range(size):
                self.skip(head & 0x0F)
        elif kind == 11:
            size = self.varint()
            if size:
                types = self._byte()
                for _ in range(size):
                    self.skip(types >> 4)
                    self.skip(types & 0x0F)
        elif kind == 12:
            self.struct_field(None)
        else:
            raise ValueError(f"unknown Thrift type {kind}")

    def struct_field(self, wanted: int | None) -> int | None:
        last = 0
        while True:
            head = self._byte()
            if head == 0:
                return None
            kind, delta = head & 0x0F, head >> 4
            field = last + delta if delta else self.zigzag()
            last = field
            if field == wanted and kind == 6:
                return self.zigzag()
            self.skip(kind)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class FileProblem:
    """A listed file that is not what the catalogue recorded."""

    path: str  # relative to the catalogue's folder
    dataset_id: int
    source: str
    origin: str | None  # the loaded file it came from (datasets.path)
    problem: str

    def describe(self) -> str:
        origin = f", loaded from {self.origin}" if self.origin else ""
        return f"{self.path} (dataset {self.dataset_id}, {self.source}{origin}) {self.problem}"


def _file_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        f"SELECT f.path, f.dataset_id, f.source, d.path, f.size_bytes, f.row_count, f.footer_sha256, f.sha256 "  # noqa: S608
        f"FROM {FILES_TABLE} f LEFT JOIN datasets d USING (dataset_id) ORDER BY f.dataset_id, f.path"
    ).fetchall()


def check_files(
    con: duckdb.DuckDBPyConnection,
    database: Path,
    *,
    content: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> list[FileProblem]:
    """Every listed file's problems: missing, another size, another footer (row count, statistics), and with
    ``content`` another sha256 of the whole file. ``progress(path, bytes)`` is called per file checked.

    The open check (without ``content``) costs one stat per file, and one 64 KiB read per file this process
    has not checked yet with the same identity (a swap brings mostly files the previous catalogue listed); the
    footer's row count is parsed only when its checksum differs (to say what changed)."""
    try:
        files = _file_rows(con)
    except duckdb.CatalogException:
        return []  # no store: a database made by hand
    folder = catalogue_folder(database)
    problems = []
    for relative, dataset_id, source, origin, size, rows, footer_digest, digest in files:
        problem = _file_problem(folder / relative, size, rows, footer_digest, digest if content else None)
        if progress is not None:
            progress(relative, size)
        if problem:
            problems.append(FileProblem(relative, dataset_id, source, origin, problem))
    return problems


# Files whose footer this process has checked, by (path, inode, size, mtime): the store's files never change, so a
# file with the same identity and the same recorded footer need not be read again when a swap brings a new
# catalogue (most of whose files the previous one listed). A file rewritten in place gets a new mtime.
_CHECKED: dict[tuple[str, int, int, int], str] = {}
_CHECKED_LIMIT = 100_000


def _file_problem(path: Path, size: int, rows: int, footer_digest: str, digest: str | None) -> str:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "is missing"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if info.st_size != size:
        shorter = "cut short" if info.st_size < size else "grown"
        return f"is {info.st_size:,} bytes, the catalogue recorded {size:,} ({shorter} or replaced)"
    identity = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)
    if digest is None and _CHECKED.get(identity) == footer_digest:
        return ""
    try:
        with open(path, "rb") as handle:
            footer = _footer_bytes(handle, info.st_size)
    except FileNotFoundError:
        return "is missing"
    except (ValueError, IndexError, OSError) as exc:
        return f"has no readable Parquet footer ({exc})"
    if hashlib.sha256(footer).hexdigest() != footer_digest:
        found_rows = _footer_rows(footer)
        if found_rows != rows:
            return f"holds {found_rows:,} rows, the catalogue recorded {rows:,} (replaced)"
        return "has another Parquet footer than the one recorded (same size and row count: replaced)"
    if digest is not None and file_sha256(path) != digest:
        return "has another content than the one recorded (its sha256 differs: changed in place)"
    if len(_CHECKED) >= _CHECKED_LIMIT:
        _CHECKED.clear()
    _CHECKED[identity] = footer_digest
    return ""


def forget_checked_files() -> None:
    """Read every footer again at the next open (benchmarks measure the first open of a process)."""
    _CHECKED.clear()


def damaged_store_error(
    database: Path, problems: list[FileProblem], *, verified: bool = False
) -> DatabaseError:
    """The named error for a store whose files are not what its catalogue recorded."""
    first = problems[0]
    more = f"; {len(problems) - 1} more file(s) have problems" if len(problems) > 1 else ""
    folder = store_dir(database).name
    listing = "" if verified else f"; `balanza verify --db {database}` lists every problem"
    return DatabaseError(
        f"{database}: a stored file does not match the catalogue, its rows cannot be read as loaded: "
        f"{first.describe()}{more}",
        hint=f"restore {database.name} together with its folder {folder} from the same backup, or rebuild with "
        f"`balanza build --db {database}` (it loads again the files you loaded yourself, from the copies kept in "
        f"{folder}/{LOADED_DIR}){listing}",
    )


def explain_read_error(
    con: duckdb.DuckDBPyConnection, database: Path, exc: BaseException
) -> DatabaseError | None:
    """A query over the store failed (DuckDB names no file: "TProtocolException: Invalid data", …): if a
    listed file's content is not what the catalogue recorded (every file hashed), the named error for it."""
    if not isinstance(exc, (duckdb.Error, OSError)):
        return None
    try:
        problems = check_files(con, database, content=True)
    except duckdb.Error:
        return None
    return damaged_store_error(database, problems) if problems else None


@contextlib.contextmanager
def explained_read_errors(con: duckdb.DuckDBPyConnection, database: Path) -> Iterator[None]:
    """Turn a failed read of a damaged stored file into its named error (:func:`explain_read_error`)."""
    try:
        yield
    except (duckdb.Error, OSError) as exc:
        named = explain_read_error(con, database, exc)
        if named is not None:
            raise named from exc
        raise


def check_catalogue(con: duckdb.DuckDBPyConnection, database: Path, *, named: Path | None = None) -> None:
    """The open check: the schema version and every listed file's size and footer (a few milliseconds);
    ``named``: the path the error names, when ``database`` is a private link to it."""
    check_version(con)
    problems = check_files(con, database)
    if problems:
        raise damaged_store_error(named or database, problems)


# ---- the catalogue's own checksum -------------------------------------------------------------------------------
# DuckDB checks a block's checksum only when a query reads that block, so bytes changed in a block a load never
# reads would be carried into the next catalogue. At every commit the writer records the new catalogue's sha256
# (and that of its first HEADER_BYTES, DuckDB's file and checkpoint headers); the next writer compares before
# copying. A file whose content changed but whose headers did not was changed outside any checkpoint (random
# bytes, a disk fault): refused. A file whose headers changed too was checkpointed by another DuckDB client
# (say, a user's DuckDB shell): accepted once every table of it reads without a checksum error.

HEADER_BYTES = 3 * 4096  # DuckDB's main header and its two checkpoint headers, each with its own checksum


@dataclass(frozen=True)
class CatalogueChecksum:
    whole: str  # sha256 of the file
    headers: str  # sha256 of its first HEADER_BYTES

    def line(self) -> str:
        return f"{self.whole} {self.headers}\n"


def catalogue_checksum(database: Path) -> CatalogueChecksum:
    with open(database, "rb") as handle:
        return _checksum_stream(handle, None)


def _checksum_stream(source: BinaryIO, target: BinaryIO | None) -> CatalogueChecksum:
    whole = hashlib.sha256()
    head = b""
    while chunk := source.read(HASH_CHUNK):
        if len(head) < HEADER_BYTES:
            head += chunk[: HEADER_BYTES - len(head)]
        whole.update(chunk)
        if target is not None:
            target.write(chunk)
    return CatalogueChecksum(whole.hexdigest(), hashlib.sha256(head).hexdigest())


def checksum_path(database: Path) -> Path:
    return store_dir(database) / CHECKSUM_NAME


def recorded_checksums(database: Path) -> list[CatalogueChecksum] | None:
    """The catalogue checksums the last commit recorded (the new file's and the one it replaced, in case the
    swap did not happen); None when none is recorded (a catalogue copied without its folder, or new)."""
    try:
        text = checksum_path(database).read_text(encoding="ascii")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    found = [line.split() for line in text.splitlines() if line.strip()]
    return [CatalogueChecksum(parts[0], parts[1] if len(parts) > 1 else "") for parts in found]


def record_checksums(database: Path, checksums: list[CatalogueChecksum]) -> None:
    """Write (atomically, synced) the checksums a catalogue at ``database`` may have, before it is swapped in."""
    path = checksum_path(database)
    permissions = catalogue_permissions(database)
    _make_dirs(path.parent, path.parent, permissions)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="ascii") as handle:
            handle.write("".join(checksum.line() for checksum in dict.fromkeys(checksums)))
            handle.flush()
            os.fsync(handle.fileno())
        if permissions is not None:
            permissions.apply(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync(path.parent)


def catalogue_state(found: CatalogueChecksum, accepted: list[CatalogueChecksum] | None) -> str:
    """'as written' (a checksum the last commit recorded), 'unrecorded', 'checkpointed elsewhere' (another
    DuckDB client wrote and checkpointed it since) or 'damaged' (changed outside any checkpoint)."""
    if accepted is None:
        return "unrecorded"
    if any(found.whole == checksum.whole for checksum in accepted):
        return "as written"
    if any(found.headers == checksum.headers for checksum in accepted):
        return "damaged"
    return "checkpointed elsewhere"


def damaged_catalogue_error(database: Path, detail: str, *, writing: bool = True) -> DatabaseError:
    return DatabaseError(
        f"{database}: the catalogue file is damaged ({detail})" + ("; nothing was written" if writing else ""),
        hint=f"restore {database.name} together with its folder {store_dir(database).name} from the same backup, or "
        f"rebuild with `balanza build --db {database}` (it loads again the files you loaded yourself if it can "
        "still read their list, and says so if not)",
    )  # fmt: skip


CHANGED_BYTES = (
    "bytes changed since Balanza's last commit, outside any DuckDB checkpoint: by another program or the disk"
)


def copy_checked(live: Path, copy: Path, mode: int | None) -> tuple[CatalogueChecksum, str]:
    """Copy the live catalogue for a writer, computing its checksums on the way; refuse (before anything is
    written) a catalogue changed outside any checkpoint. Returns the checksum and :func:`catalogue_state`."""
    accepted = recorded_checksums(live)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    with (
        open(live, "rb") as source,
        os.fdopen(os.open(copy, flags, 0o600 if mode is None else mode), "wb") as target,
    ):
        if mode is not None:
            os.fchmod(target.fileno(), mode)
        found = _checksum_stream(source, target)
    state = catalogue_state(found, accepted)
    if state == "damaged":
        raise damaged_catalogue_error(live, CHANGED_BYTES)
    return found, state


def read_every_table(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Read every table of a catalogue in full (DuckDB checks each block's checksum as it reads it). Returns the
    tables that cannot be read, with why."""
    problems = []
    for (table,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
    ).fetchall():
        try:
            con.sql(f'SELECT * FROM "{table}"').to_arrow_table()  # noqa: S608 - names from the catalogue
        except duckdb.Error as exc:
            problems.append(f"table {table} cannot be read: {' '.join(str(exc).split())[:160]}")
    return problems


def intact_checksum(database: Path) -> CatalogueChecksum | None:
    """The catalogue's checksum unless it was changed outside any checkpoint (then None: a rebuild replaces it)."""
    found = catalogue_checksum(database)
    return None if catalogue_state(found, recorded_checksums(database)) == "damaged" else found


# ---- garbage collection ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptFiles:
    """What a committed catalogue keeps: the files it lists (with their sizes) and the ones it stopped listing
    (with when). Read from the writer's own connection, so the clean-up after its swap goes by exactly it."""

    listed: dict[str, int]
    dropped: dict[str, float]
    copies: frozenset[str] = frozenset()  # kept copies of files loaded outside the manifest

    def keeps(self, relative: str) -> bool:
        return relative in self.listed or relative in self.copies


def kept_files(con: duckdb.DuckDBPyConnection) -> KeptFiles:
    listed = dict(con.execute(f"SELECT path, size_bytes FROM {FILES_TABLE}").fetchall())  # noqa: S608
    dropped = dict(con.execute(f"SELECT path, max(dropped_at) FROM {DROPPED_TABLE} GROUP BY path").fetchall())  # noqa: S608
    return KeptFiles(listed, dropped, frozenset(loaded_copies(con)))


def loaded_copies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The kept copies a catalogue lists (paths relative to its folder); none for a catalogue without the table."""
    if _object_type(con, LOADED_TABLE) is None:
        return []
    return [
        row[0] for row in con.execute(f"SELECT DISTINCT path FROM {LOADED_TABLE} ORDER BY path").fetchall()
    ]  # noqa: S608


def collect_garbage(live: Path, kept: KeptFiles) -> list[Path]:
    """After a swap, under the writer lock: remove the store's files no catalogue will read again. Only files
    the live catalogue (``kept``) does not list and that are past the grace period: since a commit stopped
    listing them, or, for files it never listed (a killed writer's, an older catalogue's), since they were
    written. Nothing is removed while a file it lists is missing or of another size (a store being restored or
    moved: never make it worse). Returns the files removed; never raises."""
    try:
        return _collect_garbage(live, kept)
    except Exception as exc:  # a failed clean-up must never fail a write that has been swapped in
        logger.warning("store clean-up skipped: %s", exc)
        return []


def _collect_garbage(live: Path, kept: KeptFiles) -> list[Path]:
    folder = Path(os.path.abspath(store_dir(live)))
    if not folder.is_dir():
        return []
    root = catalogue_folder(live)
    for relative, size in kept.listed.items():
        try:
            if (root / relative).stat().st_size != size:
                return []
        except OSError:
            return []
    now = time.time()
    removed = []
    for path in _store_files(folder):
        relative = path.relative_to(root).as_posix()
        if kept.keeps(relative):
            continue
        since = kept.dropped.get(relative)
        if since is None:
            try:
                since = path.stat().st_mtime
            except FileNotFoundError:
                continue
        if now - since < GRACE_SECONDS:
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def _store_files(folder: Path) -> Iterator[Path]:
    yield from folder.glob("source=*/*.parquet")
    yield from (path for path in folder.glob(f"{LOADED_DIR}/*") if path.is_file())


def remove_files(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# ---- copies (tests and benchmarks) ------------------------------------------------------------------------------


def copy_database(source: Path, target: Path, *, link: bool = True) -> Path:
    """Copy a catalogue and the files it lists (with its recorded checksum) to ``target`` and its own folder,
    ``target.name + '.trade'``; files the catalogue no longer lists are left behind. The store's files are
    immutable, so with ``link`` they are hard-linked where the file system allows (a copy that costs nothing
    and does not change when the original's files are removed); otherwise copied. The file list is relative,
    so the copy reads its own files. (``cp -a`` of the folder holding both does the same for users.)"""
    import shutil

    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    con = duckdb.connect(str(source), read_only=True)
    try:
        listed = [*listed_files(con), *loaded_copies(con)]
    finally:
        con.close()
    old, new = store_dir(source), store_dir(target)
    for relative in [*listed, f"{old.name}/{CHECKSUM_NAME}"]:
        src = file_path(source, relative)
        if not src.exists():
            continue
        parts = Path(relative).parts
        dst = new.joinpath(*parts[1:]) if parts[0] == old.name else catalogue_folder(target) / relative
        dst.parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(dst):  # copying over an earlier copy
            if os.path.samefile(src, dst):
                continue
            dst.unlink()
        try:
            if not link:
                raise OSError("copy asked for")
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    if listed and old.name != new.name:
        _rename_listing(target, old.name, new.name)
    return target


def _rename_listing(database: Path, old: str, new: str) -> None:
    """A copy under another file name keeps its files in its own folder: its listed paths follow (the checksum
    recorded for the catalogue is written again for the changed file)."""
    con = duckdb.connect(str(database))
    try:
        use_folder(con, database)
        if _object_type(con, FILES_TABLE) is None:
            return
        prefix = old + "/"
        for table in (FILES_TABLE, DROPPED_TABLE, LOADED_TABLE):
            if _object_type(con, table) is None:
                continue
            con.execute(f"UPDATE {table} SET path = ? || substr(path, ?) WHERE starts_with(path, ?)",  # noqa: S608
                        [new + "/", len(prefix) + 1, prefix])  # fmt: skip
        if _object_type(con, STAGED) == "VIEW":
            publish(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    record_checksums(database, [catalogue_checksum(database)])


def _safe(source: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in str(source)) or "unknown"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
