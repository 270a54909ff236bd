"""Opening the database: many readers, one writer, and no reader ever sees a half-written state.

Writers never modify the live file. They copy it (or start empty), write the copy in one transaction,
and swap it in with an atomic rename. Open readers keep the old inode until they reconnect, so a
writer never waits for readers and a killed writer leaves the live file untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl import settings
from etl.errors import DatabaseError
from etl.schema import create_schema

TMP_SUFFIX = ".tmp-write"


def writer_memory_limit() -> str:
    """Writers cap DuckDB's buffer pool (BALANZA_MEMORY_LIMIT) so a multi-gigabyte load stays small; it spills to disk."""
    return settings.MEMORY_LIMIT.require()


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; raises DatabaseError with a hint when the file is missing."""
    if not path.exists():
        raise DatabaseError(
            f"{path}: database not found",
            hint="run `balanza build` (or `make run`) to build it from data/sources.toml",
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise DatabaseError(f"{path}: cannot open database: {exc}") from exc


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """The first row of a query, with the result fully consumed (DuckDB refuses new work on a pending result)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def file_identity(path: Path) -> tuple[int, int] | None:
    """(inode, mtime_ns) of the live file: changes whenever a writer swaps a new file in."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


@contextlib.contextmanager
def writer_lock(path: Path) -> Iterator[None]:
    """Serialise writers on one database path (readers never take it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def write_session(path: Path, *, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy of the database inside one transaction; swap it in on success.

    With ``fresh`` the copy starts empty (a rebuild). On any exception the live file is untouched.
    """
    with writer_lock(path):
        tmp_path = path.with_name(path.name + TMP_SUFFIX)
        _remove_quietly(tmp_path)
        _remove_quietly(tmp_path.with_name(tmp_path.name + ".wal"))
        if path.exists() and not fresh:
            shutil.copyfile(path, tmp_path)
        con = duckdb.connect(str(tmp_path), config={"memory_limit": writer_memory_limit()})
        try:
            create_schema(con)
            con.execute("BEGIN TRANSACTION")
            yield con
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            con.close()
            _fsync(tmp_path)
            os.replace(tmp_path, path)
            _fsync(path.parent)
        except BaseException:
            with contextlib.suppress(Exception):
                con.close()
            _remove_quietly(tmp_path)
            _remove_quietly(tmp_path.with_name(tmp_path.name + ".wal"))
            raise


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _fsync(path: Path) -> None:
    """Flush a file, or a directory entry after a rename, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
