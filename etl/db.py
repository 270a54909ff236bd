"""Opening the database: many readers, one writer, and no reader ever sees a half-written state.

Writers never modify the live file. They copy it (or start empty), write the copy in one transaction,
and swap it in with an atomic rename. Open readers keep the old inode until they reconnect, so a
writer never waits for readers and a killed writer leaves the live file untouched. The trade rows are not
in the file: they are immutable Parquet files beside it (etl.store), so the copy is small whatever the
number of rows, and a load writes only the files of what it adds.

The swap keeps the user's file as the user made it: a symlinked path has its *target* replaced (the link
stays a link), and the new file gets the old one's permission bits (and owner, where allowed). What the
swap cannot do safely is refused before anything is written: a write-ahead log (``.wal``) left beside
the live file by another DuckDB client (its committed rows are not in the file we would copy), a live
file another process holds open for writing, and a read-only file or folder. After a full disk, a file
size limit, SIGINT or SIGTERM the private copy and its side files are removed and a named error is raised.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import signal
import stat
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from etl import schema, settings, store
from etl.errors import DatabaseError, DiskFullError, Interrupted
from etl.record import record_view_ddl

TMP_SUFFIX = ".tmp-write"
# Side files DuckDB (and this module) may create next to the private copy.
_TMP_SIDE_SUFFIXES = ("", ".wal", ".tmp")
_DISK_ERRNOS = {errno.ENOSPC: "the disk is full", errno.EFBIG: "the file size limit was reached",
                errno.EDQUOT: "the disk quota is exceeded"}  # fmt: skip


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and view of etl/schema.py (idempotent); refuse a database written by an older schema.

    Views: ``trade_annual`` (every source's yearly values) and ``trade_record`` (ONE value per observation,
    the series of record; its rule is etl/record.py's).
    """
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "trade" in tables:
        found = con.execute("SELECT max(value) FROM schema_info WHERE key = 'schema_version'").fetchall()[0][
            0
        ]
        if found != str(schema.SCHEMA_VERSION):
            raise DatabaseError(
                f"the database has schema version {found}, this Balanza needs {schema.SCHEMA_VERSION}",
                hint="rebuild it with `balanza build` (the bundled data is loaded again in seconds)",
            )
    con.execute(schema.DDL)
    con.execute(record_view_ddl())  # the series of record: the view's query lives with its rule
    con.execute(
        "INSERT OR REPLACE INTO schema_info VALUES ('schema_version', ?)", [str(schema.SCHEMA_VERSION)]
    )


def writer_memory_limit() -> str:
    """Writers cap DuckDB's buffer pool (BALANZA_MEMORY_LIMIT) so a multi-gigabyte load stays small; it spills to disk."""
    return settings.MEMORY_LIMIT.require()


def connect_read_only(path: Path, *, named: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection whose views read the store beside the catalogue (wherever the folder holding
    both has been moved or copied), after the open check (etl.store.check_catalogue: schema version, each
    listed file's size and footer). Raises DatabaseError with a hint when the file is missing, damaged or its
    store does not match it; ``named``: the path the error names (a private link opened in its stead)."""
    if not path.exists():
        raise DatabaseError(
            f"{path}: database not found",
            hint="run `balanza build` (or `make run`) to build it from data/sources.toml",
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise _open_error(path, exc) from exc
    try:
        con.execute("SET parquet_metadata_cache = true")  # the trade files' footers, read once per process
        con.execute("SET enable_progress_bar = false")  # a reader never writes to the terminal
        store.use_folder(con, path)
        store.check_catalogue(con, path, named=named)
    except BaseException as exc:
        con.close()
        if isinstance(exc, duckdb.Error):
            raise _open_error(named or path, exc) from exc
        raise
    return con


def _open_error(path: Path, exc: duckdb.Error) -> DatabaseError:
    if is_corruption(exc):
        return store.damaged_catalogue_error(path, " ".join(str(exc).split())[:200], writing=False)
    return DatabaseError(f"{path}: cannot open database: {exc}")


def is_corruption(exc: BaseException) -> bool:
    """True for DuckDB's errors about a damaged database file (a block whose checksum does not match, …)."""
    text = str(exc)
    return isinstance(exc, duckdb.Error) and any(
        marker in text for marker in ("Corrupt database file", "checksum", "not a valid DuckDB database file")
    )


def first_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple[Any, ...] | None:
    """The first row of a query, with the result fully consumed (DuckDB refuses new work on a pending result)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None


def one_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple[Any, ...]:
    """The first row of a query that always returns one (an aggregate, or a row a count has shown to exist)."""
    row = first_row(con, sql, params)
    if row is None:
        raise DatabaseError(f"expected a row, the query returned none: {sql.strip().splitlines()[0][:120]}")
    return row


def file_identity(path: Path) -> tuple[int, int] | None:
    """(inode, mtime_ns) of the live file: changes whenever a writer swaps a new file in."""
    try:
        stat_result = path.stat()
    except FileNotFoundError:
        return None
    return stat_result.st_ino, stat_result.st_mtime_ns


def live_target(path: Path) -> Path:
    """The file a writer replaces: the final target of a symlinked path (the link itself is kept)."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


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


def check_writable(path: Path) -> None:
    """Refuse, before anything is written, a target the swap would damage or should not replace."""
    target = live_target(path)
    if path.is_symlink() and not target.parent.is_dir():
        raise DatabaseError(f"{path}: symlink to {target}, whose folder does not exist",
                            hint="point the link at an existing folder, or pass the real path with --db")  # fmt: skip
    if target.exists():
        info = target.stat()
        if not stat.S_ISREG(info.st_mode):
            raise DatabaseError(f"{path}: not a regular file", hint="pass the path of a DuckDB database file")
        if not info.st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
            raise DatabaseError(
                f"{path}: the database file is read-only; it was not changed",
                hint=f"make it writable (chmod u+w {path}) if you mean to change it, or load into a copy",
            )
    folder = target.parent if target.parent != Path("") else Path(".")
    if folder.exists() and (
        not os.access(folder, os.W_OK | os.X_OK) or not folder.stat().st_mode & stat.S_IWUSR
    ):
        raise DatabaseError(f"{folder}: the folder is read-only; the database cannot be replaced in it",
                            hint="make the folder writable, or pass a --db path in a writable folder")  # fmt: skip
    wal = target.with_name(target.name + ".wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise DatabaseError(
            f"{path}: a write-ahead log ({wal.name}) from another DuckDB client sits beside the database; "
            "its changes are not in the file yet, and replacing the file would lose them",
            hint=f"close the client that has {path.name} open (or open it with `duckdb {path}` and run CHECKPOINT), "
            "then run the command again",
        )
    if target.exists() and _held_for_writing(target):
        raise DatabaseError(f"{path}: another process has the database open for writing",
                            hint="close that program (a DuckDB shell or notebook) and run the command again")  # fmt: skip


def _held_for_writing(path: Path) -> bool:
    """True when another process holds a POSIX write lock on the file (DuckDB's read-write open does)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        query = struct.pack("hhqqi4x", fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        lock_type = struct.unpack("hhqqi4x", answer)[0]
        return lock_type != fcntl.F_UNLCK
    except OSError:
        return False
    finally:
        os.close(fd)


# ---- interruption: SIGINT / SIGTERM reach a running DuckDB statement -------------------------------------------

_ACTIVE: set[duckdb.DuckDBPyConnection] = set()
_ACTIVE_LOCK = threading.Lock()
_received: list[int] = []


def _interrupt_active() -> None:
    with _ACTIVE_LOCK:
        for con in list(_ACTIVE):
            with contextlib.suppress(Exception):
                con.interrupt()


@contextlib.contextmanager
def signals_interrupt_writers() -> Iterator[None]:
    """While active, SIGINT and SIGTERM stop a running write: DuckDB statements are interrupted at once (from a
    watcher thread woken by the signal), then :class:`Interrupted` is raised in the main thread, so the writer's
    cleanup runs. Only usable from the main thread (a no-op elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)

    def handler(signum: int, frame: object) -> None:
        _received.append(signum)
        raise Interrupted(signum)

    def watch() -> None:
        while True:
            try:
                data = os.read(read_fd, 64)
            except OSError:
                return
            if not data or data == b"\xff":
                return
            _interrupt_active()

    watcher = threading.Thread(target=watch, name="balanza-signal-watch", daemon=True)
    watcher.start()
    # A signal the caller ignores (nohup, a background job of a script) stays ignored.
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)
                if signal.getsignal(sig) is not signal.SIG_IGN}  # fmt: skip
    previous_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous_fd)
        for sig, old in previous.items():
            signal.signal(sig, old)
        with contextlib.suppress(OSError):
            os.write(write_fd, b"\xff")
        watcher.join(timeout=2)
        os.close(read_fd)
        os.close(write_fd)


def _is_interruption(exc: BaseException) -> bool:
    return isinstance(exc, duckdb.InterruptException) or (
        isinstance(exc, (RuntimeError, duckdb.Error)) and "interrupted" in str(exc).lower()
    )


def disk_error(path: Path, problem: str) -> DiskFullError:
    """The writer's error for a full disk; ``path`` is the database (re-labelled by write_session if need be)."""
    folder = live_target(path).parent
    return DiskFullError(
        f"{path}: {problem} while writing the new database; nothing was changed",
        problem=problem,
        hint=f"free space in {folder} (the new copy needs the catalogue's size again plus the new rows' files) and run the command again",
    )


def disk_problem_of(exc: BaseException) -> str | None:
    """Public name of the check: the readers' error paths use it to tell a full disk from a bad file."""
    return _disk_problem(exc)


def _disk_problem(exc: BaseException) -> str | None:
    """'the disk is full' (etc.) when ``exc`` is a write failing for lack of space, else None."""
    if isinstance(exc, DiskFullError):
        return exc.problem
    if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
        return _DISK_ERRNOS[exc.errno]
    text = str(exc)
    if isinstance(exc, duckdb.Error):
        if "No space left on device" in text:
            return _DISK_ERRNOS[errno.ENOSPC]
        if "File too large" in text:
            return _DISK_ERRNOS[errno.EFBIG]
        if "Disk quota exceeded" in text:
            return _DISK_ERRNOS[errno.EDQUOT]
    return None


@contextlib.contextmanager
def write_session(path: Path, *, fresh: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a private copy of the database inside one transaction; swap it in on success.

    With ``fresh`` the copy starts empty (a rebuild). Before anything is written, a live catalogue must be
    intact (etl.store: its recorded checksum, schema version, each listed file's size and footer); a rebuild
    needs none of that. On any exception the live file is untouched and the private copy is removed; a full
    disk becomes a DatabaseError, a signal :class:`Interrupted`. After the swap (synced), the store's
    garbage is collected (etl.store.collect_garbage).
    """
    check_writable(path)
    target = live_target(path)
    with writer_lock(target):
        check_writable(path)  # again, now that no other Balanza writer runs
        tmp_path = target.with_name(target.name + TMP_SUFFIX)
        _remove_side_files(tmp_path)
        con: duckdb.DuckDBPyConnection | None = None
        written: list[Path] = []
        swapped = False
        try:
            existing = target.exists()
            mode = stat.S_IMODE(target.stat().st_mode) if existing else None
            live_checksum = None
            state = ""
            if existing and not fresh:
                live_checksum, state = store.copy_checked(
                    target, tmp_path, mode
                )  # refuses a damaged catalogue
            elif existing:
                live_checksum = store.intact_checksum(target)  # a damaged catalogue a rebuild replaces: None
            con = duckdb.connect(str(tmp_path), config={"memory_limit": writer_memory_limit()})
            with _ACTIVE_LOCK:
                _ACTIVE.add(con)
            if existing:
                _copy_ownership(target, tmp_path)  # before any row is written into it
            store.use_folder(con, target)
            if existing and not fresh:
                store.check_catalogue(con, target)  # the copy is the live catalogue, byte for byte
                if state != "as written":  # written by another DuckDB client, or no checksum recorded
                    problems = store.read_every_table(con)
                    if problems:
                        raise store.damaged_catalogue_error(path, problems[0])
            dropped = store.begin(con, previous=target if fresh and existing else None)
            create_schema(con)
            store.after_schema(con, dropped)
            con.execute("BEGIN TRANSACTION")
            yield con
            written = store.commit(con, target)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
            kept = store.kept_files(con)
            _forget(con)
            con.close()
            con = None
            _fsync(tmp_path)
            if existing:
                _copy_ownership(target, tmp_path)
            # The new checksum is recorded before the swap, with the live one: a swap that does not happen
            # leaves a catalogue whose checksum is still accepted.
            store.record_checksums(
                target, [store.catalogue_checksum(tmp_path), *([live_checksum] if live_checksum else [])]
            )
            os.replace(tmp_path, target)
            swapped = True
            written = []  # listed by the live catalogue now: never removed by the clean-up below
            _fsync(target.parent)
        except BaseException as exc:
            if con is not None:
                _forget(con)
                with contextlib.suppress(Exception):
                    con.close()
            if not swapped:
                _remove_side_files(tmp_path)
                store.remove_files(written)  # written for a swap that did not happen: no catalogue lists them
            if _received and not isinstance(exc, Interrupted):
                raise Interrupted(_received[-1]) from None
            if _is_interruption(exc):
                raise Interrupted(signal.SIGINT) from None
            problem = _disk_problem(exc)
            if problem and not swapped:
                raise disk_error(path, problem) from None
            if is_corruption(exc):
                raise store.damaged_catalogue_error(path, " ".join(str(exc).split())[:200]) from None
            raise
        finally:
            _received.clear()
        store.collect_garbage(
            target, kept
        )  # only now that the new catalogue is durable; still under the lock


def _forget(con: duckdb.DuckDBPyConnection) -> None:
    with _ACTIVE_LOCK:
        _ACTIVE.discard(con)


def _copy_ownership(original: Path, new: Path) -> None:
    """Give the new file the permission bits (and, where allowed, owner and group) of the file it replaces."""
    info = original.stat()
    os.chmod(new, stat.S_IMODE(info.st_mode))
    with contextlib.suppress(PermissionError):
        if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            os.chown(new, info.st_uid, info.st_gid)


def _remove_side_files(tmp_path: Path) -> None:
    for suffix in _TMP_SIDE_SUFFIXES:
        side = tmp_path.with_name(tmp_path.name + suffix)
        if side.is_dir() and not side.is_symlink():
            shutil.rmtree(side, ignore_errors=True)
        else:
            _remove_quietly(side)


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
