"""The open check (:func:`check_catalogue`: schema version, every listed file's size and footer) and
``balanza verify`` (:func:`check_files` with ``content``: every file's sha256); a damaged store becomes a named
:class:`~etl.errors.DatabaseError`, never a wrong total."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.errors import DatabaseError
from etl.schema import SCHEMA_VERSION
from etl.store.footer import _footer_bytes, _footer_rows, file_sha256
from etl.store.layout import FILES_TABLE, LOADED_DIR, catalogue_folder, store_dir


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
        f"SELECT f.path, f.dataset_id, f.source, d.path, f.size_bytes, f.row_count, f.footer_sha256, f.sha256 "
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
