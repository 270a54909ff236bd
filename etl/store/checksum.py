"""The catalogue's own checksum.

DuckDB checks a block's checksum only when a query reads that block, so bytes changed in a block a load never
reads would be carried into the next catalogue. At every commit the writer records the new catalogue's sha256
(and that of its first HEADER_BYTES, DuckDB's file and checkpoint headers); the next writer compares before
copying. A file whose content changed but whose headers did not was changed outside any checkpoint (random
bytes, a disk fault): refused. A file whose headers changed too was checkpointed by another DuckDB client
(say, a user's DuckDB shell): accepted once every table of it reads without a checksum error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb

from etl.errors import DatabaseError
from etl.store.layout import CHECKSUM_NAME, HASH_CHUNK, _fsync, _make_dirs, catalogue_permissions, store_dir

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
            con.sql(f'SELECT * FROM "{table}"').to_arrow_table()
        except duckdb.Error as exc:
            problems.append(f"table {table} cannot be read: {' '.join(str(exc).split())[:160]}")
    return problems


def intact_checksum(database: Path) -> CatalogueChecksum | None:
    """The catalogue's checksum unless it was changed outside any checkpoint (then None: a rebuild replaces it)."""
    found = catalogue_checksum(database)
    return None if catalogue_state(found, recorded_checksums(database)) == "damaged" else found
