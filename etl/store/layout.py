"""The store's names and places: its tables and views, the folder beside the catalogue, file paths relative to
the catalogue's folder, the mode and group new files get, and the small file-system helpers every part uses."""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.schema import TRADE_COLUMNS

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
HASH_CHUNK = 4 * 1024 * 1024
_COLUMNS = ", ".join(TRADE_COLUMNS)


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


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
